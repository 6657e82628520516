package org.stemroom.core.dsp;

/**
 * Energy of every band of an {@link OctaveBandFilterBank} in one signal, fed block by block: memory does not
 * depend on the signal's length (about 8 KB of scratch), and the numbers do not depend on how the signal is cut
 * into blocks (every recursion and every sum runs in time order), so a streaming analysis agrees bit for bit with
 * one over the whole signal ({@link BandEnergy#bandEnergies} is this meter).
 *
 * <p>Each band is a Butterworth band pass of three sections {@code g_s (1 - z^-2) / (1 + a1_s z^-1 + a2_s z^-2)}
 * ({@link Butterworth#bandPass} puts one zero at z = 1 and one at z = -1 in every section). The meter runs that
 * filter in another order, which is the same filter in exact arithmetic: the three numerators first, as
 * {@code (1 - z^-2)^3 = 1 - 3 z^-2 + 3 z^-4 - z^-6}, once per sample for all bands since they are the same in
 * every band; then each band's three all-pole sections in double; the gains last, as {@code (g_1 g_2 g_3)^2} times
 * the sum of squares. That is 14 operations per band and sample (a cascade of three sections in transposed direct
 * form takes 27, and 6 conversions more when it writes float arrays), and each recursion's critical path is one
 * multiply and one subtraction. Two bands share a loop so the processor overlaps their recursions.
 *
 * <p>Why the numerator first is safe in double: the all-pole part alone has a large gain at low frequencies for
 * the low bands (for the 31.5 Hz octave at 48 kHz, about 1.8e6 after the gains), but it only sees the numerator's
 * output, in which rounding errors are of order 1e-16 of the signal. The result agrees with the same filters run
 * section by section in double to about 6e-12 of the signal's energy, and with them writing float arrays (as the
 * fold-down check ran them before) to about 1e-8, their own rounding (BandEnergyMeterTest states the bounds).
 */
public final class BandEnergyMeter {
    /** Samples per pass of the shared numerator (its output is kept in double for all bands). */
    static final int CHUNK = 1024;
    static final int SECTIONS = 3;

    private final int bands;
    /** [band * 6 + 2 * section + k]: a1, a2 of each section */
    private final double[] denominators;
    /** Per band: the squared product of its sections' gains. */
    private final double[] gainSquared;
    /** [band * 6 + 2 * section + k]: each section's last two outputs */
    private final double[] state;
    /** Per band: the sum of squares of the all-pole output, in time order. */
    private final double[] sums;
    /** The last six input samples, newest first. */
    private final double[] past = new double[6];
    private final double[] numerator = new double[CHUNK];

    public BandEnergyMeter(OctaveBandFilterBank bank) {
        this.bands = bank.size();
        this.denominators = new double[bands * 2 * SECTIONS];
        this.gainSquared = new double[bands];
        this.state = new double[bands * 2 * SECTIONS];
        this.sums = new double[bands];
        for (int b = 0; b < bands; b++) gainSquared[b] = allPoleSections(bank, b, denominators, b * 2 * SECTIONS);
    }

    /**
     * Band {@code b}'s three sections' a1, a2 into {@code into[at .. at+6)} (a1, a2 of each section in turn); returns
     * the squared product of their gains. Fails unless every numerator is g (1 - z^-2).
     */
    static double allPoleSections(OctaveBandFilterBank bank, int b, double[] into, int at) {
        BiquadCascade c = bank.newFilter(b);
        if (c.sections() != SECTIONS) throw new IllegalArgumentException("band " + b + " has " + c.sections() + " sections");
        double gain = 1;
        for (int s = 0; s < SECTIONS; s++) {
            double[] k = c.section(s).coefficients(); // b0, b1, b2, a1, a2
            if (k[1] != 0 || k[2] != -k[0]) {
                throw new IllegalArgumentException("band " + b + ", section " + s + ": numerator is not g (1 - z^-2)");
            }
            gain *= k[0];
            into[at + 2 * s] = k[3];
            into[at + 2 * s + 1] = k[4];
        }
        return gain * gain;
    }

    public int bands() { return bands; }

    /** Feeds {@code x[off .. off+len)}, the next samples in time. */
    public void process(float[] x, int off, int len) {
        for (int done = 0; done < len; ) {
            int n = Math.min(CHUNK, len - done);
            numerator(x, off + done, n);
            int b = 0;
            for (; b + 1 < bands; b += 2) twoBands(b, n);
            if (b < bands) oneBand(b, n);
            done += n;
        }
    }

    private void numerator(float[] x, int off, int n) { numerator(x, off, n, past, numerator); }

    /** {@code v[0 .. n)} = (1 - z^-2)^3 applied to x[off .. off+n), continuing from {@code past} (the last six input samples, newest first). */
    static void numerator(float[] x, int off, int n, double[] past, double[] v) {
        double x1 = past[0], x2 = past[1], x3 = past[2], x4 = past[3], x5 = past[4], x6 = past[5];
        for (int i = 0; i < n; i++) {
            double x0 = x[off + i];
            v[i] = (x0 - x6) - 3 * (x2 - x4);
            x6 = x5;
            x5 = x4;
            x4 = x3;
            x3 = x2;
            x2 = x1;
            x1 = x0;
        }
        past[0] = x1; past[1] = x2; past[2] = x3; past[3] = x4; past[4] = x5; past[5] = x6;
    }

    /** The all-pole sections of bands b and b+1 over the numerator's n samples, squares summed. */
    private void twoBands(int b, int n) {
        final double[] k = denominators;
        final double[] st = state;
        final int i0 = b * 2 * SECTIONS, j0 = i0 + 2 * SECTIONS;
        final double a1 = k[i0], a2 = k[i0 + 1], b1 = k[i0 + 2], b2 = k[i0 + 3], c1 = k[i0 + 4], c2 = k[i0 + 5];
        final double d1 = k[j0], d2 = k[j0 + 1], e1 = k[j0 + 2], e2 = k[j0 + 3], f1 = k[j0 + 4], f2 = k[j0 + 5];
        double p1 = st[i0], p2 = st[i0 + 1], q1 = st[i0 + 2], q2 = st[i0 + 3], r1 = st[i0 + 4], r2 = st[i0 + 5];
        double s1 = st[j0], s2 = st[j0 + 1], t1 = st[j0 + 2], t2 = st[j0 + 3], u1 = st[j0 + 4], u2 = st[j0 + 5];
        double e = sums[b], f = sums[b + 1];
        final double[] v = numerator;
        for (int i = 0; i < n; i++) {
            double x = v[i];
            // (x - a2 y[n-2]) - a1 y[n-1]: only the second product waits for the previous output
            double p = (x - a2 * p2) - a1 * p1;
            double s = (x - d2 * s2) - d1 * s1;
            p2 = p1;
            p1 = p;
            s2 = s1;
            s1 = s;
            double q = (p - b2 * q2) - b1 * q1;
            double t = (s - e2 * t2) - e1 * t1;
            q2 = q1;
            q1 = q;
            t2 = t1;
            t1 = t;
            double r = (q - c2 * r2) - c1 * r1;
            double u = (t - f2 * u2) - f1 * u1;
            r2 = r1;
            r1 = r;
            u2 = u1;
            u1 = u;
            e += r * r;
            f += u * u;
        }
        st[i0] = p1; st[i0 + 1] = p2; st[i0 + 2] = q1; st[i0 + 3] = q2; st[i0 + 4] = r1; st[i0 + 5] = r2;
        st[j0] = s1; st[j0 + 1] = s2; st[j0 + 2] = t1; st[j0 + 3] = t2; st[j0 + 4] = u1; st[j0 + 5] = u2;
        sums[b] = e;
        sums[b + 1] = f;
    }

    /** {@link #twoBands} for the last band of an odd count (the same arithmetic per band). */
    private void oneBand(int b, int n) {
        final double[] k = denominators;
        final double[] st = state;
        final int i0 = b * 2 * SECTIONS;
        final double a1 = k[i0], a2 = k[i0 + 1], b1 = k[i0 + 2], b2 = k[i0 + 3], c1 = k[i0 + 4], c2 = k[i0 + 5];
        double p1 = st[i0], p2 = st[i0 + 1], q1 = st[i0 + 2], q2 = st[i0 + 3], r1 = st[i0 + 4], r2 = st[i0 + 5];
        double e = sums[b];
        final double[] v = numerator;
        for (int i = 0; i < n; i++) {
            double p = (v[i] - a2 * p2) - a1 * p1;
            p2 = p1;
            p1 = p;
            double q = (p - b2 * q2) - b1 * q1;
            q2 = q1;
            q1 = q;
            double r = (q - c2 * r2) - c1 * r1;
            r2 = r1;
            r1 = r;
            e += r * r;
        }
        st[i0] = p1; st[i0 + 1] = p2; st[i0 + 2] = q1; st[i0 + 3] = q2; st[i0 + 4] = r1; st[i0 + 5] = r2;
        sums[b] = e;
    }

    /** Energy (sum of squares of the band-passed signal) of band {@code b} so far. */
    public double energy(int b) { return gainSquared[b] * sums[b]; }

    /** Energies of all bands so far (a new array). */
    public double[] energies() {
        double[] e = new double[bands];
        for (int b = 0; b < bands; b++) e[b] = energy(b);
        return e;
    }
}
