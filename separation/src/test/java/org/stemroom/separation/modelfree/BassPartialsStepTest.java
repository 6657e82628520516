package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link BassPartialsStep#noteBackgroundRow} (row by row) against the per-bin means it replaces, bit for bit; {@link
 * BassPartialsStep#riseLimits}: a partial's raise within a note never rises after the attack.
 */
class BassPartialsStepTest {

    /** The per-bin form: each bin's mean over the frames, a frame at a time, as the step computed it before. */
    private static double offCombMean(float[][] m, float[][] mag, float[][] available, int b, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int f = from; f < to; f++) {
            if (m[f][b] > 0.1f * available[f][b]) continue;
            sum += mag[f][b];
            n++;
        }
        return n > 0 ? sum / n : -1;
    }

    @Test
    void aNoteEndsWhereThePitchLeavesItsStartOrTheTrackFallsSilent() {
        // 55 Hz held 3 frames, +30 cents (same note), +60 cents from the start (a new note), unvoiced, 55 Hz to the end
        double up30 = 55 * Math.pow(2, 30 / 1200.0), up60 = 55 * Math.pow(2, 60 / 1200.0);
        double[] track = {55, 55, 55, up30, up60, up60, 0, 55, 55};
        assertEquals(4, BassPartialsStep.noteEnd(track, 0, track.length, 50));
        assertEquals(6, BassPartialsStep.noteEnd(track, 4, track.length, 50));
        assertEquals(9, BassPartialsStep.noteEnd(track, 7, track.length, 50));
        // a wider reach joins the step of 60 cents; the frame count bounds the run
        assertEquals(6, BassPartialsStep.noteEnd(track, 0, track.length, 70));
        assertEquals(2, BassPartialsStep.noteEnd(track, 0, 2, 50));
        // the reach is measured from the note's first frame, not the previous one: 30 + 30 cents leave a 50-cent note
        double[] glide = {55, up30, 55 * Math.pow(2, 60 / 1200.0)};
        assertEquals(2, BassPartialsStep.noteEnd(glide, 0, glide.length, 50));
    }

    @Test
    void aGivenAnchorReadsTheMixturesLowBandWhereAnEarlierStepTookIt() {
        int n = 2 * ModelFreeSeparatorsTest.RATE;
        // stereo, centred: a bass (A1, 12 partials at 1/h) alone; an earlier step takes 0.9 of every bin below the
        // anchor band's top (as the kick's template takes the bass's low bins). The anchor then reads a tenth of the
        // bass's strongest low partial, the comb bins' ratio to it reaches the learned level's maximum, and the caps
        // keep less of the partials above the split; read from the mixture (rows of ones) they keep them
        float[] bass = ModelFreeSeparatorsTest.tone(n, t -> 55, 12, 0.3);
        org.stemroom.core.AudioClip clip = new org.stemroom.core.AudioClip(
                org.stemroom.core.AudioFormat.of(ModelFreeSeparatorsTest.RATE, 2), new float[][] {bass, bass.clone()});
        ModelFreeSeparators.Settings st = new ModelFreeSeparators.Settings();
        st.bassTakenVoicing = 1; // the tracker voices frames whose low band an earlier step took (the default unvoices them)
        double topHz = st.bassSplitHz / 1.25;
        MaskStep lowTaker = new MaskStep() {
            private final java.util.Map<String, float[][]> out = new java.util.HashMap<>();

            @Override
            public java.util.List<String> stemNames() { return java.util.List.of("drums"); }

            @Override
            public java.util.Map<String, float[][]> take(SpectralMix mix, float[][] available) {
                float[][] m = new float[mix.frames()][mix.bins()];
                int top = (int) Math.ceil(topHz / mix.binHz());
                for (int f = 0; f < m.length; f++) for (int b = 0; b < top; b++) m[f][b] = 0.9f * available[f][b];
                out.put("drums", m);
                return out;
            }
        };
        int frames = SpectralMix.of(clip).frames();
        double[] above = new double[3];
        float[][] recorded = null;
        for (int k = 0; k < 3; k++) {
            BassPartialsStep p = (BassPartialsStep) RecipeRefinementsTest.partialsStep(st);
            float[] ones = new float[SpectralMix.of(clip).bins()];
            java.util.Arrays.fill(ones, 1f);
            // k 1: every frame reads the mixture; k 2: the same rows for a call of another length (inert)
            float[][] rows = new float[k == 2 ? frames + 1 : frames][];
            java.util.Arrays.fill(rows, ones);
            p.givenAnchorAvailable(k == 0 ? null : rows).recordAnchorBand(true);
            SpectralMix sm = SpectralMix.of(clip);
            float[][] m = new MaskCascade("t", java.util.List.of(lowTaker, p), "other", 1, 0).masks(sm).get("bass");
            float[][] mag = sm.magnitude();
            int split = (int) Math.ceil(st.bassSplitHz / sm.binHz());
            for (int f = 0; f < frames; f++) {
                for (int b = split; b < sm.bins(); b++) above[k] += (double) m[f][b] * m[f][b] * mag[f][b] * mag[f][b];
            }
            if (k == 0) recorded = p.lastAnchorAvailable();
        }
        // what the anchor read: a tenth of each low bin left by the earlier step
        assertEquals(frames, recorded.length);
        assertEquals(0.1f, recorded[frames / 2][(int) (55 / SpectralMix.of(clip).binHz())], 1e-6f);
        // measured: the bass mask's energy above the split 0.80e6 with the recipe's anchor, 1.35e6 (x1.69) with the
        // mixture's; the same bits for the inert call
        assertTrue(above[1] > 1.4 * above[0], "bass energy above the split, recipe / mixture's anchor: " + above[0]
                + " / " + above[1]);
        assertEquals(above[0], above[2], "a given anchor for a call of another length changes nothing");
    }

    @Test
    void noteBackgroundRowGivesThePerBinMeansBits() {
        Random rnd = new Random(23);
        int frames = 40, bins = 513, top = 7;
        float[][] m = new float[frames][bins], mag = new float[frames][bins], available = new float[frames][bins];
        double[] sumBefore = new double[bins], sumAfter = new double[bins];
        int[] countBefore = new int[bins], countAfter = new int[bins];
        float[] row = new float[bins];
        int checked = 0, none = 0, nan = 0;
        for (int trial = 0; trial < 200; trial++) {
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    available[f][b] = rnd.nextInt(20) == 0 ? 0 : rnd.nextFloat();
                    mag[f][b] = rnd.nextFloat() * 3;
                    int kind = rnd.nextInt(4);
                    // off the comb, on it, exactly at the tenth (kept: not above it), or a little above
                    m[f][b] = kind == 0 ? 0 : kind == 1 ? rnd.nextFloat() : kind == 2 ? 0.1f * available[f][b]
                            : Math.nextUp(0.1f * available[f][b]);
                }
            }
            if (trial % 10 == 5) { // a bin on the comb in every frame: no side has a frame
                int b = top + rnd.nextInt(bins - top);
                for (int f = 0; f < frames; f++) m[f][b] = 1;
                available[0][b] = 1;
            }
            int s = rnd.nextInt(frames - 1), e = s + 1 + rnd.nextInt(frames - s - 1);
            int edge = rnd.nextInt(6); // 0: both sides empty
            int before = Math.max(0, s - edge), after = Math.min(frames, e + edge);
            if (trial % 10 == 3 && before < s) { // a NaN magnitude off the comb: the mean is NaN, and so the row
                int b = top + rnd.nextInt(bins - top);
                m[before][b] = 0;
                mag[before][b] = Float.NaN;
            }
            java.util.Arrays.fill(row, 5f); // stale values below top must stay
            BassPartialsStep.noteBackgroundRow(m, mag, available, top, bins, before, s, e, after, sumBefore,
                    countBefore, sumAfter, countAfter, row);
            for (int b = 0; b < top; b++) assertEquals(5f, row[b]);
            for (int b = top; b < bins; b++) {
                float want = (float) Math.max(offCombMean(m, mag, available, b, before, s),
                        offCombMean(m, mag, available, b, e, after));
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(row[b]),
                        "trial " + trial + " bin " + b);
                checked++;
                if (want == -1f) none++;
                if (Float.isNaN(want)) nan++;
            }
        }
        assertTrue(none > 1000 && nan > 0, "the edges were exercised: " + none + " without frames, " + nan + " NaN");
        assertTrue(checked > 100_000);
    }

    /** What the cap reads as a bin's raise: {@code mag - weight * background} (see BassPartialsStep#cap). */
    private static float[] raises(float[][] mag, float[][] background, int b, double weight) {
        float[] r = new float[mag.length];
        for (int f = 0; f < mag.length; f++) r[f] = (float) (mag[f][b] - weight * background[f][b]);
        return r;
    }

    @Test
    void riseLimitsHoldAPartialsRaiseAtItsLevelSoFarAfterTheAttack() {
        int frames = 8, bins = 6, top = 2;
        double weight = 2;
        // bin 2: a bass partial's attack over three frames, its decay, then another part entering on the same bin
        // bin 3: no background (no raise at all); bin 4: background 0; bin 5: a background above the note's start
        float[] noteRow = {7f, 7f, 0.1f, -1f, 0f, 1f};
        float[][] mag = {
            {9, 9, 0.5f, 1, 0.4f, 0.5f}, {9, 9, 1.0f, 1, 0.6f, 0.5f}, {9, 9, 0.9f, 1, 0.5f, 0.5f},
            {9, 9, 0.8f, 1, 0.4f, 0.5f}, {9, 9, 0.7f, 1, 0.3f, 3f}, {9, 9, 1.5f, 1, 0.9f, 3f},
            {9, 9, 1.5f, 1, 0.9f, 3f}, {9, 9, 0.6f, 1, 0.2f, 3f}};
        float[][] background = new float[frames][bins];
        for (float[] r : background) System.arraycopy(noteRow, 0, r, 0, bins);
        double[] allowed = new double[bins];
        java.util.Arrays.fill(allowed, 99); // stale values from an earlier note must not carry over
        BassPartialsStep.riseLimits(mag, noteRow, background, top, bins, 0, frames, weight, 1, allowed);
        // own raises 0.3 0.8 0.7 0.6 0.5 1.3 1.3 0.4: the attack keeps its own, after it at most the level so far
        float[] r2 = raises(mag, background, 2, weight);
        double[] want2 = {0.3, 0.8, 0.7, 0.6, 0.5, 0.5, 0.5, 0.4};
        for (int f = 0; f < frames; f++) assertEquals(want2[f], r2[f], 1e-6, "bin 2 frame " + f);
        for (int f = 0; f < frames; f++) assertEquals(-1f, background[f][3], "no background, no change");
        float[] r4 = raises(mag, background, 4, weight);
        double[] want4 = {0.4, 0.6, 0.5, 0.4, 0.3, 0.3, 0.3, 0.2};
        for (int f = 0; f < frames; f++) assertEquals(want4[f], r4[f], 1e-6, "bin 4 frame " + f);
        // bin 5's own raise is negative over the attack (no raise); the part entering later gets none either
        float[] r5 = raises(mag, background, 5, weight);
        for (int f = 0; f < 3; f++) assertEquals(-1.5, r5[f], 1e-6, "bin 5 attack frame " + f);
        for (int f = 3; f < 4; f++) assertEquals(-1.5, r5[f], 1e-6, "bin 5 frame " + f);
        for (int f = 4; f < frames; f++) assertEquals(0, r5[f], 1e-6, "bin 5 frame " + f);
        for (int f = 0; f < frames; f++) for (int b = 0; b < top; b++) assertEquals(7f, background[f][b], "below top");

        // a rise of 1.25 a frame lets the entering part's bin grow from the level so far, not to its whole magnitude
        for (float[] r : background) System.arraycopy(noteRow, 0, r, 0, bins);
        BassPartialsStep.riseLimits(mag, noteRow, background, top, bins, 0, frames, weight, 1.25, allowed);
        float[] q2 = raises(mag, background, 2, weight);
        assertEquals(0.5, q2[4], 1e-6);
        assertEquals(0.625, q2[5], 1e-6);
        assertEquals(0.78125, q2[6], 1e-6);
        assertEquals(0.4, q2[7], 1e-6);
    }

    /**
     * The note's rise limits made only up to {@link BassPartialsStep#maskedEnd} (what noteBackgrounds does) leave every
     * background the cap reads (where the comb's mask is not 0) as the limits made over all bins give it, bit for bit:
     * masks whose last non-zero bin is in one frame only, a NaN or a -0 as the last, or zero throughout.
     */
    @Test
    void riseLimitsUpToTheMasksLastBinGiveTheBackgroundsTheCapReads() {
        java.util.Random rnd = new java.util.Random(31);
        int bins = 300, top = 7, frames = 12;
        for (int trial = 0; trial < 200; trial++) {
            float[][] mag = new float[frames][bins], m = new float[frames][bins];
            float[] noteRow = new float[bins];
            for (int b = 0; b < bins; b++) noteRow[b] = rnd.nextInt(4) == 0 ? -1f : (float) (0.3 * rnd.nextDouble());
            int reach = top + rnd.nextInt(bins - top);
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) mag[f][b] = (float) rnd.nextDouble();
                // a sparse comb below a reach of its own per frame; the widest frame chosen at random
                int own = f == trial % frames ? reach : top + rnd.nextInt(reach - top + 1);
                for (int b = top; b < own; b++) if (rnd.nextInt(5) == 0) m[f][b] = (float) rnd.nextDouble();
            }
            int last = reach - 1;
            if (trial % 4 == 1 && last >= top) m[trial % frames][last] = Float.NaN;
            if (trial % 4 == 2 && last >= top) m[trial % frames][last] = -0f;
            if (trial % 4 == 3) for (float[] r : m) java.util.Arrays.fill(r, 0f);
            int end = BassPartialsStep.maskedEnd(m, 0, frames, top, bins);
            for (int f = 0; f < frames; f++) {
                for (int b = end; b < bins; b++) assertEquals(0f, m[f][b], 0f, "mask beyond the end: " + f + " " + b);
            }
            if (trial % 4 == 3) assertEquals(top, end);
            else if (trial % 4 == 1 && last >= top) assertEquals(reach, end, "a NaN is not 0");
            float[][] whole = new float[frames][bins], bounded = new float[frames][bins];
            for (int f = 0; f < frames; f++) {
                System.arraycopy(noteRow, 0, whole[f], 0, bins);
                System.arraycopy(noteRow, 0, bounded[f], 0, bins);
            }
            BassPartialsStep.riseLimits(mag, noteRow, whole, top, bins, 0, frames, 2, 1.25, new double[bins]);
            BassPartialsStep.riseLimits(mag, noteRow, bounded, top, end, 0, frames, 2, 1.25, new double[bins]);
            for (int f = 0; f < frames; f++) {
                for (int b = top; b < bins; b++) {
                    if (m[f][b] == 0) continue;
                    assertEquals(Float.floatToRawIntBits(whole[f][b]), Float.floatToRawIntBits(bounded[f][b]),
                            "trial " + trial + " frame " + f + " bin " + b);
                }
            }
        }
    }
}
