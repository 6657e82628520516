package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.separation.Separation;
import org.stemroom.separation.StemSet;

/** Each model-free piece on signals whose sources are known, scored by SI-SDR against them. */
class ModelFreeSeparatorsTest {
    static final int RATE = 44100;

    static double siSdr(float[] ref, float[] est) {
        double ss = 0, se = 0;
        for (int i = 0; i < ref.length; i++) { ss += (double) ref[i] * ref[i]; se += (double) ref[i] * est[i]; }
        double a = se / ss, t = 0, e = 0;
        for (int i = 0; i < ref.length; i++) { double tv = a * ref[i]; t += tv * tv; e += (est[i] - tv) * (est[i] - tv); }
        return 10 * Math.log10(t / e);
    }

    /** A harmonic tone (1/h amplitudes) following f0(t) in Hz. */
    static float[] tone(int n, java.util.function.DoubleUnaryOperator f0, int harmonics, double amp) {
        float[] x = new float[n];
        double ph = 0;
        for (int i = 0; i < n; i++) {
            double f = f0.applyAsDouble(i / (double) RATE);
            ph += 2 * Math.PI * f / RATE;
            double s = 0;
            for (int h = 1; h <= harmonics && h * f < RATE / 2.0; h++) s += Math.sin(h * ph) / h;
            x[i] = (float) (amp * s);
        }
        return x;
    }

    /** Noise bursts every beat with a fast decay (a hi-hat / snare stand-in). */
    static float[] clicks(int n, double period, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        int p = (int) (period * RATE);
        for (int i = 0; i < n; i++) x[i] = (float) (0.4 * r.nextGaussian() * Math.exp(-(i % p) / (0.004 * RATE)));
        return x;
    }

    static float[] add(float[]... xs) {
        float[] y = new float[xs[0].length];
        for (float[] x : xs) for (int i = 0; i < y.length; i++) y[i] += x[i];
        return y;
    }

    @Test
    void hpssSplitsASteadyToneFromClicks() throws Exception {
        int n = 3 * RATE;
        float[] h = tone(n, t -> 330, 8, 0.2), p = clicks(n, 0.25, 1);
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(h, p)});
        StemSet s = new Separation(ModelFreeSeparators.hpss()).separate(mix, Progress.NONE);
        assertEquals(List.of("harmonic", "percussive", "residual"), s.names());
        double dh = siSdr(h, s.get("harmonic").channel(0)), dp = siSdr(p, s.get("percussive").channel(0));
        double mh = siSdr(h, mix.channel(0)), mp = siSdr(p, mix.channel(0));
        assertTrue(dh > mh + 6 && dp > mp + 6, "HPSS SI-SDR harmonic " + mh + " -> " + dh + ", percussive " + mp + " -> " + dp);
        assertTrue(s.consistencyError(mix) <= 1e-5);
    }

    @Test
    void spatialExtractsSourcesAtTheirPanPositions() throws Exception {
        int n = 2 * RATE;
        // harmonic sources at different pitches: mostly disjoint in time-frequency, as panning masks assume
        float[][] src = {tone(n, t -> 220, 8, 0.1), tone(n, t -> 311, 8, 0.1), tone(n, t -> 415, 8, 0.1)};
        double[] pan = {0.0, 0.5, 1.0};
        float[][] mix = new float[2][n];
        float[][][] img = new float[3][2][n];
        for (int k = 0; k < 3; k++) {
            double th = pan[k] * Math.PI / 2;
            for (int i = 0; i < n; i++) {
                img[k][0][i] = (float) (Math.cos(th) * src[k][i]);
                img[k][1][i] = (float) (Math.sin(th) * src[k][i]);
                mix[0][i] += img[k][0][i];
                mix[1][i] += img[k][1][i];
            }
        }
        AudioClip m = new AudioClip(AudioFormat.of(RATE, 2), mix);
        StemSet s = new Separation(ModelFreeSeparators.spatial()).separate(m, Progress.NONE);
        String[] names = {"left", "centre", "right"};
        for (int k = 0; k < 3; k++) {
            int c = k == 2 ? 1 : 0;
            double d = siSdr(img[k][c], s.get(names[k]).channel(c));
            assertTrue(d > 8, names[k] + " SI-SDR " + d);
        }
        assertThrows(IllegalArgumentException.class,
                () -> ModelFreeSeparators.spatial().separate(new AudioClip(AudioFormat.of(RATE, 1), new float[][] {mix[0]})));
    }

    @Test
    void leadFollowsAGlidingMelodyAndBassTakesTheLowTone() throws Exception {
        int n = 4 * RATE;
        float[] lead = tone(n, t -> 392 * Math.pow(2, Math.sin(2 * Math.PI * 0.5 * t) / 3), 12, 0.15);
        float[] chord = add(tone(n, t -> 262, 6, 0.05), tone(n, t -> 330, 6, 0.05), tone(n, t -> 523, 6, 0.05));
        float[] bass = tone(n, t -> 55 * (t % 2 < 1 ? 1 : 1.5), 4, 0.3);
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(lead, chord, bass)});
        LeadStep step = new LeadStep("vocals");
        MaskCascade rec = new MaskCascade("t", List.of(new BassStep("bass", 220, 1.25), step), "other", 1, 0);
        StemSet s = rec.separate(mix);
        double[] track = step.lastTrack();
        SpectralMix sm = SpectralMix.of(mix);
        int good = 0, voiced = 0;
        for (int f = 5; f < track.length - 5; f++) {
            double t = f * sm.frameSeconds();
            double truth = 392 * Math.pow(2, Math.sin(2 * Math.PI * 0.5 * t) / 3);
            if (track[f] > 0) {
                voiced++;
                if (Math.abs(1200 * Math.log(track[f] / truth) / Math.log(2)) < 50) good++;
            }
        }
        assertTrue(voiced > 0.9 * (track.length - 10) && good > 0.9 * voiced, "pitch track: " + good + " of " + voiced
                + " voiced frames within 50 cents, " + track.length + " frames");
        double dl = siSdr(lead, s.get("vocals").channel(0)), ml = siSdr(lead, mix.channel(0));
        double db = siSdr(bass, s.get("bass").channel(0)), mb = siSdr(bass, mix.channel(0));
        assertTrue(dl > ml + 8, "lead SI-SDR " + ml + " -> " + dl);
        // the bass's 3rd and 4th partials (165 to 330 Hz) lie partly above the 220 Hz split and go to "other"
        assertTrue(db > mb + 6, "bass SI-SDR " + mb + " -> " + db);
    }

    @Test
    void defaultRecipeIsConsistentDeterministicAndKeepsChannels() throws Exception {
        int n = 3 * RATE;
        float[] mono = add(tone(n, t -> 440, 10, 0.1), tone(n, t -> 55, 4, 0.2), clicks(n, 0.5, 3));
        float[][] st = {mono.clone(), new float[n]};
        for (int i = 0; i < n; i++) st[1][i] = 0.7f * mono[i] + 0.01f * (float) Math.sin(i * 0.01);
        for (float[][] x : new float[][][] {{mono}, st}) {
            AudioClip mix = new AudioClip(AudioFormat.of(RATE, x.length), x);
            StemSet a = new Separation(ModelFreeSeparators.defaultRecipe()).separate(mix, Progress.NONE);
            StemSet b = new Separation(ModelFreeSeparators.defaultRecipe()).separate(mix, Progress.NONE);
            assertEquals(List.of("drums", "bass", "vocals", "other"), a.names());
            assertEquals(x.length, a.channels());
            assertTrue(a.consistencyError(mix) <= 1e-5, "sum error " + a.consistencyError(mix));
            for (String s : a.names()) {
                for (int c = 0; c < x.length; c++) assertArrayEquals(a.get(s).channel(c), b.get(s).channel(c), s + " deterministic");
            }
        }
    }

    /**
     * The recipe's window grid follows its settings, window and cross-fade apart: on a 1.5 s / 0.125 s grid the
     * output's first 1.375 s (window 0's own frames, no cross-fade) are the separation of the first 1.5 s alone, bit
     * for bit, while the frames just past them are a cross-fade (a 0.375 s cross-fade, the old window / 4, would
     * start 0.25 s earlier); the stems sum to the mixture on the new grid too.
     */
    @Test
    void recipeGridFollowsItsWindowAndCrossFadeSettings() throws Exception {
        ModelFreeSeparators.Settings st = new ModelFreeSeparators.Settings();
        st.windowSeconds = 1.5;
        st.overlapSeconds = 0.125;
        MaskCascade recipe = ModelFreeSeparators.defaultRecipe(st);
        assertEquals(1.5, recipe.maxChunkSeconds());
        assertEquals(0.125, recipe.chunkOverlapSeconds());
        int n = 4 * RATE;
        float[] mono = add(tone(n, t -> 330, 8, 0.1), tone(n, t -> 55, 4, 0.2), clicks(n, 0.5, 7));
        float[][] st2 = {mono.clone(), new float[n]};
        for (int i = 0; i < n; i++) st2[1][i] = 0.6f * mono[i] + 0.02f * (float) Math.sin(i * 0.003);
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 2), st2);
        Separation sep = new Separation(ModelFreeSeparators.defaultRecipe(st));
        assertEquals(66150, sep.grid(RATE).window());
        assertEquals(5513, sep.grid(RATE).overlap());
        StemSet whole = sep.separate(mix, Progress.NONE);
        assertTrue(whole.consistencyError(mix) <= 1e-5, "sum error " + whole.consistencyError(mix));
        int hop = sep.grid(RATE).hop(), w = sep.grid(RATE).window();
        float[][] head = new float[2][];
        for (int c = 0; c < 2; c++) head[c] = java.util.Arrays.copyOf(st2[c], w);
        StemSet first = new Separation(ModelFreeSeparators.defaultRecipe(st))
                .separate(new AudioClip(AudioFormat.of(RATE, 2), head), Progress.NONE);
        double pastHop = 0;
        for (String name : whole.names()) {
            for (int c = 0; c < 2; c++) {
                float[] a = whole.get(name).channel(c), b = first.get(name).channel(c);
                assertArrayEquals(java.util.Arrays.copyOf(b, hop), java.util.Arrays.copyOf(a, hop), name + " window 0's own frames");
                for (int i = hop; i < w; i++) pastHop = Math.max(pastHop, Math.abs(a[i] - b[i]));
            }
        }
        assertTrue(pastHop > 1e-4, "the cross-fade with window 1 starts at the hop: " + pastHop);
    }

    @Test
    void wienerRefinementKeepsTheSumAndHelpsPannedSources() throws Exception {
        int n = 2 * RATE;
        float[] a = tone(n, t -> 440, 10, 0.1), b = clicks(n, 0.3, 4);
        float[][] mix = new float[2][n];
        for (int i = 0; i < n; i++) { mix[0][i] = 0.9f * a[i] + 0.2f * b[i]; mix[1][i] = 0.3f * a[i] + 0.95f * b[i]; }
        AudioClip m = new AudioClip(AudioFormat.of(RATE, 2), mix);
        MaskCascade plain = new MaskCascade("p", List.of(HpssStep.percussiveOnly("drums", 0.25, 400, 2, 0)), "other", 1, 0);
        MaskCascade wiener = new MaskCascade("w", List.of(HpssStep.percussiveOnly("drums", 0.25, 400, 2, 0)), "other", 1, 1);
        float[] refL = new float[n];
        for (int i = 0; i < n; i++) refL[i] = 0.2f * b[i];
        double dp = siSdr(refL, plain.separate(m).get("drums").channel(0));
        StemSet w = new Separation(wiener).separate(m, Progress.NONE);
        double dw = siSdr(refL, w.get("drums").channel(0));
        assertTrue(dw > dp - 0.5, "Wiener " + dw + " dB against masks " + dp + " dB");
        assertTrue(w.consistencyError(m) <= 1e-5);
    }

    @Test
    void repetSimPullsANonRepeatingToneOutOfARepeatingPattern() throws Exception {
        int n = 6 * RATE;
        float[] bg = add(clicks(n, 0.5, 5), tone(n, t -> (t % 1.0) < 0.5 ? 110 : 165, 6, 0.1));
        double[] notes = new double[64];
        Random r = new Random(6);
        for (int i = 0; i < notes.length; i++) notes[i] = 400 * Math.pow(2, r.nextInt(19) / 12.0);
        // a quiet lead, so that frame similarity is decided by the repeating background (REPET-SIM's premise)
        float[] fg = tone(n, t -> notes[(int) (t / 0.37) % notes.length], 6, 0.04);
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(bg, fg)});
        StemSet s = new Separation(ModelFreeSeparators.repet()).separate(mix, Progress.NONE);
        double d = siSdr(fg, s.get("vocals").channel(0)), m0 = siSdr(fg, mix.channel(0));
        assertTrue(d > m0 + 3, "REPET-SIM foreground SI-SDR " + m0 + " -> " + d);
    }

    @Test
    void spatialStepRejectsBadPositions() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("x", 1.5);
        assertThrows(IllegalArgumentException.class, () -> new SpatialStep(p, 0.1, 0));
    }
}
