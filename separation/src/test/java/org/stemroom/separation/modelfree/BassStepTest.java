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

    private static float[][] copy(float[][] m) {
        float[][] c = new float[m.length][];
        for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
        return c;
    }
}
