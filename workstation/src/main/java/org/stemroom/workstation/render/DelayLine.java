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
        int p = 0;
        for (int c = 0; c < channels; c++) {
            float[] r = ring[c];
            float[] b = buf[c];
            p = pos;
            for (int i = 0; i < n; i++) {
                float v = b[i];
                b[i] = r[p];
                r[p] = v;
                if (++p == length) p = 0;
            }
        }
        pos = p;
    }

    void reset() {
        for (float[] r : ring) java.util.Arrays.fill(r, 0f);
        pos = 0;
    }
}
