package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link HpssStep#pow}: the square as a product is Math.pow's double, bit for bit; other powers are Math.pow's. */
class HpssStepTest {
    /** Zeros of both signs, denormals, the edges of squares that overflow or underflow, extremes, NaN. */
    private static final double[] EDGES = {
        0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Math.sqrt(Double.MIN_VALUE),
        Math.nextUp(Math.sqrt(Double.MIN_VALUE)), Math.sqrt(Double.MIN_NORMAL), 1e-300, 1e-160, 0.5, 1, -1, 3.25,
        1e150, Math.sqrt(Double.MAX_VALUE), Math.nextUp(Math.sqrt(Double.MAX_VALUE)), Double.MAX_VALUE,
        -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
    };

    @Test
    void squareIsMathPowBitForBit() {
        for (double x : EDGES) assertBits(Math.pow(x, 2), HpssStep.pow(x, 2), x);
        Random r = new Random(11);
        // the recipe's medians and magnitudes (floats widened to double), then doubles of any exponent and sign
        for (int i = 0; i < 1_000_000; i++) {
            double x = (float) (r.nextDouble() * Math.pow(10, r.nextInt(12) - 8));
            assertBits(Math.pow(x, 2), HpssStep.pow(x, 2), x);
        }
        for (int i = 0; i < 1_000_000; i++) {
            double x = Double.longBitsToDouble(r.nextLong());
            assertBits(Math.pow(x, 2), HpssStep.pow(x, 2), x);
        }
    }

    @Test
    void otherPowersAreMathPow() {
        Random r = new Random(12);
        for (double q : new double[] {1, 1.5, 2.5, 3, Math.nextUp(2.0), Math.nextDown(2.0)}) {
            for (int i = 0; i < 10_000; i++) {
                double x = r.nextDouble() * 100;
                assertBits(Math.pow(x, q), HpssStep.pow(x, q), x);
            }
        }
    }

    private static void assertBits(double want, double got, double x) {
        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), () -> "x = " + x + ": "
                + want + " against " + got);
    }
}
