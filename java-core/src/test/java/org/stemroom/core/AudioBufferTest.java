package org.stemroom.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioBufferTest {
    @Test
    void isZeroTakesBothSignedZerosAndNothingElse() {
        float[] x = new float[64];
        assertTrue(AudioBuffer.isZero(x, 0, 64));
        x[10] = -0f;
        assertTrue(AudioBuffer.isZero(x, 0, 64), "-0 is zero");
        for (float v : new float[] {Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, Float.NaN, Float.POSITIVE_INFINITY, -1f}) {
            x[37] = v;
            assertFalse(AudioBuffer.isZero(x, 0, 64), "sample " + v);
            assertFalse(AudioBuffer.isZero(x, 37, 38), "sample " + v + " alone");
            // the range is half-open: the sample just outside it does not count
            assertTrue(AudioBuffer.isZero(x, 0, 37), "before " + v);
            assertTrue(AudioBuffer.isZero(x, 38, 64), "after " + v);
            x[37] = 0f;
        }
        assertTrue(AudioBuffer.isZero(x, 5, 5), "an empty range");
        x[63] = 0.5f;
        assertFalse(AudioBuffer.isZero(x, 0, 64), "the last sample");
    }

    /**
     * The scan against a row of +0 answers as a test per sample does, for ranges across and within its stretches:
     * runs of +0 and -0 (a -0 is a mismatch of the bits that is still zero), one non-zero sample (the smallest
     * subnormals, NaN, infinities) at every position, ranges of 0-2600 samples at uneven offsets.
     */
    @Test
    void isZeroByStretchesAnswersAsATestPerSample() {
        float[] specials = {Float.MIN_VALUE, -Float.MIN_VALUE, Float.NaN, Float.intBitsToFloat(0xFFC00001),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -2f, Float.MAX_VALUE};
        java.util.Random rnd = new java.util.Random(4);
        float[] x = new float[3000];
        for (int trial = 0; trial < 4000; trial++) {
            java.util.Arrays.fill(x, rnd.nextBoolean() ? 0f : -0f);
            for (int k = 0; k < x.length; k += 1 + rnd.nextInt(40)) x[k] = rnd.nextBoolean() ? 0f : -0f;
            int from = rnd.nextInt(100);
            int to = Math.min(x.length, from + rnd.nextInt(2601));
            if (trial % 2 == 0 && to > 0) x[rnd.nextInt(x.length)] = specials[rnd.nextInt(specials.length)];
            boolean want = true;
            for (int i = from; i < to; i++) if (x[i] != 0f) want = false;
            org.junit.jupiter.api.Assertions.assertEquals(want, AudioBuffer.isZero(x, from, to),
                    "trial " + trial + " [" + from + ", " + to + ")");
        }
        for (int at = 0; at < 2100; at++) {
            java.util.Arrays.fill(x, at % 2 == 0 ? -0f : 0f);
            x[at] = Float.MIN_VALUE;
            assertFalse(AudioBuffer.isZero(x, 0, 2100), "a subnormal at " + at);
            assertTrue(AudioBuffer.isZero(x, at + 1, 2100), "after it");
            assertTrue(AudioBuffer.isZero(x, 0, at), "before it");
        }
    }

    /**
     * isPositiveZero answers as a test of the bits per sample: ranges of 0-2600 samples over runs of +0 with a -0,
     * a subnormal, a NaN (also one whose bits mismatch the row's last) or an infinity somewhere, or nothing.
     */
    @Test
    void isPositiveZeroTakesOnlyTheBitsOfPlusZero() {
        float[] specials = {-0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.NaN, Float.intBitsToFloat(0xFFC00001),
                Float.POSITIVE_INFINITY, 1e-30f, -2f};
        Random rnd = new Random(6);
        float[] x = new float[3000];
        for (int trial = 0; trial < 4000; trial++) {
            java.util.Arrays.fill(x, 0f);
            int from = rnd.nextInt(100);
            int to = Math.min(x.length, from + rnd.nextInt(2601));
            if (trial % 3 != 0) x[rnd.nextInt(x.length)] = specials[rnd.nextInt(specials.length)];
            boolean want = true;
            for (int i = from; i < to; i++) if (Float.floatToRawIntBits(x[i]) != 0) want = false;
            assertEquals(want, AudioBuffer.isPositiveZero(x, from, to), "trial " + trial + " [" + from + ", " + to + ")");
        }
        java.util.Arrays.fill(x, 0f);
        for (int at = 0; at < 2100; at += 7) {
            x[at] = -0f;
            assertFalse(AudioBuffer.isPositiveZero(x, 0, 2100), "a -0 at " + at);
            assertTrue(AudioBuffer.isPositiveZero(x, at + 1, 2100), "after it");
            assertTrue(AudioBuffer.isPositiveZero(x, 0, at), "before it");
            x[at] = 0f;
        }
    }

    /**
     * The peak of a range against a test per sample in double (the plain definition, no vector loop): equal to the
     * bit over every range of 0-300 samples of a row of noise with -0, +0, a subnormal, the largest float and a
     * full-scale sample at the range's first or last place; NaN anywhere in a range makes it NaN.
     */
    @Test
    void peakOfARangeIsTheLargestMagnitude() {
        Random r = new Random(32);
        float[] x = new float[700];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 0.1);
        x[5] = -0f; x[6] = 0f; x[40] = -Float.MIN_VALUE; x[77] = -1f; x[300] = 1f; x[511] = -Float.MAX_VALUE;
        for (int from = 0; from < x.length; from += 37) {
            for (int len = 0; len <= 300 && from + len <= x.length; len += len < 20 ? 1 : 23) {
                double want = 0;
                for (int i = from; i < from + len; i++) if (Math.abs((double) x[i]) > want) want = Math.abs((double) x[i]);
                float got = AudioBuffer.peak(x, from, from + len);
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), from + " + " + len);
            }
        }
        float[] y = x.clone();
        y[450] = Float.NaN;
        assertTrue(Float.isNaN(AudioBuffer.peak(y, 400, 500)));
        assertTrue(Float.isNaN(AudioBuffer.peak(y, 450, 451)));
        assertEquals(Float.MAX_VALUE, AudioBuffer.peak(y, 500, 600));
        assertEquals(0f, AudioBuffer.peak(new float[] {-0f, -0f}, 0, 2));
        assertEquals(0, Float.floatToRawIntBits(AudioBuffer.peak(new float[] {-0f, -0f}, 0, 2)));
    }
}
