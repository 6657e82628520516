package org.stemroom.core.dsp;

import org.jtransforms.fft.FloatFFT_1D;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * Real FFT of a fixed even size with spectra in split layout: separate real and imaginary arrays of
 * {@code n/2 + 1} bins. Split arrays let the JIT vectorize complex multiply-accumulate loops (about 4x faster
 * than JTransforms' interleaved layout for convolution). {@code inverse(forward(x)) == x}: the 1/n scale is
 * applied by the inverse.
 *
 * <p>Sizes {@code p x 2^m} with a small odd factor {@code p} (3 to 15; e.g. 6144 = 3 x 2048, the MDX-Net STFT)
 * are split by one decimation-in-time step into {@code p} real FFTs of the power of two {@code L = n/p}, done by
 * JTransforms' split-radix code, and one radix-{@code p} combination pass: {@code X[k] = sum_r W^(rk) X_r[k mod L]}
 * with {@code W = e^(-2 pi i / n)}. JTransforms' own mixed-radix path for such sizes measured 4.5x slower than
 * its power-of-two path at the next larger size (StftBench: 6144 points 343 us, 8192 points 77 us). Powers of
 * two and all other sizes go to JTransforms directly.
 *
 * <p>Instances own scratch memory and are not thread-safe; create one per processor in {@code prepare}.
 * {@code forward} and {@code inverse} do not allocate.
 */
public final class RealFft {
    static {
        // JTransforms would otherwise fork into its own thread pool for large sizes: that allocates per call
        // and competes with our own, deterministic, parallelism. stemroom parallelises at a higher level.
        ConcurrencyUtils.setNumberOfThreads(1);
    }

    /** Largest odd factor split off by the radix-p pass; beyond it the O(n p) pass costs more than it saves. */
    private static final int MAX_ODD_FACTOR = 15;

    private final int size;
    /** Odd factor p of the radix-p pass, 1 when JTransforms transforms the whole size. */
    private final int radix;
    /** Power-of-two sub-transform length {@code size / radix} (= size when radix is 1). */
    private final int sub;
    private final FloatFFT_1D fft;
    /** radix == 1: JTransforms' packed work array. Otherwise: p packed sub-spectra of {@code sub} floats each. */
    private final float[][] work;
    /** Full (both halves) sub-spectra of the p sub-sequences, split re/im, {@code [r][sub]}. */
    private final float[][] subRe;
    private final float[][] subIm;
    /** cos and sin of {@code 2 pi r k / n} for r = 1..p-1 (index r-1) and k = 0..n/2. */
    private final float[][] cos;
    private final float[][] sin;
    /** The same for k = 0..n-1 (the inverse sums over the whole Hermitian spectrum), and that spectrum's scratch. */
    private final float[][] fullCos;
    private final float[][] fullSin;
    private final float[] fullRe;
    private final float[] fullIm;

    public RealFft(int size) {
        if (size < 2 || (size & 1) != 0) throw new IllegalArgumentException("FFT size must be even and >= 2: " + size);
        this.size = size;
        int odd = size >>> Integer.numberOfTrailingZeros(size);
        this.radix = odd > 1 && odd <= MAX_ODD_FACTOR ? odd : 1;
        this.sub = size / radix;
        this.fft = new FloatFFT_1D(sub);
        this.work = new float[radix][sub];
        if (radix == 1) {
            subRe = subIm = cos = sin = fullCos = fullSin = null;
            fullRe = fullIm = null;
            return;
        }
        subRe = new float[radix][sub];
        subIm = new float[radix][sub];
        int half = size / 2;
        fullCos = new float[radix - 1][size];
        fullSin = new float[radix - 1][size];
        for (int r = 1; r < radix; r++) {
            for (int k = 0; k < size; k++) {
                // (r k) mod n keeps the angle small, so the double evaluation is exact to float rounding
                double a = 2 * Math.PI * (((long) r * k) % size) / size;
                fullCos[r - 1][k] = (float) Math.cos(a);
                fullSin[r - 1][k] = (float) Math.sin(a);
            }
        }
        cos = fullCos; // the forward pass reads k = 0..n/2 of the same tables
        sin = fullSin;
        fullRe = new float[size];
        fullIm = new float[size];
    }

    public int size() { return size; }

    /** Number of bins of the one-sided spectrum: n/2 + 1. */
    public int bins() { return size / 2 + 1; }

    /** Forward transform of {@code n} samples from {@code time[offset..]} into {@code re}/{@code im}. */
    public void forward(float[] time, int offset, float[] re, float[] im) {
        if (radix == 1) {
            float[] w = work[0];
            System.arraycopy(time, offset, w, 0, size);
            fft.realForward(w);
            unpackHalf(w, size, re, im);
            return;
        }
        forwardRadix(time, offset, re, im);
    }

    public void forward(float[] time, float[] re, float[] im) {
        forward(time, 0, re, im);
    }

    /**
     * Inverse transform of the one-sided spectrum {@code re}/{@code im} into {@code n} samples at
     * {@code time[offset..]}, scaled by 1/n. The imaginary parts of DC and Nyquist are ignored.
     */
    public void inverse(float[] re, float[] im, float[] time, int offset) {
        if (radix == 1) {
            float[] w = work[0];
            packHalf(re, im, size, w);
            fft.realInverse(w, true);
            System.arraycopy(w, 0, time, offset, size);
            return;
        }
        inverseRadix(re, im, time, offset);
    }

    public void inverse(float[] re, float[] im, float[] time) {
        inverse(re, im, time, 0);
    }

    /**
     * Forward transform in place, spectrum interleaved: {@code data} (at least {@code n + 2} long) holds {@code n}
     * samples on entry and bins 0..n/2 as {@code data[2k] = Re X[k], data[2k+1] = Im X[k]} on return, the same
     * values, bit for bit, as {@link #forward}. For callers that process a spectrum in a few passes and transform
     * it back ({@link #inverseInterleaved}): they skip the split layout's copy in and out of JTransforms' packed
     * one (measured in the upmixer's STFT, on the C1 compiler: about 4 % of a 1-minute job). Powers of two only.
     */
    public void forwardInterleaved(float[] data) {
        requireInterleaved(data);
        fft.realForward(data);
        // JTransforms packs Re X[n/2] into slot 1 (X[0] and X[n/2] are real): move it to its own bin
        data[size] = data[1];
        data[size + 1] = 0f;
        data[1] = 0f;
    }

    /**
     * Inverse of {@link #forwardInterleaved} in place, <em>unscaled</em>: {@code data[0..n)} receives the signal
     * times {@code 1 / }{@link #inverseScale()}; the caller multiplies each sample by {@code inverseScale()} (in a
     * pass it makes anyway), which gives the bits of {@link #inverse}. The imaginary parts of DC and Nyquist are
     * ignored. Powers of two only.
     */
    public void inverseInterleaved(float[] data) {
        requireInterleaved(data);
        data[1] = data[size];
        fft.realInverse(data, false);
    }

    /**
     * {@link #inverse} of the split spectrum {@code re}/{@code im} into {@code time[0..n)}, <em>unscaled</em> like
     * {@link #inverseInterleaved}: times {@link #inverseScale()} it gives the bits of {@link #inverse}. For callers that
     * pass over the frame anyway (the STFT's overlap-add): it saves the scaling pass and a copy. Powers of two only.
     */
    public void inverseUnscaled(float[] re, float[] im, float[] time) {
        if (Integer.bitCount(size) != 1) throw new IllegalStateException("unscaled inverse needs a power-of-two size, not " + size);
        packHalf(re, im, size, time);
        fft.realInverse(time, false);
    }

    /** Whether {@link #inverseUnscaled} (and the interleaved transforms) can be used: a power-of-two size. */
    public boolean powerOfTwo() {
        return Integer.bitCount(size) == 1;
    }

    /** The factor {@link #inverseInterleaved}'s output needs, 2/n: the one JTransforms' scaled inverse applies. */
    public float inverseScale() {
        return 1.0f / (sub / 2.0f);
    }

    private void requireInterleaved(float[] data) {
        // JTransforms' other plans (mixed radix, Bluestein) scale their inverse differently: keep to split radix
        if (Integer.bitCount(size) != 1) throw new IllegalStateException("interleaved transforms need a power-of-two size, not " + size);
        if (data.length < size + 2) {
            throw new IllegalArgumentException("interleaved spectrum needs " + (size + 2) + " floats, got " + data.length);
        }
    }

    /** JTransforms' packed real spectrum of length {@code n} to split bins 0..n/2. */
    private static void unpackHalf(float[] w, int n, float[] re, float[] im) {
        int half = n / 2;
        re[0] = w[0];
        im[0] = 0f;
        re[half] = w[1];
        im[half] = 0f;
        for (int k = 1; k < half; k++) {
            re[k] = w[2 * k];
            im[k] = w[2 * k + 1];
        }
    }

    /** Split bins 0..n/2 to JTransforms' packed layout (imaginary parts of DC and Nyquist dropped). */
    private static void packHalf(float[] re, float[] im, int n, float[] w) {
        int half = n / 2;
        w[0] = re[0];
        w[1] = re[half];
        for (int k = 1; k < half; k++) {
            w[2 * k] = re[k];
            w[2 * k + 1] = im[k];
        }
    }

    private void forwardRadix(float[] time, int offset, float[] re, float[] im) {
        final int p = radix;
        final int L = sub;
        final int hl = L / 2;
        // decimation in time: sub-sequence r holds x[p n + r]
        for (int r = 0; r < p; r++) {
            float[] w = work[r];
            for (int n = 0, i = offset + r; n < L; n++, i += p) w[n] = time[i];
            fft.realForward(w);
            // both halves of the sub-spectrum (conjugate symmetric), so the combination reads it contiguously
            float[] fr = subRe[r];
            float[] fi = subIm[r];
            fr[0] = w[0];
            fi[0] = 0f;
            fr[hl] = w[1];
            fi[hl] = 0f;
            for (int j = 1; j < hl; j++) {
                float a = w[2 * j];
                float b = w[2 * j + 1];
                fr[j] = a;
                fi[j] = b;
                fr[L - j] = a;
                fi[L - j] = -b;
            }
        }
        // X[k] = X_0[k mod L] + sum_{r>=1} (cos - i sin)(2 pi r k / n) X_r[k mod L], k = 0..n/2, in runs of L bins
        final int half = size / 2;
        for (int base = 0; base <= half; base += L) {
            int count = Math.min(L, half + 1 - base);
            if (p == 3) {
                combine3(base, count, re, im);
                continue;
            }
            System.arraycopy(subRe[0], 0, re, base, count);
            System.arraycopy(subIm[0], 0, im, base, count);
            for (int r = 1; r < p; r++) {
                float[] fr = subRe[r];
                float[] fi = subIm[r];
                float[] c = cos[r - 1];
                float[] s = sin[r - 1];
                for (int j = 0; j < count; j++) {
                    int k = base + j;
                    float a = fr[j];
                    float b = fi[j];
                    re[k] += c[k] * a + s[k] * b;
                    im[k] += c[k] * b - s[k] * a;
                }
            }
        }
        im[0] = 0f;
        im[half] = 0f;
    }

    /**
     * The radix-3 combination of {@link #forwardRadix} for bins {@code base..base+count-1} in one pass: the same
     * operations in the same order as the general loop (X_0, then + the r = 1 term, then + the r = 2 term), so the
     * same bits, without writing and re-reading {@code re}/{@code im} once per term.
     */
    private void combine3(int base, int count, float[] re, float[] im) {
        final float[] f0r = subRe[0], f0i = subIm[0], f1r = subRe[1], f1i = subIm[1], f2r = subRe[2], f2i = subIm[2];
        final float[] c1 = cos[0], s1 = sin[0], c2 = cos[1], s2 = sin[1];
        for (int j = 0; j < count; j++) {
            int k = base + j;
            float a1 = f1r[j], b1 = f1i[j], a2 = f2r[j], b2 = f2i[j];
            float xr = f0r[j];
            float xi = f0i[j];
            xr += c1[k] * a1 + s1[k] * b1;
            xi += c1[k] * b1 - s1[k] * a1;
            xr += c2[k] * a2 + s2[k] * b2;
            xi += c2[k] * b2 - s2[k] * a2;
            re[k] = xr;
            im[k] = xi;
        }
    }

    /**
     * Sub-spectra from the full spectrum: {@code X_r[j] = (1/p) sum_m X[j + mL] W^(-r (j + mL))} for j = 0..L/2,
     * with {@code X[k] = conj(X[n-k])} above n/2, then p inverse real FFTs of L points interleaved back. The
     * Hermitian extension is written out first so that every sum runs over contiguous bins (loops the JIT
     * vectorizes).
     */
    private void inverseRadix(float[] re, float[] im, float[] time, int offset) {
        final int p = radix;
        final int L = sub;
        final int hl = L / 2;
        final int half = size / 2;
        final float[] xr = fullRe;
        final float[] xi = fullIm;
        System.arraycopy(re, 0, xr, 0, half + 1);
        System.arraycopy(im, 0, xi, 0, half + 1);
        xi[0] = 0f; // the imaginary parts of DC and Nyquist are ignored, as by the power-of-two path
        xi[half] = 0f;
        for (int k = half + 1; k < size; k++) {
            xr[k] = re[size - k];
            xi[k] = -im[size - k];
        }
        for (int r = 0; r < p; r++) {
            float[] fr = subRe[r];
            float[] fi = subIm[r];
            if (p == 3) {
                gather3(r, fr, fi);
                continue;
            }
            System.arraycopy(xr, 0, fr, 0, hl + 1);
            System.arraycopy(xi, 0, fi, 0, hl + 1);
            float[] c = r == 0 ? null : fullCos[r - 1];
            float[] sn = r == 0 ? null : fullSin[r - 1];
            for (int m = 0; m < p; m++) {
                int base = m * L;
                if (r == 0) {
                    if (m == 0) continue;
                    for (int j = 0; j <= hl; j++) {
                        fr[j] += xr[base + j];
                        fi[j] += xi[base + j];
                    }
                } else if (m == 0) {
                    // m = 0 replaces the plain copy made above by its twiddled terms
                    for (int j = 0; j <= hl; j++) {
                        fr[j] = xr[j] * c[j] - xi[j] * sn[j];
                        fi[j] = xr[j] * sn[j] + xi[j] * c[j];
                    }
                } else {
                    for (int j = 0; j <= hl; j++) {
                        int k = base + j;
                        fr[j] += xr[k] * c[k] - xi[k] * sn[k];
                        fi[j] += xr[k] * sn[k] + xi[k] * c[k];
                    }
                }
            }
        }
        finishInverse(time, offset);
    }

    /**
     * Sub-spectrum {@code r} of {@link #inverseRadix} for p = 3 in one pass over j: the same terms added in the same
     * order as the general loop (m = 0, 1, 2), so the same bits, without re-reading and re-writing the sub-spectrum
     * once per term.
     */
    private void gather3(int r, float[] fr, float[] fi) {
        final int L = sub;
        final int hl = L / 2;
        final float[] xr = fullRe;
        final float[] xi = fullIm;
        if (r == 0) {
            for (int j = 0; j <= hl; j++) {
                float a = xr[j];
                float b = xi[j];
                a += xr[L + j];
                b += xi[L + j];
                a += xr[2 * L + j];
                b += xi[2 * L + j];
                fr[j] = a;
                fi[j] = b;
            }
            return;
        }
        final float[] c = fullCos[r - 1];
        final float[] sn = fullSin[r - 1];
        for (int j = 0; j <= hl; j++) {
            int k1 = L + j, k2 = 2 * L + j;
            float a = xr[j] * c[j] - xi[j] * sn[j];
            float b = xr[j] * sn[j] + xi[j] * c[j];
            a += xr[k1] * c[k1] - xi[k1] * sn[k1];
            b += xr[k1] * sn[k1] + xi[k1] * c[k1];
            a += xr[k2] * c[k2] - xi[k2] * sn[k2];
            b += xr[k2] * sn[k2] + xi[k2] * c[k2];
            fr[j] = a;
            fi[j] = b;
        }
    }

    /** The p inverse real FFTs of {@link #inverseRadix}'s sub-spectra, scaled by 1/p and interleaved into {@code time}. */
    private void finishInverse(float[] time, int offset) {
        final int p = radix;
        final int L = sub;
        final int hl = L / 2;
        final float scale = 1f / p;
        for (int r = 0; r < p; r++) {
            float[] w = work[r];
            float[] fr = subRe[r];
            float[] fi = subIm[r];
            w[0] = fr[0] * scale;
            w[1] = fr[hl] * scale;
            for (int j = 1; j < hl; j++) {
                w[2 * j] = fr[j] * scale;
                w[2 * j + 1] = fi[j] * scale;
            }
            fft.realInverse(w, true);
            for (int n = 0, i = offset + r; n < L; n++, i += p) time[i] = w[n];
        }
    }
}
