package org.stemroom.separation.modelfree;

import java.util.List;
import java.util.Map;

/**
 * Stereo, below the kick split: hands what the bass step left to the drums, as far as the kick decision called it
 * percussive and it lies at the kick's panning position. The bass step weights the low band towards the bass's pan
 * position, so the part of a kick panned away from the bass that the kick decision had left undecided fell through
 * to "other"; a low part of "other" (an organ's or a brass section's low notes) at a third position stays there. The
 * kick's position is the peak of the low band's pan histogram weighted by the kick decision's share, carried over
 * windows ({@link PanMemory}). Placed after the bass step; {@link MaskCascade} adds it to the drums' mask. Mono input:
 * nothing (the bass step takes the whole low band there).
 */
final class KickRemainderStep implements MaskStep {
    private final HpssStep drums;
    private final String name;
    private final double panWidth;
    private final List<String> names;
    private final PanMemory panMemory = new PanMemory();
    private final Map<String, float[][]> out = new java.util.HashMap<>();
    private boolean mono;

    /**
     * @param drums    the drums' step, whose kick decision of the same window ({@link HpssStep#lastKickShare}) is read
     * @param panWidth Gaussian width of the weighting towards the kick's pan position (positions 0..1)
     */
    KickRemainderStep(HpssStep drums, String name, double panWidth) {
        if (!(panWidth > 0)) throw new IllegalArgumentException("bad kick remainder pan width " + panWidth);
        this.drums = drums;
        this.name = name;
        this.panWidth = panWidth;
        this.names = List.of(name);
    }

    /**
     * Mono input too, without the pan weighting: with the bass's low band kept near its tracked harmonics ({@link
     * BassStep#monoComb}) what it leaves between them below the split is mostly the kick's body.
     */
    KickRemainderStep mono(boolean on) {
        this.mono = on;
        return this;
    }

    @Override
    public List<String> stemNames() { return names; }

    @Override
    public void reset() { panMemory.clear(); }

    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        float[][] m = mix.workspace().floats(mix.frames(), mix.bins());
        float[][] kick = drums.lastKickShare(), pan = mix.pan();
        out.put(name, m);
        if (kick == null || (pan == null && !mono)) return out;
        float[] above = drums.lastKickCrossover();
        if (pan == null) {
            int top = kick[0].length;
            for (int f = 0; f < m.length; f++) {
                kickShare(kick[f], above, m[f], top);
                limit(m[f], available[f], top);
            }
            return out;
        }
        float[][] mag = mix.magnitude();
        int top = kick[0].length;
        double[] hist = mix.workspace().doubles(101);
        for (int f = 0; f < m.length; f++) {
            kickShare(kick[f], above, m[f], top);
            BassStep.panHistogram(mag[f], m[f], pan[f], top, hist);
        }
        double centre = panMemory.update(hist, mix.clip().frames() / (double) mix.sampleRate());
        for (int f = 0; f < m.length; f++) {
            BassStep.panWeight(m[f], pan[f], top, centre, panWidth, 0);
            limit(m[f], available[f], top);
        }
        float[][] extra = drums.lastBodyExtra();
        if (extra != null) for (int f = 0; f < m.length; f++) addBody(extra[f], available[f], m[f], top);
        return out;
    }

    /** The kick decision's share below the split (the crossover's low side), bins 0..top-1. */
    private static void kickShare(float[] kick, float[] above, float[] m, int top) {
        for (int b = 0; b < top; b++) m[b] = kick[b] * (1 - above[b]);
    }

    /** {@link HpssStep#kickBodyAfterBass}: the body split's extra share of what is still available. */
    private static void addBody(float[] extra, float[] available, float[] m, int top) {
        for (int b = 0; b < top; b++) m[b] = Math.min(available[b], m[b] + extra[b] * available[b]);
    }

    private static void limit(float[] m, float[] available, int top) {
        for (int b = 0; b < top; b++) m[b] *= available[b];
    }
}
