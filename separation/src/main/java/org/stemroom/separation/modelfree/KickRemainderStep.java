package org.stemroom.separation.modelfree;

import java.util.List;
import java.util.Map;

/**
 * Stereo, below the kick split: hands what the bass step left to the drums, as far as the kick decision called it
 * percussive and it lies at the kick's panning position. The bass step weights the low band towards the bass's pan
 * position, so the part of a kick panned away from the bass that the kick decision had left undecided fell through
 * to "other"; a low part of "other" (an organ's or a brass section's low notes) at a third position stays there. The
 * kick's position is the peak of the low band's pan histogram weighted by the kick decision's share, carried over
 * windows ({@link PanMemory}). Placed after the bass step; {@link MaskCascade} adds it to the drums' mask. Mono input
 * ({@link #mono}): without the pan weighting; and a second one placed before the bass step ({@link #beforeBass}; stereo:
 * {@link #beforeBassStereo}).
 */
final class KickRemainderStep implements MaskStep {
    private final HpssStep drums;
    private final String name;
    private final double panWidth;
    private final List<String> names;
    private final PanMemory panMemory = new PanMemory();
    private final Map<String, float[][]> out = new java.util.HashMap<>();
    private boolean mono;
    private boolean beforeStereo; // beforeBass for stereo input (the partials' tracker), mono input untouched
    private float[][] lastTaken; // the last call's mask (the cascade limits it to what was available in place)
    private LeadStep beforeBass; // null: placed after the bass step (see beforeBass)
    private double beforeWeight, beforeWidth = 1, beforeLoHz, beforeHiHz, beforeFloor;
    private double onCombTemplate; // 0: off
    private double onCombCap, onCombCapSeconds; // 0: off

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
     * Mono, placed before the bass's low band ({@link BassStep}): between {@code loHz} and {@code hiHz} the drums take
     * {@code weight} of the kick decision's confident share {@code max(0, (k - floor) / (1 - floor))} of what is
     * available, away from the harmonics of the bass's tracked pitch ({@code tracker}, the one the low band's comb
     * reads; 1 minus a Gaussian of {@code widthBins} around each harmonic; a frame the tracker left unvoiced: every
     * bin). After the bass step the kick's remainder got only what the comb's floor (and its share where the bass
     * rests) left of the kick's own bins: the bass kept 0.4 of the undecided share there, 0.13-0.41 of the kick's bins
     * at 60-150 Hz against an oracle's 0.03-0.09 (held-out mono, first 12 s, {@code SeparationDiag --kick}), while on
     * the tracked partials the order changes nothing. The floor keeps a low part's held notes between the partials,
     * which the decision calls percussive at a third or so, out of the drums.
     */
    KickRemainderStep beforeBass(LeadStep tracker, double weight, double widthBins, double loHz, double hiHz,
                                 double floor) {
        if (tracker == null || !(weight > 0 && weight <= 1) || !(widthBins > 0) || !(loHz >= 0) || !(hiHz > loHz)
                || !(floor >= 0 && floor < 1)) {
            throw new IllegalArgumentException("bad kick-before-bass settings");
        }
        this.beforeBass = tracker;
        this.beforeWeight = weight;
        this.beforeWidth = widthBins;
        this.beforeLoHz = loHz;
        this.beforeHiHz = hiHz;
        this.beforeFloor = floor;
        return this;
    }

    /**
     * {@link #beforeBass}, on the tracked harmonics as well (where it takes nothing else): in the frames the kick's
     * template reaches ({@link HpssStep#lastKickExpected}) and the tracker voices, the drums take {@code weight} of the
     * template's expected share {@code min(1, (E / |X|)^2)} of what is available, times the Gaussian around the
     * harmonic (the complement of the off-harmonic weighting). The drums' step blends the template into the kick
     * decision at 0.4 and the comb evidence calls the harmonics' bins sustained, so a bass note that starts with the
     * kick took the kick's body on its harmonics into the low band's comb. Session 32, docs/separation-history.md
     * (engineer kickbass): on the tracked harmonics (within a bin, voiced frames) the drums' 60-150 Hz bound of
     * held-out mono is +0.67 dB (first 12 s), all of it within 0.3 s of a low onset.
     */
    KickRemainderStep onCombTemplate(double weight) {
        if (!(weight >= 0 && weight <= 1)) throw new IllegalArgumentException("bad kick-on-comb weight " + weight);
        this.onCombTemplate = weight;
        return this;
    }

    /**
     * {@link #onCombTemplate}'s share capped where the tracker holds the onset's note ({@code seconds} after the
     * onset, within 50 cents): at most {@code 1 - (scale L / |X|)^2}, L the bin's level that many seconds later, when
     * the kick has died and the note sounds on. A note that starts with the kick keeps what it still has later; the
     * template, which learns what repeats at the onsets, learns such a note's partials too (docs/separation-history.md,
     * session 32: held-out mono song 0's acoustic bass, training song 5). {@code scale} 0: off.
     */
    KickRemainderStep onCombCap(double scale, double seconds) {
        if (!(scale >= 0) || !(seconds > 0)) throw new IllegalArgumentException("bad kick-on-comb cap " + scale + ", " + seconds);
        this.onCombCap = scale;
        this.onCombCapSeconds = seconds;
        return this;
    }

    /** Per frame, the later frame whose level caps it ({@link #onCombCap}), or -1 where none does. */
    private int[] capFrames(SpectralMix mix, double[] track) {
        int frames = mix.frames();
        int[] out = mix.workspace().ints(1, frames)[0];
        java.util.Arrays.fill(out, -1);
        int[] onset = drums.lastKickOnsets();
        int n = drums.lastKickOnsetCount();
        if (onset == null) return out;
        int lag = (int) Math.round(onCombCapSeconds / mix.frameSeconds());
        for (int i = 0; i < n; i++) {
            int end = Math.min(frames, i + 1 < n ? onset[i + 1] - 2 : frames);
            int later = onset[i] + lag;
            if (later >= end || !(track[later] > 0)) continue;
            for (int f = Math.max(0, onset[i] - 2); f < later; f++) {
                if (track[f] > 0 && Math.abs(Math.log(track[f] / track[later])) <= CAP_SAME_NOTE) out[f] = later;
            }
        }
        return out;
    }

    /** 50 cents, as a natural-log frequency ratio. */
    private static final double CAP_SAME_NOTE = Math.log(2) * 50 / 1200;

    /**
     * {@link #beforeBass} for stereo input instead of mono ({@code tracker} the stereo bass partials' comb; mono input
     * then takes nothing). In stereo the drums' step leaves 0.3-0.4 of the kick's own bins at 60-150 Hz undecided and
     * the low band ({@link BassStep}) takes all of it, and the Wiener step gives the drums back only 0.02-0.1 of it
     * (held-out songs 2 / 10 / 11 and training songs 0 / 2 / 4, first 12 s, {@code SeparationDiag --kick}; session 26).
     */
    KickRemainderStep beforeBassStereo(boolean on) {
        this.beforeStereo = on;
        return this;
    }

    /**
     * {@link #beforeBass}: what the last call took ({@code [frame][bin]}, as the cascade left it), for the bass step's
     * pan histogram ({@link BassStep#panCountsTaken}); null where it took nothing. Workspace memory of that call.
     */
    float[][] lastTaken() { return lastTaken; }

    @Override
    public List<String> stemNames() { return names; }

    @Override
    public void reset() { panMemory.clear(); }

    /**
     * Nothing without the kick decision or on input this placement is not for; below the kick split otherwise. Where
     * it is nothing the cascade may skip {@link #take}: {@link #lastTaken} is then no longer this window's (null).
     */
    @Override
    public int takenBelow(SpectralMix mix) {
        float[][] kick = drums.lastKickShare();
        int top = kick == null ? 0 : kick[0].length;
        if (beforeBass != null && ((mix.pan() != null) != beforeStereo || beforeBass.lastTrackView().length != mix.frames())) {
            top = 0;
        } else if (beforeBass == null && mix.pan() == null && !mono) {
            top = 0;
        }
        if (top == 0) lastTaken = null;
        return top;
    }

    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        float[][] m = mix.workspace().floats(mix.frames(), mix.bins());
        out.put(name, m);
        lastTaken = null;
        if (takenBelow(mix) == 0) return out;
        float[][] kick = drums.lastKickShare(), pan = mix.pan();
        float[] above = drums.lastKickCrossover();
        if (beforeBass != null) {
            double[] track = beforeBass.lastTrackView();
            int lo = Math.max(1, (int) Math.ceil(beforeLoHz / mix.binHz()));
            int hi = Math.min(kick[0].length, (int) Math.ceil(beforeHiHz / mix.binHz()));
            for (int f = 0; f < m.length; f++) {
                beforeBassFrame(kick[f], above, available[f], m[f], track[f] / mix.binHz(), lo, hi);
            }
            float[][] expected = onCombTemplate > 0 ? drums.lastKickExpected() : null;
            if (expected != null) {
                float[][] mag = mix.magnitude();
                int top = Math.min(hi, expected[0].length);
                int[] capAt = onCombCap > 0 ? capFrames(mix, track) : null;
                for (int f = 0; f < m.length; f++) {
                    if (!(track[f] > 0)) continue;
                    float[] later = capAt != null && capAt[f] >= 0 ? mag[capAt[f]] : null;
                    onCombFrame(mag[f], expected[f], later, above, available[f], m[f], track[f] / mix.binHz(), lo, top);
                }
            }
            lastTaken = m;
            return out;
        }
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

    /** {@link #beforeBass}: one frame, {@code step} the tracked pitch in bins (0 or less: unvoiced). */
    private void beforeBassFrame(float[] kick, float[] above, float[] available, float[] m, double step, int lo, int hi) {
        double g = -0.5 / (beforeWidth * beforeWidth);
        for (int b = lo; b < hi; b++) {
            double off = 1;
            if (step > 0) {
                double d = b - Math.max(1, Math.rint(b / step)) * step;
                off = 1 - Math.exp(g * d * d);
            }
            double k = Math.max(0, (kick[b] - beforeFloor) / (1 - beforeFloor));
            m[b] = (float) (beforeWeight * off * k * (1 - above[b]) * available[b]);
        }
    }

    /**
     * {@link #onCombTemplate}: one voiced frame, {@code step} the tracked pitch in bins; adds to what {@link
     * #beforeBassFrame} took off the harmonics (the two Gaussian weights sum to one, so the sum stays available).
     */
    private void onCombFrame(float[] x, float[] expected, float[] later, float[] above, float[] available, float[] m,
                             double step, int lo, int hi) {
        double g = -0.5 / (beforeWidth * beforeWidth);
        for (int b = lo; b < hi; b++) {
            if (!(x[b] > 0) || !(expected[b] > 0)) continue;
            double d = b - Math.max(1, Math.rint(b / step)) * step;
            double r = expected[b] / x[b];
            double share = Math.min(1, r * r);
            if (later != null) {
                double q = onCombCap * later[b] / x[b];
                share = Math.min(share, Math.max(0, 1 - q * q));
            }
            m[b] = (float) Math.min(available[b], m[b] + onCombTemplate * Math.exp(g * d * d) * share * (1 - above[b]) * available[b]);
        }
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
