package org.stemroom.separation;

/**
 * The one window grid every separation runs on, offline ({@link Separation}) and streaming
 * ({@link StreamingSeparator}): window {@code k} covers input frames {@code [k*hop, k*hop + window)} (frames past the
 * end of the input are silence), and output frames {@code [k*hop, k*hop + hop)} come from window {@code k}, its first
 * {@code overlap} frames cross-faded with the last {@code overlap} frames of window {@code k-1} (sin² in, cos² out,
 * which sum to one). Windows are separated whole, always {@code window} frames long, so the render and the plugin
 * hand the separator the same samples and get the same stems, the last window included.
 */
public final class WindowGrid {
    private final int window;
    private final int overlap;
    private final int hop;
    private final float[] fadeIn;

    public WindowGrid(int window, int overlap) {
        if (window < 1 || overlap < 0 || overlap * 2 > window) {
            throw new IllegalArgumentException("bad window grid: window " + window + ", overlap " + overlap);
        }
        this.window = window;
        this.overlap = overlap;
        this.hop = window - overlap;
        this.fadeIn = new float[overlap];
        for (int i = 0; i < overlap; i++) {
            double s = Math.sin(0.5 * Math.PI * (i + 0.5) / overlap);
            fadeIn[i] = (float) (s * s);
        }
    }

    /** Window and overlap in seconds at a rate (overlap at most half the window). */
    public static WindowGrid of(int sampleRate, double windowSeconds, double overlapSeconds) {
        int w = (int) Math.max(1, Math.round(windowSeconds * sampleRate));
        return new WindowGrid(w, (int) Math.min(w / 2, Math.round(overlapSeconds * sampleRate)));
    }

    public int window() { return window; }
    public int overlap() { return overlap; }
    public int hop() { return hop; }

    /** Windows needed for an input of {@code frames} frames: every frame lies in some window's own hop. */
    public long windows(long frames) {
        return frames <= 0 ? 0 : (frames + hop - 1) / hop;
    }

    /**
     * Cross-fades the start of a window's stem channel {@code x} with the previous window's {@code tail} (its last
     * {@code overlap} frames), in place.
     */
    public void blend(float[] x, float[] tail) {
        for (int i = 0; i < overlap; i++) x[i] = tail[i] * (1f - fadeIn[i]) + x[i] * fadeIn[i];
    }
}
