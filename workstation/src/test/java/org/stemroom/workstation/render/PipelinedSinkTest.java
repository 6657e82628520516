package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioFormat;
import org.stemroom.separation.StemSink;

/** The pipelined sink hands the consumer exactly the calls a direct sink gets, whatever it reuses in between. */
class PipelinedSinkTest {
    /** Keeps a copy of every call: stem, channel, samples in order. */
    private static final class Recorder implements StemSink {
        final List<float[]> seen = new ArrayList<>();
        final List<Integer> counts = new ArrayList<>();
        final Random slow = new Random(3);
        int failAt = -1;
        boolean ended;

        @Override
        public void begin(AudioFormat format, List<String> stemNames) { }

        @Override
        public void write(List<float[][]> stems, int offset, int count) throws IOException {
            if (counts.size() == failAt) throw new IOException("disk full (test)");
            counts.add(count);
            for (float[][] s : stems) {
                for (float[] ch : s) seen.add(java.util.Arrays.copyOfRange(ch, offset, offset + count));
            }
            if (slow.nextInt(3) == 0) Thread.onSpinWait(); // the consumer falls behind now and then
            if (slow.nextInt(4) == 0) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void end() { ended = true; }
    }

    /** A producer that, like the separator, overwrites its arrays as soon as each write returns. */
    private static void produce(StemSink sink, int calls) throws IOException {
        Random rnd = new Random(11);
        float[][][] stems = new float[3][2][9000];
        sink.begin(AudioFormat.of(48_000, 2), List.of("a", "b", "c"));
        for (int k = 0; k < calls; k++) {
            int count = 1 + rnd.nextInt(k % 5 == 4 ? 8000 : 3000); // some larger than every earlier block
            int offset = rnd.nextInt(9000 - count + 1);
            for (float[][] s : stems) for (float[] ch : s) for (int i = 0; i < ch.length; i++) ch[i] = (float) rnd.nextGaussian();
            List<float[][]> list = new ArrayList<>();
            for (float[][] s : stems) list.add(s);
            sink.write(list, offset, count);
        }
        sink.end();
    }

    @Test
    void theConsumerSeesTheDirectCallsThoughBlocksAreReused() throws Exception {
        Recorder direct = new Recorder();
        produce(direct, 40);
        Recorder piped = new Recorder();
        produce(new PipelinedSink(piped), 40);
        assertTrue(piped.ended);
        assertEquals(direct.counts, piped.counts);
        assertEquals(direct.seen.size(), piped.seen.size());
        for (int i = 0; i < direct.seen.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(direct.seen.get(i), piped.seen.get(i), "channel call " + i);
        }
    }

    @Test
    void aConsumerFailureReachesTheProducerWithoutAHang() {
        Recorder failing = new Recorder();
        failing.failAt = 5;
        IOException e = assertThrows(IOException.class, () -> produce(new PipelinedSink(failing), 40));
        assertEquals("disk full (test)", e.getMessage());
    }

    @Test
    void theConsumerTakesTheProducersLoopIndicesWhileItWaitsAndTheCallsStayTheSame() throws Exception {
        // The producer's blocks come from loops whose first index on the producer holds it until another thread has
        // run one of the loop's indices: only the consumer, waiting for its next block, can (without the sharing it would time out).
        // The values written are the same whichever thread ran an index, so the consumer sees the direct calls.
        Recorder direct = new Recorder();
        produceByLoops(direct, null, 30);
        Recorder piped = new Recorder();
        PipelinedSink sink = new PipelinedSink(piped);
        int[] byConsumer = new int[1];
        sink.shareLoops(true);
        try {
            produceByLoops(sink, byConsumer, 30);
        } finally {
            sink.shareLoops(false);
        }
        assertTrue(piped.ended);
        assertEquals(30, byConsumer[0], "every loop had an index run by the consumer");
        assertEquals(direct.counts, piped.counts);
        for (int i = 0; i < direct.seen.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(direct.seen.get(i), piped.seen.get(i), "channel call " + i);
        }
    }

    /**
     * Blocks of 2 stems x 2 channels, each channel's samples made by a ParallelFor loop over stretches of 100;
     * with {@code byOther}, the producer's first index (if the other thread left it one) waits until another thread
     * has run an index, and counts the loops where one did.
     */
    private static void produceByLoops(StemSink sink, int[] byOther, int calls) throws IOException {
        float[][][] stems = new float[2][2][4000];
        Thread producer = Thread.currentThread();
        sink.begin(AudioFormat.of(48_000, 2), List.of("a", "b"));
        for (int k = 0; k < calls; k++) {
            int call = k;
            java.util.concurrent.CountDownLatch other = new java.util.concurrent.CountDownLatch(1);
            boolean[] first = {true};
            org.stemroom.separation.ParallelFor.run(40, i -> {
                if (Thread.currentThread() != producer) other.countDown();
                if (Thread.currentThread() == producer && first[0] && byOther != null) {
                    first[0] = false;
                    try {
                        other.await(10, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                float[] ch = stems[(i / 20) % 2][(i / 10) % 2];
                for (int j = (i % 10) * 400; j < (i % 10 + 1) * 400; j++) ch[j] = (float) Math.sin(call * 0.1 + j * 0.01 + i);
            });
            if (byOther != null && other.getCount() == 0) byOther[0]++;
            List<float[][]> list = new ArrayList<>();
            for (float[][] s : stems) list.add(s);
            sink.write(list, 0, 4000);
        }
        sink.end();
    }
}
