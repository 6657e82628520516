package org.stemroom.separation.modelfree;

import java.util.Arrays;

/**
 * Stereo: re-weights a cascade's final masks by where each stem sits in the stereo image. Each stem's pan
 * distribution is the energy histogram of its masked bins over pan positions (per frequency band, smoothed, carried
 * over windows like {@link PanMemory}); a bin then goes to the stems in proportion to
 * {@code m_j * d_j(pan)^strength}, where {@code d_j} is that distribution as a density. A stem whose mask took a bin
 * far from where the stem's energy lives (a piano attack panned left taken by drums panned right) gives most of it
 * to the stems that live there; where all stems share a position (a centred mix) the densities are alike and the
 * masks barely move. Bands, because a stem's position depends on frequency (a drum kit's kick sits centred, its
 * cymbals spread).
 *
 * <p>Not thread-safe; the statistics it carries make windows depend on earlier ones, the same in render and
 * stream (both separate the same windows in order). Allocates only when the number of stems or bins changes.
 */
final class PanPrior {
    /** Upper edges of the bands (Hz); the last band is open. */
    private static final double[] BAND_EDGES_HZ = {250, 1000, 4000};
    private static final int CELLS = 101;
    /** Histogram smoothing: +-SMOOTH cells (a box), so one stem's slightly spread image counts as one position. */
    private static final int SMOOTH = 2;
    /** Share of a uniform density added to each, so a stem never gets exactly nothing at a position. */
    private static final double FLOOR = 0.02;
    private final double strength;
    /** [stem][band][cell] energy, decaying with {@link PanMemory#MEMORY_SECONDS}. */
    private double[][][] memory;
    /** [stem][band][cell] the density raised to {@code strength}. */
    private float[][][] weight;
    private int[] bandOf = new int[0];
    private double bandBinHz = -1;
    private boolean empty = true;

    PanPrior(double strength) {
        if (!(strength > 0)) throw new IllegalArgumentException("pan prior strength must be > 0: " + strength);
        this.strength = strength;
    }

    void clear() { empty = true; }

    /**
     * Re-weights {@code masks[0..n)} (each {@code [frame][bin]}, summing to one per bin) in place; stems with
     * {@code kept[j]} keep their masks, the others share what those leave.
     */
    void apply(SpectralMix mix, float[][][] masks, int n, boolean[] kept) {
        float[][] pan = mix.pan(), mag = mix.magnitude();
        int frames = mix.frames(), bins = mix.bins();
        int nb = BAND_EDGES_HZ.length + 1;
        if (memory == null || memory.length != n) {
            memory = new double[n][nb][CELLS];
            weight = new float[n][nb][CELLS];
            empty = true;
        }
        if (bandOf.length != bins || bandBinHz != mix.binHz()) {
            bandOf = new int[bins];
            bandBinHz = mix.binHz();
            for (int b = 0; b < bins; b++) {
                int k = 0;
                while (k < BAND_EDGES_HZ.length && b * bandBinHz >= BAND_EDGES_HZ[k]) k++;
                bandOf[b] = k;
            }
        }
        double decay = empty ? 0 : Math.exp(-(mix.clip().frames() / (double) mix.sampleRate()) / PanMemory.MEMORY_SECONDS);
        empty = false;
        for (int j = 0; j < n; j++) for (double[] row : memory[j]) for (int c = 0; c < CELLS; c++) row[c] *= decay;
        for (int j = 0; j < n; j++) {
            for (int f = 0; f < frames; f++) histogram(masks[j][f], mag[f], pan[f], bandOf, memory[j], bins);
        }
        for (int j = 0; j < n; j++) for (int k = 0; k < nb; k++) density(memory[j][k], weight[j][k], strength);
        for (int f = 0; f < frames; f++) reweight(masks, n, kept, f, pan[f], bandOf, weight, bins);
    }

    private static void histogram(float[] m, float[] mag, float[] pan, int[] bandOf, double[][] hist, int bins) {
        for (int b = 1; b < bins; b++) {
            double e = m[b] * mag[b];
            hist[bandOf[b]][Math.round(pan[b] * (CELLS - 1))] += e * e;
        }
    }

    /** The smoothed histogram as a density over the cells (mean 1), plus the floor, raised to {@code strength}. */
    private static void density(double[] hist, float[] out, double strength) {
        double total = 0;
        for (double v : hist) total += v;
        if (!(total > 0)) {
            Arrays.fill(out, 1f);
            return;
        }
        for (int c = 0; c < CELLS; c++) {
            double s = 0;
            int lo = Math.max(0, c - SMOOTH), hi = Math.min(CELLS - 1, c + SMOOTH);
            for (int i = lo; i <= hi; i++) s += hist[i];
            // the box's own total over the whole histogram is about (2 SMOOTH + 1) total: density with mean ~1
            double d = s * CELLS / ((2 * SMOOTH + 1) * total);
            out[c] = (float) Math.pow((1 - FLOOR) * d + FLOOR, strength);
        }
    }

    private static void reweight(float[][][] masks, int n, boolean[] kept, int f, float[] pan, int[] bandOf,
                                 float[][][] weight, int bins) {
        for (int b = 0; b < bins; b++) {
            int cell = Math.round(pan[b] * (CELLS - 1)), band = bandOf[b];
            double sum = 0, share = 0;
            for (int j = 0; j < n; j++) {
                if (kept[j]) continue;
                share += masks[j][f][b];
                sum += masks[j][f][b] * weight[j][band][cell];
            }
            if (!(sum > 0)) continue;
            double scale = share / sum;
            for (int j = 0; j < n; j++) {
                if (!kept[j]) masks[j][f][b] = (float) (masks[j][f][b] * weight[j][band][cell] * scale);
            }
        }
    }
}
