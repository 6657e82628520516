package org.stemroom.separation;

import java.util.ArrayList;
import java.util.Arrays;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;

/**
 * Working memory a separator reuses from call to call, so that separating window after window of the same length
 * (the plugin's worker, a long render) allocates nothing once the first window has sized it. Arrays are handed out
 * by shape; {@link #rewind()} at the start of a call makes all of them available again, so an array taken in one
 * call must not be used after the next call's rewind (stems a separator returns from workspace memory are valid
 * until its next call). Every array is handed out zeroed, exactly like a new one, so results do not depend on what
 * the previous call left; the {@code ...ToOverwrite} forms skip the zeroing for a caller that writes every value
 * before it reads any (they share the plain form's shelf).
 *
 * <p>Not thread-safe: take arrays on the calling thread, then hand them to parallel tasks.
 */
public final class Workspace {
    /** Arrays of one kind and shape, the first {@code used} of them taken since the last rewind. */
    private static final class Shelf {
        final int kind, rows, cols;
        final Class<?> type; // for OBJECT shelves
        final ArrayList<Object> items = new ArrayList<>();
        int used;

        Shelf(int kind, int rows, int cols, Class<?> type) {
            this.kind = kind;
            this.rows = rows;
            this.cols = cols;
            this.type = type;
        }
    }

    private static final int FLOAT = 0, FLOAT2 = 1, DOUBLE = 2, INT2 = 3, SPECTROGRAM = 4, STFT = 5, ROWS = 6, SPECTROGRAM_REFS = 7, STFT_REFS = 8, ROWS3 = 9, OBJECT = 10, MATRICES = 11;

    private final ArrayList<Shelf> shelves = new ArrayList<>();
    private final boolean reuse;

    /** A workspace that reuses its arrays after {@link #rewind()}. */
    public Workspace() { this(true); }

    private Workspace(boolean reuse) { this.reuse = reuse; }

    /** A workspace that never reuses (every request allocates): for one-off analyses that keep their arrays. */
    public static Workspace oneOff() { return new Workspace(false); }

    /** Whether this workspace hands its arrays out again after a rewind (false for {@link #oneOff()}). */
    public boolean reuses() { return reuse; }

    /** Makes every array available again (start of a call). */
    public void rewind() {
        for (int i = 0; i < shelves.size(); i++) shelves.get(i).used = 0;
    }

    private Shelf shelf(int kind, int rows, int cols) {
        return shelf(kind, rows, cols, null);
    }

    private Shelf shelf(int kind, int rows, int cols, Class<?> type) {
        for (int i = 0; i < shelves.size(); i++) {
            Shelf s = shelves.get(i);
            if (s.kind == kind && s.rows == rows && s.cols == cols && s.type == type) return s;
        }
        Shelf s = new Shelf(kind, rows, cols, type);
        shelves.add(s);
        return s;
    }

    /** The next free item of a shelf, or null when a new one must be made (and is then added with {@link #keep}). */
    private Object next(Shelf s) {
        if (!reuse || s.used == s.items.size()) return null;
        return s.items.get(s.used++);
    }

    private <T> T keep(Shelf s, T item) {
        if (reuse) {
            s.items.add(item);
            s.used++;
        }
        return item;
    }

    public float[] floats(int n) {
        float[] a = floatsToOverwrite(n);
        Arrays.fill(a, 0f);
        return a;
    }

    /** {@link #floats(int)} as the previous call left it (not zeroed): for a caller that writes every value first. */
    public float[] floatsToOverwrite(int n) {
        Shelf s = shelf(FLOAT, 1, n);
        float[] a = (float[]) next(s);
        return a != null ? a : keep(s, new float[n]);
    }

    public double[] doubles(int n) {
        Shelf s = shelf(DOUBLE, 1, n);
        double[] a = (double[]) next(s);
        if (a == null) return keep(s, new double[n]);
        Arrays.fill(a, 0.0);
        return a;
    }

    /** A zeroed {@code rows x cols} matrix. */
    public float[][] floats(int rows, int cols) {
        float[][] a = floatsToOverwrite(rows, cols);
        for (float[] r : a) Arrays.fill(r, 0f);
        return a;
    }

    /** {@link #floats(int, int)} as the previous call left it (not zeroed): for a caller that writes every value first. */
    public float[][] floatsToOverwrite(int rows, int cols) {
        Shelf s = shelf(FLOAT2, rows, cols);
        float[][] a = (float[][]) next(s);
        return a != null ? a : keep(s, new float[rows][cols]);
    }

    public int[][] ints(int rows, int cols) {
        int[][] a = intsToOverwrite(rows, cols);
        for (int[] r : a) Arrays.fill(r, 0);
        return a;
    }

    /** {@link #ints} as the previous call left it (not zeroed): for a caller that writes every value before reading it. */
    public int[][] intsToOverwrite(int rows, int cols) {
        Shelf s = shelf(INT2, rows, cols);
        int[][] a = (int[][]) next(s);
        return a != null ? a : keep(s, new int[rows][cols]);
    }

    /** A zeroed spectrogram. */
    public Spectrogram spectrogram(int frames, int bins) {
        Shelf s = shelf(SPECTROGRAM, frames, bins);
        Spectrogram a = (Spectrogram) next(s);
        if (a == null) return keep(s, new Spectrogram(frames, bins));
        for (int f = 0; f < frames; f++) {
            Arrays.fill(a.re(f), 0f);
            Arrays.fill(a.im(f), 0f);
        }
        return a;
    }

    /**
     * A spectrogram of this shape handed out as the previous call left it (not zeroed), for a caller that writes
     * every value before it reads any (a masked copy of another spectrogram): the zeroing would be overwritten. It
     * shares {@link #spectrogram}'s shelf.
     */
    public Spectrogram spectrogramToOverwrite(int frames, int bins) {
        Shelf s = shelf(SPECTROGRAM, frames, bins);
        Spectrogram a = (Spectrogram) next(s);
        return a != null ? a : keep(s, new Spectrogram(frames, bins));
    }

    /**
     * A working object of this type (made by {@code make} the first time, then the same objects again after each
     * rewind, in the order taken). Unlike arrays it is handed out as the previous call left it: its owner
     * re-initialises it. Pass a constructor reference ({@code Foo::new}), which allocates nothing itself.
     */
    public <T> T object(Class<T> type, java.util.function.Supplier<T> make) {
        Shelf s = shelf(OBJECT, 0, 0, type);
        Object a = next(s);
        return a != null ? type.cast(a) : keep(s, make.get());
    }

    /** An array of {@code n} null rows, to hold arrays taken elsewhere (handed out nulled, like a new one). */
    public float[][] rows(int n) {
        Shelf s = shelf(ROWS, 1, n);
        float[][] a = (float[][]) next(s);
        if (a == null) return keep(s, new float[n][]);
        Arrays.fill(a, null);
        return a;
    }

    /** An {@code n x m} array of null rows (e.g. stems x channels), handed out nulled. */
    public float[][][] rows(int n, int m) {
        Shelf s = shelf(ROWS3, n, m);
        float[][][] a = (float[][][]) next(s);
        if (a == null) return keep(s, new float[n][m][]);
        for (float[][] r : a) Arrays.fill(r, null);
        return a;
    }

    /** An array of {@code n} null matrix references (to hold matrices taken elsewhere), handed out nulled. */
    public float[][][] matrices(int n) {
        Shelf s = shelf(MATRICES, 1, n);
        float[][][] a = (float[][][]) next(s);
        if (a == null) return keep(s, new float[n][][]);
        Arrays.fill(a, null);
        return a;
    }

    /** An array of {@code n} null spectrogram references, handed out nulled. */
    public Spectrogram[] spectrogramRefs(int n) {
        Shelf s = shelf(SPECTROGRAM_REFS, 1, n);
        Spectrogram[] a = (Spectrogram[]) next(s);
        if (a == null) return keep(s, new Spectrogram[n]);
        Arrays.fill(a, null);
        return a;
    }

    /** An array of {@code n} null STFT references, handed out nulled. */
    public Stft[] stftRefs(int n) {
        Shelf s = shelf(STFT_REFS, 1, n);
        Stft[] a = (Stft[]) next(s);
        if (a == null) return keep(s, new Stft[n]);
        Arrays.fill(a, null);
        return a;
    }

    /**
     * An STFT of this size and hop with a periodic Hann window (its FFT plan and scratch kept), one per concurrent
     * user: take as many as there will be parallel tasks.
     */
    public Stft stft(int nFft, int hop) {
        Shelf s = shelf(STFT, nFft, hop);
        Stft a = (Stft) next(s);
        return a != null ? a : keep(s, new Stft(nFft, hop));
    }
}
