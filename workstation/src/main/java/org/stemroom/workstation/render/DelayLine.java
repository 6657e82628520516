package org.stemroom.workstation.render;

/** A fixed multichannel delay of {@code frames} samples (latency alignment); allocation only in the constructor. */
final class DelayLine {
    private final float[][] ring;
    private final int length;
    private int pos;

    DelayLine(int channels, int frames) {
        this.length = frames;
        this.ring = new float[channels][Math.max(1, frames)];
    }

    int frames() { return length; }

    /** Delays {@code buf[c][0..n)} in place. */
    void process(float[][] buf, int channels, int n) {
        if (length == 0) return;
        int p = pos;
        for (int c = 0; c < channels; c++) p = swapThrough(ring[c], buf[c], n);
        pos = p;
    }

    /**
     * Each sample of {@code b[0..n)} in turn swapped with the ring's slot at the running position (the oldest
     * sample out, the new one in), as stretches that do not wrap: a plain loop per stretch instead of a wrap test
     * per sample. The same order of swaps, so the same result for any n, also when n exceeds the delay. Returns
     * the position after the block.
     */
    private int swapThrough(float[] r, float[] b, int n) {
        int p = pos;
        for (int i = 0; i < n; ) {
            int len = Math.min(n - i, length - p);
            swap(r, p, b, i, len);
            i += len;
            p += len;
            if (p == length) p = 0;
        }
        return p;
    }

    private static void swap(float[] r, int p, float[] b, int i, int len) {
        for (int j = 0; j < len; j++) {
            float v = b[i + j];
            b[i + j] = r[p + j];
            r[p + j] = v;
        }
    }

    void reset() {
        for (float[] r : ring) java.util.Arrays.fill(r, 0f);
        pos = 0;
    }
}
