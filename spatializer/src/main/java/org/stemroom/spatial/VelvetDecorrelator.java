package org.stemroom.spatial;

import java.util.SplittableRandom;

/**
 * A velvet-noise decorrelation filter (Alary, Politis &amp; Välimäki, "Velvet-noise decorrelator", DAFx 2017):
 * a sparse FIR of ±1 impulses, one at a random position in each of many short segments, under a decaying
 * envelope and normalised to unit energy. Filtering a signal with two such filters of different seeds gives two
 * copies that are mutually incoherent yet sound like the original; the sparse taps make it cheap
 * (about 1500 taps per second of filter length).
 *
 * <p>Deterministic: the taps follow from the seed and the sample rate. {@link #process} does not allocate.
 */
public final class VelvetDecorrelator {
    /** Filter length in seconds: long enough to decorrelate down to a few hundred Hz, short enough not to smear. */
    public static final double LENGTH_SECONDS = 0.020;
    /** Impulses per second. */
    public static final double DENSITY = 1500;
    /** Envelope decay over the filter length, dB. */
    public static final double DECAY_DB = 30;

    private final int[] positions;
    private final float[] gains;
    private final float[] history;
    private final int mask;
    private int write;

    public VelvetDecorrelator(double sampleRate, long seed) {
        int length = (int) Math.round(LENGTH_SECONDS * sampleRate);
        int taps = Math.max(4, (int) Math.round(LENGTH_SECONDS * DENSITY));
        double segment = length / (double) taps;
        SplittableRandom rnd = new SplittableRandom(seed);
        positions = new int[taps];
        gains = new float[taps];
        double energy = 0;
        double[] g = new double[taps];
        for (int m = 0; m < taps; m++) {
            // never at lag 0, so the output shares no instantaneous component with the input
            int pos = (int) Math.floor(m * segment + rnd.nextDouble() * (segment - 1)) + 1;
            positions[m] = Math.min(pos, length);
            double env = Math.pow(10, -DECAY_DB / 20 * m / taps);
            g[m] = (rnd.nextBoolean() ? 1 : -1) * env;
            energy += env * env;
        }
        for (int m = 0; m < taps; m++) gains[m] = (float) (g[m] / Math.sqrt(energy));
        int size = Integer.highestOneBit(length + 1) << 1;
        history = new float[size];
        mask = size - 1;
    }

    /** Filters {@code in[off..off+len)} into {@code out[off..off+len)} (may be the same array). */
    public void process(float[] in, float[] out, int off, int len) {
        int[] pos = positions;
        float[] g = gains;
        float[] h = history;
        for (int i = off; i < off + len; i++) {
            h[write] = in[i];
            float acc = 0f;
            for (int k = 0; k < pos.length; k++) acc += g[k] * h[(write - pos[k]) & mask];
            out[i] = acc;
            write = (write + 1) & mask;
        }
    }

    /** Filters one sample. */
    public float process(float x) {
        history[write] = x;
        float acc = 0f;
        for (int k = 0; k < positions.length; k++) acc += gains[k] * history[(write - positions[k]) & mask];
        write = (write + 1) & mask;
        return acc;
    }

    /** Keeps the history current without computing output (while the filter's output is not needed). */
    public void feed(float[] in, int off, int len) {
        for (int i = off; i < off + len; i++) {
            history[write] = in[i];
            write = (write + 1) & mask;
        }
    }

    /** Gain at DC (sum of the taps). */
    double dcGain() {
        double s = 0;
        for (float g : gains) s += g;
        return s;
    }

    public void reset() {
        java.util.Arrays.fill(history, 0f);
        write = 0;
    }

    /** Number of non-zero taps. */
    public int taps() { return positions.length; }
}
