package org.stemroom.workstation.report;

import java.util.List;

/**
 * How exactly the separated stems sum back to the input: the largest absolute sample error (full scale 1), measured
 * as the stems stream out of the separator (a render checks while it writes, rather than reading every stem file
 * back). The stems are summed in double precision in their given order, so with float stem files the figure is
 * exactly that of the files.
 *
 * <p>The input runs ahead of the stems (a separator reads a whole window before its first stem frame comes out):
 * input frames wait in a first-in first-out buffer that grows to the largest lead seen, a few windows.
 */
public final class MixtureCheck {
    private final int channels;
    private float[][] fifo;   // input frames not yet matched by stem frames, circular
    private int head;         // index of the oldest waiting frame
    private int waiting;      // frames waiting
    private double worst;
    private double[] sum = new double[0]; // per-block scratch: the stems' sum of one channel
    private long inputFrames;
    private long stemFrames;

    public MixtureCheck(int channels) {
        this.channels = channels;
        this.fifo = new float[channels][1 << 16];
    }

    /** The next {@code n} input frames (from {@code off} in every channel of {@code x}). */
    public void input(float[][] x, int off, int n) {
        if (waiting + n > fifo[0].length) grow(waiting + n);
        int cap = fifo[0].length;
        int tail = (head + waiting) % cap;
        int first = Math.min(n, cap - tail);
        for (int c = 0; c < channels; c++) {
            System.arraycopy(x[c], off, fifo[c], tail, first);
            System.arraycopy(x[c], off + first, fifo[c], 0, n - first);
        }
        waiting += n;
        inputFrames += n;
    }

    private void grow(int need) {
        int cap = fifo[0].length;
        int size = Integer.highestOneBit(need - 1) << 1;
        float[][] f = new float[channels][size];
        for (int c = 0; c < channels; c++) {
            int first = Math.min(waiting, cap - head);
            System.arraycopy(fifo[c], head, f[c], 0, first);
            System.arraycopy(fifo[c], 0, f[c], first, waiting - first);
        }
        fifo = f;
        head = 0;
    }

    /**
     * The stems' next {@code count} frames (from {@code off}), every stem with the input's channel count; the input
     * frames they stand for must have been given already.
     */
    public void stems(List<float[][]> stems, int off, int count) {
        if (count > waiting) {
            throw new IllegalStateException("stems ahead of the input: " + (stemFrames + count) + " stem frames, "
                    + inputFrames + " input frames");
        }
        int cap = fifo[0].length;
        if (sum.length < count) sum = new double[count];
        double[] acc = sum;
        double w = worst;
        for (int c = 0; c < channels; c++) {
            // stem by stem over the block: each sample's sum is still 0 + stem 0 + stem 1 + ... in stem order
            java.util.Arrays.fill(acc, 0, count, 0.0);
            for (int k = 0; k < stems.size(); k++) add(stems.get(k)[c], off, acc, count);
            float[] in = fifo[c];
            int first = Math.min(count, cap - head);
            w = worst(acc, 0, in, head, first, w);
            w = worst(acc, first, in, head - cap, count, w);
        }
        worst = w;
        head = (head + count) % cap;
        waiting -= count;
        stemFrames += count;
    }

    // one loop per method: C2 compiles each once, instead of stems() on-stack per loop head and again

    private static void add(float[] x, int off, double[] acc, int count) {
        for (int i = 0; i < count; i++) acc[i] += x[off + i];
    }

    /** max(w, |acc[i] - in[i + shift]|) over i in [from, to). */
    private static double worst(double[] acc, int from, float[] in, int shift, int to, double w) {
        for (int i = from; i < to; i++) w = Math.max(w, Math.abs(acc[i] - in[shift + i]));
        return w;
    }

    /** The largest error so far; NaN when the stems did not cover the whole input. */
    public double maxError() {
        return stemFrames == inputFrames ? worst : Double.NaN;
    }
}
