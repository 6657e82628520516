package org.stemroom.core.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RealFft against a direct DFT evaluated in double precision, for powers of two (JTransforms' split radix),
 * sizes {@code p x 2^m} with p = 3..15 (our radix-p pass over JTransforms sub-transforms, down to sub-transforms
 * of 2 points) and sizes JTransforms handles by its mixed-radix or Bluestein code (1000 = 125 x 8, 34 = 17 x 2).
 *
 * <p>Tolerances, for unit-variance Gaussian input: the RMS error over all bins, relative to the RMS of the exact
 * spectrum, at most 2e-7 x log2(n) (float epsilon is 6e-8; an FFT's error grows with the number of passes); the
 * round trip and the inverse of a random spectrum the same, relative to the RMS of the exact signal.
 */
class RealFftTest {

    static final int[] SIZES = {2, 4, 6, 8, 10, 12, 14, 18, 20, 24, 30, 34, 44, 48, 64, 96, 192, 384, 640, 1000,
        1024, 1536, 3072, 4096, 5120, 6144, 7168, 12288};

    static double tolerance(int n) {
        return 2e-7 * Math.max(1, Math.log(n) / Math.log(2));
    }

    /** cos and sin of 2 pi q / n for q = 0..n-1, in double. */
    static double[][] unitRoots(int n) {
        double[] c = new double[n];
        double[] s = new double[n];
        for (int q = 0; q < n; q++) {
            c[q] = Math.cos(2 * Math.PI * q / n);
            s[q] = Math.sin(2 * Math.PI * q / n);
        }
        return new double[][] {c, s};
    }

    static float[] gaussian(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    @Test
    void forwardMatchesDirectDftForEverySize() {
        for (int n : SIZES) {
            float[] x = gaussian(n, n);
            RealFft fft = new RealFft(n);
            float[] re = new float[fft.bins()];
            float[] im = new float[fft.bins()];
            fft.forward(x, re, im);
            double[][] w = unitRoots(n);
            double err = 0, ref = 0;
            for (int k = 0; k < fft.bins(); k++) {
                double sr = 0, si = 0;
                for (int t = 0; t < n; t++) {
                    int q = (int) ((long) k * t % n);
                    sr += x[t] * w[0][q];
                    si -= x[t] * w[1][q];
                }
                err += sq(sr - re[k]) + sq(si - im[k]);
                ref += sr * sr + si * si;
            }
            double rel = Math.sqrt(err / ref);
            assertTrue(rel <= tolerance(n), "n=" + n + ": relative RMS error " + rel + " > " + tolerance(n));
        }
    }

    /**
     * Inverse of a random one-sided spectrum against the direct inverse DFT of its Hermitian extension: the
     * imaginary parts of DC and Nyquist are set and must be ignored, as documented.
     */
    @Test
    void inverseMatchesDirectDftForEverySize() {
        for (int n : SIZES) {
            RealFft fft = new RealFft(n);
            float[] re = gaussian(fft.bins(), 7 * n);
            float[] im = gaussian(fft.bins(), 11 * n);
            float[] y = new float[n];
            fft.inverse(re, im, y);
            double[][] w = unitRoots(n);
            int half = n / 2;
            double err = 0, ref = 0;
            for (int t = 0; t < n; t++) {
                double s = re[0] + ((t & 1) == 0 ? re[half] : -re[half]);
                for (int k = 1; k < half; k++) {
                    int q = (int) ((long) k * t % n);
                    s += 2 * (re[k] * w[0][q] - im[k] * w[1][q]);
                }
                s /= n;
                err += sq(s - y[t]);
                ref += s * s;
            }
            double rel = Math.sqrt(err / ref);
            assertTrue(rel <= tolerance(n), "n=" + n + ": relative RMS error " + rel + " > " + tolerance(n));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 6, 30, 64, 1000, 6144, 16384})
    void roundTripWithOffsets(int n) {
        float[] x = gaussian(n + 5, n);
        RealFft fft = new RealFft(n);
        float[] re = new float[fft.bins()];
        float[] im = new float[fft.bins()];
        fft.forward(x, 5, re, im);
        float[] back = new float[n + 3];
        fft.inverse(re, im, back, 3);
        double err = 0, ref = 0;
        for (int i = 0; i < n; i++) {
            err += sq(x[5 + i] - back[3 + i]);
            ref += sq(x[5 + i]);
        }
        assertTrue(Math.sqrt(err / ref) <= tolerance(n), "n=" + n + ": " + Math.sqrt(err / ref));
        assertTrue(back[0] == 0f && back[1] == 0f && back[2] == 0f, "wrote before the offset");
    }

    /** The unscaled inverse times inverseScale() is the scaled inverse, bit for bit (what the STFT's synthesis uses). */
    @Test
    void unscaledInverseTimesItsScaleIsTheInverseBitForBit() {
        for (int n = 4; n <= 16384; n *= 2) {
            RealFft fft = new RealFft(n);
            assertTrue(fft.powerOfTwo());
            float[] re = new float[fft.bins()], im = new float[fft.bins()];
            fft.forward(gaussian(n, n), re, im);
            im[0] = 0.25f; // ignored by both, as the imaginary part of Nyquist
            im[n / 2] = -0.5f;
            float[] want = new float[n], got = new float[n];
            fft.inverse(re, im, want);
            fft.inverseUnscaled(re, im, got);
            float scale = fft.inverseScale();
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(want[i]),
                        Float.floatToIntBits(got[i] * scale), "n " + n + " sample " + i);
            }
        }
        assertFalse(new RealFft(6144).powerOfTwo());
        assertThrows(IllegalStateException.class,
                () -> new RealFft(6144).inverseUnscaled(new float[3073], new float[3073], new float[6144]));
    }

    /** The same instance gives the same bits on every call: no state leaks from one transform into the next. */
    @Test
    void repeatedCallsAreIdentical() {
        for (int n : new int[] {6144, 4096, 30}) {
            RealFft fft = new RealFft(n);
            float[] x = gaussian(n, 3);
            float[] re1 = new float[fft.bins()], im1 = new float[fft.bins()];
            float[] re2 = new float[fft.bins()], im2 = new float[fft.bins()];
            fft.forward(x, re1, im1);
            fft.forward(gaussian(n, 4), re2, im2);
            fft.forward(x, re2, im2);
            assertArrayEquals(re1, re2);
            assertArrayEquals(im1, im2);
            float[] y1 = new float[n], y2 = new float[n];
            fft.inverse(re1, im1, y1);
            fft.inverse(im1, re1, y2);
            fft.inverse(re1, im1, y2);
            assertArrayEquals(y1, y2);
        }
    }

    @Test
    void forwardAndInverseAllocateNothing() {
        for (int n : new int[] {6144, 4096}) {
            RealFft fft = new RealFft(n);
            float[] x = gaussian(n, 1);
            float[] re = new float[fft.bins()], im = new float[fft.bins()];
            Runnable calls = () -> {
                for (int i = 0; i < 200; i++) {
                    fft.forward(x, re, im);
                    fft.inverse(re, im, x);
                }
            };
            // fewest of three measurements: a compilation finishing mid-run may allocate once on this thread; an
            // allocation in forward or inverse would show in every measurement (400 calls)
            long bytes = Long.MAX_VALUE;
            for (int k = 0; k < 3; k++) bytes = Math.min(bytes, AllocationMeter.measure(calls, 5));
            assertTrue(bytes == 0, "n=" + n + ": " + bytes + " bytes allocated");
        }
    }

    static double sq(double v) { return v * v; }
}
