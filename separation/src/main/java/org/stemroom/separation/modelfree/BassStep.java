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
    private double lastPan = Double.NaN;
    private LeadStep combTracker;
    private double combFromHz, combWidthBins = 1, combFloor = 1; // floor 1: off
    private double upperHz, upperFloor = 1, upperUnvoiced = 1; // upperHz 0: the comb's floor everywhere
    private double restShare = 1; // 1: an unvoiced frame keeps the whole band below the upper split
    private LeadStep restTracker;
    private double restFundamental, restFromHz, fundamentalRestShare = 1; // share 1: off
    private LeadStep stereoCombTracker;
    private double stereoCombFromHz, stereoCombWidthBins = 1, stereoCombFloor = 1; // floor 1: off
    private double demixLoHz, demixHiHz, demixMinApart, demixWeight; // weight 0: off
    private double demixTaken; // the least share the steps before took for a bin to be split; below, the Gaussian
    private final PanMemory takenMemory = new PanMemory();
    private double lastTakenPan = Double.NaN;
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
     * Stereo: each note of {@code tracker}'s track (it runs earlier in the same window: the stereo bass partials'
     * comb) whose fundamental's mean share of its first partials in the mixture ({@link
     * LeadStep#meanFundamentalShare}) is under {@code fundamental} keeps {@code share} of the low band from {@code
     * fromHz} up (share 1: off). Where the bass rests, the tracker voices the common root of the chords an octave or
     * two under them (held-out song 3: the organ and brass on the bass's channel, at 31-41 Hz against the bass's 62-123
     * Hz notes), where nothing sounds; the pan weighting keeps what sits at the bass's position, so the low band's
     * upper bins held the chords' low notes there.
     */
    public BassStep restWithoutFundamental(LeadStep tracker, double fundamental, double fromHz, double share) {
        if (!(share >= 0 && share <= 1) || (share < 1 && (tracker == null || !(fundamental > 0 && fundamental < 1)
                || !(fromHz >= 0)))) {
            throw new IllegalArgumentException("bad bass rest settings " + fundamental + " / " + fromHz + " Hz / " + share);
        }
        this.restTracker = tracker;
        this.restFundamental = fundamental;
        this.restFromHz = fromHz;
        this.fundamentalRestShare = share;
        return this;
    }

    /**
     * Stereo: from {@code fromHz} up the low band is kept near the harmonics of {@code tracker}'s pitch (it runs
     * earlier in the same window: the stereo bass partials' comb) and at {@code floor} of it between them (Gaussian of
     * {@code widthBins} around each harmonic), in the frames the tracker voices; unvoiced frames keep the band. The
     * pan weighting keeps a part panned away from the bass out of the low band, not one that shares the bass's
     * position: held-out song 3's organ and brass (hard right with the bass) sit at 150-220 Hz between the bass's
     * harmonics as well as on them. Floor 1: off.
     */
    public BassStep stereoComb(LeadStep tracker, double fromHz, double widthBins, double floor) {
        if (floor < 1 && (tracker == null || !(fromHz >= 0) || !(widthBins > 0) || !(floor >= 0))) {
            throw new IllegalArgumentException("bad bass stereo comb settings");
        }
        this.stereoCombTracker = tracker;
        this.stereoCombFromHz = fromHz;
        this.stereoCombWidthBins = widthBins;
        this.stereoCombFloor = floor;
        return this;
    }

    /**
     * Stereo, with {@link #pan}: from {@code loHz} to {@code hiHz}, in each bin of which the steps before this one took
     * at least {@code least} (the drums' kick), the pan Gaussian gives way to {@code 1 - weight + weight * share}, the
     * share the bass's power in a two-source model of the bin: its two channels {@code X = B u_b + K u_k}, {@code u =
     * (cos a, sin a)} the bass's panning direction and that of what the steps before took in the band (the peak of
     * that energy's pan histogram, carried over windows as the bass's), solved for the complex {@code B} and {@code
     * K}; {@code share = |B|^2 / (|B|^2 + |K|^2)}. The Gaussian reads a bin's level ratio alone, and a bin where the
     * bass and a kick panned elsewhere both sound reads between the two: the bass loses its part there to the kick's
     * side. The two amplitude-panned sources add in each channel with their own phases, and the pair of equations
     * splits them. Only where the two positions lie at least {@code minApart} apart (0..1 positions): closer, the
     * divisor {@code sin(a_k - a_b)} amplifies what a third source adds, and the kick's position read from what was
     * taken is the bass's own where the drums took the bass. Weight 0: off.
     */
    public BassStep kickDemix(double loHz, double hiHz, double minApart, double weight, double least) {
        if (!(weight >= 0 && weight <= 1) || weight > 0 && (!(loHz >= 0) || !(hiHz > loHz) || !(minApart > 0)
                || !(least >= 0 && least < 1))) {
            throw new IllegalArgumentException("bad bass kick demix settings");
        }
        this.demixLoHz = loHz;
        this.demixHiHz = hiHz;
        this.demixMinApart = minApart;
        this.demixWeight = weight;
        this.demixTaken = least;
        return this;
    }

    /** The pan position {@link #kickDemix} read for what the steps before took (NaN where it read none). */
    public double lastTakenPan() { return lastTakenPan; }

    /** The tracker {@link #monoComb} reads (null: none). */
    LeadStep monoCombTracker() { return combFloor < 1 ? combTracker : null; }

    @Override
    public List<String> stemNames() { return names; }

    /**
     * The pan position (0..1) at the peak of a pan histogram {@code hist} (101 cells of energy) as the low band reads
     * its own carried one, smoothed over five cells ({@link PanMemory#peakCell}); for the evaluation's diagnostics.
     */
    public static double histogramPeak(double[] hist) { return PanMemory.peakCell(hist) / 100.0; }

    /** The pan position the last call weighted the low band towards (NaN where it weighted none). */
    public double lastPan() { return lastPan; }

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

    /**
     * Stereo: the low band's pan position moves to another cell only where that cell's carried energy exceeds {@code
     * ratio} times the current position's ({@link PanMemory#hold}; 1: the histogram's peak in every window). The bass
     * is often the quietest source below the split: its position is found through the kick's leftover energy beside
     * it, and a louder low part elsewhere (training song 4: the other stem's at 0.35, 3-23 dB above the bass at 0.54)
     * ties with it window after window; each window the tie goes the other way, the low band weights itself towards
     * that part for the next ten seconds (session 29).
     */
    BassStep panHold(double ratio) {
        panMemory.hold(ratio);
        return this;
    }

    @Override
    public void reset() {
        panMemory.clear();
        takenMemory.clear();
    }

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
        lastPan = Double.NaN;
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
            lastPan = centre;
            lastTakenPan = Double.NaN;
            int lo = 0, hi = 0;
            if (demixWeight > 0) {
                lo = Math.max(1, (int) Math.ceil(demixLoHz / mix.binHz()));
                hi = Math.min(top, (int) Math.ceil(demixHiHz / mix.binHz()));
                java.util.Arrays.fill(hist, 0);
                for (int f = 0; f < m.length; f++) takenHistogram(mag[f], available[f], pan[f], lo, hi, hist);
                double kickAt = takenMemory.update(hist, mix.clip().frames() / (double) mix.sampleRate());
                lastTakenPan = kickAt;
                if (Math.abs(kickAt - centre) < demixMinApart) hi = lo;
                else {
                    double ab = centre * 0.5 * Math.PI, ak = kickAt * 0.5 * Math.PI;
                    double cb = Math.cos(ab), sb = Math.sin(ab), ck = Math.cos(ak), sk = Math.sin(ak);
                    org.stemroom.core.dsp.Spectrogram l = mix.spectrum(0), r = mix.spectrum(1);
                    for (int f = 0; f < m.length; f++) {
                        demix(m[f], available[f], l.re(f), l.im(f), r.re(f), r.im(f), lo, hi, cb, sb, ck, sk,
                                demixWeight, demixTaken, pan[f], centre, panWidth, panFloor);
                    }
                }
            }
            // the Gaussian on the bins demix left (lo..hi-1 are demix's; lo == hi where it is off)
            for (int f = 0; f < m.length; f++) {
                panWeight(m[f], pan[f], 1, Math.min(lo, top), centre, panWidth, panFloor);
                panWeight(m[f], pan[f], Math.max(1, hi), top, centre, panWidth, panFloor);
            }
        }
        if (pan != null && stereoCombFloor < 1) {
            double[] track = stereoCombTracker.lastTrackView();
            if (track.length == m.length) {
                int from = (int) Math.ceil(stereoCombFromHz / mix.binHz()), top = lowTop(high);
                for (int f = 0; f < m.length; f++) {
                    comb(m[f], track[f], from, top, mix.binHz(), stereoCombWidthBins, stereoCombFloor);
                }
            }
        }
        if (pan != null && fundamentalRestShare < 1) {
            double[] track = restTracker.lastTrackView();
            if (track != null && track.length == m.length) {
                int from = Math.max(1, (int) Math.ceil(restFromHz / mix.binHz())), top = lowTop(high);
                restWithoutFundamental(mix.magnitude(), mix.bins(), mix.binHz(), track, m, from, top);
            }
        }
        out.put(name, m);
        return out;
    }

    private void restWithoutFundamental(float[][] mag, int bins, double binHz, double[] track, float[][] m, int from,
                                        int top) {
        for (int end, f = LeadStep.nextVoiced(track, 0, m.length); f < m.length; f = LeadStep.nextVoiced(track, end, m.length)) {
            end = LeadStep.runEnd(track, f, m.length, LeadStep.NOTE_BREAK_SEMITONES);
            if (LeadStep.meanFundamentalShare(mag, bins, binHz, track, f, end, 1, Double.POSITIVE_INFINITY) < restFundamental) {
                for (int g = f; g < end; g++) {
                    for (int b = from; b < top; b++) m[g][b] *= (float) fundamentalRestShare;
                }
            }
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

    /** The energy of bins lo..hi-1 that the steps before took ({@code mag * (1 - available)}) into the pan histogram. */
    private static void takenHistogram(float[] mag, float[] available, float[] pan, int lo, int hi, double[] hist) {
        for (int b = lo; b < hi; b++) {
            double e = mag[b] * (1f - available[b]);
            hist[(int) Math.round(pan[b] * 100)] += e * e;
        }
    }

    /**
     * {@link #kickDemix}: bins lo..hi-1 of {@code m} times {@code 1 - weight + weight * |B|^2 / (|B|^2 + |K|^2)}, B and
     * K the solution of {@code (L, R) = B (cb, sb) + K (ck, sk)}, where at least {@code least} was taken; elsewhere the
     * pan Gaussian ({@link PanMemory#weight}).
     */
    private static void demix(float[] m, float[] available, float[] lr, float[] li, float[] rr, float[] ri, int lo,
                              int hi, double cb, double sb, double ck, double sk, double weight, double least,
                              float[] pan, double centre, double width, double floor) {
        // the divisor sin(a_k - a_b) is common to B and K and cancels in the share
        for (int b = lo; b < hi; b++) {
            if (1f - available[b] < least) {
                m[b] *= PanMemory.weight(pan[b], centre, width, floor);
                continue;
            }
            double br = lr[b] * sk - rr[b] * ck, bi = li[b] * sk - ri[b] * ck;
            double kr = rr[b] * cb - lr[b] * sb, ki = ri[b] * cb - li[b] * sb;
            double pb = br * br + bi * bi, total = pb + kr * kr + ki * ki;
            double share = total > 0 ? pb / total : 1;
            m[b] *= (float) (1 - weight + weight * share);
        }
    }

    /** Weights bins 1..top-1 of {@code m} towards the pan position {@code centre} ({@link PanMemory#weight}). */
    static void panWeight(float[] m, float[] pan, int top, double centre, double width, double floor) {
        panWeight(m, pan, 1, top, centre, width, floor);
    }

    /** {@link #panWeight(float[], float[], int, double, double, double)} on bins {@code from..to-1} (none if to <= from). */
    private static void panWeight(float[] m, float[] pan, int from, int to, double centre, double width, double floor) {
        for (int b = from; b < to; b++) m[b] *= PanMemory.weight(pan[b], centre, width, floor);
    }
}
