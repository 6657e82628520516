package org.stemroom.separation.modelfree;

/**
 * Selections without a branch, for tests in the recipe's per-bin loops whose other side only silence takes (a
 * {@code den > 1e-30} guard, a maximum of two zeros). A branch that music never takes is compiled by C2 as an
 * uncommon trap; the zero-padded last window of every input takes it, which throws that compiled code away and has
 * the method interpreted and compiled again at the end of the input (JFR of a one-minute render: HpssStep, the bass
 * partials and the Wiener share, each recompiled). The bit test below gives the same value as the branch it
 * replaces, so the stems keep their bits.
 */
final class BranchFree {
    private BranchFree() { }

    /**
     * {@code a > b ? x : y}, for {@code a} and {@code b} that are not NaN (infinities of the same sign excepted). The
     * difference {@code b - a} of two distinct doubles is never zero (gradual underflow), so its sign bit says
     * {@code a > b} exactly; equal arguments give {@code +0} and so {@code y} (but {@code b - a = -0} for
     * {@code b = -0, a = +0}, which picks {@code x}: what {@link #max} needs).
     */
    static double ifGreater(double a, double b, double x, double y) {
        long greater = Double.doubleToRawLongBits(b - a) >> 63; // all ones when a > b, else zero
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) & greater
                | Double.doubleToRawLongBits(y) & ~greater);
    }

    /** {@link #ifGreater(double, double, double, double)} for floats (their differences underflow gradually too). */
    static float ifGreater(float a, float b, float x, float y) {
        int greater = Float.floatToRawIntBits(b - a) >> 31; // all ones when a > b, else zero
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) & greater | Float.floatToRawIntBits(y) & ~greater);
    }

    /**
     * {@code Math.max(a, b)} for arguments that are not NaN, signed zeros included: {@code b} where {@code a - b} has
     * its sign bit set ({@code b > a}, or {@code a = -0, b = +0}), else {@code a}.
     */
    static double max(double a, double b) {
        return ifGreater(b, a, b, a);
    }
}
