package org.stemroom.separation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    /**
     * The helpers obey their caller's {@link org.stemroom.core.AudioThreadGate} for the loop (a real-time worker's
     * loop gives way to the audio thread on every core it uses), and no gate after it.
     */
    @Test
    void helpersTakeTheCallersGateForTheLoopAndDropItAfter() throws Exception {
        org.stemroom.core.AudioThreadGate gate = new org.stemroom.core.AudioThreadGate(1_000_000L);
        Object[] seen = new Object[2000];
        Thread[] ran = new Thread[2000];
        Thread caller = new Thread(() -> {
            org.stemroom.core.AudioThreadGate.bind(gate);
            ParallelFor.run(seen.length, i -> {
                seen[i] = org.stemroom.core.AudioThreadGate.bound();
                ran[i] = Thread.currentThread();
                for (int k = 0; k < 2000; k++) Math.sin(k); // long enough that the helpers take some indices
            });
        });
        caller.start();
        caller.join(30_000);
        java.util.Set<Thread> threads = new java.util.HashSet<>();
        for (int i = 0; i < seen.length; i++) {
            assertSame(gate, seen[i], "index " + i + " ran on " + ran[i].getName());
            threads.add(ran[i]);
        }
        System.out.println("gated loop ran on " + threads.size() + " threads (helpers: " + ParallelFor.helperThreads().length + ")");
        // an unbound caller's loop: no gate anywhere, the helpers' binding is gone
        ParallelFor.run(seen.length, i -> seen[i] = org.stemroom.core.AudioThreadGate.bound());
        for (int i = 0; i < seen.length; i++) assertNull(seen[i], "index " + i);
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
