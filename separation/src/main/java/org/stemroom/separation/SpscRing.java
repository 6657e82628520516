package org.stemroom.separation;

/**
 * A single-producer ring of multichannel float frames addressed by absolute frame position, lock-free: the
 * producer publishes with a volatile write of its position after copying, readers check positions before copying.
 * Readers never block the producer; a reader that falls more than {@link #capacity()} behind finds its frames
 * overwritten ({@link #oldest()} tells). Preallocated; nothing allocates after construction.
 */
final class SpscRing {
    private final float[][] data;
    private final int capacity;
    private volatile long written;

    SpscRing(int channels, int capacity) {
        this.data = new float[channels][capacity];
        this.capacity = capacity;
    }

    int capacity() { return capacity; }

    /** Frames written so far (the absolute position one past the newest frame). */
    long written() { return written; }

    /** Oldest absolute position still held. */
    long oldest() { return Math.max(0, written - capacity); }

    /** Forgets everything written (position back to 0). Producer side only, or while nobody else uses the ring. */
    void clear() { written = 0; }

    /** Appends {@code n} frames from {@code src[c][off..]}. Producer thread only. */
    void write(float[][] src, int off, int n) {
        long w = written;
        for (int c = 0; c < data.length; c++) {
            int p = (int) (w % capacity);
            int first = Math.min(n, capacity - p);
            System.arraycopy(src[c], off, data[c], p, first);
            if (first < n) System.arraycopy(src[c], off + first, data[c], 0, n - first);
        }
        written = w + n;
    }

    /** Copies frames {@code [pos, pos+n)} into {@code dst[c][off..]}; the caller has checked they are held. */
    void read(long pos, float[][] dst, int off, int n) {
        for (int c = 0; c < data.length; c++) {
            int p = (int) (pos % capacity);
            int first = Math.min(n, capacity - p);
            System.arraycopy(data[c], p, dst[c], off, first);
            if (first < n) System.arraycopy(data[c], 0, dst[c], off + first, n - first);
        }
    }
}
