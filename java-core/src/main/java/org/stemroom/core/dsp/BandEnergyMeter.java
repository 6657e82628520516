package org.stemroom.core.dsp;

/**
 * Energy of every band of an {@link OctaveBandFilterBank} in one signal, fed block by block: memory does not
 * depend on the signal's length. The numbers are bit for bit those of {@link BandEnergy#bandEnergies} on the
 * whole signal (filters start from rest, each section's output is rounded to float as the cascade does, the
 * squares are summed in time order in double), so a streaming analysis agrees exactly with an in-memory one.
 *
 * <p>Why not the bank's own filters: a cascade filters a block section by section, and each section is a
 * recursion whose every sample waits for the previous one. Here the three sections of a band run in one loop,
 * so the processor overlaps the recursions of the three (about three times the throughput; the same arithmetic
 * in the same order for every section).
 */
public final class BandEnergyMeter {
    private final int bands;
    private final int sections;
    /** [band][section * 5 + k]: b0, b1, b2, a1, a2 */
    private final double[][] coef;
    /** [band][section * 2 + k]: the two state variables of each section */
    private final double[][] state;
    private final double[] energy;
    private float[] scratch = new float[0];

    public BandEnergyMeter(OctaveBandFilterBank bank) {
        this.bands = bank.size();
        BiquadCascade first = bank.newFilter(0);
        this.sections = first.sections();
        this.coef = new double[bands][];
        this.state = new double[bands][2 * sections];
        this.energy = new double[bands];
        for (int b = 0; b < bands; b++) {
            BiquadCascade c = bank.newFilter(b);
            if (c.sections() != sections) throw new IllegalArgumentException("bands with different section counts");
            coef[b] = new double[5 * sections];
            for (int s = 0; s < sections; s++) System.arraycopy(c.section(s).coefficients(), 0, coef[b], 5 * s, 5);
        }
    }

    public int bands() { return bands; }

    /**
     * Feeds two signals at once, {@code x} to this meter and {@code y} to {@code other} (a meter of the same bank):
     * the same numbers as two separate calls, about twice as fast (the two recursions overlap in the processor).
     */
    public void process(float[] x, BandEnergyMeter other, float[] y, int off, int len) {
        if (sections != 3 || other.sections != 3 || other.bands != bands) {
            process(x, off, len);
            other.process(y, off, len);
            return;
        }
        double[] e = new double[2];
        for (int b = 0; b < bands; b++) {
            e[0] = energy[b];
            e[1] = other.energy[b];
            threeSectionsPair(coef[b], state[b], other.state[b], x, y, off, len, e);
            energy[b] = e[0];
            other.energy[b] = e[1];
        }
    }

    private static void threeSectionsPair(double[] k, double[] st, double[] su, float[] x, float[] y, int off, int len,
                                          double[] energies) {
        final double a0 = k[0], a1 = k[1], a2 = k[2], a3 = k[3], a4 = k[4];
        final double b0 = k[5], b1 = k[6], b2 = k[7], b3 = k[8], b4 = k[9];
        final double c0 = k[10], c1 = k[11], c2 = k[12], c3 = k[13], c4 = k[14];
        double p1 = st[0], p2 = st[1], q1 = st[2], q2 = st[3], r1 = st[4], r2 = st[5];
        double u1 = su[0], u2 = su[1], v1 = su[2], v2 = su[3], w1 = su[4], w2 = su[5];
        double e = energies[0], f = energies[1];
        for (int i = off; i < off + len; i++) {
            double xa = x[i];
            double za = y[i];
            double ya = a0 * xa + p1;
            double ta = a0 * za + u1;
            p1 = a1 * xa - a3 * ya + p2;
            u1 = a1 * za - a3 * ta + u2;
            p2 = a2 * xa - a4 * ya;
            u2 = a2 * za - a4 * ta;
            double xb = (float) ya;
            double zb = (float) ta;
            double yb = b0 * xb + q1;
            double tb = b0 * zb + v1;
            q1 = b1 * xb - b3 * yb + q2;
            v1 = b1 * zb - b3 * tb + v2;
            q2 = b2 * xb - b4 * yb;
            v2 = b2 * zb - b4 * tb;
            double xc = (float) yb;
            double zc = (float) tb;
            double yc = c0 * xc + r1;
            double tc = c0 * zc + w1;
            r1 = c1 * xc - c3 * yc + r2;
            w1 = c1 * zc - c3 * tc + w2;
            r2 = c2 * xc - c4 * yc;
            w2 = c2 * zc - c4 * tc;
            float o = (float) yc;
            float g = (float) tc;
            e += (double) o * o;
            f += (double) g * g;
        }
        st[0] = p1; st[1] = p2; st[2] = q1; st[3] = q2; st[4] = r1; st[5] = r2;
        su[0] = u1; su[1] = u2; su[2] = v1; su[3] = v2; su[4] = w1; su[5] = w2;
        energies[0] = e;
        energies[1] = f;
    }

    /** Feeds {@code x[off .. off+len)}. */
    public void process(float[] x, int off, int len) {
        for (int b = 0; b < bands; b++) {
            if (sections == 3) {
                energy[b] = threeSections(coef[b], state[b], x, off, len, energy[b]);
            } else {
                energy[b] = anySections(coef[b], state[b], x, off, len, energy[b]);
            }
        }
    }

    /** Runs the three sections over the block; returns {@code e} plus the block's squares, added in time order. */
    private static double threeSections(double[] k, double[] st, float[] x, int off, int len, double e) {
        final double a0 = k[0], a1 = k[1], a2 = k[2], a3 = k[3], a4 = k[4];
        final double b0 = k[5], b1 = k[6], b2 = k[7], b3 = k[8], b4 = k[9];
        final double c0 = k[10], c1 = k[11], c2 = k[12], c3 = k[13], c4 = k[14];
        double p1 = st[0], p2 = st[1], q1 = st[2], q2 = st[3], r1 = st[4], r2 = st[5];
        for (int i = off; i < off + len; i++) {
            double xa = x[i];
            double ya = a0 * xa + p1;
            p1 = a1 * xa - a3 * ya + p2;
            p2 = a2 * xa - a4 * ya;
            double xb = (float) ya;
            double yb = b0 * xb + q1;
            q1 = b1 * xb - b3 * yb + q2;
            q2 = b2 * xb - b4 * yb;
            double xc = (float) yb;
            double yc = c0 * xc + r1;
            r1 = c1 * xc - c3 * yc + r2;
            r2 = c2 * xc - c4 * yc;
            float out = (float) yc;
            e += (double) out * out;
        }
        st[0] = p1; st[1] = p2; st[2] = q1; st[3] = q2; st[4] = r1; st[5] = r2;
        return e;
    }

    private double anySections(double[] k, double[] st, float[] x, int off, int len, double e) {
        if (scratch.length < len) scratch = new float[len];
        float[] y = scratch;
        System.arraycopy(x, off, y, 0, len);
        for (int s = 0; s < sections; s++) {
            double c0 = k[5 * s], c1 = k[5 * s + 1], c2 = k[5 * s + 2], c3 = k[5 * s + 3], c4 = k[5 * s + 4];
            double z1 = st[2 * s], z2 = st[2 * s + 1];
            for (int i = 0; i < len; i++) {
                double v = y[i];
                double o = c0 * v + z1;
                z1 = c1 * v - c3 * o + z2;
                z2 = c2 * v - c4 * o;
                y[i] = (float) o;
            }
            st[2 * s] = z1;
            st[2 * s + 1] = z2;
        }
        for (int i = 0; i < len; i++) e += (double) y[i] * y[i];
        return e;
    }

    /** Energy (sum of squares) of band {@code b} so far. */
    public double energy(int b) { return energy[b]; }

    /** Energies of all bands so far (a copy). */
    public double[] energies() { return energy.clone(); }
}
