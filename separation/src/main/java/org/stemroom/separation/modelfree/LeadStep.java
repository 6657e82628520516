package org.stemroom.separation.modelfree;

import java.util.Map;
import java.util.List;

/**
 * The lead (vocal or solo instrument) by predominant-pitch tracking: a harmonic-summation salience
 * ({@code sum_h alpha^(h-1) |X(h f0)|}, Klapuri 2006) over a log-frequency grid of candidate pitches, a Viterbi path
 * through it that penalises pitch jumps and allows unvoiced frames, and narrow Gaussian masks around the tracked
 * pitch's harmonics. In stereo the masks are weighted towards the lead's panning position, found automatically as
 * the peak of the pan histogram of the bins on the tracked harmonics.
 */
public final class LeadStep implements MaskStep {
    private final String name;
    private double minHz = 75, maxHz = 1400;
    private int stepsPerSemitone = 5;
    private int harmonics = 20;
    private double maxHarmonicHz = 8000;
    private double alpha = 0.85;
    /** The salience reads each harmonic's magnitude interpolated at h*f0 instead of the larger of the two bins around it. */
    private boolean interpolatedSalience;
    private double jumpPenaltyPerSemitone = 0.25;
    /** Mono input's jump penalty (NaN: {@link #jumpPenaltyPerSemitone}); see {@link #monoJumpPenalty}. */
    private double monoJumpPenaltyPerSemitone = Double.NaN;
    private double voicingThreshold = 0.12;
    /** Mono input's voicing threshold (NaN: {@link #voicingThreshold}); see {@link #monoVoicing}. */
    private double monoVoicingThreshold = Double.NaN;
    /** {@link #monoCarriedReference}: the share (0: off) and the held, decaying reference of the windows before. */
    private double carriedShare, carriedReference;
    private double widthBins = 1.0;
    private double widthCents = 25;
    /** Width in cents for mono input (NaN: {@link #widthCents}); see {@link #monoWidthCents}. */
    private double monoWidthCents = Double.NaN;
    /** Extra mask width per partial from the pitch's movement (0: off); see {@link #slopeWidth}. */
    private double slopeWidth = 0;
    private double panWidth = 0.08;
    private double panFloor = 0.25;
    private double salienceFloor = 1;
    private double subharmonicPenalty;
    private boolean peakCentred = true;
    private double searchCents = 40;
    private double envelopePower = 0;
    /** Harmonics above this give no evidence for the pitch (Infinity: all up to maxHarmonicHz). */
    private double evidenceMaxHz = Double.POSITIVE_INFINITY;
    /** Harmonics below this get no mask (0: all). */
    private double combMinHz = 0;
    /** With {@link #anchored}: cap of a partial's mask relative to the anchor band's strongest partial (0: off). */
    private double anchorCap = 0;
    /** Mono: share of the previous frame's comb mask each frame keeps at least (0: off); see {@link #monoReleaseTail}. */
    private double monoReleaseTail = 0;
    /** Mono: widest partial mask as a share of the partials' spacing (0: no limit); see {@link #monoSpacingCap}. */
    private double monoSpacingCap = 0;
    /** Mono: share of a held part's level taken back from the lead's masks (0: off); see {@link #monoHeldParts}. */
    private double monoHeldParts = 0;
    /** How far (frames) either side {@link #monoHeldParts} looks for the frames the lead leaves a bin to. */
    private int heldPartsReach = 12;
    /** Mono: share of the accompaniment's level between the partials taken back from them (0: off); {@link #monoValleys}. */
    private double monoValleys = 0;
    /** Mono: share of the salience kept below the carried register (1: off); see {@link #monoRegister}. */
    private double registerKeep = 1;
    /** How far (semitones) below the carried register's median a candidate is discounted. */
    private double registerBelow = 10;
    /** Mono: voiced frames per pitch-grid step, carried over windows (see {@link #monoRegister}). */
    private double[] register = new double[0];
    /**
     * Mono: a run of voiced frames moves an octave up or down where its distance to the carried timbre there falls
     * below this share of the distance at its pitch (0: off); see {@link #monoTimbreOctave}.
     */
    private double timbreOctave = 0;
    /** Mono: a note whose mean distance to the carried timbre exceeds this is left unvoiced (0: off); {@link #monoTimbreVoicing}. */
    private double timbreVoicing = 0;
    /** Mono: a note whose fundamental's mean share of its first partials is below this moves up or goes unvoiced (0: off); {@link #monoFundamentalCheck}. */
    private double fundamentalShare = 0;
    /** Stereo: {@link #fundamentalShare} for stereo input (0: off); {@link #stereoFundamentalCheck}. */
    private double stereoFundamentalShare = 0;
    private double stereoFundamentalFloor;
    /** A note whose partials the steps before took more than this share of is left unvoiced (1: off); {@link #takenVoicing}. */
    private double takenShare = 1, monoTakenShare = 1, takenMinBins;
    /**
     * Mono: a note whose sustained surroundings above it started with it in at least this share and are at least this
     * loud against its own harmonics there is left unvoiced (0 and 0: off); {@link #monoChordNotes}.
     */
    private double chordStartShare = 0, chordLevel = 0;
    /** Stereo: {@link #takenVoicing} keeps a note whose own partials above {@link #takenKeepHz} reach this share (0: off); {@link #takenVoicingKeep}. */
    private double takenKeepShare = 0, takenKeepHz = 220;
    /** Frames pitched under this many bins are not judged by {@link #timbreVoicing}. */
    private double timbreVoicingBins = 0;
    /**
     * Mono: the voiced frames' partial profiles ({@link #timbreProfile}) summed per partial, and the number of frames
     * (decayed) that had each partial, carried over windows as the register.
     */
    private final double[] timbre = new double[TIMBRE_PARTIALS], timbreCount = new double[TIMBRE_PARTIALS];
    /** The number of voiced frames (decayed) in {@link #timbre}. */
    private double timbreFrames;
    private double[] lastTrack = new double[0];
    private double[] givenTrack;
    private double lastPan = Double.NaN;
    /** Pan histogram of the lead's bins carried over windows. */
    private final PanMemory panMemory = new PanMemory();

    private final List<String> names;
    /** What {@link #take} returns, reused (replacing the value allocates nothing). */
    private final Map<String, float[][]> out = new java.util.HashMap<>();

    public LeadStep(String name) {
        this.name = name;
        this.names = List.of(name);
    }

    public LeadStep pitchRange(double lo, double hi) { minHz = lo; maxHz = hi; return this; }
    public LeadStep harmonics(int h, double maxHz) { harmonics = h; maxHarmonicHz = maxHz; return this; }

    /** {@link #extendHarmonics}: the extended top (Hz; 0: off), the peak's ratio over the midpoints, the share. */
    private double extendHz, extendRatio, extendShare;
    /** {@link #monoExtendHarmonics}: the same for mono input. */
    private double monoExtendHz, monoExtendRatio, monoExtendShare;

    /**
     * Stereo: a note's comb reaches up to {@code hz} instead of {@link #harmonics}'s top where its partials between the
     * two tops are measurably there: in at least {@code share} of the note's (frame, harmonic) pairs there, the
     * harmonic's peak (the largest still-available magnitude within a bin of h f0) stands at least {@code ratio} times
     * above the larger of the two midpoints to its neighbours in the series ((h -/+ 1/2) f0). A bright bass's upper
     * partials stand out all along its series; a chord's or a lead's partials land on few of the bass's harmonics, and
     * under a low note the midpoints lie within the partials' main lobes, so neither extends. A note is a run within
     * {@link #NOTE_BREAK_SEMITONES}. {@code hz} 0: off (every frame's comb stops at {@link #harmonics}'s top).
     */
    public LeadStep extendHarmonics(double hz, double ratio, double share) {
        checkExtension("harmonic extension", hz, ratio, share);
        extendHz = hz;
        extendRatio = ratio;
        extendShare = share;
        return this;
    }

    /** Mono input: {@link #extendHarmonics}'s rule with its own top, ratio and share ({@code hz} 0: off). */
    public LeadStep monoExtendHarmonics(double hz, double ratio, double share) {
        checkExtension("mono harmonic extension", hz, ratio, share);
        monoExtendHz = hz;
        monoExtendRatio = ratio;
        monoExtendShare = share;
        return this;
    }

    private static void checkExtension(String what, double hz, double ratio, double share) {
        if (hz > 0 && (!(ratio >= 1) || !(share > 0 && share <= 1))) {
            throw new IllegalArgumentException("bad " + what + " " + hz + " Hz / " + ratio + " / " + share);
        }
    }
    public LeadStep maskWidth(double bins, double cents) { widthBins = bins; widthCents = cents; return this; }
    /**
     * Mono input's width in cents, instead of {@link #maskWidth}'s: in stereo the masks are weighted towards the
     * lead's pan position, which gives back what a wide mask takes from parts placed elsewhere; mono has no such
     * check, so what a wide mask takes there stays taken.
     */
    public LeadStep monoWidthCents(double cents) { monoWidthCents = cents; return this; }
    /**
     * Widens each partial's mask by {@code k} times the distance (bins) the partial moves over one STFT frame's span,
     * from the tracked pitch's slope around the frame (0: off): a gliding or vibrato partial smears over the bins it
     * crosses within the window, so a mask sized for a steady partial leaves its skirts, and more of them the higher
     * the partial.
     */
    public LeadStep slopeWidth(double k) { slopeWidth = k; return this; }
    public LeadStep voicing(double threshold) { voicingThreshold = threshold; return this; }
    /**
     * Mono input's voicing threshold, instead of {@link #voicing}'s: in stereo the pitch evidence is weighted
     * towards the lead's position ({@link #salienceFloor}), so where the lead rests the accompaniment's evidence is
     * already low against the window's; in mono it keeps its full weight and needs a higher bar to count as no lead.
     */
    public LeadStep monoVoicing(double threshold) { monoVoicingThreshold = threshold; return this; }
    public LeadStep jumpPenalty(double perSemitone) { jumpPenaltyPerSemitone = perSemitone; return this; }
    /**
     * Mono input: the voicing's reference salience at least {@code share} of the windows before's (their 95th
     * percentile, the highest of them held and decaying with {@link PanMemory#MEMORY_SECONDS}); 0: off, the window's
     * own alone. The reference is the window's 95th percentile, so in a window where the tracked part rests the
     * strongest other pitch in its range (a chord's low notes, a kick's body) becomes the reference and is tracked as
     * the part; the windows before tell how strong the part is when it plays.
     */
    public LeadStep monoCarriedReference(double share) {
        if (!(share >= 0)) throw new IllegalArgumentException("bad carried reference share " + share);
        carriedShare = share;
        return this;
    }
    /**
     * Mono input's pitch-jump penalty, instead of {@link #jumpPenalty}'s: a melody moves by small steps and holds its
     * notes, while the best candidate of a frame in which the lead's evidence is weak (between its phrases, under a
     * louder chord) is often a part far from the note the lead was on. In stereo the pitch evidence is weighted
     * towards the lead's position ({@link #salienceFloor}), which keeps such frames on the lead; mono has only the
     * path's own continuity.
     */
    public LeadStep monoJumpPenalty(double perSemitone) { monoJumpPenaltyPerSemitone = perSemitone; return this; }
    public LeadStep pan(double width, double floor) { panWidth = width; panFloor = floor; return this; }
    /**
     * Stereo: the pitch evidence weighted towards the lead's position found in the windows before, with this floor
     * (1: off).
     */
    public LeadStep salienceFloor(double floor) { salienceFloor = floor; return this; }
    /**
     * The salience reads each harmonic's magnitude linearly interpolated at {@code h f0} rather than the larger of
     * the two bins around it. The larger of the two scores every candidate whose harmonic falls up to a bin below a
     * partial's peak bin alike, and the lowest of those fits the most harmonics under the evidence band's top and wins:
     * a steady 98 Hz tone tracked at 92 Hz (evidence up to 280 Hz, 10.8 Hz bins), whose comb then sits 1-2 bins below
     * partials 4-9 (past the peak search's reach).
     */
    public LeadStep interpolatedSalience(boolean on) { interpolatedSalience = on; return this; }

    /** Centre each harmonic's mask on the nearest spectral peak within {@code cents} of h*f0 (or on h*f0 exactly). */
    public LeadStep peaks(boolean on, double cents) { peakCentred = on; searchCents = cents; return this; }
    /** Weight partials standing above the median of their neighbours down by (median/peak)^power (0: off). */
    public LeadStep envelope(double power) { envelopePower = power; return this; }
    /**
     * Mono: the share of the octave-above's salience subtracted from each pitch candidate's ({@link
     * #penaliseSubharmonics}; 0: off). Stereo leaves it out: there the pan weighting of the evidence ({@link
     * #salienceFloor}) already keeps the sub-octave's odd partials, which sit on the accompaniment, from winning, and
     * the penalty on top cost a little.
     */
    public LeadStep subharmonicPenalty(double share) { subharmonicPenalty = share; return this; }
    /**
     * Anchors the pitch on one band: only harmonics up to {@code evidenceMaxHz} count in the salience, and only
     * those from {@code combMinHz} up get a mask. The bass's partials above the bass split are taken this way, on a
     * pitch found where the bass dominates (below the split) rather than on the whole mix, where chords and the
     * lead outweigh it.
     */
    public LeadStep anchored(double evidenceMaxHz, double combMinHz) {
        this.evidenceMaxHz = evidenceMaxHz;
        this.combMinHz = combMinHz;
        return this;
    }

    /**
     * With {@link #anchored}: only partials with a spectral peak near them get a mask, and a partial stronger than
     * {@code cap} times the anchor band's strongest partial keeps only that much of it (another source shares its
     * bin), so a masked partial never claims more than the anchored source can plausibly hold.
     */
    public LeadStep anchorCap(double cap) {
        this.anchorCap = cap;
        return this;
    }

    /**
     * Mono: each frame's comb mask is at least {@code share} times the frame before's (0: off), so a partial's mask
     * decays by that much per hop after the track leaves it: a lead's release and its room keep sounding on the last
     * note's partials after the track has moved on or gone unvoiced. Within a window (its first frame starts afresh;
     * the windows' cross-fade covers the seam). Stereo leaves it out: there it gained little on whole songs and the
     * other stem's plain SDR lost on its worst song.
     */
    public LeadStep monoReleaseTail(double share) { monoReleaseTail = share; return this; }

    /**
     * Mono: limits each partial's mask width to {@code share} times the partials' spacing (the tracked pitch in
     * bins), but never below the base width in bins (0: no limit). The cents width and the glide widening grow with
     * the partial's frequency while the spacing stays the pitch: for a low lead the upper partials' Gaussians overlap
     * and the mask covers the whole band between them, the accompaniment's partials there included; in stereo the pan
     * weighting gives most of that back, and it is left out there as the release tail is.
     */
    public LeadStep monoSpacingCap(double share) { monoSpacingCap = share; return this; }

    /**
     * Mono: at each bin under the lead's masks, the level of a part held across the lead's note, and the mask scaled
     * to the share of the bin's magnitude above {@code share} times that level (0: off). The level is read in the
     * nearest frames before and after, within {@code reachFrames}, where the lead's masks have left the bin (below
     * 0.2): the smaller of the two, so only a part sounding on both sides counts (the lead moves from note to note,
     * chords and pads hold). Stereo leaves it out: the masks' pan weighting already gives back what sits elsewhere,
     * and this on top cost a little.
     */
    public LeadStep monoHeldParts(double share, int reachFrames) {
        monoHeldParts = share;
        heldPartsReach = reachFrames;
        return this;
    }

    /**
     * Mono: each partial's mask scaled to the share of the bin's magnitude above {@code share} times the level of the
     * accompaniment around the partial (0: off). That level is read in the same frame, between the partials: the
     * mean magnitude over the middle third of the gap to each neighbouring partial, the smaller of the two sides
     * (a spectral subtraction, with the gaps as the noise estimate). What sounds in the gaps (a pad, a chord's
     * partials, a room, noise) sounds under the partials too, and a mask of one there hands all of it to the lead;
     * {@link #monoHeldParts} reads the same kind of level along time, which misses parts that change with the lead's
     * notes. Stereo leaves it out: there the masks' pan weighting gives back what sits elsewhere.
     */
    public LeadStep monoValleys(double share) {
        monoValleys = share;
        return this;
    }

    /**
     * Mono: the lead's register carried over windows, a cue the 1 s window cannot give on its own. A count of the
     * voiced frames per pitch-grid step, decayed as {@link PanMemory} decays pan positions (10 s); once it holds at
     * least one second of voiced frames, every candidate more than {@code belowSemitones} under its median keeps
     * only {@code keep} of its salience (1: off). A melody stays within about an octave of where it has been, while
     * the sub-octave of its pitch and the accompaniment's lower parts sit further down: the windows in which the
     * sub-octave or a low part would win the track are the ones where the lead's own evidence is weak.
     */
    public LeadStep monoRegister(double keep, double belowSemitones) {
        registerKeep = keep;
        registerBelow = belowSemitones;
        register = new double[gridSize()]; // here, not on the separation worker
        return this;
    }

    /**
     * Mono: the lead's timbre carried over windows as a check of the track's octave. The relative levels of the
     * lead's first {@link #TIMBRE_PARTIALS} partials are summed over the voiced frames and decayed as the register is
     * (10 s); once they hold a second of frames, each run of voiced frames of a window's track (unbroken by an
     * unvoiced frame or a jump of more than {@link #RUN_BREAK_SEMITONES}) moves an octave up where its partials there
     * are closer to the carried profile than {@code ratio} times they are at the tracked pitch, else an octave down
     * where they are so there (0: off). Tracked an octave low, the lead's partials are the even ones and a part an
     * octave below fills the odd ones: that evidence is real and the salience keeps it, but the profile there (the
     * lead's levels on every other partial, the part's between them) is not the lead's, while an octave up it is;
     * tracked an octave high, the profile misses the lead's odd partials. Only frames whose fundamental (at the lower
     * of the two pitches) the steps before left count: where the bass's band took it, a lead's own low note lacks its
     * first partial, which the octave above does not read, and would look an octave low. The salience, the path and
     * the voicing are left as they are.
     */
    public LeadStep monoTimbreOctave(double ratio) {
        timbreOctave = ratio;
        return this;
    }

    /**
     * Mono, with {@link #monoTimbreOctave}: each note of a window's track (a stretch of voiced frames on one pitch,
     * broken by an unvoiced frame or a step of more than {@link #NOTE_BREAK_SEMITONES}) is left unvoiced where the mean
     * distance of its frames' partial profiles to the carried timbre exceeds {@code distance} (0: off). Where the
     * tracked part rests, the strongest pitch left in its range (a chord's low note, a kick's body) is tracked as it:
     * its salience is as high as the part's own decaying notes, but its partials' levels are another instrument's.
     * Frames pitched under {@code minSpacingBins} bins are not judged: there the partials' main lobes overlap and the
     * profile reads the neighbours' levels (a 32 Hz bass's partials are 3 bins apart at 4096 points and 44.1 kHz).
     */
    public LeadStep monoTimbreVoicing(double distance, double minSpacingBins) {
        timbreVoicing = distance;
        timbreVoicingBins = minSpacingBins;
        return this;
    }

    /**
     * Mono: each note of a window's track (as {@link #monoTimbreVoicing}'s) whose fundamental the mixture lacks (the
     * magnitude there, on average over the note's frames, below {@code share} of the sum over its first {@link
     * #FUNDAMENTAL_PARTIALS} partials, each read as the larger of the two bins around it, as the salience reads them)
     * moves up an octave, or else a twelfth, where the mixture has the fundamental there by the same measure, and is
     * left unvoiced where it has neither (0: off). Runs before the timbre checks. The harmonic sum under the evidence
     * band's top favours the candidates below a note: an octave or a twelfth below, the note's partials lie on every
     * second or third harmonic and whatever else sounds there (a chord's or a lead's partials, the partials' skirts at
     * the low end) fills the others, so with more harmonics to sum they win, most of all where the note's own
     * fundamental is weak (a high-passed bass). Such a candidate has nothing at its own fundamental, nor has a chord's
     * virtual root, which the tracker takes where the bass rests. The mixture's magnitude, not what the steps before
     * left: the drums' kick decision may take a bass note's fundamental, not a pitch's absence.
     */
    public LeadStep monoFundamentalCheck(double share) {
        if (!(share >= 0 && share < 1)) throw new IllegalArgumentException("bad fundamental share " + share);
        fundamentalShare = share;
        return this;
    }

    /**
     * Stereo: each note of the track whose fundamental's mean share of its first {@link #FUNDAMENTAL_PARTIALS}
     * partials in the mixture lies at or above {@code floor} and under {@code share} moves up an octave, or else a
     * twelfth, where the mixture has the fundamental there, as {@link #monoFundamentalCheck} (share 0: off); a note
     * with none there, or under {@code floor}, keeps its pitch. Under the floor lie the chords' common roots the
     * tracker voices where the bass rests (held-out song 3), which {@link BassStep#restWithoutFundamental} reads as
     * rests by their pitch; moved up an octave they would land on a chord's note. Between floor and share lie
     * basses tracked an octave low (training song 1's finger bass). Session 31: docs/separation-history.md.
     */
    public LeadStep stereoFundamentalCheck(double share, double floor) {
        if (!(share >= 0 && share < 1) || !(floor >= 0 && floor < 1)) {
            throw new IllegalArgumentException("bad stereo fundamental settings " + share + " / " + floor);
        }
        stereoFundamentalShare = share;
        stereoFundamentalFloor = floor;
        return this;
    }

    /**
     * Each note of a window's track (as {@link #monoTimbreVoicing}'s) of which the steps before took more than {@code
     * share} of the magnitude at its first {@link #FUNDAMENTAL_PARTIALS} partials (the two bins around each, summed over
     * the note's frames) is left unvoiced ({@code monoShare} for mono input; 1: off). The salience reads what the
     * steps before left, but the drums' kick decision hedges: it leaves a third of a kick's body in the band, and where
     * the bass rests that remainder is the strongest pitch there, tracked as a note. A bass note's partials are what the
     * kick decision leaves most of; a kick's thump is what it takes most of.
     */
    public LeadStep takenVoicing(double share, double monoShare) {
        if (!(share > 0 && share <= 1) || !(monoShare > 0 && monoShare <= 1)) {
            throw new IllegalArgumentException("bad taken-voicing share " + share + " / " + monoShare);
        }
        takenShare = share;
        monoTakenShare = monoShare;
        return this;
    }

    /**
     * Mono: {@link #takenVoicing} judges only notes pitched at or above {@code bins} bins (0: all). Below, the two bins
     * read around each partial lie in the neighbouring partials' main lobes and in the kick's body, and a bass whose
     * energy sits in fixed components there (a sampled acoustic bass's body resonances at 41 and 62 Hz, held-out song
     * 0) reads as taken, though it is the bass: unvoiced, mono keeps only the comb's rest share of its band.
     */
    public LeadStep takenVoicingMonoMinBins(double bins) {
        takenMinBins = bins;
        return this;
    }

    /**
     * Mono: each note of a window's track (as {@link #monoTimbreVoicing}'s) whose sustained surroundings above it
     * ({@link #chordContext}) started with it in at least {@code startShare} and stand at least {@code level} times
     * its own harmonics there is left unvoiced (0 and 0: off). An organ's or a pad's low note is the root of a chord:
     * the chord's other notes sound above it, off its harmonics, as loud as its own partials, from its onset on; a
     * bass note sounds under chords it did not start, and its own partials stand above what lies between them
     * (session 30: held-out song 3's organ notes are as loud and as harmonic as its bass's, only their context tells
     * them). A note whose context frames fall outside the window is kept.
     */
    public LeadStep monoChordNotes(double startShare, double level) {
        if (!(startShare >= 0 && startShare <= 1) || !(level >= 0)) {
            throw new IllegalArgumentException("bad chord-note start share / level " + startShare + " / " + level);
        }
        chordStartShare = startShare;
        chordLevel = level;
        return this;
    }

    /** The band {@link #chordContext} reads a note's surroundings in (Hz). */
    static final double CHORD_LO_HZ = 150, CHORD_HI_HZ = 1000;
    /** Frames before a note's onset and after its last frame (one frame of release skipped) that {@link #chordContext} reads. */
    static final int CHORD_CONTEXT_FRAMES = 3;
    /** Bins either side of a note's harmonic that {@link #chordContext} leaves out (the main lobe is 2 bins either side). */
    static final double CHORD_HARMONIC_BINS = 2.5;

    /**
     * A note's sustained surroundings: over the bins of {@link #CHORD_LO_HZ}-{@link #CHORD_HI_HZ} off the harmonics of
     * its middle frame's pitch (more than {@link #CHORD_HARMONIC_BINS} bins from each), {@code S} each bin's smallest
     * magnitude over the note's inner frames (its first and last left out, so a drum's hit at the onset does not
     * count as sustained), {@code P} its mean over the {@link #CHORD_CONTEXT_FRAMES} frames before the note, {@code Q}
     * over as many after it (from the second frame after its last); {@code out[0]} = sum max(0, S - P) / sum S (the
     * share that started with the note), {@code out[1]} = sum max(0, S - Q) / sum S (the share that ended with it),
     * {@code out[2]} = sum S over the same sum at the note's own harmonics there (how loud the surroundings are). Returns
     * false (out untouched) where the note has fewer than 3 frames, its context frames fall outside [0, frames) or
     * nothing sustains.
     */
    public static boolean chordContext(float[][] mag, int bins, double binHz, double[] track, int from, int end,
                                       int frames, double[] out) {
        if (end - from < 3 || from - CHORD_CONTEXT_FRAMES < 0 || end + 1 + CHORD_CONTEXT_FRAMES > frames) return false;
        double p = track[(from + end) / 2];
        int lo = (int) Math.ceil(CHORD_LO_HZ / binHz), hi = Math.min(bins - 1, (int) (CHORD_HI_HZ / binHz));
        double sum = 0, started = 0, ended = 0, own = 0;
        for (int b = lo; b <= hi; b++) {
            double s = Double.MAX_VALUE;
            for (int g = from + 1; g < end - 1; g++) s = Math.min(s, mag[g][b]);
            double h = Math.max(1, Math.rint(b * binHz / p));
            if (Math.abs(b - h * p / binHz) <= CHORD_HARMONIC_BINS) {
                own += s;
                continue;
            }
            double before = 0, after = 0;
            for (int g = from - CHORD_CONTEXT_FRAMES; g < from; g++) before += mag[g][b];
            for (int g = end + 1; g < end + 1 + CHORD_CONTEXT_FRAMES; g++) after += mag[g][b];
            sum += s;
            started += Math.max(0, s - before / CHORD_CONTEXT_FRAMES);
            ended += Math.max(0, s - after / CHORD_CONTEXT_FRAMES);
        }
        if (!(sum > 0)) return false;
        out[0] = started / sum;
        out[1] = ended / sum;
        out[2] = sum / Math.max(own, 1e-30);
        return true;
    }

    /**
     * Each note of {@code track} (as {@link #monoTimbreVoicing}'s) whose {@link #chordContext} started with it in at
     * least {@code startShare} and stands at least {@code level} times its harmonics left unvoiced ({@link
     * #monoChordNotes}); {@code context} holds 3 values of scratch.
     */
    public static void unvoiceChordNotes(float[][] mag, int bins, double binHz, double[] track, int frames,
                                         double startShare, double level, double[] context) {
        for (int end, f = nextVoiced(track, 0, frames); f < frames; f = nextVoiced(track, end, frames)) {
            end = runEnd(track, f, frames, NOTE_BREAK_SEMITONES);
            if (chordContext(mag, bins, binHz, track, f, end, frames, context)
                    && context[0] >= startShare && context[2] >= level) {
                java.util.Arrays.fill(track, f, end, 0);
            }
        }
    }

    /**
     * Stereo: {@link #takenVoicing} keeps voiced a note it would leave unvoiced where the note's own partials at or
     * above {@code hz} (partials {@link #KEEP_FIRST_PARTIAL} to {@link #KEEP_LAST_PARTIAL}, each the magnitude the steps
     * before left at the two bins around it less that at the two bins halfway to the next partial, summed over the
     * note's frames) reach {@code share} of the mixture's magnitude at its first partials (what the rule weighs the
     * taken share of; 0: off). A kick's thump tracked as a note has its energy in the band the kick decision reads and
     * little on harmonics above it; a high-passed finger bass, whose first partials the kick decision took with the
     * kick under them, has most of its own there, standing above what lies between its partials (a chord's partials
     * do not line up on a low pitch's harmonic series).
     */
    public LeadStep takenVoicingKeep(double share, double hz) {
        if (!(share >= 0) || !(hz > 0)) throw new IllegalArgumentException("bad taken-voicing keep " + share + " / " + hz);
        takenKeepShare = share;
        takenKeepHz = hz;
        return this;
    }

    /** The partials {@link #takenVoicingKeep} reads. */
    static final int KEEP_FIRST_PARTIAL = 3, KEEP_LAST_PARTIAL = 8;
    /**
     * {@link #takenVoicingKeep} reads only notes pitched at least this many bins: the point halfway between two
     * partials then lies 3 bins from each, outside the analysis window's main lobe (2 bins either side), so what it
     * reads there is what lies between the partials, not their skirts.
     */
    static final double KEEP_MIN_BINS = 6;

    /** Partials whose sum {@link #monoFundamentalCheck} weighs the fundamental against. */
    static final int FUNDAMENTAL_PARTIALS = 4;

    /** A pitch step larger than this (semitones) starts a new note ({@link #monoTimbreVoicing}). */
    public static final double NOTE_BREAK_SEMITONES = 0.5;

    /** Partials in the carried timbre ({@link #monoTimbreOctave}). */
    static final int TIMBRE_PARTIALS = 8;
    /** A pitch step larger than this (semitones) ends a run of voiced frames ({@link #monoTimbreOctave}). */
    static final double RUN_BREAK_SEMITONES = 7;

    /** Number of pitch candidates: the grid from minHz to maxHz at stepsPerSemitone. */
    private int gridSize() {
        return (int) Math.floor(12 * stepsPerSemitone * Math.log(maxHz / minHz) / Math.log(2)) + 1;
    }

    @Override
    public List<String> stemNames() { return names; }

    @Override
    public void reset() {
        panMemory.clear();
        java.util.Arrays.fill(register, 0);
        java.util.Arrays.fill(timbre, 0);
        java.util.Arrays.fill(timbreCount, 0);
        timbreFrames = 0;
        lastPan = Double.NaN;
        carriedReference = 0;
    }

    /**
     * For diagnostics: masks follow this track (Hz per frame, 0 unvoiced) instead of the tracked one in calls with
     * exactly that many frames (the evaluation's oracle-pitch bound: the true lead's track on a whole clip); null:
     * tracked, as always outside the evaluation.
     */
    public LeadStep givenTrack(double[] hzPerFrame) {
        givenTrack = hzPerFrame == null ? null : hzPerFrame.clone();
        return this;
    }

    /** The pitch track of the last call, Hz per frame (0 unvoiced), for diagnostics. */
    public double[] lastTrack() { return lastTrack.clone(); }

    /**
     * The last call's pitch track without a copy (workspace memory, valid until the cascade's next call), for a later
     * step of the same window ({@link BassStep#monoComb}).
     */
    double[] lastTrackView() { return lastTrack; }

    /** The panning position found in the last call (NaN for mono). */
    public double lastPan() { return lastPan; }

    /*
     * take() runs once per window and only calls stages; each stage loops over the window's frames and calls one
     * small method per frame. A single large body used to be compiled by C2 on-stack and again (up to 0.8 s of
     * compile time each, the per-frame work inlined every time); now the per-frame methods, called thousands of
     * times, get compiled once each, and the few backward branches per call keep take() and the stages in the
     * cheap tiers. The arithmetic and its order are unchanged, so the masks are the same bits.
     */
    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        int frames = mix.frames(), bins = mix.bins();
        float[][] mag = mix.magnitude();
        double binHz = mix.binHz();
        boolean mono = mix.pan() == null; // the mono settings (sub-octave penalty, voicing, width) apply
        int k = gridSize();
        org.stemroom.separation.Workspace ws = mix.workspace();
        double[] f0 = ws.doubles(k);
        pitchGrid(f0, k, minHz, stepsPerSemitone);

        // salience on the still-available magnitude
        float[][] sal = ws.floats(frames, k);
        float[] a = ws.floats(bins);
        double[] frameMax = ws.doubles(frames);
        // stereo, once a window has found the lead's position: the pitch evidence weighted towards it too, so a
        // louder part panned elsewhere does not win the track
        float[][] salPan = mix.pan() != null && !Double.isNaN(lastPan) && salienceFloor < 1 ? mix.pan() : null;
        salience(mag, available, salPan, mono && subharmonicPenalty > 0, a, bins, binHz, f0, k, sal,
                frameMax, frames, ws);
        boolean carryRegister = mono && registerKeep < 1;
        if (carryRegister) {
            if (register.length != k) register = new double[k]; // only if the pitch range was set after monoRegister
            int cut = registerCut(register, 1 / mix.frameSeconds(), registerBelow * stepsPerSemitone);
            if (cut > 0) discountBelow(sal, frameMax, frames, k, cut, (float) registerKeep);
        }
        double[] sorted = ws.doubles(frames);
        System.arraycopy(frameMax, 0, sorted, 0, frames);
        double ref = Math.max(orderStatistic(sorted, (int) (0.95 * (frames - 1))), 1e-12);
        if (mono && carriedShare > 0) {
            double held = carriedReference;
            carriedReference = Math.max(ref, held * Math.exp(-mix.clip().frames() / (double) mix.sampleRate()
                    / PanMemory.MEMORY_SECONDS));
            ref = Math.max(ref, carriedShare * held);
        }

        // Viterbi: states 0..k-1 voiced pitches, k unvoiced; linear jump penalty via two distance-transform sweeps
        double[] score = ws.doubles(k + 1);
        double[] next = ws.doubles(k + 1);
        int[][] back = ws.ints(frames, k + 1);
        double[] dt = ws.doubles(k);
        int[] arg = ws.ints(1, k)[0];
        double[] track = ws.doubles(frames);
        boolean given = givenTrack != null && givenTrack.length == frames;
        if (given) System.arraycopy(givenTrack, 0, track, 0, frames);
        else viterbi(sal, ref, mono && !Double.isNaN(monoVoicingThreshold) ? monoVoicingThreshold : voicingThreshold,
                mono && !Double.isNaN(monoJumpPenaltyPerSemitone) ? monoJumpPenaltyPerSemitone : jumpPenaltyPerSemitone,
                score, next, back, dt, arg, k, frames, f0, track);
        double fundamental = mono ? fundamentalShare : stereoFundamentalShare;
        if (fundamental > 0 && !given) {
            checkFundamentals(mag, bins, binHz, track, frames, fundamental, mono ? 0 : stereoFundamentalFloor, mono);
        }
        double taken = mono ? monoTakenShare : takenShare;
        if (taken < 1 && !given) {
            unvoiceTaken(mag, available, bins, binHz, track, frames, taken, mono ? takenMinBins * binHz : 0,
                    mono ? 0 : takenKeepShare, takenKeepHz);
        }
        if (mono && chordStartShare + chordLevel > 0 && !given) {
            unvoiceChordNotes(mag, bins, binHz, track, frames, chordStartShare, chordLevel, ws.doubles(3));
        }
        if (mono && timbreOctave > 0) {
            double[] profile = ws.doubles(TIMBRE_PARTIALS);
            if (!given && timbreFrames >= 1 / mix.frameSeconds()) {
                octaveByTimbre(mag, available, a, bins, binHz, track, frames, profile);
                if (timbreVoicing > 0) unvoiceByTimbre(mag, available, a, bins, binHz, track, frames, profile);
            }
            addToTimbre(mag, available, a, bins, binHz, track, frames, profile,
                    Math.exp(-mix.clip().frames() / (double) mix.sampleRate() / PanMemory.MEMORY_SECONDS));
        }
        lastTrack = track; // workspace memory: valid until the next call, as the stems are
        if (carryRegister) {
            addToRegister(register, track, frames, Math.exp(-mix.clip().frames() / (double) mix.sampleRate()
                    / PanMemory.MEMORY_SECONDS), minHz, 12 * stepsPerSemitone);
        }

        // harmonic comb masks: each harmonic's Gaussian centred on the spectral peak found near h*f0 (parabolic
        // interpolation of the log magnitude), which follows detuning and inharmonicity the pitch grid cannot
        float[][] comb = ws.floats(frames, bins);
        int maxH = harmonics * 3;
        double[] centre = ws.doubles(maxH), peak = ws.doubles(maxH);
        float[] tmp = ws.floats(5);
        double cents = mono && !Double.isNaN(monoWidthCents) ? monoWidthCents : widthCents;
        double[] topHz = ws.doubles(frames);
        java.util.Arrays.fill(topHz, maxHarmonicHz);
        double toHz = mono ? monoExtendHz : extendHz;
        if (toHz > maxHarmonicHz) {
            extendedTops(mag, available, a, bins, binHz, track, frames, toHz, mono ? monoExtendRatio : extendRatio,
                    mono ? monoExtendShare : extendShare, topHz);
        }
        combs(mag, available, a, bins, binHz, track, cents, mono ? monoSpacingCap : 0, mono ? monoValleys : 0, frames,
                maxH, centre, peak, tmp, topHz, comb);
        if (mono && monoReleaseTail > 0) releaseTail(comb, frames, bins, (float) monoReleaseTail);
        if (mono && monoHeldParts > 0) {
            float[][] before = ws.floats(frames, bins);
            for (int f = 0; f < frames; f++) System.arraycopy(comb[f], 0, before[f], 0, bins);
            heldParts(before, mag, available, frames, bins, monoHeldParts, heldPartsReach, comb);
        }
        float[][] pan = mix.pan();
        if (pan != null) {
            double[] hist = ws.doubles(101);
            panHistogram(comb, mag, available, pan, frames, bins, hist);
            lastPan = panMemory.update(hist, mix.clip().frames() / (double) mix.sampleRate());
            panWeight(comb, pan, frames, bins, lastPan, panWidth, panFloor);
        } else {
            lastPan = Double.NaN;
        }
        multiply(comb, available, frames, bins);
        out.put(name, comb);
        return out;
    }

    /** Each frame's comb at least {@code share} times the frame before's (see {@link #monoReleaseTail}). */
    private static void releaseTail(float[][] comb, int frames, int bins, float share) {
        for (int f = 1; f < frames; f++) releaseTail(comb[f], comb[f - 1], bins, share);
    }

    private static void releaseTail(float[] comb, float[] before, int bins, float share) {
        for (int b = 0; b < bins; b++) comb[b] = Math.max(comb[b], share * before[b]);
    }

    /** Below this a frame's comb counts as leaving the bin to the accompaniment ({@link #monoHeldParts}). */
    private static final float LEFT_TO_OTHERS = 0.2f;

    /**
     * {@code comb} (equal to {@code before} on entry) scaled by the share of each bin above a held part's level (see
     * {@link #monoHeldParts}); the frames the lead leaves a bin to are found in the unscaled {@code before}.
     */
    private static void heldParts(float[][] before, float[][] mag, float[][] available, int frames, int bins,
                                  double share, int reach, float[][] comb) {
        for (int f = 0; f < frames; f++) heldParts(before, mag, available, f, frames, bins, share, reach, comb[f]);
    }

    private static void heldParts(float[][] comb, float[][] mag, float[][] available, int f, int frames, int bins,
                                  double share, int reach, float[] c) {
        int first = Math.max(0, f - reach), last = Math.min(frames - 1, f + reach);
        for (int b = 0; b < bins; b++) {
            if (c[b] <= 0.01f) continue;
            double a = mag[f][b] * available[f][b];
            if (a <= 0) continue;
            int g = f - 1;
            while (g >= first && comb[g][b] >= LEFT_TO_OTHERS) g--;
            if (g < first) continue;
            int h = f + 1;
            while (h <= last && comb[h][b] >= LEFT_TO_OTHERS) h++;
            if (h > last) continue;
            double level = Math.min(mag[g][b] * available[g][b], mag[h][b] * available[h][b]);
            if (level > 0) c[b] *= (float) Math.max(0, 1 - share * level / a);
        }
    }

    /**
     * The first grid step not discounted: {@code belowSteps} under the median of {@code register}, or 0 while it
     * holds fewer than {@code minFrames} voiced frames (the lead's register is not known yet).
     */
    static int registerCut(double[] register, double minFrames, double belowSteps) {
        double total = 0;
        for (double v : register) total += v;
        if (total < minFrames) return 0;
        double half = 0.5 * total, sum = 0;
        int median = 0;
        while (median < register.length - 1 && (sum += register[median]) < half) median++;
        return Math.max(0, median - (int) Math.round(belowSteps));
    }

    /** Each frame's candidates below {@code cut} keep {@code keep} of their salience; the frame maxima follow. */
    private static void discountBelow(float[][] sal, double[] frameMax, int frames, int k, int cut, float keep) {
        for (int f = 0; f < frames; f++) frameMax[f] = discountBelow(sal[f], k, cut, keep);
    }

    private static double discountBelow(float[] sal, int k, int cut, float keep) {
        double mx = 0;
        for (int i = 0; i < k; i++) {
            if (i < cut) sal[i] *= keep;
            mx = Math.max(mx, sal[i]);
        }
        return mx;
    }

    /**
     * Each run of voiced frames of {@code track} moved an octave up where its partials there are closer to the
     * carried timbre than {@link #timbreOctave} times at the tracked pitch, else an octave down where they are so
     * there (distances summed over the run's frames whose octave lies in the pitch range and whose fundamental, at the
     * lower of the two pitches compared, the steps before left; see {@link #monoTimbreOctave}).
     */
    void octaveByTimbre(float[][] mag, float[][] available, float[] a, int bins, double binHz, double[] track,
                        int frames, double[] profile) {
        for (int end, f = nextVoiced(track, 0, frames); f < frames; f = nextVoiced(track, end, frames)) {
            end = runEnd(track, f, frames, RUN_BREAK_SEMITONES);
            double atUp = 0, up = 0, atDown = 0, down = 0;
            for (int g = f; g < end; g++) {
                availableMagnitude(mag[g], available[g], a, bins);
                double at = distanceAt(a, bins, binHz, track[g], profile);
                if (Double.isNaN(at)) continue;
                if (2 * track[g] <= maxHz && fundamentalAvailable(available[g], bins, binHz, track[g])) {
                    double d = distanceAt(a, bins, binHz, 2 * track[g], profile);
                    if (!Double.isNaN(d)) {
                        atUp += at;
                        up += d;
                    }
                }
                if (track[g] / 2 >= minHz && fundamentalAvailable(available[g], bins, binHz, track[g] / 2)) {
                    double d = distanceAt(a, bins, binHz, track[g] / 2, profile);
                    if (!Double.isNaN(d)) {
                        atDown += at;
                        down += d;
                    }
                }
            }
            if (atUp > 0 && up < timbreOctave * atUp) {
                for (int g = f; g < end; g++) if (2 * track[g] <= maxHz) track[g] *= 2;
            } else if (atDown > 0 && down < timbreOctave * atDown) {
                for (int g = f; g < end; g++) if (track[g] / 2 >= minHz) track[g] /= 2;
            }
        }
    }

    /**
     * Each note of {@code track} whose fundamental the mixture {@code mag} lacks moved up to the first of {@link
     * #FUNDAMENTAL_UP} times its pitch where it has one, else unvoiced ({@link #monoFundamentalCheck}).
     */
    void checkFundamentals(float[][] mag, int bins, double binHz, double[] track, int frames) {
        checkFundamentals(mag, bins, binHz, track, frames, fundamentalShare, 0, true);
    }

    /**
     * {@link #checkFundamentals} with {@code share}; notes under {@code floor} keep their pitch, and where {@code
     * unvoice} is false so does a note with no fundamental above ({@link #stereoFundamentalCheck}).
     */
    void checkFundamentals(float[][] mag, int bins, double binHz, double[] track, int frames, double share,
                           double floor, boolean unvoice) {
        for (int end, f = nextVoiced(track, 0, frames); f < frames; f = nextVoiced(track, end, frames)) {
            end = runEnd(track, f, frames, NOTE_BREAK_SEMITONES);
            double own = meanFundamentalShare(mag, bins, binHz, track, f, end, 1, maxHz);
            if (own < share && !(own < floor)) {
                double move = unvoice ? 0 : 1;
                for (double up : FUNDAMENTAL_UP) {
                    if (meanFundamentalShare(mag, bins, binHz, track, f, end, up, maxHz) >= share) {
                        move = up;
                        break;
                    }
                }
                for (int g = f; g < end; g++) track[g] *= move;
            }
        }
    }

    /**
     * Each note of {@code track} starting at or above {@code minHz} of whose partials the steps before took more than
     * {@code share} unvoiced ({@link #takenVoicing}).
     */
    static void unvoiceTaken(float[][] mag, float[][] available, int bins, double binHz, double[] track, int frames,
                             double share, double minHz, double keepShare, double keepHz) {
        for (int end, f = nextVoiced(track, 0, frames); f < frames; f = nextVoiced(track, end, frames)) {
            end = runEnd(track, f, frames, NOTE_BREAK_SEMITONES);
            if (track[f] < minHz) continue; // not judged: see takenVoicingMonoMinBins
            double all = 0, left = 0;
            for (int g = f; g < end; g++) {
                for (int h = 1; h <= FUNDAMENTAL_PARTIALS; h++) {
                    int b0 = (int) (h * track[g] / binHz);
                    for (int b = b0; b <= Math.min(bins - 1, b0 + 1); b++) {
                        all += mag[g][b];
                        left += mag[g][b] * available[g][b];
                    }
                }
            }
            if (all > 0 && all - left > share * all
                    && !(keepShare > 0 && ownAbove(mag, available, bins, binHz, track, f, end, keepHz) >= keepShare * all)) {
                java.util.Arrays.fill(track, f, end, 0);
            }
        }
    }

    /**
     * The note's own magnitude at or above {@code hz} over frames from..end-1 ({@link #takenVoicingKeep}): at each of
     * partials {@link #KEEP_FIRST_PARTIAL}-{@link #KEEP_LAST_PARTIAL} there, what the steps before left at the two bins
     * around it less what they left at the two bins around the point halfway to the next partial, where positive.
     */
    static double ownAbove(float[][] mag, float[][] available, int bins, double binHz, double[] track, int from,
                           int end, double hz) {
        double own = 0;
        if (track[from] < KEEP_MIN_BINS * binHz) return 0;
        for (int g = from; g < end; g++) {
            for (int h = KEEP_FIRST_PARTIAL; h <= KEEP_LAST_PARTIAL; h++) {
                if (h * track[g] < hz) continue;
                int p = (int) (h * track[g] / binHz), q = (int) ((h + 0.5) * track[g] / binHz);
                if (q + 1 >= bins) break;
                double at = 0, between = 0;
                for (int b = p; b <= p + 1; b++) at += mag[g][b] * available[g][b];
                for (int b = q; b <= q + 1; b++) between += mag[g][b] * available[g][b];
                own += Math.max(0, at - between);
            }
        }
        return own;
    }

    /** The pitch ratios {@link #monoFundamentalCheck} tries above a note whose fundamental is missing. */
    static final double[] FUNDAMENTAL_UP = {2, 3};

    /**
     * The mean over frames from..end-1 of {@code track} of {@link #fundamentalShare} at {@code ratio} times their
     * pitch (NaN: no frame has one, or a pitch passes {@code maxHz}).
     */
    static double meanFundamentalShare(float[][] mag, int bins, double binHz, double[] track, int from, int end,
                                       double ratio, double maxHz) {
        double total = 0;
        int n = 0;
        for (int g = from; g < end; g++) {
            if (ratio * track[g] > maxHz) return Double.NaN;
            double share = fundamentalShare(mag[g], bins, binHz, ratio * track[g]);
            if (Double.isNaN(share)) continue;
            total += share;
            n++;
        }
        return n > 0 ? total / n : Double.NaN;
    }

    /**
     * The magnitude at {@code pitch} over the sum at its first {@link #FUNDAMENTAL_PARTIALS} partials, each the larger
     * of the two bins around it (NaN: the partials reach past the last bin, or sum to 0).
     */
    static double fundamentalShare(float[] a, int bins, double binHz, double pitch) {
        double first = 0, sum = 0;
        for (int h = 1; h <= FUNDAMENTAL_PARTIALS; h++) {
            int b0 = (int) (h * pitch / binHz);
            if (b0 + 1 >= bins) return Double.NaN;
            double v = Math.max(a[b0], a[b0 + 1]);
            if (h == 1) first = v;
            sum += v;
        }
        return sum > 0 ? first / sum : Double.NaN;
    }

    /** The first voiced frame of {@code track} at or after {@code from} ({@code frames} if none). */
    public static int nextVoiced(double[] track, int from, int frames) {
        while (from < frames && track[from] <= 0) from++;
        return from;
    }

    /**
     * The end (exclusive) of the run of voiced frames of {@code track} from voiced frame {@code from}: it stops at an
     * unvoiced frame or a step between neighbouring frames of more than {@code breakSemitones}.
     */
    public static int runEnd(double[] track, int from, int frames, double breakSemitones) {
        double limit = breakSemitones / 12 * Math.log(2);
        int end = from + 1;
        while (end < frames && track[end] > 0 && Math.abs(Math.log(track[end] / track[end - 1])) <= limit) end++;
        return end;
    }

    /** Each note of {@code track} whose mean distance to the carried timbre exceeds {@link #timbreVoicing} unvoiced. */
    void unvoiceByTimbre(float[][] mag, float[][] available, float[] a, int bins, double binHz, double[] track,
                         int frames, double[] profile) {
        for (int end, f = nextVoiced(track, 0, frames); f < frames; f = nextVoiced(track, end, frames)) {
            end = runEnd(track, f, frames, NOTE_BREAK_SEMITONES);
            double sum = 0;
            int n = 0;
            for (int g = f; g < end; g++) {
                if (track[g] < timbreVoicingBins * binHz) continue;
                availableMagnitude(mag[g], available[g], a, bins);
                double d = distanceAt(a, bins, binHz, track[g], profile);
                if (Double.isNaN(d)) continue;
                sum += d;
                n++;
            }
            if (n > 0 && sum > timbreVoicing * n) java.util.Arrays.fill(track, f, end, 0);
        }
    }

    /** The distance of one frame's profile at {@code pitch} to the carried timbre (NaN: undefined). */
    private double distanceAt(float[] a, int bins, double binHz, double pitch, double[] profile) {
        if (!timbreProfile(a, bins, binHz, pitch, maxHarmonicHz, profile)) return Double.NaN;
        return profileDistance(profile, timbre, timbreCount);
    }

    /** The carried timbre decayed by {@code decay}, then each voiced frame's profile at its tracked pitch added. */
    void addToTimbre(float[][] mag, float[][] available, float[] a, int bins, double binHz, double[] track,
                     int frames, double[] profile, double decay) {
        for (int h = 0; h < TIMBRE_PARTIALS; h++) {
            timbre[h] *= decay;
            timbreCount[h] *= decay;
        }
        timbreFrames *= decay;
        for (int f = 0; f < frames; f++) {
            if (track[f] <= 0) continue;
            availableMagnitude(mag[f], available[f], a, bins);
            if (!timbreProfile(a, bins, binHz, track[f], maxHarmonicHz, profile)) continue;
            for (int h = 0; h < TIMBRE_PARTIALS; h++) {
                if (Double.isNaN(profile[h])) continue;
                timbre[h] += profile[h];
                timbreCount[h] += 1;
            }
            timbreFrames += 1;
        }
    }

    /**
     * One frame's partial profile at {@code pitch}: the magnitudes at its first {@code profile.length} harmonics (the
     * larger of the two bins around {@code h pitch}, as the salience reads them), normalised to sum to 1 over the
     * partials up to {@code maxHz}; NaN above it. False: none to read, or they sum to 0.
     */
    static boolean timbreProfile(float[] a, int bins, double binHz, double pitch, double maxHz, double[] profile) {
        double sum = 0;
        for (int h = 1; h <= profile.length; h++) {
            double hz = h * pitch;
            int b0 = (int) (hz / binHz);
            boolean there = hz <= maxHz && b0 + 1 < bins;
            double v = there ? Math.max(a[b0], a[b0 + 1]) : Double.NaN;
            profile[h - 1] = v;
            if (there) sum += v;
        }
        if (!(sum > 0)) return false;
        for (int h = 0; h < profile.length; h++) profile[h] /= sum;
        return true;
    }

    /**
     * Whether the steps before left at least half of the two bins around {@code pitch} (the bins its profile reads
     * the fundamental in): where the bass's band took a low pitch's fundamental, the profile there lacks its first
     * partial, which an octave up it does not read, and a lead's own low notes would look an octave low.
     */
    static boolean fundamentalAvailable(float[] available, int bins, double binHz, double pitch) {
        int b0 = (int) (pitch / binHz);
        return b0 + 1 < bins && available[b0] >= 0.5f && available[b0 + 1] >= 0.5f;
    }

    /**
     * The L1 distance between a profile and the carried one (per partial {@code sums} over {@code counts} frames,
     * their mean), both normalised to sum to 1 over the partials both have; NaN where they share fewer than {@link
     * #MIN_SHARED_PARTIALS} or either sums to 0 there.
     */
    static double profileDistance(double[] profile, double[] sums, double[] counts) {
        double p = 0, m = 0;
        int shared = 0;
        for (int h = 0; h < profile.length; h++) {
            if (Double.isNaN(profile[h]) || !(counts[h] > 0)) continue;
            p += profile[h];
            m += sums[h] / counts[h];
            shared++;
        }
        if (shared < MIN_SHARED_PARTIALS || !(p > 0) || !(m > 0)) return Double.NaN;
        double d = 0;
        for (int h = 0; h < profile.length; h++) {
            if (Double.isNaN(profile[h]) || !(counts[h] > 0)) continue;
            d += Math.abs(profile[h] / p - sums[h] / counts[h] / m);
        }
        return d;
    }

    /** Fewer shared partials than this give no timbre distance ({@link #profileDistance}). */
    static final int MIN_SHARED_PARTIALS = 4;

    /** The register decayed by {@code decay}, then each voiced frame of {@code track} counted at its grid step. */
    static void addToRegister(double[] register, double[] track, int frames, double decay, double minHz,
                              int stepsPerOctave) {
        for (int i = 0; i < register.length; i++) register[i] *= decay;
        for (int f = 0; f < frames; f++) {
            if (track[f] <= 0) continue;
            int i = (int) Math.round(stepsPerOctave * Math.log(track[f] / minHz) / Math.log(2));
            register[Math.max(0, Math.min(register.length - 1, i))] += 1;
        }
    }

    private static void pitchGrid(double[] f0, int k, double minHz, int stepsPerSemitone) {
        for (int i = 0; i < k; i++) f0[i] = minHz * Math.pow(2, i / (12.0 * stepsPerSemitone));
    }

    /** Every frame's salience into {@code sal} and its maximum into {@code frameMax}. */
    private void salience(float[][] mag, float[][] available, float[][] pan, boolean subharmonics, float[] a, int bins,
                          double binHz, double[] f0, int k, float[][] sal, double[] frameMax, int frames,
                          org.stemroom.separation.Workspace ws) {
        double maxHarmonic = Math.min(maxHarmonicHz, evidenceMaxHz);
        // the salience reads bins up to the one above the highest harmonic: weight only those
        int evidenceBins = Math.min(bins, (int) Math.ceil(maxHarmonic / binHz) + 2);
        // where each candidate's harmonics fall is the same in every frame: found once per window, not per frame
        int h = Math.max(harmonics, 0);
        int[] count = ws.ints(1, k)[0];
        int[] bin = ws.ints(1, Math.max(k * h, 1))[0];
        double[] frac = ws.doubles(Math.max(k * h, 1));
        double[] weight = ws.doubles(Math.max(h, 1));
        harmonicGrid(bins, binHz, f0, k, maxHarmonic, h, alpha, count, bin, frac, weight);
        for (int f = 0; f < frames; f++) {
            availableMagnitude(mag[f], available[f], a, bins);
            if (pan != null) panWeight(a, pan[f], evidenceBins, lastPan, panWidth, salienceFloor);
            frameMax[f] = interpolatedSalience ? salienceInterpolated(a, k, h, count, bin, frac, weight, sal[f])
                    : salience(a, k, h, count, bin, weight, sal[f]);
            if (subharmonics) frameMax[f] = penaliseSubharmonics(sal[f], k, 12 * stepsPerSemitone, subharmonicPenalty);
        }
    }

    /**
     * Where each candidate's harmonics fall, for the salience (the weighted sum of the magnitudes at its harmonics):
     * how many count ({@code count[i]}: those up to {@code maxHarmonic} with a bin above them), the lower of the two
     * bins around each ({@code bin[i h + j]}), the fraction of a bin above it ({@code frac}), and the weights {@code
     * alpha^j} ({@code weight[j]}, by repeated multiplication). It depends only on the pitch grid and the bin width, so
     * it is computed once per window; the salience reads the same doubles as a per-frame computation would
     * ({@code LeadSalienceGridTest} checks the bits).
     */
    static void harmonicGrid(int bins, double binHz, double[] f0, int k, double maxHarmonic, int harmonics,
                             double alpha, int[] count, int[] bin, double[] frac, double[] weight) {
        double w = 1;
        for (int j = 0; j < harmonics; j++) {
            weight[j] = w;
            w *= alpha;
        }
        for (int i = 0; i < k; i++) {
            int n = 0;
            for (int h = 1; h <= harmonics; h++) {
                double hz = h * f0[i];
                if (hz > maxHarmonic) break;
                double pos = hz / binHz;
                int b0 = (int) pos;
                if (b0 + 1 >= bins) break;
                bin[i * harmonics + n] = b0;
                frac[i * harmonics + n] = pos - b0;
                n++;
            }
            count[i] = n;
        }
    }

    /**
     * One frame's harmonic-summation salience of every candidate pitch into {@code sal} from the harmonic grid; returns
     * its maximum. Each harmonic reads the larger of the two bins around {@code h f0} (see the interpolated form).
     */
    static double salience(float[] a, int k, int harmonics, int[] count, int[] bin, double[] weight, float[] sal) {
        double mx = 0;
        for (int i = 0; i < k; i++) {
            double s = 0;
            for (int j = 0, o = i * harmonics; j < count[i]; j++) {
                int b0 = bin[o + j];
                s += weight[j] * Math.max(a[b0], a[b0 + 1]);
            }
            sal[i] = (float) s;
            mx = Math.max(mx, s);
        }
        return mx;
    }

    /**
     * {@link #salience(float[], int, int, int[], int[], double[], float[])} with the magnitude linearly interpolated at
     * {@code h f0} (the two-bin maximum scores every candidate up to a bin flat of a partial alike, so the lowest wins:
     * see {@link #interpolatedSalience}).
     */
    static double salienceInterpolated(float[] a, int k, int harmonics, int[] count, int[] bin, double[] frac,
                                       double[] weight, float[] sal) {
        double mx = 0;
        for (int i = 0; i < k; i++) {
            double s = 0;
            for (int j = 0, o = i * harmonics; j < count[i]; j++) {
                int b0 = bin[o + j];
                s += weight[j] * (a[b0] + frac[o + j] * (a[b0 + 1] - a[b0]));
            }
            sal[i] = (float) s;
            mx = Math.max(mx, s);
        }
        return mx;
    }

    /** The best pitch path through the salience (0 Hz where unvoiced) into {@code track}. */
    private void viterbi(float[][] sal, double ref, double voicing, double jumpPerSemitone, double[] score,
                         double[] next, int[][] back, double[] dt, int[] arg, int k, int frames, double[] f0,
                         double[] track) {
        double lambda = jumpPerSemitone / stepsPerSemitone;
        double unvoicedEmission = Math.log(voicing);
        initialScore(score, sal[0], k, ref, unvoicedEmission);
        for (int f = 1; f < frames; f++) {
            distanceTransform(score, dt, arg, k, lambda);
            viterbiStep(score, next, dt, arg, sal[f], back[f], k, ref, unvoicedEmission);
            double[] t = score; score = next; next = t;
        }
        backtrack(back, best(score, k), k, frames, f0, track);
    }

    private static void initialScore(double[] score, float[] sal, int k, double ref, double unvoicedEmission) {
        for (int i = 0; i < k; i++) score[i] = Math.log(sal[i] / ref + 1e-3);
        score[k] = unvoicedEmission;
    }

    /** The first state of the highest score among states 0..k. */
    private static int best(double[] score, int k) {
        int state = 0;
        for (int i = 1; i <= k; i++) if (score[i] > score[state]) state = i;
        return state;
    }

    private static void backtrack(int[][] back, int state, int k, int frames, double[] f0, double[] track) {
        for (int f = frames - 1; f >= 0; f--) {
            track[f] = state == k ? 0 : f0[state];
            state = back[f][state];
        }
    }

    /** Each note's frames' comb top raised to {@code extendHz} where its partials above the top stand out. */
    private void extendedTops(float[][] mag, float[][] available, float[] a, int bins, double binHz, double[] track,
                              int frames, double extendHz, double extendRatio, double extendShare, double[] topHz) {
        for (int end, f = nextVoiced(track, 0, frames); f < frames; f = nextVoiced(track, end, frames)) {
            end = runEnd(track, f, frames, NOTE_BREAK_SEMITONES);
            int there = 0, judged = 0;
            for (int g = f; g < end; g++) {
                // only the bins the judged harmonics and their upper midpoints read, not the whole frame
                int read = Math.min(bins, (int) Math.ceil((extendHz + 0.5 * track[g]) / binHz) + 2);
                availableMagnitude(mag[g], available[g], a, read);
                long counts = partialsStandingOut(a, read, track[g] / binHz, maxHarmonicHz / binHz, extendHz / binHz,
                        extendRatio);
                there += (int) (counts >>> 32);
                judged += (int) counts;
            }
            if (judged > 0 && there >= extendShare * judged) {
                for (int g = f; g < end; g++) topHz[g] = extendHz;
            }
        }
    }

    /**
     * Of the harmonics of a pitch {@code step} bins whose centres lie above {@code from} and at most {@code to} (bins),
     * how many have their peak (largest of {@code a} within a bin of the centre) at least {@code ratio} times above
     * both midpoints to the neighbouring harmonics (linear interpolation of {@code a}): that count in the high 32 bits,
     * the harmonics judged in the low.
     */
    static long partialsStandingOut(float[] a, int bins, double step, double from, double to, double ratio) {
        int there = 0, judged = 0;
        for (int h = (int) Math.floor(from / step) + 1; h * step <= to; h++) {
            double c = h * step, hi = c + 0.5 * step;
            if (hi + 1 >= bins) break;
            int k = (int) Math.round(c);
            double peak = Math.max(a[k], Math.max(a[k - 1], a[k + 1]));
            double mid = Math.max(interpolated(a, c - 0.5 * step), interpolated(a, hi));
            judged++;
            if (peak > 0 && peak >= ratio * mid) there++;
        }
        return ((long) there << 32) | judged;
    }

    private static double interpolated(float[] a, double x) {
        int i = (int) Math.floor(x);
        double t = x - i;
        return (1 - t) * a[i] + t * a[i + 1];
    }

    /** The comb masks of every voiced frame into {@code comb}, each frame's up to its {@code topHz}. */
    private void combs(float[][] mag, float[][] available, float[] a, int bins, double binHz, double[] track, double cents,
                       double spacingCap, double valleys, int frames, int maxH, double[] centre, double[] peak,
                       float[] tmp, double[] topHz, float[][] comb) {
        double centsRatio = Math.pow(2, cents / 1200) - 1;
        double searchRatio = Math.pow(2, searchCents / 1200) - 1;
        for (int f = 0; f < frames; f++) {
            if (track[f] <= 0) continue;
            availableMagnitude(mag[f], available[f], a, bins);
            double glide = slopeWidth > 0 ? slopeWidth * glideBins(track, f, frames, binHz) : 0;
            int top = lastAvailable(available[f], bins);
            int nh = combFrame(a, bins, top, binHz, track[f], maxH, searchRatio, centsRatio, glide, spacingCap, centre,
                    peak, tmp, topHz[f], comb[f]);
            if (valleys > 0 && nh > 1) valleys(comb[f], a, top, centre, nh, valleys);
        }
    }

    /**
     * How far (bins) the fundamental moves over one STFT frame (four hops) at frame {@code f}, from the voiced track
     * two frames either side (the grid's steps are a fifth of a semitone: one frame's difference is mostly
     * quantisation); 0 where a neighbour is unvoiced.
     */
    private static double glideBins(double[] track, int f, int frames, double binHz) {
        int lo = Math.max(0, f - 2), hi = Math.min(frames - 1, f + 2);
        if (hi == lo || track[lo] <= 0 || track[hi] <= 0) return 0;
        return 4 * Math.abs(track[hi] - track[lo]) / (hi - lo) / binHz;
    }

    private static void availableMagnitude(float[] mag, float[] available, float[] a, int bins) {
        for (int b = 0; b < bins; b++) a[b] = mag[b] * available[b];
    }

    /**
     * Each candidate's salience less {@code penalty} times the salience of the pitch an octave above (Klapuri's
     * subtraction of the explained partials, in one step): at half the true pitch the even harmonics are the true
     * partials and the odd ones fall between them, on the accompaniment, which can make the sub-octave win; the
     * octave above explains those same partials, so subtracting it leaves the sub-octave little. Ascending, in place
     * (the octave above is read before it is changed); returns the new maximum.
     */
    private static double penaliseSubharmonics(float[] sal, int k, int octave, double penalty) {
        double mx = 0;
        for (int i = 0; i < k; i++) {
            if (i + octave < k) sal[i] = (float) Math.max(0, sal[i] - penalty * sal[i + octave]);
            mx = Math.max(mx, sal[i]);
        }
        return mx;
    }

    /** The best predecessor of each voiced state under the linear jump penalty (two sweeps), into dt / arg. */
    private static void distanceTransform(double[] score, double[] dt, int[] arg, int k, double lambda) {
        for (int i = 0; i < k; i++) { dt[i] = score[i]; arg[i] = i; }
        for (int i = 1; i < k; i++) {
            if (dt[i - 1] - lambda > dt[i]) { dt[i] = dt[i - 1] - lambda; arg[i] = arg[i - 1]; }
        }
        for (int i = k - 2; i >= 0; i--) {
            if (dt[i + 1] - lambda > dt[i]) { dt[i] = dt[i + 1] - lambda; arg[i] = arg[i + 1]; }
        }
    }

    /** One Viterbi step: {@code next} and the back-pointers of one frame from {@code score} of the frame before. */
    private static void viterbiStep(double[] score, double[] next, double[] dt, int[] arg, float[] sal, int[] back,
                                    int k, double ref, double unvoicedEmission) {
        double switchCost = 1.0;
        for (int i = 0; i < k; i++) {
            double fromUnvoiced = score[k] - switchCost;
            double e = Math.log(sal[i] / ref + 1e-3);
            if (dt[i] >= fromUnvoiced) { next[i] = dt[i] + e; back[i] = arg[i]; }
            else { next[i] = fromUnvoiced + e; back[i] = k; }
        }
        int best = 0;
        for (int i = 1; i < k; i++) if (score[i] > score[best]) best = i;
        if (score[best] - switchCost > score[k]) { next[k] = score[best] - switchCost + unvoicedEmission; back[k] = best; }
        else { next[k] = score[k] + unvoicedEmission; back[k] = k; }
    }

    /**
     * The highest bin with anything available (-1: none). The steps before take whole bands (the drums everything
     * above their high split), and the lead's mask is multiplied by what is available, so no Gaussian needs to be
     * evaluated above this bin: the masks come out the same, and the wide masks of high partials cost nothing there.
     */
    private static int lastAvailable(float[] available, int bins) {
        int top = bins - 1;
        while (top >= 0 && available[top] == 0) top--;
        return top;
    }

    /**
     * One voiced frame's comb mask (the maximum of its partials' Gaussians) into {@code comb}, bins 0 to top; returns
     * the number of partials, whose centres (bins) it leaves in {@code centre}.
     */
    private int combFrame(float[] a, int bins, int top, double binHz, double pitch, int maxH, double searchRatio,
                           double centsRatio, double glide, double spacingCap, double[] centre, double[] peak, float[] tmp,
                           double topHz, float[] comb) {
        int nh = 0;
        double anchorPeak = 0;
        for (int h = 1; h <= maxH; h++) {
            double hz = h * pitch;
            if (hz > topHz) break;
            double c = hz / binHz;
            if (c + 1 >= bins) break;
            if (peakCentred) {
                int best = nearestPeak(a, bins, c, searchRatio);
                if (best <= 0 && anchorCap > 0 && hz >= combMinHz) continue;
                if (best > 0) c = refinePeak(a, best);
            }
            if (hz < combMinHz) {
                anchorPeak = Math.max(anchorPeak, a[(int) Math.round(c)]);
                continue;
            }
            centre[nh] = c;
            peak[nh] = a[(int) Math.round(c)];
            nh++;
        }
        for (int q = 0; q < nh; q++) {
            double w = 1;
            if (envelopePower > 0) w = envelopeWeight(peak, q, nh, tmp, envelopePower);
            if (anchorCap > 0) w = Math.min(w, peak[q] > 0 ? anchorCap * anchorPeak / peak[q] : 0);
            double sigma = Math.hypot(widthBins, centre[q] * centsRatio);
            // the partial's glide over the frame: h times the fundamental's (h from the partial's centre)
            if (glide > 0) sigma = Math.hypot(sigma, glide * centre[q] * binHz / pitch);
            if (spacingCap > 0) sigma = Math.min(sigma, Math.max(widthBins, spacingCap * pitch / binHz));
            gaussian(comb, top + 1, centre[q], sigma, w);
        }
        return nh;
    }

    /**
     * The comb's bins around each partial scaled by {@code max(0, 1 - share * level / |X|)}, with the level of the
     * accompaniment around that partial ({@link #monoValleys}); each partial owns the bins up to halfway to its
     * neighbours. A partial with no gap of at least {@link #MIN_GAP_BINS} on either side keeps its mask.
     */
    static void valleys(float[] comb, float[] a, int top, double[] centre, int nh, double share) {
        double before = Double.NaN;
        for (int q = 0; q < nh; q++) {
            double after = q + 1 < nh ? gapLevel(a, centre[q], centre[q + 1]) : Double.NaN;
            double level = Double.isNaN(before) ? after : Double.isNaN(after) ? before : Math.min(before, after);
            if (level > 0) {
                double lo = q > 0 ? 0.5 * (centre[q - 1] + centre[q]) : centre[q] - 0.5 * (centre[1] - centre[0]);
                double hi = q + 1 < nh ? 0.5 * (centre[q] + centre[q + 1]) : centre[q] + 0.5 * (centre[q] - centre[q - 1]);
                int b1 = Math.min(top, (int) Math.floor(hi));
                for (int b = Math.max(0, (int) Math.ceil(lo)); b <= b1; b++) {
                    if (comb[b] > 0 && a[b] > 0) comb[b] *= (float) Math.max(0, 1 - share * level / a[b]);
                }
            }
            before = after;
        }
    }

    /** Partials closer than this (bins) leave no gap to read the accompaniment in. */
    static final double MIN_GAP_BINS = 3;

    /** The mean magnitude over the middle third between two partials' centres (NaN: they are too close). */
    static double gapLevel(float[] a, double c0, double c1) {
        if (!(c1 - c0 >= MIN_GAP_BINS)) return Double.NaN;
        int lo = (int) Math.ceil(c0 + (c1 - c0) / 3), hi = (int) Math.floor(c1 - (c1 - c0) / 3);
        if (hi < lo) return Double.NaN;
        double sum = 0;
        for (int b = lo; b <= hi; b++) sum += a[b];
        return sum / (hi - lo + 1);
    }

    /** The strongest local maximum of a[] within the search reach of bin {@code c}, or -1. */
    private static int nearestPeak(float[] a, int bins, double c, double searchRatio) {
        int reach = (int) Math.max(1, Math.round(c * searchRatio));
        int lo = Math.max(1, (int) Math.round(c) - reach), hi = Math.min(bins - 2, (int) Math.round(c) + reach);
        int best = -1;
        for (int b = lo; b <= hi; b++) {
            if (a[b] >= a[b - 1] && a[b] >= a[b + 1] && (best < 0 || a[b] > a[best])) best = b;
        }
        return best;
    }

    /** The peak's centre by parabolic interpolation of the log magnitude, at most half a bin from {@code best}. */
    private static double refinePeak(float[] a, int best) {
        double l = Math.log(a[best - 1] + 1e-12), m0 = Math.log(a[best] + 1e-12), r = Math.log(a[best + 1] + 1e-12);
        double den = l - 2 * m0 + r;
        double d = den < 0 ? 0.5 * (l - r) / den : 0;
        return best + Math.max(-0.5, Math.min(0.5, d));
    }

    /**
     * A partial far above the smooth envelope of its neighbours collides with another source: keep only the
     * envelope's share of it.
     */
    private static double envelopeWeight(double[] peak, int q, int nh, float[] tmp, double power) {
        int lo = Math.max(0, q - 2), hi = Math.min(nh - 1, q + 2), m = 0;
        for (int j = lo; j <= hi; j++) tmp[m++] = (float) peak[j];
        double env = MedianFilter.select(tmp, m);
        if (peak[q] > env && peak[q] > 0) return Math.pow(env / peak[q], power);
        return 1;
    }

    private static void gaussian(float[] comb, int bins, double c, double sigma, double w) {
        int lo = Math.max(0, (int) Math.floor(c - 3 * sigma)), hi = Math.min(bins - 1, (int) Math.ceil(c + 3 * sigma));
        for (int b = lo; b <= hi; b++) {
            double d = (b - c) / sigma;
            float g = (float) (w * Math.exp(-0.5 * d * d));
            if (g > comb[b]) comb[b] = g;
        }
    }

    private static void panHistogram(float[][] comb, float[][] mag, float[][] available, float[][] pan, int frames,
                                     int bins, double[] hist) {
        for (int f = 0; f < frames; f++) panHistogram(comb[f], mag[f], available[f], pan[f], bins, hist);
    }

    private static void panHistogram(float[] comb, float[] mag, float[] available, float[] pan, int bins,
                                     double[] hist) {
        for (int b = 0; b < bins; b++) {
            if (comb[b] < 0.5f) continue;
            double e = mag[b] * available[b];
            hist[(int) Math.round(pan[b] * 100)] += e * e;
        }
    }

    private static void panWeight(float[][] comb, float[][] pan, int frames, int bins, double centre, double width,
                                  double floor) {
        for (int f = 0; f < frames; f++) panWeight(comb[f], pan[f], bins, centre, width, floor);
    }

    private static void panWeight(float[] comb, float[] pan, int bins, double centre, double width, double floor) {
        for (int b = 0; b < bins; b++) {
            if (comb[b] == 0) continue;
            comb[b] *= PanMemory.weight(pan[b], centre, width, floor);
        }
    }

    private static void multiply(float[][] comb, float[][] available, int frames, int bins) {
        for (int f = 0; f < frames; f++) multiply(comb[f], available[f], bins);
    }

    private static void multiply(float[] comb, float[] available, int bins) {
        for (int b = 0; b < bins; b++) comb[b] *= available[b];
    }

    /** The k-th smallest of a[] (what sorting and indexing would give), by quickselect; reorders a. */
    static double orderStatistic(double[] a, int k) {
        int lo = 0, hi = a.length - 1;
        while (hi > lo) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    double t = a[i]; a[i] = a[j]; a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j; else if (k >= i) lo = i; else return a[k];
        }
        return a[k];
    }
}
