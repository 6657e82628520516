package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bit tests give the branch's value, bit for bit, on the values the recipe's guards meet and their edges. */
class BranchFreeTest {
    /** Zeros of both signs, the guards' thresholds and their neighbours, denormals, extremes. */
    private static final double[] EDGES = {
        0.0, -0.0, 1e-30, Math.nextUp(1e-30), Math.nextDown(1e-30), 1e-20, Math.nextUp(1e-20), Math.nextDown(1e-20),
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1e-300, 0.5, 1, -1, 3.25, 1e30, -1e30,
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
    };

    @Test
    void ifGreaterIsTheBranchBitForBit() {
        double x = 0.123, y = -7.5;
        for (double a : EDGES) {
            for (double b : EDGES) {
                if (Double.isInfinite(a) && a == b) continue; // documented exception: inf - inf is NaN
                if (isPlusZero(a) && isMinusZero(b)) { // documented: -0 - +0 is -0, whose sign picks x (max needs it)
                    assertBits(x, BranchFree.ifGreater(a, b, x, y), () -> "+0 > -0");
                    continue;
                }
                assertBits(a > b ? x : y, BranchFree.ifGreater(a, b, x, y), () -> a + " > " + b);
                // what the guards return: a quotient on one side (NaN or infinite where its divisor is zero)
                assertBits(a > b ? 1 / a : 0.5, BranchFree.ifGreater(a, b, 1 / a, 0.5), () -> "1/" + a + " > " + b);
            }
        }
        Random r = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            double a = r.nextGaussian() * Math.pow(10, r.nextInt(80) - 40), b = i % 3 == 0 ? a : r.nextGaussian() * 1e-20;
            assertBits(a > b ? x : y, BranchFree.ifGreater(a, b, x, y), () -> a + " > " + b);
        }
    }

    /** The float form (the Wiener share's silence test): the same edges in float, and random pairs around 1e-20. */
    @Test
    void floatIfGreaterIsTheBranchBitForBit() {
        float x = 0.123f, y = -7.5f;
        float[] edges = new float[EDGES.length + 4];
        for (int i = 0; i < EDGES.length; i++) edges[i] = (float) EDGES[i];
        edges[EDGES.length] = Float.MIN_VALUE;
        edges[EDGES.length + 1] = Float.MIN_NORMAL;
        edges[EDGES.length + 2] = Math.nextUp(1e-20f);
        edges[EDGES.length + 3] = Math.nextDown(1e-20f);
        for (float a : edges) {
            for (float b : edges) {
                if (Float.isInfinite(a) && a == b) continue;
                if (Float.floatToRawIntBits(a) == 0 && Float.floatToRawIntBits(b) == Integer.MIN_VALUE) continue;
                assertEquals(Float.floatToRawIntBits(a > b ? x : y), Float.floatToRawIntBits(BranchFree.ifGreater(a, b, x, y)),
                        a + " > " + b);
                assertEquals(Float.floatToRawIntBits(a > b ? 1 / a : 0.5f),
                        Float.floatToRawIntBits(BranchFree.ifGreater(a, b, 1 / a, 0.5f)), "1/" + a + " > " + b);
            }
        }
        Random r = new Random(9);
        for (int i = 0; i < 100_000; i++) {
            float a = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(60) - 40)), b = i % 3 == 0 ? a : 1e-20f;
            assertEquals(Float.floatToRawIntBits(a > b ? x : y), Float.floatToRawIntBits(BranchFree.ifGreater(a, b, x, y)),
                    a + " > " + b);
        }
    }

    @Test
    void maxIsMathMaxBitForBitSignedZerosIncluded() {
        for (double a : EDGES) {
            for (double b : EDGES) {
                if (Double.isInfinite(a) && a == b) continue;
                assertBits(Math.max(a, b), BranchFree.max(a, b), () -> "max(" + a + ", " + b + ")");
            }
        }
        Random r = new Random(8);
        for (int i = 0; i < 100_000; i++) {
            double a = Math.abs(r.nextGaussian()), b = r.nextGaussian() * (i % 2 == 0 ? 1 : 1e-12);
            assertBits(Math.max(a, b), BranchFree.max(a, b), () -> "max(" + a + ", " + b + ")");
            assertBits(Math.max(b, a), BranchFree.max(b, a), () -> "max(" + b + ", " + a + ")");
        }
    }

    private static boolean isPlusZero(double v) { return Double.doubleToRawLongBits(v) == 0L; }

    private static boolean isMinusZero(double v) { return Double.doubleToRawLongBits(v) == Long.MIN_VALUE; }

    private static void assertBits(double expected, double actual, java.util.function.Supplier<String> what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), what);
    }
}
