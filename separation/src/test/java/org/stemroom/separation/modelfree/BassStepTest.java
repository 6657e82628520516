package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.RATE;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.tone;

import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

/**
 * The bass step's comb weightings ({@link BassStep#monoComb}, {@link BassStep#stereoComb}) against their definition,
 * bin by bin, and its held pan position.
 */
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
        int checked = assertCombWeighted(plain, comb, track, fromHz, binHz, width, floor, -1);
        assertTrue(checked > frames, "bins weighted: " + checked);
    }

    /**
     * {@link BassStep#stereoComb}: on a stereo clip, from its start up the low band weighted by the Gaussian of the
     * distance to the nearest harmonic of the given track (floor between), in voiced frames; unvoiced frames and bins
     * below the start keep the band. The low band itself (no pan
     * weighting here) is the step without the comb.
     */
    @Test
    void stereoCombWeightsTheLowBandFromItsStartByTheDistanceToTheTrackedHarmonics() {
        float[] x = tone(RATE, t -> 61.7, 4, 0.3);
        AudioClip clip = new AudioClip(AudioFormat.of(RATE, 2), new float[][] {x, x.clone()});
        SpectralMix mix = SpectralMix.of(clip);
        int frames = mix.frames(), bins = mix.bins();
        double binHz = mix.binHz(), fromHz = 150, width = 1, floor = 0.4;
        // the track given: 61.7 Hz, every third frame unvoiced, every fifth at 77.8 Hz
        double[] track = new double[frames];
        for (int f = 0; f < frames; f++) track[f] = f % 3 == 2 ? 0 : f % 5 == 4 ? 77.8 : 61.7;
        LeadStep tracker = new LeadStep("bass").pitchRange(30, 260).givenTrack(track);
        float[][] available = new float[frames][bins];
        for (float[] r : available) java.util.Arrays.fill(r, 1f);
        float[][] plain = copy(new BassStep("bass", 220, 1.25).take(mix, available).get("bass"));
        tracker.take(mix, available);
        float[][] comb = new BassStep("bass", 220, 1.25).stereoComb(tracker, fromHz, width, floor)
                .take(mix, available).get("bass");
        int checked = assertCombWeighted(plain, comb, track, fromHz, binHz, width, floor, 1.5);
        assertTrue(checked > frames, "bins between the harmonics weighted: " + checked);
        // a mono clip is the mono comb's: the stereo comb leaves its low band as it is
        AudioClip mono = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {x});
        SpectralMix monoMix = SpectralMix.of(mono);
        float[][] monoPlain = copy(new BassStep("bass", 220, 1.25).take(monoMix, available).get("bass"));
        float[][] monoComb = new BassStep("bass", 220, 1.25).stereoComb(tracker, fromHz, width, floor)
                .take(monoMix, available).get("bass");
        for (int f = 0; f < frames; f++) assertTrue(java.util.Arrays.equals(monoPlain[f], monoComb[f]), "mono frame " + f);
    }

    /**
     * {@link BassStep#panHold}: a quiet bass (80 Hz, pan 0.55) and a low part elsewhere (50 Hz, pan 0.35) that is
     * quieter in the first window and slightly louder (energy x 1.44) in the next ones, as training song 4's other
     * stem is beside its bass: without the hold the low band's position goes over to the low part once its carried
     * energy passes the bass's; with a hold of 1.5 it stays at the bass. A low part four times the bass's amplitude
     * takes the position over all the same.
     */
    @Test
    void theHeldPanPositionStaysWithTheBassWhereALouderLowPartOnlyTiesWithIt() {
        double[] plain = positions(1, 0.8, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2);
        double[] held = positions(1.5, 0.8, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2);
        assertEquals(0.55, plain[0], 0.015);
        assertEquals(0.35, plain[plain.length - 1], 0.015, "without the hold the position follows the louder part");
        for (double p : held) assertEquals(0.55, p, 0.015, "held: " + java.util.Arrays.toString(held));
        double[] overtaken = positions(1.5, 0.8, 4, 4, 4);
        assertEquals(0.35, overtaken[overtaken.length - 1], 0.015, java.util.Arrays.toString(overtaken));
    }

    /** The low band's pan position after each 1 s window of the scene above, the low part's amplitudes given. */
    private static double[] positions(double hold, double... lowPart) {
        BassStep step = new BassStep("bass", 220, 1.25).pan(0.1, 0.3).panHold(hold);
        double[] out = new double[lowPart.length];
        for (int w = 0; w < lowPart.length; w++) {
            float[] bass = tone(RATE, t -> 80, 1, 0.1), low = tone(RATE, t -> 50, 1, 0.1 * lowPart[w]);
            float[][] x = new float[2][RATE];
            for (int i = 0; i < RATE; i++) {
                x[0][i] = (float) (bass[i] * Math.cos(0.55 * Math.PI / 2) + low[i] * Math.cos(0.35 * Math.PI / 2));
                x[1][i] = (float) (bass[i] * Math.sin(0.55 * Math.PI / 2) + low[i] * Math.sin(0.35 * Math.PI / 2));
            }
            SpectralMix mix = SpectralMix.of(new AudioClip(AudioFormat.of(RATE, 2), x));
            float[][] available = new float[mix.frames()][mix.bins()];
            for (float[] r : available) java.util.Arrays.fill(r, 1f);
            step.take(mix, available);
            out[w] = step.lastPan();
        }
        return out;
    }

    private static float[][] copy(float[][] m) {
        float[][] c = new float[m.length][];
        for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
        return c;
    }

    /**
     * Asserts the comb's low band bin by bin against its definition: in voiced frames, from {@code fromHz} up, the
     * band without the comb times {@code floor + (1 - floor) exp(-d^2 / (2 width^2))}, d the distance in bins to the
     * nearest harmonic h * track[f] (h >= 1); elsewhere the band as it is. Returns how many weighted bins lie more
     * than {@code minDistance} bins from every harmonic (every weighted bin for a negative one).
     */
    private static int assertCombWeighted(float[][] plain, float[][] comb, double[] track, double fromHz, double binHz,
                                          double width, double floor, double minDistance) {
        int bins = plain[0].length, from = (int) Math.ceil(fromHz / binHz), checked = 0;
        for (int f = 0; f < plain.length; f++) {
            for (int b = 0; b < bins; b++) {
                double expected = plain[f][b];
                if (track[f] > 0 && b >= from && plain[f][b] > 0) {
                    double d = Double.MAX_VALUE;
                    for (int h = 1; h * track[f] < bins * binHz; h++) d = Math.min(d, Math.abs(b * binHz - h * track[f]) / binHz);
                    expected *= floor + (1 - floor) * Math.exp(-d * d / (2 * width * width));
                    if (d > minDistance) checked++;
                }
                assertEquals(expected, comb[f][b], 1e-6 * Math.max(1, expected), "frame " + f + ", bin " + b);
            }
        }
        return checked;
    }
}
