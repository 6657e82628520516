package org.stemroom.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.stemroom.core.dsp.Stft;

class AudioThreadGateTest {

    /** A worker that counts its passes through checkpoints, the gate bound to it (null: none). */
    private static final class Worker extends Thread {
        final AtomicLong passes = new AtomicLong();
        final AudioThreadGate gate;
        volatile boolean stop;

        Worker(AudioThreadGate gate) {
            this.gate = gate;
            setDaemon(true);
        }

        @Override
        public void run() {
            AudioThreadGate.bind(gate);
            while (!stop) {
                AudioThreadGate.checkpoint();
                passes.incrementAndGet();
            }
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(1);
        }
    }

    @Test
    void aBoundWorkerHoldsWhileABlockIsInFlightAndGoesOnAfter() throws Exception {
        AudioThreadGate gate = new AudioThreadGate(60_000_000_000L); // no cap within the test
        Worker w = new Worker(gate);
        w.start();
        try {
            waitFor(() -> w.passes.get() > 1000, "the worker to run");
            gate.enter();
            assertTrue(gate.inFlight());
            waitFor(() -> gate.holding() == 1, "the worker to hold");
            long frozen = w.passes.get();
            Thread.sleep(100);
            // held: not one more pass (it holds inside the checkpoint that follows its last counted pass)
            assertEquals(frozen, w.passes.get(), "passes while the block was in flight");
            assertEquals(1, gate.holding());
            gate.exit();
            assertFalse(gate.inFlight());
            waitFor(() -> w.passes.get() > frozen + 1000, "the worker to go on after the block");
            assertEquals(0, gate.holding());
            assertTrue(gate.holds() >= 1);
            assertTrue(gate.heldNanos() >= 100_000_000L, "held at least the 100 ms it was kept: " + gate.heldNanos());
        } finally {
            w.stop = true;
            w.join(5000);
        }
    }

    @Test
    void aBlockLongerThanTheCapReleasesTheWorkerAfterTheCap() throws Exception {
        AudioThreadGate gate = new AudioThreadGate(20_000_000L); // 20 ms
        Worker w = new Worker(gate);
        w.start();
        try {
            waitFor(() -> w.passes.get() > 1000, "the worker to run");
            gate.enter();
            long t0 = System.nanoTime();
            waitFor(() -> gate.holds() >= 1, "the worker's first hold to end");
            double ms = (System.nanoTime() - t0) / 1e6;
            // the block is still in flight: the worker went on after its cap (on a loaded machine later than 20 ms,
            // never earlier), and holds no more during this block
            assertTrue(ms >= 19.9, "released after " + ms + " ms");
            assertTrue(gate.heldNanos() >= 20_000_000L && gate.heldNanos() < 5_000_000_000L, "held " + gate.heldNanos());
            long p = w.passes.get();
            waitFor(() -> w.passes.get() > p + 100_000, "the worker to run freely for the rest of the slow block");
            assertTrue(gate.inFlight());
            assertEquals(1, gate.holds(), "holds during the one slow block");
            gate.exit();
            // the next block holds it again
            gate.enter();
            waitFor(() -> gate.holding() == 1, "the worker to hold on the next block");
            gate.exit();
        } finally {
            w.stop = true;
            w.join(5000);
        }
    }

    @Test
    void anOpenedGateOrAnUnboundThreadNeverHolds() throws Exception {
        AudioThreadGate gate = new AudioThreadGate(60_000_000_000L);
        gate.enabled(false);
        Worker bound = new Worker(gate);
        Worker unbound = new Worker(null);
        bound.start();
        unbound.start();
        try {
            gate.enter();
            long b = bound.passes.get(), u = unbound.passes.get();
            waitFor(() -> bound.passes.get() > b + 100_000 && unbound.passes.get() > u + 100_000, "both to pass");
            assertEquals(0, gate.holds());
            // closing it again holds the bound worker, never the unbound one
            gate.enabled(true);
            waitFor(() -> gate.holding() == 1, "the bound worker to hold");
            long u2 = unbound.passes.get();
            waitFor(() -> unbound.passes.get() > u2 + 100_000, "the unbound worker to pass");
            gate.exit();
        } finally {
            bound.stop = true;
            unbound.stop = true;
            bound.join(5000);
            unbound.join(5000);
        }
    }

    @Test
    void enterAndExitAllocateNothingAndNestedCallsChangeNothing() {
        AudioThreadGate gate = new AudioThreadGate(1_000_000L);
        gate.enter();
        gate.enter(); // a second enter without exit: still one block
        assertTrue(gate.inFlight());
        gate.exit();
        assertFalse(gate.inFlight());
        gate.exit();
        assertFalse(gate.inFlight());
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) { // warm-up: compiled code
            gate.enter();
            gate.exit();
        }
        long bytes = Long.MAX_VALUE;
        for (int round = 0; round < 3 && bytes != 0; round++) {
            long c0 = mx.getThreadAllocatedBytes(tid);
            long overhead = mx.getThreadAllocatedBytes(tid) - c0;
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 10_000; i++) {
                gate.enter();
                gate.exit();
            }
            bytes = Math.min(bytes, mx.getThreadAllocatedBytes(tid) - before - overhead);
        }
        assertEquals(0, bytes, "bytes allocated by 10,000 enter/exit pairs");
    }

    @Test
    void theStftHoldsAtItsFramesAndComputesTheSameBits() throws Exception {
        float[] x = new float[48_000];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(0.01 * i + 1e-6 * i * i);
        Stft stft = new Stft(2048, 512);
        float[] ref = stft.synthesize(stft.analyze(x), x.length); // on this thread: no gate bound
        AudioThreadGate gate = new AudioThreadGate(60_000_000_000L);
        float[][] out = new float[1][];
        Thread t = new Thread(() -> {
            AudioThreadGate.bind(gate);
            Stft s = new Stft(2048, 512);
            out[0] = s.synthesize(s.analyze(x), x.length);
        });
        gate.enter(); // in flight before the transform starts: it holds at its first frame
        t.setDaemon(true);
        t.start();
        waitFor(() -> gate.holding() == 1, "the STFT to hold");
        Thread.sleep(50);
        assertEquals(1, gate.holding());
        assertTrue(t.isAlive());
        gate.exit();
        t.join(10_000);
        assertFalse(t.isAlive());
        assertTrue(gate.holds() >= 1);
        assertArrayEquals(ref, out[0], "the gate changes when the work runs, never what it computes");
    }
}
