package org.stemroom.core.loudness;

import java.util.Arrays;

/**
 * A short FIR filter evaluated over a block, the high-pass kernel of the master stage's true-peak limiter:
 * {@code out[j] = sum_k taps[k] * x[first + j + k]} for {@code j} in {@code [0, count)}, each sum taken tap by tap
 * from zero in float (the same rounding whatever the blocking, so callers may change how they cut their blocks
 * without changing a bit).
 *
 * <p>Tap by tap over the block: the input shifted by the tap is copied into a scratch array, then multiplied into
 * the outputs. Why the copy: C2 (Java 17) vectorizes {@code o[i] += t * s[i]} but not {@code o[i] += t * x[i + k]},
 * since {@code o} and {@code x} might be one array. The true-peak meter ({@code TruePeakMeter.interpolate}) and the
 * limiter's short filters do the same, sharing each copy between several filters.
 *
 * <p>BlockFirTest holds the result to one plain tap-by-tap sum per output, bit for bit.
 */
public final class BlockFir {
    private BlockFir() { }

    /** {@code scratch} holds at least {@code count} floats; its contents are overwritten. */
    public static void filter(float[] taps, float[] x, int first, float[] out, int count, float[] scratch) {
        Arrays.fill(out, 0, count, 0f);
        for (int k = 0; k < taps.length; k++) {
            System.arraycopy(x, first + k, scratch, 0, count);
            multiplyAdd(taps[k], scratch, out, count);
        }
    }

    /** o[i] += t * x[i] for i in [0, len). */
    private static void multiplyAdd(float t, float[] x, float[] o, int len) {
        for (int i = 0; i < len; i++) o[i] += t * x[i];
    }
}
