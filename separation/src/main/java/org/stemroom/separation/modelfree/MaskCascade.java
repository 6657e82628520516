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
    private double windowSeconds = ModelFreeSeparators.WINDOW_SECONDS;
    private double overlapSeconds = ModelFreeSeparators.OVERLAP_SECONDS;

    public MaskCascade(String name, List<MaskStep> steps, String restName, double softPower, int wienerIterations) {
        if (!(softPower > 0) || wienerIterations < 0 || wienerIterations > 3) {
            throw new IllegalArgumentException("bad cascade settings");
        }
        this.name = name;
        this.steps = List.copyOf(steps);
        this.restName = restName;
        this.softPower = softPower;
        this.wienerIterations = wienerIterations;
    }

    @Override
    public String name() { return name; }

    /** The window grid render and plugin separate this cascade on (default: the model-free grid). */
    public MaskCascade chunking(double window, double overlap) {
        if (!(window > 0) || !(overlap >= 0) || overlap * 2 > window) {
            throw new IllegalArgumentException("bad chunking " + window + " s / overlap " + overlap + " s");
        }
        windowSeconds = window;
        overlapSeconds = overlap;
        return this;
    }

    @Override
    public void reset() {
        for (MaskStep s : steps) s.reset();
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
        Map<String, float[][]> masks = masks(mix);
        if (wienerIterations > 0 && mix.channels() == 2) {
            return WienerFilter.refine(mix, masks, wienerIterations, wienerMemory);
        }
        return mix.apply(masks);
    }

    /** The final masks, in stem order; they sum to one in every bin. */
    public Map<String, float[][]> masks(SpectralMix mix) {
        float[][] avail = mix.ones();
        Map<String, float[][]> masks = new LinkedHashMap<>();
        for (MaskStep step : steps) {
            Map<String, float[][]> taken = step.take(mix, avail);
            for (String n : step.stemNames()) {
                float[][] m = taken.get(n);
                for (int f = 0; f < m.length; f++) {
                    for (int b = 0; b < m[f].length; b++) {
                        float v = Math.min(m[f][b], avail[f][b]);
                        m[f][b] = v;
                        avail[f][b] -= v;
                    }
                }
                float[][] prev = masks.get(n);
                if (prev != null) {
                    // a second step for the same stem (bass partials, then the low band) adds to it
                    for (int f = 0; f < m.length; f++) for (int b = 0; b < m[f].length; b++) prev[f][b] += m[f][b];
                } else {
                    masks.put(n, m);
                }
            }
        }
        if (restName != null) masks.put(restName, avail);
        if (softPower != 1.0) sharpen(masks, softPower, mix.workspace());
        return masks;
    }

    private static void sharpen(Map<String, float[][]> masks, double q, Workspace ws) {
        List<float[][]> ms = new ArrayList<>(masks.values());
        int frames = ms.get(0).length, bins = ms.get(0)[0].length;
        double[] v = ws.doubles(ms.size());
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) {
                double sum = 0;
                for (int k = 0; k < v.length; k++) {
                    v[k] = Math.pow(ms.get(k)[f][b], q);
                    sum += v[k];
                }
                if (sum <= 0) continue;
                for (int k = 0; k < v.length; k++) ms.get(k)[f][b] = (float) (v[k] / sum);
            }
        }
    }
}
