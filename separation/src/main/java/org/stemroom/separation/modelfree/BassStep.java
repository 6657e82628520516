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
    private LeadStep envelopeTracker; // stereo's tracker for the partials' envelope (mono reads combTracker)
    private double envelopeWeight, monoEnvelopeWeight; // 0: off
    private double envelopeLowHz, envelopeFromHz, envelopeCents, envelopeQuantile, envelopeBins, envelopeSplit;
    private int envelopeMinFrames;
    private boolean envelopeFromMixture; // the lower partials read from the mixture, not from the low band's claim
    private double envelopeMaxRatio = Double.POSITIVE_INFINITY; // a bin whose note ratio is above: left alone
    /** {@link #partialEnvelope}'s scratch (grown on first use; the step runs on one thread). */
    private double[] envelopeLow = new double[0], envelopeRatios = new double[0];
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
     * first, cut where the note's lower partials rise by more than {@code split} from one frame to the next: a
     * repeated note's attack; 0: not cut), the low band's claim on a bin from {@code fromHz} up within {@code
     * combBins} of the note's harmonics is at most {@code weight} times the note's own ratio of that bin to its
     * lower partials (the claim's magnitude on the comb bins from {@code lowHz} to {@code fromHz}, where the bass
     * dominates what the drums left), times that frame's lower partials. The ratio is the {@code quantile} of the
     * note's frames' ratios, or at {@code quantile} 0 the attack's (its first {@link BassPartialsStep#ATTACK_FRAMES}
     * frames' most of the bin over their most of the lower partials). A bass partial follows its note's envelope; a
     * chord tone on the same bin does not (a chord's attack over a held bass, or a held chord over a decaying bass),
     * and its excess over the note's ratio is left to the later steps. {@code tracker}: stereo's (the partials'
     * comb); mono reads {@link #monoComb}'s. Weights 0: off.
     */
    public BassStep partialEnvelope(LeadStep tracker, double weight, double monoWeight, double lowHz, double fromHz,
                                    int minFrames, double cents, double quantile, double combBins, double split) {
        if (!(weight >= 0) || !(monoWeight >= 0) || (weight > 0 || monoWeight > 0) && (!(lowHz > 0) || !(fromHz > lowHz)
                || minFrames < 1 || !(cents > 0) || !(quantile >= 0 && quantile <= 1) || !(combBins > 0)
                || !(split == 0 || split > 1))) {
            throw new IllegalArgumentException("bad low band partial envelope settings");
        }
        this.envelopeTracker = tracker;
        this.envelopeWeight = weight;
        this.monoEnvelopeWeight = monoWeight;
        this.envelopeLowHz = lowHz;
        this.envelopeFromHz = fromHz;
        this.envelopeMinFrames = minFrames;
        this.envelopeCents = cents;
        this.envelopeQuantile = quantile;
        this.envelopeBins = combBins;
        this.envelopeSplit = split;
        return this;
    }

    /**
     * With {@link #partialEnvelope}: the note's lower partials read from the mixture's magnitude instead of the low
     * band's claim (where the kick decision takes a bass fundamental to the drums in some frames, the claim's lower
     * partials dip while its upper partials do not).
     */
    public BassStep partialEnvelopeFromMixture(boolean mixture) {
        this.envelopeFromMixture = mixture;
        return this;
    }

    /**
     * With {@link #partialEnvelope}: a bin whose note ratio (to the lower partials) lies above {@code ratio} is left as
     * it is (0: every bin judged). A bass whose partials at 150-275 Hz are as strong as its fundamental (a slap or pick
     * bass) moves its upper partials apart from its lower ones within the note; a weak-partialled bass under a chord
     * reads a low ratio.
     */
    public BassStep partialEnvelopeMaxRatio(double ratio) {
        this.envelopeMaxRatio = ratio > 0 ? ratio : Double.POSITIVE_INFINITY;
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
        double envelope = pan != null ? envelopeWeight : monoEnvelopeWeight;
        LeadStep notes = pan != null ? envelopeTracker : combTracker;
        if (envelope > 0 && notes != null) {
            partialEnvelopes(m, mix.magnitude(), notes.lastTrackView(), Math.max(1, (int) Math.floor(envelopeLowHz / mix.binHz())),
                    (int) Math.ceil(envelopeFromHz / mix.binHz()), lowTop(high), mix.binHz(), envelope);
        }
        out.put(name, m);
        return out;
    }

    /** {@link #partialEnvelope} over the window: each note's rows of {@code m}, comb bins {@code from..top-1}. */
    private void partialEnvelopes(float[][] m, float[][] mag, double[] track, int low, int from, int top, double binHz,
                                  double weight) {
        int frames = m.length;
        if (track.length != frames || from >= top || low >= from) return;
        if (envelopeLow.length < frames) {
            envelopeLow = new double[frames];
            envelopeRatios = new double[frames];
        }
        double[] lower = envelopeLow;
        for (int f = 0; f < frames; f++) {
            lower[f] = track[f] > 0 ? combLevel(envelopeFromMixture ? null : m[f], mag[f], low, from, track[f] / binHz, envelopeBins) : 0;
        }
        double reach = envelopeCents / 1200 * Math.log(2);
        int s = 0;
        while (s < frames) {
            if (!(track[s] > 0)) {
                s++;
                continue;
            }
            int e = s + 1;
            while (e < frames && track[e] > 0 && Math.abs(Math.log(track[e] / track[s])) < reach
                    && !(envelopeSplit > 0 && lower[e] > envelopeSplit * lower[e - 1])) e++;
            if (e - s >= envelopeMinFrames) noteEnvelope(m, mag, track, lower, s, e, from, top, binHz, weight);
            s = e;
        }
    }

    /**
     * The magnitude (root of the energy) that {@code m} claims on bins {@code from..top-1} within {@code bins} of a
     * harmonic ({@code m} null: the whole magnitude).
     */
    private static double combLevel(float[] m, float[] mag, int from, int top, double step, double bins) {
        double sum = 0;
        for (int b = from; b < top; b++) {
            if (Math.abs(b - Math.max(1, Math.rint(b / step)) * step) >= bins) continue;
            double x = m != null ? mag[b] * m[b] : mag[b];
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    /** One note (frames {@code s..e-1}) of {@link #partialEnvelope}. */
    private void noteEnvelope(float[][] m, float[][] mag, double[] track, double[] lower, int s, int e, int from, int top,
                              double binHz, double weight) {
        double[] ratios = envelopeRatios;
        double lowAttack = 0;
        for (int f = s; f < Math.min(e, s + BassPartialsStep.ATTACK_FRAMES); f++) lowAttack = Math.max(lowAttack, lower[f]);
        for (int b = from; b < top; b++) {
            double ratio;
            if (envelopeQuantile == 0) {
                if (!(lowAttack > 0)) continue;
                double most = 0;
                for (int f = s; f < Math.min(e, s + BassPartialsStep.ATTACK_FRAMES); f++) most = Math.max(most, mag[f][b] * m[f][b]);
                ratio = most / lowAttack;
            } else {
                int n = 0;
                for (int f = s; f < e; f++) if (lower[f] > 0) ratios[n++] = mag[f][b] * m[f][b] / lower[f];
                if (n == 0) continue;
                java.util.Arrays.sort(ratios, 0, n);
                ratio = ratios[Math.min(n - 1, (int) Math.floor(envelopeQuantile * n))];
                if (ratios[n / 2] > envelopeMaxRatio) continue;
            }
            for (int f = s; f < e; f++) {
                double step = track[f] / binHz;
                if (Math.abs(b - Math.max(1, Math.rint(b / step)) * step) >= envelopeBins) continue;
                double claim = mag[f][b] * m[f][b], cap = weight * ratio * lower[f];
                if (claim > cap) m[f][b] *= (float) (cap / claim);
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

    /** Weights bins 1..top-1 of {@code m} towards the pan position {@code centre} ({@link PanMemory#weight}). */
    static void panWeight(float[] m, float[] pan, int top, double centre, double width, double floor) {
        for (int b = 1; b < top; b++) m[b] *= PanMemory.weight(pan[b], centre, width, floor);
    }
}
