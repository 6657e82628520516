package org.stemroom.core.dsp;

/**
 * Inverse real FFT of a power-of-two size {@code n >= 256}, two spectra at a time, written for C2's vectorizer.
 * TRIED AND DROPPED in session 16 (README, separation's speed work): it ties JTransforms at 4096 points. Its output is the
 * inverse of {@link RealFft#inverseUnscaled} to float round-off, not bit for bit: a different order of operations.
 *
 * <p>Why: JTransforms' split-radix code is scalar (C2 vectorizes none of its loops) and its inverse transforms were
 * about a quarter of the model-free separation's time (six 4096-point inverses per stereo frame). C2 (Java 17) packs
 * only loops whose array accesses share one index expression ({@code a[t], b[t]}, never {@code x[o + t]} beside
 * {@code y[t]}), and a loop over 32 floats runs mostly in its scalar pre- and post-loops; so every butterfly here
 * combines whole rows held as separate arrays, and the rows hold both spectra side by side (lane 0 then lane 1) so
 * that they are 64 and 128 floats long at 4096 points. The room's {@code SplitRealFft} (radix 2, one transform,
 * rows of 32 at this size) ties JTransforms at 4096 points for the same reasons.
 *
 * <p>The algorithm, per lane, for {@code M = n/2} complex points:
 * <ul>
 *   <li>The half-length spectrum {@code Z[k] = (X[k] + conj X[M-k]) + i (X[k] - conj X[M-k]) e^(2 pi i k / n)},
 *       k = 0..M-1 (the mirror copied out in reverse first, so that the arithmetic is one loop over k); its
 *       inverse DFT is {@code n (x[2m] + i x[2m+1])}. The imaginary parts of DC and Nyquist are ignored.</li>
 *   <li>The inverse DFT is the forward one with real and imaginary parts swapped. Forward DFT of {@code M = R C}
 *       points, four steps: {@code Z[C r + c]} in {@code R} rows of {@code C}; the {@code R}-point DFTs over the
 *       row index by radix-2 decimation-in-frequency passes in place (a radix-4 butterfly of eight rows is not
 *       vectorized by C2 17: measured), each butterfly combining
 *       four whole rows with scalar twiddles (the rows end in digit-reversed order: a table says which row holds
 *       which bin {@code q}); the twiddle {@code e^(-2 pi i q c / M)} as a row times a row; a transpose into
 *       {@code C} rows of {@code R} (the one scalar pass); the {@code C}-point DFTs over that row index the same
 *       way. Bin {@code q + R s} is element {@code q} of the row holding {@code s}.</li>
 * </ul>
 * Twiddles are computed in double and rounded once to float. Instances own scratch memory and are not thread-safe;
 * nothing is allocated after construction.
 */
public final class RowInverseFft {
    /** Spectra transformed together: the rows' lanes. */
    public static final int LANES = 2;
    /** Smallest size: below it the rows are too short for the vector loops. */
    public static final int MIN_SIZE = 256;

    private final int n, m, rows, cols;
    /** Four-step input / first pass: {@code rows} rows of {@code LANES * cols}. */
    private final float[][] aRe, aIm;
    /** Transposed / second pass: {@code cols} rows of {@code LANES * rows}. */
    private final float[][] bRe, bIm;
    /** The first pass's row position holding bin q, and the second's holding bin s. */
    private final int[] posA, posB;
    /** e^(-2 pi i q c / M) for bin q of the first pass, as a row of {@code LANES * cols} (both lanes). */
    private final float[][] twRe, twIm;
    /** The passes' butterfly twiddles: per pass (block length), W_len^j, W_len^2j, W_len^3j for j < len/4. */
    private final float[][] passA, passB;
    /** e^(2 pi i k / n), k < M, for the half-length spectrum. */
    private final float[] halfCos, halfSin;
    /** Half-length spectrum scratch ({@code M} each), the mirror ({@code X[M-k]}) in reverse. */
    private final float[] zRe, zIm, revRe, revIm;

    public RowInverseFft(int n) {
        if (n < MIN_SIZE || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("row inverse FFT size must be a power of two >= " + MIN_SIZE + ": " + n);
        }
        this.n = n;
        this.m = n / 2;
        int log = Integer.numberOfTrailingZeros(m);
        this.rows = 1 << (log / 2);      // R: e.g. 32 at n = 4096
        this.cols = m / rows;            // C: 64
        aRe = new float[rows][LANES * cols];
        aIm = new float[rows][LANES * cols];
        bRe = new float[cols][LANES * rows];
        bIm = new float[cols][LANES * rows];
        posA = positions(rows);
        posB = positions(cols);
        passA = passTwiddles(rows);
        passB = passTwiddles(cols);
        twRe = new float[rows][LANES * cols];
        twIm = new float[rows][LANES * cols];
        for (int q = 0; q < rows; q++) {
            for (int c = 0; c < cols; c++) {
                double a = -2 * Math.PI * ((long) q * c % m) / m;
                for (int l = 0; l < LANES; l++) {
                    twRe[q][l * cols + c] = (float) Math.cos(a);
                    twIm[q][l * cols + c] = (float) Math.sin(a);
                }
            }
        }
        halfCos = new float[m];
        halfSin = new float[m];
        for (int k = 0; k < m; k++) {
            double a = 2 * Math.PI * k / n;
            halfCos[k] = (float) Math.cos(a);
            halfSin[k] = (float) Math.sin(a);
        }
        zRe = new float[m];
        zIm = new float[m];
        revRe = new float[m];
        revIm = new float[m];
    }

    public int size() { return n; }

    /**
     * Row position of each bin after the in-place radix-2 passes over {@code len} rows (bit reversal): a block of
     * length {@code len} leaves bin {@code j + 2 b'} at position {@code j len/2 + p'}, where the sub-block's position
     * {@code p'} holds its bin {@code b'}.
     */
    static int[] positions(int len) {
        int[] binAt = binAt(len);
        int[] pos = new int[len];
        for (int p = 0; p < len; p++) pos[binAt[p]] = p;
        return pos;
    }

    private static int[] binAt(int len) {
        int[] b = new int[len];
        if (len == 1) return b;
        int half = len / 2;
        int[] sub = binAt(half);
        for (int p = 0; p < len; p++) b[p] = p / half + 2 * sub[p % half];
        return b;
    }

    /** Per pass (block lengths len, len/2, ... while >= 2): cos and sin of W_len^j, j < len/2, interleaved. */
    private static float[][] passTwiddles(int len) {
        float[][] t = new float[Integer.numberOfTrailingZeros(len)][];
        int i = 0;
        for (int l = len; l >= 2; l /= 2, i++) {
            int half = l / 2;
            t[i] = new float[2 * half];
            for (int j = 0; j < half; j++) {
                double a = -2 * Math.PI * j / l;
                t[i][2 * j] = (float) Math.cos(a);
                t[i][2 * j + 1] = (float) Math.sin(a);
            }
        }
        return t;
    }

    /**
     * Inverse transforms of the one-sided spectra {@code (re0, im0)} and {@code (re1, im1)} ({@code n/2 + 1} bins
     * each): afterwards {@link #sample}{@code (lane, i)} is {@code n} times sample {@code i} of the inverse. The
     * imaginary parts of DC and Nyquist are ignored. A lane whose spectrum is not needed may be given the other's.
     */
    public void inverse(float[] re0, float[] im0, float[] re1, float[] im1) {
        halfSpectrum(re0, im0, 0);
        halfSpectrum(re1, im1, 1);
        // the inverse DFT is the forward one of the swapped parts, swapped back: the passes take (aIm, aRe) as
        // (real, imaginary), and the result's real parts are left in bRe
        passes(aIm, aRe, rows, LANES * cols, passA);
        twiddle();
        transpose();
        passes(bIm, bRe, cols, LANES * rows, passB);
    }

    /**
     * The last inverse of lane {@code lane} (x, n times the signal) overlap-added: {@code acc[base + t] += (x[t] *
     * scale) * window[t]} for every {@code t < n} (scalar: Java 17 vectorizes no loop that widens float to double).
     */
    public void overlapAdd(int lane, float scale, float[] window, double[] acc, int base) {
        final int r = rows;
        final int off = lane * r;
        for (int s = 0; s < cols; s++) {
            float[] xr = bRe[posB[s]], xi = bIm[posB[s]];
            int t0 = 2 * r * s;
            for (int q = 0; q < r; q++) {
                int t = t0 + 2 * q;
                acc[base + t] += (xr[off + q] * scale) * window[t];
                acc[base + t + 1] += (xi[off + q] * scale) * window[t + 1];
            }
        }
    }

    /** Sample {@code i} of lane {@code lane}'s last inverse, times {@code n} (for tests). */
    public float sample(int lane, int i) {
        int mm = i >> 1;
        int s = mm / rows, q = mm % rows;
        float[] row = (i & 1) == 0 ? bRe[posB[s]] : bIm[posB[s]];
        return row[lane * rows + q];
    }

    /** Z of one lane into the first pass's rows (the passes read them swapped). */
    private void halfSpectrum(float[] re, float[] im, int lane) {
        final int mm = m;
        for (int k = 0; k < mm; k++) {
            revRe[k] = re[mm - k];
            revIm[k] = im[mm - k];
        }
        halfLoop(re, im, revRe, revIm, halfCos, halfSin, zRe, zIm, mm);
        // k = 0 with the imaginary parts of DC and Nyquist taken as zero
        float x0 = re[0], xm = re[mm];
        zRe[0] = x0 + xm;
        zIm[0] = x0 - xm; // i (X[0] - X[M]) e^0: purely imaginary
        int c = cols;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(zRe, r * c, aRe[r], lane * c, c);
            System.arraycopy(zIm, r * c, aIm[r], lane * c, c);
        }
    }

    private static void halfLoop(float[] re, float[] im, float[] rre, float[] rim, float[] cos, float[] sin,
                                 float[] zr, float[] zi, int len) {
        for (int k = 0; k < len; k++) {
            float ar = re[k], ai = im[k], br = rre[k], bi = rim[k];
            // E = X[k] + conj X[M-k], D = X[k] - conj X[M-k], O = D e^(2 pi i k / n), Z = E + i O
            float er = ar + br, ei = ai - bi;
            float dr = ar - br, di = ai + bi;
            float or = dr * cos[k] - di * sin[k];
            float oi = dr * sin[k] + di * cos[k];
            zr[k] = er - oi;
            zi[k] = ei + or;
        }
    }

    /** In-place radix-2 DIF passes over {@code len} rows of {@code w} floats. */
    private static void passes(float[][] re, float[][] im, int len, int w, float[][] tw) {
        int pass = 0;
        for (int l = len; l >= 2; l /= 2, pass++) {
            int half = l / 2;
            float[] t = tw[pass];
            for (int g = 0; g < len; g += l) {
                int a = g, b = g + half;
                butterfly(re[a], im[a], re[b], im[b], w);
                for (int j = 1; j < half; j++) {
                    butterfly(re[a + j], im[a + j], re[b + j], im[b + j], t[2 * j], t[2 * j + 1], w);
                }
            }
        }
    }

    private static void butterfly(float[] ar, float[] ai, float[] br, float[] bi, int w) {
        for (int t = 0; t < w; t++) {
            float x0r = ar[t], x0i = ai[t], x1r = br[t], x1i = bi[t];
            ar[t] = x0r + x1r;
            ai[t] = x0i + x1i;
            br[t] = x0r - x1r;
            bi[t] = x0i - x1i;
        }
    }

    /** Radix-2 DIF butterfly, the difference times W^j = (wr, wi). */
    private static void butterfly(float[] ar, float[] ai, float[] br, float[] bi, float wr, float wi, int w) {
        for (int t = 0; t < w; t++) {
            float x0r = ar[t], x0i = ai[t], x1r = br[t], x1i = bi[t];
            float dr = x0r - x1r, di = x0i - x1i;
            ar[t] = x0r + x1r;
            ai[t] = x0i + x1i;
            br[t] = dr * wr - di * wi;
            bi[t] = dr * wi + di * wr;
        }
    }

    /** The four-step twiddle on the first pass's rows (the swapped parts: the DFT runs on (aIm, aRe)). */
    private void twiddle() {
        int w = LANES * cols;
        for (int q = 1; q < rows; q++) {
            int p = posA[q];
            rowTimes(aIm[p], aRe[p], twRe[q], twIm[q], w);
        }
    }

    private static void rowTimes(float[] xr, float[] xi, float[] cr, float[] ci, int w) {
        for (int t = 0; t < w; t++) {
            float a = xr[t], b = xi[t];
            xr[t] = a * cr[t] - b * ci[t];
            xi[t] = a * ci[t] + b * cr[t];
        }
    }

    /** Element c of lane l of the row holding q (first pass) to element q of lane l of row c (second pass). */
    private void transpose() {
        final int r = rows, c = cols;
        for (int q = 0; q < r; q++) {
            int p = posA[q];
            float[] sr = aRe[p], si = aIm[p];
            for (int l = 0; l < LANES; l++) {
                int so = l * c, to = l * r + q;
                for (int j = 0; j < c; j++) {
                    bRe[j][to] = sr[so + j];
                    bIm[j][to] = si[so + j];
                }
            }
        }
    }
}
