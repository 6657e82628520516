package org.stemroom.core.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The meter's skip of stretches whose differences prove that they cannot beat the peak found so far (core's
 * {@link DifferenceBound} of the interpolation phases): (1) on every stretch of music-like material whose level
 * sweeps up and down, bright and dull, the bound is at least every value a plain float evaluation of the phases
 * computes there, and comes within a fifth of it somewhere; (2) with the skip, every channel's reading is that of the
 * meter without it and of the plain evaluation, bit for bit, at several block sizes, while the skip ran on many
 * stretches and stretches within 2 % of the best so far occurred on both sides of it; (3) the bound is built from
 * the least first-difference weights of the phases, which inputs whose differences take the signs of the partial
 * sums attain exactly (fails with a halved weight).
 */
class TruePeakMeterBoundTest {
    private static final int RATE = 48_000;
    private static final int TAPS = TruePeakMeter.TAPS;

    /**
     * Four channels, 6 s: a low-passed random walk, three harmonics and a 7 kHz partial, whose level rises from -20 dB
     * to 0 dB re full scale and falls back with a 4 Hz tremolo of 2 dB on top; white-noise bursts every 0.7 s, a
     * near-Nyquist tone (0.46 fs) in one stretch, silence in another; channel 2 quieter, channel 3 inverted.
     */
    static float[][] material(long seed) {
        int n = RATE * 6;
        float[][] x = new float[4][n];
        Random rnd = new Random(seed);
        double[] lp = new double[4];
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            double db = -20 + 20 * Math.sin(Math.PI * t / 6) + 2 * Math.sin(2 * Math.PI * 4 * t);
            double level = Math.pow(10, db / 20);
            boolean burst = (i % 33_600) < 1_200;
            boolean nyquist = t > 4.1 && t < 4.3;
            boolean silent = t > 4.6 && t < 4.8;
            for (int c = 0; c < 4; c++) {
                lp[c] += 0.02 * (rnd.nextGaussian() - lp[c]);
                double v = 0.35 * Math.sin(2 * Math.PI * 110 * (c + 1) * t + c) + 0.2 * Math.sin(2 * Math.PI * 330 * t)
                        + 0.1 * Math.sin(2 * Math.PI * 7_000 * t + c) + 2.0 * lp[c];
                if (burst) v += 0.3 * rnd.nextGaussian();
                if (nyquist) v = 0.5 * Math.sin(2 * Math.PI * 0.46 * i + c);
                v *= silent ? 0 : level * (c == 2 ? 0.3 : c == 3 ? -1 : 1);
                x[c][i] = (float) v;
            }
        }
        return x;
    }

    /** Phases 1..3 of output i (reading h[i .. i + TAPS)), each a float sum tap by tap from zero: the largest |value|. */
    private static float plainPeak(float[][] ph, float[] h, int i) {
        float m = 0;
        for (int p = 1; p < ph.length; p++) {
            float acc = 0f;
            for (int j = 0; j < TAPS; j++) acc += ph[p][j] * h[i + j];
            m = Math.max(m, Math.abs(acc));
        }
        return m;
    }

    /** All four phases everywhere in float (phase 0 as the samples themselves): the reading the meter must give. */
    private static float plainReading(float[] x) {
        float[][] ph = TruePeakMeter.interpolationPhases();
        float[] h = new float[TAPS - 1 + x.length];
        System.arraycopy(x, 0, h, TAPS - 1, x.length);
        float m = 0;
        for (float v : x) m = Math.max(m, Math.abs(v));
        for (int i = 0; i < x.length; i++) m = Math.max(m, plainPeak(ph, h, i));
        return m;
    }

    @Test
    void theBoundCoversEveryValueOfEveryStretch() {
        float[][] ph = TruePeakMeter.interpolationPhases();
        int stretch = 256;
        int stretches = 0;
        double tightest = 0;
        for (long seed = 1; seed <= 2; seed++) {
            for (float[] x : material(seed)) {
                float[] h = new float[TAPS - 1 + x.length];
                System.arraycopy(x, 0, h, TAPS - 1, x.length);
                for (int s0 = 0; s0 < x.length; s0 += stretch) {
                    int s1 = Math.min(x.length, s0 + stretch);
                    float loud = 0, d1 = 0, value = 0;
                    for (int k = s0; k < s1 + TAPS - 1; k++) loud = Math.max(loud, Math.abs(h[k]));
                    for (int k = s0; k + 1 < s1 + TAPS - 1; k++) d1 = Math.max(d1, Math.abs(h[k + 1] - h[k]));
                    for (int i = s0; i < s1; i++) value = Math.max(value, plainPeak(ph, h, i));
                    double bound = TruePeakMeter.boundOf(loud, d1);
                    float v = value;
                    assertTrue(v <= bound, () -> v + " above its bound " + bound);
                    if (loud > 0) tightest = Math.max(tightest, value / bound);
                    stretches++;
                }
            }
        }
        assertTrue(stretches > 4000, "stretches " + stretches);
        double t = tightest;
        assertTrue(t > 0.8, () -> "the bound is far above every value: " + t);
    }

    @Test
    void skippingGivesTheBitsOfTheFullMeter() {
        for (long seed = 1; seed <= 2; seed++) {
            float[][] x = material(seed);
            float[] want = new float[x.length];
            for (int c = 0; c < x.length; c++) want[c] = plainReading(x[c]);
            for (int block : new int[] {4096, 256, 1000, 255, 7}) {
                int[] margin = new int[2]; // bounds within 2 % under the best so far (skipped), within 2 % over it
                TruePeakMeter skipping = new TruePeakMeter(x.length, block);
                TruePeakMeter full = new TruePeakMeter(x.length, block);
                full.boundSkipOff = true;
                skipping.probe = (bound, best) -> {
                    if (bound <= best && bound > 0.98 * best) margin[0]++;
                    if (bound > best && bound <= 1.02 * best) margin[1]++;
                };
                int n = x[0].length;
                for (int off = 0; off < n; off += block) {
                    skipping.process(x, off, Math.min(block, n - off));
                    full.process(x, off, Math.min(block, n - off));
                }
                for (int c = 0; c < x.length; c++) {
                    assertEquals(full.peak(c), skipping.peak(c), 0.0, "seed " + seed + " block " + block + " channel " + c);
                    assertEquals(want[c], (float) skipping.peak(c), 0f, "plain, channel " + c);
                }
                assertEquals(0, full.boundSkips);
                long skips = skipping.boundSkips;
                assertTrue(skips > 200, () -> "skips " + skips);
                assertTrue(margin[0] > 5 && margin[1] > 5, () -> "the margin not exercised: " + Arrays.toString(margin));
            }
        }
    }

    @Test
    void theBoundIsBuiltFromTheAttainedFirstDifferenceWeights() {
        float[][] ph = TruePeakMeter.interpolationPhases();
        double[] perX = new double[ph.length];
        double[] perD1 = new double[ph.length];
        for (int p = 1; p < ph.length; p++) {
            float[] t = ph[p];
            int n = t.length;
            double least = Double.MAX_VALUE;
            for (int a = 0; a < n; a++) {
                // x(a) = 0 and the differences take the signs of the partial sums around a: the sum by parts is
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
                    x[j] = x[j + 1] + Math.signum(l);
                }
                double y = 0;
                for (int k = 0; k < n; k++) y += t[k] * x[k];
                least = Math.min(least, Math.abs(y));
            }
            assertEquals(least, DifferenceBound.firstDifferenceWeight(t), 1e-12, "phase " + p);
            double sum = 0;
            for (float v : t) sum += v;
            perX[p] = Math.abs(sum);
            perD1[p] = least;
        }
        // the meter's bound is the attained weights' bound plus its rounding allowance (under 3e-5), never less
        for (float[] ld : new float[][] {{1f, 0.1f}, {0.5f, 0.5f}, {0.9f, 0.02f}, {0.3f, 0.6f}, {1f, 0f}, {1e-30f, 1e-31f}}) {
            double expected = ld[0];
            for (int p = 1; p < ph.length; p++) expected = Math.max(expected, perX[p] * ld[0] + perD1[p] * ld[1]);
            double bound = TruePeakMeter.boundOf(ld[0], ld[1]);
            assertTrue(bound >= expected && bound <= expected * (1 + 3e-5) + 3e-5 * ld[0] + 1e-40,
                    bound + " against " + expected);
        }
    }
}
