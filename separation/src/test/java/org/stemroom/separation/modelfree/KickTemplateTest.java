package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.RATE;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.add;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.siSdr;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.separation.Separation;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.Workspace;

/** The kick decided over time from its learned template ({@link KickTemplate}), against known sources. */
class KickTemplateTest {

    /**
     * A tonal kick every 0.5 s (a quarter beat after the bass's notes), like a drum machine's: a sine gliding 98 -> 58
     * Hz with a 250 ms decay, its body on the bass's own bins and long enough for the long window to see a line.
     */
    static float[] tonalKicks(int n) {
        float[] x = new float[n];
        int period = RATE / 2, offset = RATE / 8;
        double ph = 0;
        for (int i = offset; i < n; i++) {
            int k = i - offset;
            double t = (k % period) / (double) RATE;
            double f = 58 + 40 * Math.exp(-t / 0.04);
            ph = k % period == 0 ? 0 : ph + 2 * Math.PI * f / RATE;
            x[i] = (float) (0.6 * Math.exp(-t / 0.25) * Math.sin(ph));
        }
        return x;
    }

    /** Sustained bass notes of 1 s (A1, C2, G1, E1; three partials), slowly decaying. */
    static float[] heldBass(int n) {
        return RecipeRefinementsTest.bassLine(n, new double[] {55, 65.4, 49, 41.2}, 1.0, 0.25,
                in -> Math.min(1, in / 0.01) * Math.exp(-in / 1.5));
    }

    static ModelFreeSeparators.Settings template(double weight) {
        ModelFreeSeparators.Settings s = new ModelFreeSeparators.Settings();
        s.kickTemplate = weight;
        s.kickAttack = 0; // the template's own decision (theAttackOfEveryLowOnsetLeansToTheKick sets it)
        s.kickMonoSharpen = 1; // nor session 31's sharpening of it (HpssStepTest)
        return s;
    }

    /** Drums step and low band only, on the model-free grid (1 s windows: the template is carried over windows). */
    static StemSet separate(AudioClip mix, ModelFreeSeparators.Settings s) throws Exception {
        MaskCascade c = new MaskCascade("t", List.of(ModelFreeSeparators.drumsStep(s), new BassStep("bass", 220, 1.25)),
                "other", 1, 0);
        return new Separation(c).separate(mix, Progress.NONE);
    }

    @Test
    void aRepeatedKickOnTheBasssBinsGoesToTheDrums() throws Exception {
        int n = 8 * RATE;
        float[] kick = tonalKicks(n), bass = heldBass(n);
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(kick, bass)});
        double[] d = new double[2], b = new double[2];
        for (int k = 0; k < 2; k++) {
            ModelFreeSeparators.Settings st = template(k == 0 ? 0 : 0.5);
            // the template learned as the patches are: learned less each note's later rise (session 33) it loses the
            // kick's body where it shares the bass's bins, since a new note starts 0.125 s before every other kick and
            // this kick still holds 0.45 of its level 0.2 s on (kick 2.11 -> 1.91 dB)
            st.kickMonoLearnAfterSeconds = 0;
            StemSet s = separate(mix, st);
            d[k] = siSdr(kick, s.get("drums").channel(0));
            b[k] = siSdr(bass, s.get("bass").channel(0));
        }
        // measured (main dcec6573): kick 2.11 -> 2.35 dB, bass -0.50 -> -0.26 dB; with the learn-after rule on, 1.91 /
        // -0.49. Per-bin cues that keep this kick's body bring it back to 2.07-2.35 dB, and all cost the held-out songs
        // whose notes start on the kicks (docs/separation-history.md, session 34)
        assertTrue(d[1] > d[0] + 0.2, "kick SI-SDR without / with the template: " + d[0] + " / " + d[1]);
        assertTrue(b[1] > b[0] + 0.2, "bass SI-SDR without / with the template: " + b[0] + " / " + b[1]);
    }

    @Test
    void aBassLineWithoutKicksKeepsItsLowBand() throws Exception {
        int n = 8 * RATE;
        float[] bass = heldBass(n);
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {bass});
        double[] b = new double[2];
        for (int k = 0; k < 2; k++) b[k] = siSdr(bass, separate(mix, template(k == 0 ? 0 : 0.5)).get("bass").channel(0));
        // measured: 22.48 / 22.48 dB (no group of like onsets: nothing re-decided)
        assertTrue(b[1] > b[0] - 0.1, "bass SI-SDR without / with the template: " + b[0] + " / " + b[1]);
    }

    /**
     * Plucked bass notes of 1 s (five pitches, three partials) starting with every other kick: those kicks' patches hold
     * the new note's rise too and miss the template's similarity; the kicks over a held note teach it.
     */
    static float[] bassOnTheKicks(int n) {
        int offset = RATE / 8;
        float[] line = RecipeRefinementsTest.bassLine(n, new double[] {55, 65.4, 49, 41.2, 73.4}, 1.0, 0.25,
                in -> Math.min(1, in / 0.005) * Math.exp(-in / 0.6));
        float[] x = new float[n];
        System.arraycopy(line, 0, x, offset, n - offset);
        return x;
    }

    @Test
    void theAttackOfEveryLowOnsetLeansToTheKick() throws Exception {
        int n = 8 * RATE;
        float[] kick = RecipeRefinementsTest.kicks(n), bass = bassOnTheKicks(n);
        for (int i = 0; i < n; i++) bass[i] *= 0.25f; // a punchy kick well above the bass line, as in dance mixes
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(kick, bass)});
        double[] d = new double[2], b = new double[2];
        for (int k = 0; k < 2; k++) {
            ModelFreeSeparators.Settings s = template(0.5);
            s.kickAttack = k == 0 ? 0 : 0.2;
            s.kickAttackShape = 0; // the flat attack, as measured (the shaped one: theAttackShapedByThe...)
            StemSet out = separate(mix, s);
            d[k] = siSdr(kick, out.get("drums").channel(0));
            b[k] = siSdr(bass, out.get("bass").channel(0));
        }
        // measured (weight 0.2): bass -1.52 -> -1.31 dB, kick 13.60 -> 13.61 dB. With the bass twice / four times as
        // loud the kick loses (weight 0.3: 9.35 -> 9.19 / 5.23 -> 5.04, bass 3.24 -> 3.32 / 7.34 -> 7.31): its attack
        // frames hold the bass too; on the corpus the drums gain (docs/separation-history.md, session 14)
        assertTrue(b[1] > b[0] + 0.1, "bass SI-SDR without / with the attack: " + b[0] + " / " + b[1]);
        assertTrue(d[1] > d[0] - 0.05, "kick SI-SDR without / with the attack: " + d[0] + " / " + d[1]);
    }

    /**
     * A drum machine's long kick (a sine gliding 70 -> 50 Hz, ringing down over 0.4 s, every 0.5 s) under a plucked
     * bass line whose notes (82-110 Hz, three partials, 0.5 s) start between the kicks, as held-out song 4's TR-808
     * over a slap bass: the attack pushed every low onset's bins below the kick split towards the drums, the bass
     * notes' own onsets and partials at 80-330 Hz too, where the learned kick has almost nothing. Shaped by the
     * template's level per bin, the attack keeps to the kick's own bins.
     */
    @Test
    void theAttackShapedByTheTemplateLeavesTheBasssPartialsAlone() throws Exception {
        int n = 8 * RATE;
        float[] kick = RecipeRefinementsTest.struckSines(n, RATE / 8, 50, 20, 0.02, 0.4, 0.5);
        float[] line = RecipeRefinementsTest.bassLine(n, new double[] {82.4, 98, 73.4, 110}, 0.5, 0.3,
                in -> Math.min(1, in / 0.003) * Math.exp(-in / 0.3));
        float[] bass = new float[n];
        System.arraycopy(line, 0, bass, RATE * 3 / 8, n - RATE * 3 / 8); // the notes start between the kicks
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(kick, bass)});
        double[] d = new double[2], b = new double[2];
        for (int k = 0; k < 2; k++) {
            ModelFreeSeparators.Settings s = template(0.5);
            s.kickAttack = 0.4;
            s.kickAttackShape = k == 0 ? 0 : 1;
            // as measured (session 18): with mono's peak-lag filter (session 28) this scene learns no template at all,
            // for the bass notes that start inside each kick's patch outweigh its rise and every patch peaks late
            s.kickMonoPeakLags = 0;
            s.kickMonoTemplate = 0.5;
            s.kickMonoTemplateQuantile = 0.3;
            s.kickMonoTemplateCarry = 0;
            StemSet out = separate(mix, s);
            d[k] = siSdr(kick, out.get("drums").channel(0));
            b[k] = siSdr(bass, out.get("bass").channel(0));
        }
        // measured: bass -5.78 -> -5.45 dB, kick -2.06 -> -1.50 dB (drums step and low band only, no Wiener step)
        assertTrue(b[1] > b[0] + 0.2, "bass SI-SDR flat / shaped attack: " + b[0] + " / " + b[1]);
        assertTrue(d[1] > d[0] + 0.3, "kick SI-SDR flat / shaped attack: " + d[0] + " / " + d[1]);
    }

    /** Held sine notes of 1 s below 60 Hz (A1, F#1, G1, E1: fundamentals only), slowly decaying. */
    static float[] subBass(int n, double amp) {
        double[] pitch = {55, 46.2, 49, 41.2};
        float[] x = new float[n];
        double ph = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            int note = (int) t;
            double in = t - note;
            ph += 2 * Math.PI * pitch[note % pitch.length] / RATE;
            x[i] = (float) (amp * Math.min(1, in / 0.01) * Math.exp(-in / 1.5) * Math.sin(ph));
        }
        return x;
    }

    /**
     * Mono, the whole recipe: a punchy kick every 0.5 s (140 -> 50 Hz) over a sub-bass (held sines below 60 Hz), so at
     * 60-150 Hz the kick is alone. The long window (370 ms) holds a kick in most of its frames within the 0.5 s time
     * median, which then called the kick's band sustained and gave it a hedged share (the rest to the bass); the lower
     * quantile along time (kickMonoHarmonicQuantile 0.4 at 60-150 Hz) sees the gaps between the hits. Stereo input
     * keeps the median (its own setting, 0.5): the mono setting changes no stereo bit.
     */
    /**
     * The default settings with session 14's flat attack (0.2 on every bin below the kick split), as the quantile was
     * measured: the shaped attack (session 18) leans this kick's attack frames to the drums on its own bins, and the
     * kick then scores 7.48 dB with the median or the quantile alike.
     */
    static ModelFreeSeparators.Settings flatAttack() {
        ModelFreeSeparators.Settings s = new ModelFreeSeparators.Settings();
        s.kickAttack = 0.2;
        s.kickAttackShape = 0;
        s.kickMonoSharpen = 1; // the decisions' own gains, without session 31's sharpening (HpssStepTest)
        return s;
    }

    @Test
    void aLowerQuantileAlongTimeSeesTheGapsBetweenTheKicksInMono() throws Exception {
        int n = 8 * RATE;
        float[] kick = RecipeRefinementsTest.kicks(n), bass = subBass(n, 0.5);
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(kick, bass)});
        double[] d = new double[2], b = new double[2];
        for (int k = 0; k < 2; k++) {
            ModelFreeSeparators.Settings s = flatAttack();
            // the decision's own gain: session 25's kick share before the bass's low band (kickMonoBeforeBass) hands
            // the drums part of what the median leaves undecided, which narrows it (kick 4.79 -> 4.87 dB with it)
            s.kickMonoBeforeBass = 0;
            if (k == 0) s.kickMonoHarmonicQuantile = 0.5;
            StemSet out = new Separation(ModelFreeSeparators.defaultRecipe(s)).separate(mix, Progress.NONE);
            d[k] = siSdr(kick, out.get("drums").channel(0));
            b[k] = siSdr(bass, out.get("bass").channel(0));
        }
        // measured: kick 4.67 -> 4.81 dB, bass 16.09 -> 16.20 dB (quantile 0.3: 4.86 / 16.23; with the sub-bass at
        // half this level, 8.26 -> 8.34 and 12.40 -> 12.64)
        assertTrue(d[1] > d[0] + 0.1, "kick SI-SDR median / quantile: " + d[0] + " / " + d[1]);
        assertTrue(b[1] > b[0] + 0.07, "bass SI-SDR median / quantile: " + b[0] + " / " + b[1]);
        AudioClip st = new AudioClip(AudioFormat.of(RATE, 2), new float[][] {add(kick, bass), add(kick, bass)});
        float[][] drums = new float[2][];
        for (int k = 0; k < 2; k++) {
            ModelFreeSeparators.Settings s = new ModelFreeSeparators.Settings();
            s.kickMonoHarmonicQuantile = k == 0 ? 0.5 : 0.3;
            drums[k] = new Separation(ModelFreeSeparators.defaultRecipe(s)).separate(st, Progress.NONE).get("drums")
                    .channel(0).clone();
        }
        assertArrayEquals(drums[0], drums[1], "stereo input keeps the median, bit for bit");
    }

    /**
     * The evaluation's bound ({@link HpssStep#givenKickMagnitude}): the template's expected magnitude replaced by the
     * true kick's, on a whole clip, in the frames the template reaches and in every frame; a call with another number of
     * frames keeps the template's.
     */
    @Test
    void theTrueKicksMagnitudeGivenInsteadOfTheTemplatesBoundsTheDecision() throws Exception {
        int n = 4 * RATE;
        float[] kick = tonalKicks(n), bass = heldBass(n);
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(kick, bass)});
        float[][] truth = SpectralMix.of(new AudioClip(AudioFormat.of(RATE, 1), new float[][] {kick})).magnitude();
        double[] d = new double[4], b = new double[4];
        for (int k = 0; k < 4; k++) {
            HpssStep drums = ModelFreeSeparators.drumsStep(template(0.5));
            MaskCascade c = new MaskCascade("t", List.of(drums, new BassStep("bass", 220, 1.25)), "other", 1, 0);
            // k 3: a clip one frame shorter than the call's: the template's own magnitude
            if (k > 0) drums.givenKickMagnitude(k == 3 ? java.util.Arrays.copyOf(truth, truth.length - 1) : truth, k - 1);
            SpectralMix sm = SpectralMix.of(mix);
            StemSet out = sm.apply(c.masks(sm));
            d[k] = siSdr(kick, out.get("drums").channel(0));
            b[k] = siSdr(bass, out.get("bass").channel(0));
        }
        // measured: kick / bass 2.70 / 0.12 dB with the template's, 7.03 / 2.49 given where it reaches, 7.05 / 2.51 given
        // everywhere, 2.70 / 0.12 for a call of another length
        assertTrue(d[1] > d[0] + 0.2 && b[1] > b[0] + 0.2, "given where the template reaches: " + d[0] + " / " + b[0]
                + " -> " + d[1] + " / " + b[1]);
        assertTrue(d[2] > d[1] && b[2] > b[1], "given everywhere: " + d[1] + " / " + b[1] + " -> " + d[2] + " / " + b[2]);
        assertTrue(d[3] == d[0] && b[3] == b[0], "another length keeps the template's: " + d[3] + " / " + b[3]);
    }

    /** A window's magnitudes ({@code frames} x 19 bins, below 200 Hz at 44.1 kHz) with a kick at frame {@code at}. */
    static float[][] kickWindow(int frames, int at) {
        float[][] m = new float[frames][19];
        for (int f = at; f < frames; f++) for (int b = 6; b <= 10; b++) m[f][b] = (float) Math.exp(-(f - at) / 4.0);
        return m;
    }

    /**
     * A window with two low onsets (at frames 4 and 20) each followed seven frames on by something larger (bins
     * 16-18, above the onset band, for six frames): patches that peak late, as the group training song 4 learned.
     */
    static float[][] lateWindow(int frames) {
        float[][] m = new float[frames][19];
        for (int at : new int[] {4, 20}) {
            for (int f = at; f < at + 3; f++) for (int b = 4; b <= 5; b++) m[f][b] = 0.3f;
            for (int f = at + 7; f < at + 13; f++) for (int b = 16; b <= 18; b++) m[f][b] = 0.5f;
        }
        return m;
    }

    /**
     * Windows of a kick alone and windows of two late-peaking low events alternate: the late events make the larger
     * group of like patches, and the template learned from them misses the kick (its patch is unlike the template: no
     * expected magnitude). With patches that peak more than two frames after their onset kept out of the groups
     * ({@link KickTemplate#peakWithin}), the kick's own group makes the template and the kick's frames get it.
     */
    @Test
    void patchesThatPeakLateJoinNoGroup() {
        double binHz = 44100 / 4096.0, frameSeconds = 1024 / 44100.0;
        int frames = 45, nb = 19;
        float[] at = new float[3];
        for (int k = 0; k < 3; k++) {
            // k 0: off; 1: stereo's setting; 2: mono's, on a mono input
            KickTemplate t = new KickTemplate(0.5, 1, 0.5, 0.3, 16, 0.3, 40, 150, 0.3, 0.5, 0.7)
                    .peakWithin(k == 1 ? 2 : 0, k == 2 ? 2 : 0);
            t.monoInput(k == 2);
            for (int w = 0; w < 7; w++) {
                float[][] mag = w % 2 == 0 ? kickWindow(frames, 5) : lateWindow(frames);
                t.apply(mag, new float[frames][nb], nb, frameSeconds, binHz, Workspace.oneOff());
            }
            float[][] e = t.lastExpected(); // the seventh window's: the kick's
            at[k] = e == null ? 0 : e[5][8];
        }
        // measured: 0 (the late group's template, unlike the kick) -> 1.0 (the kick's level), stereo and mono alike
        assertTrue(at[0] == 0, "the kick's expected magnitude, late patches in the groups: " + at[0]);
        assertTrue(at[1] > 0.8 && at[2] > 0.8, "the kick's expected magnitude, late patches kept out: " + at[1] + " / " + at[2]);
    }

    /** A window with two held low notes (bins 7-9, at frames 4 and 22), each as loud 6 frames on as at its onset. */
    static float[][] heldWindow(int frames) {
        float[][] m = new float[frames][19];
        for (int at : new int[] {4, 22}) for (int f = at; f < Math.min(frames, at + 12); f++) for (int b = 7; b <= 9; b++) m[f][b] = 0.8f;
        return m;
    }

    /**
     * Windows of a kick alone alternate with windows of two held notes at one pitch (a riff): both peak at their onset,
     * the notes make the larger group. Patches that have not decayed below 0.8 of their peak 5-6 frames on kept out
     * too ({@link KickTemplate#decayBelow}), the kick's group makes the template.
     */
    @Test
    void heldNotesThatPeakAtTheirOnsetJoinNoGroupWhereTheyDoNotDecay() {
        double binHz = 44100 / 4096.0, frameSeconds = 1024 / 44100.0;
        int frames = 45, nb = 19;
        float[] at = new float[2];
        for (int k = 0; k < 2; k++) {
            KickTemplate t = new KickTemplate(0.5, 1, 0.5, 0.3, 16, 0.3, 40, 150, 0.3, 0.5, 0.7)
                    .peakWithin(0, 4).decayBelow(0, k == 0 ? 0 : 0.8);
            t.monoInput(true);
            for (int w = 0; w < 7; w++) {
                float[][] mag = w % 2 == 0 ? kickWindow(frames, 5) : heldWindow(frames);
                t.apply(mag, new float[frames][nb], nb, frameSeconds, binHz, Workspace.oneOff());
            }
            float[][] e = t.lastExpected();
            at[k] = e == null ? 0 : e[5][8];
        }
        // measured: 0 (the notes' template, unlike the kick) -> 1.0
        assertTrue(at[0] == 0, "the kick's expected magnitude, held notes in the groups: " + at[0]);
        assertTrue(at[1] > 0.8, "the kick's expected magnitude, held notes kept out: " + at[1]);
    }

    /**
     * Three windows of a kick teach the template (3 patches kept); a fourth holds another low hit (higher bins), which
     * breaks the group, and a kick too late in the window for its patch to be kept. Without the carried template that
     * kick gets no expected magnitude; with it, the last template's.
     */
    @Test
    void theLastTemplateIsCarriedIntoAWindowThatLearnsNone() {
        double binHz = 44100 / 4096.0, frameSeconds = 1024 / 44100.0;
        int frames = 45, nb = 19;
        float[] at = new float[2];
        for (int k = 0; k < 2; k++) {
            KickTemplate t = new KickTemplate(0.5, 1, 0.5, 0.3, 3, 0.3, 40, 150, 0.3, 0.5, 0.7)
                    .carryTemplate(k == 1, false);
            for (int w = 0; w < 3; w++) t.apply(kickWindow(frames, 5), new float[frames][nb], nb, frameSeconds, binHz, Workspace.oneOff());
            float[][] mag = kickWindow(frames, 30);
            for (int f = 5; f < frames; f++) for (int b = 12; b <= 14; b++) mag[f][b] = (float) Math.exp(-(f - 5) / 3.0);
            t.apply(mag, new float[frames][nb], nb, frameSeconds, binHz, Workspace.oneOff());
            float[][] e = t.lastExpected();
            at[k] = e == null ? 0 : e[30][8];
        }
        // measured: 0 -> 1.0
        assertTrue(at[0] == 0, "the late kick's expected magnitude without the carried template: " + at[0]);
        assertTrue(at[1] > 0.8, "the late kick's expected magnitude with it: " + at[1]);
    }

    /**
     * {@link KickTemplate#learnAfter}: a kick (bins 6-10, ringing down with a 3-frame time constant, 20 frames) struck
     * every 25 frames, each hit starting a bass note at one pitch (bin 13, level 0.5, 20 frames, silent before the next
     * hit). Each patch, the rise over the frame before it, holds the note, so the template learned it; learned less the
     * bin's rise 0.2 s (9 frames) after the onset where that holds 0.3 of the bin's peak rise, the expected magnitude is
     * the kick's own: the input's magnitude on the kick's bins (its rise 9 frames on, 0.05 of its peak, stays) and 0 on
     * the note's bin.
     */
    @Test
    void aTemplateLearnedLessTheNotesLaterRiseExpectsTheKickAlone() {
        double binHz = 44100 / 4096.0, frameSeconds = 1024 / 44100.0;
        int frames = 120, nb = 19;
        float[][] mag = new float[frames][nb];
        for (int at = 5; at < frames; at += 25) {
            for (int f = at; f < Math.min(frames, at + 20); f++) {
                for (int b = 6; b <= 10; b++) mag[f][b] = (float) Math.exp(-(f - at) / 3.0);
                mag[f][13] = 0.5f;
            }
        }
        double[] kickError = new double[2], onNote = new double[2];
        for (int k = 0; k < 2; k++) {
            KickTemplate t = new KickTemplate(0.5, 1, 0.5, 0.3, 16, 0.3, 40, 150, 0.3, 0.5, 0.7)
                    .learnAfter(k == 0 ? 0 : 0.2, 0, 0.3, 0);
            t.apply(mag, new float[frames][nb], nb, frameSeconds, binHz, Workspace.oneOff());
            float[][] e = t.lastExpected();
            for (int at = 5; at < frames; at += 25) {
                for (int f = at; f < Math.min(frames, at + 20); f++) {
                    for (int b = 6; b <= 10; b++) kickError[k] = Math.max(kickError[k], Math.abs(e[f][b] - mag[f][b]));
                    onNote[k] = Math.max(onNote[k], e[f][13]);
                }
            }
        }
        String got = "largest error on the kick's bins / largest expected magnitude on the note's bin, learned as the "
                + "patches are: " + kickError[0] + " / " + onNote[0] + ", less the later rise: " + kickError[1] + " / " + onNote[1];
        assertTrue(kickError[0] < 1e-6 && onNote[0] > 0.49, got);
        assertTrue(kickError[1] < 1e-6 && onNote[1] == 0, got);
    }

    /** Mono's own template weight and quantile move a mono input's stems and leave a stereo input's bits alone. */
    @Test
    void monosOwnWeightAndQuantileLeaveStereoBits() throws Exception {
        int n = 4 * RATE;
        float[] x = add(tonalKicks(n), heldBass(n));
        float[][] mono = new float[2][], stereo = new float[2][];
        for (int k = 0; k < 2; k++) {
            ModelFreeSeparators.Settings s = new ModelFreeSeparators.Settings();
            s.kickMonoTemplate = k == 0 ? 0.5 : 0.2;
            s.kickMonoTemplateQuantile = k == 0 ? 0.3 : 0.5;
            mono[k] = new Separation(ModelFreeSeparators.defaultRecipe(s))
                    .separate(new AudioClip(AudioFormat.of(RATE, 1), new float[][] {x}), Progress.NONE).get("drums").channel(0).clone();
            stereo[k] = new Separation(ModelFreeSeparators.defaultRecipe(s))
                    .separate(new AudioClip(AudioFormat.of(RATE, 2), new float[][] {x, x}), Progress.NONE).get("drums").channel(0).clone();
        }
        assertTrue(!java.util.Arrays.equals(mono[0], mono[1]), "mono's drums move with mono's weight and quantile");
        assertArrayEquals(stereo[0], stereo[1], "stereo's drums keep their bits");
    }

    @Test
    void resetForgetsTheLearnedKick() throws Exception {
        int n = 4 * RATE;
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(tonalKicks(n), heldBass(n))});
        MaskCascade c = ModelFreeSeparators.defaultRecipe(template(0.5));
        Separation sep = new Separation(c);
        float[] first = sep.separate(mix, Progress.NONE).get("drums").channel(0).clone();
        // Separation resets its separator before each input: the learned patches must go with it
        float[] again = sep.separate(mix, Progress.NONE).get("drums").channel(0);
        assertArrayEquals(first, again, "the same input after reset() gives the same bits");
    }
}
