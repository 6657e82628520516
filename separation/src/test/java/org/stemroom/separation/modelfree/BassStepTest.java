package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.RATE;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.tone;

import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

/** The bass step's mono comb weighting ({@link BassStep#monoComb}) against its definition, bin by bin. */
class BassStepTest {

    @Test
    void monoCombWeightsTheLowBandByTheDistanceToTheTrackedHarmonics() {
        AudioClip clip = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {tone(RATE, t -> 55, 3, 0.3)});
        SpectralMix mix = SpectralMix.of(clip);
        int frames = mix.frames(), bins = mix.bins();
        double binHz = mix.binHz(), f0 = 55, fromHz = 40, width = 1.3, floor = 0.4;
        // the track given: 55 Hz, every third frame unvoiced (those keep the whole band)
        double[] track = new double[frames];
        for (int f = 0; f < frames; f++) track[f] = f % 3 == 2 ? 0 : f0;
        LeadStep tracker = new LeadStep("bass").pitchRange(30, 260).givenTrack(track);
        float[][] available = new float[frames][bins];
        for (float[] r : available) java.util.Arrays.fill(r, 1f);
        float[][] plain = copy(new BassStep("bass", 220, 1.25).take(mix, available).get("bass"));
        tracker.take(mix, available);
        float[][] comb = new BassStep("bass", 220, 1.25).monoComb(tracker, fromHz, width, floor).take(mix, available).get("bass");
        int from = (int) Math.ceil(fromHz / binHz), checked = 0;
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) {
                double expected = plain[f][b];
                if (track[f] > 0 && b >= from && plain[f][b] > 0) {
                    // distance in bins to the nearest harmonic h * f0, h >= 1
                    double d = Double.MAX_VALUE;
                    for (int h = 1; h * f0 < bins * binHz; h++) d = Math.min(d, Math.abs(b * binHz - h * f0) / binHz);
                    expected *= floor + (1 - floor) * Math.exp(-d * d / (2 * width * width));
                    checked++;
                }
                assertEquals(expected, comb[f][b], 1e-6 * Math.max(1, expected), "frame " + f + ", bin " + b);
            }
        }
        assertTrue(checked > frames, "bins weighted: " + checked);
    }

    /**
     * A decaying bass note at 55 Hz with a tone held at its third partial (165 Hz, a chord tone on the bass's own bin):
     * with the partial envelope the low band's claim on that bin follows the note's lower partials, so late in the note,
     * where the held tone is most of the bin, most of the bin is left to the later steps; the bass alone (its partials
     * decaying together) keeps its whole band. Both readings of the note's ratio: the frames' median and the attack's.
     */
    @Test
    void partialEnvelopeLeavesAToneHeldOnTheBasssBinAsTheNoteDecays() {
        int n = RATE;
        float[] bass = tone(n, t -> 55, 5, 0.3), held = new float[n];
        for (int i = 0; i < n; i++) {
            bass[i] *= (float) Math.exp(-i / (0.25 * RATE));
            held[i] = (float) (0.04 * Math.sin(2 * Math.PI * 165 * i / RATE));
        }
        float[] both = bass.clone();
        for (int i = 0; i < n; i++) both[i] += held[i];
        for (double quantile : new double[] {0.5, 0}) {
            float[][] alone = envelopeMasks(bass, quantile), plainBoth = envelopeMasks(both, -1), ruled = envelopeMasks(both, quantile);
            SpectralMix mix = SpectralMix.of(new AudioClip(AudioFormat.of(RATE, 1), new float[][] {both}));
            int frames = mix.frames(), b3 = (int) Math.round(165 / mix.binHz());
            double late = 0, kept = 0;
            int lateFrames = 0, judged = 0;
            for (int f = 3 * frames / 4; f < frames - 2; f++, lateFrames++) late += ruled[f][b3] / plainBoth[f][b3];
            float[][] plainAlone = envelopeMasks(bass, -1);
            for (int f = 2; f < frames - 2; f++) {
                for (int b = (int) Math.ceil(150 / mix.binHz()); b < mix.bins() && plainAlone[f][b] > 0; b++, judged++) {
                    kept += alone[f][b] / plainAlone[f][b];
                }
            }
            assertTrue(late / lateFrames < 0.5, "quantile " + quantile + ": held tone's bin late in the note keeps " + late / lateFrames);
            assertTrue(kept / judged > 0.97, "quantile " + quantile + ": the bass alone keeps " + kept / judged);
        }
    }

    /** The mono low band's masks of {@code x} with a 55 Hz track given, the partial envelope at weight 1.5 (quantile -1: off). */
    private static float[][] envelopeMasks(float[] x, double quantile) {
        SpectralMix mix = SpectralMix.of(new AudioClip(AudioFormat.of(RATE, 1), new float[][] {x}));
        double[] track = new double[mix.frames()];
        java.util.Arrays.fill(track, 55);
        LeadStep tracker = new LeadStep("bass").pitchRange(30, 260).givenTrack(track);
        float[][] available = new float[mix.frames()][mix.bins()];
        for (float[] r : available) java.util.Arrays.fill(r, 1f);
        tracker.take(mix, available);
        BassStep step = new BassStep("bass", 220, 1.25).monoComb(tracker, 40, 1, 1);
        if (quantile >= 0) step.partialEnvelope(null, 0, 1.5, 40, 150, 4, 50, quantile, 1.5, 0);
        return copy(step.take(mix, available).get("bass"));
    }

    private static float[][] copy(float[][] m) {
        float[][] c = new float[m.length][];
        for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
        return c;
    }
}
