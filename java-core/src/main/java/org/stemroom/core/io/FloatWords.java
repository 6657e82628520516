package org.stemroom.core.io;

/**
 * The per-sample loops of 32-bit float WAV data between the file's words (an int array in file order, interleaved)
 * and planar float channels, as small static leaf methods. The launcher has C2 compile these two loops on the short
 * {@code convolve} jobs that otherwise run on C1 (see {@code org.stemroom.room.EngineLoops} and the launcher): the
 * read-ahead and write-behind threads spend most of their time here.
 */
final class FloatWords {

    private FloatWords() { }

    /**
     * {@code d[off + f] = w[q + f * stride]} as floats, {@code f < n}; returns a value whose sign bit is set when some
     * sample is NaN or infinite (its exponent bits all ones: adding one exponent step then carries into the sign).
     */
    static int toFloats(int[] w, int q, int stride, float[] d, int off, int n) {
        int bad = 0;
        for (int f = 0; f < n; f++, q += stride) {
            int bits = w[q];
            bad |= (bits & 0x7F800000) + 0x00800000;
            d[off + f] = Float.intBitsToFloat(bits);
        }
        return bad;
    }

    /**
     * {@code s[q + i * stride] = } the bits of {@code x[from + i]}, {@code i < n}; returns the largest magnitude as
     * bits ({@code bits & 0x7FFFFFFF}: for finite floats the order of those bits is the order of the values; a
     * NaN or infinite sample makes it {@code >= 0x7F800000}).
     */
    static int fromFloats(float[] x, int from, int n, int[] s, int q, int stride) {
        int peak = 0;
        for (int i = 0; i < n; i++, q += stride) {
            int b = Float.floatToRawIntBits(x[from + i]);
            peak = Math.max(peak, b & 0x7FFFFFFF);
            s[q] = b;
        }
        return peak;
    }
}
