package org.stemroom.core.dsp;

/**
 * {@link BandEnergyMeter} for up to six channels at once, with the same numbers to the bit: every channel's every
 * band is one of {@value #LANES} lanes of one loop, which C2 turns into vector instructions (four lanes an
 * instruction with AVX2). Per channel and band the operations and their order are the meter's: the shared
 * numerator {@code (1 - z^-2)^3} in double, the three all-pole sections, the squares summed in time order, the
 * gains last. A render's fold-down checks measure the reference's two channels, the Lo/Ro fold's two and the Lt/Rt
 * encode's two in one of these (six channels of an octave bank: 60 of the 64 lanes): 0.84-0.90 ns a band-sample
 * against 1.65 for lone meters (Zen 5, 48 kHz, thread CPU; docs/render-speed-history.md, sessions 30-32). Fewer
 * channels leave lanes at zero, which cost as much as used ones: four channels take 1.10 ns a used band-sample,
 * what a loop of 40 lanes took with the input staged as whole rows (session 32).
 *
 * <p>Why the code has this shape (C2 of Java 17; every other shape measured slower than the meter): all operands in
 * ONE array at constant offsets and a constant trip count, so the compiler can see that the lanes' regions do not
 * overlap (separate arrays, or a trip count that is a field, leave the loop scalar: 2-3x slower than the meter); two
 * samples a pass, in two loops (sections 1-2, then section 3 and the sums) that are small enough for C2 to unroll and
 * vectorize (one loop of all three sections for two samples is not); the lanes' input for the next pass stored in
 * a second slot while this pass runs (the broadcast of each channel's sample stored just before the loop's vector
 * loads of it stalls them).
 */
public final class BandEnergyLanes {
    /** Lanes of the loop: channels x bands, at most 6 channels of an octave bank (10 bands at most). */
    static final int LANES = 64;
    // Regions of the work array, LANES doubles each: the sections' coefficients, their last two outputs, the sums,
    // and two slots of a pass's two input rows (X0, X1 and X2, X3). Constants, so that the loops' offsets are (see
    // the class comment).
    private static final int A1 = 0, A2 = LANES, B1 = 2 * LANES, B2 = 3 * LANES, C1 = 4 * LANES, C2 = 5 * LANES;
    private static final int P1 = 6 * LANES, P2 = 7 * LANES, Q1 = 8 * LANES, Q2 = 9 * LANES, R1 = 10 * LANES, R2 = 11 * LANES;
    private static final int S = 12 * LANES, X0 = 13 * LANES, X2 = 15 * LANES;

    private final int channels;
    private final int bands;
    /** Lanes no channel uses hold zeros: zero coefficients and input, so they stay zero. */
    private final double[] w = new double[17 * LANES];
    private final double[] gainSquared = new double[LANES];
    private final double[][] past;
    private final double[][] numerator;

    public BandEnergyLanes(OctaveBandFilterBank bank, int channels) {
        this.channels = channels;
        this.bands = bank.size();
        if (channels < 1 || channels * bands > LANES) {
            throw new IllegalArgumentException(channels + " channels of " + bands + " bands: more than " + LANES + " lanes");
        }
        past = new double[channels][6];
        numerator = new double[channels][BandEnergyMeter.CHUNK];
        double[] k = new double[2 * BandEnergyMeter.SECTIONS];
        for (int b = 0; b < bands; b++) {
            double g = BandEnergyMeter.allPoleSections(bank, b, k, 0);
            for (int c = 0; c < channels; c++) {
                int j = c * bands + b;
                gainSquared[j] = g;
                w[A1 + j] = k[0]; w[A2 + j] = k[1];
                w[B1 + j] = k[2]; w[B2 + j] = k[3];
                w[C1 + j] = k[4]; w[C2 + j] = k[5];
            }
        }
    }

    /** Feeds frames {@code [off, off+len)} of every channel ({@code x.length} must be {@link #channels}), the next in time. */
    public void process(float[][] x, int off, int len) {
        if (x.length != channels) throw new IllegalArgumentException(x.length + " channels, the meter has " + channels);
        for (int done = 0; done < len; ) {
            int n = Math.min(BandEnergyMeter.CHUNK, len - done);
            for (int c = 0; c < channels; c++) BandEnergyMeter.numerator(x[c], off + done, n, past[c], numerator[c]);
            int pairs = n / 2;
            if (pairs > 0) putPair(0, X0);
            for (int k = 0; k < pairs; k++) {
                // the next pair's input goes to the other slot a pass ahead: the loops' vector loads then read
                // stores that have left the store buffer
                boolean even = (k & 1) == 0;
                if (k + 1 < pairs) putPair(2 * k + 2, even ? X2 : X0);
                if (even) {
                    sectionsOneTwo(w, X0);
                    sectionThreeAndSums(w, X0);
                } else {
                    sectionsOneTwo(w, X2);
                    sectionThreeAndSums(w, X2);
                }
            }
            if ((n & 1) != 0) {
                putOne(n - 1);
                oneSample(w);
            }
            done += n;
        }
    }

    /**
     * Rows {@code slot} and {@code slot + LANES}: every lane of channel c gets its numerator at samples i and i + 1.
     * Stored straight into the work array, lane by lane (about half the cost of staging 64 rows and copying two a
     * pass in: docs/render-speed-history.md, session 32).
     */
    private void putPair(int i, int slot) {
        for (int c = 0; c < channels; c++) {
            double[] v = numerator[c];
            double v0 = v[i], v1 = v[i + 1];
            for (int j = c * bands; j < (c + 1) * bands; j++) {
                w[slot + j] = v0;
                w[slot + LANES + j] = v1;
            }
        }
    }

    /** Row X0: every lane of channel c gets its numerator at sample i (the last of an odd count). */
    private void putOne(int i) {
        for (int c = 0; c < channels; c++) {
            double v = numerator[c][i];
            for (int j = c * bands; j < (c + 1) * bands; j++) w[X0 + j] = v;
        }
    }

    /** Sections 1 and 2 of two samples (rows X0, X1), their outputs written over the rows. */
    private static void sectionsOneTwo(double[] w, int x) {
        for (int j = 0; j < LANES; j++) {
            double a1 = w[A1 + j], a2 = w[A2 + j], b1 = w[B1 + j], b2 = w[B2 + j];
            double p1 = w[P1 + j], p2 = w[P2 + j], q1 = w[Q1 + j], q2 = w[Q2 + j];
            double p = (w[x + j] - a2 * p2) - a1 * p1;
            double q = (p - b2 * q2) - b1 * q1;
            double pn = (w[x + LANES + j] - a2 * p1) - a1 * p;
            double qn = (pn - b2 * q1) - b1 * q;
            w[x + j] = q;
            w[x + LANES + j] = qn;
            w[P2 + j] = p;
            w[P1 + j] = pn;
            w[Q2 + j] = q;
            w[Q1 + j] = qn;
        }
    }

    /** Section 3 of the two samples that {@link #sectionsOneTwo} left in the rows, and the squares summed in time order. */
    private static void sectionThreeAndSums(double[] w, int x) {
        for (int j = 0; j < LANES; j++) {
            double c1 = w[C1 + j], c2 = w[C2 + j];
            double r1 = w[R1 + j], r2 = w[R2 + j];
            double r = (w[x + j] - c2 * r2) - c1 * r1;
            double rn = (w[x + LANES + j] - c2 * r1) - c1 * r;
            w[S + j] = (w[S + j] + r * r) + rn * rn;
            w[R2 + j] = r;
            w[R1 + j] = rn;
        }
    }

    /** All three sections and the sum for one sample (row X0): the last of an odd count. */
    private static void oneSample(double[] w) {
        for (int j = 0; j < LANES; j++) {
            double p = (w[X0 + j] - w[A2 + j] * w[P2 + j]) - w[A1 + j] * w[P1 + j];
            w[P2 + j] = w[P1 + j];
            w[P1 + j] = p;
            double q = (p - w[B2 + j] * w[Q2 + j]) - w[B1 + j] * w[Q1 + j];
            w[Q2 + j] = w[Q1 + j];
            w[Q1 + j] = q;
            double r = (q - w[C2 + j] * w[R2 + j]) - w[C1 + j] * w[R1 + j];
            w[R2 + j] = w[R1 + j];
            w[R1 + j] = r;
            w[S + j] += r * r;
        }
    }

    /** Energy (sum of squares of the band-passed signal) of channel {@code c}'s band {@code b} so far. */
    public double energy(int c, int b) {
        int j = c * bands + b;
        return gainSquared[j] * w[S + j];
    }
}
