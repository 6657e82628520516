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

    /** A guest thread that helps with {@code shared}'s loops until told to stop. */
    private static Thread guest(ParallelFor.Shared shared, java.util.concurrent.atomic.AtomicBoolean stop) {
        Thread g = new Thread(() -> {
            ParallelFor.aloneOnThisThread(true);
            while (!stop.get()) {
                if (!shared.help()) shared.await(stop::get);
            }
        }, "test-guest");
        g.setDaemon(true);
        g.start();
        return g;
    }

    @Test
    void aSharedLoopsIndicesAreTakenByTheGuestWhileTheOwnerIsBusy() throws Exception {
        // the owner's first index holds it until another thread has run an index: only a guest taking indices ends
        // it (without the sharing the owner would run them all itself, and its first would time out)
        ParallelFor.Shared shared = new ParallelFor.Shared();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread g = guest(shared, stop);
        Thread[] ranOn = new Thread[40];
        java.util.concurrent.CountDownLatch guestRan = new java.util.concurrent.CountDownLatch(1);
        boolean[] waited = new boolean[1], ownerWaited = new boolean[1];
        Thread owner = Thread.currentThread();
        ParallelFor.shareOnThisThread(shared);
        try {
            ParallelFor.run(ranOn.length, i -> {
                ranOn[i] = Thread.currentThread();
                if (Thread.currentThread() == g) guestRan.countDown();
                if (Thread.currentThread() == owner && !ownerWaited[0]) {
                    ownerWaited[0] = true;
                    try {
                        waited[0] = guestRan.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        } finally {
            ParallelFor.shareOnThisThread(null);
            stop.set(true);
            shared.wake();
        }
        g.join(10_000);
        // the guest may have taken them all before the owner took one; if the owner ran one, the guest ran one meanwhile
        assertEquals(ownerWaited[0], waited[0], "the guest took an index while the owner ran its first");
        assertEquals(true, java.util.Arrays.asList(ranOn).contains(g), "the guest ran an index");
        for (int i = 0; i < ranOn.length; i++) {
            assertEquals(true, ranOn[i] == Thread.currentThread() || ranOn[i] == g, "index " + i + " ran once, here or on the guest");
        }
    }

    @Test
    void sharedLoopsGiveTheSerialResultsAndRunEachIndexOnceWhateverTheTiming() throws Exception {
        ParallelFor.Shared shared = new ParallelFor.Shared();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread g = guest(shared, stop);
        java.util.Random rnd = new java.util.Random(5);
        ParallelFor.shareOnThisThread(shared);
        int byGuest = 0;
        try {
            for (int round = 0; round < 300; round++) {
                int n = 2 + rnd.nextInt(round % 10 == 0 ? 3000 : 40);
                int slowFrom = rnd.nextInt(n); // the indices from here on take longer: either thread may be behind
                AtomicIntegerArray runs = new AtomicIntegerArray(n);
                double[] par = new double[n], ser = new double[n];
                Thread[] ranOn = new Thread[n];
                ParallelFor.run(n, i -> {
                    runs.incrementAndGet(i);
                    ranOn[i] = Thread.currentThread();
                    double x = 0;
                    for (int k = 0; k < (i >= slowFrom ? 2000 : 10); k++) x += Math.sin(i * 0.37 + k);
                    // a nested loop runs on the thread that runs the index, alone
                    double[] inner = new double[4];
                    ParallelFor.run(4, j -> inner[j] = Math.cos(i + j));
                    par[i] = x + inner[0] + inner[1] + inner[2] + inner[3];
                });
                for (int i = 0; i < n; i++) {
                    double x = 0;
                    for (int k = 0; k < (i >= slowFrom ? 2000 : 10); k++) x += Math.sin(i * 0.37 + k);
                    ser[i] = x + Math.cos(i) + Math.cos(i + 1) + Math.cos(i + 2) + Math.cos(i + 3);
                    assertEquals(1, runs.get(i), "round " + round + " index " + i);
                    if (ranOn[i] == g) byGuest++;
                }
                assertArrayEquals(ser, par, 0.0);
            }
        } finally {
            ParallelFor.shareOnThisThread(null);
            stop.set(true);
            shared.wake();
        }
        g.join(10_000);
        assertEquals(true, byGuest > 0, "the guest ran some indices");
    }

    @Test
    void aFailureOnTheGuestReachesTheOwnerAndTheSharingStaysUsable() throws Exception {
        ParallelFor.Shared shared = new ParallelFor.Shared();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread g = guest(shared, stop);
        java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean ownerWaited = new java.util.concurrent.atomic.AtomicBoolean();
        ParallelFor.shareOnThisThread(shared);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParallelFor.run(50, i -> {
                if (Thread.currentThread() == g) {
                    failed.countDown();
                    throw new IllegalStateException("on the guest");
                }
                if (ownerWaited.getAndSet(true)) return;
                try {
                    failed.await(10, java.util.concurrent.TimeUnit.SECONDS); // the owner's first waits for the failure
                } catch (InterruptedException x) {
                    throw new IllegalStateException(x);
                }
            }));
            assertEquals("on the guest", e.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(30);
            ParallelFor.run(30, runs::incrementAndGet);
            for (int i = 0; i < 30; i++) assertEquals(1, runs.get(i));
        } finally {
            ParallelFor.shareOnThisThread(null);
            stop.set(true);
            shared.wake();
        }
        g.join(10_000);
    }
}
