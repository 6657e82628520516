package org.stemroom.room;

/**
 * The convolution engine's hot loops ({@link SplitRealFft}'s butterflies, splits and row copies, the spectral
 * multiply-accumulate, the output ring's clearing, {@link ConvolutionRender}'s wet/dry mix), each a small static
 * leaf method of one loop.
 *
 * <p>Why they are a class of their own: C2 (Java 17) vectorizes each of these loops, C1 does not, and on a short job
 * C2 costs more than it saves when it compiles everything the job runs (see the {@code stemroom} launcher).
 * Holding exactly the loops that pay for C2 in one class lets the launcher give C2 these methods and nothing
 * else: {@code -XX:CompileCommand=CompileThresholdScaling,org.stemroom.room.EngineLoops::*,...} with C2's global
 * thresholds out of reach. Each method is a leaf that C1-compiled callers call (the launcher's {@code dontinline}
 * keeps C1 from inlining the one under its 35-byte limit, {@link #reversed}), and each is a few dozen bytecodes,
 * which C2 compiles in about 10-50 ms. Under ordinary tiered compilation C2 inlines them into their callers as
 * before.
 *
 * <p>The arithmetic of every element is written exactly as it was inside the callers (same operations, same
 * order), so moving the loops here changed no output bit.
 */
final class EngineLoops {

    private EngineLoops() { }

    /** {@code (a, b) = (a + b, a - b)}, element by element, {@code t < e}. */
    static void sumDifference(float[] a, float[] b, int e) {
        for (int t = 0; t < e; t++) {
            float x = a[t], y = b[t];
            a[t] = x + y;
            b[t] = x - y;
        }
    }

    /** {@code (re + i im) *= (wr + i wi)}, element by element, {@code t < e}. */
    static void rotate(float[] re, float[] im, float wr, float wi, int e) {
        for (int t = 0; t < e; t++) {
            float r = re[t], i = im[t];
            re[t] = r * wr - i * wi;
            im[t] = r * wi + i * wr;
        }
    }

    /** {@code (re + i im) *= (c + i s)}, element by element, {@code t < e}. */
    static void rotate(float[] re, float[] im, float[] c, float[] s, int e) {
        for (int t = 0; t < e; t++) {
            float r = re[t], i = im[t];
            re[t] = r * c[t] - i * s[t];
            im[t] = r * s[t] + i * c[t];
        }
    }

    /** {@code dst[n1][k2 + j] = s_j[from + n1]} for {@code j < 4}, {@code n1 < e}. */
    static void transpose4(float[] s0, float[] s1, float[] s2, float[] s3, int from, float[][] dst, int k2, int e) {
        for (int n1 = 0; n1 < e; n1++) {
            float[] d = dst[n1];
            int s = from + n1;
            d[k2] = s0[s];
            d[k2 + 1] = s1[s];
            d[k2 + 2] = s2[s];
            d[k2 + 3] = s3[s];
        }
    }

    /** {@code dst[k] = src[end - k]} for {@code from <= k < to}. */
    static void reversed(float[] src, int end, float[] dst, int from, int to) {
        for (int k = from; k < to; k++) dst[k] = src[end - k];
    }

    /** Deinterleaves {@code e} pairs from {@code x[i..]}: {@code a[o + t] = x[i + 2t]}, {@code b[o + t] = x[i + 2t + 1]}. */
    static void deinterleave(float[] x, int i, float[] a, float[] b, int o, int e) {
        for (int t = o; t < o + e; t++, i += 2) {
            a[t] = x[i];
            b[t] = x[i + 1];
        }
    }

    /** {@link #deinterleave} from a ring: {@code a[t] = ring[(i + 2t) & mask]}, {@code b[t] = ring[(i + 2t + 1) & mask]}. */
    static void deinterleaveRing(float[] ring, int i, int mask, float[] a, float[] b, int e) {
        for (int t = 0; t < e; t++, i += 2) {
            a[t] = ring[i & mask];
            b[t] = ring[(i + 1) & mask];
        }
    }

    /** Interleaves {@code e} pairs into {@code x[i..]}: {@code x[i + 2t] = a[o + t]}, {@code x[i + 2t + 1] = b[o + t]}. */
    static void interleave(float[] a, float[] b, int o, float[] x, int i, int e) {
        for (int t = o; t < o + e; t++, i += 2) {
            x[i] = a[t];
            x[i + 1] = b[t];
        }
    }

    /** Adds {@code e} interleaved pairs into a ring: {@code ring[(i + 2t) & mask] += a[t]}, {@code ring[(i + 2t + 1) & mask] += b[t]}. */
    static void interleaveAddRing(float[] a, float[] b, float[] ring, int i, int mask, int e) {
        for (int t = 0; t < e; t++, i += 2) {
            ring[i & mask] += a[t];
            ring[(i + 1) & mask] += b[t];
        }
    }

    /**
     * The real part of the real spectrum from the half-length complex one ({@link SplitRealFft}'s forward):
     * {@code re[k] = (E + W^k O).re} from {@code Z = (pr, pi)}, its reverse {@code (rr, ri)} and {@code W^k = (c, s)}.
     */
    static void splitRe(float[] pr, float[] pi, float[] rr, float[] ri, float[] c, float[] s, float[] re, int nh) {
        for (int k = 0; k < nh; k++) {
            re[k] = 0.5f * ((pr[k] + rr[k]) + c[k] * (pi[k] + ri[k]) - s[k] * (rr[k] - pr[k]));
        }
    }

    /** The imaginary part, as {@link #splitRe}. */
    static void splitIm(float[] pr, float[] pi, float[] rr, float[] ri, float[] c, float[] s, float[] im, int nh) {
        for (int k = 0; k < nh; k++) {
            im[k] = 0.5f * ((pi[k] - ri[k]) + c[k] * (rr[k] - pr[k]) + s[k] * (pi[k] + ri[k]));
        }
    }

    /**
     * The real part of the half-length complex spectrum from a real one ({@link SplitRealFft}'s inverse): {@code zr[k]}
     * from {@code X = (pr, pi)}, its reverse {@code (rr, ri)}, {@code W^k = (c, s)} and the scale {@code h}.
     */
    static void mergeRe(float[] pr, float[] pi, float[] rr, float[] ri, float[] c, float[] s, float h, float[] zr, int nh) {
        for (int k = 0; k < nh; k++) {
            zr[k] = h * ((pr[k] + rr[k]) - (c[k] * (pi[k] + ri[k]) - s[k] * (pr[k] - rr[k])));
        }
    }

    /** The imaginary part, as {@link #mergeRe}. */
    static void mergeIm(float[] pr, float[] pi, float[] rr, float[] ri, float[] c, float[] s, float h, float[] zi, int nh) {
        for (int k = 0; k < nh; k++) {
            zi[k] = h * ((pi[k] - ri[k]) + (c[k] * (pr[k] - rr[k]) + s[k] * (pi[k] + ri[k])));
        }
    }

    /** {@code y = x * h} (complex, bin by bin, {@code k < bins}): the first product of an accumulation. */
    static void multiply(float[] xr, float[] xi, float[] hr, float[] hi, float[] yr, float[] yi, int bins) {
        for (int k = 0; k < bins; k++) {
            float ar = xr[k];
            float ai = xi[k];
            yr[k] = ar * hr[k] - ai * hi[k];
            yi[k] = ar * hi[k] + ai * hr[k];
        }
    }

    /** {@code y[i] = g * x[i]}, {@code i < n}. */
    static void scale(float[] x, float g, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = g * x[i];
    }

    /** {@code y[i] += g * x[i]}, {@code i < n}. */
    static void addScaled(float[] x, float g, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] += g * x[i];
    }

    /** {@code a[from..to-1] = 0}: {@code Arrays.fill}, whose loop C1 compiles with profiling in this mode. */
    static void clear(float[] a, int from, int to) {
        for (int i = from; i < to; i++) a[i] = 0f;
    }

    /**
     * The largest {@code bits & 0x7FFFFFFF} of {@code x[0..n-1]}: the peak magnitude's bits for finite samples, 0x7F800000
     * or more when some sample is NaN or infinite (the IR check of {@link RoomIrLoader}).
     */
    static int peakBits(float[] x, int n) {
        int peak = 0;
        for (int i = 0; i < n; i++) peak = Math.max(peak, Float.floatToRawIntBits(x[i]) & 0x7FFFFFFF);
        return peak;
    }

    /** {@code y += x * h} (complex, bin by bin, {@code k < bins}). */
    static void multiplyAdd(float[] xr, float[] xi, float[] hr, float[] hi, float[] yr, float[] yi, int bins) {
        for (int k = 0; k < bins; k++) {
            float ar = xr[k];
            float ai = xi[k];
            yr[k] += ar * hr[k] - ai * hi[k];
            yi[k] += ar * hi[k] + ai * hr[k];
        }
    }
}
