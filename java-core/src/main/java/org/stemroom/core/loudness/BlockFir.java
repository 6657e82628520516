package org.stemroom.core.loudness;

import java.util.Arrays;

/**
 * A short FIR filter evaluated over a block, the high-pass kernel of the master stage's true-peak limiter:
 * {@code out[j] = sum_k taps[k] * x[first + j + k]} for {@code j} in {@code [0, count)}, each sum taken tap by tap
 * from zero in float (the same rounding whatever the blocking, so callers may change how they cut their blocks
 * without changing a bit).
 *
 * <p>Over the block, a few taps per pass: the input shifted by each tap is copied into a scratch row, then the
 * rows are multiplied into the outputs, four taps per pass and in tap order ({@link #accumulate}: a quarter of the
 * loads and stores of the sums that one tap per pass takes, the same additions in the same order). Why the copies:
 * C2 (Java 17) vectorizes {@code o[i] += t * s[i]} but not {@code o[i] += t * x[i + k]}, since {@code o} and
 * {@code x} might be one array. The true-peak meter ({@code TruePeakMeter.interpolate}) copies the same way, and
 * the limiter's short filters share their rows through {@link #accumulate}.
 *
 * <p>BlockFirTest holds the result to one plain tap-by-tap sum per output, bit for bit.
 */
public final class BlockFir {
    /** Scratch rows {@link #filter} needs. */
    public static final int ROWS = 4;

    private BlockFir() { }

    /** {@code scratch} holds at least {@link #ROWS} rows of at least {@code count} floats; they are overwritten. */
    public static void filter(float[] taps, float[] x, int first, float[] out, int count, float[][] scratch) {
        Arrays.fill(out, 0, count, 0f);
        for (int k = 0; k < taps.length; k += ROWS) {
            int n = Math.min(ROWS, taps.length - k);
            for (int j = 0; j < n; j++) System.arraycopy(x, first + k + j, scratch[j], 0, count);
            accumulate(taps, k, n, scratch, 0, out, count);
        }
    }

    /**
     * {@code out[i] += taps[k0 + j] * rows[r0 + j][i]} for {@code j = 0 .. n-1} in that order, each product added
     * on its own ({@code ((out + p0) + p1) + ...} in float), for {@code i} in {@code [0, count)}.
     */
    public static void accumulate(float[] taps, int k0, int n, float[][] rows, int r0, float[] out, int count) {
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            multiplyAdd4(taps[k0 + j], taps[k0 + j + 1], taps[k0 + j + 2], taps[k0 + j + 3], rows[r0 + j],
                    rows[r0 + j + 1], rows[r0 + j + 2], rows[r0 + j + 3], out, count);
        }
        for (; j < n; j++) multiplyAdd(taps[k0 + j], rows[r0 + j], out, count);
    }

    /** o[i] += t * x[i] for i in [0, len). */
    private static void multiplyAdd(float t, float[] x, float[] o, int len) {
        for (int i = 0; i < len; i++) o[i] += t * x[i];
    }

    /** o[i] = (((o[i] + a * xa[i]) + b * xb[i]) + c * xc[i]) + d * xd[i] for i in [0, len). */
    private static void multiplyAdd4(float a, float b, float c, float d, float[] xa, float[] xb, float[] xc, float[] xd,
                                     float[] o, int len) {
        for (int i = 0; i < len; i++) o[i] = (((o[i] + a * xa[i]) + b * xb[i]) + c * xc[i]) + d * xd[i];
    }
}
