package org.stemroom.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.dsp.RealFft;

/**
 * SplitRealFft (the convolution engine's own power-of-two real FFT) against a direct DFT evaluated in double
 * precision and against RealFft (JTransforms), at every power of two from 4 to 131072 with the own path forced
 * (the sizes below {@link SplitRealFft#MIN_OWN_SIZE} that production hands to RealFft included, so the algorithm's
 * small cases are covered too).
 *
 * <p>Tolerances, for unit-variance Gaussian input, are RealFftTest's: the RMS error over the bins compared,
 * relative to the RMS of the exact spectrum, at most 2e-7 x log2(n) (float epsilon is 6e-8; an FFT's error grows
 * with the number of passes); the same for the round trip and for the inverse of a random spectrum, relative to
 * the RMS of the exact signal. The direct DFT is evaluated at every bin up to 4096 points and at 67 bins (DC,
 * Nyquist, their neighbours and a spread) above, to keep the test fast.
 */
class SplitRealFftTest {

    static double tolerance(int n) {
        return 2e-7 * Math.max(1, Math.log(n) / Math.log(2));
    }

    static float[] gaussian(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    /** Bins checked against the direct DFT: all for small sizes, else DC, Nyquist, their neighbours and a spread. */
    static int[] bins(int n) {
        int half = n / 2;
        if (n <= 4096) {
            int[] all = new int[half + 1];
            for (int k = 0; k <= half; k++) all[k] = k;
            return all;
        }
        int[] b = new int[67];
        int i = 0;
        for (int k : new int[] {0, 1, 2, half / 2 - 1, half / 2, half / 2 + 1, half - 1}) b[i++] = k;
        b[i++] = half;
        Random rnd = new Random(n);
        while (i < b.length) b[i++] = 3 + rnd.nextInt(half - 6);
        return b;
    }

    @Test
    void forwardMatchesDirectDft() {
        for (int n = 4; n <= 131072; n *= 2) {
            float[] x = gaussian(n, n);
            SplitRealFft fft = new SplitRealFft(n, true);
            float[] re = new float[fft.bins()];
            float[] im = new float[fft.bins()];
            fft.forward(x, re, im);
            double err = 0, ref = 0;
            for (int k : bins(n)) {
                double sr = 0, si = 0;
                for (int t = 0; t < n; t++) {
                    double a = -2 * Math.PI * ((long) k * t % n) / n;
                    sr += x[t] * Math.cos(a);
                    si += x[t] * Math.sin(a);
                }
                err += (sr - re[k]) * (sr - re[k]) + (si - im[k]) * (si - im[k]);
                ref += sr * sr + si * si;
            }
            double rel = Math.sqrt(err / ref);
            assertTrue(rel <= tolerance(n), "n=" + n + ": relative error " + rel);
            assertTrue(im[0] == 0f && im[n / 2] == 0f, "n=" + n + ": DC and Nyquist are real");
        }
    }

    @Test
    void forwardMatchesJTransformsAndProductionSizesAgree() {
        for (int n = 4; n <= 131072; n *= 2) {
            float[] x = gaussian(n, 7 * n);
            RealFft ref = new RealFft(n);
            float[] rr = new float[n / 2 + 1], ri = new float[n / 2 + 1];
            ref.forward(x, rr, ri);
            SplitRealFft own = new SplitRealFft(n, true);
            float[] re = new float[n / 2 + 1], im = new float[n / 2 + 1];
            own.forward(x, re, im);
            double err = 0, e2 = 0;
            for (int k = 0; k <= n / 2; k++) {
                err += (re[k] - rr[k]) * (double) (re[k] - rr[k]) + (im[k] - ri[k]) * (double) (im[k] - ri[k]);
                e2 += rr[k] * (double) rr[k] + ri[k] * (double) ri[k];
            }
            assertTrue(Math.sqrt(err / e2) <= tolerance(n), "n=" + n + ": against JTransforms " + Math.sqrt(err / e2));
            // the public constructor: own path from MIN_OWN_SIZE, RealFft's bits below it
            SplitRealFft prod = new SplitRealFft(n);
            float[] pr = new float[n / 2 + 1], pi = new float[n / 2 + 1];
            prod.forward(x, pr, pi);
            assertArrayEquals(n < SplitRealFft.MIN_OWN_SIZE ? rr : re, pr, "n=" + n);
            assertArrayEquals(n < SplitRealFft.MIN_OWN_SIZE ? ri : im, pi, "n=" + n);
        }
    }

    @Test
    void inverseMatchesDirectInverseDftAndRoundTrips() {
        for (int n = 4; n <= 131072; n *= 2) {
            int half = n / 2;
            SplitRealFft fft = new SplitRealFft(n, true);
            // a random one-sided spectrum; the imaginary parts of DC and Nyquist are set and must be ignored
            float[] re = gaussian(half + 1, 3 * n), im = gaussian(half + 1, 5 * n);
            float[] y = new float[n];
            fft.inverse(re, im, y);
            Random rnd = new Random(n);
            int checks = Math.min(n, 64);
            double err = 0, ref = 0;
            for (int c = 0; c < checks; c++) {
                int t = n <= 64 ? c : rnd.nextInt(n);
                // x[t] = (1/n) (X[0] + (-1)^t X[N] + 2 sum_{k=1}^{N-1} Re(X[k] e^(2 pi i k t / n)))
                double s = re[0] + ((t & 1) == 0 ? re[half] : -re[half]);
                for (int k = 1; k < half; k++) {
                    double a = 2 * Math.PI * ((long) k * t % n) / n;
                    s += 2 * (re[k] * Math.cos(a) - im[k] * Math.sin(a));
                }
                s /= n;
                err += (s - y[t]) * (s - y[t]);
                ref += s * s;
            }
            double rel = Math.sqrt(err / ref);
            assertTrue(rel <= tolerance(n), "n=" + n + ": inverse relative error " + rel);

            float[] x = gaussian(n, 11 * n);
            float[] xr = new float[half + 1], xi = new float[half + 1];
            fft.forward(x, xr, xi);
            float[] back = new float[n];
            fft.inverse(xr, xi, back);
            double e2 = 0, r2 = 0;
            for (int t = 0; t < n; t++) {
                e2 += (back[t] - x[t]) * (double) (back[t] - x[t]);
                r2 += x[t] * (double) x[t];
            }
            assertTrue(Math.sqrt(e2 / r2) <= tolerance(n), "n=" + n + ": round trip " + Math.sqrt(e2 / r2));
        }
    }

    /** The convolver's ring entry points give exactly the bits of forward/inverse on the unwrapped samples. */
    @Test
    void ringEntryPointsEqualThePlainTransformsBitForBit() {
        for (int n : new int[] {256, 4096, 8192, 32768}) {
            for (boolean own : new boolean[] {false, true}) {
                SplitRealFft fft = new SplitRealFft(n, own);
                int ringLength = 2 * n;
                float[] ring = gaussian(ringLength, n + 1);
                int start = ringLength - n / 2 - 2; // wraps
                float[] flat = new float[n];
                for (int j = 0; j < n; j++) flat[j] = ring[(start + j) & (ringLength - 1)];
                float[] re = new float[n / 2 + 1], im = new float[n / 2 + 1];
                float[] re2 = new float[n / 2 + 1], im2 = new float[n / 2 + 1];
                fft.forward(flat, re, im);
                fft.forwardRing(ring, start, ringLength - 1, re2, im2, new float[n]);
                assertArrayEquals(re, re2, "n=" + n + " own=" + own);
                assertArrayEquals(im, im2, "n=" + n + " own=" + own);

                float[] y = new float[n];
                fft.inverse(re, im, y);
                float[] acc = gaussian(ringLength, n + 2);
                float[] expect = acc.clone();
                int dst = ringLength - 3;
                for (int t = 0; t < n / 2; t++) expect[(dst + t) & (ringLength - 1)] += y[n / 2 + t];
                fft.inverseAddSecondHalf(re, im, acc, dst, ringLength - 1, new float[n]);
                assertArrayEquals(expect, acc, "n=" + n + " own=" + own);
            }
        }
    }

    /**
     * A batch of B transforms gives each one exactly the bits of that transform made alone by a single instance, forward
     * and inverse, for every B from 1 to 8 and counts below the batch (the last batch of a signal), at the separation's
     * STFT sizes (2,048-8,192: docs/render-speed-history.md, session 33), the engine's smallest own size and a few small
     * ones whose rows are a point or two long; and the batched inverse of the batched forward returns each input within
     * the single transform's round-trip tolerance (2e-7 x log2 n relative RMS).
     */
    @Test
    void batchesGiveEachTransformTheBitsOfTheSingleOneAndRoundTrip() {
        for (int n : new int[] {4, 8, 16, 64, 512, 2048, 4096, 8192, 16384}) {
            int bins = n / 2 + 1;
            SplitRealFft single = new SplitRealFft(n, true);
            for (int batch = 1; batch <= 8; batch++) {
                SplitRealFft fft = SplitRealFft.batched(n, batch);
                for (int count : batch > 2 ? new int[] {batch, batch - 1, 1} : new int[] {batch}) {
                    float[][] x = new float[count][], re = new float[count][bins], im = new float[count][bins];
                    float[][] back = new float[count][n];
                    for (int b = 0; b < count; b++) x[b] = gaussian(n, 31L * n + 7 * batch + b);
                    fft.forward(x, re, im, 0, count);
                    fft.inverse(re, im, 0, count, back);
                    for (int b = 0; b < count; b++) {
                        String at = "n=" + n + " batch=" + batch + " count=" + count + " b=" + b;
                        float[] sr = new float[bins], si = new float[bins], sy = new float[n];
                        single.forward(x[b], sr, si);
                        assertArrayEquals(sr, re[b], at);
                        assertArrayEquals(si, im[b], at);
                        single.inverse(sr, si, sy);
                        assertArrayEquals(sy, back[b], at);
                        double e2 = 0, r2 = 0;
                        for (int t = 0; t < n; t++) {
                            e2 += (back[b][t] - x[b][t]) * (double) (back[b][t] - x[b][t]);
                            r2 += x[b][t] * (double) x[b][t];
                        }
                        assertTrue(Math.sqrt(e2 / r2) <= tolerance(n), at + ": round trip " + Math.sqrt(e2 / r2));
                    }
                }
            }
        }
    }

    /**
     * The batch's inverse reads each spectrum's own bins only, and its forward each frame's own samples: a batch whose
     * other members hold NaN and infinities still gives the finite member the bits of its single transform.
     */
    @Test
    void aBatchMemberIsNotTouchedByTheOthers() {
        int n = 4096, bins = n / 2 + 1;
        SplitRealFft fft = SplitRealFft.batched(n, 6);
        float[][] re = new float[6][bins], im = new float[6][bins], y = new float[6][n];
        for (int b = 0; b < 6; b++) {
            java.util.Arrays.fill(re[b], b % 2 == 0 ? Float.NaN : Float.POSITIVE_INFINITY);
            java.util.Arrays.fill(im[b], Float.NEGATIVE_INFINITY);
        }
        re[3] = gaussian(bins, 5);
        im[3] = gaussian(bins, 6);
        fft.inverse(re, im, 0, 6, y);
        float[] alone = new float[n];
        new SplitRealFft(n, true).inverse(re[3], im[3], alone);
        assertArrayEquals(alone, y[3]);
        // and from an offset into the spectra: frames 2..4 as a batch of three
        fft.inverse(re, im, 2, 3, y);
        assertArrayEquals(alone, y[1]);

        // the forward (the separation's mixture analysis): frame 3 among NaN and infinities, into spectra from offset 2
        for (int b = 0; b < 6; b++) java.util.Arrays.fill(y[b], b % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY);
        y[3] = gaussian(n, 7);
        float[][] specRe = new float[8][bins], specIm = new float[8][bins];
        fft.forward(y, specRe, specIm, 2, 6);
        float[] aloneRe = new float[bins], aloneIm = new float[bins];
        new SplitRealFft(n, true).forward(y[3], aloneRe, aloneIm);
        assertArrayEquals(aloneRe, specRe[5]);
        assertArrayEquals(aloneIm, specIm[5]);
        // the spectra outside [2, 8) are not written
        assertArrayEquals(new float[bins], specRe[1]);
        assertArrayEquals(new float[bins], specIm[1]);
    }

    @Test
    void batchedFormsCheckTheirCount() {
        SplitRealFft fft = SplitRealFft.batched(4096, 4);
        float[][] x = new float[5][4096], re = new float[5][2049], im = new float[5][2049];
        assertThrows(IllegalArgumentException.class, () -> fft.forward(x, re, im, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> fft.inverse(re, im, 0, 0, x));
        assertThrows(IllegalArgumentException.class, () -> SplitRealFft.batched(4096, 0));
        assertThrows(IllegalStateException.class, () -> new SplitRealFft(4096).inverse(re, im, 0, 1, x));
    }

    @Test
    void rejectsSizesThatAreNotPowersOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new SplitRealFft(2));
        assertThrows(IllegalArgumentException.class, () -> new SplitRealFft(6144));
    }
}
