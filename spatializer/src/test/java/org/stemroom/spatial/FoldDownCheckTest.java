package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;

/**
 * The streaming fold-down check gives the same numbers as the in-memory check it replaced (bit for bit for bands,
 * correlations, peaks; loudness to 1e-9 LU), and its memory does not grow with the length of the programme.
 */
class FoldDownCheckTest {
    private static final int FS = 48_000;

    /** A stereo reference and a 5.1 render of it: centre and surrounds carry parts of it, delayed by {@code lag}. */
    private static AudioClip[] pair(int seconds, int lag, long seed) {
        int n = seconds * FS;
        float[] l = TestSignals.pinkNoise(n, seed, 0.5);
        float[] r = TestSignals.pinkNoise(n, seed + 1, 0.5);
        for (int i = 0; i < n; i++) {
            double t = i / (double) FS;
            float tone = (float) (0.2 * Math.sin(2 * Math.PI * 220 * t));
            l[i] = 0.6f * l[i] + tone;
            r[i] = 0.6f * r[i] + tone;
        }
        int m = n + Math.max(lag, 0);
        float[][] s = new float[6][m];
        float g = (float) FoldDown.MINUS_3_DB;
        for (int i = 0; i < n; i++) {
            int j = i + lag;
            if (j < 0 || j >= m) continue;
            float centre = 0.5f * (l[i] + r[i]) * 0.4f;
            s[0][j] = l[i] - g * centre * 0.9f;   // a little off on purpose: bands differ slightly
            s[1][j] = r[i] - g * centre;
            s[2][j] = centre;
            s[3][j] = 0.1f * l[i];                 // LFE: left out of the fold-down
            s[4][j] = 0.2f * l[i];
            s[5][j] = 0.15f * r[i];
        }
        return new AudioClip[] {
            new AudioClip(new AudioFormat(FS, ChannelLayout.STEREO), new float[][] {l, r}),
            new AudioClip(new AudioFormat(FS, ChannelLayout.SURROUND_5_1), s)};
    }

    private static void assertSame(FoldDownCheck.Report a, FoldDownCheck.Report b) {
        assertEquals(a.lagFrames, b.lagFrames);
        assertEquals(a.seconds, b.seconds);
        assertEquals(a.bands, b.bands);
        for (int k = 0; k < 3; k++) assertArrayEquals(a.bandDiffDb[k], b.bandDiffDb[k], 0.0, "band differences " + k);
        assertArrayEquals(a.correlation, b.correlation, 0.0);
        // BS.1770 loudness: the meter adds up its 100 ms steps from the blocks it is fed, so the grouping of the
        // sums (not the signal) differs with the block size: agreement to rounding, 1e-9 LU.
        assertEquals(a.referenceLufs, b.referenceLufs, 1e-9);
        assertEquals(a.foldDownLufs, b.foldDownLufs, 1e-9);
        assertEquals(a.foldDownPeakDbfs, b.foldDownPeakDbfs, 0.0);
        assertEquals(a.foldDownClipped, b.foldDownClipped);
        assertEquals(a.foldDownLrCorrelation, b.foldDownLrCorrelation, 0.0);
        assertEquals(a.referenceLrCorrelation, b.referenceLrCorrelation, 0.0);
        assertEquals(a.foldDownMidSideDb, b.foldDownMidSideDb, 0.0);
        assertEquals(a.referenceMidSideDb, b.referenceMidSideDb, 0.0);
        assertEquals(a.foldDownMonoLossDb, b.foldDownMonoLossDb, 1e-9);
        assertEquals(a.referenceMonoLossDb, b.referenceMonoLossDb, 1e-9);
        assertEquals(a.pass(), b.pass());
    }

    @Test
    void streamingGivesTheSameNumbersAsTheInMemoryCheck() throws Exception {
        FoldDown fd = new FoldDown(SpeakerLayout.of(ChannelLayout.SURROUND_5_1), FoldDown.Mode.LO_RO);
        for (int lag : new int[] {0, 37, -250}) {
            AudioClip[] p = pair(4, lag, 11 + lag);
            FoldDownCheck.Report old = FoldDownCheckInMemory.run(p[0], "ref", p[1], "sur", fd, 1.0);
            FoldDownCheck.Report now = FoldDownCheck.run(p[0], "ref", p[1], "sur", fd, 1.0);
            assertEquals(lag, now.lagFrames, "lag found");
            assertSame(old, now);
            assertTrue(now.worstBandDb() > 0.01, "the render differs a little on purpose: " + now.worstBandDb());
        }
        // Lt/Rt and odd block edges (a reader that hands out 1000 frames at a time)
        FoldDown ltrt = new FoldDown(SpeakerLayout.of(ChannelLayout.SURROUND_5_1), FoldDown.Mode.LT_RT);
        AudioClip[] p = pair(3, 5, 3);
        assertSame(FoldDownCheckInMemory.run(p[0], "ref", p[1], "sur", ltrt, 1.0),
                FoldDownCheck.run(chunked(p[0], 1000), "ref", chunked(p[1], 777), "sur", ltrt, 1.0));
    }

    /** The segmented cross-correlation finds the lag a direct sum over every lag finds. */
    /** The push API (a render feeding its aligned mix) gives run()'s numbers for lag 0, whatever the block sizes. */
    @Test
    void pushedStreamEqualsRunAtLagZero() throws Exception {
        FoldDown fd = new FoldDown(SpeakerLayout.of(ChannelLayout.SURROUND_5_1), FoldDown.Mode.LO_RO);
        AudioClip[] p = pair(3, 0, 23);
        p[1].samples()[0][FS] = 1.4f; // one clipped fold-down sample, to be counted both ways
        FoldDownCheck.Report whole = FoldDownCheck.run(p[0], "ref", p[1], "sur", fd, 1.0);
        assertEquals(0, whole.lagFrames);
        for (int[] blocks : new int[][] {{8192}, {1000, 37, 20000}, {3 * FS}}) {
            FoldDownCheck.Stream st = FoldDownCheck.stream(fd, FS, 1.0);
            int n = p[0].frames();
            int at = 0;
            for (int k = 0; at < n; k++) {
                int len = Math.min(blocks[k % blocks.length], n - at);
                st.add(p[0].samples(), p[1].samples(), at, len);
                at += len;
            }
            FoldDownCheck.Report pushed = st.report();
            assertSame(whole, pushed);
            assertEquals(whole.toTable(), pushed.toTable());
            assertTrue(pushed.foldDownClipped > 0);
        }
        assertThrows(IllegalArgumentException.class, () -> FoldDownCheck.stream(fd, FS, 1.0)
                .add(p[0].samples(), new float[2][10], 0, 10));
    }

    /**
     * The stream's fold-down peak and its count of samples beyond full scale, against a direct count over the folded
     * samples it is handed: values at and next to full scale (1 and -1 are not beyond it, the floats just above are),
     * over blocks of several sizes.
     */
    @Test
    void foldedPeakAndClipCountAtFullScaleMatchADirectCount() {
        FoldDown fd = new FoldDown(SpeakerLayout.of(ChannelLayout.SURROUND_5_1), FoldDown.Mode.LO_RO);
        int n = FS;
        java.util.Random rnd = new java.util.Random(3);
        float[][] ref = new float[2][n];
        float[][] fold = new float[2][n];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                ref[c][i] = (float) (0.2 * rnd.nextGaussian());
                fold[c][i] = (float) (1.8 * rnd.nextDouble() - 0.9);
            }
        }
        float up = Math.nextUp(1f);
        float[] edge = {1f, -1f, up, -up, Math.nextDown(1f), 1.5f, -2.25f, up};
        for (int k = 0; k < edge.length; k++) fold[k % 2][1000 + 4321 * k] = edge[k];
        long clipped = 0;
        float peak = 0;
        for (float[] x : fold) {
            for (float v : x) {
                if (v > 1f || v < -1f) clipped++;
                peak = Math.max(peak, Math.abs(v));
            }
        }
        for (int[] blocks : new int[][] {{n}, {1000, 37, 4096}}) {
            FoldDownCheck.Stream st = FoldDownCheck.stream(fd, FS, 1.0);
            for (int at = 0, k = 0; at < n; k++) {
                int len = Math.min(blocks[k % blocks.length], n - at);
                st.addFolded(ref, at, fold, at, len);
                at += len;
            }
            FoldDownCheck.Report r = st.report();
            assertEquals(5, clipped); // up, -up, 1.5, -2.25, up
            assertEquals(clipped, r.foldDownClipped);
            assertEquals(20 * Math.log10(peak), r.foldDownPeakDbfs, 0.0);
        }
    }

    @Test
    void segmentedCrossCorrelationAgreesWithTheDirectSum() {
        java.util.Random rnd = new java.util.Random(42);
        for (int trial = 0; trial < 6; trial++) {
            int len = 3000 + rnd.nextInt(9000);
            int maxLag = 50 + rnd.nextInt(400);
            int shift = rnd.nextInt(2 * maxLag + 1) - maxLag;
            float[] a = new float[len];
            float[] b = new float[len + maxLag];
            for (int i = 0; i < len; i++) a[i] = (float) rnd.nextGaussian();
            for (int i = 0; i < b.length; i++) {
                int j = i - shift;
                b[i] = (j >= 0 && j < len ? a[j] : 0f) + 0.5f * (float) rnd.nextGaussian();
            }
            int best = 0;
            double bestV = Double.NEGATIVE_INFINITY;
            for (int l = -maxLag; l <= maxLag; l++) {
                double v = 0;
                for (int i = 0; i < len; i++) {
                    int j = i + l;
                    if (j >= 0 && j < b.length) v += (double) a[i] * b[j];
                }
                if (v > bestV) {
                    bestV = v;
                    best = l;
                }
            }
            assertEquals(shift, best, "direct sum");
            assertEquals(best, FoldDownCheck.crossCorrelationPeak(a, b, maxLag), "trial " + trial);
        }
    }

    @Test
    void clippingIsCountedOverTheWholeFoldDown() throws Exception {
        AudioClip[] p = pair(2, 0, 5);
        float[][] s = p[1].samples();
        s[0][1000] = 3f;   // L beyond full scale
        s[4][FS] = 4f;     // Ls: 4 * 0.707 in Lo
        FoldDown fd = new FoldDown(SpeakerLayout.of(ChannelLayout.SURROUND_5_1), FoldDown.Mode.LO_RO);
        FoldDownCheck.Report old = FoldDownCheckInMemory.run(p[0], "ref", p[1], "sur", fd, 1.0);
        FoldDownCheck.Report now = FoldDownCheck.run(p[0], "ref", p[1], "sur", fd, 1.0);
        assertSame(old, now);
        assertTrue(now.foldDownClipped >= 2, "clipped " + now.foldDownClipped);
        assertTrue(!now.pass());
    }

    @Test
    void notANumberIsNamedWithItsPosition() {
        AudioClip[] p = pair(1, 0, 7);
        p[1].samples()[4][12345] = Float.NaN;
        FoldDown fd = new FoldDown(SpeakerLayout.of(ChannelLayout.SURROUND_5_1), FoldDown.Mode.LO_RO);
        StemroomException e = assertThrows(StemroomException.class,
                () -> FoldDownCheck.run(p[0], "ref.wav", p[1], "sur.wav", fd, 1.0));
        assertEquals("sur.wav: sample 12345 of channel 5 is not a number", e.getMessage());
    }

    /**
     * Three minutes of 5.1 and its stereo reference at 48 kHz (276 MB as float; generated on the fly, never held) are
     * checked in a JVM whose whole heap is 64 MB: the in-memory check needed several copies of both.
     */
    @Test
    void threeMinutesStreamInA64MegabyteHeap() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                LongRun.class.getName(), "180").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, java.util.concurrent.TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("seconds 180.0 lag 0 worst "), out);
        double worst = Double.parseDouble(out.substring(out.indexOf("worst ") + 6).trim());
        assertTrue(worst < 1e-3, "the generated render folds down exactly: " + out);
    }

    /** The long check, run in its own small-heap JVM. */
    static final class LongRun {
        public static void main(String[] args) throws Exception {
            long frames = Long.parseLong(args[0]) * FS;
            FoldDown fd = new FoldDown(SpeakerLayout.of(ChannelLayout.SURROUND_5_1), FoldDown.Mode.LO_RO);
            FoldDownCheck.Report r = FoldDownCheck.run(generated(frames, false), "ref", generated(frames, true), "sur",
                    fd, 1.0);
            System.out.println("seconds " + r.seconds + " lag " + r.lagFrames + " worst " + r.worstBandDb());
        }
    }

    private static final float[] SINE = new float[4096];

    static {
        for (int i = 0; i < SINE.length; i++) SINE[i] = (float) Math.sin(2 * Math.PI * i / SINE.length);
    }

    /** A deterministic signal of any length: stereo noise-like tones, or their 5.1 render with C = L+R at -3 dB. */
    static FoldDownCheck.Input generated(long frames, boolean surround) {
        return new FoldDownCheck.Input() {
            private long pos;

            @Override
            public AudioFormat format() {
                return new AudioFormat(FS, surround ? ChannelLayout.SURROUND_5_1 : ChannelLayout.STEREO);
            }

            @Override public long frames() { return frames; }

            @Override
            public int read(AudioBuffer buf) {
                int n = (int) Math.min(buf.capacity(), frames - pos);
                if (n <= 0) return 0;
                buf.setFrames(n);
                for (int i = 0; i < n; i++) {
                    long k = pos + i;
                    // a cheap deterministic broadband signal: a few tones and an LCG
                    long z = k * 0x9E3779B97F4A7C15L; // splitmix64 of the frame index: white noise
                    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                    z ^= z >>> 31;
                    float noise = ((z >>> 40) / (float) (1 << 24) - 0.5f) * 0.4f;
                    float other = ((z & 0xFFFFFF) / (float) (1 << 24) - 0.5f) * 0.4f;
                    float l = 0.3f * SINE[(int) (k * 7 & 4095)] + 0.1f * SINE[(int) (k * 331 & 4095)] + noise;
                    float r = 0.3f * SINE[(int) (k * 9 & 4095)] + 0.1f * SINE[(int) (k * 467 & 4095)] + other;
                    buf.channel(0)[i] = l;
                    buf.channel(1)[i] = r;
                    if (surround) for (int c = 2; c < 6; c++) buf.channel(c)[i] = 0;
                }
                pos += n;
                return n;
            }

            @Override public void seek(long frame) { pos = frame; }
        };
    }

    /** A clip handed out {@code chunk} frames at a time whatever the buffer's capacity. */
    private static FoldDownCheck.Input chunked(AudioClip clip, int chunk) {
        FoldDownCheck.Input in = FoldDownCheck.of(clip);
        return new FoldDownCheck.Input() {
            @Override public AudioFormat format() { return in.format(); }
            @Override public long frames() { return in.frames(); }

            @Override
            public int read(AudioBuffer buf) throws IOException {
                AudioBuffer small = new AudioBuffer(buf.channels(), Math.min(chunk, buf.capacity()));
                int n = in.read(small);
                if (n <= 0) return n;
                buf.setFrames(n);
                for (int c = 0; c < buf.channels(); c++) System.arraycopy(small.channel(c), 0, buf.channel(c), 0, n);
                return n;
            }

            @Override public void seek(long frame) throws IOException { in.seek(frame); }
        };
    }
}
