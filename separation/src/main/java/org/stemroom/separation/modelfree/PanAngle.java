package org.stemroom.separation.modelfree;

/**
 * The panning position of a time-frequency bin, {@code (float) (Math.atan2(r, l) / (0.5 * Math.PI))} for magnitudes
 * {@code l, r >= 0} (0 hard left, 0.5 centre, 1 hard right), the same float bits, faster: Java 17 runs atan2 as
 * StrictMath's native routine, a JNI call per bin (1.4 % of a render's samples, all on the separation thread; measured
 * here 23-26 against 17-21 ns a bin, one thread, load 9).
 *
 * <p>How it keeps the bits: the angle is computed in double from a table and a short series, within {@link #MARGIN}
 * of itself from the reference's double (whose own error is a few ulps of double); when that double lies further than
 * the margin from both rounding boundaries of its float, the reference rounds to the same float, and it is returned.
 * Otherwise (2-3 bins in 100,000, and magnitudes below 1e-30 or above 1e30) the reference itself is computed. A zero
 * magnitude gives the reference's exact value (atan2 of +0 is +0, of a positive over +0 exactly the double pi/2: 0, 1).
 *
 * <p>The angle: with {@code z = min/max} in [0, 1], {@code atan z = atan c + atan u} where c is the nearest of
 * {@code 0, 1/8, ..., 1} (found from a float quotient, so nearest within 1e-7) and {@code u = (z - c) / (1 + z c)},
 * {@code |u| <= 1/16 + 1e-7}; {@code atan u} by its Taylor series to the {@code u^11} term (the next term is below
 * 2e-17); {@code atan c} from StrictMath once.
 */
final class PanAngle {
    private PanAngle() { }

    private static final double HALF_PI = 0.5 * Math.PI, INV_HALF_PI = 1 / HALF_PI;
    /**
     * Bound on |this double - the reference's double| relative to the value: the series' truncation (2e-17 of at
     * least 0.06 where a table centre above 0 is used; relative 1e-16 at the centre 0, where u = z exactly) and some
     * ten roundings (each under 1.2e-16 of pi/4, which is at most 20 times the value where a centre above 0 is used),
     * and the reference's atan2 (within an ulp) and division: below 1e-14 in all; 1e-12 leaves a factor of 100 and
     * costs a fallback only where the double lies that close to a rounding boundary of its float.
     */
    static final double MARGIN = 1e-12;
    private static final double[] ATAN = new double[9];

    static {
        for (int i = 0; i <= 8; i++) ATAN[i] = StrictMath.atan(i / 8.0);
    }

    /** {@code (float) (Math.atan2(r, l) / (0.5 * Math.PI))} for {@code l, r >= 0}, bit for bit. */
    static float of(double l, double r) {
        float p = fast(l, r);
        return p == p ? p : (float) (Math.atan2(r, l) / HALF_PI);
    }

    /** The same float where the fast path can vouch for it, else NaN (the caller computes the reference). */
    static float fast(double l, double r) {
        // no data-dependent branches on the common path (which side is louder is a coin toss per bin)
        double hi = Math.max(l, r), lo = Math.min(l, r);
        if (!(hi < 1e30)) return Float.NaN; // NaN, infinity, and the float quotient below must not overflow
        if (lo == 0) return hi == 0 || l >= r ? 0f : 1f; // the reference's exact values (class comment)
        if (!(lo > 1e-30)) return Float.NaN; // nor underflow to 0 / 0 (a spectrum's bins lie far inside these bounds)
        // the table's centre from a float quotient (cheaper; z's centre need not be the nearest, |u| <= 1/16 + 1e-7)
        int i = (int) ((float) lo / (float) hi * 8f + 0.5f);
        double c = i * 0.125;
        double u = (lo - c * hi) / (hi + c * lo); // (z - c) / (1 + z c) with z = lo / hi, one division
        double u2 = u * u;
        double at = ATAN[i] + u * (1 + u2 * (-1.0 / 3 + u2 * (1.0 / 5 + u2 * (-1.0 / 7 + u2 * (1.0 / 9 - u2 / 11)))));
        double q = at * INV_HALF_PI;
        double a = r > l ? 1 - q : q; // atan2(r, l) = pi/2 - atan(l / r)
        float p = (float) a;
        // a - p is exact (a and p agree to float precision); p's rounding interval reaches half its gap to each
        // neighbour: the smaller of the two gaps (they differ only at a power of two) keeps it branch-free
        int bits = Float.floatToRawIntBits(p);
        double gap = Math.min((double) Float.intBitsToFloat(bits + 1) - p, (double) p - Float.intBitsToFloat(bits - 1));
        return Math.abs(a - p) + MARGIN * a < 0.5 * gap ? p : Float.NaN;
    }
}
