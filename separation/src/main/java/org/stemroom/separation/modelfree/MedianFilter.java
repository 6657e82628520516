package org.stemroom.separation.modelfree;

import org.stemroom.separation.Workspace;

/**
 * Median filtering of {@code [frame][bin]} magnitude arrays along time or frequency (edges: window shrinks).
 *
 * <p>Magnitudes (every value {@code +0} to {@code +inf}) take the lane path: many windows slide side by side, one per
 * lane of a row (bins along time; frames of several stretches of bins along frequency), each kept sorted as a column
 * of rows, so every step is the same few operations over a whole row, which C2 vectorizes. Values of this range order
 * as their bit patterns do as {@code int}s, and equal values have equal bits, so a window holds the same values in the
 * same order as the float comparison gives and its median is the same value. Other input (a negative value, a NaN)
 * takes the scalar path: one window per bin (or frame) kept sorted by binary search and insertion. Both give exactly
 * what selecting each window's median gives ({@link #select}, the reference the tests compare with bit for bit).
 */
public final class MedianFilter {
    private static final int BIN_BLOCK = 128;
    private static final int FRAME_BLOCK = 16;
    /** Lanes a task of the lane path works on (whole rows of ints that stay in the first-level cache). */
    private static final int LANES = 256;

    private MedianFilter() { }

    /** Median over {@code len} frames centred on each frame, per bin: the harmonic-enhanced spectrogram. */
    public static float[][] alongTime(float[][] x, int len, Workspace ws) {
        int frames = x.length, bins = x[0].length;
        if (magnitudes(x)) {
            TimeLanes body = ws.object(TimeLanes.class, TimeLanes::new);
            int blocks = (bins + LANES - 1) / LANES, half = len / 2;
            body.x = x;
            body.half = half;
            // not zeroed: every output value is written, and the windows' rows and keys before they are read
            body.out = ws.floatsToOverwrite(frames, bins);
            body.rank = ws.intsToOverwrite(blocks * (2 * half + 2), LANES);
            body.in = ws.intsToOverwrite(blocks, LANES);
            return body.filter(blocks);
        }
        AlongTime body = ws.object(AlongTime.class, AlongTime::new);
        body.x = x;
        body.len = len;
        body.out = ws.floatsToOverwrite(frames, bins); // every value written
        body.sorted = ws.floatsToOverwrite(bins * len); // bin b's window, ascending, at [b*len, b*len + n): filled first
        // blocks of bins are independent: split them over the cores (same result whatever the split); within a
        // block, frame by frame along rows, so memory is read in order
        return body.filter((bins + BIN_BLOCK - 1) / BIN_BLOCK);
    }

    /**
     * A filter's loop body (long-lived, from the workspace: no allocation per call): input {@code x}, output
     * {@code out}, its tasks independent (same result whatever the split over the cores).
     */
    private abstract static class Pass implements org.stemroom.separation.ParallelFor.Body {
        float[][] x, out;

        /** Runs the tasks and hands back the output, dropping the references to the caller's arrays. */
        final float[][] filter(int tasks) {
            org.stemroom.separation.ParallelFor.run(tasks, this);
            float[][] o = out;
            x = null;
            out = null;
            return o;
        }
    }

    /** True when every value lies in {@code [+0, +inf]} (no sign bit, no NaN): the lane path's range. */
    private static boolean magnitudes(float[][] x) {
        int bad = 0;
        for (float[] row : x) bad |= outOfRange(row);
        return bad >= 0;
    }

    /** Negative when some value of the row has its sign bit set or is a NaN. */
    private static int outOfRange(float[] row) {
        int bad = 0;
        for (float v : row) {
            int bits = Float.floatToRawIntBits(v);
            bad |= bits | (0x7f800000 - bits);
        }
        return bad;
    }

    /**
     * One block of {@link #LANES} bins of {@link #alongTime} on the lane path: lane i is bin {@code b0 + i}; all lanes
     * gain and lose a value at every frame, so the windows grow and shrink at the edges together.
     */
    private static final class TimeLanes extends Pass {
        int[][] rank, in;
        int half;

        @Override
        public void run(int block) {
            int frames = x.length, bins = x[0].length, rows = 2 * half + 2;
            int b0 = block * LANES, lanes = Math.min(bins, b0 + LANES) - b0;
            int[][] s = rank;
            int base = block * rows;
            int[] v = in[block];
            int n = 0;
            for (int f = 0; f < Math.min(frames, half); f++) {
                keys(x[f], b0, v, lanes);
                insert(s, base, n++, v, lanes);
            }
            for (int f = 0; f < frames; f++) {
                if (f - half - 1 >= 0) {
                    keys(x[f - half - 1], b0, v, lanes);
                    remove(s, base, n--, v, lanes);
                }
                if (f + half < frames) {
                    keys(x[f + half], b0, v, lanes);
                    insert(s, base, n++, v, lanes);
                }
                values(s[base + n / 2], out[f], b0, lanes);
            }
        }
    }

    /** One block of bins of {@link #alongTime} (a long-lived loop body: no allocation per call). */
    private static final class AlongTime extends Pass {
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
        int frames = x.length, bins = x[0].length, half = len / 2;
        int inner = bins - 2 * half; // centres whose window lies inside the row
        // Lane path: the inner centres cut into stretches of equal length, each stretch's windows sliding over all
        // frames at once (lane = stretch x frame). A stretch starts with a full window, so it should be long against
        // the window; the last one is moved back to end at the last inner centre (some centres done twice, alike).
        int stretches = inner < 1 ? 0 : Math.max(1, Math.min(inner / (8 * len), 4 * ((LANES + frames - 1) / frames)));
        if (stretches > 0 && magnitudes(x)) {
            FrequencyLanes body = ws.object(FrequencyLanes.class, FrequencyLanes::new);
            int perTask = Math.max(1, LANES / frames), tasks = (stretches + perTask - 1) / perTask;
            body.x = x;
            body.half = half;
            body.stretches = stretches;
            body.perTask = perTask;
            body.stretch = (inner + stretches - 1) / stretches;
            // not zeroed: every output value is written (inner centres by the stretches, which cover them, the edges by
            // the tasks' frames, which cover every frame), and the windows' rows, keys and scratch before they are read
            body.out = ws.floatsToOverwrite(frames, bins);
            body.rank = ws.intsToOverwrite(tasks * (2 * half + 2), perTask * frames);
            body.in = ws.intsToOverwrite(tasks, perTask * frames);
            body.scratch = ws.floatsToOverwrite(tasks, 2 * half + 1);
            return body.filter(tasks);
        }
        int blocks = (frames + FRAME_BLOCK - 1) / FRAME_BLOCK;
        AlongFrequency body = ws.object(AlongFrequency.class, AlongFrequency::new);
        body.x = x;
        body.len = len;
        body.out = ws.floatsToOverwrite(frames, bins); // every value written; the windows filled before read
        body.scratch = ws.floatsToOverwrite(blocks, len);
        return body.filter(blocks);
    }

    /**
     * Up to {@code perTask} stretches of inner centres of {@link #alongFrequency} on the lane path (lane
     * {@code (q - q0) * frames + f}: stretch q, frame f); task t also does the edge centres (windows cut by
     * the row's ends) of frames {@code t, t + tasks, ...} by the scalar slide.
     */
    private static final class FrequencyLanes extends Pass {
        float[][] scratch;
        int[][] rank, in;
        int half, stretches, perTask, stretch;

        @Override
        public void run(int task) {
            int frames = x.length, bins = x[0].length, rows = 2 * half + 2, inner = bins - 2 * half;
            int q0 = task * perTask, q1 = Math.min(stretches, q0 + perTask), lanes = (q1 - q0) * frames;
            int base = task * rows;
            int[] v = in[task];
            int n = 0;
            for (int k = 0; k <= 2 * half; k++) { // the first windows, whole
                gather(k - half, q0, q1, v);
                insert(rank, base, n++, v, lanes);
            }
            for (int t = 0; t < stretch; t++) {
                if (t > 0) {
                    gather(t - half - 1, q0, q1, v);
                    remove(rank, base, n--, v, lanes);
                    gather(t + half, q0, q1, v);
                    insert(rank, base, n++, v, lanes);
                }
                centre(rank[base + half], t, q0, q1, inner);
            }
            // the edge centres (windows cut by the row's ends) of every task-th frame, one sorted window sliding
            int tasks = (stretches + perTask - 1) / perTask;
            float[] win = scratch[task];
            for (int f = task; f < frames; f += tasks) edges(x[f], out[f], half, win);
        }

        /**
         * Centre t of stretches q0..q1: the medians on lane path {@code med} into {@code out}, frame by frame. A method
         * of its own, as {@link #gather} is, so that {@link #run}'s own loops turn a few hundred times a call instead
         * of some 30,000: with the frame loop inside, C2 compiled run on-stack in one of its first calls and again
         * whole from its tenth (two compiles of 13 KB each in the bench render's compile log); now run reaches C2's
         * threshold for a whole compile before the one for an on-stack compile.
         */
        private void centre(int[] med, int t, int q0, int q1, int inner) {
            int frames = x.length;
            for (int q = q0; q < q1; q++) {
                int c = start(q, inner) + t, lane = (q - q0) * frames;
                for (int f = 0; f < frames; f++) out[f][c] = Float.intBitsToFloat(med[lane + f]);
            }
        }

        /** The first and last {@code half} centres of a row of at least {@code 2 * half + 1} bins. */
        private static void edges(float[] row, float[] o, int half, float[] win) {
            int bins = row.length, n = 0;
            for (int b = 0; b < half; b++) insert(win, 0, n++, row[b]);
            for (int c = 0; c < half; c++) { // window [0, c + half]
                insert(win, 0, n++, row[c + half]);
                o[c] = win[n / 2];
            }
            n = 0;
            for (int b = bins - 2 * half; b < bins; b++) insert(win, 0, n++, row[b]);
            for (int c = bins - half; c < bins; c++) { // window [c - half, bins)
                if (c > bins - half) remove(win, 0, n--, row[c - half - 1]);
                o[c] = win[n / 2];
            }
        }

        /** The first centre of stretch q. */
        private int start(int q, int inner) {
            return half + Math.min(q * stretch, inner - stretch);
        }

        /** v's lanes get the keys at offset {@code d} from each stretch's first centre, for every frame. */
        private void gather(int d, int q0, int q1, int[] v) {
            int frames = x.length, inner = x[0].length - 2 * half;
            for (int q = q0; q < q1; q++) {
                int c = start(q, inner) + d, lane = (q - q0) * frames;
                for (int f = 0; f < frames; f++) v[lane + f] = Float.floatToRawIntBits(x[f][c]);
            }
        }
    }

    // The lane kernels. Each column (lane) of rows base .. base + n - 1 of s holds one window's values, ascending
    // down the rows. Keys are the values' bit patterns, all in [0, 0x7f800000]: a difference of two never overflows,
    // so its sign bit is the comparison, and min, max and choices are masks (no branches, whole rows at a time).

    /** Inserts lane i's v[i] into its window of n values (n + 1 after). */
    private static void insert(int[][] s, int base, int n, int[] v, int lanes) {
        if (n == 0) {
            System.arraycopy(v, 0, s[base], 0, lanes);
            return;
        }
        maxInto(s[base + n], v, s[base + n - 1], lanes); // the new top: above it only the new value could be
        for (int k = n - 1; k > 0; k--) insertRow(s[base + k], s[base + k - 1], v, lanes);
        minInto(s[base], v, lanes);
    }

    /** Rank k after the insertion: max(min(old rank k, v), old rank k - 1). */
    private static void insertRow(int[] sk, int[] below, int[] v, int lanes) {
        for (int i = 0; i < lanes; i++) {
            int a = sk[i], b = v[i];
            int lo = b ^ ((a ^ b) & ((a - b) >> 31));     // min(a, b)
            int c = below[i];
            sk[i] = lo ^ ((lo ^ c) & ((lo - c) >> 31));   // max(lo, c)
        }
    }

    private static void maxInto(int[] top, int[] v, int[] below, int lanes) {
        for (int i = 0; i < lanes; i++) {
            int a = v[i], c = below[i];
            top[i] = a ^ ((a ^ c) & ((a - c) >> 31));
        }
    }

    private static void minInto(int[] s0, int[] v, int lanes) {
        for (int i = 0; i < lanes; i++) {
            int a = s0[i], b = v[i];
            s0[i] = b ^ ((a ^ b) & ((a - b) >> 31));
        }
    }

    /** Removes one value equal to lane i's u[i] from its window of n values (n - 1 after). */
    private static void remove(int[][] s, int base, int n, int[] u, int lanes) {
        for (int k = 0; k < n - 1; k++) removeRow(s[base + k], s[base + k + 1], u, lanes);
    }

    /** Rank k after the removal: old rank k where it is below u (before the removed one), else old rank k + 1. */
    private static void removeRow(int[] sk, int[] above, int[] u, int lanes) {
        for (int i = 0; i < lanes; i++) {
            int a = sk[i], b = above[i];
            sk[i] = b ^ ((a ^ b) & ((a - u[i]) >> 31));
        }
    }

    /** Lane i's key: the bit pattern of {@code row[b0 + i]}. */
    private static void keys(float[] row, int b0, int[] v, int lanes) {
        for (int i = 0; i < lanes; i++) v[i] = Float.floatToRawIntBits(row[b0 + i]);
    }

    /** The values of lane i's keys into {@code o[b0 + i]}. */
    private static void values(int[] k, float[] o, int b0, int lanes) {
        for (int i = 0; i < lanes; i++) o[b0 + i] = Float.intBitsToFloat(k[i]);
    }

    /** One block of frames of {@link #alongFrequency}. */
    private static final class AlongFrequency extends Pass {
        float[][] scratch;
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

    /**
     * The {@code q} quantile over {@code len} frames centred on each frame, for bins {@code lo..hi-1} (edges: window
     * shrinks), written into {@code out} (its other bins untouched): the value of rank {@code round(q (n - 1))} of the n
     * values in the window. For the few low bins of the kick decision (one window selected per value: no sliding
     * structure).
     */
    public static void quantileAlongTime(float[][] x, int len, double q, int lo, int hi, float[][] out, Workspace ws) {
        if (!(q >= 0 && q <= 1) || lo < 0 || hi > x[0].length) throw new IllegalArgumentException("bad quantile " + q);
        int frames = x.length, half = len / 2;
        float[] win = ws.floatsToOverwrite(len);
        for (int f = 0; f < frames; f++) {
            int g0 = Math.max(0, f - half), g1 = Math.min(frames - 1, f + half), n = g1 - g0 + 1;
            int k = (int) Math.round(q * (n - 1));
            for (int b = lo; b < hi; b++) {
                for (int g = g0; g <= g1; g++) win[g - g0] = x[g][b];
                out[f][b] = select(win, n, k);
            }
        }
    }

    /** The median (upper median for even n) of a[0..n), by quickselect; reorders a. */
    public static float select(float[] a, int n) {
        return select(a, n, n / 2);
    }

    /** The value of rank {@code k} (0: the smallest) of a[0..n), by quickselect; reorders a. */
    static float select(float[] a, int n, int k) {
        int lo = 0, hi = n - 1;
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
