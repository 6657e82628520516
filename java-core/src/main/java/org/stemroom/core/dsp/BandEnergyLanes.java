package org.stemroom.core.dsp;

/**
 * {@link BandEnergyMeter} for up to six channels at once, with the same numbers to the bit: every channel's every
 * band is one of {@value #LANES} lanes of one loop, which C2 turns into vector instructions (four lanes an
 * instruction with AVX2). Per channel and band the operations and their order are the meter's: the shared
 * numerator {@code (1 - z^-2)^3} in double, the three all-pole sections, the squares summed in time order, the
 * gains last. A render's fold-down checks measure the reference's two channels, the Lo/Ro fold's two and the Lt/Rt
 * encode's two in one of these (six channels of an octave bank: 60 of the 64 lanes): 0.84-0.88 ns a band-sample
 * against 1.12-1.16 for four channels in 40 lanes and 1.5 for a lone meter (Zen 5, 48 kHz, thread CPU;
 * docs/render-speed-history.md, sessions 30 and 31). Fewer channels leave lanes at zero, which cost as much as used
 * ones: four channels in 64 lanes take about 0.86 x 64 / 40 = 1.4 ns a used band-sample.
 *
 * <p>Why the code has this shape (C2 of Java 17; every other shape measured slower than the meter): all operands in
 * ONE array at constant offsets and a constant trip count, so the compiler can see that the lanes' regions do not
 * overlap (separate arrays, or a trip count that is a field, leave the loop scalar: 2-3x slower than the meter); two
 * samples a pass, in two loops (sections 1-2, then section 3 and the sums) that are small enough for C2 to unroll and
 * vectorize (one loop of all three sections for two samples is not); the lanes' input written as whole rows by
 * {@code arraycopy} (the broadcast of each channel's sample stored just before the loop's vector loads of it stalls
 * them).
 */
public final class BandEnergyLanes {
    /** Lanes of the loop: channels x bands, at most 6 channels of an octave bank (10 bands at most). */
    static final int LANES = 64;
    /** Rows of lane inputs prepared per pass of the fill. */
    private static final int ROWS = 64;
    // Regions of the work array, LANES doubles each: the sections' coefficients, their last two outputs, the sums,
    // and the two input rows of a pass. Constants, so that the loops' offsets are (see the class comment).
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
    private final double[] rows = new double[ROWS * LANES];

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
            for (int i0 = 0; i0 < n; i0 += ROWS) {
                int m = Math.min(ROWS, n - i0);
                fillRows(i0, m);
                int pairs = m / 2;
                if (pairs > 0) System.arraycopy(rows, 0, w, X0, 2 * LANES);
                for (int k = 0; k < pairs; k++) {
                    // the next pair's rows go to the other slot a pass ahead: the loops' vector loads then read
                    // stores that have left the store buffer
                    boolean even = (k & 1) == 0;
                    if (k + 1 < pairs) System.arraycopy(rows, (2 * k + 2) * LANES, w, even ? X2 : X0, 2 * LANES);
                    if (even) {
                        sectionsOneTwo(w, X0);
                        sectionThreeAndSums(w, X0);
                    } else {
                        sectionsOneTwo(w, X2);
                        sectionThreeAndSums(w, X2);
                    }
                }
                if ((m & 1) != 0) {
                    System.arraycopy(rows, (m - 1) * LANES, w, X0, LANES);
                    oneSample(w);
                }
            }
            done += n;
        }
    }

    /** rows[t][c * bands + b] = channel c's numerator at sample i0 + t, for t < m. */
    private void fillRows(int i0, int m) {
        for (int c = 0; c < channels; c++) {
            double[] v = numerator[c];
            for (int j = c * bands; j < (c + 1) * bands; j++) {
                for (int t = 0; t < m; t++) rows[t * LANES + j] = v[i0 + t];
            }
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
