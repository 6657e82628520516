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
    private LeadStep beforeBass; // null: after the bass step
    private double beforeWeight, beforeWidth = 1, beforeLoHz, beforeHiHz, beforePower = 1;
    double beforeFloor; // scratch
    private int beforeGate; // 0: every frame; 1: frames a kick template reaches; 2: the latest onset's own template

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

    /**
     * Mono, placed before the bass's low band: between {@code loHz} and {@code hiHz} takes {@code weight} of the kick
     * decision's share of what is available, away from the harmonics of the bass's tracked pitch ({@code tracker}, the
     * one the low band's comb reads; Gaussian of {@code widthBins}; unvoiced frames: everywhere), before the bass's comb
     * floor takes its share of the kick's own bins.
     */
    KickRemainderStep beforeBass(LeadStep tracker, double weight, double widthBins, double loHz, double hiHz) {
        this.beforeBass = tracker;
        this.beforeWeight = weight;
        this.beforeWidth = widthBins;
        this.beforeLoHz = loHz;
        this.beforeHiHz = hiHz;
        return this;
    }

    /** {@link #beforeBass}: the kick share to this power, and which frames (see {@code beforeGate}). */
    KickRemainderStep beforeBassForm(double power, int gate) {
        this.beforePower = power;
        this.beforeGate = gate;
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
        if (kick == null || (pan == null && !mono && beforeBass == null)) return out;
        float[] above = drums.lastKickCrossover();
        if (beforeBass != null) {
            double[] track = beforeBass.lastTrackView();
            if (pan != null || track.length != m.length) return out;
            int lo = Math.max(1, (int) Math.ceil(beforeLoHz / mix.binHz()));
            int hi = Math.min(kick[0].length, (int) Math.ceil(beforeHiHz / mix.binHz()));
            double k2 = -0.5 / (beforeWidth * beforeWidth);
            float[][] cap = beforeGate == 4 ? drums.lastKickExpectedAll() : null;
            float[][] mag = mix.magnitude();
            float[][] gate = beforeGate == 0 || beforeGate >= 3 ? null : beforeGate == 1 ? drums.lastKickExpectedAll() : drums.lastKickExpected();
            if ((beforeGate == 1 || beforeGate == 2) && gate == null) return out;
            for (int f = 0; f < m.length; f++) {
                if (gate != null) {
                    boolean any = false;
                    for (float v : gate[f]) any |= v > 0;
                    if (!any) continue;
                }
                double step = track[f] > 0 ? track[f] / mix.binHz() : 0;
                if (beforeGate == 3 && step == 0) continue;
                for (int b = lo; b < hi; b++) {
                    double off = 1;
                    if (step > 0) {
                        double d = b - Math.max(1, Math.rint(b / step)) * step;
                        off = 1 - Math.exp(k2 * d * d);
                    }
                    double k = Math.pow(Math.max(0, (kick[f][b] - beforeFloor) / (1 - beforeFloor)), beforePower);
                    if (cap != null && reached(cap[f])) {
                        double r = mag[f][b] > 0 ? cap[f][b] / mag[f][b] : 0;
                        k = Math.min(k, Math.min(1, r * r));
                    }
                    m[f][b] = (float) (beforeWeight * off * k * (1 - above[b]) * available[f][b]);
                }
            }
            return out;
        }
        if (pan == null) {
            int top = kick[0].length;
            float[][] held = drums.lastHeld();
            for (int f = 0; f < m.length; f++) {
                kickShare(kick[f], above, m[f], top);
                limit(m[f], available[f], top);
                if (held != null) addHeld(held[f], available[f], m[f], top);
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

    private static boolean reached(float[] e) {
        for (float v : e) if (v > 0) return true;
        return false;
    }

    /** The kick decision's share below the split (the crossover's low side), bins 0..top-1. */
    private static void kickShare(float[] kick, float[] above, float[] m, int top) {
        for (int b = 0; b < top; b++) m[b] = kick[b] * (1 - above[b]);
    }

    /** {@link HpssStep#kickBodyAfterBass}: the body split's extra share of what is still available. */
    private static void addBody(float[] extra, float[] available, float[] m, int top) {
        for (int b = 0; b < top; b++) m[b] = Math.min(available[b], m[b] + extra[b] * available[b]);
    }

    /**
     * Mono, {@link HpssStep#kickMonoTemplateCap}: the kick share the drums' step held back, as far as the bass's steps
     * left it (what they took of it, on the tracked partials, stays the bass's).
     */
    private static void addHeld(float[] held, float[] available, float[] m, int top) {
        for (int b = 0; b < top; b++) m[b] = Math.min(available[b], m[b] + held[b]);
    }

    private static void limit(float[] m, float[] available, int top) {
        for (int b = 0; b < top; b++) m[b] *= available[b];
    }
}
