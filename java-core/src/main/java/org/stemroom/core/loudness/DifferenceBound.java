package org.stemroom.core.loudness;

/**
 * A proven upper bound of every |output| of a bank of short FIR filters over a stretch, from two maxima of the
 * stretch's input: its largest |x| ({@code loud}) and its largest first difference |x(k+1) - x(k)| ({@code d1}).
 * Mastered music moves much less from sample to sample than its level, so this bound comes close to the level,
 * where the plain one ({@code sum |taps| x loud}, up to 2.25 x loud for the interpolators of a true-peak meter)
 * is far above it. Shared by core's {@link TruePeakMeter} (a stretch whose bound is at most the peak found so far
 * cannot change it) and the master stage's true-peak limiter (a stretch whose bound is under its gate cannot ask
 * for a reduction).
 *
 * <p>The proof, by parts: a filter's sum around an anchor tap a is {@code y = x(a) sum t + sum_{j>=a} d(j) R(j) -
 * sum_{j<a} d(j) L(j)}, d(j) = x(j+1) - x(j), R(j) and L(j) the sums of the taps after and up to j; so {@code |y| <=
 * |sum t| loud + W d1} with W = sum |R| + sum |L| at the anchor that makes W least ({@link #firstDifferenceWeight}).
 * Float arithmetic: a sum of up to 64 products taken tap by tap in float is off by at most 65 x 2^-24 x sum|t| x
 * loud, under the 1e-5 x sum|t| x loud added to the weight of loud ({@link #perX}); the differences taken in float
 * are within 2^-24 relative of the true ones and the double arithmetic within 1e-15: both under {@link #SLACK}.
 * Products and sums that fall among the subnormal floats round by an absolute amount instead, at most 2^-150 each:
 * {@link #UNDERFLOW} (2^-140) covers a thousand of them, whatever the level.
 */
public final class DifferenceBound {
    /** Covers the rounding of the differences taken in float and of the bound's own double arithmetic. */
    public static final double SLACK = 1 + 1e-5;
    /** Covers the absolute rounding of float arithmetic among the subnormal numbers (see the class). */
    public static final double UNDERFLOW = 0x1p-140;

    /** Per filter: the weight of loud and of d1. */
    private final double[] perX;
    private final double[] perD1;

    /** The bound of a bank of filters (each in time order), whose |outputs| and the samples themselves it covers. */
    public DifferenceBound(float[][] filters) {
        perX = new double[filters.length];
        perD1 = new double[filters.length];
        for (int f = 0; f < filters.length; f++) {
            perX[f] = perX(filters[f]);
            perD1[f] = firstDifferenceWeight(filters[f]);
        }
    }

    /**
     * At least every sample's |x| and every filter's |float output| over a stretch whose inputs (every sample any of
     * the outputs reads) have {@code loud} as their largest |x| and {@code d1} as their largest |first difference|
     * (as {@link #largestFirstDifference} takes it), times {@link #SLACK}, plus {@link #UNDERFLOW}. Infinite or NaN
     * for such inputs.
     */
    public double of(float loud, float d1) {
        double b = loud;
        for (int f = 0; f < perX.length; f++) b = Math.max(b, perX[f] * loud + perD1[f] * d1);
        return b * SLACK + UNDERFLOW;
    }

    /** |sum of taps| plus 1e-5 x sum |taps|: the weight of loud, with the float sum's rounding (see the class). */
    public static double perX(float[] taps) {
        return Math.abs(sum(taps)) + 1e-5 * sumAbs(taps);
    }

    /**
     * The least over anchor taps a of {@code sum_{j<a} |L(j)| + sum_{a<=j<n-1} |R(j)|}, L(j) the sum of taps 0..j
     * and R(j) that of taps j+1..n-1: |sum t(k) x(k)| <= |sum t| |x(a)| + that x max |x(j+1) - x(j)|.
     */
    public static double firstDifferenceWeight(float[] taps) {
        int n = taps.length;
        double best = Double.MAX_VALUE;
        for (int a = 0; a < n; a++) {
            double w = 0, left = 0;
            for (int j = 0; j < a; j++) {
                left += taps[j];
                w += Math.abs(left);
            }
            double right = 0;
            for (int j = n - 2; j >= a; j--) {
                right += taps[j + 1];
                w += Math.abs(right);
            }
            best = Math.min(best, w);
        }
        return best;
    }

    /** The largest |x[j + 1] - x[j]| (float) for j in [from, to - 1): the d1 of {@link #of}. */
    public static float largestFirstDifference(float[] x, int from, int to) {
        float m = 0;
        for (int j = from; j < to - 1; j++) m = Math.max(m, Math.abs(x[j + 1] - x[j]));
        return m;
    }

    /**
     * As {@link #largestFirstDifference(float[], int, int)}, also keeping d[j] = x[from + j + 1] - x[from + j] for a
     * caller that reads the differences again (the limiter's second differences).
     */
    public static float largestFirstDifference(float[] x, int from, int to, float[] d) {
        float m = 0;
        for (int j = 0; j < to - from - 1; j++) {
            float v = x[from + j + 1] - x[from + j];
            d[j] = v;
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** The sum of the taps, in double. */
    public static double sum(float[] taps) {
        double s = 0;
        for (float t : taps) s += t;
        return s;
    }

    /** The sum of |taps|, in double. */
    public static double sumAbs(float[] taps) {
        double s = 0;
        for (float t : taps) s += Math.abs(t);
        return s;
    }
}
