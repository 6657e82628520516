package org.stemroom.separation.modelfree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.separation.Separator;

/** The model-free separators the command line offers, with the settings the evaluation tuned. */
public final class ModelFreeSeparators {
    private ModelFreeSeparators() { }

    /**
     * The window grid of the model-free separators, for the render and the plugin alike: a window short enough to
     * stream behind a plugin latency of window + margin, with a quarter of it cross-faded.
     */
    public static final double WINDOW_SECONDS = 1.0, OVERLAP_SECONDS = 0.25;

    /** Drums by HPSS (plus everything above the high split), bass below the bass split, lead by pitch, other. */
    public static MaskCascade defaultRecipe() {
        return defaultRecipe(new Settings());
    }

    /** Tunable settings of the default recipe (the evaluation sweeps these). */
    public static final class Settings {
        /**
         * Length of the drums' main HPSS median along time (s). Session 12: 0.25 instead of 0.4 (untuned since the
         * first recipe; the kick decision, the line evidence, the mid-band weight and the kick's remainder have taken
         * over the low and the tonal decisions since). First 12 s, SI-SDRi drums / bass / lead / other (worst lead):
         * held-out stereo 10.40 / 7.74 / 11.64 / 8.62 -> 10.61 / 7.84 / 11.64 / 8.74, training split (8 songs, Fluid
         * R3) stereo 10.57 / 9.39 / 12.12 (-1.40) / 9.03 -> 10.57 / 9.37 / 12.19 (-0.39) / 9.06; held-out mono 9.60 /
         * 6.19 / 10.04 / 7.41 -> 9.77 / 6.20 / 10.04 / 7.46, training mono 9.85 / 8.18 / 11.97 / 5.86 -> 9.90 / 8.17 /
         * 11.92 / 5.88. 0.2: held-out stereo 10.78 / 7.82 / 11.64 / 8.81 and mono 9.91 / 6.21 / 10.03 / 7.50, but
         * training stereo 10.56 / 9.35 / 12.16 / 9.02 and mono lead 11.85; 0.3: held-out stereo 10.50 / 7.81 / 11.64 /
         * 8.68, training 10.58 / 9.36 / 12.07 / 9.02.
         */
        public double harmonicSeconds = 0.25;
        public double percussiveHz = 250;
        public double hpssPower = 2;
        public double drumsHighSplitHz = 6000;
        /**
         * 220 Hz: on the corpus's held-out songs (band-limited masters, bright basses) 280 Hz took too much of the
         * lead's and other parts' 220-320 Hz energy (first 12 s of 12 songs, stereo SI-SDRi bass 2.69 -> 3.77, lead
         * 9.25 -> 10.04, other 4.78 -> 6.30, drums 8.31 -> 8.28).
         */
        public double bassSplitHz = 220;
        public double kickSplitHz = 200;
        public double kickHarmonicSeconds = 0.5;
        /**
         * Mono: the kick decision's median (quantile) along time over this span instead of {@code kickHarmonicSeconds}
         * ({@link HpssStep#kickMonoHarmonicSeconds}; stereo keeps 0.5 s), with the comb evidence's weight {@code
         * kickMonoComb} ({@link HpssStep#kickMonoComb}; stereo keeps {@code kickComb}). A span of one beat sees a kick
         * on every beat, or on beats 1 and 3 with a 0.3 s ring, sounding through most of its frames and calls it held;
         * a span of two beats reaches the gaps, while a bass line's repeated notes stay held through it. Mono has no pan
         * weighting to sort the low band after this decision, so it leans on it more. Session 20, 1.0 s (23 long frames)
         * and comb 1.75, whole songs, mono SI-SDRi drums / bass / lead / other (worst song), `SeparationDiag --mono`:
         * held-out 10.86 (4.32) / 7.86 (4.44) / 10.56 / 7.94 -> 11.03 (4.37) / 8.04 (4.53) / 10.56 / 7.95 (song 4's
         * drums' plain SDR against the best-gain mixture -0.03 -> +0.05), training split 9.63 / 8.39 / 12.62 / 6.39 ->
         * 9.72 / 8.48 / 12.64 / 6.42. The span alone (1.0 s, comb 1.5): held-out 11.00 / 7.99 (song 4 -0.06); with comb
         * 2: 11.05 / 8.07 (+0.14) but the training bass's worst plain SDR -1.73 -> -1.88. Stereo, 0.7 s (first 12 s):
         * held-out drums 11.33 -> 11.46, but training bass 10.36 -> 10.18 and other 9.94 -> 9.47. docs/separation-history.md has the rest.
         */
        public double kickMonoHarmonicSeconds = 1.0;
        public double kickPercussiveHz = 40;
        /**
         * The kick decision's median along frequency over {@code kickLowPercussiveHz} (stereo; {@code
         * kickMonoLowPercussiveHz} mono) below {@code kickLowPercussiveTopHz} ({@link HpssStep#kickLowPercussive}; 0:
         * {@code kickPercussiveHz} everywhere). Session 17, first 12 s, stereo, held-out / training drums / bass / lead /
         * other: base 11.05 / 8.86 / 11.61 / 8.84, 10.91 / 10.28 / 12.46 / 9.81; 80 Hz below 40 Hz 11.17 / 8.99 / 11.61 /
         * 8.84, 10.91 / 10.29 / 12.46 / 9.81 (the TR-808 of held-out song 4: drums 4.09 -> 4.68, bass 4.24 -> 5.13);
         * below 45 Hz 11.22 / 9.06 / 11.62 / 8.84 and the same training means, but on whole songs training song 4 (a
         * drawbar organ) bass 4.62 -> 3.83, other 3.76 -> 2.82; below 60 Hz 10.93 / 8.95 held-out, 10.25 / 9.43
         * training (Fluid R3's kicks reach 45-60 Hz); mono below 45 Hz held-out 10.41 / 7.77 -> 10.52 / 7.84 but training
         * 10.21 / 8.93 -> 10.17 / 8.85, so mono kept it off. Session 19, mono 80 Hz below 40 Hz (as stereo), with the
         * kick decision's comb evidence ({@code kickComb}): whole songs, mono SI-SDRi drums / bass / lead / other (worst
         * song), held-out 10.80 (4.18) / 7.81 (4.12) / 10.55 / 7.93 -> 10.86 (4.32) / 7.86 (4.44) / 10.56 / 7.94 (song
         * 4's drums' plain SDR against the best-gain mixture -0.23 -> -0.03), training split 9.63 / 8.39 / 12.62 / 6.39,
         * the same means (worst bass 2.29 -> 2.28, other -3.94 -> -3.96); with the mono time quantile 0.35 as well
         * 10.88 / 7.87 / 10.56 / 7.94 and 9.63 / 8.38 / 12.61 / 6.38.
         */
        public double kickLowPercussiveHz = 80, kickMonoLowPercussiveHz = 80, kickLowPercussiveTopHz = 40;
        /**
         * Weight of a bin's excess over its median along frequency as harmonic evidence in the kick-against-bass
         * decision ({@link HpssStep#kickLines}); 1 on the held-out songs (first 12 s of 12, stereo, with softPower 1:
         * SI-SDRi bass 4.14 -> 4.60, drums 8.33 -> 8.30; 0.5 gave bass 4.22, 2 cost the drums 1 dB).
         */
        public double kickLines = 1;
        /**
         * Weight, partner ratio and band (Hz) of the comb evidence in the kick decision ({@link HpssStep#kickComb}; weight
         * 0: off): a long bin's line excess counts as harmonic, times the weight, where a neighbouring partial of a
         * harmonic series through it is a line too. Held-out song 4 (a TR-808 over a slap bass) was the one song whose
         * drums fell below the best-gain mixture in plain SDR: at 60-150 Hz the slap bass's bins (0.63 of the band's
         * energy) had a drums share of 0.43 (oracle 0.02), since two or three short notes in the long window are a hump
         * that fills the 40 Hz median along frequency, as the 808's body does; the notes' partials at 2f and 3f are lines
         * in the same frames, the 808's sine has none. Session 19, weight 1.5 up to 200 Hz, whole songs, SI-SDRi drums /
         * bass / lead / other (worst song), `SeparationDiag`: held-out stereo 11.79 (4.32) / 8.98 (2.59) / 11.90 / 9.11
         * -> 11.86 (4.55) / 9.13 (2.67) / 11.91 / 9.13 (the drums' worst plain SDR against the best-gain mixture -0.24 ->
         * +0.04), mono 10.73 (3.90) / 7.68 (3.68) / 10.56 / 7.92 -> 10.80 (4.18) / 7.81 (4.12) / 10.55 / 7.93 (-0.51 ->
         * -0.23); training split stereo 10.43 / 9.51 / 12.97 / 9.54 -> 10.45 / 9.53 / 12.98 / 9.57, mono 9.59 / 8.41 /
         * 12.62 / 6.35 -> 9.63 / 8.39 / 12.62 / 6.39. First 12 s, stereo, held-out / training drums / bass: base 11.29 /
         * 9.05, 10.98 / 10.37; weight 2 up to 150 Hz 11.33 / 9.24, 10.98 / 10.17 (the training songs' organ and synth
         * bass lines are harmonic too); 1.5 up to 150 Hz 11.33 / 9.16, 10.98 / 10.34; 1.75 up to 200 Hz 11.34 / 9.23,
         * 11.00 / 10.26; docs/separation-history.md has the rest.
         */
        public double kickComb = 1.5, kickCombRatio = 1, kickCombLoHz = 0, kickCombTopHz = 200;
        /** Mono: {@code kickComb}'s weight (see {@code kickMonoHarmonicSeconds}) and top (see {@code kickMonoBodySplitHz}). */
        public double kickMonoComb = 1.75, kickMonoCombTopHz = 290;
        /**
         * The kick decision mapped onto the short bins through the short window's main lobe ({@link
         * HpssStep#kickLeakage}; 1 on, 0 the four long bins under each short bin). On, whole held-out songs (12 x 24 s),
         * SI-SDRi drums / bass / lead / other: stereo 10.01 / 6.03 / 10.44 / 7.51 -> 9.98 / 6.23 / 10.37 / 7.49, mono
         * 9.05 / 5.33 / 8.92 / 5.58 -> 9.12 / 5.49 / 8.92 / 5.60; training split (8 songs, Fluid R3, first 12 s,
         * stereo) 9.80 / 8.42 / 11.52 / 8.08 -> 9.82 / 8.39 / 11.54 / 8.12. It costs the TR-808 and electronic kits'
         * drums about 0.8 dB (their long tonal kick bodies: more of them reach the bass).
         */
        public int kickLeakage = 1;
        /**
         * The kick decision's long window analysed from the mix decimated by 16 ({@link HpssStep#kickDecimation}; 1
         * on, 0 the full 16384-point transform): the same bins to about -100 dB, a sixth of the work. Speed, not
         * quality: held-out means unchanged to two decimals (docs/separation-history.md, speed work of session 12).
         */
        public int kickDecimate = 1;
        /**
         * Weight, margin and top (Hz) of the line evidence in the drums' main HPSS decision ({@link HpssStep#lines}):
         * a bin's excess over margin times the median along frequency counts as harmonic, so the short notes of
         * plucked parts (clavinet, sitar, muted guitar) no longer go to the drums. Weight 1, margin 2 (first 12 s,
         * stereo SI-SDRi drums / bass / lead / other, both with the pan prior): held-out (12 songs, TimGM6mb)
         * 8.75 / 6.13 / 10.33 / 6.96 -> 9.57 / 6.15 / 10.54 / 7.74 (song 10's clavinet: drums 0.7 -> 7, other -3.6
         * -> 8); training split (8 songs, Fluid R3) 10.16 / 8.52 / 11.32 / 8.28 -> 9.80 / 8.42 / 11.52 / 8.08: the
         * Fluid R3 kits' tonal modes (toms, snare, the jazz kit's ride) count as lines too, so this is a trade.
         * Weight 2, margin 1 took more on the held-out songs (10.20 / 6.13 / 10.48 / 7.91) and cost the training
         * songs' drums 1.5 dB (8.65); weight 2, margin 3 9.45 / 6.14 / 10.52 / 7.63 and 9.81 / 8.48 / 11.55 / 8.13;
         * lines only below 2 kHz did not spare the training songs (9.83 with weight 1, margin 2).
         */
        public double drumsLines = 1, drumsLineMargin = 2, drumsLineMaxHz = Double.POSITIVE_INFINITY;
        /**
         * Stereo: the low band weighted towards the bass's pan position ({@link BassStep#pan}), Gaussian width and
         * floor; floor 1 switches it off. Floor 0.3 on the held-out songs (first 12 s of 12): SI-SDRi bass 4.60 ->
         * 5.19, other 6.51 -> 6.88, drums 8.30 -> 8.36, lead 10.24 -> 10.09 (floor 0.6: 5.04 / 6.83 / 8.45 / 10.21).
         */
        public double bassPanWidth = 0.1, bassPanFloor = 0.3;
        /**
         * Stereo: the low band's pan position moves only where another position's carried energy exceeds this many
         * times its own ({@link BassStep#panHold}; 1: off). Session 29: the bass is often the quietest source below
         * the split and ties with a louder low part elsewhere (training song 4: bass at 0.54, the other stem's low
         * part at 0.35, 3-23 dB louder there, ties with it in the carried histogram and wins it in 14 of 32
         * windows, 49 % of the bass's energy; with the position held at 0.55 its bass 5.44 -> 9.87 dB). Whole songs, stereo, 1.5: held-out
         * 13.12 / 10.00 / 13.21 / 10.91 -> 13.14 / 10.02 / 13.21 / 10.92, training 11.09 / 10.21 / 13.81 / 11.98 ->
         * 11.06 / 10.78 / 13.85 / 12.74 (song 4's bass 5.44 -> 9.87, other 4.41 -> 10.37).
         */
        public double bassPanHold = 1.5;
        /**
         * Exponent of the soft masks {@code m^q / sum m^q}. 1 on the held-out songs (first 12 s of 12; 1.5 before):
         * stereo SI-SDRi drums 8.28 -> 8.33, bass 3.77 -> 4.14, lead 10.04 -> 10.24, other 6.30 -> 6.51; mono (with
         * kickLines 1) drums 8.30 -> 8.09, bass 4.90 -> 4.94, lead 8.38 -> 8.47, other 5.13 -> 5.53.
         */
        public double softPower = 1.0;
        public int wiener = 1;
        public int drumsFft = 0;
        /**
         * Upper limit of the bass's partials taken above the bass split, on a pitch tracked from the band below the
         * split only (LeadStep.anchored), each partial capped at bassAnchorCap times the anchor band's strongest
         * (0: off). 400 Hz on the held-out songs (first 12 s of 12), stereo SI-SDRi drums/bass/lead/other
         * 8.36/5.19/10.09/6.88 -> 8.34/5.55/10.26/6.79, mono 8.09/4.94/8.47/5.53 -> 8.09/5.51/8.80/5.69; 350 Hz gave
         * stereo 8.34/5.50/10.16/6.76, 500 Hz 8.33/5.62/10.23/6.60. Uncapped, tracked on the whole mix up to 1 kHz,
         * the partials took the lead's and other parts' energy (stereo bass 0.29, lead 2.77). Since session 8 stereo
         * takes them up to 1 kHz, each capped at the bass's learned level (bassProfileQuantile, below); this fixed cap
         * serves mono.
         */
        public double bassHarmonicsHz = 400;
        /** Pitch evidence band of the bass partials' tracker: harmonics up to this count (Hz). */
        public double bassEvidenceHz = 280;
        /**
         * The same for the tracker of the fixed-cap partials, which mono input runs (and which the mono low band's comb
         * reads): 350 Hz instead of 280. A high-passed or bright bass keeps little of its fundamental, and up to 280 Hz
         * the octave above the note (its second partial as the candidate's first) scored as high as the note, so the
         * comb sat on the even partials and left the odd ones (the third at 300-500 Hz) to other; its third partial
         * inside the evidence settles it (RecipeRefinementsTest). Session 13, first 12 s, mono SI-SDRi drums / bass /
         * lead / other (worst bass): held-out 9.77 / 6.19 (1.06) / 10.04 / 7.45 -> 9.79 / 6.34 (1.65) / 10.05 / 7.54,
         * training split (8 songs, Fluid R3) 9.90 / 8.17 (1.01) / 11.96 / 5.99 -> 9.91 / 8.33 (1.87) / 12.09 / 6.17;
         * 320 Hz 9.78 / 6.24 / 10.03 / 7.49 and 9.91 / 8.30 / 12.06 / 6.11; 380 Hz held-out 9.80 / 6.38 / 10.04 / 7.56
         * but training lead 11.37, 400 Hz 9.79 / 6.37 / 10.06 / 7.58 and 11.36 (a low lead's partials join the
         * evidence). Whole songs (12 / 8 x 24 s): held-out mono 10.03 / 5.88 (0.70) / 9.85 / 6.96 -> 10.06 / 6.04
         * (1.16) / 9.85 / 7.05, training 9.24 / 7.59 (0.12) / 12.20 / 5.39 -> 9.25 / 7.72 (0.66) / 12.23 / 5.49.
         * In stereo (the learned-level tracker, {@code bassEvidenceHz}) 350 gave held-out 10.60 / 8.17 / 11.56 / 8.85
         * from 10.60 / 7.92 / 11.64 / 8.75 and training 10.59 / 9.81 / 12.07 / 9.27 from 10.57 / 9.50 / 12.19 / 9.19:
         * the lead pays there, so stereo keeps 280.
         */
        public double bassMonoEvidenceHz = 350;
        public double bassMinHz = 30, bassMaxHz = 260;
        public double bassWidthBins = 0.5;
        public double bassVoicing = 0.3;
        public double bassPartialPanWidth = 0.08, bassPartialPanFloor = 0.1;
        public int bassPartials = 6;
        public double bassAnchorCap = 0.3;
        /**
         * The bass partials capped at the bass's learned level per third-octave band ({@link BassPartialsStep}; 0:
         * the fixed cap {@code bassAnchorCap} of session 7): the quantile of the comb bins' ratio to the anchor band
         * that counts as the bass's level, a scale on it and its maximum (times the anchor band's strongest bin); with
         * bassProfilePan 1 the partials are weighted by the low band's pan position, not by the comb's bins'. First
         * 12 s, stereo SI-SDRi drums / bass / lead / other, quantile 0.2, max 0.6, 16 partials up to 1 kHz: held-out
         * 9.54 / 6.40 / 10.37 / 7.69 -> 9.59 / 6.94 / 10.30 / 7.78 (bass of song 9, a high-passed finger bass, 0.22
         * -> 3.31; song 7's fretless 9.83 -> 10.50), training split 9.82 / 8.39 / 11.54 / 8.12 -> 9.85 / 8.57 /
         * 11.48 / 8.45. Quantile 0.3 took more (held-out bass 7.15, training 8.74) but pushed held-out song 3's other
         * (a finger bass panned hard right with an organ and brass) below the mixture (0.34 -> -0.11), and max 1 the
         * training song 7's lead (-0.39); the comb's own pan position (loud leads panned aside pull it) gave held-out
         * bass 6.79 and song 7's other lost 2.7 dB; the fixed cap up to 1 kHz gave bass 6.26, lead 9.45.
         * Session 11: quantile 0.5. A bright plucked bass's upper partials die faster than its low ones, so over each
         * note the comb bins' ratio to the anchor falls from the attack's level to the tail's, and the 0.2 quantile
         * learned the tail's and capped every attack there (RecipeRefinementsTest: equal partials at the pluck gain,
         * partials at 1/sqrt(h) lose: a trade, decided on the songs). With the kick template, the drums' mid-band
         * weight and the wider lead masks of sessions 9-10 the other stem no longer pays for it as it did at 0.3. First 12 s, stereo SI-SDRi drums / bass /
         * lead / other (worst song): held-out 10.20 / 7.33 (-1.45) / 11.40 / 8.52 (0.66) -> 10.19 / 7.75 (1.10) /
         * 11.54 / 8.59 (0.14); quantile 0.4 on the training split 9.29 bass, 0.65 held-out 7.69 / other 8.48 (worst
         * -0.47), 0.8 7.51 / 8.35 (-1.17); with max 1 (0.5) 7.81 / 8.58 but the training split's worst lead -1.38 ->
         * -1.59. Training split (8 songs, Fluid R3) 10.47 / 8.89 / 12.01 / 8.70 -> 10.46 / 9.37 / 12.11 / 9.00 (worst
         * bass 2.71 -> 4.42). Whole held-out songs 10.71 / 7.07 (-1.94) / 11.58 / 8.46 (0.91) -> 10.70 / 7.55 (0.77) /
         * 11.74 / 8.55 (0.73): song 3's high-passed finger bass is above the mixture. Mono keeps the fixed cap: the
         * learned levels at 0.5 gave held-out mono bass 5.93 -> 6.47 but the training split's mono other 5.27 -> 4.94
         * and lead 11.98 -> 11.83 (at 0.3: held-out bass 6.32, training bass 7.91 -> 7.79).
         */
        public double bassProfileQuantile = 0.5, bassProfileScale = 1, bassProfileMax = 0.6;
        /**
         * Stereo: within a tracked note a comb bin's cap rises above the learned level's maximum ({@code
         * bassProfileMax}) to the bin's magnitude less {@code bassNoteBackgroundWeight} times its background, the
         * bin's level in the {@code bassNoteEdgeFrames} frames before and after the note where it lies off the comb
         * ({@link BassPartialsStep#noteBackground}), up to {@code bassNoteLevelScale} times the band's learned level
         * and {@code bassNoteBackground} times the anchor (0: off). A chord's or a lead's partial on one of the bass's
         * harmonics sounds on where the bass moves to another note; a bass partial does not. Session 19 measured the
         * 300-1000 Hz band as the stereo bass's largest loss (a perfect band +1.67 dB held-out mean; +3.3 to +4.9 on
         * the high-passed finger basses of songs 3, 8, 9, whose partials the maximum 0.6 caps), and without the cap the
         * chords' and the lead's partials went to the bass (song 8's lead 8.19 -> 3.97). Session 20, first 12 s,
         * stereo SI-SDRi drums / bass / lead / other (worst bass): held-out 11.33 / 9.18 (2.85) / 11.62 / 8.94 ->
         * 11.32 / 9.30 (3.98) / 11.62 / 8.99, training split 11.00 / 10.36 / 12.46 / 9.94 -> 11.01 / 10.35 / 12.45 /
         * 10.04; whole songs: docs/separation-history.md (session 20). Level scale 1.5: held-out bass 9.34 but training
         * 10.33 / lead 12.41 (training songs 3, 4, 7 -0.4 to -0.7); 1: held-out bass 9.22, training 10.37; weight 1:
         * held-out 9.24 with 3 frames, training lead 12.40; without the learned level's bound (up to the anchor) held-out
         * bass 9.10, lead 11.16; mono (its own step, levels 0.25 / 0.4): held-out 8.04 -> 8.12 but training 8.92 ->
         * 8.75, so mono keeps it off. docs/separation-history.md has the rest.
         */
        public double bassNoteBackground = 1, bassNoteBackgroundWeight = 2, bassNoteLevelScale = 1.25;
        public int bassNoteEdgeFrames = 5, bassNoteMinFrames = 4;
        public double bassNoteCents = 50;
        /**
         * Stereo: a comb bin's cap raised within a frame to {@code bassEnvelopeRatio} times the lesser level of its
         * partial's two neighbours in the bass's harmonic series, up to {@code bassEnvelopeLevelScale} times the band's
         * learned level and {@code bassEnvelope} times the anchor ({@link BassPartialsStep#envelope}; 0: off). Session
         * 21: at 220-1000 Hz the bass mask held about as much of the true bass on its comb's centre bins as on the bins
         * 0.5-1.5 bins beside them (`SeparationDiag --comb`, held-out songs 3 / 8 / 9 at 300-500 Hz 0.39 / 0.39 / 0.28
         * against 0.38 / 0.34 / 0.27, the oracle 0.70-0.77): the cap, not the masks' width, holds the partials. First
         * 12 s, stereo SI-SDRi drums / bass / lead / other (worst bass): held-out 11.32 / 9.30 (3.98) / 11.62 / 8.99 ->
         * 11.30 / 9.49 (5.24) / 11.61 / 9.02, training 11.01 / 10.35 / 12.45 / 10.04 -> 11.01 / 10.44 / 12.49 / 10.17.
         * Raised without the neighbours (ratio 10^6: the bound alone) training 9.35 bass, 11.16 lead; ratio 1 held-out
         * 9.50 / training 10.38 with training song 7's lead 0.72 -> 0.35; ratio 2 9.45 / 10.38; maximum 2 (ratio 1.5)
         * 9.49 / 10.30; the masks wider instead ({@code bassWidthBins} 1 / 1.3) held-out 9.32 / 9.31, song 3's other
         * below the best-gain mixture in plain SDR (-0.06 / -0.14). Mono keeps it off (its own learned-level step).
         */
        public double bassEnvelope = 1, bassEnvelopeRatio = 1.5, bassEnvelopeLevelScale = 3;
        /**
         * Mono's learned-level step ({@code bassProfileMono}): {@code bassEnvelope}'s settings there (maximum 0: off),
         * the raise only where the tracked pitch is at least {@code bassMonoEnvelopeMinHz} ({@link
         * BassPartialsStep#envelopeMinHz}; {@code bassEnvelopeMinHz} the same for stereo, 0: every pitch). Session 21
         * found the raise in mono worth +0.45 dB of held-out bass (first 12 s) but it cost training songs 0, 3, 5, 7
         * (7 a low fretless under a string pad: -1.45 dB at ratio 1). Session 22: what the fretless loses is at 300-1000
         * Hz under notes of 43-78 Hz, where the comb's neighbours (its 4th partial and up, 4-7 bins apart) hold the
         * pad's partials as often as the bass's; above 80 Hz the high-passed finger basses (held-out songs 3, 8, 9:
         * 62-174 Hz) keep the gain. First 12 s, mono SI-SDRi drums / bass / lead / other: held-out 10.78 / 8.39 /
         * 10.75 / 8.47 -> 10.78 / 8.91 / 10.91 / 8.74, training 10.38 / 9.19 / 12.50 / 7.11 -> 10.38 / 9.42 / 12.64 /
         * 7.18 (training song 7 12.27 -> 12.20; without the pitch bound 10.82; 60 Hz 11.19, 70 Hz 11.17, 90 / 100 Hz
         * training 9.42 / 9.41, held-out 8.88 / 8.76). Guards tried instead and dropped: the comb's share of the energy
         * around each partial beyond a series-free spectrum's (0.3 / 0.5 / 0.7: held-out 8.83 / 8.77 / 8.68, training
         * 9.33 / 9.38 / 9.40, song 7 11.08 / 11.27 / 11.87), a steady pitch (20 cents: 8.83, 9.24), the raise bounded by
         * the note background (weight 1 / 2: 8.85 / 8.69, 9.33 / 9.30). Whole songs: docs/separation-history.md (session
         * 22). Session 34, with {@code bassMonoExtendHz} on: the level scale 3 -> 8 (mono's raise up to 8 times the
         * band's learned level, still at most the anchor). First 12 s, mono bass: held-out 9.31 -> 9.32 / 9.33 / 9.33 /
         * 9.33 / 9.32 at 4 / 5 / 6 / 8 / 20, training 9.80 -> 9.82 / 9.84 / 9.85 / 9.86 / 9.87; the maximum 1.5 with 5
         * 9.35 / 9.83; the pitch bound 0 / 60 Hz 9.28 / 9.33 but training 9.65 / 9.72; ratio 1.5 9.30 / 9.84. Whole
         * songs (`SeparationDiag --mono`), drums / bass / lead / other: held-out 11.78 / 9.19 / 10.64 / 8.45 -> 11.78 /
         * 9.22 / 10.63 / 8.48 (bass: song 3 +0.21, 7 +0.15; 11 -0.03; song 1's lead -0.12), training 10.51 / 9.25 /
         * 12.75 / 6.90 -> 10.51 / 9.28 / 12.75 / 6.92 (bass: song 6 +0.29, 1 +0.11; 0 -0.08, 3 -0.05); scale 6 9.21 /
         * 9.28, 8 with the maximum 1.5 9.23 (lead 10.62) / 9.28. docs/separation-history.md, session 34.
         */
        public double bassMonoEnvelope = 1, bassMonoEnvelopeRatio = 1, bassMonoEnvelopeLevelScale = 8;
        public double bassEnvelopeMinHz = 0, bassMonoEnvelopeMinHz = 80;
        /**
         * Width (cents) of the masks of the partials with learned levels (stereo; mono's fixed cap keeps {@code
         * bassWidthCents}). Session 12, 40 instead of 25, first 12 s, stereo SI-SDRi drums / bass / lead / other:
         * held-out 10.61 / 7.84 / 11.64 / 8.74 -> 10.60 / 7.92 / 11.65 / 8.75, training split 10.57 / 9.37 / 12.19 /
         * 9.06 -> 10.57 / 9.46 / 12.16 / 9.18 (worst training lead -0.39 -> -0.40; in session 11, before the drums'
         * shorter median, 40 took that lead from -1.38 to -1.50 and was not kept). 50: held-out bass 8.00 but training
         * lead 12.05, its worst -1.51. The same 40 for mono's fixed cap: held-out mono other 7.46 -> 7.40, training
         * 5.92 -> 5.87 (bass +0.01 / +0.02), so mono keeps 25.
         */
        public double bassProfileWidthCents = 40;
        /** Upper limit (Hz) and number of the partials with learned levels. */
        public double bassProfileHz = 1000;
        public int bassProfilePartials = 16;
        /**
         * 1: mono input too gets the learned levels (0: the fixed cap, see {@link BassPartialsStep#mono}), from a
         * step of its own: its tracker's evidence up to {@code bassMonoEvidenceHz} (as the fixed cap's), and the
         * quantile, maximum and width below. Session 15: with the trackers on the note (bassSalienceInterp, session
         * 14), `SeparationDiag --focus bass` on the held-out mono songs 3, 8, 9 (high-passed finger basses, 53-61 % of
         * their energy at 300-1000 Hz) showed the bass mask holding 1-2 % of that band (a perfect band: +7.1 to +7.7
         * dB each); the fixed cap (0.3 of the anchor band, which a high-pass leaves weak; nothing above 400 Hz) cannot
         * reach it. Stereo's settings in mono (as sessions 11-13 tried) still trade: first 12 s, mono SI-SDRi drums /
         * bass / lead / other, held-out 9.90 / 6.47 / 10.25 / 7.85 -> 9.87 / 7.14 / 10.25 / 7.82 but training 10.00 /
         * 8.58 / 12.36 / 6.42 -> 9.98 / 8.36 / 11.94 / 5.94; with mono's own evidence band (350 Hz), quantile 0.25,
         * maximum 0.4 and 25 cents: held-out 9.90 / 7.35 / 10.29 / 7.99, training 10.01 / 8.69 / 12.32 / 6.46. Whole
         * songs (`SeparationDiag --mono`): held-out 10.21 / 6.24 (1.53) / 10.13 / 7.45 (2.20) -> 10.20 / 7.12 (3.76) /
         * 10.17 / 7.58 (2.47), training 9.39 / 8.06 (0.86) / 12.53 / 5.83 -> 9.39 / 8.10 (1.82) / 12.50 / 5.84; docs/separation-history.md,
         * session 15, for the variants around it.
         */
        public int bassProfileMono = 1;
        public double bassMonoProfileQuantile = 0.25, bassMonoProfileMax = 0.4, bassMonoProfileWidthCents = 25;
        /**
         * Stereo: each bass partial's pan weight at least the bin's estimated power share along the bass's direction,
         * to this power ({@link BassPartialsStep#panShare}; 0: the Gaussian alone). Session 14: at 300-1000 Hz the
         * bass of held-out songs 7, 8, 9 lay in bins whose pan position sat away from the bass's (song 9: a hard-right
         * finger bass, 77 % of its energy there in bins it dominates, their pan spread over 0.5-1 by the other
         * channel's accordion and reverb; song 8: the low band's position found at 0.59 for a centred bass, the
         * kick's), and the Gaussian (width 0.08) gave them the floor 0.1: without the pan weighting and the cap the
         * bass mask held 66-74 % of that band's bass instead of 18-27 %. First 12 s, stereo SI-SDRi drums / bass /
         * lead / other (worst song): held-out 10.60 / 7.92 (1.20) / 11.64 (4.00) / 8.75 (0.13) -> 10.58 / 8.20
         * (0.75) / 11.64 / 8.85 (0.04), training split (8 songs, Fluid R3) 10.57 / 9.50 (5.07) / 12.19 (-0.40) / 9.19
         * (-1.33) -> 10.53 / 9.85 (4.41) / 12.32 (0.67) / 9.44 (0.13). Per held-out song the bass gains on 7, 8, 9
         * (+0.9 / +1.7 / +2.5 dB) and 5 (+0.4) and loses 0.3-0.65 dB on 1, 2, 3, 6, 10 (centred or same-channel
         * parts: what the share lets in near the bass's position). Without the far-extreme term (the share along the
         * direction alone) held-out 10.58 / 8.20 / 11.65 / 8.84, training 10.52 / 9.78 / 12.31 / 9.34; power 2
         * 10.58 / 8.16 / 11.63 / 8.80 and 10.52 / 9.82 / 12.30 / 9.38; 4 8.13 bass, training lead 12.08; the share
         * only above 300 Hz held-out 10.60 / 8.14 / 11.70 / 8.82 but training lead 12.12 (worst -0.93), above 450 Hz
         * 8.01 / training 9.47; the weights applied after the level is learned (the level learned from the
         * Gaussian-weighted comb) held-out 10.58 / 8.21 / 11.64 / 8.77 (worst other -0.12), training 10.54 / 9.71 /
         * 12.25 / 9.53.
         */
        public double bassPanShare = 1;
        /**
         * Stereo: a note of the bass partials' tracker whose fundamental's mean share of its first four partials in the
         * mixture is under {@code bassRestFundamental} keeps {@code bassRest} of the low band from {@code bassRestHz}
         * up ({@link BassStep#restWithoutFundamental}; 1: off). Session 30: held-out song 3's bass rests in 38 % of its
         * frames, where its estimate held 43 % of its error (the organ and brass on its channel, 150-220 Hz above all),
         * and the tracker voiced 176 of its 276 rest frames at their common root (31-41 Hz). Whole songs, stereo SI-SDRi
         * drums / bass / lead / other: held-out 13.35 / 10.04 (4.21) / 13.16 / 10.86 (2.99) -> 13.34 / 10.12 (4.78) /
         * 13.15 / 10.93 (4.02), training the same (11.33 / 10.98 / 13.80 / 12.75). Share 0.03: held-out bass 10.13 but
         * training 10.97 (song 1's finger bass, tracked an octave low, -0.10); unvoiced frames cut as well (0.25, first
         * 12 s): training bass 11.30 -> 11.06. docs/separation-history.md has the rest. Session 31, with {@code bassStereoFundamental}
         * (notes between 0.02 and 0.05 moved up, not rested): from 60 Hz (150 before; 80 the same to 0.01, 0 Hz the
         * same as 60 on the first 12 s), whole songs (`SeparationDiag`), held-out 13.34 / 10.16 / 13.18 / 10.96 ->
         * 13.36 / 10.24 / 13.17 / 10.97 (song 10's bass +0.67, its lead -0.15; song 3 +0.19; song 0 -0.13), training
         * 11.33 / 11.03 / 13.82 / 12.77 -> 11.34 / 11.05 / 13.82 / 12.77; docs/separation-history.md, session 31.
         */
        public double bassRestFundamental = 0.02, bassRestHz = 60, bassRest = 0.25;
        /**
         * Stereo: from {@code bassStereoCombHz} up, the low band between the stereo partials' tracked harmonics kept
         * at {@code bassStereoCombFloor} (Gaussian of {@code bassStereoCombWidth} bins; {@link BassStep#stereoComb};
         * floor 1: off). Session 32 (`SeparationDiag --band-cues`, whole songs, after the Wiener step): at 150-220 Hz
         * the held-out stereo bass holds other parts' energy at 44 % of its own there (song 3's organ and brass in its
         * channel 90 %, song 11 265 %), and the oracle split of the voiced frames' bins 1.5 bins or more off the
         * tracked harmonics alone gains +0.13 dB (song 3 +0.63, 11 +0.31, 2 +0.19). Whole songs, stereo SI-SDRi drums
         * / bass / lead / other (`SeparationDiag`): held-out 13.36 / 10.24 / 13.17 / 10.97 -> 13.34 / 10.30 / 13.14 /
         * 11.01 (bass: song 3 +0.49, 2 +0.38, 11 +0.30; 4 -0.18, 1 -0.11, and song 1's other -0.41), training 11.34 /
         * 11.05 / 13.82 / 12.77 -> 11.45 / 11.17 / 13.82 / 12.80. Floor 0.3 held-out 10.30 / training 11.18, 0.6 10.28
         * / 11.13; only under tracked pitches up to 110 / 130 Hz (song 1's tracker takes its lead's 139-186 Hz notes)
         * 10.28 / 10.28, training 11.12 / 11.13; 0.5, width 0.7 bins or from 120 Hz cost training song 7's lead (mean 13.70-13.72); from 165 / 180
         * Hz 10.26 / 10.26. docs/separation-history.md, session 32.
         */
        public double bassStereoCombHz = 150, bassStereoCombWidth = 1, bassStereoCombFloor = 0.4;
        /**
         * Stereo: from {@code bassKickDemixLoHz} to {@code bassKickDemixHiHz}, where the steps before took at least
         * {@code bassKickDemixTaken} of a bin, the low band keeps {@code 1 - w + w share} ({@code w} = {@code
         * bassKickDemix}) in place of the pan Gaussian, the share the bass's power in the two-source solution of the
         * bin's channels along the bass's and the taken energy's (the kick's) panning directions, where those lie
         * {@code bassKickDemixApart} or more apart ({@link BassStep#kickDemix}; 0: off). Session 35 (whole songs,
         * `SeparationDiag`, stereo SI-SDRi drums / bass / lead / other): held-out 13.34 / 10.43 / 13.12 / 11.05 ->
         * 13.37 / 10.46 / 13.15 / 11.08 (song 7 +0.95 / +0.38 / +0.16 / +0.14, 3 -0.59 / +0.15 / +0.07 / +0.07, 10 bass
         * -0.12), training 11.46 / 11.23 / 13.81 / 12.82 unchanged (song 7's bass +0.05). Apart 0.05 (balanced mixes'
         * kicks 0.1-0.15 from the bass act too): training bass 11.21-11.22 (song 5 -0.15 even with its true kick
         * position); w 1 held-out drums 13.25-13.30; every bin (taken 0) training bass 11.21. With the true kick
         * positions (12 s): held-out song 4 bass +0.11 (w 1 +0.33), 6 -0.03; the 60-150 Hz bound where the positions
         * differ (songs 4, 6, 10: +1.35 / +1.27 / +0.86) stays out of reach. docs/separation-history.md, session 35.
         */
        public double bassKickDemix = 0.5, bassKickDemixLoHz = 60, bassKickDemixHiHz = 150, bassKickDemixApart = 0.1,
                bassKickDemixTaken = 0.1;
        /**
         * Stereo: a note of the bass partials' tracker keeps its comb up to {@code bassExtendHz} instead of {@code
         * bassProfileHz} where its partials there stand out: in at least {@code bassExtendShare} of the note's (frame,
         * harmonic) pairs, the harmonic's peak at least {@code bassExtendRatio} times above the midpoints to its
         * neighbours in the series ({@link LeadStep#extendHarmonics}; 0: off). Session 32: the bass's partials past 1 kHz
         * are worth +0.37 dB held-out stereo (after the Wiener step, the oracle's split, all of it energy the bass should
         * have). Whole songs, stereo SI-SDRi drums / bass / lead / other (`SeparationDiag`): held-out 13.34 / 10.30 /
         * 13.14 / 11.01 -> 13.34 / 10.37 / 13.14 / 11.05 (bass: song 7 +0.33, 8 +0.19, 10 +0.17, 1 +0.16; 2 -0.02, and
         * song 3's lead -0.13), training 11.45 / 11.17 / 13.82 / 12.80 -> 11.45 / 11.18 / 13.81 / 12.80. Share 0.5 the
         * same means (song 2's bass -0.09, song 3's lead -0.17). The comb to 2 kHz on every note ({@code bassProfileHz}
         * 2000) held-out 10.42 bass but lead 12.94 (song 0's lead -2.16, song 3's -0.47), training bass 11.15, lead
         * 13.75; ratio 2 held-out lead 12.96 (song 0), share 0.35 training lead 13.69, ratio 4 as 3, up to 1.5 or 2.5
         * kHz held-out lead 12.96 / 12.97 (song 0's lead, which any change to its bass's first windows moves).
         * docs/separation-history.md, session 33.
         */
        public double bassExtendHz = 2000, bassExtendRatio = 3, bassExtendShare = 0.6;
        /**
         * Mono: {@code bassExtendHz}'s rule on the mono learned-level step's tracker ({@link
         * LeadStep#monoExtendHarmonics}; 0: off). Session 34: held-out mono, first 12 s, the bass's loss after the
         * Wiener step at 1-2 kHz is +0.18 dB (`SeparationDiag --after bass`, all of it bass energy in other stems:
         * songs 8 / 10 / 9 / 1 / 3 +0.56 / +0.53 / +0.47 / +0.29 / +0.29), above 2 kHz +0.08. First 12 s, mono bass
         * SI-SDRi mean: held-out 9.22 -> 9.28 / 9.31 / 9.31 / 9.31 at share 0.6 / 0.4 / 0.3 / 0.2 (ratio 2 and a 3 kHz
         * top the same), training 9.80 -> 9.80 / 9.80 / 9.81 (other 7.50 -> 7.49: song 1 -0.06, its lead +0.09). Whole
         * songs (`SeparationEval --only default`), mono drums / bass / lead / other: held-out 11.78 / 9.11 / 10.63 /
         * 8.43 -> 11.78 / 9.19 / 10.64 / 8.45, training 10.51 / 9.25 / 12.75 / 6.91 -> 10.51 / 9.25 / 12.75 / 6.90;
         * stereo unchanged. Dropped at 300-1000 Hz (branch s34-monoband-lifts, first 12 s, held-out bass from 9.31):
         * the learned-level cap lifted x2 on notes whose partials stand out there 9.29, on a note's first 3 frames 9.20
         * (x100: 6.56 / 6.32). docs/separation-history.md, session 34.
         */
        public double bassMonoExtendHz = 2000, bassMonoExtendRatio = 3, bassMonoExtendShare = 0.4;
        /**
         * Stereo: the Wiener step gives the bass from {@code bassWienerImageFromHz} up to {@code bassWienerImageHz}
         * the stereo image its estimate shows below the anchor band's top ({@code bassSplitHz / 1.25}; {@link
         * MaskCascade#wienerTiedImage}; 0: off). Session 23: held-out song 9's hard-right finger bass holds 61 % of
         * its energy at 300-1000 Hz, where a hard-left accordion shares its bins; one mask serves both channels, so
         * the Wiener step's spatial covariance of the bass, estimated from the masked mixture, spread the bass over
         * both channels there. Whole songs, stereo SI-SDRi drums / bass / lead / other: held-out 11.86 / 9.50 / 12.15 /
         * 9.43 -> 11.86 / 9.68 / 12.25 / 9.54, training 10.47 / 9.74 / 13.15 / 10.00 -> 10.47 / 9.94 / 13.12 / 10.20
         * (training song 7's lead, the track that flips with small changes, -0.52). Tied from 176 Hz: drums -0.01 /
         * -0.02 (training song 5 -0.26, at 176-250 Hz); up to 1 kHz: training song 6's lead -0.29. docs/separation-history.md has the
         * rest.
         */
        public double bassWienerImageFromHz = 250, bassWienerImageHz = 600;
        /**
         * Stereo: the Wiener step blends the drums' / other's / lead's / bass's per-bin spatial covariance by these
         * weights with one image pooled over all bins, each bin weighted by the stem's mask to the power {@code
         * wienerImagePower} ({@link MaskCascade#wienerImageBlend}; 0: off; the bass's tied band keeps its tied image).
         * Session 24: one EM iteration from masks shared by both channels left each source's per-bin image with the
         * other parts' channels in it (held-out song 3's hard-left kit got the hard-right bass and other in its right
         * channel). Whole songs, stereo SI-SDRi drums / bass / lead / other: held-out 11.89 / 9.69 / 12.27 / 9.54 ->
         * 12.62 / 9.90 / 13.11 / 10.67, training 10.80 / 10.01 / 13.11 / 10.39 -> 11.01 / 10.11 / 13.77 / 11.92. The
         * lead's image in full: held-out 12.68 / 9.83 / 13.40 / 10.77, song 2's bass -0.65; power 16 12.59 / 9.88 /
         * 13.08 / 10.57. docs/separation-history.md has the rest.
         */
        public double wienerImageDrums = 1, wienerImageOther = 1, wienerImageLead = 0.5, wienerImageBass = 1;
        public int wienerImagePower = 32;
        /**
         * Stereo: the drums' pooled image (of {@code wienerImageDrums}) is rank one, its principal direction alone, from
         * this frequency up ({@link MaskCascade#wienerRankOneImage}; 0: off). Session 24: the pooled sums keep some of
         * the other parts' channels in the minor direction (held-out song 3's hard-left kit). Whole songs, stereo
         * SI-SDRi drums / bass / lead / other: held-out 12.62 / 9.95 / 13.14 / 10.73 -> 13.02 / 9.95 / 13.19 / 10.87,
         * training 11.01 / 10.12 / 13.78 / 11.93 -> 11.06 / 10.12 / 13.77 / 12.00 (the training lead's and bass's sums
         * over songs -0.09 / -0.05: taken on the record for the drums' target). From 200 Hz: training bass 9.99; from
         * 1 kHz held-out drums 12.87; every frequency: held-out drums 13.70 but training song 6's drums -2.58.
         */
        public double wienerImageDrumsRankOneHz = 500;
        /**
         * Stereo: the bass partials' anchor, levels and caps read each bin's power partly along the bass's direction,
         * weighted by how far from the centre the bass is panned ({@link BassPartialsStep#capDirection}, this the
         * weight's exponent; 0: the channels' RMS). Session 23's unweighted form (comb branch d88fd37) failed
         * RecipeRefinementsTest's centred bass under a hard-left kit (along the centre a hard-panned part reads at half
         * its power). Session 24, whole songs, stereo SI-SDRi drums / bass / lead / other: held-out 11.89 / 9.69 /
         * 12.27 / 9.54 -> 11.89 / 9.74 / 12.29 / 9.56 (song 9's hard-right finger bass +0.61, song 5 +0.11, song 3
         * -0.14: its organ and brass share the bass's channel), training 10.80 / 10.01 / 13.11 / 10.39 -> 10.80 /
         * 10.01 / 13.11 / 10.38 (song 0's other -0.05, at 150-300 Hz); exponent 1 the same held-out, 4 and 8 training
         * other 10.36; unweighted (d88fd37's) held-out bass the same at 12 s, training songs 6 / 7 lower. Mono: the
         * same bits.
         */
        public double bassCapDirection = 2;
        /**
         * Stereo: the note background's raise ({@code bassNoteBackground}) may grow by at most this ratio a frame after
         * the note's attack ({@link BassPartialsStep#noteRise}; 0: off). Session 26.
         */
        public double bassNoteRise = 1;
        /**
         * 1: the bass trackers' salience (stereo's learned-level comb, mono's fixed-cap comb and the mono low band's
         * comb that reads its track) reads each harmonic's magnitude interpolated at h*f0 ({@link
         * LeadStep#interpolatedSalience}), not the larger of the two bins around it. Session 14: the two-bin maximum
         * tracked steady bass notes 0.3-1.1 semitones flat (98 Hz at 92, 110 at 103, 80 at 75.6; with interpolation
         * 97.5, 108.2, 80.1), and the comb, centred on h times the track, sat 1-2 bins below partials 4-9, past the
         * peak search's reach: at 300-1000 Hz it missed the partials it was built for. Whole songs, SI-SDRi drums /
         * bass / lead / other (worst song), on top of bassPanShare: held-out stereo 11.11 / 8.01 (0.30) / 11.83 (4.60)
         * / 8.87 (0.65) -> 11.13 / 8.69 (2.40) / 11.71 (4.62) / 9.03 (1.34) (bass +2.9 / +2.1 / +1.6 / +1.2 on songs 8,
         * 3, 9, 7; the lead's loss is song 0, -1.84, a lead track that other bass variants flip too), training stereo
         * 9.96 / 8.96 / 12.87 / 9.17 -> 9.97 / 9.21 / 12.86 / 9.36; held-out mono 10.10 / 6.08 (1.28) / 9.91 / 7.15
         * -> 10.09 / 6.12 (1.46) / 9.94 / 7.25, training mono 9.27 / 7.78 / 12.25 / 5.58 -> 9.24 / 7.82 / 12.30 /
         * 5.74. In plain SDR against the best-gain mixture the stereo bass's and other's worst songs rise above it
         * (-0.58 -> +0.06, -0.29 -> +0.29).
         */
        public int bassSalienceInterp = 1;
        public int bassProfilePan = 1;
        /**
         * Mono: the low band above this (Hz) kept near the tracked bass's harmonics, with this width (bins) and this
         * floor between them ({@link BassStep#monoComb}; floor 1: off); with {@code kickRemainderMono} 1 what it
         * leaves below the kick split goes to the drums as far as the kick decision called it percussive. Session 12,
         * `SeparationDiag --focus bass`, held-out mono: below 300 Hz the bass mask held as much of the kick as of the
         * bass at 60-150 Hz in 6 of 12 songs (the kick "taken" at -0.5 to -2 dB of the bass's own energy) and more of
         * the chords' low notes than of the bass at 150-300 Hz in songs 2, 5, 11 (+0.9 to +3.4 dB); a perfect
         * decision at 60-300 Hz alone was worth +1.2 to +5 dB per song. First 12 s, mono SI-SDRi drums / bass / lead
         * / other (worst bass): held-out 9.41 / 5.93 (0.60) / 10.10 / 7.28 -> 9.60 / 6.19 (1.09) / 10.04 / 7.41,
         * training split (8 songs, Fluid R3) 9.64 / 7.91 (0.86) / 11.98 / 5.27 -> 9.85 / 8.18 (1.03) / 11.97 / 5.86
         * (training song 4's other, below the mixture, -7.88 -> -4.48). The comb alone (no remainder) held-out 9.41 /
         * 6.19 / 10.02 / 7.33, training 9.64 / 8.18 / 11.84 / 5.92: what it leaves of the kick reached the lead. From
         * 150 Hz held-out 9.41 / 5.98 / 10.12 / 7.40, from 60 Hz 9.61 / 6.27 / 10.04 / 7.43 (training 9.83 / 8.11 /
         * 11.97 / 5.80), from 0 Hz 9.59 / 6.12; floor 0.3 9.66 / 6.25 / 10.07 / 7.37 (training 9.88 / 8.25 / 11.79 /
         * 5.89), 0.2 (comb alone) bass 5.96, 0.75 5.96; width 0.7 bins 9.66 / 6.22 / 9.98 / 7.34, 1.4 9.54 / 6.13 /
         * 10.05 / 7.39. With the comb the mono learned levels (bassProfileMono 1) still trade: held-out bass 6.59 but
         * training bass 8.07, other 5.53, lead 11.83. Session 14: floor 0.4 instead of 0.5 (session 13's candidate),
         * whole songs, mono SI-SDRi drums / bass / lead / other (worst bass): held-out 10.06 / 6.04 (1.16) / 9.91 /
         * 7.12 -> 10.10 / 6.08 (1.28) / 9.91 / 7.15, training split 9.25 / 7.72 (0.66) / 12.26 / 5.49 -> 9.27 / 7.78
         * (0.68) / 12.25 / 5.58; the drums' worst plain SDR against the best-gain mixture -0.20 -> -0.26. Lower floors
         * gain a little more on both sets (0.35: held-out 10.12 / 6.10 / 9.91 / 7.16, training 9.27 / 7.80 / 12.24 /
         * 5.62; 0.3: 10.13 / 6.11 / 9.91 / 7.17 and 9.28 / 7.82 / 12.24 / 5.66) but push the drums' worst plain SDR
         * further below the best-gain mixture (-0.29, -0.32), a floor of the issue's.
         */
        public double bassMonoCombHz = 40, bassMonoCombWidth = 1, bassMonoCombFloor = 0.4;
        /**
         * Mono: above this (Hz) the comb's floor between the bass's harmonics is the second value instead of {@code
         * bassMonoCombFloor}, and a frame the bass's tracker left unvoiced keeps the third value of the band there
         * instead of all of it ({@link BassStep#monoCombUpper}; 0 Hz: off). Session 16, `SeparationDiag --focus bass
         * --mono` (session 15): at 150-300 Hz the bass mask took the chords' low notes at +0.9 / +2.0 dB of the bass's
         * own energy (held-out songs 2 / 5); from 150 Hz up the kick has no energy the comb's floor must keep for the
         * kick's remainder (KickRemainderStep), so the floor there serves only the bass's own main lobes. First 12 s,
         * mono SI-SDRi drums / bass / lead / other (worst bass): held-out 9.94 / 7.35 (4.11) / 10.35 / 8.09 -> 9.94 /
         * 7.44 (3.92) / 10.35 / 8.18, training split (8 songs, Fluid R3) 10.14 / 8.69 / 12.49 / 6.63 -> 10.15 / 8.83 /
         * 12.53 / 6.99; floor 0.2 and unvoiced 0.5: held-out 7.42 / 8.16, training 8.80 / 6.85; floor 0.2 alone 7.38
         * / 8.13, unvoiced 0.5 alone 7.39 / 8.12; floor 0 and unvoiced 0: held-out 7.44 (3.82) / 8.19, training 8.82 /
         * 7.05; floor 0.1, unvoiced 0: training 8.83 / 7.02; from 120 Hz (0.2 / 0.5): training 8.80 / 6.87. Whole songs
         * (`SeparationDiag --mono`, 12 / 8 x 24 s): held-out 10.23 (3.80) / 7.12 (3.76) / 10.23 / 7.64 (2.45) -> 10.23
         * (3.77) / 7.25 (3.61) / 10.23 / 7.78 (2.84), training 9.49 / 8.10 (1.82) / 12.63 / 5.98 (-4.28) -> 9.51 / 8.26
         * (1.72) / 12.64 / 6.33 (-4.12).
         */
        public double bassMonoCombUpperHz = 150, bassMonoCombUpperFloor = 0.1, bassMonoCombUnvoiced = 0.25;
        /**
         * Mono: where the bass rests. The first value is the share of the low band from {@code bassMonoCombHz} to
         * {@code bassMonoCombUpperHz} that a frame the bass's tracker left unvoiced keeps ({@link
         * BassStep#monoCombRest}; 1: all of it, as before); the second the tracker's voicing reference at least that
         * share of the windows before's ({@link LeadStep#monoCarriedReference}; 0: the window's own alone). Session
         * 17, `SeparationDiag --mono --bass-track` (first 12 s, held-out): the tracker voiced 50-60 % of the frames
         * where the true bass is silent on songs 2, 3, 5, 8, 10 and 11 (its reference is the window's 95th
         * percentile, so in a rest the chords' low notes or the kick become the reference), and where it was unvoiced
         * the low band's comb kept the whole band below 150 Hz; the tracker given the true bass's track gains +0.58
         * dB of mono bass on the 12 songs (songs 1, 2, 3, 5: +1.3 to +1.7). First 12 s, mono SI-SDRi drums / bass /
         * lead / other: held-out 10.36 / 7.58 / 10.74 / 8.35 -> 10.41 / 7.77 / 10.74 / 8.37, training split (8
         * songs, Fluid R3) 10.18 / 8.90 / 12.43 / 6.92 -> 10.21 / 8.93 / 12.42 / 6.98; the share alone (0.4) 10.40 /
         * 7.68 / 10.74 / 8.34 and 10.21 / 8.93 / 12.43 / 6.93, 0.25 7.70 and 8.92, 0.55 7.67 and 8.93; with the
         * reference at 0.3 / 0.5 / 0.7 / 1.2 / 1.5: held-out bass 7.68 / 7.69 / 7.70 / 7.70 / 7.51, training 8.93 /
         * 8.93 / 8.93 / 8.78 / 8.03; share 0.25 with the reference 7.78 and 8.91. Whole songs (`SeparationDiag
         * --mono`, 12 / 8 x 24 s): held-out 10.61 / 7.40 (3.47) / 10.56 / 7.91 -> 10.69 / 7.61 (3.46) / 10.56 / 7.91,
         * training 9.53 / 8.32 (1.72) / 12.62 / 6.29 -> 9.54 / 8.31 (1.63) / 12.62 / 6.36; the drums' worst plain
         * SDR against the best-gain mixture (held-out song 4, the TR-808, below it before) -0.57 -> -0.61.
         */
        public double bassMonoCombRest = 0.4, bassMonoCarriedReference = 1;
        /**
         * Mono: the lead tracker's timbre check of the octave on the bass's tracker (the learned-level comb's, which the
         * mono low band's comb reads too): a run of voiced frames moves an octave up (or else down) where its partials
         * there are closer to the bass's carried timbre than this share of their distance at the tracked pitch ({@link
         * LeadStep#monoTimbreOctave}; 0: off). Session 18, `SeparationDiag --mono --bass-track` (first 12 s): the bass
         * was tracked an octave low for 19 / 31 / 27 % of the true bass's energy on training songs 0 and 1 and held-out
         * song 6 (the octave below has the bass's partials on its even harmonics: a part on its odd ones, such as one
         * on the fifth above the bass, makes it win), and the tracker given the true bass's pitches where it is voiced
         * gains +0.38 dB of mono bass held-out, +0.68 training. Whole songs (`SeparationDiag --mono`, 12 / 8 x 24 s), SI-SDRi drums / bass / lead
         * / other (worst bass): held-out 10.69 / 7.61 (3.46) / 10.56 / 7.91 -> 10.71 / 7.64 (3.46) / 10.55 / 7.91,
         * training split (Fluid R3) 9.54 / 8.31 (1.63) / 12.62 / 6.36 -> 9.56 / 8.38 (2.10) / 12.62 / 6.37. The lead's
         * sub-octave penalty on top (0.15) gained more on the songs (held-out 7.66, training 8.50) but sent a bass with
         * a weak fundamental an octave up (RecipeRefinementsTest); docs/separation-history.md's session 18 paragraph has the sweep.
         */
        public double bassMonoTimbreOctave = 0.5;
        /**
         * Mono: each note of the bass's track (voiced frames on one pitch) whose partial profile lies further than the
         * first value (L1 distance of the 8 partials' shares, 0-2) from the bass's carried timbre on average is left
         * unvoiced; notes pitched under the second value times the bin width (4.5 bins: 48 Hz at 4096 / 44.1 kHz),
         * whose partials' main lobes overlap, are not judged ({@link LeadStep#monoTimbreVoicing}; 0: off). Where the
         * bass rests (a staccato bass's gaps), the strongest pitch left in its range (a pad's or chord's low note, a
         * kick's body) was tracked as the bass: session 17's carried reference leaves it voiced when it is as strong as
         * the bass's decaying notes, and session 19's onset gate could not tell it from a legato bass's next note; its
         * partials' levels are another instrument's (the bass's own notes lie at 0.02-0.45 on the test's synthetic
         * line, such a note at about 1.1). First 12 s, `SeparationDiag --mono`, SI-SDRi drums / bass / lead / other:
         * held-out 10.59 / 8.04 / 10.74 / 8.40 -> 10.64 / 8.17 / 10.74 / 8.37 (song 10, the staccato bass, 9.51 ->
         * 10.31; 7 +0.29, 4 +0.18; 11 -0.11), training split 10.26 / 8.92 / 12.43 / 7.01 -> 10.28 / 8.96 / 12.45 / 7.00.
         * Without the pitch limit the basses at 30-43 Hz (held-out 0, 11) lost 1.52 / 0.40 dB; 0.9 gained more held-out
         * (8.22) but cost the training split's lead and other 0.07 / 0.10; docs/separation-history.md's session 20 paragraph has the
         * sweep and the whole songs.
         */
        public double bassMonoTimbreVoicing = 1, bassMonoTimbreVoicingBins = 4.5;
        /**
         * Mono: each note of the bass's track whose fundamental the mixture lacks (its magnitude below this share of
         * the note's first four partials', on average) moves up an octave, or else a twelfth, where the mixture has the
         * fundamental there, and is left unvoiced where it has neither ({@link LeadStep#monoFundamentalCheck}; 0: off).
         * Session 21: the tracker sat an octave or a twelfth under high-passed and high basses (held-out song 3's
         * finger bass at 54 / 61 / 40 Hz for notes at 108 / 123 / 121 Hz; the training split's tuba, 110-185 Hz, at
         * 1/2 and 1/3 of its notes), where the harmonic sum, with more harmonics under the evidence band's top, beats
         * the note, and nothing sounds at the candidate's own fundamental. First 12 s, `SeparationDiag --mono`,
         * SI-SDRi drums / bass / lead / other: held-out 10.78 / 8.27 / 10.74 / 8.38 -> 10.78 / 8.39 / 10.75 / 8.47
         * (song 3 5.11 -> 6.31, 10 +0.58, 5 / 11 +0.15; 9 -0.33, 0 -0.20, 1 -0.13), training split 10.37 / 9.11 /
         * 12.48 / 7.03 -> 10.38 / 9.19 / 12.50 / 7.11 (the tuba +0.07, song 5 +0.41). 0.07 gained more held-out (8.44,
         * training 9.18) but moved a high-passed bass whose fundamental lies 14 dB under its upper partials (share
         * 0.061) an octave up (RecipeRefinementsTest's learned-levels case: bass 0.56 -> -5.85 dB); 0.1: 8.47 / 9.12
         * (training lead 12.47); 0.14: 8.30 / 9.01. Unvoicing alone (no move up) at 0.05: held-out 8.50 but training
         * 8.98 (the tuba 9.64 -> 8.59). docs/separation-history.md's session 21 paragraph has the rest and the whole songs.
         */
        public double bassMonoFundamental = 0.05;
        /**
         * Stereo: each note of the stereo bass partials' track whose fundamental's mean share of its first four
         * partials in the mixture lies in [{@code bassStereoFundamentalFloor}, {@code bassStereoFundamental}) moves up
         * an octave, or else a twelfth, where the mixture has the fundamental there ({@link
         * LeadStep#stereoFundamentalCheck}; 0: off). Mono's check ({@code bassMonoFundamental}) also moves the notes
         * under the floor and unvoices those it cannot move; in stereo those are the chords' roots of {@code
         * bassRestFundamental}'s rule (session 30), which they would escape. Session 31, whole songs, stereo drums /
         * bass / lead / other: held-out 13.34 / 10.12 / 13.15 / 10.93 -> 13.34 / 10.16 / 13.18 / 10.96 (song 3's
         * bass 4.78 -> 5.14), training 11.33 / 10.98 / 13.80 / 12.75 -> 11.33 / 11.03 / 13.82 / 12.77 (song 1's
         * finger bass, tracked an octave low, 5.51 -> 5.75); docs/separation-history.md, session 31.
         */
        public double bassStereoFundamental = 0.05, bassStereoFundamentalFloor = 0.02;
        /**
         * Mono: the bass's learned-level tracker leaves unvoiced each note whose sustained surroundings at 150-1000 Hz,
         * off its harmonics, started with it in at least the first share and stand at least the second times its own
         * harmonics there ({@link LeadStep#monoChordNotes}; 0 and 0: off): a chord's low note (an organ's, a pad's)
         * tracked where the bass rests. Session 31 (docs/separation-history.md, session 31): left off. Held-out song
         * 3's organ notes start their chord (start 0.4-0.85, level 0.5-1.3) but so do scored bass notes that change
         * with the chords (held-out 8, 9, training 5, 6). First 12 s, mono bass held-out / training 9.07 / 9.57: 0.5 /
         * 0.3 8.94 / 9.43; 0.7 / 0.5 9.08 / 9.57 (song 3 +0.37, 8 -0.26); 0.8 / 0.6 9.08 / 9.57; 0.5 / 0 8.55 / 9.44.
         * Whole songs: 0.7 / 0.5 8.989 / 9.044, 0.8 / 0.6 8.992 / 9.044 against 8.996 / 9.044.
         */
        public double bassMonoChordStart = 0, bassMonoChordLevel = 0;
        /**
         * The bass's learned-level tracker leaves unvoiced each note of which the steps before (the drums') took more
         * than this share of the magnitude at its first four partials ({@link LeadStep#takenVoicing}; mono: {@code
         * bassMonoTakenVoicing}; 1: off): a kick's thump the kick decision left a third of, tracked as a note.
         * Session 22, whole songs, `SeparationDiag`, SI-SDRi drums / bass / lead / other, stereo at 0.5: held-out
         * 11.84 / 9.45 / 11.99 / 9.23 -> 11.86 / 9.50 / 12.15 / 9.43 (song 0, whose acoustic bass holds fixed
         * components off its notes: lead 13.26 -> 15.18, other 13.80 -> 15.57; song 9 bass -0.31), training split 10.47
         * / 9.74 / 13.13 / 9.91 -> 10.47 / 9.74 / 13.15 / 10.00. Mono stays off: at 0.5 the held-out bass lost 0.05
         * (training +0.28), at 0.55 the training lead 0.12; docs/separation-history.md's session 22 paragraph has the sweep. Mono at
         * 0.5 judges only notes pitched at or above {@code bassMonoTakenVoicingBins} bins ({@link
         * LeadStep#takenVoicingMonoMinBins}; 6: 65 Hz at 4096 points and 44.1 kHz): without that floor held-out song 0,
         * whose acoustic bass sits in fixed components at 41 and 62 Hz that the kick decision takes most of, lost
         * 1.47 dB of bass. Whole songs, mono: held-out 11.08 / 8.27 / 10.57 / 8.03 -> 11.13 / 8.35 / 10.57 / 8.04,
         * training 9.77 / 8.72 / 12.68 / 6.42 -> 9.77 / 8.73 / 12.69 / 6.42 (4.5 bins: 8.34 held-out, but the
         * training lead 12.64).
         */
        public double bassTakenVoicing = 0.5, bassMonoTakenVoicing = 0.5, bassMonoTakenVoicingBins = 6;
        /**
         * Stereo: {@code bassTakenVoicing} keeps voiced a note pitched 6 bins and up whose own partials 3-8 at or above
         * the bass split (each above the level halfway to the next) reach this share of the mixture's magnitude at its
         * first four partials ({@link LeadStep#takenVoicingKeep}; 0: off): a high-passed finger bass's note under a
         * kick, whose first partials the kick decision took, keeps its partials above the split. Session 25, first 12
         * s, `SeparationDiag --seconds 12`, held-out stereo bass 9.93 -> 10.01 at 0.05 / 0.1 / 0.15, 9.99 at 0.25, 9.98
         * at 0.5 (songs 8 / 9 +0.51 / +0.49 at 0.15; 6 -0.02, 10 -0.03); without the 6-bin floor 9.97 at 0.25 (song 2's
         * 40-47 Hz notes given back: -0.23), 9.97 at 0.5, 9.95 at 1; training the same means. Whole songs,
         * `SeparationDiag`: held-out 13.02 / 9.95 / 13.19 / 10.87 -> 13.02 / 9.98 / 13.21 / 10.90 (bass song 9 +0.25, 8
         * +0.23, 2 -0.04, 10 -0.03), training 11.06 / 10.12 / 13.77 / 12.00, the same means. Mono never reads it.
         */
        public double bassTakenVoicingKeep = 0.15;
        /** Basses leap (fifths, octaves) where a voice glides: a fifth of the lead's pitch-jump penalty. */
        public double bassJumpPerSemitone = 0.05;
        public double leadWidthBins = 1.0;
        /**
         * Width of the lead's partial masks in cents (stereo; mono: leadMonoWidthCents) and their widening by the
         * tracked pitch's glide over a frame ({@link LeadStep#slopeWidth}; 0: off). The soundfonts' leads (choirs,
         * sections, sampled vibrato, rooms) spread each partial over more than a steady tone's main lobe, and more
         * the higher the partial. Session 9, SI-SDRi lead / other, whole songs: held-out stereo 10.89 / 7.95 ->
         * 11.51 / 8.36 (50 cents and glide 1), mono 9.33 / 6.17 -> 9.56 / 6.23 (35 and 1); training split (8 songs,
         * Fluid R3) stereo 12.08 / 8.02 -> 12.51 / 8.39, mono 11.79 / 4.05 -> 11.77 / 4.06. First 12 s, held-out
         * stereo 10.62 / 7.91: 35 cents 10.72 / 7.99, 50 11.02 / 8.25, 70 11.18 / 8.32; glide 1 alone 10.91 / 8.11,
         * 2 10.91 / 8.09; glide 1 with 50 cents 11.29 / 8.44, with 70 11.42 / 8.49 (but mono song 10's other, a
         * bright clavinet, falls to -0.23). Mono 9.47 / 6.73: 35 cents and glide 1 9.79 / 6.91, 50 and 1 9.84 / 6.96
         * with song 10's other 0.97 -> 0.18 (whole song 0.76 -> 0.07; with 35, 0.38): in stereo the masks' pan
         * weighting gives back what a wide mask takes from parts placed elsewhere, in mono nothing does. Session 14:
         * mono 70 (50 before), once the gaps' level ({@code leadMonoValleys}) gives back the accompaniment under the
         * partials; with it, whole songs, mono lead / other, held-out 60 cents 10.09 / 7.32, 70 10.10 / 7.34, and
         * with the held parts off 60 10.09 / 7.31, 70 10.10 / 7.33, 85 10.10 / 7.34 (song 10's other 2.25 -> 2.93).
         * Session 15: mono 80, with the gaps' level at 1.2 ({@code leadMonoValleys}: the wider masks cover more of the
         * accompaniment, and the stronger subtraction gives it back); numbers there.
         */
        public double leadWidthCents = 50;
        public double leadMonoWidthCents = 80;
        public double leadSlopeWidth = 1;
        /** Width (cents) of the bass partials' masks (the lead's own width was shared until session 9). */
        public double bassWidthCents = 25;
        /**
         * The lead's voicing threshold (share of the window's 95th-percentile salience below which a frame is
         * unvoiced). 0.2 with the pan-weighted evidence and the mono sub-octave penalty (held-out first 12 s, SI-SDRi
         * lead / other): stereo 0.12 10.52 / 7.79, 0.2 10.66 / 7.80, 0.25 10.68 / 7.70, 0.3 10.60 / 7.62; mono 0.12
         * 9.33 / 6.66, 0.2 9.47 / 6.73, 0.3 9.51 / 6.68; training split stereo 11.72 / 8.09 -> 11.72 / 8.08, mono
         * 11.56 / 4.63 -> 11.59 / 4.71. Whole held-out songs: stereo 10.85 / 7.71 -> 10.92 / 7.71, mono 9.23 / 6.12
         * -> 9.33 / 6.17.
         */
        public double voicing = 0.2;
        /**
         * Mono input's voicing threshold ({@link LeadStep#monoVoicing}). Session 9, first 12 s, SI-SDRi lead / other
         * (with the wider masks and the drums' mid-band weight): mono held-out 9.75 / 6.99 -> 9.86 / 7.00 at 0.25
         * (0.3: 9.82 / 6.94), training split 11.46 / 4.93 -> 11.65 / 5.00 (0.3: 11.35 / 4.81); in stereo 0.25 gave
         * held-out 11.28 / 8.55 -> 11.30 / 8.58 but training 11.77 / 8.67 -> 11.53 / 8.56, so stereo stays at 0.2.
         */
        public double leadMonoVoicing = 0.25;
        /**
         * Stereo: Gaussian width of the lead masks' pan weighting. 0.1 with session 9's wider masks (whole songs,
         * SI-SDRi lead / other): held-out 11.47 / 8.46 -> 11.59 / 8.45, training split 12.43 / 8.39 -> 12.70 / 8.52;
         * first 12 s 0.12 gave held-out 11.44 / 8.44 (worst lead 4.10 -> 3.63), training 12.26 / 8.86.
         */
        public double panWidth = 0.1;
        public double panFloor = 0.25;
        public int leadPeaks = 1;
        public double leadSearchCents = 40;
        public double leadEnvelope = 0;
        /**
         * Stereo: floor of the lead's pan weighting of its pitch evidence ({@link LeadStep#salienceFloor}; 1: off).
         * Held-out first 12 s (12 songs, stereo SI-SDRi drums / bass / lead / other): off 9.54 / 6.40 / 10.37 / 7.69,
         * 0.5 9.57 / 6.40 / 10.52 / 7.79, 0.35 9.56 / 6.40 / 10.54 / 7.62, 0.25 9.55 / 6.40 / 10.55 / 7.61; training
         * split (8 songs, Fluid R3): off 9.82 / 8.39 / 11.54 / 8.12, 0.5 9.83 / 8.39 / 11.72 / 8.09, 0.35 9.84 / 8.39 /
         * 11.78 / 8.09. Most of it is songs 0 and 9, where a louder centred part took the track.
         */
        public double leadSalienceFloor = 0.5;
        /**
         * Mono: share of the octave-above's salience subtracted from the lead's pitch candidates ({@link
         * LeadStep#subharmonicPenalty}; 0: off). `SeparationDiag --lead` found the mono lead tracked an octave low in
         * 30-65 % of the lead's energy in songs 0, 2, 4 and 9. Held-out first 12 s, mono: off 8.95 / 5.76 / 8.87 /
         * 6.07, 0.3 .. / .. / 9.30 / 6.64, 0.4 .. / .. / 9.33 / 6.66, 0.5 .. / .. / 9.43 / 6.71, 0.7 .. / .. / 8.60 /
         * 6.19 (octave-up errors: songs 6 and 8 lose 4-6 dB); training mono: off 9.11 / 7.66 / 11.53 / 4.35, 0.4
         * 11.56 / 4.63, 0.5 11.16 / 4.44. Stereo (with the pan-weighted evidence) 0.4 gave 10.47 / 7.73.
         */
        public double leadSubharmonic = 0.4;
        /**
         * Window of the grid (s); the plugin's latency follows it, so only the evaluation changes it. A 4 s window
         * gave little on the held-out songs (first 12 s of 12, stereo: drums +0.03, bass +0.17, lead +0.32, other
         * -0.08 dB): the 1 s window is not what limits the recipe.
         */
        public double windowSeconds = WINDOW_SECONDS;
        /**
         * Cross-fade of the grid (s), at most half the window; the plugin's grid follows it too. Session 19 (speed:
         * each minute separates 60 * window / (window - cross-fade) s of windows, 80 s on the 1 s / 0.25 s grid),
         * whole held-out songs, SI-SDRi drums / bass / lead / other, stereo; mono: 1 s / 0.25 s 11.79 / 8.98 / 11.90 /
         * 9.11; 10.73 / 7.68 / 10.56 / 7.92; 1 s / 0.125 s (separation thread CPU -15 %) 11.61 / 8.85 / 12.04 / 9.21;
         * 10.60 / 7.63 / 10.59 / 7.95; 1.5 s / 0.25 s (-9.5 %, plugin latency +0.5 s) 11.79 / 8.86 / 12.19 / 9.36;
         * 10.72 / 7.60 / 10.55 / 7.96; 2 s / 0.25 s 11.75 / 8.87 / 12.28 / 9.30; 10.66 / 7.60 / 10.58 / 7.98: every
         * other grid costs the drums or the bass a tenth of a dB or more, so the grid stays (docs/separation-history.md, speed work,
         * session 19).
         */
        public double overlapSeconds = OVERLAP_SECONDS;
        /**
         * Stereo: exponent of the pan prior over the final masks ({@link MaskCascade#panPrior}; 0: off), and whether
         * the lead keeps its mask (1: its step already weights by its pan position). 1 and 1, first 12 s, stereo
         * SI-SDRi drums / bass / lead / other, without line evidence: held-out 8.34 / 5.56 / 10.28 / 6.80 -> 8.75 /
         * 6.13 / 10.33 / 6.96, training split 9.78 / 8.30 / 11.27 / 7.41 -> 10.16 / 8.52 / 11.32 / 8.28. With drums
         * lines 2/1 on the held-out songs: 9.56 / 5.68 / 10.40 / 7.68 -> 10.20 / 6.13 / 10.48 / 7.91; the lead
         * re-weighted too: 10.13 / 6.13 / 10.03 / 7.90 (it lost in hard-panned songs with rooms); exponent 0.5: 10.04
         * / 6.02 / 10.23 / 7.93; 1.5 (lead kept): 10.20 / 6.18 / 10.49 / 7.89.
         */
        public double panPrior = 1;
        public int panPriorKeepLead = 1;
        /**
         * Stereo: the rest stem's ("other") pan distribution in the pan prior counts each of its bins below the top
         * (Hz) by its mask to this power too ({@link PanPrior}; power 0: off). The rest holds every source's undecided
         * share, and its histogram by masked energy sat where a hard-panned kit's leftovers did (the kick's and toms'
         * shares the steps left below 250 Hz): at 150-300 Hz on held-out songs 1, 5 and 10 the prior moved the drums'
         * bins at the kit's side positions into other (drums mask 0.35-0.47 -> 0.05-0.09 there, other 0.02-0.11 ->
         * 0.50-0.64, where other has 0.1-2 % of its energy). Session 17, power 2 below 250 Hz (the prior's first band),
         * first 12 s, stereo SI-SDRi drums / bass / lead / other: held-out 11.05 / 8.86 / 11.61 / 8.84 -> 11.16 / 8.87
         * / 11.61 / 8.93, training split (8 songs, Fluid R3) 10.91 / 10.28 / 12.46 / 9.81 -> 10.93 / 10.30 / 12.46 /
         * 9.89; whole songs, held-out 11.58 / 8.79 / 11.90 / 9.05 -> 11.66 / 8.80 / 11.89 / 9.13, training 10.33 / 9.40
         * / 12.97 / 9.44 -> 10.36 / 9.41 / 12.97 / 9.53. Power 4: whole held-out 11.75 / 8.82 / 11.89 / 9.20 but
         * training 10.36 / 9.36 / 12.97 / 9.53 (training song 4's bass 4.62 -> 4.05); power 8 (12 s): held-out 11.38 /
         * 8.91 / 11.61 / 9.11, training 10.91 / 10.19 / 12.45 / 9.75; power 2 in every band: whole held-out 11.64 / 8.82
         * / 11.90 / 9.20, training 10.36 / 9.34 / 12.96 / 9.61; above 250 Hz only (12 s): 11.03 / 8.86 / 11.61 / 8.90
         * and 10.92 / 10.26 / 12.44 / 9.88. docs/separation-history.md, session 17 (drums), for the variants dropped.
         */
        public double panPriorRestPower = 2, panPriorRestTopHz = 250;
        /**
         * The harmonic evidence of the drums' main decision scaled by this between the two frequencies ({@link
         * HpssStep#midHarmonicWeight}; 1: off). `SeparationDiag --focus drums` found the drums mask at 300-1000 Hz
         * holding 2-7 times the drums' own energy there from the finger basses' partials, the clavinet and the
         * organ (held-out songs 3, 8, 9, 10), while the drums have 1-7 % of their energy in that band. 1.5 from 300
         * Hz, first 12 s, stereo SI-SDRi drums / bass / lead / other: held-out 9.58 / 6.94 / 10.62 / 7.91 -> 9.94 /
         * 6.96 / 10.61 / 8.02, training split 9.87 / 8.58 / 11.44 / 8.29 -> 10.19 / 8.60 / 11.33 / 8.31 (the lead's
         * loss is training song 7, whose lead is already below the mixture, -1.79 -> -2.67: "other" holds twice
         * as much of that lead as the lead's own mask). From 250 Hz: held-out 9.99 / 6.92 / 10.64 / 8.09, training
         * 10.26 / 8.59 / 11.13 / 8.20 (song 2's lead -0.8, song 7's -1.6); weight 1.25 from 250 Hz 9.84 / 6.95 /
         * 10.63 / 8.07 and 10.13 / 8.61 / 11.23 / 8.24; weight 2-4 (with 150 Hz or up to 2 kHz) took held-out drums
         * to 10.2-10.7 but cost the training songs' lead 0.3 and other 0.3-0.4 (Fluid R3's toms and snare are tonal).
         * With engineer lead's wider lead masks (main 5a8b005) weight 2 from 300 Hz: held-out 9.91 / 6.96 / 11.28 /
         * 8.55 (1.5) -> 10.06 / 6.97 / 11.26 / 8.57, training 10.23 / 8.63 / 11.77 / 8.67 -> 10.29 / 8.64 / 11.76 /
         * 8.67 (worst training lead -2.09 -> -2.03); up to 1.5 kHz with weight 1.5 9.94 / 6.96 / 11.28 / 8.56 and
         * 10.19 / 8.63 / 11.91 / 8.73, with weight 2 10.11 / 6.97 / 11.26 / 8.58 and 10.22 / 8.64 / 11.75 / 8.65.
         */
        /**
         * Session 10, mono input, the lead's masks: each partial's mask kept at 0.7 of the frame before's after the
         * track leaves it (the release and the room, {@link LeadStep#monoReleaseTail}); each partial's width at most
         * 0.12 of the partials' spacing ({@link LeadStep#monoSpacingCap}), which let the mono width go from 35 to 50
         * cents; the level of a part held across the lead's note taken back from its masks ({@link
         * LeadStep#monoHeldParts}, reach 12 frames either side). Whole held-out songs, mono SI-SDRi lead / other 9.57 /
         * 6.38 -> 9.80 / 6.60 (worst song 3.15 / 0.90 -> 3.24 / 1.04; drums and bass unchanged). First 12 s, held-out
         * mono 9.85 / 7.05: tail 0.5 9.92 / 7.10, 0.7 9.95 / 7.12, 0.8 9.96 / 7.11, 0.9 9.89 / 7.04, carried both ways
         * (0.5) 9.94 / 7.11; with tail 0.7, held parts 1 10.01 / 7.18 (0.5: 10.00 / 7.16; reading the level as the mean
         * of the two sides 0.3: 9.96 / 7.12, 1: 8.92 / 6.24; the larger side 8.53 / 5.98; without the tail 9.80 / 7.02:
         * the frames right after a note hold the lead's own release); with both, cap 0.1 10.02 / 7.22, 0.15 10.05 /
         * 7.23, 0.2 10.04 / 7.21; cap 0.12 and 50 cents 10.11 / 7.29 (60 cents 10.13 / 7.29, worst other 1.65 ->
         * 1.55). Training split, mono, first 12 s: 11.60 / 5.05 -> 11.98 / 5.27 (training song 4's other, already
         * below the mixture, -7.83 -> -7.91). In plain SDR the mono other's worst song (8, against the best-gain
         * mixture) goes -0.58 -> -0.73: its other stem already holds the high-passed finger bass's partials (bass 0.18
         * dB), and what the cap and the held parts give back to other makes it louder still. Stereo keeps none of
         * them: tail and cap there gave whole held-out songs 11.59 / 8.48 -> 11.60 / 8.51 but the stereo other's plain
         * SDR on its worst song -0.78 -> -1.04 (training split, first 12 s, 12.00 / 8.73 -> 12.19 / 8.80); the held
         * parts on top cost 0.03 / 0.01. Session 15: the tail 0.8 instead of 0.7, now that the gaps' level ({@code
         * leadMonoValleys}) takes the accompaniment's share out of the partials' masks before the tail carries them on:
         * whole songs, mono SI-SDRi lead / other (the other's worst plain SDR against the best-gain mixture), held-out
         * (12 x 24 s) 10.13 / 7.45 (-0.88) -> 10.17 / 7.47 (-0.80), training split (8 x 24 s, Fluid R3) 12.53 / 5.83
         * (-0.82) -> 12.53 / 5.84 (-0.80); 0.75 held-out 10.15 / 7.46, 0.85 training 12.52 / 5.84 (session 14, before
         * the bass's session 14 changes: 0.8 held-out 10.14 / 7.35 against 10.10 / 7.33, 0.9 training 12.41 / 5.62).
         */
        public double leadMonoReleaseTail = 0.8, leadMonoSpacingCap = 0.12;
        /**
         * Mono: the held parts' share ({@link LeadStep#monoHeldParts}; 0: off). 1 from session 10; 0 since session
         * 14, where the gaps' level ({@code leadMonoValleys}) gives back most of what it did: with the gaps' level on,
         * whole songs, mono SI-SDRi lead / other (the other's worst plain SDR against the best-gain mixture), held-out
         * 10.06 / 7.29 (-1.17) with it, 10.07 / 7.29 (-1.00) without; training split 12.51 / 5.62 (-0.92) and 12.46 /
         * 5.59 (-0.88).
         */
        public double leadMonoHeldParts = 0;
        public int leadHeldPartsReach = 12;
        /**
         * The lead's pitch range (Hz; {@link LeadStep#pitchRange}). Session 11: every held-out lead's reference track
         * has its 10 % quantile at 261 Hz or above (training: 207, a trombone), while mono song 7's windowed track sat
         * at 75-130 Hz in its leadless intro; a floor of 150 Hz, first 12 s, SI-SDRi lead / other: held-out mono
         * 10.10 / 7.28 -> 10.20 / 7.25 (110: 10.13 / 7.23, 180: 10.21 / 7.22; song 7's lead 13.25 -> 14.46 but its
         * other 8.20 -> 7.87: the track moves to the intro's upper parts), training mono the same to 2 decimals,
         * held-out stereo 10.20 / 7.33 / 11.40 / 8.52 -> 10.09 / 7.33 / 11.71 / 8.45 (d / b / l / o) with the other's
         * worst plain SDR against the best-gain mixture -1.16 -> -1.94. Not kept.
         */
        public double leadMinHz = 75, leadMaxHz = 1400;
        /**
         * Mono: the lead's register carried over windows ({@link LeadStep#monoRegister}): candidates more than
         * leadRegisterBelow semitones under its median keep leadMonoRegister of their salience (1: off). Session 12,
         * whole songs, mono SI-SDRi lead / other: held-out (12 x 24 s) 9.75 / 6.88 -> 9.85 / 6.96, training split
         * (8 x 24 s, Fluid R3) 12.08 / 5.32 -> 12.20 / 5.39; before harmonicSeconds 0.25, below 11 / 10 gave held-out
         * 9.91 / 6.97, 9.93 / 6.99 (12: 9.86 / 6.90) but training 12.01 / 5.13 at 10 (12.14 / 5.24 off): training song
         * 6's lead goes more than 10 semitones under its median (10.06 -> 6.21). Keep 0.2 gave the same figures as 0.5
         * (below 10). Held-out song 8's other, plain SDR against the best-gain mixture, -0.89 -> -0.94.
         */
        public double leadMonoRegister = 0.5, leadRegisterBelow = 12;
        /**
         * Mono: the lead's pitch-jump penalty per semitone ({@link LeadStep#monoJumpPenalty}; NaN: the stereo 0.25).
         * Session 13, whole songs, mono SI-SDRi lead / other (`SeparationDiag --mono`, 12 held-out songs x 24 s and
         * the 8 training-split songs x 24 s). On main 02811c7: 0.25 held-out 9.85 / 6.96, training 12.20 / 5.39; 0.3
         * 9.84 / 6.94 and 12.25 / 5.43; 0.4 9.92 / 7.04 and 12.25 / 5.41; 0.5 9.96 / 7.09 and 12.27 / 5.40; 0.6 9.93 /
         * 7.08 and 12.20 / 5.38; 0.9 9.84 / 7.01. With engineer drumsbass's mono bass evidence band (main df1deaf):
         * 0.25 9.85 / 7.05 and 12.23 / 5.49; 0.4 9.91 / 7.12 and 12.26 / 5.49; 0.5 9.92 / 7.14 but training 12.25 /
         * 5.47; 0.6 training 12.17 / 5.44: 0.4, the most that costs the training songs nothing. A higher cost of the
         * voiced / unvoiced switch (1 in both) on top, on 02811c7: 0.4 and 1.5 9.97 / 7.07 and 12.26 / 5.41 (the
         * held-out other's worst plain SDR -0.95 -> -1.05); 0.4 and 2 9.97 / 7.08 but training 11.97 / 5.28; 0.6 and
         * 2 10.01 / 7.12 but training 12.09 / 5.32; 0.6 and 3 10.02 / 7.15. In stereo 0.5 loses (held-out 11.80 /
         * 8.74 -> 11.73 / 8.69: the pan-weighted evidence already holds the track).
         */
        public double leadMonoJumpPenalty = 0.4;
        /**
         * Mono: the share of the accompaniment's level between the lead's partials taken back from their masks
         * ({@link LeadStep#monoValleys}; 0: off). Session 14, whole songs, mono SI-SDRi lead / other (the other's
         * worst plain SDR against the best-gain mixture; `SeparationDiag --mono`): held-out (12 x 24 s) 9.91 / 7.12
         * (-0.90) -> 10.06 / 7.29 (-1.17), training split (8 x 24 s, Fluid R3) 12.26 / 5.49 (-0.89) -> 12.51 / 5.62
         * (-0.92); with it the held parts off ({@code leadMonoHeldParts} 0) and the mono width 70 cents instead of 50
         * ({@code leadMonoWidthCents}): held-out 10.10 / 7.33 (-0.90), training 12.46 / 5.62 (-0.87). docs/separation-history.md's
         * session 14 paragraph has the sweep. Session 15, with the release tail 0.8: 1.2 times the gaps' level (an
         * over-subtraction, as Berouti, Schwartz & Makhoul 1979 do for noise) and 80 cents instead of 70, held-out
         * 10.17 / 7.47 (-0.80) -> 10.19 / 7.50 (-0.82), training 12.53 / 5.84 (-0.80) -> 12.55 / 5.85 (-0.81); 1.2
         * alone 10.19 / 7.49 (-0.86) and 12.56 / 5.85 (-0.81); 80 cents alone 10.17 / 7.48 (-0.76) and 12.52 / 5.84.
         */
        public double leadMonoValleys = 1.2;
        /**
         * Mono: a run of the lead's voiced frames moves an octave up (or else down) where its partials there are
         * closer to the lead's carried timbre (the first 8 partials' relative levels, 10 s memory) than this share of
         * their distance at the tracked pitch ({@link LeadStep#monoTimbreOctave}; 0: off). Session 16, whole songs,
         * mono SI-SDRi lead / other (the other's worst plain SDR against the best-gain mixture; `SeparationDiag
         * --mono`): held-out (12 x 24 s) 10.23 / 7.64 (-0.01) -> 10.41 / 7.78 (0.01), training split (8 x 24 s,
         * Fluid R3) 12.63 / 5.98 (-0.68) -> 12.77 / 6.07 (-0.68); 0.4 10.40 / 7.78 and 12.66 / 6.00, 0.6
         * 10.42 / 7.80 and 12.76 / 6.07. Up only: 0.5 10.40 / 7.78 and 12.63 / 5.98. Without the fundamental's check
         * (frames whose fundamental the bass's band took counted too), up only: 0.5 10.41 / 7.78 but training
         * 12.45 / 5.88 (song 6, a trombone whose low notes lose their first partial to the bass, 11.03 -> 9.60), 0.7
         * 9.81 / 7.25 (held-out song 5 12.57 -> 5.21); partials the steps before took left out of the profiles
         * instead: 0.5 9.85 / 7.34. docs/separation-history.md's session 16 paragraph has the rest.
         */
        public double leadMonoTimbreOctave = 0.5;
        public double drumsMidWeight = 2, drumsMidLoHz = 300, drumsMidHiHz = 1000;
        /**
         * The drums' main decision scales the median along time's harmonic evidence above drumsWashHz by this weight,
         * before the line evidence ({@link HpssStep#washWeight}; 1: off): a cymbal's sustained wash is noise held along
         * time, which the median along time called harmonic and left to "other" and the lead, while the tonal parts'
         * partials up there are lines, which the line evidence keeps. Session 15, `SeparationDiag --focus drums`: at
         * 3-6 kHz the "other" mask held 0.26-0.28 of the drums' energy in training song 4 and held-out song 7. SI-SDRi
         * drums / bass / lead / other, whole songs (12 / 8 x 24 s): held-out stereo 11.31 / 8.79 / 11.73 / 9.08 -> 11.34
         * / 8.79 / 11.72 / 9.08, mono 10.21 / 6.24 / 10.13 / 7.45 -> 10.23 / 6.24 / 10.13 / 7.46; training split (Fluid
         * R3) stereo 10.20 / 9.40 / 12.85 / 9.35 -> 10.33 / 9.40 / 12.97 / 9.44, mono 9.39 / 8.06 / 12.53 / 5.83 -> 9.49
         * / 8.06 / 12.65 / 5.94. Weight 0.25 the same within 0.01; first 12 s, stereo, held-out / training drums: 0.6
         * 10.76 / 10.88, 0.4 10.78 / 10.91, 0.25 10.79 / 10.92 (base 10.72 / 10.74); from 2 kHz 10.76 / 10.88, from 4.5
         * kHz 10.75 / 10.81. Lowering the 6 kHz split instead helped the training songs (4 kHz: drums 11.01) and cost the
         * held-out leads (10.83 from 11.42); with the wash weight, raising it to 9 kHz helped the held-out songs (drums
         * 11.10, lead 11.65) and cost the training songs (drums 10.61).
         */
        public double drumsWashWeight = 0.4, drumsWashHz = 3000;
        /**
         * Mono: the drums' main decision counts the least level a bin holds through the next {@code
         * drumsMonoSustainFrames} frames, times this weight, as harmonic evidence between the two frequencies where that
         * level is at least {@code drumsMonoSustainHold} of the bin's level now ({@link HpssStep#monoSustain}; 0: off):
         * a short note's partials (stabs, plucks) still sound two frames on, a drum hit's have fallen. Session 35,
         * `SeparationDiag --mono --after drums`, whole songs: above 150 Hz the drums' loss after the Wiener step is
         * mostly the others' energy in the drums on the held-out songs (150-300 / 300-600 / 600-1000 Hz "out" +0.21 /
         * +0.24 / +0.12 dB; song 10's clavinet, 2's synth lead) but the drums' energy in the others on the training
         * songs (150-300 Hz "back" +0.45: Fluid R3's ringing toms and snare). Weight 1, 2 frames, hold 0.85, 150-1000
         * Hz, whole songs, mono SI-SDRi drums / bass / lead / other: held-out 11.78 / 9.22 / 10.63 / 8.48 -> 11.86 / 9.23
         * / 10.64 / 8.52, training 10.51 / 9.28 / 12.75 / 6.92 -> 10.53 / 9.29 / 12.76 / 6.91. Without the hold (first 12
         * s, 300-3000 Hz) held-out drums +0.16 but training -0.15; hold 0.7-0.8 or weight 1.5 cost training song 7's
         * lead (mean -0.08). docs/separation-history.md, session 35.
         */
        public double drumsMonoSustain = 1, drumsMonoSustainHold = 0.85, drumsMonoSustainLoHz = 150, drumsMonoSustainHiHz = 1000;
        public int drumsMonoSustainFrames = 2;
        /**
         * Above the drums' high split (drumsHighSplitHz) a bin's share {@code max(0, |X| - margin P) / |X|} (P its median
         * along frequency) stays out of the drums ({@link HpssStep#highLines}; 0: everything above the split to the
         * drums, as before). Session 15's `SeparationDiag --focus drums`: held-out song 2's synth/sitar lead, 13 % of
         * its energy above 6 kHz, went to the drums there (a perfect drums band above 6 kHz +3.97 dB); raising the split
         * (sessions 6 and 15) handed the cymbals back to the median along time and cost the training songs. A lead's
         * partial up there stands far above the median along frequency, a cymbal's or hat's noise does not. First 12 s,
         * SI-SDRi drums / bass / lead / other (worst lead), stereo: held-out 10.78 / 8.86 / 11.42 (3.90) / 8.87 -> 11.05
         * / 8.86 / 11.61 (6.03) / 8.84 (song 2: drums 5.07 -> 8.74 at margin 6, lead 3.90 -> 6.25, other 8.31 ->
         * 7.86), training split (8 songs, Fluid R3) 10.91 / 10.28 / 12.46 / 9.81 unchanged to two decimals; margin 6
         * 11.09 / 8.86 / 11.63 / 8.83 and 10.90 / 10.28 / 12.45 / 9.80, margin 3 11.11 / 8.86 / 11.65 / 8.85 and 10.82
         * / 10.28 / 12.40 / 9.74. Mono: held-out 9.94 / 7.44 / 10.35 / 8.18 -> 10.20 / 7.44 / 10.53 / 8.16 (margin 6
         * 10.24 / 7.44 / 10.55 / 8.15), training 10.15 / 8.83 / 12.53 / 6.99 unchanged (margin 6 10.14 / 8.83 / 12.51
         * / 6.98). Whole songs (`SeparationEval --only default`, held-out): stereo 11.34 / 8.79 / 11.72 (4.62) / 9.08 ->
         * 11.58 / 8.79 / 11.90 (6.57) / 9.05, mono 10.23 / 7.25 / 10.23 (3.92) / 7.78 -> 10.45 / 7.25 / 10.38 (5.66) /
         * 7.76; training split (`SeparationDiag`) stereo 10.33 / 9.40 / 12.97 / 9.44 unchanged, mono 9.51 / 8.26 /
         * 12.64 / 6.33 -> 9.51 / 8.26 / 12.64 / 6.32.
         */
        public double drumsHighLineMargin = 10;
        /**
         * The kick against the bass decided over time from the kick's learned template ({@link KickTemplate}): how
         * far the template's share moves the long window's decision (0: off), the mode (0: only towards the drums,
         * 1: blended where an onset's template reaches), the template's length after the onset (s), the onset
         * threshold (the low band's rise as a share of its level), the patches kept over windows, the smallest gain
         * an onset must hold of the template, the band the onsets are found in (Hz), the quantile over the patches
         * that makes the template and the one over an onset's ratios to it that makes its gain, and the cosine
         * similarity that makes patches one kick. Session 10, first 12 s, SI-SDRi
         * drums / bass / lead / other: held-out stereo 10.06 / 6.96 / 11.40 / 8.54 -> 10.20 / 7.33 / 11.40 / 8.52
         * (worst song's drums 2.33 -> 3.87, bass -1.86 -> -1.45), training split (8 songs, Fluid R3) stereo 10.28 /
         * 8.63 / 12.00 / 8.73 -> 10.47 / 8.89 / 12.01 / 8.70 (worst bass 0.15 -> 2.71), mono 9.43 / 7.66 / 11.60 /
         * 5.05 -> 9.64 / 7.91 / 11.61 / 5.06 (worst bass -1.11 -> 0.86). Around it on the held-out songs (0.35 s):
         * weight 1 9.69 / 6.75, 0.4 10.24 / 7.29; mode 0 (weight 1) 9.89 / 6.64; quantile 0.2 10.00 / 6.98, 0.5
         * 10.11 / 7.02 (power-domain excess, below); similarity 0.6 9.98 / 7.18, 0.8 10.17 / 7.12; onset threshold
         * 0.2 10.03 / 7.07, 0.45 10.10 / 7.21; 32 patches 10.06 / 7.22; 0.25 s 9.95 / 7.08. Without the background
         * subtraction (patches of the mixture's magnitude, median over them) the template held the bass (weight 1,
         * mode 1: drums 1.36, bass -0.07); the excess in power ({@code sqrt(|X|^2 - B^2)}) 10.10 / 7.14; the share
         * taken against the short window's harmonic median instead of the mixture ({@code E^2 / (E^2 + H^2)}) 10.22
         * / 6.81.
         */
        /**
         * Stereo: what the bass step leaves below the kick split handed to the drums as far as the kick decision called
         * it percussive, weighted towards the kick's pan position with this Gaussian width ({@link KickRemainderStep};
         * 0: off). `SeparationDiag --focus drums` showed a perfect 60-150 Hz drums band alone worth +1 to +5 dB in 11
         * of 12 held-out songs; in song 7 the drums mask held 39 % of the kick's energy there and "other" 16 %: the
         * kick, panned away from the bass, lost the bass step's pan weighting and fell through. Session 11, first 12
         * s, stereo SI-SDRi drums / bass / lead / other (worst other): held-out 10.19 / 7.75 / 11.54 / 8.59 (0.14) ->
         * 10.40 / 7.74 / 11.64 / 8.62 (0.17), training split (8 songs, Fluid R3) 10.46 / 9.37 / 12.11 / 9.00 -> 10.57
         * / 9.39 / 12.12 / 9.03. Width 0.05: held-out 10.26 / other 8.52 (worst plain SDR of other -0.71 -> -0.99),
         * training 10.58 / 9.05; 0.2: held-out 10.54 / 8.72, training 10.53 / 8.93 (worst drums 4.42 -> 4.13). Without
         * the pan weighting: held-out 10.61 / 7.73 / 11.64 / 8.78 but song 3's other below the mixture (0.14 ->
         * -0.16; its organ and brass have low notes) and training 10.47 / 9.36 / 12.12 / 8.77 (training song 4's other
         * 8.32 -> 6.09); only up to 110 Hz, training 10.40 / 8.82; the share squared, held-out 10.41 with song 3's
         * other at 0.01; the kick template's share {@code min(1, (E/|X|)^2)} instead of the decision's, held-out 10.16
         * / 8.56 (song 3's other -0.17).
         */
        public double kickRemainderPan = 0.1;
        /** 1: mono input too, without pan weighting ({@link KickRemainderStep#mono}; see bassMonoCombHz). */
        public int kickRemainderMono = 1;
        public double kickTemplate = 0.5;
        public int kickTemplateMode = 1;
        public double kickTemplateSeconds = 0.5, kickOnsetRatio = 0.3, kickMinGain = 0.3;
        public int kickTemplatePatches = 16;
        public double kickOnsetLoHz = 40, kickOnsetHiHz = 150;
        public double kickTemplateQuantile = 0.3, kickGainQuantile = 0.5, kickSimilarity = 0.7;
        /**
         * Mono: the kick template's own weight and quantile ({@link KickTemplate#mono}); kept patches that peak more than
         * {@code kickPeakLags} ({@code kickMonoPeakLags}) frames after their onset join no group ({@link
         * KickTemplate#peakWithin}; 0: off); the last template carried into windows that learn none ({@code
         * kickTemplateCarry}, {@code kickMonoTemplateCarry}; {@link KickTemplate#carryTemplate}; 0: off). Session 28,
         * whole songs, mono SI-SDRi drums / bass / lead / other, held-out 11.32 / 8.97 / 10.63 / 8.39 -> 11.50 / 9.00 /
         * 10.63 / 8.42 (song 4's drums' plain margin 0.05 -> 0.15), training 10.20 / 9.01 / 12.78 / 6.67 -> 10.42 / 9.04
         * / 12.76 / 6.81. Stereo with the same four: held-out 13.12 / 10.00 / 13.21 / 10.91 -> 13.35 / 10.07 / 13.16 /
         * 10.87, but training bass 10.21 -> 10.13 (song 4 5.44 -> 3.52: its kick now learned, its bass handed over) and
         * other 11.98 -> 11.77: stereo kept them off. docs/separation-history.md, session 28 (engineer kicktail). Session 29: what song 4
         * lost was the low band's pan position, not the kick's take (the position held at the bass, {@code
         * bassPanHold} 1.5, gives it back): stereo takes the peak lags 4, decay 0.8 and the carry, with its own
         * weight and quantile (0.5 / 0.3); whole songs with the hold, held-out 13.12 / 10.00 / 13.21 / 10.91 -> 13.35 /
         * 10.04 / 13.16 / 10.86, training 11.09 / 10.21 / 13.81 / 11.98 -> 11.33 / 10.98 / 13.80 / 12.75.
         */
        public double kickMonoTemplate = 0.4, kickMonoTemplateQuantile = 0.25;
        public int kickPeakLags = 4, kickMonoPeakLags = 4, kickTemplateCarry = 1, kickMonoTemplateCarry = 1;
        /**
         * With the peak lags, a patch whose level 5-6 frames after its loudest lag is not below this share of that lag's
         * joins no group either, stereo / mono ({@link KickTemplate#decayBelow}; 0: off): the corpus's groups all decay
         * below 0.7 (mono whole songs the same to the last digit at 0.7 / 0.8 / 0.9; 0.5 held-out bass 9.00 -> 8.98, 0.2
         * 11.35 / 8.83), while a riff's held notes repeated at one pitch do not (RecipeRefinementsTest's timbre scene).
         */
        public double kickPeakDecay = 0.8, kickMonoPeakDecay = 0.8;
        /**
         * The kick template's expected magnitude learned from each patch less, per bin, what the bin has risen by
         * {@code kickLearnAfterSeconds} (stereo) / {@code kickMonoLearnAfterSeconds} (mono) after the onset, where that
         * is at least {@code kickLearnAfterHold} ({@code kickMonoLearnAfterHold}) of the bin's peak rise in the patch
         * ({@link KickTemplate#learnAfter}; 0: off): a bass note that starts with the kick sounds on after it and its
         * partials stay out of the template. Session 33, docs/separation-history.md (engineer kicklearn), whole songs
         * drums / bass SI-SDRi: held-out mono 11.75 / 9.02 -> 11.78 / 9.11, stereo 13.34 / 10.30 -> 13.34 / 10.35;
         * training mono 10.49 / 9.22 -> 10.51 / 9.25, stereo 11.45 / 11.17 -> 11.46 / 11.23. Stereo at hold 0.3 lost
         * training song 7's lead (3.88 -> 2.88 dB); a kick whose body still holds the hold's share 0.2 s on (a tonal
         * kick, an 808) loses that body where a note starts on it. Session 34 (docs/separation-history.md): per-bin
         * cues that keep such a body (the bin still holding 0.1 s later, a share of the group's later rise, the rise at
         * the onset, a steady fall, a harmonic neighbour's rise) bring the tonal kick back but lose held-out songs 0 and
         * 2, whose notes start on the kicks and end or change within 0.3 s; learning off wins on one song only
         * (held-out stereo song 11, +0.40 / +0.35 dB).
         */
        public double kickLearnAfterSeconds = 0.2, kickMonoLearnAfterSeconds = 0.2, kickLearnAfterHold = 0.5,
                kickMonoLearnAfterHold = 0.3;
        /**
         * Mono: the kick decision's share between {@code kickMonoSharpenLoHz} and {@code kickMonoSharpenHiHz} sharpened
         * to this power, {@code k^p / (k^p + (1 - k)^p)} ({@link HpssStep#kickMonoSharpen}; 1: off). Session 31, whole
         * songs, mono SI-SDRi drums / bass / lead / other, held-out 11.50 / 9.00 / 10.63 / 8.42 -> 11.70 / 8.99 / 10.63 /
         * 8.44, training 10.42 / 9.04 / 12.76 / 6.81 -> 10.47 / 9.18 / 12.75 / 6.92 ({@code SeparationDiag --mono}; the
         * drums' worst plain SDR against the best-gain mixture 0.15 -> 0.21). From 40 Hz held-out song 4's (TR-808)
         * drums fall below the best-gain mixture (-0.03); up to the body split (230 Hz) 11.73 / 10.55, but a tom's
         * ringing body above the kick split loses; power 1.5 / 2.5 11.65 / 11.70 with held-out bass 8.99 / 8.93.
         * docs/separation-history.md, session 31 (engineer monodrums).
         */
        public double kickMonoSharpen = 2, kickMonoSharpenLoHz = 60, kickMonoSharpenHiHz = 200;
        /**
         * Once a kick template is learned, every low-band onset's attack frames (two frames before it to this many
         * seconds after it) have their kick share moved towards 1 by {@code kickAttack} ({@link KickTemplate#attack};
         * 0: off). Session 14: per 12 s of the held-out songs the template's similarity gate passed 0-20 of each
         * song's 34-90 low-band onsets (a bass note starting with the kick, the next hit inside the 0.5 s patch), and
         * cutting the kick share at the onsets it rejected lost both stems (12 s, held-out drums / bass -0.34 / -0.30
         * dB, training -0.42 / -0.47): those onsets are kicks. Whole songs, SI-SDRi drums / bass / lead / other:
         * held-out stereo 11.13 / 7.72 / 11.80 / 8.74 -> 11.31 / 7.85 / 11.78 / 8.75, training split (8 songs, Fluid
         * R3) stereo 9.97 / 8.57 / 12.71 / 8.97 -> 10.19 / 8.75 / 12.70 / 8.96 (mono: docs/separation-history.md). Weight 0.3: held-out
         * stereo 11.35 / 7.88 / 11.77 / 8.75 but training other 8.82 (training song 4's low parts' onsets went to the
         * drums: other 3.82 -> 2.59); 0.3 from 55 Hz up: training 10.30 / 8.60 / 12.68 / 8.76; docs/separation-history.md has the rest.
         */
        public double kickAttack = 0.4, kickAttackSeconds = 0.05;
        /**
         * The attack's weight per bin scaled by the learned template's level there over the attack frames, relative to
         * its loudest bin, to this power ({@link KickTemplate#attackShape}; 0: every bin below the kick split alike,
         * session 14's 0.2). The flat attack moved every low onset's bins towards the drums, a plucked bass note's
         * partials at 80-200 Hz too, where a drum machine's kick (a 50-70 Hz sine) has almost nothing: held-out song 4
         * (a TR-808 over a slap bass) had the attack off at drums / bass 4.22 / 4.89 against 4.01 / 4.21 with it, its
         * drums' plain SDR -0.02 against -0.40 dB below the best-gain mixture. Shaped, the attack can weigh more where
         * the kick is. Session 18, shape 1 with {@code kickAttack} 0.4 (from 0.2, shape 0), whole songs, SI-SDRi drums /
         * bass / lead / other (worst song), `SeparationDiag`: held-out stereo 11.77 (4.01) / 8.92 / 11.89 / 9.12 ->
         * 11.79 (4.32) / 8.98 / 11.90 / 9.11 (the drums' worst plain SDR -0.40 -> -0.24), mono 10.69 (3.72) / 7.61 /
         * 10.56 / 7.91 -> 10.72 (3.90) / 7.65 / 10.56 / 7.92 (-0.61 -> -0.51); training split stereo 10.36 / 9.41 /
         * 12.97 / 9.53 -> 10.43 / 9.51 / 12.97 / 9.54, mono 9.54 / 8.31 / 12.62 / 6.36 -> 9.57 / 8.35 / 12.62 / 6.35.
         * Shape 1.5 with 0.4: held-out stereo 11.77 / 8.97 (plain SDR -0.17), training 10.39 / 9.51 / 12.97 / 9.58,
         * mono 10.71 / 7.64 and 9.56 / 8.31; shape 1 with 0.3: 11.76 / 8.96 (-0.17), training 10.36 / 9.44. The docs/separation-history.md
         * has the rest.
         */
        public double kickAttackShape = 1;
        /**
         * Mono: before the bass's low band, the drums take this share of the kick decision's confident share (above
         * {@code kickMonoBeforeBassFloor}, rescaled to 0..1) of what is left, between the two frequencies, away from the
         * bass's tracked harmonics (1 minus a Gaussian of {@code kickMonoBeforeBassWidth} bins around each; {@link
         * KickRemainderStep#beforeBass}; 0: off). Session 25, docs/separation-history.md (engineer kickbass).
         */
        public double kickMonoBeforeBass = 1, kickMonoBeforeBassWidth = 1, kickMonoBeforeBassLoHz = 60,
                kickMonoBeforeBassHiHz = 150, kickMonoBeforeBassFloor = 0.5;
        /**
         * Mono, with the step above: on the bass's tracked harmonics at the same frequencies, the drums take this share
         * of the kick template's expected share {@code min(1, (E / |X|)^2)} of what is left, in the frames the template
         * reaches ({@link KickRemainderStep#onCombTemplate}; 0: off). Session 32, docs/separation-history.md (engineer
         * kickbass): whole songs, mono SI-SDRi drums / bass (`SeparationEval --only default`), held-out 11.70 / 8.99
         * -> 11.73 / 9.01, training 10.47 / 9.18 -> 10.47 / 9.20; by song a trade (held-out 2 +0.70 / +0.73, 0 -0.13 /
         * -0.25, 3 -0.20 / -0.13): where the bass's notes start with the kicks the template learns their partials
         * too and hands them to the drums. Stereo's (the same on the stereo partials' comb) lost at 12 s (held-out
         * 12.75 / 10.11 -> 12.74 / 10.09, training 12.00 / 11.41 -> 11.98 / 11.37), so stereo has none.
         */
        public double kickMonoOnCombTemplate = 1;
        /**
         * Mono, with the share above: capped where the tracker holds the onset's note {@code kickMonoOnCombCapSeconds}
         * later, at {@code 1 - (cap L / |X|)^2}, L the bin's level then ({@link KickRemainderStep#onCombCap}; 0: off).
         * Session 32, docs/separation-history.md (engineer kickbass's cap, landed by the lead): whole songs, mono
         * SI-SDRi drums / bass, held-out 11.73 / 9.01 -> 11.75 / 9.02 (song 3 13.90 / 7.28 -> 14.04 / 7.37), training
         * 10.47 / 9.20 -> 10.49 / 9.22 (song 5 12.35 / 10.52 -> 12.43 / 10.62).
         */
        public double kickMonoOnCombCap = 2, kickMonoOnCombCapSeconds = 0.2;
        /**
         * Stereo: the same before the low band, off the stereo bass partials' tracked harmonics ({@link
         * KickRemainderStep#beforeBassStereo}; 0: off); with {@code kickStereoBeforeBassPan} 1 the low band's pan
         * histogram counts what it took ({@link BassStep#panCountsTaken}; 0: only what is still available). Session
         * 26, docs/separation-history.md (engineer kick).
         */
        public double kickStereoBeforeBass = 1, kickStereoBeforeBassWidth = 1, kickStereoBeforeBassLoHz = 60,
                kickStereoBeforeBassHiHz = 150, kickStereoBeforeBassFloor = 0.4;
        public int kickStereoBeforeBassPan = 1;
        /**
         * The kick decision's harmonic evidence at 60-150 Hz as a lower quantile along time instead of the median
         * ({@link HpssStep#kickHarmonicQuantile}; 0.5: the median): a kick repeated every beat fills most of the long
         * window's frames within the 0.5 s span, so the median called it sustained and the share hedged. Session 16,
         * mono 0.4 (stereo keeps 0.5). Whole songs, mono SI-SDRi drums / bass / lead / other (`SeparationDiag --mono`):
         * held-out 10.23 / 7.12 / 10.23 / 7.64 -> 10.38 / 7.26 / 10.23 / 7.66 (0.3: 10.48 / 7.34 / 10.23 / 7.67),
         * training split 9.49 / 8.10 / 12.63 / 5.98 -> 9.51 / 8.15 / 12.62 / 5.95 (0.3: other 5.92, its worst song
         * -4.28 -> -4.71). Stereo (first 12 s) trades: 0.4 held-out 10.78 / 8.86 / 11.42 / 8.87 -> 10.93 / 8.85 / 11.47
         * / 8.92, training 10.91 / 10.28 / 12.46 / 9.81 -> 10.98 / 10.30 / 12.41 / 9.75, the TR-808's drums 4.09 -> 3.85.
         */
        public double kickHarmonicQuantile = 0.5, kickMonoHarmonicQuantile = 0.4, kickQuantileLoHz = 60,
                kickQuantileHiHz = 150;
        /**
         * The drums' main decision handed to the kick decision up to this split, stereo / mono ({@link
         * HpssStep#kickBodySplit}; 0: off), mono with the comb evidence up to {@code kickMonoCombTopHz}. docs/separation-history.md,
         * session 22 (drums).
         */
        public double kickBodySplitHz = 230, kickMonoBodySplitHz = 230;
        /**
         * Stereo, 1: the body split's extra drums share handed over after the bass step, out of what the bass left
         * ({@link HpssStep#kickBodyAfterBass}; 0: in the drums' step). docs/separation-history.md, session 23 (drums).
         */
        public int kickBodyAfterBass = 1;
    }

    /** The default recipe as a {@link Separator}: one resolution, or drums at their own window size first. */
    public static Separator defaultSeparator(Settings s) {
        if (s.drumsFft <= 0) return defaultRecipe(s);
        MaskCascade drums = new MaskCascade("drums", List.of(drumsStep(s)), "rest", 1, 0);
        MaskCascade tonal = new MaskCascade("tonal", tonalSteps(s), "other", s.softPower, 0);
        return new ResolutionCascade("default", List.of(new ResolutionCascade.Stage(drums, s.drumsFft),
                new ResolutionCascade.Stage(tonal, 4096)), "other");
    }

    public static MaskCascade defaultRecipe(Settings s) {
        List<MaskStep> steps = new ArrayList<>();
        HpssStep drums = drumsStep(s);
        steps.add(drums);
        LeadStep partials = null; // the stereo bass partials' tracker, for kickStereoBeforeBass
        for (MaskStep t : tonalSteps(s)) {
            if (t instanceof BassPartialsStep) partials = ((BassPartialsStep) t).combStep();
            if (t instanceof BassStep && s.kickStereoBeforeBass > 0 && partials != null) {
                KickRemainderStep k = new KickRemainderStep(drums, "drums", 1).beforeBass(partials,
                        s.kickStereoBeforeBass, s.kickStereoBeforeBassWidth, s.kickStereoBeforeBassLoHz,
                        s.kickStereoBeforeBassHiHz, s.kickStereoBeforeBassFloor).beforeBassStereo(true);
                steps.add(k);
                if (s.kickStereoBeforeBassPan != 0) ((BassStep) t).panCountsTaken(k::lastTaken);
            }
            if (t instanceof BassStep && s.kickMonoBeforeBass > 0 && ((BassStep) t).monoCombTracker() != null) {
                // mono: the kick's confident share off the bass's tracked partials, before the low band's comb floor
                steps.add(new KickRemainderStep(drums, "drums", 1).beforeBass(((BassStep) t).monoCombTracker(),
                        s.kickMonoBeforeBass, s.kickMonoBeforeBassWidth, s.kickMonoBeforeBassLoHz,
                        s.kickMonoBeforeBassHiHz, s.kickMonoBeforeBassFloor).onCombTemplate(s.kickMonoOnCombTemplate)
                        .onCombCap(s.kickMonoOnCombCap, s.kickMonoOnCombCapSeconds));
            }
            steps.add(t);
            // right after the low band: it takes what the bass step's pan weighting left there
            if (t instanceof BassStep && s.kickRemainderPan > 0) {
                steps.add(new KickRemainderStep(drums, "drums", s.kickRemainderPan).mono(s.kickRemainderMono != 0));
            }
        }
        MaskCascade c = new MaskCascade("default", steps, "other", s.softPower, s.wiener).panPrior(s.panPrior,
                s.panPriorRestPower, s.panPriorRestTopHz, s.panPriorKeepLead != 0 ? new String[] {"vocals"} : new String[0]);
        if (s.bassWienerImageHz > 0) {
            c.wienerTiedImage("bass", s.bassSplitHz / 1.25, s.bassWienerImageFromHz, s.bassWienerImageHz);
        }
        if (s.wienerImageDrums > 0 || s.wienerImageOther > 0 || s.wienerImageLead > 0 || s.wienerImageBass > 0) {
            c.wienerImageBlend(new String[] {"drums", "other", "vocals", "bass"}, new double[] {s.wienerImageDrums,
                    s.wienerImageOther, s.wienerImageLead, s.wienerImageBass}, s.wienerImagePower);
        }
        if (s.wienerImageDrumsRankOneHz > 0) c.wienerRankOneImage("drums", s.wienerImageDrumsRankOneHz);
        return c.chunking(s.windowSeconds, s.overlapSeconds);
    }

    static HpssStep drumsStep(Settings s) {
        KickTemplate kick = null;
        if (s.kickTemplate > 0) {
            kick = new KickTemplate(s.kickTemplate, s.kickTemplateMode, s.kickTemplateSeconds, s.kickOnsetRatio,
                    s.kickTemplatePatches, s.kickMinGain, s.kickOnsetLoHz, s.kickOnsetHiHz, s.kickTemplateQuantile,
                    s.kickGainQuantile, s.kickSimilarity).attack(s.kickAttack, s.kickAttackSeconds)
                    .attackShape(s.kickAttackShape).mono(s.kickMonoTemplate, s.kickMonoTemplateQuantile)
                    .peakWithin(s.kickPeakLags, s.kickMonoPeakLags)
                    .decayBelow(s.kickPeakDecay, s.kickMonoPeakDecay)
                    .carryTemplate(s.kickTemplateCarry != 0, s.kickMonoTemplateCarry != 0)
                    .learnAfter(s.kickLearnAfterSeconds, s.kickMonoLearnAfterSeconds, s.kickLearnAfterHold,
                            s.kickMonoLearnAfterHold);
        }
        return HpssStep.percussiveOnly("drums", s.harmonicSeconds, s.percussiveHz, s.hpssPower, s.drumsHighSplitHz)
                .kickVersusBass(s.kickSplitHz, s.kickHarmonicSeconds, s.kickPercussiveHz).kickBodySplit(s.kickBodySplitHz, s.kickMonoBodySplitHz)
                .kickBodyAfterBass(s.kickBodyAfterBass != 0)
                .kickLowPercussive(s.kickLowPercussiveHz, s.kickMonoLowPercussiveHz, s.kickLowPercussiveTopHz)
                .kickHarmonicQuantile(s.kickHarmonicQuantile, s.kickMonoHarmonicQuantile, s.kickQuantileLoHz, s.kickQuantileHiHz).kickLines(s.kickLines)
                .kickComb(s.kickComb, s.kickCombRatio, s.kickCombLoHz, s.kickCombTopHz).kickMonoComb(s.kickMonoComb).kickMonoCombTop(s.kickMonoCombTopHz)
                .kickMonoHarmonicSeconds(s.kickMonoHarmonicSeconds)
                .kickLeakage(s.kickLeakage != 0).kickDecimation(s.kickDecimate != 0)
                .midHarmonicWeight(s.drumsMidWeight, s.drumsMidLoHz, s.drumsMidHiHz)
                .washWeight(s.drumsWashWeight, s.drumsWashHz)
                .highLines(s.drumsHighLineMargin)
                .lines(s.drumsLines, s.drumsLineMargin, s.drumsLineMaxHz)
                .kickTemplate(kick)
                .kickMonoSharpen(s.kickMonoSharpen, s.kickMonoSharpenLoHz, s.kickMonoSharpenHiHz)
                .monoSustain(s.drumsMonoSustain, s.drumsMonoSustainFrames, s.drumsMonoSustainHold, s.drumsMonoSustainLoHz, s.drumsMonoSustainHiHz);
    }

    /** Bass (tracked partials, then the low band), then the lead by its tracked pitch. */
    static List<MaskStep> tonalSteps(Settings s) {
        List<MaskStep> l = new ArrayList<>();
        MaskStep fixedCap = s.bassHarmonicsHz > 0 ? new LeadStep("bass").pitchRange(s.bassMinHz, s.bassMaxHz)
                .harmonics(s.bassPartials, s.bassHarmonicsHz).voicing(s.bassVoicing).maskWidth(s.bassWidthBins, s.bassWidthCents)
                .pan(s.bassPartialPanWidth, s.bassPartialPanFloor).anchored(s.bassMonoEvidenceHz, s.bassSplitHz / 1.25).interpolatedSalience(s.bassSalienceInterp != 0)
                .anchorCap(s.bassAnchorCap).jumpPenalty(s.bassJumpPerSemitone)
                .monoCarriedReference(s.bassMonoCarriedReference) : null;
        LeadStep monoTracker = (LeadStep) fixedCap; // the tracker whose comb mono input runs (BassPartialsStep#mono)
        LeadStep stereoTracker = null; // the stereo partials' tracker (BassStep#restWithoutFundamental)
        if (s.bassHarmonicsHz > 0 && s.bassProfileQuantile > 0) {
            MaskStep mono = fixedCap;
            if (s.bassProfileMono != 0) {
                BassPartialsStep learned = learnedLevels(s, s.bassMonoEvidenceHz, s.bassMonoProfileWidthCents,
                        s.bassMonoProfileQuantile, s.bassMonoProfileMax, 0, s.bassMonoEnvelope, s.bassMonoEnvelopeRatio,
                        s.bassMonoEnvelopeLevelScale).envelopeMinHz(s.bassMonoEnvelopeMinHz);
                mono = learned;
                monoTracker = learned.combStep().monoExtendHarmonics(s.bassMonoExtendHz, s.bassMonoExtendRatio,
                        s.bassMonoExtendShare);
            }
            BassPartialsStep stereo = learnedLevels(s, s.bassEvidenceHz, s.bassProfileWidthCents, s.bassProfileQuantile,
                    s.bassProfileMax, s.bassNoteBackground, s.bassEnvelope, s.bassEnvelopeRatio, s.bassEnvelopeLevelScale)
                    .envelopeMinHz(s.bassEnvelopeMinHz).noteRise(s.bassNoteRise).mono(mono);
            stereoTracker = stereo.combStep().extendHarmonics(s.bassExtendHz, s.bassExtendRatio, s.bassExtendShare);
            l.add(stereo);
        } else if (fixedCap != null) {
            l.add(fixedCap);
        }
        l.add(new BassStep("bass", s.bassSplitHz, 1.25).pan(s.bassPanWidth, s.bassPanFloor).panHold(s.bassPanHold)
                .monoComb(monoTracker, s.bassMonoCombHz, s.bassMonoCombWidth, monoTracker == null ? 1 : s.bassMonoCombFloor)
                .monoCombUpper(s.bassMonoCombUpperHz, s.bassMonoCombUpperFloor, s.bassMonoCombUnvoiced)
                .monoCombRest(s.bassMonoCombRest)
                .restWithoutFundamental(stereoTracker, s.bassRestFundamental, s.bassRestHz,
                        stereoTracker == null ? 1 : s.bassRest)
                .stereoComb(stereoTracker, s.bassStereoCombHz, s.bassStereoCombWidth,
                        stereoTracker == null ? 1 : s.bassStereoCombFloor)
                .kickDemix(s.bassKickDemixLoHz, s.bassKickDemixHiHz, s.bassKickDemixApart, s.bassKickDemix,
                        s.bassKickDemixTaken));
        l.add(new LeadStep("vocals").pitchRange(s.leadMinHz, s.leadMaxHz).maskWidth(s.leadWidthBins, s.leadWidthCents)
                .monoWidthCents(s.leadMonoWidthCents).slopeWidth(s.leadSlopeWidth).monoVoicing(s.leadMonoVoicing).voicing(s.voicing)
                .pan(s.panWidth, s.panFloor).peaks(s.leadPeaks != 0, s.leadSearchCents).envelope(s.leadEnvelope)
                .salienceFloor(s.leadSalienceFloor).subharmonicPenalty(s.leadSubharmonic)
                .monoReleaseTail(s.leadMonoReleaseTail).monoSpacingCap(s.leadMonoSpacingCap)
                .monoHeldParts(s.leadMonoHeldParts, s.leadHeldPartsReach)
                .monoRegister(s.leadMonoRegister, s.leadRegisterBelow)
                .monoJumpPenalty(s.leadMonoJumpPenalty).monoValleys(s.leadMonoValleys)
                .monoTimbreOctave(s.leadMonoTimbreOctave));
        return l;
    }

    /**
     * The bass partials with learned levels ({@link BassPartialsStep}), their tracker's evidence up to {@code
     * evidenceHz}; {@code noteMax} the note background's maximum ({@link BassPartialsStep#noteBackground}; 0: off),
     * {@code envelopeMax} the partial envelope's, with its ratio and level scale ({@link BassPartialsStep#envelope}; 0:
     * off).
     */
    private static BassPartialsStep learnedLevels(Settings s, double evidenceHz, double widthCents, double quantile,
                                                  double max, double noteMax, double envelopeMax,
                                                  double envelopeRatio, double envelopeLevelScale) {
        double anchor = s.bassSplitHz / 1.25;
        LeadStep comb = new LeadStep("bass").pitchRange(s.bassMinHz, s.bassMaxHz)
                .harmonics(s.bassProfilePartials, s.bassProfileHz).voicing(s.bassVoicing)
                .maskWidth(s.bassWidthBins, widthCents)
                .pan(s.bassPartialPanWidth, s.bassProfilePan != 0 ? 1 : s.bassPartialPanFloor).anchored(evidenceHz, anchor).interpolatedSalience(s.bassSalienceInterp != 0)
                .jumpPenalty(s.bassJumpPerSemitone).monoCarriedReference(s.bassMonoCarriedReference)
                .monoTimbreOctave(s.bassMonoTimbreOctave).monoTimbreVoicing(s.bassMonoTimbreVoicing, s.bassMonoTimbreVoicingBins)
                .monoFundamentalCheck(s.bassMonoFundamental).stereoFundamentalCheck(s.bassStereoFundamental, s.bassStereoFundamentalFloor).takenVoicing(s.bassTakenVoicing, s.bassMonoTakenVoicing).takenVoicingMonoMinBins(s.bassMonoTakenVoicingBins)
                .takenVoicingKeep(s.bassTakenVoicingKeep, s.bassSplitHz).monoChordNotes(s.bassMonoChordStart, s.bassMonoChordLevel);
        return new BassPartialsStep("bass", comb, anchor, quantile, s.bassProfileScale)
                .maxLevel(max).noteBackground(noteMax, s.bassNoteBackgroundWeight, s.bassNoteLevelScale,
                        s.bassNoteEdgeFrames, s.bassNoteMinFrames, s.bassNoteCents)
                .envelope(envelopeMax, envelopeRatio, envelopeLevelScale).panShare(s.bassPanShare).capDirection(s.bassCapDirection).pan(s.bassPartialPanWidth, s.bassProfilePan != 0 ? s.bassPartialPanFloor : 1);
    }

    /** Harmonic / percussive / residual (margin 2, power 2). */
    public static Separator hpss() {
        return new MaskCascade("hpss", List.of(HpssStep.full(0.25, 400, 2, 2)), null, 1, 0);
    }

    /** Stereo only: left / centre / right by panning position, what lies between as "other". */
    public static Separator spatial() {
        Map<String, Double> pos = new LinkedHashMap<>();
        pos.put("left", 0.0);
        pos.put("centre", 0.5);
        pos.put("right", 1.0);
        return new MaskCascade("spatial", List.of(new SpatialStep(pos, 0.1, 0.2)), "other", 1, 0);
    }

    /** REPET-SIM foreground (vocals) against the repeating background (accompaniment). */
    public static Separator repet() {
        // REPET-SIM finds the repetitions in its window: it needs long windows (offline only)
        return new MaskCascade("repet", List.of(new RepetSimStep("vocals", "accompaniment", 10, 1.0, 0.0)), null, 1, 0)
                .chunking(30, 1);
    }
}
