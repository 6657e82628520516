package org.stemroom.separation.modelfree;

import java.util.Arrays;
import org.stemroom.separation.Workspace;

/**
 * The kick against the bass below the kick split, decided over time: a song's kick drum is one sample played again
 * and again, a bass line changes pitch. At the short window's 10.8 Hz bins the kick's body and the bass's low
 * harmonics share bins, and the long window's HPSS (370 ms) cannot see a kick that repeats inside it; what tells
 * them apart is the kick's repeated shape in time. So this learns that shape: at each onset of the low band (a
 * peak of its spectral flux relative to its level) it cuts the low band's magnitude spectrogram from shortly before
 * to {@code postSeconds} after, keeps the last {@code capacity} such patches over windows, and takes their median
 * per lag and bin as the kick's template (a bass note at one onset and another at the next fall out of the
 * median). Each onset of the window then gets the template scaled by the median ratio of its own patch to the
 * template (an onset whose patch does not hold the template, a bass note's own onset, gets little or nothing), and
 * the template's expected magnitude gives the kick's share of each bin, {@code min(1, (E / |X|)^2)}, which re-decides
 * the long window's percussive share.
 *
 * <p>State carried from window to window (the patches) is cleared by {@link #clear()}; the arrays are allocated on the
 * first window of a grid and reused, and the per-window scratch comes from the cascade's {@link Workspace}.
 */
final class KickTemplate {
    /** Frames kept before the flux peak: a short window already holds part of the hit one or two hops earlier. */
    static final int PRE = 2;
    /** Onsets used for the gain need at least this many patches learned (fewer: the decision stays as it was). */
    static final int MIN_PATCHES = 3;
    private final double weight;
    private final int mode;
    private final double postSeconds;
    private final double onsetRatio;
    private final int capacity;
    private final double minGain;
    private final double loHz, fluxTopHz;
    private final double templateQuantile, gainQuantile, similarity;
    private double attack; // 0: off
    private double attackSeconds;
    private double attackShape; // 0: every bin below the split alike
    /** A mono input's own weight and template quantile ({@link #mono}); the stereo ones unless set. */
    private double monoWeight, monoQuantile;
    /** {@link #peakWithin}, stereo / mono (0: off), and {@link #carryTemplate}, stereo / mono. */
    private int peakLags, monoPeakLags;
    private boolean carry, monoCarry;
    /** Whether the calls that follow are a mono input's ({@link #monoInput}). */
    private boolean monoInput;
    /** Per kept patch, the lag of its loudest frame (its magnitude summed over the bins). */
    private int[] patchPeak;
    /** Per kept patch, its level 5-6 frames after its loudest lag relative to that lag's ({@link #decayBelow}). */
    private float[] patchHold;
    private double holdBelow, monoHoldBelow; // 0: off
    /** {@link #carryTemplate}: the last template learned since {@link #clear} and its peak (0: none). */
    private float[][] kept;
    private float keptPeak;
    private float[][][] ring;
    /** {@link #learnAfter}'s settings (seconds 0: off). */
    private double afterSeconds, monoAfterSeconds, afterHold, monoAfterHold;
    /** {@link #learnAfter}: per kept patch (as {@link #ring}) its rise less the note's later rise; the carried template. */
    private float[][][] ringAfter;
    private float[][] keptAfter;
    /** The number of the last {@link #template}'s members (the first of its {@code members}). */
    private int memberCount;
    /** The last {@link #apply}'s expected kick magnitude per frame and bin (workspace memory); null: none. */
    private float[][] lastExpected;
    /** The last {@link #apply}'s low-band onsets (frames, ascending; workspace memory) and their number. */
    private int[] lastOnsets;
    private int lastOnsetCount;
    /** Cosine similarity of every two kept patches, updated as a patch is kept (a patch never changes once kept). */
    private double[][] similar;
    private int stored, next, lags, bins;
    /** For diagnostics ({@link #given}): the expected magnitude given per frame and bin; null: the template's. */
    private float[][] given;
    private int givenMode;

    /**
     * @param weight how far the template's share moves the decision (0..1)
     * @param mode 0: only towards the drums ({@code max}); 1: blended in the frames an onset's template covers
     * @param postSeconds length of the template after the onset
     * @param onsetRatio a frame is an onset where the low band's rise over the previous frame is at least this share
     *     of its level (and a peak within 80 ms)
     * @param capacity patches kept (the newest)
     * @param minGain an onset whose patch holds less than this share of the template is not taken as a kick
     * @param loHz lowest frequency of the onset detector's low band
     * @param fluxTopHz highest frequency of that band
     * @param templateQuantile quantile over the kick's patches, per lag and bin, that makes the template (0..1)
     * @param gainQuantile quantile over an onset's patch-to-template ratios that scales the template there (0..1)
     * @param similarity cosine similarity at which two patches count as the same drum (-1..1)
     */
    KickTemplate(double weight, int mode, double postSeconds, double onsetRatio, int capacity, double minGain,
                 double loHz, double fluxTopHz, double templateQuantile, double gainQuantile, double similarity) {
        if (!(weight >= 0 && weight <= 1) || mode < 0 || mode > 1 || !(postSeconds > 0) || !(onsetRatio > 0)
                || capacity < MIN_PATCHES || !(minGain >= 0) || !(loHz >= 0 && loHz < fluxTopHz)
                || !(templateQuantile >= 0 && templateQuantile <= 1) || !(gainQuantile >= 0 && gainQuantile <= 1)
                || !(similarity >= -1 && similarity <= 1)) {
            throw new IllegalArgumentException("bad kick template settings");
        }
        this.templateQuantile = templateQuantile;
        this.gainQuantile = gainQuantile;
        this.similarity = similarity;
        this.weight = weight;
        this.mode = mode;
        this.postSeconds = postSeconds;
        this.onsetRatio = onsetRatio;
        this.capacity = capacity;
        this.minGain = minGain;
        this.loHz = loHz;
        this.fluxTopHz = fluxTopHz;
        this.monoWeight = weight;
        this.monoQuantile = templateQuantile;
    }

    /** A mono input's own weight and template quantile (as the constructor's; stereo keeps those). */
    KickTemplate mono(double weight, double templateQuantile) {
        if (!(weight >= 0 && weight <= 1) || !(templateQuantile >= 0 && templateQuantile <= 1)) {
            throw new IllegalArgumentException("bad mono kick template settings");
        }
        this.monoWeight = weight;
        this.monoQuantile = templateQuantile;
        return this;
    }

    /**
     * A kept patch whose loudest lag (its magnitude summed over the bins) lies more than {@code stereo} frames after the
     * onset ({@code mono} for a mono input) joins no group (0: off). A kick's rise peaks at its onset; a group of
     * patches that peak later is something that swells after a low onset (training song 4 learned one peaking 7-8
     * frames on, in every window, and missed its kick).
     */
    KickTemplate peakWithin(int stereo, int mono) {
        if (stereo < 0 || mono < 0) throw new IllegalArgumentException("bad kick peak lags " + stereo + " / " + mono);
        this.peakLags = stereo;
        this.monoPeakLags = mono;
        return this;
    }

    /**
     * With {@link #peakWithin}, a kept patch whose level 5-6 frames (about 0.13 s) after its loudest lag is not below
     * {@code stereo} ({@code mono} for a mono input) times that lag's joins no group either (0: off): a drum decays, a
     * held bass note repeated at one pitch (a riff) makes a group whose patches peak at their onsets just as well.
     */
    KickTemplate decayBelow(double stereo, double mono) {
        if (!(stereo >= 0) || !(mono >= 0)) throw new IllegalArgumentException("bad kick decay " + stereo + " / " + mono);
        this.holdBelow = stereo;
        this.monoHoldBelow = mono;
        return this;
    }

    /**
     * A window whose kept patches hold no group of like patches uses the last template learned since {@link #clear}
     * instead of none ({@code stereo} for stereo input, {@code mono} for mono): the song's kick is one sample, and
     * the ring of the last patches fills with other onsets for a while (a fill, a bass riff).
     */
    KickTemplate carryTemplate(boolean stereo, boolean mono) {
        this.carry = stereo;
        this.monoCarry = mono;
        return this;
    }

    /**
     * The expected magnitude ({@link #lastExpected}: the kick decision, mono's share on the bass's harmonics) comes
     * from a template learned from the same group of patches with each patch, per bin, less what the bin rose by
     * {@code stereo} seconds after the onset ({@code mono} for a mono input; over the frame before the patch), where
     * that later rise is at least {@code hold} ({@code monoHold}) of the bin's largest rise in the patch (0: off). A
     * patch is the rise over what sounded before, so a bass note that starts with the kick joins it with its partials,
     * and where a song's notes start with its kicks the quantile keeps them and the template hands them to the drums;
     * such a note still sounds once the kick has died, while the kick's body has decayed below {@code hold} of its peak
     * by then (a held note was in the frame before already). The group, each onset's gain and the attack's shape still
     * read the patches as they are.
     */
    KickTemplate learnAfter(double stereo, double mono, double hold, double monoHold) {
        if (!(stereo >= 0) || !(mono >= 0) || !(hold >= 0) || !(monoHold >= 0)) {
            throw new IllegalArgumentException("bad kick learn-after " + stereo + ", " + mono + ", " + hold + ", " + monoHold);
        }
        this.afterSeconds = stereo;
        this.monoAfterSeconds = mono;
        this.afterHold = hold;
        this.monoAfterHold = monoHold;
        return this;
    }

    /** Whether the calls that follow are a mono input's ({@link #mono}, {@link #peakWithin}, {@link #carryTemplate}). */
    void monoInput(boolean mono) {
        this.monoInput = mono;
    }

    /**
     * Moves the kick share of every onset's attack frames (from {@link #PRE} frames before it to {@code seconds} after
     * it, all bins below the split) towards 1 by {@code weight}, once a kick template has been learned (the song has a
     * repeated kick); 0: off. Most of the low band's onsets in a song with a kick are kicks, also those whose patch
     * misses the template's similarity (a bass note starting with the kick, the next hit inside the patch), and at the
     * attack the kick holds most of the low band while the long window's decision, a 370 ms median, hedges. Cutting the
     * share there instead cost both stems (session 14: held-out 12 s drums -0.34, bass -0.30 dB).
     */
    KickTemplate attack(double weight, double seconds) {
        if (!(weight >= 0 && weight <= 1) || !(seconds >= 0)) throw new IllegalArgumentException("bad kick attack settings");
        this.attack = weight;
        this.attackSeconds = seconds;
        return this;
    }

    /**
     * Scales the attack's weight per bin by the learned template's level there over the attack frames, relative to its
     * loudest bin, to the power {@code shape} (0: every bin below the split alike).
     */
    KickTemplate attackShape(double shape) {
        if (!(shape >= 0)) throw new IllegalArgumentException("bad kick attack shape");
        this.attackShape = shape;
        return this;
    }

    /** {@link #given}'s modes: in the frames an onset's template reaches, E replaced, raised to, lowered to it. */
    static final int GIVEN_REACHED = 0, GIVEN_EVERYWHERE = 1, GIVEN_RAISED = 2, GIVEN_LOWERED = 3;

    /**
     * For diagnostics: in calls with exactly {@code mag.length} frames the expected kick magnitude is {@code mag} (the
     * evaluation's bound: the true drums' magnitude on a whole clip) instead of the template's: in the frames an
     * onset's template reaches ({@link #GIVEN_REACHED}), in every frame ({@link #GIVEN_EVERYWHERE}), or in the frames
     * it reaches the larger ({@link #GIVEN_RAISED}) or the smaller ({@link #GIVEN_LOWERED}) of the two per bin; null:
     * the template's, as always outside the evaluation.
     */
    void given(float[][] mag, int mode) {
        if (mode < GIVEN_REACHED || mode > GIVEN_LOWERED) throw new IllegalArgumentException("bad given mode " + mode);
        this.given = mag;
        this.givenMode = mode;
    }

    void clear() {
        stored = 0;
        next = 0;
        keptPeak = 0;
    }

    /**
     * Re-decides {@code kick[f][b]} (the percussive share of short frame f, bins {@code 0..nb-1}; {@code nb <=
     * kick[0].length}) from the short window's magnitudes {@code mag}.
     */
    void apply(float[][] mag, float[][] kick, int nb, double frameSeconds, double binHz, Workspace ws) {
        int frames = kick.length;
        lastExpected = null;
        int len = PRE + Math.max(2, (int) Math.round(postSeconds / frameSeconds));
        double after = monoInput ? monoAfterSeconds : afterSeconds;
        if (ring == null || lags != len || bins != nb || ringAfter == null && after > 0) {
            ring = new float[capacity][len][nb];
            similar = new double[capacity][capacity];
            patchPeak = new int[capacity];
            patchHold = new float[capacity];
            kept = new float[len][nb];
            ringAfter = after > 0 ? new float[capacity][len][nb] : null;
            keptAfter = after > 0 ? new float[len][nb] : null;
            lags = len;
            bins = nb;
            clear();
        }
        int[] onset = ws.ints(1, frames)[0];
        int n = onsets(mag, frames, binHz, frameSeconds, ws.doubles(frames), onset);
        lastOnsets = onset;
        lastOnsetCount = n;
        float[][] ex = ws.floats(len, nb);
        float[][] exAfter = after > 0 ? ws.floats(len, nb) : null;
        // within the patch, which lies whole in the window where it is kept
        int afterLag = Math.min(len - PRE - 1, (int) Math.round(after / frameSeconds));
        for (int i = 0; i < n; i++) {
            // cut by the window's edge (or no frame before it to measure what was already sounding): the next or
            // the previous window has it whole
            if (!excess(mag, onset[i], len, nb, frames, ex)) continue;
            if (exAfter != null) {
                excessAfter(mag, onset[i], onset[i] + afterLag, monoInput ? monoAfterHold : afterHold, ex, exAfter);
            }
            store(ex, exAfter);
        }
        boolean giveAll = given != null && givenMode == GIVEN_EVERYWHERE && given.length == frames;
        if (giveAll) {
            float[][] expected = ws.floats(frames, nb);
            for (int f = 0; f < frames; f++) System.arraycopy(given[f], 0, expected[f], 0, nb);
            for (int f = 0; f < frames; f++) decideGiven(kick[f], expected[f], mag[f], nb);
            lastExpected = expected;
        }
        if (stored < MIN_PATCHES || n == 0) return;
        float[][] tpl = ws.floats(len, nb);
        int[] members = ws.ints(1, capacity)[0];
        float[] column = ws.floats(capacity);
        float peak = template(tpl, members, column);
        float[][] tplAfter = after > 0 ? ws.floats(len, nb) : null;
        if (tplAfter != null && peak > 0) quantiles(ringAfter, members, memberCount, column, tplAfter);
        if (monoInput ? monoCarry : carry) {
            if (peak > 0) {
                for (int l = 0; l < len; l++) System.arraycopy(tpl[l], 0, kept[l], 0, nb);
                if (tplAfter != null) for (int l = 0; l < len; l++) System.arraycopy(tplAfter[l], 0, keptAfter[l], 0, nb);
                keptPeak = peak;
            } else if (keptPeak > 0) {
                for (int l = 0; l < len; l++) System.arraycopy(kept[l], 0, tpl[l], 0, nb);
                if (tplAfter != null) for (int l = 0; l < len; l++) System.arraycopy(keptAfter[l], 0, tplAfter[l], 0, nb);
                peak = keptPeak;
            }
        }
        if (!(peak > 0)) return;
        if (!giveAll) {
            float[][] expected = ws.floats(frames, nb);
            float[] ratios = ws.floats(len * nb);
            float[][] scaled = tplAfter != null ? tplAfter : tpl;
            for (int i = 0; i < n; i++) expect(mag, onset[i], tpl, 0.05f * peak, ex, ratios, scaled, expected);
            if (given != null && given.length == frames) give(expected, nb);
            for (int f = 0; f < frames; f++) decide(kick[f], expected[f], mag[f], nb);
            lastExpected = expected;
        }
        if (attack > 0) {
            int span = PRE + (int) Math.round(attackSeconds / frameSeconds);
            double[] w = ws.doubles(nb);
            attackWeights(tpl, span, nb, w);
            attacks(kick, onset, n, span, nb, w);
        }
    }

    /**
     * The last {@link #apply}'s expected kick magnitude per short frame and bin ({@code [frame][0..nb)}: the template
     * times each matching onset's gain, the largest of overlapping onsets'; 0 where no onset's template reaches), valid
     * until the cascade's next call; null where that window learned no template or found no onset.
     */
    float[][] lastExpected() { return lastExpected; }

    /**
     * The last {@link #apply}'s onsets of the low band (frames, ascending, the first {@link #lastOnsetCount}), found
     * whether or not a template was learned; workspace memory, valid until the cascade's next call. For {@link
     * KickRemainderStep#onCombCap} and diagnostics.
     */
    int[] lastOnsets() { return lastOnsets; }

    /** The number of {@link #lastOnsets}. */
    int lastOnsetCount() { return lastOnsetCount; }

    /** See {@link #attack}: the frames {@code f0 - PRE .. f0 - PRE + span - 1} of each onset, each frame once. */
    private void attacks(float[][] kick, int[] onset, int n, int span, int nb, double[] w) {
        int done = -1; // onsets ascend: a frame two onsets' spans share is moved once
        for (int i = 0; i < n; i++) {
            for (int f = Math.max(Math.max(0, done + 1), onset[i] - PRE); f < Math.min(kick.length, onset[i] - PRE + span); f++) {
                float[] k = kick[f];
                for (int b = 0; b < nb; b++) k[b] = (float) (k[b] + w[b] * (1 - k[b]));
                done = f;
            }
        }
    }

    /** Each bin's attack weight into {@code w}: {@link #attack}'s, shaped by {@link #attackShape}. */
    private void attackWeights(float[][] tpl, int span, int nb, double[] w) {
        if (attackShape == 0) {
            Arrays.fill(w, 0, nb, attack);
            return;
        }
        double top = 0;
        for (int b = 0; b < nb; b++) {
            double m = 0;
            for (int l = 0; l < Math.min(span, lags); l++) m = Math.max(m, tpl[l][b]);
            w[b] = m;
            top = Math.max(top, m);
        }
        for (int b = 0; b < nb; b++) w[b] = top > 0 ? attack * Math.pow(w[b] / top, attackShape) : attack;
    }

    /** The window's onsets into {@code onset} (frames, ascending); returns their number. */
    private int onsets(float[][] mag, int frames, double binHz, double frameSeconds, double[] rise, int[] onset) {
        int lo = Math.max(1, (int) Math.ceil(loHz / binHz));
        int top = Math.min(mag[0].length, (int) Math.ceil(fluxTopHz / binHz) + 1);
        int gap = Math.max(1, (int) Math.round(0.08 / frameSeconds));
        double loudest = 0;
        for (int f = 0; f < frames; f++) loudest = Math.max(loudest, level(mag[f], lo, top));
        for (int f = 1; f < frames; f++) {
            double l = level(mag[f], lo, top);
            rise[f] = l > 1e-3 * loudest && l > 0 ? rise(mag[f - 1], mag[f], lo, top) / l : 0;
        }
        int n = 0;
        for (int f = 1; f < frames; f++) {
            if (rise[f] >= onsetRatio && isPeak(rise, f, gap)) onset[n++] = f;
        }
        return n;
    }

    /** Keeps a patch (and {@link #learnAfter}'s, null where off), replacing the oldest when full. */
    private void store(float[][] ex, float[][] exAfter) {
        float[][] p = ring[next];
        for (int l = 0; l < lags; l++) System.arraycopy(ex[l], 0, p[l], 0, bins);
        if (exAfter != null) for (int l = 0; l < lags; l++) System.arraycopy(exAfter[l], 0, ringAfter[next][l], 0, bins);
        int loudest = 0;
        double top = -1;
        for (int l = 0; l < lags; l++) {
            double sum = 0;
            for (int b = 0; b < bins; b++) sum += p[l][b];
            if (sum > top) {
                top = sum;
                loudest = l;
            }
        }
        patchPeak[next] = loudest;
        double later = 0;
        int counted = 0;
        for (int l = loudest + 5; l <= Math.min(lags - 1, loudest + 6); l++, counted++) {
            for (int b = 0; b < bins; b++) later += p[l][b];
        }
        // a patch whose peak lies within 5 lags of its end shows no decay: it holds as far as it is seen
        patchHold[next] = counted > 0 && top > 0 ? (float) (later / counted / top) : 1f;
        stored = Math.min(stored + 1, capacity);
        for (int j = 0; j < stored; j++) {
            double c = cosine(p, ring[j], lags, bins);
            similar[next][j] = c;
            similar[j][next] = c;
        }
        next = (next + 1) % capacity;
    }

    /**
     * The kick's template into {@code tpl}: the patch most others resemble (bass notes' onsets differ from one another:
     * other pitches) and the quantile over it and those like it. Returns the template's peak, 0 when no such group of
     * {@link #MIN_PATCHES} is found or the template is silent.
     */
    private float template(float[][] tpl, int[] members, float[] column) {
        int best = -1, bestCount = 0;
        double bestSum = -1;
        for (int k = 0; k < stored; k++) {
            if (!eligible(k)) continue;
            int count = 0;
            double sum = 0;
            for (int j = 0; j < stored; j++) {
                double c = similar[k][j];
                if (c >= similarity && eligible(j)) {
                    count++;
                    sum += c;
                }
            }
            if (count > bestCount || count == bestCount && sum > bestSum) {
                best = k;
                bestCount = count;
                bestSum = sum;
            }
        }
        memberCount = 0;
        if (bestCount < MIN_PATCHES) return 0;
        int nm = 0;
        for (int j = 0; j < stored; j++) if (similar[best][j] >= similarity && eligible(j)) members[nm++] = j;
        memberCount = nm;
        return quantiles(ring, members, nm, column, tpl);
    }

    /** The template's quantile per lag and bin over patches {@code members[0..nm)} of {@code patches}; returns its peak. */
    private float quantiles(float[][][] patches, int[] members, int nm, float[] column, float[][] tpl) {
        double q = monoInput ? monoQuantile : templateQuantile;
        float peak = 0;
        for (int l = 0; l < lags; l++) {
            for (int b = 0; b < bins; b++) {
                for (int k = 0; k < nm; k++) column[k] = patches[members[k]][l][b];
                Arrays.sort(column, 0, nm);
                tpl[l][b] = quantile(column, nm, q);
                peak = Math.max(peak, tpl[l][b]);
            }
        }
        return peak;
    }

    /**
     * Onset {@code f0}'s expected kick magnitude added into {@code expected} (the largest of overlapping onsets'): the
     * template times the onset's gain, when its own patch resembles the template and holds at least the smallest gain.
     * The gain is read only where the template is above {@code floor}.
     */
    private void expect(float[][] mag, int f0, float[][] tpl, float floor, float[][] ex, float[] ratios,
                        float[][] scaled, float[][] expected) {
        int frames = mag.length;
        excess(mag, f0, lags, bins, frames, ex);
        int m = 0;
        for (int l = 0; l < lags; l++) {
            int f = f0 - PRE + l;
            if (f < 0 || f >= frames) continue;
            for (int b = 0; b < bins; b++) if (tpl[l][b] > floor) ratios[m++] = ex[l][b] / tpl[l][b];
        }
        if (m == 0 || cosine(ex, tpl, lags, bins) < similarity) return;
        Arrays.sort(ratios, 0, m);
        double g = Math.min(1.5, quantile(ratios, m, gainQuantile));
        if (g < minGain) return;
        for (int l = 0; l < lags; l++) {
            int f = f0 - PRE + l;
            if (f < 0 || f >= frames) continue;
            for (int b = 0; b < bins; b++) expected[f][b] = (float) Math.max(expected[f][b], g * scaled[l][b]);
        }
    }

    /** {@link #given}: the given magnitude into {@code expected} in the frames an onset's template reaches. */
    private void give(float[][] expected, int nb) {
        for (int f = 0; f < expected.length; f++) {
            if (!reaches(expected[f], nb)) continue;
            for (int b = 0; b < nb; b++) {
                float e = expected[f][b], g = given[f][b];
                expected[f][b] = givenMode == GIVEN_RAISED ? Math.max(e, g) : givenMode == GIVEN_LOWERED ? Math.min(e, g) : g;
            }
        }
    }

    private static boolean reaches(float[] e, int nb) {
        for (int b = 0; b < nb; b++) if (e[b] > 0) return true;
        return false;
    }

    private void decide(float[] kick, float[] e, float[] x, int nb) {
        if (!reaches(e, nb)) return; // no onset's template reaches this frame: the long window's decision stands
        decideGiven(kick, e, x, nb);
    }

    /** {@link #decide} in every frame, also where {@code e} is all zeros ({@link #given} everywhere). */
    private void decideGiven(float[] kick, float[] e, float[] x, int nb) {
        double w = monoInput ? monoWeight : weight;
        for (int b = 0; b < nb; b++) {
            // a silent bin (only the zero-padded last window has them under an onset's template) takes no share
            double s = BranchFree.ifGreater(x[b], 0, Math.min(1, (double) e[b] * e[b] / ((double) x[b] * x[b])), 0);
            double k = kick[b];
            double target = mode == 0 ? Math.max(k, s) : s;
            kick[b] = (float) (k + w * (target - k));
        }
    }

    /** Whether kept patch {@code k} may join a group ({@link #peakWithin}). */
    private boolean eligible(int k) {
        int within = monoInput ? monoPeakLags : peakLags;
        double hold = monoInput ? monoHoldBelow : holdBelow;
        return within == 0 || patchPeak[k] <= PRE + within && (hold == 0 || patchHold[k] < hold);
    }

    /** Cosine similarity of two patches' magnitudes. */
    private static double cosine(float[][] a, float[][] c, int len, int nb) {
        double ab = 0, aa = 0, cc = 0;
        for (int l = 0; l < len; l++) {
            for (int b = 0; b < nb; b++) {
                ab += a[l][b] * c[l][b];
                aa += a[l][b] * a[l][b];
                cc += c[l][b] * c[l][b];
            }
        }
        return aa > 0 && cc > 0 ? ab / Math.sqrt(aa * cc) : 0;
    }

    /**
     * The low band's rise over what was sounding before onset {@code f0}: {@code max(0, |X| - B)} per lag and bin,
     * where B is the frame before the patch (the bass note held across a kick then drops out; a new note's partials
     * stay, different at every note, and fall out of the template's quantile). Lags outside the window are 0. Returns
     * whether the patch and its background frame lie whole inside the window.
     */
    private static boolean excess(float[][] mag, int f0, int len, int nb, int frames, float[][] ex) {
        int fb = f0 - PRE - 1;
        float[] back = fb >= 0 ? mag[fb] : null;
        for (int l = 0; l < len; l++) {
            int f = f0 - PRE + l;
            float[] e = ex[l];
            if (f < 0 || f >= frames) {
                Arrays.fill(e, 0f);
                continue;
            }
            for (int b = 0; b < nb; b++) {
                float x = mag[f][b], y = back != null ? back[b] : 0f;
                e[b] = Math.max(0f, x - y);
            }
        }
        return back != null && f0 - PRE + len <= frames;
    }

    /**
     * {@link #learnAfter}'s patch into {@code exAfter}: per bin, {@code ex} (onset {@code f0}'s rise over the frame
     * before its patch) less frame {@code later}'s rise over that frame, at least 0, where that later rise is at least
     * {@code hold} times the bin's largest in {@code ex}; {@code ex} as it is elsewhere.
     */
    private static void excessAfter(float[][] mag, int f0, int later, double hold, float[][] ex, float[][] exAfter) {
        float[] back = mag[f0 - PRE - 1], after = mag[later];
        for (int b = 0; b < ex[0].length; b++) {
            float note = Math.max(0f, after[b] - back[b]), top = 0;
            for (float[] e : ex) top = Math.max(top, e[b]);
            if (note < hold * top) note = 0;
            for (int l = 0; l < ex.length; l++) exAfter[l][b] = Math.max(0f, ex[l][b] - note);
        }
    }

    private static double level(float[] m, int lo, int top) {
        double s = 0;
        for (int b = lo; b < top; b++) s += m[b];
        return s;
    }

    private static double rise(float[] prev, float[] cur, int lo, int top) {
        double s = 0;
        for (int b = lo; b < top; b++) s += Math.max(0, cur[b] - prev[b]);
        return s;
    }

    private static boolean isPeak(double[] x, int f, int gap) {
        for (int k = Math.max(0, f - gap); k <= Math.min(x.length - 1, f + gap); k++) {
            if (x[k] > x[f] || x[k] == x[f] && k < f) return false;
        }
        return true;
    }

    /** The {@code q} quantile of {@code sorted[0..n)}, linearly interpolated. */
    private static float quantile(float[] sorted, int n, double q) {
        double x = q * (n - 1);
        int i = (int) x;
        if (i + 1 >= n) return sorted[n - 1];
        return (float) (sorted[i] + (x - i) * (sorted[i + 1] - sorted[i]));
    }
}
