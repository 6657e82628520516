package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

class StereoUpmixerTest {
    private static final int FS = 48_000;

    /** A mix: centred "vocal" (harmonic, vibrato, syllables), hard-left and half-right instruments, diffuse reverb. */
    static final class Mix {
        final float[] vocal;
        final float[][] stereo;

        Mix(int n, double peak) {
            vocal = new float[n];
            float[] left = TestSignals.pinkNoise(n, 21, 0.3);
            float[] right = TestSignals.pinkNoise(n, 22, 0.3);
            float[] ambL = TestSignals.pinkNoise(n, 23, 0.15);
            float[] ambR = TestSignals.pinkNoise(n, 24, 0.15);
            double phase = 0;
            for (int i = 0; i < n; i++) {
                double t = i / (double) FS;
                double f0 = 220 * (1 + 0.01 * Math.sin(2 * Math.PI * 5 * t));
                phase += 2 * Math.PI * f0 / FS;
                double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 2.5 * t);
                double v = 0;
                for (int h = 1; h <= 12; h++) v += Math.sin(h * phase) / h;
                vocal[i] = (float) (0.35 * env * v);
            }
            stereo = new float[2][n];
            double gl = Math.cos(Math.PI / 8), gr = Math.sin(Math.PI / 8); // instrument 2 half right
            double p = 0;
            for (int i = 0; i < n; i++) {
                double bass = 0.45 * Math.sin(2 * Math.PI * 55 * i / FS); // centred bass
                stereo[0][i] = (float) (0.7071 * (vocal[i] + bass) + left[i] + gr * right[i] + ambL[i]);
                stereo[1][i] = (float) (0.7071 * (vocal[i] + bass) + gl * right[i] + ambR[i]);
                p = Math.max(p, Math.max(Math.abs(stereo[0][i]), Math.abs(stereo[1][i])));
            }
            double s = peak / p;
            for (float[] ch : stereo) for (int i = 0; i < n; i++) ch[i] *= s;
            for (int i = 0; i < n; i++) vocal[i] *= s;
        }
    }

    static float[][] upmix(StereoUpmixer u, float[][] in, int block) {
        int n = in[0].length;
        u.prepare(new AudioFormat(FS, ChannelLayout.STEREO), block);
        int outCh = u.outputFormat().channels();
        float[][] out = new float[outCh][n];
        AudioBuffer ib = new AudioBuffer(2, block);
        AudioBuffer ob = new AudioBuffer(outCh, block);
        for (int s = 0; s < n; s += block) {
            int len = Math.min(block, n - s);
            ib.setFrames(len);
            for (int c = 0; c < 2; c++) System.arraycopy(in[c], s, ib.channel(c), 0, len);
            u.process(ib, ob);
            for (int c = 0; c < outCh; c++) System.arraycopy(ob.channel(c), 0, out[c], s, len);
        }
        return out;
    }

    @Test
    void exactFoldDownReturnsTheInputBelowMinus90dB() {
        Mix mix = new Mix(4 * FS, 0.97);
        for (SpeakerLayout layout : new SpeakerLayout[] {SpeakerLayout.SURROUND_5_1, SpeakerLayout.SURROUND_7_1, SpeakerLayout.SURROUND_7_1_4}) {
            StereoUpmixer u = new StereoUpmixer(StereoUpmixer.Settings.defaults().withLayout(layout).withExactFoldDown(true));
            float[][] out = upmix(u, mix.stereo, 1000);
            float[][] fold = new FoldDown(layout, FoldDown.Mode.LO_RO).apply(out);
            int lat = u.latencyFrames();
            for (int c = 0; c < 2; c++) {
                double err = 0, sig = 0;
                for (int i = lat; i < out[0].length; i++) {
                    double d = fold[c][i] - mix.stereo[c][i - lat];
                    err += d * d;
                    sig += (double) mix.stereo[c][i - lat] * mix.stereo[c][i - lat];
                }
                double db = 10 * Math.log10(err / sig);
                System.out.printf("exact fold-down %s ch %d: error %.1f dB%n", layout.name(), c, db);
                assertTrue(db < -90, layout.name() + " channel " + c + ": fold-down error " + db + " dB");
            }
            // and it is a real upmix: the centre and the surrounds carry signal
            assertTrue(TestSignals.power(out[2], 0, out[2].length) > 0.01);
            assertTrue(TestSignals.power(out[4], 0, out[4].length) > 1e-4);
        }
    }

    /**
     * 7.1.4: the heights carry ambience only: a centred dry source stays out of them (below -30 dB re C), while
     * uncorrelated (diffuse) input reaches each height speaker within 3 dB of the side speaker's level in the
     * default mode (equal shares, 0.5 each).
     */
    @Test
    void heightsOf714CarryAmbienceOnly() {
        float[] v = new Mix(2 * FS, 0.5).vocal;
        float[][] centred = {v.clone(), v.clone()};
        for (int i = 0; i < v.length; i++) { centred[0][i] *= 0.7071f; centred[1][i] *= 0.7071f; }
        StereoUpmixer u = new StereoUpmixer(StereoUpmixer.Settings.defaults().withLayout(SpeakerLayout.SURROUND_7_1_4));
        float[][] out = upmix(u, centred, 512);
        assertEquals(12, out.length);
        int from = u.latencyFrames() + FS / 4;
        double c = TestSignals.power(out[2], from, v.length);
        for (int h = 8; h < 12; h++) {
            double db = 10 * Math.log10(TestSignals.power(out[h], from, v.length) / c);
            assertTrue(db < -30, "centred content in height " + h + ": " + db + " dB re C");
        }
        float[][] diffuse = {TestSignals.pinkNoise(2 * FS, 31, 0.3), TestSignals.pinkNoise(2 * FS, 32, 0.3)};
        u = new StereoUpmixer(StereoUpmixer.Settings.defaults().withLayout(SpeakerLayout.SURROUND_7_1_4));
        out = upmix(u, diffuse, 512);
        double side = TestSignals.power(out[6], from, out[6].length);
        for (int h = 8; h < 12; h += 2) {
            double db = 10 * Math.log10(TestSignals.power(out[h], from, out[h].length) / side);
            System.out.printf("7.1.4 diffuse input: height %d at %.2f dB re the side%n", h, db);
            assertEquals(0, db, 3.0, "height " + h);
        }
    }

    @Test
    void centredContentGoesToTheCentreOnly() {
        float[] v = new Mix(2 * FS, 0.5).vocal;
        float[][] in = {v.clone(), v.clone()};
        for (int i = 0; i < v.length; i++) { in[0][i] *= 0.7071f; in[1][i] *= 0.7071f; }
        for (boolean exact : new boolean[] {false, true}) {
            StereoUpmixer u = new StereoUpmixer(StereoUpmixer.Settings.defaults().withExactFoldDown(exact));
            float[][] out = upmix(u, in, 512);
            int from = u.latencyFrames() + FS / 4;
            double c = TestSignals.power(out[2], from, v.length);
            double l = TestSignals.power(out[0], from, v.length);
            double r = TestSignals.power(out[1], from, v.length);
            double s = TestSignals.power(out[4], from, v.length) + TestSignals.power(out[5], from, v.length);
            System.out.printf("centred source (exact %s): L %.1f dB, R %.1f dB, surrounds %.1f dB re C%n", exact,
                    10 * Math.log10(l / c), 10 * Math.log10(r / c), 10 * Math.log10(s / c));
            assertTrue(10 * Math.log10(l / c) < -40 && 10 * Math.log10(r / c) < -40, "centred content in L/R");
            assertTrue(10 * Math.log10(s / c) < -30, "centred content in the surrounds");
            // C carries the source at its full level: 0.7071 + 0.7071 on two speakers = 1 on one
            double vin = TestSignals.power(v, from - u.latencyFrames(), v.length - u.latencyFrames());
            assertEquals(0, 10 * Math.log10(c / vin), 0.2);
        }
    }

    @Test
    void inAMixTheCentreFollowsTheVocalAndTheSidesDoNot() {
        Mix mix = new Mix(4 * FS, 0.9);
        StereoUpmixer u = new StereoUpmixer(StereoUpmixer.Settings.defaults());
        float[][] out = upmix(u, mix.stereo, 777);
        int lat = u.latencyFrames();
        float[] vd = new float[out[0].length];
        System.arraycopy(mix.vocal, 0, vd, lat, vd.length - lat);
        int from = lat + FS / 2;
        double rc = TestSignals.correlation(out[2], vd, from, vd.length);
        double rl = TestSignals.correlation(out[0], vd, from, vd.length);
        double rr = TestSignals.correlation(out[1], vd, from, vd.length);
        System.out.printf("vocal correlation: C %.2f, L %.2f, R %.2f%n", rc, rl, rr);
        assertTrue(rc > 0.4, "C should follow the centred vocal: " + rc);
        assertTrue(Math.abs(rl) < 0.2 && Math.abs(rr) < 0.2, "L/R should not: " + rl + " " + rr);
    }

    @Test
    void loudMusicDoesNotClip() {
        Mix mix = new Mix(4 * FS, 0.995);
        for (boolean exact : new boolean[] {false, true}) {
            StereoUpmixer u = new StereoUpmixer(StereoUpmixer.Settings.defaults().withExactFoldDown(exact));
            float[][] out = upmix(u, mix.stereo, 1024);
            for (int c = 0; c < out.length; c++) {
                float p = 0;
                for (float x : out[c]) p = Math.max(p, Math.abs(x));
                assertTrue(p <= 1.0f, "channel " + c + " peaks at " + p + " (exact " + exact + ")");
            }
            assertTrue(u.limitedSamples() > 0, "the test signal should need the centre limiter");
        }
    }

    @Test
    void defaultFoldDownStaysWithinOneDecibelPerOctave() {
        Mix mix = new Mix(8 * FS, 0.9);
        for (SpeakerLayout layout : new SpeakerLayout[] {SpeakerLayout.SURROUND_5_1, SpeakerLayout.SURROUND_7_1, SpeakerLayout.SURROUND_7_1_4}) {
            defaultFoldDownWithinOneDecibel(mix, layout);
        }
    }

    private static void defaultFoldDownWithinOneDecibel(Mix mix, SpeakerLayout layout) {
        StereoUpmixer u = new StereoUpmixer(StereoUpmixer.Settings.defaults().withLayout(layout));
        float[][] out = upmix(u, mix.stereo, 1024);
        float[][] fold = new FoldDown(layout, FoldDown.Mode.LO_RO).apply(out);
        int lat = u.latencyFrames();
        for (int c = 0; c < 2; c++) {
            float[] ref = java.util.Arrays.copyOfRange(mix.stereo[c], 0, out[0].length - lat);
            float[] got = java.util.Arrays.copyOfRange(fold[c], lat, out[0].length);
            double[] a = TestSignals.octaveLevelsDb(ref, FS, 8192);
            double[] b = TestSignals.octaveLevelsDb(got, FS, 8192);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < a.length; k++) sb.append(String.format(" %.2f", b[k] - a[k]));
            System.out.println("default fold-down of " + layout.name() + " minus input per octave (63..16k), ch " + c + ":" + sb);
            for (int k = 0; k < a.length; k++) {
                assertEquals(a[k], b[k], 1.0, layout.name() + " octave " + TestSignals.OCTAVES[k]);
            }
        }
    }

    @Test
    void blockSizeDoesNotChangeTheOutput() {
        Mix mix = new Mix(FS, 0.8);
        float[][] a = upmix(new StereoUpmixer(StereoUpmixer.Settings.defaults()), mix.stereo, 4096);
        float[][] b = upmix(new StereoUpmixer(StereoUpmixer.Settings.defaults()), mix.stereo, 37);
        for (int c = 0; c < a.length; c++) assertArrayEquals(a[c], b[c], "channel " + c);
    }

    @Test
    void blockSizeDoesNotChangeTheOutputOfAnyLayoutOrMode() {
        // the time-domain paths run block-wise over rings (input delay, surround delays, decorrelators): blocks
        // shorter than a hop, equal to the FFT size, and longer than the latency must all give the same bits
        Mix mix = new Mix(FS, 0.8);
        for (SpeakerLayout l : new SpeakerLayout[] {SpeakerLayout.SURROUND_5_1, SpeakerLayout.SURROUND_7_1,
                SpeakerLayout.SURROUND_7_1_4}) {
            for (boolean exact : new boolean[] {false, true}) {
                StereoUpmixer.Settings s = StereoUpmixer.Settings.defaults().withLayout(l).withExactFoldDown(exact)
                        .withSurroundDelayMs(23);
                if (!exact) s = s.withHighPassMains(true);
                float[][] a = upmix(new StereoUpmixer(s), mix.stereo, 4096);
                for (int block : new int[] {1, 37, 10000}) {
                    float[][] b = upmix(new StereoUpmixer(s), mix.stereo, block);
                    for (int c = 0; c < a.length; c++) {
                        assertArrayEquals(a[c], b[c], s + ", block " + block + ", channel " + c);
                    }
                }
            }
        }
    }

    @Test
    void lfeIsTheLowPassedMidTenDecibelsDown() {
        int n = 2 * FS;
        float[][] in = new float[2][n];
        for (int i = 0; i < n; i++) {
            in[0][i] = (float) (0.5 * Math.sin(2 * Math.PI * 40 * i / FS) + 0.3 * Math.sin(2 * Math.PI * 2000 * i / FS));
            in[1][i] = in[0][i];
        }
        StereoUpmixer u = new StereoUpmixer(StereoUpmixer.Settings.defaults().withLfeCrossoverHz(80));
        float[][] out = upmix(u, in, 1024);
        double lfe = TestSignals.power(out[3], FS, n);
        // 40 Hz through an 80 Hz LR4 low-pass: |H|^2 = 1/(1+(f/fc)^4)^2 (two squared Butterworth sections)
        double h2 = Math.pow(1 / (1 + Math.pow(40.0 / 80, 4)), 2);
        double want = 0.125 * h2 * 0.1; // 40 Hz power 0.125, -10 dB
        assertEquals(10 * Math.log10(want), 10 * Math.log10(lfe), 0.5);
        assertThrows(IllegalArgumentException.class,
                () -> StereoUpmixer.Settings.defaults().withExactFoldDown(true).withHighPassMains(true));
    }

    @Test
    void processDoesNotAllocate() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        StereoUpmixer u = new StereoUpmixer(StereoUpmixer.Settings.defaults().withHighPassMains(true));
        u.prepare(new AudioFormat(FS, ChannelLayout.STEREO), 256);
        AudioBuffer in = AudioBuffer.wrap(new float[][] {TestSignals.whiteNoise(256, 1, 0.1), TestSignals.whiteNoise(256, 2, 0.1)});
        AudioBuffer out = new AudioBuffer(6, 256);
        for (int i = 0; i < 5_000; i++) u.process(in, out);
        // A per-call allocation would show in every round (10,000 x its size); a JIT recompilation or
        // deoptimisation on a loaded machine can allocate a few bytes once, so take the best of three rounds.
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3 && best != 0; round++) {
            long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 10_000; i++) u.process(in, out);
            best = Math.min(best, mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
        }
        assertEquals(0, best, "bytes allocated by 10,000 process calls");
    }
}
