package org.stemroom.workstation.render;

/** A fixed multichannel delay of {@code frames} samples (latency alignment); allocation only in the constructor. */
final class DelayLine {
    /** Longest stretch {@link #swap} moves through its scratch row at once. */
    static final int SCRATCH_FRAMES = 4096;

    private final float[][] ring;
    private final int length;
    private final float[] scratch;
    private int pos;

    DelayLine(int channels, int frames) {
        this.length = frames;
        this.ring = new float[channels][Math.max(1, frames)];
        this.scratch = new float[Math.min(Math.max(1, frames), SCRATCH_FRAMES)];
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
            swap(r, p, b, i, len, scratch);
            i += len;
            p += len;
            if (p == length) p = 0;
        }
        return p;
    }

    /**
     * Swaps {@code b[i, i+len)} with {@code r[p, p+len)} (two distinct arrays) by three copies through
     * {@code scratch}, a piece of at most its length at a time: the same values as a swap per sample (a copy moves
     * bits, -0 and NaN payloads included), but the JDK's copy stubs move 32 bytes an instruction where C2 compiled
     * the per-sample swap as a scalar loop (a harness of the bench render's 24 delayed channels, 4096-frame blocks:
     * 45-55 ms -> 15-22 ms a minute).
     */
    static void swap(float[] r, int p, float[] b, int i, int len, float[] scratch) {
        for (int done = 0; done < len; ) {
            int k = Math.min(len - done, scratch.length);
            System.arraycopy(b, i + done, scratch, 0, k);
            System.arraycopy(r, p + done, b, i + done, k);
            System.arraycopy(scratch, 0, r, p + done, k);
            done += k;
        }
    }

    void reset() {
        for (float[] r : ring) java.util.Arrays.fill(r, 0f);
        pos = 0;
    }
}
