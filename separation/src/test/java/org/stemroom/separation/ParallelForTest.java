package org.stemroom.separation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelForTest {
    @Test
    void everyIndexRunsExactlyOnceWhateverTheSize() {
        for (int n : new int[] {0, 1, 2, 3, 17, 1000}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(1, n));
            for (int round = 0; round < 50; round++) ParallelFor.run(n, runs::incrementAndGet);
            for (int i = 0; i < n; i++) assertEquals(50, runs.get(i), "index " + i + " of " + n);
        }
    }

    @Test
    void resultsEqualTheSerialLoopAndNestedLoopsRunToo() {
        // each index writes its own slot; a nested loop finds the helpers busy and runs on its caller's thread
        double[][] par = new double[64][32], ser = new double[64][32];
        ParallelFor.run(64, i -> ParallelFor.run(32, j -> par[i][j] = Math.sin(i * 31 + j)));
        for (int i = 0; i < 64; i++) for (int j = 0; j < 32; j++) ser[i][j] = Math.sin(i * 31 + j);
        for (int i = 0; i < 64; i++) assertArrayEquals(ser[i], par[i], 0.0);
    }

    @Test
    void aFailingIterationReachesTheCallerAndTheLoopStaysUsable() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParallelFor.run(100, i -> {
            if (i == 57) throw new IllegalStateException("iteration 57");
        }));
        assertEquals("iteration 57", e.getMessage());
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        ParallelFor.run(10, runs::incrementAndGet);
        for (int i = 0; i < 10; i++) assertEquals(1, runs.get(i));
    }

    @Test
    void aThreadSetAloneRunsItsLoopsItself() {
        Thread[] ranOn = new Thread[200];
        ParallelFor.aloneOnThisThread(true);
        try {
            ParallelFor.run(ranOn.length, i -> ranOn[i] = Thread.currentThread());
        } finally {
            ParallelFor.aloneOnThisThread(false);
        }
        for (Thread t : ranOn) assertEquals(Thread.currentThread(), t, "every index on the calling thread");
    }
}
