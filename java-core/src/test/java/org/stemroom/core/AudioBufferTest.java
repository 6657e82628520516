package org.stemroom.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
