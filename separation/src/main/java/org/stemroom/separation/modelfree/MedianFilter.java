package org.stemroom.separation.modelfree;

/** Median filtering of {@code [frame][bin]} magnitude arrays along time or frequency (edges: window shrinks). */
final class MedianFilter {
    private MedianFilter() { }

    /** Median over {@code len} frames (odd) centred on each frame, per bin: the harmonic-enhanced spectrogram. */
    static float[][] alongTime(float[][] x, int len) {
        int frames = x.length, bins = x[0].length, half = len / 2;
        float[][] out = new float[frames][bins];
        // bins are independent: split them over the cores (same result whatever the split)
        java.util.stream.IntStream.range(0, (bins + 63) / 64).parallel().forEach(block -> {
            float[] col = new float[frames];
            float[] win = new float[len];
            for (int b = block * 64; b < Math.min(bins, block * 64 + 64); b++) {
                for (int f = 0; f < frames; f++) col[f] = x[f][b];
                for (int f = 0; f < frames; f++) {
                    int lo = Math.max(0, f - half), hi = Math.min(frames - 1, f + half);
                    int n = hi - lo + 1;
                    System.arraycopy(col, lo, win, 0, n);
                    out[f][b] = select(win, n);
                }
            }
        });
        return out;
    }

    /** Median over {@code len} bins (odd) centred on each bin, per frame: the percussive-enhanced spectrogram. */
    static float[][] alongFrequency(float[][] x, int len) {
        int frames = x.length, bins = x[0].length, half = len / 2;
        float[][] out = new float[frames][bins];
        java.util.stream.IntStream.range(0, (frames + 31) / 32).parallel().forEach(block -> {
            float[] win = new float[len];
            for (int f = block * 32; f < Math.min(frames, block * 32 + 32); f++) {
                float[] row = x[f], o = out[f];
                for (int b = 0; b < bins; b++) {
                    int lo = Math.max(0, b - half), hi = Math.min(bins - 1, b + half);
                    int n = hi - lo + 1;
                    System.arraycopy(row, lo, win, 0, n);
                    o[b] = select(win, n);
                }
            }
        });
        return out;
    }

    /** The median (upper median for even n) of a[0..n), by quickselect; reorders a. */
    static float select(float[] a, int n) {
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
