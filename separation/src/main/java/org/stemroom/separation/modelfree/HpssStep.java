package org.stemroom.separation.modelfree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Harmonic-percussive separation by median filtering (Fitzgerald 2010): harmonic sounds are ridges along time,
 * percussive ones ridges along frequency, so a median along time enhances the former and one along frequency the
 * latter. Soft masks with power {@code p} and separation margin {@code beta} (Driedger, Müller &amp; Disch 2014):
 * {@code M_H = H^p / (H^p + (beta P)^p)}, {@code M_P = P^p / (P^p + (beta H)^p)}, and for {@code beta > 1}
 * the bins claimed by neither go to a residual ({@code 1 - M_H - M_P}).
 *
 * <p>In a cascade ({@link #percussiveOnly}) the step takes only the percussive mask, optionally plus everything
 * above a high split (cymbals and hats dominate there in pop mixes), and leaves the rest to later steps.
 */
public final class HpssStep implements MaskStep {
    private final double harmonicSeconds;
    private final double percussiveHz;
    private final double power;
    private final double margin;
    private final double highSplitHz; // 0: none
    private final boolean percussiveOnly;
    private final String percussiveName;
    private double kickSplitHz; // 0: off
    private double kickBodySplitHz, kickMonoBodySplitHz; // 0: the kick split
    private boolean bodyAfterBass; // stereo: the body split's extra share handed over after the bass step
    private float[][] lastBodyExtra;
    private double kickHarmonicSeconds = 0.3, kickMonoHarmonicSeconds = Double.NaN; // NaN: the stereo span
    private double kickHarmonicQuantile = 0.5, kickMonoHarmonicQuantile = 0.5; // 0.5: the median
    private double kickQuantileLoHz, kickQuantileHiHz; // the quantile between these, the median elsewhere
    private double kickPercussiveHz = 40;
    private double kickLineWeight = 0; // 0: off
    private double kickCombWeight = 0, kickCombRatio = 1, kickCombLoHz, kickCombTopHz; // weight 0: off
    private double kickMonoCombWeight = Double.NaN, kickMonoCombTopHz = Double.NaN; // NaN: the stereo setting
    private boolean kickLeakage;
    private boolean kickDecimation; // false: the full long analysis (the hybrid priors' bits)
    private KickTemplate kickTemplate; // null: off
    private double midWeight = 1, midLoHz, midHiHz; // weight 1: off
    private double lineWeight = 0; // 0: off
    private double washWeight = 1, washLoHz; // weight 1: off
    private int washLo = Integer.MAX_VALUE; // first bin the wash weight scales (this call's bins)
    private double lineMargin = 1;
    private double highLineMargin = 0; // 0: everything above the high split to the percussive stem
    private double lineMaxHz = Double.POSITIVE_INFINITY;
    private double kickLowPercussiveHz, kickMonoLowPercussiveHz, kickLowPercussiveTopHz; // 0: off
    private final List<String> names;
    private int midLo, midHi;
    /** What {@link #take} returns, reused (same keys every call: replacing values allocates nothing). */
    private final Map<String, float[][]> out = new LinkedHashMap<>();
    /** The last call's kick share below the kick split and that split's crossover (workspace memory of that call). */
    private float[][] lastKick;
    private double sharpPower = 1, sharpLoHz, sharpHiHz;
    private double sustainWeight = 0, sustainLoHz, sustainHiHz; // weight 0: off
    private int sustainFrames;
    private double sustainHold;
    private int sustainLo, sustainHi; // this call's bins the sustain evidence covers
    private float[] lastAbove;
    private final Crossover highCrossover = new Crossover(), kickCrossover = new Crossover(), bodyCrossover = new Crossover();

    /**
     * Decides kick against bass below {@code splitHz} on a four times longer window (about 370 ms at 44.1 kHz):
     * its 2.7 Hz bins resolve the bass's partials as thin lines while the kick stays a smooth hump, so a median
     * along frequency over {@code percussiveHz} separates them where the short window cannot.
     */
    public HpssStep kickVersusBass(double splitHz, double harmonicSeconds, double percussiveHz) {
        this.kickSplitHz = splitHz;
        this.kickHarmonicSeconds = harmonicSeconds;
        this.kickPercussiveHz = percussiveHz;
        return this;
    }

    /**
     * Hands the drums' main decision to the long window's decision up to {@code stereo} Hz for stereo input, {@code
     * mono} for mono (its crossover, ratio 1.25, around that split instead of the kick split; 0 or the kick split:
     * off), while the kick's template and the kick's remainder ({@link #lastKickCrossover}) keep to the kick split.
     * Above the kick the snare's and the toms' bodies ring on: the short window's line evidence (over a 250 Hz median
     * along frequency) calls a tonal drum's body harmonic, while the long window's 40 Hz median along frequency
     * sees the body's width, and its median along time and its comb evidence still call a bass's or a chord's held
     * partials harmonic.
     */
    public HpssStep kickBodySplit(double stereo, double mono) {
        if (!(stereo >= 0) || !(mono >= 0)) throw new IllegalArgumentException("bad kick body split " + stereo + " / " + mono);
        this.kickBodySplitHz = stereo;
        this.kickMonoBodySplitHz = mono;
        return this;
    }

    /** The kick decision's split for the drums' main decision ({@link #kickBodySplit}) for this input. */
    private double bodySplitHz(SpectralMix mix) {
        double body = mix.channels() == 1 ? kickMonoBodySplitHz : kickBodySplitHz;
        return Math.max(kickSplitHz, body);
    }

    /**
     * The kick decision's median along time over {@code seconds} for mono input instead of {@link #kickVersusBass}'s
     * span (which stereo keeps).
     */
    public HpssStep kickMonoHarmonicSeconds(double seconds) {
        if (!(seconds > 0)) throw new IllegalArgumentException("bad mono kick harmonic span " + seconds);
        this.kickMonoHarmonicSeconds = seconds;
        return this;
    }

    /**
     * The kick decision's harmonic evidence between {@code loHz} and {@code hiHz} as the {@code q} quantile along time
     * instead of the median (0.5): {@code stereo} for stereo input, {@code mono} for mono. A kick repeated every beat
     * sounds in most of the long window's frames within the time median's span, so the median calls it sustained and
     * the share hedges where the kick is alone; a lower quantile reaches the gaps between the hits, while a held bass
     * note stays high through them (a note shorter than the span keeps its line evidence, {@link #kickLines}).
     */
    public HpssStep kickHarmonicQuantile(double stereo, double mono, double loHz, double hiHz) {
        if (!(stereo > 0 && stereo < 1) || !(mono > 0 && mono < 1) || !(loHz >= 0) || !(hiHz > loHz)) {
            throw new IllegalArgumentException("bad kick harmonic quantile settings");
        }
        this.kickHarmonicQuantile = stereo;
        this.kickMonoHarmonicQuantile = mono;
        this.kickQuantileLoHz = loHz;
        this.kickQuantileHiHz = hiHz;
        return this;
    }

    /**
     * Counts a bin's excess over the median along frequency as harmonic evidence in the kick decision too
     * ({@code H' = max(H, weight * (|X| - P))}): on the long window a bass note is a line a few bins wide even when it
     * is too short for the median along time to see it, while the kick's body is a broad hump.
     */
    public HpssStep kickLines(double weight) {
        this.kickLineWeight = weight;
        return this;
    }

    /**
     * Counts a long bin's line excess as harmonic evidence in the kick decision between {@code loHz} and {@code topHz}
     * where a neighbouring partial of a harmonic series through it is a line too ({@code H' = max(H, weight * min(L_k,
     * L_n / ratio))}, L the excess over the median along frequency; weight 0: off). Two or three short bass notes in
     * one long frame are a hump that fills the median along frequency as a kick's body does, but their partials at
     * 2f and 3f are lines in the same frame; a drum machine's sine kick has none (a membrane's mode at 2.14 times its
     * lowest misses the octave's bins, within one long bin of it, above about 30 Hz). The partners are read up to the
     * long window's top bin (about 330 Hz).
     */
    public HpssStep kickComb(double weight, double ratio, double loHz, double topHz) {
        if (!(weight >= 0) || !(ratio > 0) || !(loHz >= 0) || !(topHz >= loHz)) {
            throw new IllegalArgumentException("bad kick comb settings");
        }
        this.kickCombLoHz = loHz;
        this.kickCombWeight = weight;
        this.kickCombRatio = ratio;
        this.kickCombTopHz = topHz;
        return this;
    }

    /** {@link #kickComb}'s weight for mono input (stereo keeps {@code kickComb}'s). */
    public HpssStep kickMonoComb(double weight) {
        if (!(weight >= 0)) throw new IllegalArgumentException("bad mono kick comb weight " + weight);
        this.kickMonoCombWeight = weight;
        return this;
    }

    /** {@link #kickComb}'s top for mono input (stereo keeps {@code kickComb}'s): up to a mono {@link #kickBodySplit}. */
    public HpssStep kickMonoCombTop(double topHz) {
        if (!(topHz >= 0)) throw new IllegalArgumentException("bad mono kick comb top " + topHz);
        this.kickMonoCombTopHz = topHz;
        return this;
    }

    /**
     * The kick decision's median along frequency over {@code stereo} Hz for stereo input, {@code mono} for mono, instead
     * of {@code percussiveHz}, below {@code topHz} (0: off). Below 60 Hz the 40 Hz median spans a bass line's whole
     * lowest octave (E1 41 Hz to A1 55 Hz is 5 long bins), and a note shorter than the long window is a line a few bins wide: a long frame holding two or
     * three of them is a hump filling half the median's span, which the median calls percussive. A bass alone, with
     * no drums in the mix, got a drums share of 0.36-0.48 there on held-out songs 0, 2 and 4.
     */
    public HpssStep kickLowPercussive(double stereo, double mono, double topHz) {
        if (!(stereo >= 0) || !(mono >= 0) || !(topHz >= 0)) {
            throw new IllegalArgumentException("bad kick low percussive settings");
        }
        this.kickLowPercussiveHz = stereo;
        this.kickMonoLowPercussiveHz = mono;
        this.kickLowPercussiveTopHz = topHz;
        return this;
    }

    /**
     * Maps the long window's decision onto each short bin through the short window's Hann main lobe: a short bin
     * holds the energy of everything within two bins of it (21.5 Hz at 44.1 kHz), so its share is the long bins'
     * shares weighted by their energy times the main lobe's squared response at their offset, not the four long bins
     * under the bin alone. Without it, a low note's skirt in the short bins beside it was decided by the long window's
     * faint skirt there, and a kick's body spread into its neighbours likewise.
     */
    public HpssStep kickLeakage(boolean on) {
        this.kickLeakage = on;
        return this;
    }

    /**
     * Computes the kick decision's long-window bins from the mix decimated by up to 16 and a transform as many times
     * shorter ({@link LowBandAnalysis}) instead of the full long transform, of whose bins it reads the lowest 1.5 %.
     * The bins agree to float round-off and the decimation filter's 100 dB stopband ({@code LowBandAnalysisTest}).
     */
    public HpssStep kickDecimation(boolean on) {
        this.kickDecimation = on;
        return this;
    }

    /**
     * Mono input: the kick decision's share between {@code loHz} and {@code hiHz} sharpened after the template and
     * the attack, {@code k^p / (k^p + (1 - k)^p)} with {@code p = power} (1: off), before the
     * drums take it and the kick's remainders read it ({@link #lastKickShare}). Where the kick and a bass note share the
     * low band the decision hedges (held-out mono, first 12 s: the drums mask about 0.8 on the drums' own bins at
     * 60-150 Hz against an oracle's 0.92, about 0.4 on the bass's tracked partials against 0.05; {@code SeparationDiag
     * --kick}); most bins lie on the right side of one half, so pushing each away from it moves more of the band to its
     * source than away.
     */
    public HpssStep kickMonoSharpen(double power, double loHz, double hiHz) {
        if (!(power >= 1) || !(loHz >= 0) || !(hiHz > loHz)) {
            throw new IllegalArgumentException("bad kick sharpening " + power + " / " + loHz + " / " + hiHz);
        }
        this.sharpPower = power;
        this.sharpLoHz = loHz;
        this.sharpHiHz = hiHz;
        return this;
    }

    /**
     * Re-decides the kick against the bass below the kick split from the kick's repeated shape over time ({@link
     * KickTemplate}); {@code null} switches it off.
     */
    HpssStep kickTemplate(KickTemplate template) {
        this.kickTemplate = template;
        return this;
    }

    /**
     * The last {@link #take}'s expected kick magnitude from the kick's template ({@link KickTemplate#lastExpected},
     * {@code [frame][0..nb)}), for diagnostics; null without the template or where that window found none.
     */
    public float[][] lastKickExpected() { return kickTemplate != null ? kickTemplate.lastExpected() : null; }

    /**
     * The last {@link #take}'s low-band onsets ({@link KickTemplate#lastOnsets}, workspace memory), read by the mono
     * kick's cap on the bass's harmonics ({@link KickRemainderStep#onCombCap}) and by diagnostics; null without the
     * template.
     */
    public int[] lastKickOnsets() { return kickTemplate != null ? kickTemplate.lastOnsets() : null; }

    /** The number of {@link #lastKickOnsets} (0 without the template). */
    public int lastKickOnsetCount() { return kickTemplate != null ? kickTemplate.lastOnsetCount() : 0; }

    /**
     * For diagnostics: the kick template's expected magnitude replaced by {@code mag} ({@code [frame][bin]}) in calls
     * with exactly that many frames ({@link KickTemplate#given}, whose {@code mode}: 0 in the frames an onset's
     * template reaches, 1 in all, 2 / 3 raised / lowered to it per bin where it reaches; the evaluation's bound: the
     * true drums' magnitude on a whole clip); null: off. No effect without the template.
     */
    public HpssStep givenKickMagnitude(float[][] mag, int mode) {
        if (kickTemplate != null) kickTemplate.given(mag, mode);
        return this;
    }

    @Override
    public void reset() {
        if (kickTemplate != null) kickTemplate.clear();
    }

    /**
     * Scales the harmonic evidence between {@code loHz} and {@code hiHz} by {@code weight} in the main decision
     * ({@code H' = weight * H}): there a drum kit has little of its energy (the snare's and toms' bodies lie lower, the
     * cymbals higher) while the partials of basses, keyboards and plucked parts are dense, and their onsets look
     * broadband to the median along frequency; a bin must then be more clearly percussive to go to the drums.
     */
    public HpssStep midHarmonicWeight(double weight, double loHz, double hiHz) {
        this.midWeight = weight;
        this.midLoHz = loHz;
        this.midHiHz = hiHz;
        return this;
    }

    /**
     * Mono input: counts the level a bin holds through each of the next {@code frames} frames as harmonic evidence in
     * the main decision between {@code loHz} and {@code hiHz}, {@code H' = max(H, weight * S)} with {@code S =
     * min(|X_{t+1}|, ..., |X_{t+frames}|)}, where S is at least {@code hold} times the bin's level now (weight 0: off).
     * A note that starts there still sounds a few frames on, at about its level: at its onset and through a note
     * shorter than the median along time's half span, the median sees too few of its frames and the onset's broadband
     * transient fills the median along frequency, so the drums took those bins (a clavinet's or an organ's stabs). A
     * drum hit's noise and ring have fallen below {@code hold} of the hit's level by then; without the hold the ringing
     * toms and snares of the training songs' kit lost (docs/separation-history.md, session 35).
     */
    public HpssStep monoSustain(double weight, int frames, double hold, double loHz, double hiHz) {
        if (!(weight >= 0) || frames < 1 || !(hold >= 0) || !(loHz >= 0) || !(hiHz > loHz)) {
            throw new IllegalArgumentException("bad mono sustain settings " + weight + " / " + frames + " / " + hold
                    + " / " + loHz + " / " + hiHz);
        }
        this.sustainWeight = weight;
        this.sustainFrames = frames;
        this.sustainHold = hold;
        this.sustainLoHz = loHz;
        this.sustainHiHz = hiHz;
        return this;
    }

    /**
     * {@link #monoSustain}'s S: each frame's least magnitude over the next {@code n} frames, bins {@code lo..hi-1} (0
     * where the window ends first).
     */
    static float[][] sustained(float[][] mag, int n, int lo, int hi, org.stemroom.separation.Workspace ws) {
        int frames = mag.length;
        float[][] out = ws.floats(frames, hi - lo);
        for (int f = 0; f + n < frames; f++) { // the window's last frames: no evidence (zeroed)
            float[] o = out[f];
            System.arraycopy(mag[f + 1], lo, o, 0, hi - lo);
            for (int k = 2; k <= n; k++) {
                float[] x = mag[f + k];
                for (int b = lo; b < hi; b++) o[b - lo] = Math.min(o[b - lo], x[b]);
            }
        }
        return out;
    }

    /**
     * Scales the median along time's harmonic evidence above {@code loHz} by {@code weight} in the main decision, before
     * the line evidence ({@code H' = max(weight * H, lines)}): up there a cymbal's or a hi-hat's sustained wash is noise
     * held along time, which the median along time calls harmonic, while the tonal parts' partials are lines along
     * frequency, which the line evidence ({@link #lines}) keeps harmonic whatever this weight.
     */
    public HpssStep washWeight(double weight, double loHz) {
        this.washWeight = weight;
        this.washLoHz = loHz;
        return this;
    }

    /**
     * Counts a bin's excess over {@code margin} times the median along frequency as harmonic evidence in the main
     * decision too ({@code H' = max(H, weight * (|X| - margin P))}): the partials of a note shorter than the median
     * along time (a pluck, a clavinet stab) are lines along frequency, a drum hit's noise is not.
     */
    public HpssStep lines(double weight, double margin, double maxHz) {
        this.lineWeight = weight;
        this.lineMargin = margin;
        this.lineMaxHz = maxHz;
        return this;
    }

    /**
     * Above the high split, keeps a bin's share {@code max(0, |X| - margin P) / |X|} out of the percussive stem (0:
     * off): a lead's partial up there is a line far above the median along frequency, a cymbal's noise is not.
     */
    public HpssStep highLines(double margin) {
        this.highLineMargin = margin;
        return this;
    }

    private HpssStep(double harmonicSeconds, double percussiveHz, double power, double margin, double highSplitHz,
                     boolean percussiveOnly, String percussiveName) {
        if (!(harmonicSeconds > 0) || !(percussiveHz > 0) || !(power > 0) || !(margin >= 1)) {
            throw new IllegalArgumentException("bad HPSS settings");
        }
        this.harmonicSeconds = harmonicSeconds;
        this.percussiveHz = percussiveHz;
        this.power = power;
        this.margin = margin;
        this.highSplitHz = highSplitHz;
        this.percussiveOnly = percussiveOnly;
        this.percussiveName = percussiveName;
        this.names = percussiveOnly ? List.of(percussiveName) : List.of("harmonic", "percussive", "residual");
    }

    /** Three stems: harmonic, percussive, residual (empty when margin is 1). */
    public static HpssStep full(double harmonicSeconds, double percussiveHz, double power, double margin) {
        return new HpssStep(harmonicSeconds, percussiveHz, power, margin, 0, false, "percussive");
    }

    /** Takes only the percussive part (and everything above {@code highSplitHz} when &gt; 0) as one stem. */
    public static HpssStep percussiveOnly(String name, double harmonicSeconds, double percussiveHz, double power,
                                          double highSplitHz) {
        return new HpssStep(harmonicSeconds, percussiveHz, power, 1.0, highSplitHz, true, name);
    }

    @Override
    public List<String> stemNames() {
        return names;
    }

    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        float[][] mag = mix.magnitude();
        int frames = mix.frames(), bins = mix.bins();
        int tLen = odd(harmonicSeconds / mix.frameSeconds());
        int fLen = odd(percussiveHz / mix.binHz());
        org.stemroom.separation.Workspace ws = mix.workspace();
        float[][] h = MedianFilter.alongTime(mag, tLen, ws);
        float[][] p = MedianFilter.alongFrequency(mag, fLen, ws);
        float[][] mh = ws.floats(frames, bins);
        float[][] mp = ws.floats(frames, bins);
        float[][] mr = percussiveOnly ? null : ws.floats(frames, bins);
        float[] high = highSplitHz > 0 ? highCrossover.highPass(mix, highSplitHz, 1.25) : null;
        float[][] kick = kickSplitHz > 0 ? lowBandPercussive(mix) : null;
        if (kick != null && kickTemplate != null) {
            kickTemplate.monoInput(mix.channels() == 1);
            kickTemplate.apply(mag, kick, topShort(mix, kickSplitHz) + 1, mix.frameSeconds(), mix.binHz(), ws);
        }
        if (kick != null && sharpPower != 1 && mix.channels() == 1) {
            int lo = (int) Math.ceil(sharpLoHz / mix.binHz()), hi = Math.min(kick[0].length, (int) Math.ceil(sharpHiHz / mix.binHz()));
            for (float[] k : kick) sharpen(k, lo, hi, sharpPower);
        }
        float[] above = kickSplitHz > 0 ? kickCrossover.highPass(mix, kickSplitHz, 1.25) : null;
        lastKick = kick;
        lastAbove = above;
        lastBodyExtra = null;
        float[] body = null;
        if (kickSplitHz > 0 && bodySplitHz(mix) > kickSplitHz) {
            body = bodyCrossover.highPass(mix, bodySplitHz(mix), 1.25);
            if (bodyAfterBass && mix.channels() == 2) {
                lastBodyExtra = ws.floats(frames, kick[0].length);
            } else {
                above = body;
                body = null;
            }
        }
        int lineTop = (int) Math.min(bins, Math.ceil(lineMaxHz / mix.binHz()));
        // one small method per frame: a loop nest here made C2 compile all of take() on-stack, several times
        washLo = washWeight != 1 ? (int) Math.ceil(washLoHz / mix.binHz()) : Integer.MAX_VALUE;
        midLo = midWeight != 1 ? (int) Math.ceil(midLoHz / mix.binHz()) : 0;
        midHi = midWeight != 1 ? (int) Math.min(bins, Math.ceil(midHiHz / mix.binHz())) : 0;
        boolean sustain = sustainWeight > 0 && mix.channels() == 1;
        sustainLo = sustain ? (int) Math.ceil(sustainLoHz / mix.binHz()) : 0;
        sustainHi = sustain ? (int) Math.max(sustainLo, Math.min(bins, Math.ceil(sustainHiHz / mix.binHz()))) : 0;
        float[][] held = sustain ? sustained(mag, sustainFrames, sustainLo, sustainHi, ws) : null;
        for (int f = 0; f < frames; f++) {
            maskFrame(mag[f], lineTop, h[f], p[f], available[f], kick != null ? kick[f] : null, above, high, mh[f], mp[f],
                    mr != null ? mr[f] : null, bins, body, lastBodyExtra != null ? lastBodyExtra[f] : null,
                    held != null ? held[f] : null);
        }
        if (percussiveOnly) {
            out.put(percussiveName, mp);
        } else {
            out.put("harmonic", mh);
            out.put("percussive", mp);
            out.put("residual", mr);
        }
        return out;
    }

    /**
     * The last {@link #take}'s kick share per short frame and bin below the kick split ({@code [frame][0..top]}), valid
     * until the cascade's next call; null without the kick decision.
     */
    float[][] lastKickShare() { return lastKick; }

    /**
     * Stereo, with {@link #kickBodyAfterBass}: the last {@link #take}'s excess of the body split's drums share over the
     * kick split's, as a share of what the drums left ({@code [frame][0..top]}); null otherwise.
     */
    float[][] lastBodyExtra() { return lastBodyExtra; }

    /**
     * Stereo: the drums' main decision keeps the kick split, and what the body split ({@link #kickBodySplit}) would
     * add above it is handed to the drums after the bass step ({@link KickRemainderStep}), out of what the bass left.
     */
    public HpssStep kickBodyAfterBass(boolean on) {
        this.bodyAfterBass = on;
        return this;
    }

    /** The last {@link #take}'s kick split crossover (the high side's weight per bin); null without the kick decision. */
    float[] lastKickCrossover() { return lastAbove; }

    /**
     * {@code Math.pow(x, q)}, with the default power 2 as {@code x * x}: the same double (Java's pow is exact for
     * {@code y = 2}: fdlibm's special case, and HotSpot's x86_64 intrinsic tests for it too; HpssStepTest compares
     * the two on random values and edge cases), without the call into the pow routine that C2 makes for a power that
     * is not a compile-time constant (about 5 ns a call against 1: three calls a bin were a third of this step).
     */
    static double pow(double x, double q) {
        return q == 2 ? x * x : Math.pow(x, q);
    }

    private void maskFrame(float[] x, int lineTop, float[] h, float[] p, float[] available, float[] kick, float[] above, float[] high,
                           float[] mh, float[] mp, float[] mr, int bins, float[] body, float[] extra, float[] held) {
        double beta = margin;
        double bh = Math.pow(beta, power); // the same for every bin
        for (int b = 0; b < bins; b++) {
            double hv = h[b];
            if (b >= washLo) hv *= washWeight;
            if (lineWeight > 0 && b < lineTop) hv = BranchFree.max(hv, lineWeight * (x[b] - lineMargin * p[b]));
            if (held != null && b >= sustainLo && b < sustainHi && held[b - sustainLo] >= sustainHold * x[b]) {
                hv = BranchFree.max(hv, sustainWeight * held[b - sustainLo]);
            }
            if (b >= midLo && b < midHi) hv *= midWeight;
            double hp = pow(hv, power), pp = pow(p[b], power);
            double den1 = hp + bh * pp, den2 = pp + bh * hp;
            double a = available[b];
            // without branches: silence (the last window's padding) takes the other side (see BranchFree)
            double mH = BranchFree.ifGreater(den1, 1e-30, hp / den1, 0.5 / beta);
            double mP = BranchFree.ifGreater(den2, 1e-30, pp / den2, 0.5 / beta);
            double main = mP;
            if (kick != null && above[b] < 1f && b < kick.length) {
                mP = above[b] * mP + (1 - above[b]) * kick[b];
                mH = 1 - mP;
            }
            if (extra != null && b < kick.length) {
                // the body decision's excess over this one, as a share of what this one leaves
                double mB = body[b] * main + (1 - body[b]) * kick[b];
                extra[b] = (float) (mP < 1 ? Math.max(0, mB - mP) / (1 - mP) : 0);
            }
            if (high != null) {
                double keep = highLineMargin > 0 && x[b] > 1e-30 ? Math.max(0, x[b] - highLineMargin * p[b]) / x[b] : 0;
                mP = mP + (1 - mP) * high[b] * (1 - keep);
            }
            mh[b] = (float) (a * mH);
            mp[b] = (float) (a * mP);
            if (mr != null) mr[b] = (float) Math.max(0, a * (1 - mH - mP));
        }
    }

    /** {@link #kickMonoSharpen}: one frame's kick share, bins {@code lo..hi-1}, in place. */
    static void sharpen(float[] k, int lo, int hi, double power) {
        for (int b = lo; b < hi; b++) {
            double x = Math.min(1, Math.max(0, k[b])), a = pow(x, power), c = pow(1 - x, power);
            k[b] = (float) (a / (a + c)); // a + c >= 2^(1 - power) > 0
        }
    }

    /** Percussive share of each short-window bin below the kick split, from HPSS on a 4x longer window. */
    private float[][] lowBandPercussive(SpectralMix mix) {
        int ratio = 4;
        int nLong = mix.stft().nFft() * ratio;
        int hop = 2 * mix.stft().hop(); // half the frames of the short STFT: each long frame serves two short ones
        org.stemroom.separation.Workspace ws = mix.workspace();
        float[] mono = ws.floats(mix.clip().frames());
        for (int c = 0; c < mix.channels(); c++) addScaled(mix.clip().channel(c), mix.channels(), mono);
        double longBinHz = mix.sampleRate() / (double) nLong;
        int topShort = topShort(mix, bodySplitHz(mix));
        int topLong = Math.min(nLong / 2, (topShort + (kickLeakage ? 2 : 1)) * ratio + (int) (kickPercussiveHz / longBinHz) + 2);
        // only bins below topLong are read: from a decimated signal where the setting allows (LowBandAnalysis)
        int d = kickDecimation ? LowBandAnalysis.factor(nLong, hop, topLong) : 1;
        org.stemroom.core.dsp.Spectrogram sp = LowBandAnalysis.analyze(mono, nLong, hop, d, ws);
        int frames = sp.frames();
        float[][] mag = ws.floats(frames, topLong);
        for (int f = 0; f < frames; f++) magnitude(sp.re(f), sp.im(f), mag[f], topLong);
        boolean monoInput = mix.channels() == 1;
        double span = monoInput && !Double.isNaN(kickMonoHarmonicSeconds) ? kickMonoHarmonicSeconds : kickHarmonicSeconds;
        int hLen = odd(span / (2 * mix.frameSeconds()));
        float[][] h = MedianFilter.alongTime(mag, hLen, ws);
        double q = monoInput ? kickMonoHarmonicQuantile : kickHarmonicQuantile;
        int qLo = (int) Math.ceil(kickQuantileLoHz / longBinHz);
        int qHi = (int) Math.min(topLong, Math.ceil(kickQuantileHiHz / longBinHz));
        if (q != 0.5 && qLo < qHi) MedianFilter.quantileAlongTime(mag, hLen, q, qLo, qHi, h, ws);
        float[][] p = MedianFilter.alongFrequency(mag, odd(kickPercussiveHz / longBinHz), ws);
        double lowHz = monoInput ? kickMonoLowPercussiveHz : kickLowPercussiveHz;
        int lowTop = (int) Math.min(topLong, Math.ceil(kickLowPercussiveTopHz / longBinHz));
        if (lowHz > 0 && lowTop > 0) {
            float[][] wide = MedianFilter.alongFrequency(mag, odd(lowHz / longBinHz), ws);
            for (int f = 0; f < frames; f++) System.arraycopy(wide[f], 0, p[f], 0, lowTop);
        }
        // the long bins the comb evidence covers
        int combLo = Math.max(2, (int) Math.ceil(kickCombLoHz / longBinHz));
        double comb = monoInput && !Double.isNaN(kickMonoCombWeight) ? kickMonoCombWeight : kickCombWeight;
        double combTopHz = monoInput && !Double.isNaN(kickMonoCombTopHz) ? kickMonoCombTopHz : kickCombTopHz;
        int combTop = comb > 0 ? (int) Math.min(topLong, Math.ceil(combTopHz / longBinHz)) : 0;
        float[][] lowShare = ws.floats(frames, topShort + 1);
        double[] hp = ws.doubles(topLong), pp = ws.doubles(topLong), e = ws.doubles(topLong);
        double[] lines = combTop > 0 ? ws.doubles(topLong) : null;
        for (int f = 0; f < frames; f++) {
            if (lines != null) combEvidence(h[f], p[f], mag[f], topLong, combLo, combTop, comb, lines);
            lowShareFrame(h[f], p[f], mag[f], lowShare[f], topShort, topLong, ratio, hp, pp, e);
        }
        // short frame f is centred at f*hop, long frame g at 2*g*hop: even frames map exactly, odd ones average
        float[][] out = ws.floats(mix.frames(), topShort + 1);
        for (int f = 0; f < out.length; f++) {
            int g = Math.min(frames - 1, f / 2);
            float[] m = out[f];
            if ((f & 1) == 0 || g + 1 >= frames) {
                System.arraycopy(lowShare[g], 0, m, 0, m.length);
            } else {
                average(lowShare[g], lowShare[g + 1], m);
            }
        }
        return out;
    }

    /** The highest short bin the long window's decision serves for a split at {@code splitHz} (its crossover's top). */
    private static int topShort(SpectralMix mix, double splitHz) {
        return Math.min(mix.bins() - 1, (int) Math.ceil(splitHz * 1.25 / mix.binHz()) + 1);
    }

    /**
     * {@link #kickComb}: raises {@code h[k]}, {@code lo <= k < top}, to {@code weight * min(L_k, L_n / ratio)}, where L
     * is the line excess {@code max(0, |X| - P)} and L_n the largest of a neighbouring partial's (bins within one of
     * {@code (j +- 1) k / j}, k the j-th partial, j = 1..3). Changes {@code h} in place (the workspace's median).
     */
    private void combEvidence(float[] h, float[] p, float[] mag, int topLong, int lo, int top, double weight,
                              double[] lines) {
        for (int k = 0; k < topLong; k++) lines[k] = Math.max(0, mag[k] - p[k]);
        for (int k = lo; k < top; k++) {
            double n = 0;
            for (int j = 1; j <= 3; j++) {
                n = Math.max(n, near(lines, (double) (j + 1) * k / j, topLong));
                if (j > 1) n = Math.max(n, near(lines, (double) (j - 1) * k / j, topLong));
            }
            double c = weight * Math.min(lines[k], n / kickCombRatio);
            if (c > h[k]) h[k] = (float) c;
        }
    }

    /** The largest of {@code x} within one bin of position {@code at} (0 outside the array). */
    private static double near(double[] x, double at, int n) {
        int c = (int) Math.round(at);
        double m = 0;
        for (int i = Math.max(0, c - 1); i <= Math.min(n - 1, c + 1); i++) m = Math.max(m, x[i]);
        return m;
    }

    private static void addScaled(float[] x, int channels, float[] mono) {
        for (int i = 0; i < mono.length; i++) mono[i] += x[i] / channels;
    }

    private static void average(float[] a, float[] c, float[] m) {
        for (int b = 0; b < m.length; b++) m[b] = 0.5f * (a[b] + c[b]);
    }

    private static void magnitude(float[] re, float[] im, float[] mag, int n) {
        for (int b = 0; b < n; b++) mag[b] = (float) Math.sqrt(re[b] * re[b] + im[b] * im[b]);
    }

    /**
     * One long frame's percussive share of each short-window bin up to {@code topShort}, energy-weighted. With
     * {@link #kickLeakage} the long bins are weighted by how much of their energy the short window's Hann main lobe
     * puts into the short bin (up to two short bins away), not only the four long bins the short bin spans.
     */
    private void lowShareFrame(float[] h, float[] p, float[] mag, float[] out, int topShort, int topLong, int ratio,
                               double[] hp, double[] pp, double[] e) {
        // each long bin's powers once: with the main lobe a long bin serves up to four short bins
        for (int k = 0; k < topLong; k++) {
            double hv = h[k];
            if (kickLineWeight > 0) hv = BranchFree.max(hv, kickLineWeight * (mag[k] - p[k]));
            hp[k] = pow(hv, power);
            pp[k] = pow(p[k], power);
            e[k] = (double) mag[k] * mag[k];
        }
        int reach = kickLeakage ? 2 * ratio - 1 : ratio / 2;
        for (int b = 0; b <= topShort; b++) {
            double num = 0, den = 0;
            int k0 = kickLeakage ? b * ratio - reach : b * ratio - ratio / 2;
            int k1 = kickLeakage ? b * ratio + reach + 1 : b * ratio + ratio / 2;
            for (int k = Math.max(0, k0); k < Math.min(k1, topLong); k++) {
                double ek = kickLeakage ? e[k] * HANN_LEAK_4[k - b * ratio + reach] : e[k];
                if (hp[k] + pp[k] > 1e-30) num += ek * pp[k] / (hp[k] + pp[k]);
                den += ek;
            }
            out[b] = (float) BranchFree.ifGreater(den, 1e-30, num / den, 0.5); // no branch: see BranchFree
        }
    }

    /**
     * Squared magnitude of a Hann window's spectrum (periodic, long) at offsets of -7/4 .. 7/4 bins in quarter bins,
     * relative to its centre: {@code (sinc(d) / (1 - d^2))^2}, 1/4 at one bin, 0 at two.
     */
    private static final double[] HANN_LEAK_4 = hannLeak(4);

    private static double[] hannLeak(int ratio) {
        int reach = 2 * ratio - 1;
        double[] w = new double[2 * reach + 1];
        for (int i = 0; i < w.length; i++) {
            double d = (i - reach) / (double) ratio;
            double v = d == 0 ? 1 : Math.abs(d) == 1 ? 0.5 : Math.sin(Math.PI * d) / (Math.PI * d * (1 - d * d));
            w[i] = v * v;
        }
        return w;
    }

    static int odd(double x) {
        int n = (int) Math.round(x);
        return Math.max(1, n | 1);
    }
}
