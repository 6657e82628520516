package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PanAngle} against the expression it replaces, {@code (float) (Math.atan2(r, l) / (0.5 * Math.PI))}, bit for
 * bit: edge values, the series' table centres and their midpoints, ratios an ulp apart, extremes and 2 million random
 * pairs (uniform and log-uniform magnitudes); and the fast path must vouch for almost all of them (else it is no
 * faster than the reference it falls back to).
 */
class PanAngleTest {
    private static float reference(double l, double r) {
        return (float) (Math.atan2(r, l) / (0.5 * Math.PI));
    }

    private static void check(double l, double r) {
        // the contract: magnitudes, l and r >= +0 (Math.sqrt of a sum of squares); nextDown(0) below is negative
        if (Math.copySign(1.0, l) < 0 || Math.copySign(1.0, r) < 0) return;
        assertEquals(Float.floatToRawIntBits(reference(l, r)), Float.floatToRawIntBits(PanAngle.of(l, r)),
                () -> "l " + l + " r " + r + ": " + reference(l, r) + " vs " + PanAngle.of(l, r));
        float fast = PanAngle.fast(l, r);
        if (fast == fast) {
            assertEquals(Float.floatToRawIntBits(reference(l, r)), Float.floatToRawIntBits(fast), () -> "fast, l " + l + " r " + r);
        }
    }

    @Test
    void edgeValuesAndTableCentres() {
        double[] v = {0, Double.MIN_VALUE, Double.MIN_NORMAL, Float.MIN_VALUE, 1e-300, 1e-101, 1e-99, 1e-30, 1e-8, 0.1, 0.5, 1,
                1.5, 2, 3, 1e8, 1e29, 1e30, 1e31, 1e299, 1e301, 1e-29, 1e-31, 1e-40, 1e-45,
                Double.MAX_VALUE};
        for (double l : v) for (double r : v) check(l, r);
        for (double x : v) {
            check(x, Math.nextUp(x));
            check(Math.nextUp(x), x);
            check(x, Math.nextDown(x));
        }
        // ratios at and between the table's centres i/8 (where the reduction switches from one centre to the next)
        for (int i = 0; i <= 16; i++) {
            double z = i / 16.0;
            for (double l : new double[] {1, 0.37, 123.456}) {
                for (double zz : new double[] {z, Math.nextUp(z), Math.nextDown(z)}) {
                    check(l, l * zz);
                    check(l * zz, l);
                }
            }
        }
    }

    @Test
    void randomPairsSameBitsAndMostlyFast() {
        Random rnd = new Random(2026);
        int n = 2_000_000, slow = 0;
        for (int k = 0; k < n; k++) {
            double l, r;
            if ((k & 3) == 3) { // over and past the fast path's bounds (1e-30, 1e30): the fallback's bits
                l = Math.pow(10, -40 + 80 * rnd.nextDouble());
                r = Math.pow(10, -40 + 80 * rnd.nextDouble());
                check(l, r);
                continue;
            }
            if ((k & 1) == 0) {
                l = rnd.nextDouble();
                r = rnd.nextDouble();
            } else { // magnitudes spread over 16 decades, as quiet and loud bins are
                l = Math.pow(10, -12 + 16 * rnd.nextDouble());
                r = Math.pow(10, -12 + 16 * rnd.nextDouble());
            }
            check(l, r);
            float f = PanAngle.fast(l, r);
            if (f != f) slow++;
        }
        System.out.println("pan angle: the fast path declined " + slow + " of " + n * 3 / 4); // measured: 37
        assertTrue(slow < n / 1000, "the fast path declined " + slow + " of " + n * 3 / 4);
    }
}
