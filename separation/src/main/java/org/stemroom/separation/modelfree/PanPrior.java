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
 * <p>The rest stem (what no step took, {@code rest} in {@link #apply}) holds every source's undecided share, so its
 * masked energy sits wherever the others' leftovers do: a drum kit hard left whose kick and tom bodies the steps left
 * undecided puts the rest's histogram there too, and the prior then keeps them in the rest. With {@code restPower > 0}
 * each of its bins below {@code restTopHz} counts by its mask to that power as well ({@code (m |X|)^2 m^restPower}),
 * so the bins it clearly holds set its position and the leftovers it shares with another stem count little. Low,
 * because there the rest's own parts (a chord's low notes) are sparse and the kick's and toms' leftovers dominate its
 * histogram; higher up its chords are dense and set its position anyway.
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
    private final double restPower, restTopHz;
    /** The first bin above {@code restTopHz} (of the bins' spacing {@link #bandBinHz}). */
    private int restTop;
    /** [stem][band * CELLS + cell] energy, decaying with {@link PanMemory#MEMORY_SECONDS}. */
    private double[][] memory;
    /** [stem][band * CELLS + cell] the density raised to {@code strength}. */
    private float[][] weight;
    private int[] bandOf = new int[0];
    private double bandBinHz = -1;
    private boolean empty = true;
    /** Per bin of one frame: its histogram slot (band * CELLS + cell), and the re-weighting's two sums and scale. */
    private int[] slot = new int[0];
    private double[] share = new double[0], sum = new double[0];
    /** The masks' rows of one frame, stems that are re-weighted only. */
    private float[][] rows = new float[0][];
    private float[][] rowWeights = new float[0][];

    PanPrior(double strength) {
        this(strength, 0, 0);
    }

    /**
     * @param restPower the rest stem's bins below {@code restTopHz} count by its mask to this power too (0: as every
     *                  other stem's)
     */
    PanPrior(double strength, double restPower, double restTopHz) {
        if (!(strength > 0)) throw new IllegalArgumentException("pan prior strength must be > 0: " + strength);
        if (!(restPower >= 0) || !(restTopHz >= 0)) {
            throw new IllegalArgumentException("bad pan prior rest weighting: power " + restPower + ", top " + restTopHz + " Hz");
        }
        this.strength = strength;
        this.restPower = restPower;
        this.restTopHz = restTopHz;
    }

    void clear() { empty = true; }

    /**
     * Re-weights {@code masks[0..n)} (each {@code [frame][bin]}, summing to one per bin) in place; stems with
     * {@code kept[j]} keep their masks, the others share what those leave. {@code rest} is the index of the rest
     * stem (-1: none), whose histogram the rest power weights.
     */
    void apply(SpectralMix mix, float[][][] masks, int n, boolean[] kept, int rest) {
        float[][] pan = mix.pan(), mag = mix.magnitude();
        int frames = mix.frames(), bins = mix.bins();
        int nb = BAND_EDGES_HZ.length + 1;
        if (memory == null || memory.length != n) {
            memory = new double[n][nb * CELLS];
            weight = new float[n][nb * CELLS];
            rows = new float[n][];
            rowWeights = new float[n][];
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
            restTop = (int) Math.min(bins, Math.ceil(restTopHz / bandBinHz));
            slot = new int[bins];
            share = new double[bins];
            sum = new double[bins];
        }
        double decay = empty ? 0 : Math.exp(-(mix.clip().frames() / (double) mix.sampleRate()) / PanMemory.MEMORY_SECONDS);
        empty = false;
        for (int j = 0; j < n; j++) for (int c = 0; c < nb * CELLS; c++) memory[j][c] *= decay;
        // Frame by frame, each bin's slot found once for all stems (it was rounded once per stem and again in the
        // re-weighting). Each stem's histogram still adds frame after frame, bin after bin: same sums, same bits.
        for (int f = 0; f < frames; f++) {
            slots(pan[f], bandOf, slot, bins);
            for (int j = 0; j < n; j++) {
                if (j == rest && restPower > 0) {
                    confidentHistogram(masks[j][f], mag[f], slot, memory[j], restTop, bins, restPower);
                } else {
                    histogram(masks[j][f], mag[f], slot, memory[j], bins);
                }
            }
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < nb; k++) density(memory[j], k * CELLS, weight[j], strength);
        }
        int moved = 0;
        for (int j = 0; j < n; j++) {
            if (kept[j]) continue;
            rowWeights[moved++] = weight[j];
        }
        for (int f = 0; f < frames; f++) {
            moved = 0;
            for (int j = 0; j < n; j++) if (!kept[j]) rows[moved++] = masks[j][f];
            slots(pan[f], bandOf, slot, bins);
            reweight(rows, rowWeights, moved, slot, share, sum, bins);
        }
        java.util.Arrays.fill(rows, null); // holds no window's masks past the call
    }

    /**
     * Each bin's histogram slot: its band's row and the cell nearest its pan position, {@code Math.round(pan * 100)}
     * computed as {@code (int) (pan * 100 + 0.5)} in double, the same integer for every pan in [0, 1] (the sum is
     * exact there, and the truncation is the floor) and for NaN, with no branch (Math.round(float) has one that only
     * pan 0, the silence of the last window's padding, takes).
     */
    private static void slots(float[] pan, int[] bandOf, int[] slot, int bins) {
        for (int b = 0; b < bins; b++) slot[b] = bandOf[b] * CELLS + (int) ((double) (pan[b] * (CELLS - 1)) + 0.5);
    }

    private static void histogram(float[] m, float[] mag, int[] slot, double[] hist, int bins) {
        for (int b = 1; b < bins; b++) {
            double e = m[b] * mag[b];
            hist[slot[b]] += e * e;
        }
    }

    /** As {@link #histogram}, each bin below {@code top} weighted by its mask to the power {@code q} as well. */
    private static void confidentHistogram(float[] m, float[] mag, int[] slot, double[] hist, int top, int bins,
                                           double q) {
        for (int b = 1; b < top; b++) {
            double e = m[b] * mag[b];
            hist[slot[b]] += e * e * HpssStep.pow(m[b], q);
        }
        for (int b = Math.max(1, top); b < bins; b++) {
            double e = m[b] * mag[b];
            hist[slot[b]] += e * e;
        }
    }

    /**
     * One band's smoothed histogram (cells {@code [o, o + CELLS)} of {@code hist}) as a density over the cells (mean
     * 1), plus the floor, raised to {@code strength}, into the same cells of {@code out}.
     */
    private static void density(double[] hist, int o, float[] out, double strength) {
        double total = 0;
        for (int c = 0; c < CELLS; c++) total += hist[o + c];
        if (!(total > 0)) {
            Arrays.fill(out, o, o + CELLS, 1f);
            return;
        }
        for (int c = 0; c < CELLS; c++) {
            double s = 0;
            int lo = Math.max(0, c - SMOOTH), hi = Math.min(CELLS - 1, c + SMOOTH);
            for (int i = lo; i <= hi; i++) s += hist[o + i];
            // the box's own total over the whole histogram is about (2 SMOOTH + 1) total: density with mean ~1
            double d = s * CELLS / ((2 * SMOOTH + 1) * total);
            out[o + c] = (float) Math.pow((1 - FLOOR) * d + FLOOR, strength);
        }
    }

    /**
     * One frame: the {@code n} re-weighted stems' rows {@code m[j]} (weights {@code w[j]} by slot) become
     * {@code m_j w_j} scaled to keep their sum per bin; bins where that product sums to nothing keep their masks.
     * Stem by stem over all bins (the per-bin sums in rows), in the same order per bin as a loop over the stems
     * per bin: same bits.
     */
    private static void reweight(float[][] m, float[][] w, int n, int[] slot, double[] share, double[] sum, int bins) {
        Arrays.fill(share, 0, bins, 0);
        Arrays.fill(sum, 0, bins, 0);
        for (int j = 0; j < n; j++) addWeighted(m[j], w[j], slot, share, sum, bins);
        for (int b = 0; b < bins; b++) share[b] = share[b] / sum[b]; // the scale, used only where sum > 0
        for (int j = 0; j < n; j++) scale(m[j], w[j], slot, share, sum, bins);
    }

    private static void addWeighted(float[] m, float[] w, int[] slot, double[] share, double[] sum, int bins) {
        for (int b = 0; b < bins; b++) {
            share[b] += m[b];
            sum[b] += m[b] * w[slot[b]];
        }
    }

    private static void scale(float[] m, float[] w, int[] slot, double[] scale, double[] sum, int bins) {
        for (int b = 0; b < bins; b++) {
            if (sum[b] > 0) m[b] = (float) (m[b] * w[slot[b]] * scale[b]);
        }
    }
}
