package org.stemroom.core.loudness;

/**
 * A short FIR filter evaluated over a block, the kernel of the master stage's true-peak limiter (the true-peak
 * meter computes the same sums another way, see {@code TruePeakMeter.interpolate}): {@code out[o + j] = sum_k taps[k] * x[first + j + k]} for {@code j} in
 * {@code [0, count)}, each sum taken tap by tap from zero in float (the same rounding whatever the blocking, so
 * callers may change how they cut their blocks without changing a bit).
 *
 * <p>Eight outputs at a time in registers: the input is read once per tap for all eight and nothing is stored
 * until the sums are done. Measured against a loop over the block per tap (which the JIT does not vectorize
 * here, since the tap offset into {@code x} is not a constant): 0.31 against 0.55 CPU-s for 4 phases x 24 taps over
 * a minute of 6 channels at 48 kHz.
 *
 * <p>TruePeakMeterTest and BlockFirTest hold the meter's and this kernel's sums to the same plain evaluation.
 */
public final class BlockFir {
    private BlockFir() { }

    public static void filter(float[] taps, float[] x, int first, float[] out, int o, int count) {
        int len = taps.length;
        int j = 0;
        for (; j + 8 <= count; j += 8) {
            float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
            int b = first + j;
            for (int k = 0; k < len; k++) {
                float t = taps[k];
                int q = b + k;
                a0 += t * x[q];
                a1 += t * x[q + 1];
                a2 += t * x[q + 2];
                a3 += t * x[q + 3];
                a4 += t * x[q + 4];
                a5 += t * x[q + 5];
                a6 += t * x[q + 6];
                a7 += t * x[q + 7];
            }
            out[o + j] = a0;
            out[o + j + 1] = a1;
            out[o + j + 2] = a2;
            out[o + j + 3] = a3;
            out[o + j + 4] = a4;
            out[o + j + 5] = a5;
            out[o + j + 6] = a6;
            out[o + j + 7] = a7;
        }
        for (; j < count; j++) {
            float a = 0f;
            for (int k = 0; k < len; k++) a += taps[k] * x[first + j + k];
            out[o + j] = a;
        }
    }
}
