package org.stemroom.separation.modelfree;

import java.util.List;
import java.util.Map;

/**
 * Bass as the part still available below a settable split, with a smooth raised-cosine crossover in log
 * frequency ({@code ratio} either side of the split). Placed after the percussive step, this is the harmonic
 * low band: the kick has already gone to the drums.
 */
public final class BassStep implements MaskStep {
    private final String name;
    private final double splitHz;
    private final double ratio;
    private final List<String> names;
    private double panWidth, panFloor = 1; // floor 1: no pan weighting
    private final PanMemory panMemory = new PanMemory();
    private java.util.function.Supplier<float[][]> takenBefore; // null: the histogram counts what is available
    private final Crossover crossover = new Crossover();
    private LeadStep combTracker;
    private double combFromHz, combWidthBins = 1, combFloor = 1; // floor 1: off
    private double upperHz, upperFloor = 1, upperUnvoiced = 1; // upperHz 0: the comb's floor everywhere
    private double restShare = 1; // 1: an unvoiced frame keeps the whole band below the upper split
    private LeadStep noteTracker; // stereo's tracker for the note background (mono reads combTracker)
    private double noteWeight, monoNoteWeight; // 0: off
    private double noteFromHz, noteCents, noteCombBins;
    private int noteEdgeFrames, noteGuardFrames, noteMinFrames;
    private boolean noteUnvoiced = true; // the frames the tracker left unvoiced count as off the comb
    private boolean noteLeast; // false: each side's mean; true: each side's least
    private int noteBins; // 0: every bin; 1: the note's comb bins only; 2: off its comb only
    private double noteMaxHz = Double.POSITIVE_INFINITY; // notes and neighbour frames tracked above: not read
    private int noteSides; // 0: the lesser of both sides, or the one that has frames; 1: both sides needed
    private double noteRise, monoNoteRise; // 0: off; else a bin's claim within a note grows at most this a frame
    private double[] noteAllowed = new double[0];
    /** {@link #noteBackgrounds}' scratch rows (sized to the bins on first use; the step runs on one thread). */
    private double[] noteSumBefore = new double[0], noteSumAfter = new double[0];
    private int[] noteCountBefore = new int[0], noteCountAfter = new int[0];
    /** What {@link #take} returns, reused (replacing the value allocates nothing). */
    private final Map<String, float[][]> out = new java.util.HashMap<>();

    public BassStep(String name, double splitHz, double ratio) {
        if (!(splitHz > 0) || !(ratio > 1)) throw new IllegalArgumentException("bad bass split");
        this.name = name;
        this.splitHz = splitHz;
        this.ratio = ratio;
        this.names = List.of(name);
    }

    /**
     * In stereo, weights the low band towards the bass's panning position (the peak of the pan histogram of the
     * low band's still-available energy, which the bass dominates): a keyboard's or guitar's low notes panned away
     * from the bass then stay with the later steps.
     */
    public BassStep pan(double width, double floor) {
        this.panWidth = width;
        this.panFloor = floor;
        return this;
    }

    /**
     * Mono: above {@code fromHz} the low band is kept near the harmonics of the bass's tracked pitch ({@code tracker}
     * runs earlier in the same window, as the bass partials' step) and at {@code floor} of it between them (Gaussian
     * of {@code widthBins} around each harmonic); frames the tracker left unvoiced keep the whole band. Without pan,
     * the bass step takes every source's energy below the split (a piano's left hand, an organ's pedal notes), and
     * what tells the bass apart there is that it is one low pitch with its harmonic series. Floor 1: off.
     */
    public BassStep monoComb(LeadStep tracker, double fromHz, double widthBins, double floor) {
        if (floor < 1 && (tracker == null || !(fromHz >= 0) || !(widthBins > 0) || !(floor >= 0))) {
            throw new IllegalArgumentException("bad bass comb settings");
        }
        this.combTracker = tracker;
        this.combFromHz = fromHz;
        this.combWidthBins = widthBins;
        this.combFloor = floor;
        return this;
    }

    /**
     * Mono, with {@link #monoComb}: above {@code fromHz} the comb's floor is {@code floor} instead, and a frame the
     * tracker left unvoiced keeps {@code unvoiced} of the band there instead of all of it. 150 Hz and up the kick has
     * no energy left to weigh, while the low notes of chords (a piano's left hand, an organ's, a guitar's bottom
     * strings) sit between the bass's harmonics and sound on where the bass rests.
     */
    public BassStep monoCombUpper(double fromHz, double floor, double unvoiced) {
        this.upperHz = fromHz;
        this.upperFloor = floor;
        this.upperUnvoiced = unvoiced;
        return this;
    }

    /**
     * Mono, with {@link #monoComb}: a frame the tracker left unvoiced keeps {@code share} of the band from the comb's
     * start up to {@link #monoCombUpper}'s split (1: all of it). Where the bass rests, what is left there is the
     * kick's body and the chords' low notes.
     */
    public BassStep monoCombRest(double share) {
        if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("bad bass rest share " + share);
        this.restShare = share;
        return this;
    }

    /**
     * Within each tracked bass note (a run of at least {@code minFrames} voiced frames within {@code cents} of its
     * first), each low-band bin from {@code fromHz} up claims only its still-available magnitude less {@code weight}
     * times its background: the bin's mean still-available magnitude over the {@code edgeFrames} frames before the
     * note and those after it (past {@code guardFrames} frames either side, which the window smears the note's own
     * attack and release into) where it lies at least {@code combBins} from the neighbouring frame's tracked harmonics
     * (or that frame is unvoiced); the lesser of the two sides' means where both have such frames. Below the split the
     * low band takes every part at the bass's pan position: a chord's low notes or a pad on the bass's channel (held-out
     * song 3's organ and brass on a hard-right finger bass) sound on where the bass moves to another note or rests, a
     * bass partial does not. {@code tracker}: stereo's (the partials' comb); mono reads {@link #monoComb}'s. Weights 0:
     * off.
     */
    public BassStep noteBackground(LeadStep tracker, double weight, double monoWeight, double fromHz, int edgeFrames,
                                   int guardFrames, int minFrames, double cents, double combBins) {
        if (!(weight >= 0) || !(monoWeight >= 0) || (weight > 0 || monoWeight > 0) && (!(fromHz >= 0)
                || edgeFrames < 1 || guardFrames < 0 || minFrames < 1 || !(cents > 0) || !(combBins > 0))) {
            throw new IllegalArgumentException("bad low band note background settings");
        }
        this.noteTracker = tracker;
        this.noteWeight = weight;
        this.monoNoteWeight = monoWeight;
        this.noteFromHz = fromHz;
        this.noteEdgeFrames = edgeFrames;
        this.noteGuardFrames = guardFrames;
        this.noteMinFrames = minFrames;
        this.noteCents = cents;
        this.noteCombBins = combBins;
        return this;
    }

    /** With {@link #noteBackground}: whether frames the tracker left unvoiced count towards the background. */
    public BassStep noteBackgroundUnvoiced(boolean counted) {
        this.noteUnvoiced = counted;
        return this;
    }

    /** With {@link #noteBackground}: each side's background its least magnitude instead of its mean. */
    public BassStep noteBackgroundLeast(boolean least) {
        this.noteLeast = least;
        return this;
    }

    /** With {@link #noteBackground}: which of the note's bins (0 all, 1 its comb's, 2 those off its comb). */
    public BassStep noteBackgroundBins(int which) {
        this.noteBins = which;
        return this;
    }

    /**
     * With {@link #noteBackground}'s notes (its tracker, lowest frequency, note length and cents; its weights may be
     * 0): after a note's first {@link BassPartialsStep#ATTACK_FRAMES} frames a low-band bin's claim (its still-available
     * magnitude times the mask) grows at most {@code ratio} from one frame to the next (from the attack's most). A
     * bass note's partial starts with the note and decays; a part entering or swelling within the note on the same
     * bin (a brass section's swell) is left at what the bin held so far. Stereo's and mono's ratios; 0: off.
     */
    public BassStep noteRise(double ratio, double monoRatio) {
        if (!(ratio == 0 || ratio >= 1) || !(monoRatio == 0 || monoRatio >= 1)) {
            throw new IllegalArgumentException("bad low band note rise");
        }
        this.noteRise = ratio;
        this.monoNoteRise = monoRatio;
        return this;
    }

    /** With {@link #noteBackground}: 1: a bin has a background only where both sides have frames off the comb. */
    public BassStep noteBackgroundSides(int sides) {
        this.noteSides = sides;
        return this;
    }

    /**
     * With {@link #noteBackground}: notes tracked above {@code hz} keep their bins, and neighbouring frames tracked
     * above it count neither as the bass's nor as off its comb (0: every pitch). The bass tracker's wrong notes lie
     * there (held-out song 1, mono: 139-186 Hz notes, the lead's, over a bass at 52-92 Hz): off such a note's comb is
     * the bass itself, which then read as a neighbouring note's background.
     */
    public BassStep noteBackgroundMaxHz(double hz) {
        this.noteMaxHz = hz > 0 ? hz : Double.POSITIVE_INFINITY;
        return this;
    }

    /** The tracker {@link #monoComb} reads (null: none). */
    LeadStep monoCombTracker() { return combFloor < 1 ? combTracker : null; }

    @Override
    public List<String> stemNames() { return names; }

    /**
     * Stereo: the pan histogram counts what a step placed just before this one took ({@code taken}: its last mask as
     * the cascade left it, {@code [frame][bin]}, null where none) as still available. A kick taken before the low band
     * (centred, as the bass mostly is) was part of what kept the histogram's peak at the bass; without it a louder low
     * part elsewhere can win it, and the low band follows that part (training song 4, whole: other at 0.36 holds seven
     * times the bass's energy below 150 Hz; bass 5.25 -> 4.15 dB, other 4.62 -> 3.24 dB; session 26).
     */
    BassStep panCountsTaken(java.util.function.Supplier<float[][]> taken) {
        this.takenBefore = taken;
        return this;
    }

    @Override
    public void reset() { panMemory.clear(); }

    /** The low band's mask is zero from the crossover's first bin of full high-pass weight on (its few dozen bins). */
    @Override
    public int takenBelow(SpectralMix mix) { return lowTop(crossover.highPass(mix, splitHz, ratio)); }

    /** The number of leading bins whose high-pass weight is under 1 (the weights rise monotonically). */
    private static int lowTop(float[] high) {
        int top = 0;
        for (int b = 0; b < high.length && high[b] < 1f; b++) top = b + 1;
        return top;
    }

    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        float[] high = crossover.highPass(mix, splitHz, ratio);
        float[][] m = mix.workspace().floats(mix.frames(), mix.bins());
        // per-frame work in small methods: a loop nest here made C2 compile take() on-stack and again
        for (int f = 0; f < m.length; f++) lowBand(available[f], high, m[f]);
        float[][] pan = mix.pan();
        if (pan == null && combFloor < 1) {
            double[] track = combTracker.lastTrackView();
            int from = (int) Math.ceil(combFromHz / mix.binHz()), top = lowTop(high);
            if (track.length == m.length) {
                int upper = upperHz > 0 ? Math.min(top, (int) Math.ceil(upperHz / mix.binHz())) : top;
                for (int f = 0; f < m.length; f++) {
                    comb(m[f], track[f], from, upper, mix.binHz(), combWidthBins, combFloor);
                    if (!(track[f] > 0) && restShare < 1) {
                        for (int b = Math.max(1, from); b < upper; b++) m[f][b] *= (float) restShare;
                    }
                    if (upper < top) {
                        if (track[f] > 0) comb(m[f], track[f], upper, top, mix.binHz(), combWidthBins, upperFloor);
                        else for (int b = upper; b < top; b++) m[f][b] *= (float) upperUnvoiced;
                    }
                }
            }
        }
        if (pan != null && panFloor < 1) {
            float[][] mag = mix.magnitude();
            double[] hist = mix.workspace().doubles(101);
            int top = lowTop(high);
            float[][] taken = takenBefore != null ? takenBefore.get() : null;
            for (int f = 0; f < m.length; f++) {
                if (taken != null) panHistogram(mag[f], m[f], taken[f], high, pan[f], top, hist);
                else panHistogram(mag[f], m[f], pan[f], top, hist);
            }
            double centre = panMemory.update(hist, mix.clip().frames() / (double) mix.sampleRate());
            for (int f = 0; f < m.length; f++) panWeight(m[f], pan[f], top, centre, panWidth, panFloor);
        }
        double weight = pan != null ? noteWeight : monoNoteWeight, rise = pan != null ? noteRise : monoNoteRise;
        LeadStep notes = pan != null ? noteTracker : combTracker;
        if ((weight > 0 || rise > 0) && notes != null) {
            noteBackgrounds(m, mix.magnitude(), available, notes.lastTrackView(),
                    Math.max(1, (int) Math.ceil(noteFromHz / mix.binHz())), lowTop(high), mix.binHz(), weight, rise);
        }
        out.put(name, m);
        return out;
    }

    /** {@link #noteBackground} over the whole window: each note's rows of {@code m}, bins {@code from..top-1}. */
    private void noteBackgrounds(float[][] m, float[][] mag, float[][] available, double[] track, int from, int top,
                                 double binHz, double weight, double rise) {
        int frames = m.length;
        if (track.length != frames || from >= top) return;
        if (noteSumBefore.length < top) {
            noteSumBefore = new double[top];
            noteSumAfter = new double[top];
            noteCountBefore = new int[top];
            noteCountAfter = new int[top];
            noteAllowed = new double[top];
        }
        double reach = noteCents / 1200 * Math.log(2);
        int s = 0;
        while (s < frames) {
            if (!(track[s] > 0)) {
                s++;
                continue;
            }
            int e = s + 1;
            while (e < frames && track[e] > 0 && Math.abs(Math.log(track[e] / track[s])) < reach) e++;
            if (e - s >= noteMinFrames && track[s] <= noteMaxHz) {
                int b1 = Math.max(0, s - noteGuardFrames), a0 = Math.min(frames, e + noteGuardFrames);
                offCombSums(mag, available, track, from, top, binHz, noteCombBins, noteUnvoiced, noteLeast, noteMaxHz,
                        Math.max(0, b1 - noteEdgeFrames), b1, noteSumBefore, noteCountBefore);
                offCombSums(mag, available, track, from, top, binHz, noteCombBins, noteUnvoiced, noteLeast, noteMaxHz, a0,
                        Math.min(frames, a0 + noteEdgeFrames), noteSumAfter, noteCountAfter);
                for (int f = s; weight > 0 && f < e; f++) {
                    subtractBackground(m[f], mag[f], available[f], from, top, weight, noteSumBefore, noteCountBefore,
                            noteSumAfter, noteCountAfter, noteBins, track[f] / binHz, noteCombBins, noteSides);
                }
                for (int f = s; rise > 0 && f < e; f++) {
                    riseLimit(m[f], mag[f], available[f], from, top, f - s, rise, noteAllowed);
                }
            }
            s = e;
        }
    }

    /**
     * Per bin {@code from..top-1}, the sum and count of the still-available magnitudes of frames {@code f0..f1-1}
     * where the bin lies at least {@code combBins} from the frame's tracked harmonics (or the frame is unvoiced).
     */
    private static void offCombSums(float[][] mag, float[][] available, double[] track, int from, int top, double binHz,
                                    double combBins, boolean unvoiced, boolean least, double maxHz, int f0, int f1,
                                    double[] sum, int[] count) {
        java.util.Arrays.fill(sum, from, top, 0.0);
        java.util.Arrays.fill(count, from, top, 0);
        for (int f = f0; f < f1; f++) {
            double step = track[f] / binHz;
            if (!(step > 0) && !unvoiced || track[f] > maxHz) continue;
            for (int b = from; b < top; b++) {
                if (step > 0 && Math.abs(b - Math.max(1, Math.rint(b / step)) * step) < combBins) continue;
                double x = mag[f][b] * available[f][b];
                if (!least) sum[b] += x;
                else sum[b] = count[b] == 0 ? x : Math.min(sum[b], x);
                count[b] = least ? 1 : count[b] + 1;
            }
        }
    }

    /** One frame ({@code k} frames into its note) of {@link #noteRise}: each bin's claim at most its allowance. */
    private static void riseLimit(float[] m, float[] mag, float[] available, int from, int top, int k, double rise,
                                  double[] allowed) {
        for (int b = from; b < top; b++) {
            double x = mag[b] * available[b], claim = x * m[b];
            double a = k < BassPartialsStep.ATTACK_FRAMES ? Math.max(claim, k > 0 ? allowed[b] : 0)
                    : Math.min(claim, allowed[b] * rise);
            allowed[b] = a;
            if (claim > a && x > 0) m[b] = (float) (a / x);
        }
    }

    /** One frame of a note: each bin's mask scaled to its magnitude less {@code weight} times its background. */
    private static void subtractBackground(float[] m, float[] mag, float[] available, int from, int top, double weight,
                                           double[] sumBefore, int[] countBefore, double[] sumAfter, int[] countAfter,
                                           int which, double step, double combBins, int sides) {
        for (int b = from; b < top; b++) {
            if (which != 0) {
                boolean on = Math.abs(b - Math.max(1, Math.rint(b / step)) * step) < combBins;
                if (on != (which == 1)) continue;
            }
            double bg;
            if (countBefore[b] > 0 && countAfter[b] > 0) bg = Math.min(sumBefore[b] / countBefore[b], sumAfter[b] / countAfter[b]);
            else if (sides == 1) continue;
            else if (countBefore[b] > 0) bg = sumBefore[b] / countBefore[b];
            else if (countAfter[b] > 0) bg = sumAfter[b] / countAfter[b];
            else continue;
            double x = mag[b] * available[b];
            if (!(x > 0)) continue;
            m[b] *= (float) Math.max(0, Math.min(1, (x - weight * bg) / x));
        }
    }

    private static void lowBand(float[] available, float[] high, float[] m) {
        for (int b = 0; b < m.length; b++) m[b] = available[b] * (1f - high[b]);
    }

    /** Weights bins from..top-1 of {@code m} by their distance (bins) to the nearest harmonic of {@code f0} (0: none). */
    private static void comb(float[] m, double f0, int from, int top, double binHz, double width, double floor) {
        if (!(f0 > 0)) return;
        double step = f0 / binHz, k = -0.5 / (width * width);
        for (int b = Math.max(1, from); b < top; b++) {
            double h = Math.max(1, Math.rint(b / step)), d = b - h * step;
            m[b] *= (float) (floor + (1 - floor) * Math.exp(k * d * d));
        }
    }

    /** Adds the energy of bins 1..top-1 of {@code mag * m} to the pan histogram (101 cells). */
    static void panHistogram(float[] mag, float[] m, float[] pan, int top, double[] hist) {
        for (int b = 1; b < top; b++) {
            double e = mag[b] * m[b];
            hist[(int) Math.round(pan[b] * 100)] += e * e;
        }
    }

    /** {@link #panHistogram}, with what {@link #panCountsTaken}'s step took counted as available. */
    private static void panHistogram(float[] mag, float[] m, float[] taken, float[] high, float[] pan, int top, double[] hist) {
        for (int b = 1; b < top; b++) {
            double e = mag[b] * (m[b] + taken[b] * (1f - high[b]));
            hist[(int) Math.round(pan[b] * 100)] += e * e;
        }
    }

    /** Weights bins 1..top-1 of {@code m} towards the pan position {@code centre} ({@link PanMemory#weight}). */
    static void panWeight(float[] m, float[] pan, int top, double centre, double width, double floor) {
        for (int b = 1; b < top; b++) m[b] *= PanMemory.weight(pan[b], centre, width, floor);
    }
}
