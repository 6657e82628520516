package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lead's salience from the harmonic grid (where each candidate's harmonics fall, found once per window) against
 * the per-frame harmonic sum it replaced, written out here as the reference: the same bits for every candidate and
 * frame, both forms (two-bin maximum and interpolated), at the recipe's rates and pitch grids, with harmonic limits
 * below, at and above Nyquist and harmonic counts from none to sixty.
 */
class LeadSalienceGridTest {

    /** The per-frame sum of session 15 (LeadStep.harmonicSum): the reference. */
    private static double harmonicSum(float[] a, int bins, double binHz, double f0, double maxHarmonic, int harmonics,
                                      double alpha, boolean interpolate) {
        double s = 0, w = 1;
        for (int h = 1; h <= harmonics; h++) {
            double hz = h * f0;
            if (hz > maxHarmonic) break;
            double pos = hz / binHz;
            int b0 = (int) pos;
            if (b0 + 1 >= bins) break;
            s += w * (interpolate ? a[b0] + (pos - b0) * (a[b0 + 1] - a[b0]) : Math.max(a[b0], a[b0 + 1]));
            w *= alpha;
        }
        return s;
    }

    @Test
    void gridSalienceIsThePerFrameSumBitForBit() {
        Random rnd = new Random(16);
        long compared = 0;
        int[] rates = {44100, 48000, 22050, 96000};
        int[] sizes = {4096, 4096, 2048, 8192};
        for (int r = 0; r < rates.length; r++) {
            int nFft = sizes[r], bins = nFft / 2 + 1;
            double binHz = rates[r] / (double) nFft;
            for (double minHz : new double[] {75, 30, 41.2}) {
                for (int steps : new int[] {5, 3}) {
                    int k = (int) Math.round(12 * steps * Math.log(1400 / minHz) / Math.log(2)) + 1;
                    double[] f0 = new double[k];
                    for (int i = 0; i < k; i++) f0[i] = minHz * Math.pow(2, i / (12.0 * steps));
                    for (double maxHarmonic : new double[] {400, 1000, 5000, rates[r] / 2.0, 1e6}) {
                        for (int harmonics : new int[] {0, 1, 20, 60}) {
                            for (double alpha : new double[] {0.85, 1.0, 0.6}) {
                                compared += compare(rnd, bins, binHz, f0, k, maxHarmonic, harmonics, alpha);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(compared > 500_000, "compared " + compared);
    }

    private static long compare(Random rnd, int bins, double binHz, double[] f0, int k, double maxHarmonic,
                                int harmonics, double alpha) {
        int[] count = new int[k];
        int[] bin = new int[Math.max(k * harmonics, 1)];
        double[] frac = new double[Math.max(k * harmonics, 1)];
        double[] weight = new double[Math.max(harmonics, 1)];
        LeadStep.harmonicGrid(bins, binHz, f0, k, maxHarmonic, harmonics, alpha, count, bin, frac, weight);
        float[] a = new float[bins];
        float[] sal = new float[k];
        long n = 0;
        for (int frame = 0; frame < 2; frame++) {
            // magnitudes over many decades, with exact zeros and equal neighbours (the maximum's ties)
            for (int b = 0; b < bins; b++) {
                double u = rnd.nextDouble();
                a[b] = u < 0.1 ? 0f : u < 0.15 && b > 0 ? a[b - 1] : (float) Math.exp(rnd.nextGaussian() * 6);
            }
            for (boolean interpolate : new boolean[] {false, true}) {
                double mx = interpolate ? LeadStep.salienceInterpolated(a, k, harmonics, count, bin, frac, weight, sal)
                        : LeadStep.salience(a, k, harmonics, count, bin, weight, sal);
                double refMax = 0;
                for (int i = 0; i < k; i++) {
                    double s = harmonicSum(a, bins, binHz, f0[i], maxHarmonic, harmonics, alpha, interpolate);
                    int candidate = i;
                    assertEquals(Float.floatToRawIntBits((float) s), Float.floatToRawIntBits(sal[i]), () -> "candidate "
                            + candidate + " of " + k + ", max " + maxHarmonic + " Hz, " + harmonics + " harmonics");
                    refMax = Math.max(refMax, s);
                    n++;
                }
                assertEquals(Double.doubleToRawLongBits(refMax), Double.doubleToRawLongBits(mx));
            }
        }
        return n;
    }
}
