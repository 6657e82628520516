package org.stemroom.separation.modelfree;

/**
 * A source's panning position tracked over windows: an energy histogram of pan positions (101 cells, 0 hard left,
 * 0.5 centre, 1 hard right) that decays with {@link #MEMORY_SECONDS}, and its peak. A source rarely moves, and a
 * short window (the streaming grid's 1 s) holds too few of its bins to find it reliably on its own.
 */
final class PanMemory {
    static final double MEMORY_SECONDS = 10.0;
    private final double[] memory = new double[101];
    private double hold = 1;
    private int peak = -1; // the last peak returned; -1: none since clear()

    /**
     * The carried peak moves to another cell only where that cell's smoothed energy exceeds {@code ratio} times the
     * current peak's (1: the peak is the histogram's maximum in every window).
     */
    PanMemory hold(double ratio) {
        if (!(ratio >= 1)) throw new IllegalArgumentException("bad pan hold " + ratio);
        this.hold = ratio;
        return this;
    }

    void clear() {
        java.util.Arrays.fill(memory, 0);
        peak = -1;
    }

    /**
     * Adds this window's histogram {@code hist} (101 cells, energy per pan position), decays the older ones by the
     * window's length, and returns the peak of the carried histogram smoothed over five cells. {@code hist} is
     * overwritten with the carried histogram.
     */
    double update(double[] hist, double windowSeconds) {
        double decay = Math.exp(-windowSeconds / MEMORY_SECONDS);
        for (int i = 0; i <= 100; i++) {
            memory[i] = decay * memory[i] + hist[i];
            hist[i] = memory[i];
        }
        int best = peakCell(hist);
        double bestV = smoothed(hist, best);
        if (hold > 1 && peak >= 0 && bestV <= hold * smoothed(hist, peak)) best = peak;
        if (bestV > 0) peak = best;
        return best / 100.0;
    }

    /** The cell (0..100) of {@code hist}'s largest sum over five cells; the first of equal ones. */
    static int peakCell(double[] hist) {
        double bestV = -1;
        int best = 50;
        for (int i = 0; i <= 100; i++) {
            double s = smoothed(hist, i);
            if (s > bestV) { bestV = s; best = i; }
        }
        return best;
    }

    private static double smoothed(double[] hist, int i) {
        double s = 0;
        for (int j = Math.max(0, i - 2); j <= Math.min(100, i + 2); j++) s += hist[j];
        return s;
    }

    /** Weight of a bin at pan position {@code p} for a source at {@code centre}: a Gaussian over a floor. */
    static float weight(double p, double centre, double width, double floor) {
        double d = p - centre, inv = 1 / (2 * width * width);
        return (float) (floor + (1 - floor) * Math.exp(-d * d * inv));
    }
}
