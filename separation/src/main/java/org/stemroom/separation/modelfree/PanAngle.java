package org.stemroom.separation.modelfree;

/**
 * The panning position of every bin of a stereo frame, {@code (float) (Math.atan2(r, l) / (0.5 * Math.PI))} with
 * {@code l = Math.sqrt(pl)}, {@code r = Math.sqrt(pr)} and {@code pl, pr} the channels' float powers
 * {@code re * re + im * im} (0 hard left, 0.5 centre, 1 hard right), the same float bits, faster: Java 17 runs atan2
 * as StrictMath's native routine, a JNI call per bin. Instances hold the frame's scratch rows (not thread-safe; no
 * allocation once they have seen the frame's size).
 *
 * <p>How it keeps the bits: the angle is computed in double within a relative {@link #MARGIN} of the reference's double;
 * when both ends of the margin round to the same float, the reference rounds to it too, and it is returned. Otherwise (a few bins in a million, and both powers zero, an infinite right power,
 * NaN) the reference itself is computed.
 *
 * <p>The angle, with no branch and no table so that C2 vectorizes it (session 15; the table-and-series form it replaces
 * took a branch per bin and ran about 29 ns a bin, this about 11): {@code theta = atan2(r, l) = 2 atan t} with
 * {@code t = r / (l + hypot(l, r))} in [0, 1], {@code hypot = sqrt(pl + pr)}; two more half-angle steps
 * {@code atan t = 2 atan (t / (1 + sqrt(1 + t^2)))} bring t below {@code tan(pi/16) < 0.19892}, where the Taylor series of
 * atan to the {@code t^21} term is within {@code 0.19892^22 / 23 < 1.7e-17} of itself; then {@code theta / (pi/2) =
 * atan(t) * 16 / pi}. Every step is well conditioned (the half-angle map's relative condition number is
 * {@code 1 / sqrt(1 + t^2) <= 1}, atan's below 1 on [0, 1], no cancellation: every sum adds non-negative terms), so
 * the relative error is a sum of roundings: about 6 in t (three square roots, a sum, a division; hypot from the powers
 * rather than from l and r: l^2 is pl to an ulp), about 5 per half-angle step, 3 in the series (its terms fall by a
 * factor of 25), 2 in the scaling: under 25 ulps of double, 2.8e-15, plus the reference's own error (fdlibm's atan2
 * within 2 ulps, the division by the rounded pi/2 within 1.5): below 4e-15 in all; 1e-12 leaves a factor of 250.
 * {@code PanAngleTest} holds the double to 1e-14 of the reference.
 */
final class PanAngle {
    private static final double HALF_PI = 0.5 * Math.PI;
    /** Relative bound on |this double - the reference's double| (class comment), with a factor of 250 to spare. */
    static final double MARGIN = 1e-12;
    private static final double SCALE = 16 / Math.PI;
    /** The series' coefficients (-1)^k / (2k + 1), k = 1..10. */
    private static final double C1 = -1.0 / 3, C2 = 1.0 / 5, C3 = -1.0 / 7, C4 = 1.0 / 9, C5 = -1.0 / 11,
            C6 = 1.0 / 13, C7 = -1.0 / 15, C8 = 1.0 / 17, C9 = -1.0 / 19, C10 = 1.0 / 21;

    /** The frame's powers (float) and the angles' doubles. */
    private float[] powerL = new float[0], powerR = new float[0];
    private double[] angle = new double[0], powerRight = new double[0];

    /** The expression this class computes, for one bin of powers {@code pl, pr}. */
    static float reference(float pl, float pr) {
        return (float) (Math.atan2(Math.sqrt(pr), Math.sqrt(pl)) / HALF_PI);
    }

    /**
     * {@code out[b] = reference(lr[b]^2 + li[b]^2, rr[b]^2 + ri[b]^2)} (each power summed in float) for bins
     * {@code [0, bins)}, bit for bit; returns how many bins took the reference.
     */
    int frame(float[] lr, float[] li, float[] rr, float[] ri, float[] out, int bins) {
        if (powerL.length < bins) {
            powerL = new float[bins];
            powerR = new float[bins];
            angle = new double[bins];
            powerRight = new double[bins];
        }
        // one simple loop per step: C2 (Java 17) vectorizes a loop of floats alone or of doubles alone, never a mix
        powers(lr, li, rr, ri, powerL, powerR, bins);
        widen(powerL, powerR, angle, powerRight, bins);
        angles(angle, powerRight, bins);
        return rounded(angle, powerL, powerR, out, bins);
    }

    private static void powers(float[] lr, float[] li, float[] rr, float[] ri, float[] pl, float[] pr, int bins) {
        for (int b = 0; b < bins; b++) {
            pl[b] = lr[b] * lr[b] + li[b] * li[b];
            pr[b] = rr[b] * rr[b] + ri[b] * ri[b];
        }
    }

    private static void widen(float[] pl, float[] pr, double[] dl, double[] dr, int bins) {
        for (int b = 0; b < bins; b++) {
            dl[b] = pl[b];
            dr[b] = pr[b];
        }
    }

    /** {@code a[b]} (the left power on entry) becomes {@code atan2(sqrt pr[b], sqrt a[b]) / (pi/2)} (class comment). */
    static void angles(double[] a, double[] pr, int bins) {
        for (int b = 0; b < bins; b++) {
            double pl = a[b], pp = pr[b];
            double l = Math.sqrt(pl), r = Math.sqrt(pp), h = Math.sqrt(pl + pp);
            double t = r / (l + h);
            t = t / (1 + Math.sqrt(1 + t * t));
            t = t / (1 + Math.sqrt(1 + t * t));
            double s = t * t;
            double at = t * (1 + s * (C1 + s * (C2 + s * (C3 + s * (C4 + s * (C5 + s * (C6 + s * (C7 + s * (C8
                    + s * (C9 + s * C10))))))))));
            a[b] = at * SCALE;
        }
    }

    /**
     * Each angle's float where the margin vouches for it, the reference's otherwise; returns the reference's count. The
     * test: both ends of {@code [v - MARGIN v, v + MARGIN v]} round to the same float, so (rounding being monotonic) the
     * reference, which lies inside, rounds to it too. An angle of exactly 0 (the right power +0, or the left one
     * infinite) is the reference's +0; NaN (both powers 0, an infinite right power) fails the test.
     */
    private static int rounded(double[] a, float[] pl, float[] pr, float[] out, int bins) {
        int slow = 0;
        for (int b = 0; b < bins; b++) {
            double v = a[b], e = MARGIN * v;
            float p = (float) (v - e);
            if (p != (float) (v + e)) {
                p = reference(pl[b], pr[b]); // too near a rounding boundary, or NaN
                slow++;
            }
            out[b] = p;
        }
        return slow;
    }
}
