package org.stemroom.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;

class StreamingSeparatorTest {

    /** Feeds a clip block by block (plus latency of silence) and returns the output shifted back into place. */
    static float[][] stream(StreamingSeparator s, AudioClip x, int block) {
        int ch = x.channels(), n = x.frames(), lat = s.latencyFrames();
        int stems = s.stemNames().size();
        float[][] out = new float[stems * ch][n];
        AudioBuffer in = new AudioBuffer(ch, block);
        AudioBuffer o = new AudioBuffer(stems * ch, block);
        for (long pos = 0; pos < n + lat; pos += block) {
            int m = block;
            for (int c = 0; c < ch; c++) {
                for (int i = 0; i < m; i++) {
                    long p = pos + i;
                    in.channel(c)[i] = p < n ? x.channel(c)[(int) p] : 0f;
                }
            }
            in.setFrames(m);
            s.process(in, o);
            for (int j = 0; j < o.channels(); j++) {
                for (int i = 0; i < m; i++) {
                    long p = pos + i - lat;
                    if (p >= 0 && p < n) out[j][(int) p] = o.channel(j)[i];
                }
            }
        }
        return out;
    }

    @Test
    void offlineModeEqualsTheOfflineRenderDelayedByTheLatency() throws Exception {
        AudioClip x = TestSeparators.music(22050, 2, 6.0, 11);
        Separation sep = new Separation(TestSeparators.lossy()).chunking(1.0, 0.25);
        StemSet ref = sep.separate(x, Progress.NONE);
        try (StreamingSeparator s = new StreamingSeparator(sep, 1.0, 0.25, 0.2)) {
            s.prepare(x.format(), 256);
            s.offline(true);
            assertEquals((int) Math.round(1.2 * 22050), s.latencyFrames());
            float[][] out = stream(s, x, 256);
            assertEquals(0, s.lateBlocks());
            // identical bits up to the last window, which the stream sees padded with silence instead of cut short
            int hop = (int) Math.round(0.75 * 22050);
            int exactUntil = (x.frames() / hop - 1) * hop;
            List<String> names = s.stemNames();
            for (int st = 0; st < names.size(); st++) {
                for (int c = 0; c < 2; c++) {
                    float[] r = ref.get(names.get(st)).channel(c);
                    for (int i = 0; i < exactUntil; i++) {
                        assertEquals(r[i], out[st * 2 + c][i], 0f, "stem " + names.get(st) + " ch " + c + " frame " + i);
                    }
                }
            }
            // and every frame sums to the mixture
            double worst = 0;
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < x.frames(); i++) {
                    double sum = 0;
                    for (int st = 0; st < names.size(); st++) sum += out[st * 2 + c][i];
                    worst = Math.max(worst, Math.abs(sum - x.channel(c)[i]));
                }
            }
            assertTrue(worst < 1e-5, "sum error " + worst);
        }
    }

    @Test
    void audioThreadAllocatesNothingOverTenThousandBlocks() throws Exception {
        AudioClip x = TestSeparators.music(44100, 2, 1.0, 12);
        try (StreamingSeparator s = new StreamingSeparator(new Separation(TestSeparators.lossy()), 0.5, 0.1, 0.1)) {
            s.prepare(x.format(), 128);
            AudioBuffer in = new AudioBuffer(2, 128);
            AudioBuffer out = new AudioBuffer(s.outputFormat().channels(), 128);
            for (int i = 0; i < 2000; i++) block(s, x, in, out, i); // warm-up: JIT, worker start
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().getId();
            // Up to three rounds of 10,000 calls; an allocation in process() would show in every round (at least
            // 16 bytes x 10,000 calls), while the JVM's own rare bookkeeping (a few dozen bytes, e.g. inside the
            // measurement) cannot repeat in each round.
            long bytes = Long.MAX_VALUE;
            for (int round = 0; round < 3 && bytes != 0; round++) {
                long c0 = mx.getThreadAllocatedBytes(tid);
                long overhead = mx.getThreadAllocatedBytes(tid) - c0;
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 10_000; i++) block(s, x, in, out, i);
                bytes = Math.min(bytes, mx.getThreadAllocatedBytes(tid) - before - overhead);
            }
            assertEquals(0, bytes, "bytes allocated on the audio thread over 10,000 process calls");
            assertEquals(4, s.outputFormat().channels());
            assertEquals("low.L", s.outputFormat().layout().label(0));
        }
    }

    private static void block(StreamingSeparator s, AudioClip x, AudioBuffer in, AudioBuffer out, int i) {
        int off = (i * 128) % (x.frames() - 128);
        for (int c = 0; c < 2; c++) System.arraycopy(x.channel(c), off, in.channel(c), 0, 128);
        in.setFrames(128);
        s.process(in, out);
    }

    @Test
    void aLateWorkerFallsBackCountsItAndStillSumsToTheMixture() throws Exception {
        Separator slow = new Separator() {
            @Override public String name() { return "slow"; }
            @Override public List<String> stemNames() { return List.of("bass", "other"); }
            @Override public StemSet separate(AudioClip m) throws StemroomException {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new StemSet(m.format(), m.frames()).put("bass", new float[m.channels()][m.frames()])
                        .put("other", m.copy().samples());
            }
        };
        AudioClip x = TestSeparators.music(22050, 1, 3.0, 13);
        try (StreamingSeparator s = new StreamingSeparator(new Separation(slow), 0.2, 0.05, 0.0)) {
            s.prepare(x.format(), 512);
            long t0 = System.nanoTime();
            float[][] out = stream(s, x, 512);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 1.5, "the audio thread never waits for the worker (" + seconds + " s)");
            assertTrue(s.lateBlocks() > 100, "late blocks counted: " + s.lateBlocks());
            double worst = 0, bassEnergy = 0;
            for (int i = 0; i < x.frames(); i++) {
                worst = Math.max(worst, Math.abs(out[0][i] + out[1][i] - x.channel(0)[i]));
                bassEnergy += out[0][i] * out[0][i];
            }
            assertTrue(worst < 1e-5, "fallback stems sum to the mixture: " + worst);
            assertTrue(bassEnergy > 0, "fallback puts the low band into bass");
        }
    }
}
