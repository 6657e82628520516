package org.stemroom.separation.modelfree;

import java.util.List;
import java.util.Map;

/**
 * The bass's partials above the bass split, each kept only up to the level the bass's own spectrum has there: a
 * pitch tracker anchored on the band below the split ({@link LeadStep#anchored}, no cap of its own) gives the comb on
 * the tracked bass's harmonics; each comb bin's share is then capped at {@code scale * P(band) * A / |X|}, where
 * {@code A} is the frame's strongest still-available magnitude in the anchor band (the bass's low partials) and
 * {@code P(band)} the bass's learned level in that third-octave band relative to {@code A}: a quantile of the ratio
 * {@code |X| / A} over the comb's bins, carried over windows (10 s memory, as the pan positions).
 *
 * <p>Why learned: a dull bass (an acoustic bass: its partials fall fast) has little above 220 Hz, and the comb's
 * bins there hold the chords' partials, so a fixed cap took too much; a bright or high-passed bass (a finger bass
 * under a 100 Hz high-pass: 70 % of its energy above 220 Hz) has partials as strong as the anchor band's, so the same
 * cap kept too little. The ratio's quantile follows the bass's own spectral tilt, as the comb sees it in the song.
 *
 * <p>With {@link #noteBackground}, a comb bin may claim more than the level's maximum: up to what it holds above the
 * level the same bin has just before and just after the tracked note, where it lies off the comb. A chord's or a
 * lead's partial that sits on one of the bass's harmonics also sounds where the bass plays another note (the bin is
 * off that note's comb), a bass partial does not.
 */
public final class BassPartialsStep implements MaskStep {
    /** Third-octave bands from the lowest band edge up. */
    private static final int BANDS = 12;
    /** Ratio cells: log2 ratio from {@link #LOG_MIN} in steps of {@link #LOG_STEP}. */
    private static final int CELLS = 64;
    private static final double LOG_MIN = -10, LOG_STEP = 0.25;
    private final LeadStep comb;
    private final String name;
    private final double anchorHz;
    private final double quantile;
    private final double scale;
    private double maxLevel = Double.POSITIVE_INFINITY;
    private MaskStep monoStep; // null: the learned levels in mono too
    private double panWidth, panFloor = 1; // floor 1: no pan weighting
    private double panSharePower; // 0: the Gaussian alone
    private double capDirection; // 0: the channels' RMS magnitude; else the exponent of the weight along the bass's direction
    private final PanMemory panMemory = new PanMemory();
    private final List<String> names;
    /** [band][cell] comb bins counted, decaying with {@link PanMemory#MEMORY_SECONDS}. */
    private final double[][] memory = new double[BANDS][CELLS];
    private final double[] level = new double[BANDS];
    /** The learned levels before {@link #maxLevel}, times {@link #noteLevelScale}: the most {@link #noteBackground} raises a cap to. */
    private final double[] noteLevel = new double[BANDS];
    private double noteMax; // 0: no raise over the learned level
    private double noteWeight, noteLevelScale;
    private int noteEdgeFrames, noteMinFrames;
    private double noteCents;
    private double noteRise; // 0: the note background's raise frame by frame; else its most rise per frame
    /** The learned levels before {@link #maxLevel}, times {@link #envelopeLevelScale}: the most {@link #envelope} raises a cap to. */
    private final double[] envelopeLevel = new double[BANDS];
    private double envelopeMax; // 0: off
    private double envelopeRatio, envelopeLevelScale;
    private double envelopeMinHz; // 0: every pitch
    private final Map<String, float[][]> out = new java.util.HashMap<>();
    /** Each bin's third-octave band ({@link #bandOf}) for {@link #bandsHz}: the same for every frame and window. */
    private int[] bandOfBin = new int[0];
    private double bandsHz = Double.NaN;

    /**
     * @param comb     the tracker: anchored below {@code anchorHz}, its comb from there up, no anchor cap
     * @param anchorHz upper edge of the anchor band (Hz): the comb's masks start there
     * @param quantile which quantile of the comb bins' ratio to the anchor counts as the bass's level (0..1)
     * @param scale    the cap relative to that level
     */
    public BassPartialsStep(String name, LeadStep comb, double anchorHz, double quantile, double scale) {
        if (!(anchorHz > 0) || !(quantile > 0 && quantile < 1) || !(scale > 0)) {
            throw new IllegalArgumentException("bad bass partial settings");
        }
        this.name = name;
        this.comb = comb;
        this.anchorHz = anchorHz;
        this.quantile = quantile;
        this.scale = scale;
        this.names = List.of(name);
    }

    /** Caps the learned level at {@code max} times the anchor (a partial never claims more than that). */
    public BassPartialsStep maxLevel(double max) {
        this.maxLevel = max;
        return this;
    }

    /**
     * Mono input runs {@code step} instead (a step for the same stem). Without pan the comb's bins hold every source
     * at those frequencies, and the learned levels cost the held-out set's worst mono bass (song 3, a high-passed
     * finger bass with an organ and brass: 0.16 -> -0.01 dB SI-SDRi, below the mixture) for a mean gain of 0.12 dB.
     */
    public BassPartialsStep mono(MaskStep step) {
        if (step != null && !step.stemNames().equals(names)) throw new IllegalArgumentException("mono step's stems differ");
        this.monoStep = step;
        return this;
    }

    /**
     * Stereo: weights the partials towards the bass's panning position, found as {@link BassStep#pan} finds it, from
     * the anchor band's still-available energy (which the bass dominates), not from the comb's bins: up to 1 kHz those
     * hold the chords' and the lead's partials too, and a loud lead panned aside moved the position to itself.
     */
    public BassPartialsStep pan(double width, double floor) {
        this.panWidth = width;
        this.panFloor = floor;
        return this;
    }

    /**
     * Stereo, with {@link #pan}: a partial's bin keeps at least its estimated share of the bin's power along the
     * bass's panning direction, to the power {@code power} (0: the Gaussian alone). The Gaussian of the bin's pan
     * position gives its floor to a bass partial that shares its bin with a part panned elsewhere (the bin's pan lies
     * between the two) though the bass's direction holds its power whole: a hard-right bass's partial with the
     * other channel's organ, a centred bass's with a hard-panned harmonica. The share: the power along the bass's
     * direction {@code u = (cos a, sin a)} ({@code a} its pan angle) less what a part at the far extreme from it
     * (angle {@code phi = max(a, pi/2 - a)} away) would put there, {@code cot^2 phi} times the power orthogonal to
     * {@code u}, over the bin's power: {@code max(0, |X.u|^2 - cot^2(phi) |X.u'|^2) / |X|^2}. For a hard-panned bass
     * {@code phi} is 90 degrees and the share is its channel's; for a centred bass ({@code cot^2 = 1}) a part panned
     * hard to either side alone gets 0, the bass alone 1. The cap on the level ({@link #take}) still applies.
     */
    public BassPartialsStep panShare(double power) {
        if (!(power >= 0)) throw new IllegalArgumentException("bad pan share power " + power);
        this.panSharePower = power;
        return this;
    }

    /**
     * Stereo, with {@link #pan}: the anchor, the learned levels, the neighbours' levels and the caps read each bin's
     * power partly along the bass's panning direction {@code u = (cos a, sin a)}: {@code (1 - w) |X|^2 + w |X.u|^2 / 2}
     * ({@code |X|} the channels' RMS, which a part at the bass's own position equals {@code |X.u| / sqrt 2}), with
     * {@code w = |cos 2a|^exponent}, 1 for a hard-panned bass, 0 for a centred one. A part in the other channel than a
     * hard-panned bass (a hard-left accordion over a hard-right finger bass) then neither raises a bin's magnitude
     * against the cap nor the comb bins' learned ratio to the anchor. For a centred bass the direction tells nothing
     * apart (a part panned hard to either side reads at half its power along it, and the cap let a hard-left kit's
     * bins through), so there the RMS stays. {@code exponent} 0: off.
     */
    public BassPartialsStep capDirection(double exponent) {
        if (!(exponent >= 0)) throw new IllegalArgumentException("bad cap direction exponent " + exponent);
        this.capDirection = exponent;
        return this;
    }

    /**
     * Raises a comb bin's cap, within a tracked note, to its magnitude less {@code weight} times its background: the
     * bin's mean magnitude over the {@code edgeFrames} frames just before the note and those just after it where the
     * bin lies off the comb (at most a tenth of what was available there; the larger of the two sides' means, none
     * where neither side has such frames). The raised cap is at most {@code levelScale} times the band's learned
     * level before {@link #maxLevel}, and {@code max} times the anchor. A note is a run of at least {@code minFrames}
     * voiced frames within {@code cents} of its first. {@code max} 0: off.
     */
    public BassPartialsStep noteBackground(double max, double weight, double levelScale, int edgeFrames, int minFrames,
                                           double cents) {
        if (!(max >= 0) || max > 0 && (!(weight >= 0) || !(levelScale > 0) || edgeFrames < 1 || minFrames < 1
                || !(cents > 0))) {
            throw new IllegalArgumentException("bad note background settings");
        }
        this.noteMax = max;
        this.noteWeight = weight;
        this.noteLevelScale = levelScale;
        this.noteEdgeFrames = edgeFrames;
        this.noteMinFrames = minFrames;
        this.noteCents = cents;
        return this;
    }

    /**
     * With {@link #noteBackground}: the raise a comb bin gets within a note may grow by at most {@code ratio} from
     * one frame to the next, from what it was in the note's first frame (its magnitude less the weighted background
     * there). A bass note's partial starts with the note and decays; a chord's or a lead's partial that enters
     * within the note (on the same bin) raises the bin's magnitude after the note's start, and is left at the
     * partial's level so far. {@code ratio} 0: off (each frame's own magnitude).
     */
    public BassPartialsStep noteRise(double ratio) {
        if (!(ratio == 0 || ratio >= 1)) throw new IllegalArgumentException("bad note rise " + ratio);
        this.noteRise = ratio;
        return this;
    }

    /**
     * Raises a comb bin's cap, in a voiced frame, to {@code ratio} times the lesser of the levels its partial's two
     * neighbours in the harmonic series have in the same frame (the strongest still-available magnitude within a bin
     * of each neighbour's nominal frequency), up to {@code levelScale} times the band's learned level before {@link
     * #maxLevel} and {@code max} times the anchor. A bass's partials change level smoothly along the series within a
     * frame; a chord's or a lead's partial that lands on one of them stands out above its neighbours, and keeps only
     * what they show. {@code max} 0: off.
     */
    public BassPartialsStep envelope(double max, double ratio, double levelScale) {
        if (!(max >= 0) || max > 0 && (!(ratio > 0) || !(levelScale > 0))) {
            throw new IllegalArgumentException("bad partial envelope settings");
        }
        this.envelopeMax = max;
        this.envelopeRatio = ratio;
        this.envelopeLevelScale = levelScale;
        return this;
    }

    /**
     * With {@link #envelope}: the raise only in frames whose tracked pitch is at least {@code hz} (0: every pitch).
     * Under a low note the comb's partials above the anchor band are its 4th and up, a few bins apart, so the
     * neighbours' levels (the strongest magnitude within a bin of each) read a chord's partials as often as the
     * bass's: in mono, without a pan cue, a quiet low fretless under a string pad lost its partials' share to the pad.
     */
    public BassPartialsStep envelopeMinHz(double hz) {
        if (!(hz >= 0)) throw new IllegalArgumentException("bad envelope lowest pitch " + hz);
        this.envelopeMinHz = hz;
        return this;
    }

    /** {@link #givenAnchorAvailable}'s rows (null: none), and whether a run records {@link #lastAnchorAvailable}. */
    private float[][] givenAnchorAvailable, lastAnchorAvailable;
    private boolean recordAnchorBand;

    /**
     * For the evaluation's bounds only (SeparationDiag {@code --anchor-bound}): in a call with exactly as many frames
     * as {@code rows}, the anchor of frame f reads its bins' magnitudes times {@code rows[f]} (the bins below the
     * anchor band's top) in place of what is still available, where {@code rows[f]} is not null: all ones reads the
     * mixture's, the true bass's ratio mask the bass's own low level. Null: off (the recipe).
     */
    public BassPartialsStep givenAnchorAvailable(float[][] rows) {
        this.givenAnchorAvailable = rows;
        return this;
    }

    /** For the evaluation: later calls keep {@link #lastAnchorAvailable} (allocates per call; off in the recipe). */
    public BassPartialsStep recordAnchorBand(boolean on) {
        this.recordAnchorBand = on;
        return this;
    }

    /** What was still available below the anchor band's top, per frame, in the last call (with {@link #recordAnchorBand}). */
    public float[][] lastAnchorAvailable() { return lastAnchorAvailable; }

    /** The tracker of the comb (stereo, and mono without {@link #mono}); public for the evaluation's diagnostics. */
    public LeadStep combStep() { return comb; }

    /** The step mono input runs instead ({@link #mono}; null: this one); public for the evaluation's diagnostics. */
    public MaskStep monoStep() { return monoStep; }

    @Override
    public List<String> stemNames() { return names; }

    @Override
    public void reset() {
        comb.reset();
        panMemory.clear();
        if (monoStep != null) monoStep.reset();
        for (double[] r : memory) java.util.Arrays.fill(r, 0);
    }

    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        if (monoStep != null && !mix.stereo()) return monoStep.take(mix, available);
        float[][] m = comb.take(mix, available).get(comb.stemNames().get(0));
        float[][] mag = mix.magnitude();
        int frames = mix.frames(), bins = mix.bins();
        int top = Math.min(bins, (int) Math.ceil(anchorHz / mix.binHz()));
        float[][] pan = mix.pan();
        if (pan != null && panFloor < 1) {
            double[] hist = mix.workspace().doubles(101);
            for (int f = 0; f < frames; f++) BassStep.panHistogram(mag[f], available[f], pan[f], top, hist);
            double centre = panMemory.update(hist, mix.clip().frames() / (double) mix.sampleRate());
            double a = centre * 0.5 * Math.PI;
            org.stemroom.core.dsp.Spectrogram l = mix.spectrum(0), r = mix.spectrum(1);
            if (panSharePower > 0) {
                double phi = Math.max(a, 0.5 * Math.PI - a), t = Math.tan(phi);
                double mirror = t > 1e12 ? 0 : 1 / (t * t); // cot^2(phi): 0 for a hard-panned bass
                for (int f = 0; f < frames; f++) {
                    panShareWeight(m[f], pan[f], l.re(f), l.im(f), r.re(f), r.im(f), top, centre, panWidth, panFloor,
                            Math.cos(a), Math.sin(a), mirror, panSharePower);
                }
            } else {
                for (int f = 0; f < frames; f++) panWeight(m[f], pan[f], top, centre, panWidth, panFloor);
            }
            double w = capDirection > 0 ? Math.pow(Math.abs(Math.cos(2 * a)), capDirection) : 0;
            if (w > 0) {
                float[][] along = mix.workspace().floatsToOverwrite(frames, bins);
                for (int f = 0; f < frames; f++) {
                    alongMagnitude(mag[f], l.re(f), l.im(f), r.re(f), r.im(f), Math.cos(a), Math.sin(a), w, along[f]);
                }
                mag = along;
            }
        }
        double[] anchor = mix.workspace().doubles(frames);
        boolean given = givenAnchorAvailable != null && givenAnchorAvailable.length == frames;
        if (recordAnchorBand) lastAnchorAvailable = new float[frames][];
        for (int f = 0; f < frames; f++) {
            float[] a = given && givenAnchorAvailable[f] != null ? givenAnchorAvailable[f] : available[f];
            anchor[f] = anchorLevel(mag[f], a, top);
            if (recordAnchorBand) lastAnchorAvailable[f] = java.util.Arrays.copyOf(available[f], top);
        }
        double decay = Math.exp(-mix.clip().frames() / (double) mix.sampleRate() / PanMemory.MEMORY_SECONDS);
        for (double[] r : memory) for (int c = 0; c < CELLS; c++) r[c] *= decay;
        int[] bandOf = bands(bins, mix.binHz());
        for (int f = 0; f < frames; f++) count(m[f], mag[f], available[f], anchor[f], top, bandOf, memory);
        for (int band = 0; band < BANDS; band++) {
            double learned = scale * quantileLevel(memory[band], quantile);
            level[band] = Math.min(maxLevel, learned);
            noteLevel[band] = Math.min(noteMax, noteLevelScale * learned);
            envelopeLevel[band] = Math.min(envelopeMax, envelopeLevelScale * learned);
        }
        float[][] background = null;
        if (noteMax > 0) {
            background = mix.workspace().floats(frames, bins);
            noteBackgrounds(m, mag, available, comb.lastTrackView(), top, frames, bins, background);
        }
        double[] track = comb.lastTrackView();
        double[] partials = envelopeMax > 0 ? mix.workspace().doubles(bins) : null;
        for (int f = 0; f < frames; f++) {
            double pitch = partials != null && track.length == frames ? track[f] : 0;
            if (pitch < envelopeMinHz) pitch = 0;
            if (pitch > 0) partialLevels(mag[f], available[f], pitch / mix.binHz(), bins, partials);
            cap(m[f], mag[f], anchor[f], top, bandOf, level, noteLevel, noteWeight,
                    background == null ? null : background[f], pitch > 0 ? pitch / mix.binHz() : 0, partials,
                    envelopeLevel, envelopeRatio);
        }
        out.put(name, m);
        return out;
    }

    private double bandOf(int b, double binHz) {
        return 3 * Math.log(b * binHz / anchorHz) / Math.log(2);
    }

    /** The bins' bands, computed once per grid (first window) instead of twice per bin and frame. */
    private int[] bands(int bins, double binHz) {
        if (bandOfBin.length != bins || bandsHz != binHz) {
            bandOfBin = new int[bins];
            for (int b = 1; b < bins; b++) bandOfBin[b] = (int) bandOf(b, binHz);
            bandsHz = binHz;
        }
        return bandOfBin;
    }

    private static void panWeight(float[] m, float[] pan, int top, double centre, double width, double floor) {
        for (int b = top; b < m.length; b++) if (m[b] != 0) m[b] *= PanMemory.weight(pan[b], centre, width, floor);
    }

    /** {@link #panWeight}, each bin's weight at least its power share along the bass's direction ({@link #panShare}). */
    private static void panShareWeight(float[] m, float[] pan, float[] lr, float[] li, float[] rr, float[] ri, int top,
                                       double centre, double width, double floor, double cos, double sin, double mirror,
                                       double power) {
        for (int b = top; b < m.length; b++) {
            if (m[b] == 0) continue;
            double pr = cos * lr[b] + sin * rr[b], pi = cos * li[b] + sin * ri[b];
            double total = lr[b] * lr[b] + li[b] * li[b] + rr[b] * rr[b] + ri[b] * ri[b];
            double along = pr * pr + pi * pi;
            double share = total > 0 ? Math.max(0, along - mirror * (total - along)) / total : 0;
            double g = PanMemory.weight(pan[b], centre, width, floor);
            m[b] *= (float) Math.max(g, power == 1 ? share : Math.pow(share, power));
        }
    }

    /** Each bin's magnitude read partly ({@code w}) along {@code (cos, sin)} ({@link #capDirection}). */
    private static void alongMagnitude(float[] rms, float[] lr, float[] li, float[] rr, float[] ri, double cos,
                                       double sin, double w, float[] out) {
        for (int b = 0; b < out.length; b++) {
            double pr = cos * lr[b] + sin * rr[b], pi = cos * li[b] + sin * ri[b];
            out[b] = (float) Math.sqrt((1 - w) * rms[b] * rms[b] + w * 0.5 * (pr * pr + pi * pi));
        }
    }

    private static double anchorLevel(float[] mag, float[] available, int top) {
        double a = 0;
        for (int b = 1; b < top; b++) a = Math.max(a, mag[b] * available[b]);
        return a;
    }

    /** Counts the ratio to the anchor of each bin at a comb centre (share at least half of what was available). */
    private static void count(float[] m, float[] mag, float[] available, double anchor, int top, int[] bandOf,
                              double[][] memory) {
        // nothing counted without an anchor (silence): the loop starts past the end, with no branch (see BranchFree)
        int from = (int) BranchFree.ifGreater(anchor, 0, top, m.length);
        for (int b = from; b < m.length; b++) {
            if (m[b] < 0.5f * available[b] || available[b] <= 0 || mag[b] <= 0) continue;
            int band = bandOf[b];
            if (band < 0 || band >= BANDS) continue;
            double lr = Math.log(mag[b] / anchor) / Math.log(2);
            int cell = (int) Math.floor((lr - LOG_MIN) / LOG_STEP);
            memory[band][Math.max(0, Math.min(CELLS - 1, cell))] += 1;
        }
    }

    /** The ratio at quantile {@code q} of a band's counts (0 where nothing was counted). */
    private static double quantileLevel(double[] counts, double q) {
        double total = 0;
        for (double c : counts) total += c;
        if (total <= 0) return 0;
        double acc = 0;
        for (int c = 0; c < counts.length; c++) {
            acc += counts[c];
            if (acc >= q * total) return Math.pow(2, LOG_MIN + (c + 0.5) * LOG_STEP);
        }
        return Math.pow(2, LOG_MIN + (counts.length - 0.5) * LOG_STEP);
    }

    /** {@link #noteBackgrounds}' scratch rows (sized to the bins on first use; the step runs on one thread). */
    private double[] sumBefore = new double[0], sumAfter = new double[0];
    private int[] countBefore = new int[0], countAfter = new int[0];
    private float[] noteRow = new float[0];
    private double[] allowedRow = new double[0];

    /**
     * Per tracked note, each comb bin's background ({@link #noteBackground}) into {@code background} over the note's
     * frames; -1 where it has none (unvoiced frames, notes too short, neither side off the comb).
     */
    private void noteBackgrounds(float[][] m, float[][] mag, float[][] available, double[] track, int top, int frames,
                                 int bins, float[][] background) {
        for (float[] r : background) java.util.Arrays.fill(r, -1f);
        if (track.length != frames) return;
        if (noteRow.length < bins) {
            sumBefore = new double[bins];
            sumAfter = new double[bins];
            countBefore = new int[bins];
            countAfter = new int[bins];
            noteRow = new float[bins];
        }
        int s = 0;
        while (s < frames) {
            if (!(track[s] > 0)) {
                s++;
                continue;
            }
            int e = noteEnd(track, s, frames, noteCents);
            if (e - s >= noteMinFrames) {
                noteBackgroundRow(m, mag, available, top, bins, Math.max(0, s - noteEdgeFrames), s, e,
                        Math.min(frames, e + noteEdgeFrames), sumBefore, countBefore, sumAfter, countAfter, noteRow);
                for (int f = s; f < e; f++) System.arraycopy(noteRow, top, background[f], top, bins - top);
                if (noteRise > 0 && noteWeight > 0) {
                    if (allowedRow.length < bins) allowedRow = new double[bins];
                    // the cap reads a frame's background only where the comb's mask is not 0 (its first test), so
                    // the allowances are made only up to the note's last such bin: the comb's partials end far
                    // below the top bin, and the loop cost about 9 ns a bin and frame
                    // (docs/render-speed-history.md, session 31)
                    riseLimits(mag, noteRow, background, top, maskedEnd(m, s, e, top, bins), s, e, noteWeight,
                            noteRise, allowedRow);
                }
            }
            s = e;
        }
    }

    /**
     * The end (exclusive) of the note that starts at the voiced frame {@code start} of {@code track} (f0 per frame, 0
     * or less where unvoiced): the run of voiced frames within {@code cents} of the start's pitch. The one note rule of
     * the recipe ({@link #noteBackgrounds}) and of the measurements that read its notes (SeparationDiag's
     * {@code --note-decay}); allocation-free.
     */
    public static int noteEnd(double[] track, int start, int frames, double cents) {
        double reach = cents / 1200 * Math.log(2);
        int e = start + 1;
        while (e < frames && track[e] > 0 && Math.abs(Math.log(track[e] / track[start])) < reach) e++;
        return e;
    }

    /**
     * One past the highest bin of {@code top..bins-1} where the mask {@code m} is not 0 (NaN counts as not 0) in any
     * of frames {@code s..e-1}; {@code top} where it is 0 throughout.
     */
    static int maskedEnd(float[][] m, int s, int e, int top, int bins) {
        int end = top;
        for (int f = s; f < e; f++) end = maskedEnd(m[f], end, bins);
        return end;
    }

    /* One frame's part in a method of its own: as a loop nest, C2 compiled maskedEnd on-stack, then whole (session 31). */
    private static int maskedEnd(float[] row, int end, int bins) {
        for (int b = bins - 1; b >= end; b--) {
            if (!(row[b] == 0)) return b + 1;
        }
        return end;
    }

    /** Frames of a note's attack, which still rises over a window's length (four hops) from its first voiced frame. */
    static final int ATTACK_FRAMES = 3;

    /**
     * {@link #noteRise}: over a note's frames {@code s..e-1}, each bin's background (where it has one) replaced by
     * what the cap then allows: the frame's own raise {@code |X| - weight * background}, after the first {@link
     * #ATTACK_FRAMES} frames at most {@code rise} times the previous frame's allowance (from the attack's: the most of
     * those frames' own). Stored so that {@link #cap}'s {@code mag - weight * background} reads the allowance
     * ({@code background = (mag - allowance) / weight}, at least 0).
     */
    static void riseLimits(float[][] mag, float[] noteRow, float[][] background, int top, int bins, int s, int e,
                           double weight, double rise, double[] allowed) {
        // frame by frame along memory (as noteBackgroundRow), each bin's allowance carried in a scratch row
        for (int f = s; f < e; f++) {
            float[] x = mag[f], out = background[f];
            for (int b = top; b < bins; b++) {
                if (!(noteRow[b] >= 0)) continue;
                double own = x[b] - weight * noteRow[b];
                double a = f - s < ATTACK_FRAMES ? Math.max(own, f > s ? allowed[b] : 0)
                        : Math.min(own, Math.max(0, allowed[b]) * rise);
                allowed[b] = a;
                // never more than the frame's own raise (an attack frame below the attack's peak keeps its own)
                out[b] = (float) Math.max(0, (x[b] - Math.min(own, a)) / weight);
            }
        }
    }

    /**
     * One note's background row (bins {@code top..bins-1} of {@code row}): per bin, the larger of its mean magnitude
     * over frames {@code before..s-1} and over {@code e..after-1} where the comb holds at most a tenth of what was
     * available, -1 where neither side has such a frame. Row by row (the sums and counts per bin in the scratch
     * rows, each bin's frames added in ascending order as a per-bin loop would): the frames' rows are read along
     * memory, and the step has no loop nest of notes x bins x frames for C2 to compile on-stack (it was, twice, and
     * then whole: JFR of the bench render, session 23).
     */
    static void noteBackgroundRow(float[][] m, float[][] mag, float[][] available, int top, int bins, int before,
                                  int s, int e, int after, double[] sumBefore, int[] countBefore, double[] sumAfter,
                                  int[] countAfter, float[] row) {
        offCombSums(m, mag, available, top, bins, before, s, sumBefore, countBefore);
        offCombSums(m, mag, available, top, bins, e, after, sumAfter, countAfter);
        for (int b = top; b < bins; b++) {
            // both sides' means are >= 0 where they have frames (NaN where a magnitude is), -1 where they have none
            row[b] = (float) Math.max(countBefore[b] > 0 ? sumBefore[b] / countBefore[b] : -1,
                    countAfter[b] > 0 ? sumAfter[b] / countAfter[b] : -1);
        }
    }

    /**
     * Per bin, the sum and count of the magnitudes of frames {@code from..to-1} where the comb holds at most a tenth
     * of what was available.
     */
    private static void offCombSums(float[][] m, float[][] mag, float[][] available, int top, int bins, int from, int to,
                                    double[] sum, int[] count) {
        java.util.Arrays.fill(sum, top, bins, 0.0);
        java.util.Arrays.fill(count, top, bins, 0);
        for (int f = from; f < to; f++) offCombRow(m[f], mag[f], available[f], top, bins, sum, count);
    }

    private static void offCombRow(float[] m, float[] mag, float[] available, int top, int bins, double[] sum,
                                   int[] count) {
        for (int b = top; b < bins; b++) {
            if (m[b] > 0.1f * available[b]) continue;
            sum[b] += mag[b];
            count[b]++;
        }
    }

    /**
     * Each harmonic's level in a frame ({@link #envelope}): {@code levels[h]} the strongest still-available magnitude
     * within a bin of {@code h * step} (bins), for the harmonics below the top bin; {@code levels[0]} 0.
     */
    private static void partialLevels(float[] mag, float[] available, double step, int bins, double[] levels) {
        levels[0] = 0;
        for (int h = 1; h < levels.length; h++) {
            double c = h * step;
            if (c + 1 >= bins) {
                java.util.Arrays.fill(levels, h, levels.length, 0);
                break;
            }
            int lo = Math.max(1, (int) Math.ceil(c - 1)), hi = (int) Math.floor(c + 1);
            double a = 0;
            for (int b = lo; b <= hi; b++) a = Math.max(a, mag[b] * available[b]);
            levels[h] = a;
        }
    }

    /**
     * Scales each comb bin's mask down to its band's learned level times the anchor; with a {@code background} (a
     * frame of {@link #noteBackgrounds}), a bin that has one is allowed at least its magnitude less {@code weight}
     * times it, up to the note level; with {@code partials} ({@link #partialLevels}, {@code step} the pitch in bins,
     * 0: unvoiced) at least {@code ratio} times the lesser of its partial's neighbours' levels, up to the envelope
     * level.
     */
    private static void cap(float[] m, float[] mag, double anchor, int top, int[] bandOf, double[] level,
                            double[] noteLevel, double weight, float[] background, double step, double[] partials,
                            double[] envelopeLevel, double ratio) {
        for (int b = top; b < m.length; b++) {
            if (m[b] == 0) continue; // (noteBackgrounds makes the backgrounds' rise limits only where this reads them)
            int band = Math.max(0, Math.min(BANDS - 1, bandOf[b]));
            double limit = level[band] * anchor;
            if (background != null && background[b] >= 0) {
                limit = Math.max(limit, Math.min(noteLevel[band] * anchor, mag[b] - weight * background[b]));
            }
            if (step > 0) {
                int h = (int) Math.max(1, Math.rint(b / step));
                if (h + 1 < partials.length) {
                    double n = Math.min(partials[h - 1], partials[h + 1]);
                    limit = Math.max(limit, Math.min(envelopeLevel[band] * anchor, ratio * n));
                }
            }
            if (mag[b] > limit) m[b] *= (float) (mag[b] > 0 ? limit / mag[b] : 0);
        }
    }
}
