package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.RATE;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.siSdr;
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

    /**
     * {@link BassStep#kickDemix}: a bass (82.4 Hz, two harmonics) at pan position 0.50 and a kick (a 70 -> 50 Hz sweep
     * dying in 60 ms, every 0.25 s) at 0.62, both amplitude-panned as the corpus mixes them, and a drums step before
     * that took half of the kick's oracle share. The positions read lie within a histogram cell of the true ones; in
     * the band (20-150 Hz here) each bin's weight is the two-source solution's bass share on those directions (Cramer's
     * rule on the bin's two channels), and against the two unpanned sources' own spectra it follows the oracle power
     * ratio {@code |S_bass|^2 / (|S_bass|^2 + |S_kick|^2)} within 0.010 (energy-weighted mean), where the pan Gaussian
     * (width 0.1, floor 0.3) misses it by 0.367. The low band's bass (left channel) 9.70 -> 13.70 dB SI-SDR; with the
     * positions closer than the least apart, or
     * no bin taken as much as the least share, the Gaussian's band bit for bit.
     */
    @Test
    void kickDemixSplitsABinByTheBasssAndTheKicksPanningDirections() {
        int n = RATE;
        float[] bass = tone(n, t -> 82.4, 2, 0.2);
        float[] kick = new float[n];
        double ph = 0;
        for (int i = 0; i < n; i++) {
            double t = (i % (RATE / 4)) / (double) RATE;
            ph += 2 * Math.PI * (50 + 20 * Math.exp(-t / 0.03)) / RATE;
            kick[i] = (float) (0.6 * Math.exp(-t / 0.06) * Math.sin(ph));
        }
        double pb = 0.50, pk = 0.62;
        float[][] x = new float[2][n];
        for (int i = 0; i < n; i++) {
            x[0][i] = (float) (bass[i] * Math.cos(pb * Math.PI / 2) + kick[i] * Math.cos(pk * Math.PI / 2));
            x[1][i] = (float) (bass[i] * Math.sin(pb * Math.PI / 2) + kick[i] * Math.sin(pk * Math.PI / 2));
        }
        SpectralMix mix = SpectralMix.of(new AudioClip(AudioFormat.of(RATE, 2), x));
        SpectralMix sb = SpectralMix.of(new AudioClip(AudioFormat.of(RATE, 1), new float[][] {bass}));
        SpectralMix sk = SpectralMix.of(new AudioClip(AudioFormat.of(RATE, 1), new float[][] {kick}));
        int frames = mix.frames(), bins = mix.bins();
        float[][] available = new float[frames][bins];
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) {
                double pbb = sb.magnitude()[f][b] * sb.magnitude()[f][b], pkk = sk.magnitude()[f][b] * sk.magnitude()[f][b];
                available[f][b] = (float) (1 - 0.5 * (pbb + pkk > 0 ? pkk / (pbb + pkk) : 0));
            }
        }
        float[][] plain = copy(new BassStep("bass", 220, 1.25).pan(0.1, 0.3).take(mix, available).get("bass"));
        BassStep step = new BassStep("bass", 220, 1.25).pan(0.1, 0.3).kickDemix(20, 150, 0.05, 1, 0);
        float[][] demixed = step.take(mix, available).get("bass");
        assertEquals(pb, step.lastPan(), 0.0101, "the bass's position");
        assertEquals(pk, step.lastTakenPan(), 0.0101, "the taken energy's position");
        float[][] lowBand = new BassStep("bass", 220, 1.25).take(mix, available).get("bass");
        int lo = (int) Math.ceil(20 / mix.binHz()), hi = (int) Math.ceil(150 / mix.binHz());
        // the definition, by Cramer's rule on the directions the step read: (L, R) = B (cos ab, sin ab) + K (cos ak, sin ak)
        double ab = step.lastPan() * Math.PI / 2, ak = step.lastTakenPan() * Math.PI / 2;
        double det = Math.cos(ab) * Math.sin(ak) - Math.sin(ab) * Math.cos(ak);
        double errDemix = 0, errGauss = 0, weight = 0;
        int checked = 0;
        for (int f = 0; f < frames; f++) {
            for (int b = lo; b < hi; b++) {
                if (!(lowBand[f][b] > 0)) continue;
                double lr = mix.spectrum(0).re(f)[b], li = mix.spectrum(0).im(f)[b];
                double rr = mix.spectrum(1).re(f)[b], ri = mix.spectrum(1).im(f)[b];
                double br = (lr * Math.sin(ak) - Math.cos(ak) * rr) / det, bi = (li * Math.sin(ak) - Math.cos(ak) * ri) / det;
                double kr = (Math.cos(ab) * rr - Math.sin(ab) * lr) / det, ki = (Math.cos(ab) * ri - Math.sin(ab) * li) / det;
                double share = (br * br + bi * bi) / (br * br + bi * bi + kr * kr + ki * ki);
                assertEquals(lowBand[f][b] * share, demixed[f][b], 1e-5 * lowBand[f][b] + 1e-7, "frame " + f + " bin " + b);
                // against the two sources' own spectra: the oracle power ratio of the bass in the bin
                double pbb = sb.magnitude()[f][b] * sb.magnitude()[f][b], pkk = sk.magnitude()[f][b] * sk.magnitude()[f][b];
                double e = mix.magnitude()[f][b] * mix.magnitude()[f][b], oracle = pbb / (pbb + pkk);
                errDemix += e * Math.abs(demixed[f][b] / lowBand[f][b] - oracle);
                errGauss += e * Math.abs(plain[f][b] / lowBand[f][b] - oracle);
                weight += e;
                checked++;
            }
        }
        // energy-weighted mean |weight - oracle ratio| over the band: 0.010 split, 0.367 by the Gaussian
        assertTrue(errDemix / weight < 0.02, "split against the oracle ratio: " + errDemix / weight);
        assertTrue(errGauss / weight > 0.3, "the Gaussian against the oracle ratio: " + errGauss / weight);
        assertTrue(checked > frames, "bins checked: " + checked);
        double before = siSdr(bass, mix.apply(java.util.Map.of("bass", plain)).get("bass").samples()[0]);
        double after = siSdr(bass, mix.apply(java.util.Map.of("bass", demixed)).get("bass").samples()[0]);
        assertTrue(after > before + 3, "bass SI-SDR " + before + " -> " + after + " dB");
        // positions closer than the least apart: the Gaussian as without the rule
        float[][] near = new BassStep("bass", 220, 1.25).pan(0.1, 0.3).kickDemix(20, 150, 0.2, 1, 0)
                .take(mix, available).get("bass");
        for (int f = 0; f < frames; f++) assertTrue(java.util.Arrays.equals(plain[f], near[f]), "frame " + f);
        // no bin with 0.6 of it taken (the drums took half of the kick): the Gaussian in every bin
        float[][] untaken = new BassStep("bass", 220, 1.25).pan(0.1, 0.3).kickDemix(20, 150, 0.05, 1, 0.6)
                .take(mix, available).get("bass");
        for (int f = 0; f < frames; f++) assertTrue(java.util.Arrays.equals(plain[f], untaken[f]), "frame " + f);
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
