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
     * The low band's note background ({@link BassStep#noteBackground}), mono: a bass alternating 55 and 65 Hz every
     * half second (two partials each) under a steady 165 Hz tone, which lies on 55 Hz's third harmonic and off 65 Hz's
     * comb. Within the 55 Hz notes the 165 Hz bin keeps little (its level where the bass plays 65 Hz is its
     * background), the bass's own 110 Hz partial keeps its share (where the bass plays 65 Hz that bin is quiet).
     */
    @Test
    void noteBackgroundLeavesAPartHeldAcrossTheBasssNotesToTheLaterSteps() {
        double half = 0.5;
        java.util.function.DoubleUnaryOperator pitch = t -> ((int) (t / half)) % 2 == 0 ? 55 : 65;
        float[] bass = tone(3 * RATE, pitch, 2, 0.3), held = tone(3 * RATE, t -> 165, 1, 0.1);
        for (int i = 0; i < bass.length; i++) bass[i] += held[i];
        SpectralMix mix = SpectralMix.of(new AudioClip(AudioFormat.of(RATE, 1), new float[][] {bass}));
        int frames = mix.frames(), bins = mix.bins();
        double[] track = new double[frames];
        for (int f = 0; f < frames; f++) track[f] = pitch.applyAsDouble(f * mix.frameSeconds());
        LeadStep tracker = new LeadStep("bass").pitchRange(30, 260).givenTrack(track);
        float[][] available = new float[frames][bins];
        for (float[] r : available) java.util.Arrays.fill(r, 1f);
        tracker.take(mix, available);
        float[][] plain = copy(new BassStep("bass", 220, 1.25).monoComb(tracker, 40, 1, 1)
                .noteBackground(null, 0, 0, 100, 5, 2, 4, 50, 1.5).take(mix, available).get("bass"));
        float[][] rule = new BassStep("bass", 220, 1.25).monoComb(tracker, 40, 1, 1)
                .noteBackground(null, 0, 1, 100, 5, 2, 4, 50, 1.5).take(mix, available).get("bass");
        int tone = (int) Math.rint(165 / mix.binHz()), partial = (int) Math.rint(110 / mix.binHz());
        int checked = 0;
        for (int f = 0; f < frames; f++) {
            double t = f * mix.frameSeconds(), inNote = t % half;
            if (t < half || t > 2.5 || track[f] != 55 || inNote < 0.15 || inNote > half - 0.15) continue;
            assertEquals(1, plain[f][tone], 1e-6, "without the rule the low band keeps the held tone, frame " + f);
            assertTrue(rule[f][tone] < 0.2, "the held tone's bin, frame " + f + ": " + rule[f][tone]);
            assertTrue(rule[f][partial] > 0.8, "the bass's partial, frame " + f + ": " + rule[f][partial]);
            checked++;
        }
        assertTrue(checked >= 5, "frames checked: " + checked);
        // bins below the lowest frequency and the stereo weight (0) leave the mask as it was
        int low = (int) Math.floor(90 / mix.binHz());
        for (int f = 0; f < frames; f++) assertEquals(plain[f][low], rule[f][low], 1e-7, "frame " + f);
    }

    private static float[][] copy(float[][] m) {
        float[][] c = new float[m.length][];
        for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
        return c;
    }
}
