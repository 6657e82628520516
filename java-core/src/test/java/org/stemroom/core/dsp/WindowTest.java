package org.stemroom.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WindowTest {

    @Test
    void hannPeriodicAndSymmetricMatchTheirDefinitions() {
        float[] p = Window.hann(8, true);
        float[] s = Window.hann(9, false);
        // periodic N is the symmetric N+1 without its last point
        for (int i = 0; i < 8; i++) assertEquals(s[i], p[i], 1e-7);
        assertEquals(0f, p[0], 0f);
        assertEquals(1f, p[4], 1e-7);
        assertEquals(0f, s[8], 1e-7);
        // periodic Hann overlap-adds to exactly 1 at hop N/2 and 1.5 (sum of squares) at hop N/4
        float[] w = Window.hann(64);
        for (int i = 0; i < 32; i++) assertEquals(1.0, w[i] + w[i + 32], 1e-6);
    }

    @Test
    void sqrtHannIsPowerComplementaryAtHalfOverlap() {
        float[] w = Window.sqrtHann(100);
        for (int i = 0; i < 50; i++) assertEquals(1.0, w[i] * w[i] + w[i + 50] * w[i + 50], 1e-6);
    }

    @Test
    void blackmanHarrisEndsAndPeak() {
        float[] w = Window.blackmanHarris(101, false);
        assertEquals(6.0e-5, w[0], 1e-6); // 0.35875-0.48829+0.14128-0.01168
        assertEquals(1.0, w[50], 1e-6);
        assertEquals(w[10], w[90], 1e-7);
    }

    @Test
    void kaiserMatchesBesselDefinitionAndLimits() {
        assertEquals(1.0, Window.besselI0(0), 0);
        assertEquals(27.239871823604442, Window.besselI0(5), 1e-12); // I0(5), Abramowitz & Stegun table 9.8
        float[] rect = Window.kaiser(16, 0, true);
        for (float v : rect) assertEquals(1f, v, 0f);
        float[] k = Window.kaiser(51, 8.6, false);
        assertEquals(1.0, k[25], 1e-7);
        assertEquals(1 / Window.besselI0(8.6), k[0], 1e-9);
        assertTrue(k[10] < k[20]);
        assertEquals(0.1102 * (100 - 8.7), Window.kaiserBeta(100), 1e-12);
    }
}
