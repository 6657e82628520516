package org.stemroom.separation.modelfree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.Workspace;

/**
 * A model-free separator built from {@link MaskStep}s: each step takes its masks from what the previous steps
 * left, the rest becomes the last stem. The masks are then optionally sharpened into soft masks
 * {@code m_j^q / sum_k m_k^q} (the estimates re-applied to the mixture as ratio masks) and optionally refined by
 * multichannel Wiener filtering. Masks always sum to one, so the stems sum back to the mixture up to STFT
 * round-off.
 *
 * <p>The cascade keeps its working memory ({@link Workspace}) from call to call: separating window after window of
 * one length allocates next to nothing, and the stems it returns are valid until its next call.
 */
public class MaskCascade implements Separator {
    private final String name;
    private final List<MaskStep> steps;
    private final String restName;
    private final double softPower;
    private final int wienerIterations;
    private final Workspace ws = new Workspace();
    private final WienerFilter.Memory wienerMemory = new WienerFilter.Memory();
    /** Each step's stem names (asked once: steps may build the list on every call). */
    private final List<List<String>> stepNames = new ArrayList<>();
    /** The final masks, reused from call to call (same keys, same order: replacing values allocates nothing). */
    private final LinkedHashMap<String, float[][]> masks = new LinkedHashMap<>();
    /** The masks in order, with their names, filled by {@link #masks(SpectralMix)}. */
    private final String[] order;
    private final float[][][] ordered;
    private int count;
    private double windowSeconds = ModelFreeSeparators.WINDOW_SECONDS;
    private double overlapSeconds = ModelFreeSeparators.OVERLAP_SECONDS;
    private PanPrior panPrior; // null: off
    private java.util.Set<String> panPriorKept = java.util.Set.of();
    private final boolean[] kept;

    public MaskCascade(String name, List<MaskStep> steps, String restName, double softPower, int wienerIterations) {
        if (!(softPower > 0) || wienerIterations < 0 || wienerIterations > 3) {
            throw new IllegalArgumentException("bad cascade settings");
        }
        this.name = name;
        this.steps = List.copyOf(steps);
        this.restName = restName;
        this.softPower = softPower;
        this.wienerIterations = wienerIterations;
        int n = 1;
        for (MaskStep st : this.steps) {
            stepNames.add(List.copyOf(st.stemNames()));
            n += st.stemNames().size();
        }
        order = new String[n];
        ordered = new float[n][][];
        kept = new boolean[n];
    }

    @Override
    public String name() { return name; }

    /** The steps in order, read-only (for diagnostics such as the lead's last pitch track). */
    public List<MaskStep> steps() { return steps; }

    /** The window grid render and plugin separate this cascade on (default: the model-free grid). */
    public MaskCascade chunking(double window, double overlap) {
        if (!(window > 0) || !(overlap >= 0) || overlap * 2 > window) {
            throw new IllegalArgumentException("bad chunking " + window + " s / overlap " + overlap + " s");
        }
        windowSeconds = window;
        overlapSeconds = overlap;
        return this;
    }

    /**
     * The Wiener step gives stem {@code stem} from {@code fromHz} up to {@code topHz} the stereo image its estimate
     * shows below {@code belowHz} ({@link WienerFilter.Memory#tieImage}; null: none).
     */
    public MaskCascade wienerTiedImage(String stem, double belowHz, double fromHz, double topHz) {
        wienerMemory.tieImage(stem, belowHz, fromHz, topHz);
        return this;
    }

    /**
     * The Wiener step blends stem {@code stems[k]}'s per-bin spatial covariance by {@code blends[k]} with one image
     * pooled over all bins, weighted by its mask to the power {@code power} ({@link WienerFilter.Memory#imageBlend};
     * no stems: off).
     */
    public MaskCascade wienerImageBlend(String[] stems, double[] blends, int power) {
        wienerMemory.imageBlend(stems, blends, power);
        return this;
    }

    /**
     * Stem {@code stem}'s pooled image (of {@link #wienerImageBlend}) from {@code fromHz} up is its principal
     * direction alone ({@link WienerFilter.Memory#rankOneImage}).
     */
    public MaskCascade wienerRankOneImage(String stem, double fromHz) {
        wienerMemory.rankOneImage(stem, fromHz);
        return this;
    }

    /**
     * Stereo: re-weights the final masks by each stem's pan distribution ({@link PanPrior}); {@code strength} is the
     * exponent of the densities (0: off).
     */
    public MaskCascade panPrior(double strength, String... keptStems) {
        return panPrior(strength, 0, 0, keptStems);
    }

    /**
     * As {@link #panPrior(double, String...)}, the rest stem's pan distribution counting each of its bins below {@code
     * restTopHz} by its mask to the power {@code restPower} too (0: as the other stems'; {@link PanPrior}).
     */
    public MaskCascade panPrior(double strength, double restPower, double restTopHz, String... keptStems) {
        panPrior = strength > 0 ? new PanPrior(strength, restPower, restTopHz) : null;
        panPriorKept = java.util.Set.of(keptStems);
        return this;
    }

    @Override
    public void reset() {
        // by index: a for-each allocates an iterator, and reset() runs on the streaming worker at every transport
        // reset, too rarely for C2 to compile it and scalar-replace the iterator (StreamingSeparatorTest)
        for (int i = 0; i < steps.size(); i++) steps.get(i).reset();
        if (panPrior != null) panPrior.clear();
        wienerMemory.clear();
    }

    @Override
    public double maxChunkSeconds() { return windowSeconds; }

    @Override
    public double chunkOverlapSeconds() { return overlapSeconds; }

    @Override
    public List<String> stemNames() {
        List<String> n = new ArrayList<>();
        for (MaskStep s : steps) for (String x : s.stemNames()) if (!n.contains(x)) n.add(x);
        if (restName != null) n.add(restName);
        return n;
    }

    @Override
    public StemSet separate(AudioClip mixture) {
        ws.rewind();
        SpectralMix mix = SpectralMix.of(mixture, ws);
        masks(mix);
        // with a rest stem the masks sum to one in every bin (the rest takes what the steps left; the pan prior and
        // the sharpening keep the sum), and so do the Wiener estimates after their residual's share: the rest is the
        // mixture minus the other stems, one synthesis per channel less
        boolean remainderLast = restName != null && count > 1;
        if (wienerIterations > 0 && mix.channels() == 2) {
            return WienerFilter.refine(mix, order, ordered, count, wienerIterations, wienerMemory, remainderLast);
        }
        return mix.apply(order, ordered, count, remainderLast);
    }

    /**
     * The final masks, in stem order; they sum to one in every bin. The map and its arrays are this cascade's working
     * memory: valid until its next call.
     */
    public Map<String, float[][]> masks(SpectralMix mix) {
        float[][] avail = mix.ones();
        count = 0;
        for (int si = 0; si < steps.size(); si++) {
            MaskStep step = steps.get(si);
            List<String> names = stepNames.get(si);
            // a step for stems made already that takes nothing in this window (the kick's remainder without a kick
            // decision, or on input it is not for) would add zeros: left out, with its zero-filled masks
            int top = step.takenBelow(mix);
            if (top <= 0 && madeAll(names)) continue;
            Map<String, float[][]> taken = step.take(mix, avail);
            for (int q = 0; q < names.size(); q++) {
                String n = names.get(q);
                float[][] m = taken.get(n);
                int prev = indexOf(n);
                if (prev >= 0) {
                    // a second step for the same stem (bass partials, then the low band) adds to it; above the
                    // step's top its mask is zero, which takes nothing and adds nothing
                    int to = Math.min(top, mix.bins());
                    float[][] p = ordered[prev];
                    for (int f = 0; f < m.length; f++) takeAvailable(m[f], avail[f], to);
                    for (int f = 0; f < m.length; f++) add(p[f], m[f], to);
                } else {
                    for (int f = 0; f < m.length; f++) takeAvailable(m[f], avail[f], m[f].length);
                    order[count] = n;
                    ordered[count++] = m;
                }
            }
        }
        if (restName != null) {
            order[count] = restName;
            ordered[count++] = avail;
        }
        if (panPrior != null && mix.stereo()) {
            for (int k = 0; k < count; k++) kept[k] = panPriorKept.contains(order[k]);
            panPrior.apply(mix, ordered, count, kept, restName != null ? count - 1 : -1);
        }
        if (softPower != 1.0) sharpen(ordered, count, softPower, mix.workspace());
        if (masks.size() != count) masks.clear(); // another caller removed an entry: rebuild in order
        for (int k = 0; k < count; k++) masks.put(order[k], ordered[k]);
        return masks;
    }

    /** Whether every one of a step's stems was made by an earlier step of this call. */
    private boolean madeAll(List<String> names) {
        for (int q = 0; q < names.size(); q++) if (indexOf(names.get(q)) < 0) return false;
        return true;
    }

    private int indexOf(String name) {
        for (int k = 0; k < count; k++) if (order[k].equals(name)) return k;
        return -1;
    }

    private static void sharpen(float[][][] ms, int n, double q, Workspace ws) {
        int frames = ms[0].length, bins = ms[0][0].length;
        double[] v = ws.doubles(n);
        for (int f = 0; f < frames; f++) sharpenFrame(ms, n, q, f, bins, v);
    }

    private static void sharpenFrame(float[][][] ms, int n, double q, int f, int bins, double[] v) {
        for (int b = 0; b < bins; b++) {
            double sum = 0;
            for (int k = 0; k < n; k++) {
                v[k] = Math.pow(ms[k][f][b], q);
                sum += v[k];
            }
            if (sum <= 0) continue;
            for (int k = 0; k < n; k++) ms[k][f][b] = (float) (v[k] / sum);
        }
    }

    /*
     * The per-frame loops live in small methods rather than inline in masks(): called once per window, a large
     * body was compiled on-stack by C2 several times over; small units compile once. Same arithmetic, same bits.
     */

    /** A step's mask row, bins {@code [0, to)}, limited to what is still available, which it then takes from {@code avail}. */
    private static void takeAvailable(float[] m, float[] avail, int to) {
        for (int b = 0; b < to; b++) {
            float v = Math.min(m[b], avail[b]);
            m[b] = v;
            avail[b] -= v;
        }
    }

    private static void add(float[] p, float[] m, int to) {
        for (int b = 0; b < to; b++) p[b] += m[b];
    }
}
