package org.stemroom.separation.modelfree;

import org.stemroom.separation.Workspace;

/**
 * Median filtering of {@code [frame][bin]} magnitude arrays along time or frequency (edges: window shrinks).
 *
 * <p>Both filters slide a sorted window: each step removes the value that leaves (binary search, shift) and inserts
 * the one that enters (insertion), so a step costs a short memory move instead of a selection over the whole window;
 * the median of the same values is the same value, so the result is exactly that of selecting each window's median
 * ({@link #select}, the reference the tests compare with bit for bit).
 */
public final class MedianFilter {
    private static final int BIN_BLOCK = 128;
    private static final int FRAME_BLOCK = 16;

    private MedianFilter() { }

    /** Median over {@code len} frames centred on each frame, per bin: the harmonic-enhanced spectrogram. */
    public static float[][] alongTime(float[][] x, int len, Workspace ws) {
        int frames = x.length, bins = x[0].length;
        AlongTime body = ws.object(AlongTime.class, AlongTime::new);
        body.x = x;
        body.len = len;
        body.out = ws.floats(frames, bins);
        body.sorted = ws.floats(bins * len); // bin b's window, ascending, at [b*len, b*len + n)
        // blocks of bins are independent: split them over the cores (same result whatever the split); within a
        // block, frame by frame along rows, so memory is read in order
        org.stemroom.separation.ParallelFor.run((bins + BIN_BLOCK - 1) / BIN_BLOCK, body);
        float[][] out = body.out;
        body.x = null;
        body.out = null;
        return out;
    }

    /** One block of bins of {@link #alongTime} (a long-lived loop body: no allocation per call). */
    private static final class AlongTime implements org.stemroom.separation.ParallelFor.Body {
        float[][] x, out;
        float[] sorted;
        int len;

        @Override
        public void run(int block) {
            int frames = x.length, bins = x[0].length, half = len / 2;
            int b0 = block * BIN_BLOCK, b1 = Math.min(bins, b0 + BIN_BLOCK);
            // one loop over the bins per method: as one body, C2 compiled run() on-stack at each loop head and again
            int n = 0;
            for (int f = 0; f < Math.min(frames, half); f++) insertRow(x[f], b0, b1, n++);
            for (int f = 0; f < frames; f++) {
                if (f - half - 1 >= 0) removeRow(x[f - half - 1], b0, b1, n--);
                if (f + half < frames) insertRow(x[f + half], b0, b1, n++);
                medians(out[f], b0, b1, n / 2);
            }
        }

        /** Each bin's sorted window of {@code n} values gets the row's value. */
        private void insertRow(float[] row, int b0, int b1, int n) {
            for (int b = b0; b < b1; b++) insert(sorted, b * len, n, row[b]);
        }

        /** Each bin's sorted window of {@code n} values loses the row's value. */
        private void removeRow(float[] row, int b0, int b1, int n) {
            for (int b = b0; b < b1; b++) remove(sorted, b * len, n, row[b]);
        }

        private void medians(float[] o, int b0, int b1, int mid) {
            for (int b = b0; b < b1; b++) o[b] = sorted[b * len + mid];
        }
    }

    /** Median over {@code len} bins centred on each bin, per frame: the percussive-enhanced spectrogram. */
    public static float[][] alongFrequency(float[][] x, int len, Workspace ws) {
        int frames = x.length, bins = x[0].length;
        int blocks = (frames + FRAME_BLOCK - 1) / FRAME_BLOCK;
        AlongFrequency body = ws.object(AlongFrequency.class, AlongFrequency::new);
        body.x = x;
        body.len = len;
        body.out = ws.floats(frames, bins);
        body.scratch = ws.floats(blocks, len);
        org.stemroom.separation.ParallelFor.run(blocks, body);
        float[][] out = body.out;
        body.x = null;
        body.out = null;
        return out;
    }

    /** One block of frames of {@link #alongFrequency}. */
    private static final class AlongFrequency implements org.stemroom.separation.ParallelFor.Body {
        float[][] x, out, scratch;
        int len;

        @Override
        public void run(int block) {
            int frames = x.length, bins = x[0].length, half = len / 2;
            float[] win = scratch[block];
            for (int f = block * FRAME_BLOCK; f < Math.min(frames, block * FRAME_BLOCK + FRAME_BLOCK); f++) {
                float[] row = x[f], o = out[f];
                int n = 0;
                for (int b = 0; b < Math.min(bins, half); b++) insert(win, 0, n++, row[b]);
                for (int b = 0; b < bins; b++) {
                    if (b - half - 1 >= 0) remove(win, 0, n--, row[b - half - 1]);
                    if (b + half < bins) insert(win, 0, n++, row[b + half]);
                    o[b] = win[n / 2];
                }
            }
        }
    }

    /** Inserts v into the ascending a[base, base+n) (one free slot after it). */
    private static void insert(float[] a, int base, int n, float v) {
        int i = base + n;
        while (i > base && a[i - 1] > v) {
            a[i] = a[i - 1];
            i--;
        }
        a[i] = v;
    }

    /** Removes one value equal to v from the ascending a[base, base+n). */
    private static void remove(float[] a, int base, int n, float v) {
        int lo = base, hi = base + n - 1;
        while (lo < hi) { // first index whose value is not below v
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) lo = mid + 1; else hi = mid;
        }
        if (!(a[lo] == v)) lo = base + n - 1; // not found (NaN input): drop the last, keep the count right
        System.arraycopy(a, lo + 1, a, lo, base + n - 1 - lo);
    }

    /**
     * The reference: each window's median selected on its own ({@link #select}), along time ({@code alongTime}) or
     * frequency. What the sliding filters must equal bit for bit; benchmarked next to them.
     */
    public static float[][] bySelection(float[][] x, int len, boolean alongTime) {
        int frames = x.length, bins = x[0].length, half = len / 2;
        float[][] out = new float[frames][bins];
        float[] win = new float[len];
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) {
                int n = 0;
                if (alongTime) {
                    for (int g = Math.max(0, f - half); g <= Math.min(frames - 1, f + half); g++) win[n++] = x[g][b];
                } else {
                    for (int c = Math.max(0, b - half); c <= Math.min(bins - 1, b + half); c++) win[n++] = x[f][c];
                }
                out[f][b] = select(win, n);
            }
        }
        return out;
    }

    /** The median (upper median for even n) of a[0..n), by quickselect; reorders a. */
    public static float select(float[] a, int n) {
        int k = n / 2, lo = 0, hi = n - 1;
        while (hi > lo) {
            float pivot = a[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    float t = a[i]; a[i] = a[j]; a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j; else if (k >= i) lo = i; else return a[k];
        }
        return a[k];
    }
}
