package org.stemroom.workstation.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.loudness.DifferenceBound;

/**
 * The limiter's skip of stretches whose differences (or computed high band) prove that no sample's detected peak can
 * reach the gate of the long interpolator ({@code TruePeakLimiter.belowGate}): (1) the bounds hold, on every stretch
 * the detector evaluates in full, against the values the detector computes there, on material whose level sweeps
 * from far under the bound's threshold through the gate and the ceiling to limiting, bright and dull; (2) with the
 * skip, every output sample and the smallest gain are those of the limiter without it, bit for bit, in place and
 * not, at several block patterns, while the skip ran on many stretches and stretches within 2 % of the gate on both
 * sides occurred; (3) the first-difference weight of each short filter is the least weight the anchors give: an
 * input whose differences take the signs of the partial sums attains it exactly, no input exceeds the bound, and the
 * bound is built from those weights; (4) the same for the high band's bound by parts twice.
 */
class TruePeakLimiterBoundTest {
    private static final int RATE = TruePeakLimiterTest.RATE;

    /**
     * {@code x} through {@code lim} in 4096-frame blocks; returns {@code sum} folded with the output's bits (31 * sum +
     * bits, sample by sample, channel by channel within a block): a checksum for comparing limited bits across JVMs.
     */
    static long limitInBlocks(TruePeakLimiter lim, float[][] x, long sum) {
        int n = x[0].length, ch = x.length;
        AudioBuffer in = new AudioBuffer(ch, 4096), out = new AudioBuffer(ch, 4096);
        for (int at = 0; at < n; at += 4096) {
            int m = Math.min(4096, n - at);
            in.setFrames(m);
            for (int c = 0; c < ch; c++) System.arraycopy(x[c], at, in.channel(c), 0, m);
            lim.process(in, out);
            for (int c = 0; c < ch; c++) {
                for (int i = 0; i < m; i++) sum = 31 * sum + Float.floatToRawIntBits(out.channel(c)[i]);
            }
        }
        return sum;
    }

    /**
     * Six channels, 8 s: music-like (a low-passed random walk, three harmonics, a 7 kHz partial) whose level sweeps
     * from -16 dB to +4 dB re full scale and back, bright bursts (white noise) every 0.7 s, a near-Nyquist tone
     * (0.46 fs) in one stretch, silence in another; channel 3 quieter.
     */
    static float[][] material(long seed) {
        int n = RATE * 8;
        float[][] x = new float[6][n];
        Random rnd = new Random(seed);
        double[] lp = new double[6];
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            double sweepDb = -16 + 20 * Math.sin(Math.PI * t / 8); // -16 .. +4 .. -16
            double level = Math.pow(10, sweepDb / 20);
            boolean burst = (i % 33_600) < 1_200;
            boolean nyquist = t > 5.5 && t < 5.8;
            boolean silent = t > 6.2 && t < 6.4;
            for (int c = 0; c < 6; c++) {
                lp[c] += 0.02 * (rnd.nextGaussian() - lp[c]);
                double v = 0.35 * Math.sin(2 * Math.PI * 110 * (c + 1) * t + c) + 0.2 * Math.sin(2 * Math.PI * 330 * t)
                        + 0.1 * Math.sin(2 * Math.PI * 7_000 * t + c) + 2.0 * lp[c];
                if (burst) v += 0.3 * rnd.nextGaussian();
                if (nyquist) v = 0.5 * Math.sin(2 * Math.PI * 0.46 * i + c);
                v *= silent ? 0 : level * (c == 3 ? 0.3 : 1);
                x[c][i] = (float) v;
            }
        }
        return x;
    }

    static TruePeakLimiter limiter(boolean boundSkipOff) {
        TruePeakLimiter lim = new TruePeakLimiter(-1.0, 1.5, 80);
        lim.prepare(new AudioFormat(RATE, ChannelLayout.SURROUND_5_1), 4096);
        lim.boundSkipOff = boundSkipOff;
        return lim;
    }

    @Test
    void theBoundsCoverEveryValueTheDetectorComputes() {
        int[] counts = new int[4]; // stretches seen, bound <= gate, within 2 % under the gate, within 2 % over it
        double[] tightest = {0, 0}; // largest value / bound, from differences and with the envelope
        for (long seed = 1; seed <= 3; seed++) {
            TruePeakLimiter lim = limiter(true);
            lim.probe = (fromDifferences, withEnvelope, stageOneMax, gate) -> {
                counts[0]++;
                // the proofs: neither bound is below what the detector computed
                assertTrue(stageOneMax <= fromDifferences, () -> stageOneMax + " above its bound " + fromDifferences);
                assertTrue(stageOneMax <= withEnvelope, () -> stageOneMax + " above its bound " + withEnvelope);
                double bound = Math.min(fromDifferences, withEnvelope);
                if (bound <= gate) {
                    counts[1]++;
                    assertTrue(stageOneMax <= gate); // what the skip relies on
                    if (bound > 0.98 * gate) counts[2]++;
                } else if (bound <= 1.02 * gate) {
                    counts[3]++;
                }
                tightest[0] = Math.max(tightest[0], stageOneMax / fromDifferences);
                tightest[1] = Math.max(tightest[1], stageOneMax / withEnvelope);
            };
            TruePeakLimiterSteadyTest.run(lim, material(seed), new int[] {4096}, true);
        }
        assertTrue(counts[0] > 1000 && counts[1] > 300, () -> java.util.Arrays.toString(counts));
        assertTrue(counts[2] > 10 && counts[3] > 10, () -> "the margin not exercised: " + java.util.Arrays.toString(counts));
        // not vacuous: the bounds come within a fifth of what the detector reads on some stretch
        assertTrue(tightest[0] > 0.8 && tightest[1] > 0.8, () -> java.util.Arrays.toString(tightest));
    }

    @Test
    void skippingGivesTheBitsOfTheFullDetector() {
        int[][] blockSets = {{4096}, {1, 64, 1000, 4096, 13}, {256}, {255, 257}};
        for (long seed = 1; seed <= 2; seed++) {
            float[][] x = material(seed);
            for (int[] blocks : blockSets) {
                for (boolean inPlace : new boolean[] {true, false}) {
                    TruePeakLimiter full = limiter(true);
                    TruePeakLimiter skipping = limiter(false);
                    float[][] expected = TruePeakLimiterSteadyTest.run(full, x, blocks, inPlace);
                    float[][] actual = TruePeakLimiterSteadyTest.run(skipping, x, blocks, inPlace);
                    for (int c = 0; c < expected.length; c++) {
                        assertArrayEquals(expected[c], actual[c], "seed " + seed + " channel " + c);
                    }
                    assertEquals(0, full.boundSkips);
                    assertTrue(skipping.boundSkips > 200, () -> "skips " + skipping.boundSkips);
                    assertTrue(skipping.minGain() < 0.8f, "the material is limited");
                }
            }
        }
    }

    @Test
    void theFirstDifferenceWeightIsAttainedAndNeverExceeded() {
        Random rnd = new Random(5);
        int filters = TruePeakLimiter.shortFilterCount();
        double[] perX = new double[filters];
        double[] perD1 = new double[filters];
        for (int f = 0; f < filters; f++) {
            float[] t = TruePeakLimiter.shortFilter(f);
            int n = t.length;
            double least = Double.MAX_VALUE;
            for (int a = 0; a < n; a++) {
                // differences of the partial sums' signs around anchor a, x(a) = 0: the sum by parts is
                // sum_{j>=a} d(j) R(j) - sum_{j<a} d(j) L(j), every term |R| or |L|
                double[] x = new double[n];
                for (int j = a; j < n - 1; j++) {
                    double r = 0;
                    for (int k = j + 1; k < n; k++) r += t[k];
                    x[j + 1] = x[j] + Math.signum(r);
                }
                for (int j = a - 1; j >= 0; j--) {
                    double l = 0;
                    for (int k = 0; k <= j; k++) l += t[k];
                    x[j] = x[j + 1] + Math.signum(l); // d(j) = x(j+1) - x(j) = -sign(L(j))
                }
                double y = 0;
                for (int k = 0; k < n; k++) y += t[k] * x[k];
                least = Math.min(least, Math.abs(y));
            }
            assertEquals(least, DifferenceBound.firstDifferenceWeight(t), 1e-12, "filter " + f);
            perX[f] = Math.abs(sum(t));
            perD1[f] = least;
            // and the bound holds for the float readings of random inputs, smooth and rough
            for (int trial = 0; trial < 2000; trial++) {
                float[] x = new float[n];
                double step = trial % 2 == 0 ? 0.05 : 1.0;
                x[0] = (float) rnd.nextGaussian();
                for (int k = 1; k < n; k++) x[k] = (float) (x[k - 1] + step * rnd.nextGaussian());
                float loud = 0, d1 = 0;
                for (int k = 0; k < n; k++) loud = Math.max(loud, Math.abs(x[k]));
                for (int k = 0; k + 1 < n; k++) d1 = Math.max(d1, Math.abs(x[k + 1] - x[k]));
                float y = 0;
                for (int k = 0; k < n; k++) y += t[k] * x[k]; // tap by tap in float, as the detector sums
                assertTrue(Math.abs(y) <= TruePeakLimiter.shortBoundOf(loud, d1), "filter " + f + " trial " + trial);
            }
        }
        // the short bound is the attained weights' bound (plus its rounding allowance, under 3e-5), never less
        for (float[] ld : new float[][] {{1f, 0.1f}, {0.5f, 0.5f}, {0.9f, 0.02f}, {0.3f, 0.6f}, {1f, 0f}}) {
            double expected = ld[0];
            for (int f = 0; f < filters; f++) expected = Math.max(expected, perX[f] * ld[0] + perD1[f] * ld[1]);
            double bound = TruePeakLimiter.shortBoundOf(ld[0], ld[1]);
            assertTrue(bound >= expected && bound <= expected * (1 + 3e-5) + 3e-5 * ld[0], bound + " against " + expected);
        }
    }

    private static double sum(float[] t) {
        double s = 0;
        for (float v : t) s += v;
        return s;
    }

    /**
     * The high band's bound by parts twice: an input whose second differences take the signs of the second partial
     * sums (x(0) = x(1) = 0) reads the second-difference weight (to its tiny end terms), and no input reads more than
     * the bound.
     */
    @Test
    void theHighPassBoundIsAttainedAndNeverExceeded() {
        float[] h = TruePeakLimiter.highPassTaps();
        int n = h.length;
        double[] c2 = new double[n];
        double c1 = 0, acc = 0;
        for (int k = 0; k < n; k++) {
            c1 += h[k];
            acc += c1;
            c2[k] = acc;
        }
        double[] x = new double[n];
        double d = 0;
        for (int j = 0; j + 2 < n; j++) { // e(j) = x(j+2) - 2 x(j+1) + x(j) = sign(c2(j))
            d += Math.signum(c2[j]);
            x[j + 2] = x[j + 1] + d;
        }
        double y = 0;
        double loud = 0, d1 = 0;
        for (int k = 0; k < n; k++) {
            y += h[k] * x[k];
            loud = Math.max(loud, Math.abs(x[k]));
            if (k + 1 < n) d1 = Math.max(d1, Math.abs(x[k + 1] - x[k]));
        }
        double bound = TruePeakLimiter.HP_PER_X * loud + TruePeakLimiter.HP_PER_D1 * d1 + TruePeakLimiter.HP_PER_D2;
        assertTrue(Math.abs(y) <= bound, y + " above " + bound);
        assertTrue(Math.abs(y) >= 0.95 * TruePeakLimiter.HP_PER_D2, y + " far under the weight " + TruePeakLimiter.HP_PER_D2);
        Random rnd = new Random(9);
        for (int trial = 0; trial < 2000; trial++) {
            float[] v = new float[n];
            double step = trial % 2 == 0 ? 0.05 : 1.0;
            v[0] = (float) rnd.nextGaussian();
            for (int k = 1; k < n; k++) v[k] = (float) (v[k - 1] + step * rnd.nextGaussian());
            float m = 0, e1 = 0, e2 = 0;
            for (int k = 0; k < n; k++) m = Math.max(m, Math.abs(v[k]));
            for (int k = 0; k + 1 < n; k++) e1 = Math.max(e1, Math.abs(v[k + 1] - v[k]));
            for (int k = 0; k + 2 < n; k++) e2 = Math.max(e2, Math.abs((v[k + 2] - v[k + 1]) - (v[k + 1] - v[k])));
            float out = 0;
            for (int k = 0; k < n; k++) out += h[k] * v[k]; // tap by tap in float, as BlockFir sums
            double b = (TruePeakLimiter.HP_PER_X * m + TruePeakLimiter.HP_PER_D1 * e1 + TruePeakLimiter.HP_PER_D2 * e2)
                    * TruePeakLimiter.BOUND_SLACK;
            assertTrue(Math.abs(out) <= b, "trial " + trial);
        }
    }
}
