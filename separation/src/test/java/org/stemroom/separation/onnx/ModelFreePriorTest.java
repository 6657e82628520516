package org.stemroom.separation.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.Workspace;
import org.stemroom.separation.modelfree.MaskCascade;
import org.stemroom.separation.modelfree.SpectralMix;

/** The hybrid's priors: the pinned recipes and the mask prior sampled at the model's STFT grid. */
class ModelFreePriorTest {
    private static final List<String> ORDER = List.of("vocals", "drums", "bass", "other");

    /** A drum-like click train, a bass line, a lead tone panned right and a little noise (deterministic). */
    static AudioClip song(int rate, double seconds, int channels) {
        int n = (int) (rate * seconds);
        float[][] x = new float[channels][n];
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            double beat = (t * 4) % 1.0;
            double kick = Math.exp(-beat * 40) * Math.sin(2 * Math.PI * 60 * beat);
            double bass = 0.3 * Math.sin(2 * Math.PI * (t < seconds / 2 ? 82.4 : 110) * t);
            double lead = 0.2 * Math.sin(2 * Math.PI * 440 * t + 3 * Math.sin(2 * Math.PI * 5 * t));
            double noise = 0.02 * (r.nextDouble() - 0.5);
            for (int c = 0; c < channels; c++) {
                double pan = channels == 1 ? 1 : (c == 0 ? 0.4 : 1.0);
                x[c][i] = (float) (0.5 * kick + bass + pan * lead + noise);
            }
        }
        return new AudioClip(AudioFormat.of(rate, channels), x);
    }

    /** Frames of the model's centred, zero-padded 2048/512 STFT of a clip. */
    static int modelFrames(AudioClip clip) {
        return new org.stemroom.core.dsp.Stft(2048, 512, org.stemroom.core.dsp.Window.hann(2048)).frameCount(clip.frames());
    }

    /**
     * Independent restatement of the sampling rule for the 2:1 case (recipe 4096/1024, model 2048/512 at 44.1 kHz):
     * even model frames read recipe frame t/2, odd ones the mean of its neighbours; model bin b reads recipe bins
     * 2b-1, 2b, 2b+1 with weights 1/4, 1/2, 1/4 (bin -1 mirrors bin 1, bin 2049 mirrors 2047). Quantised to 1/255,
     * so one step of rounding may differ.
     */
    @Test
    void maskPriorSamplesTheRecipesMasksAtTheModelsGrid() throws StemroomException {
        AudioClip clip = song(44100, 0.9, 2);
        ModelFreePrior.MaskSampler s = new ModelFreePrior.MaskSampler(ModelFreePrior.RECIPE_220, ORDER, 2048, 512);
        byte[][][] got = s.window(clip);
        MaskCascade fresh = (MaskCascade) ModelFreePrior.recipe(ModelFreePrior.RECIPE_220);
        SpectralMix mix = SpectralMix.of(clip, new Workspace());
        assertEquals(4096, mix.stft().nFft());
        Map<String, float[][]> masks = fresh.masks(mix);
        int rFrames = mix.frames(), rBins = mix.bins();
        int frames = got[0].length;
        assertEquals(modelFrames(clip), frames);
        int diffs = 0, worst = 0;
        long cells = 0;
        for (int k = 0; k < ORDER.size(); k++) {
            float[][] m = masks.get(ORDER.get(k));
            for (int t = 0; t < frames; t++) {
                int f0 = Math.min(t / 2, rFrames - 1), f1 = Math.min(t % 2 == 0 ? t / 2 : t / 2 + 1, rFrames - 1);
                for (int b = 0; b < 1025; b++) {
                    int lo = Math.abs(2 * b - 1), mid = 2 * b, hi = 2 * b + 1 >= rBins ? 2 * (rBins - 1) - (2 * b + 1) : 2 * b + 1;
                    double v = 0;
                    for (int f : new int[] {f0, f1}) v += 0.5 * (0.25 * m[f][lo] + 0.5 * m[f][mid] + 0.25 * m[f][hi]);
                    int want = (int) Math.round(255 * v), have = got[k][t][b] & 0xFF;
                    worst = Math.max(worst, Math.abs(want - have));
                    if (want != have) diffs++;
                    cells++;
                }
            }
        }
        assertTrue(worst <= 1, "sampled prior off the rule by " + worst + " steps");
        assertTrue(diffs < cells / 1000 + 1, diffs + " of " + cells + " cells off by one rounding step");
        // the stems' ratios sum to one in every cell (four roundings: within 2 steps)
        for (int t = 0; t < frames; t++) {
            for (int b = 0; b < 1025; b++) {
                int sum = 0;
                for (int k = 0; k < ORDER.size(); k++) sum += got[k][t][b] & 0xFF;
                assertTrue(Math.abs(sum - 255) <= 2, "ratios sum to " + sum + "/255 at frame " + t + " bin " + b);
            }
        }
    }

    /**
     * The training prior of a song shorter than one recipe window is that window's prior, the same for each channel;
     * a longer song's frames in the middle of the first window (no cross-fade) equal the first window's.
     */
    @Test
    void songPriorMatchesTheWindowPriorOutsideTheCrossFades() throws StemroomException {
        ModelFreePrior.MaskSampler s = new ModelFreePrior.MaskSampler(ModelFreePrior.RECIPE_220, ORDER, 2048, 512);
        AudioClip shortClip = song(44100, 0.8, 2);
        int frames = modelFrames(shortClip);
        byte[][][] one = new ModelFreePrior.MaskSampler(ModelFreePrior.RECIPE_220, ORDER, 2048, 512).window(shortClip);
        byte[][][][] whole = s.song(shortClip, frames);
        assertEquals(2, whole.length);
        assertSame(whole[0], whole[1]);
        for (int k = 0; k < ORDER.size(); k++) for (int t = 0; t < frames; t++) assertArrayEquals(one[k][t], whole[0][k][t]);

        AudioClip longClip = song(44100, 2.6, 1);
        float[][] first = {java.util.Arrays.copyOf(longClip.channel(0), 44100)};
        byte[][][] w0 = new ModelFreePrior.MaskSampler(ModelFreePrior.RECIPE_220, ORDER, 2048, 512)
                .window(new AudioClip(AudioFormat.of(44100, 1), first));
        byte[][][][] all = s.song(longClip, modelFrames(longClip));
        int hop = org.stemroom.separation.WindowGrid.of(44100, 1.0, 0.25).hop();
        int checked = 0;
        for (int t = 0; (long) t * 512 < hop; t++) {
            for (int k = 0; k < ORDER.size(); k++) assertArrayEquals(w0[k][t], all[0][k][t], "frame " + t);
            checked++;
        }
        assertTrue(checked > 60);
        // past the first window the song's prior still sums to one (cross-faded windows)
        for (int t = checked; t < all[0][0].length; t++) {
            for (int b = 0; b < 1025; b += 7) {
                int sum = 0;
                for (int k = 0; k < ORDER.size(); k++) sum += all[0][k][t][b] & 0xFF;
                assertTrue(Math.abs(sum - 255) <= 2, "frame " + t + " bin " + b + ": " + sum);
            }
        }
    }

    /**
     * Both priors run on the grid the networks were trained on (1 s windows, 0.25 s cross-fades), pinned apart from
     * the model-free default's grid (a recipe whose settings say otherwise gets its own grid: the pin is what holds).
     */
    @Test
    void pinnedRecipesKeepTheTrainingWindowGrid() throws StemroomException {
        for (String name : ModelFreePrior.RECIPES) {
            org.stemroom.separation.Separator r = ModelFreePrior.recipe(name);
            assertEquals(1.0, r.maxChunkSeconds(), name);
            assertEquals(0.25, r.chunkOverlapSeconds(), name);
            assertEquals(33075, new org.stemroom.separation.Separation(r).grid(44100).hop(), name);
        }
        org.stemroom.separation.modelfree.ModelFreeSeparators.Settings other =
                new org.stemroom.separation.modelfree.ModelFreeSeparators.Settings();
        other.windowSeconds = 2;
        other.overlapSeconds = 0.5;
        assertEquals(2.0, org.stemroom.separation.modelfree.ModelFreeSeparators.defaultRecipe(other).maxChunkSeconds());
        assertEquals(0.5, org.stemroom.separation.modelfree.ModelFreeSeparators.defaultRecipe(other).chunkOverlapSeconds());
    }

    /** The two pinned priors differ where their bass splits differ; other names are refused. */
    @Test
    void pinnedRecipesDifferAtTheBassSplit() throws StemroomException {
        assertTrue(ModelFreePrior.fromMasks(ModelFreePrior.RECIPE_220));
        assertTrue(!ModelFreePrior.fromMasks(ModelFreePrior.RECIPE_280));
        AudioClip clip = song(44100, 0.9, 2);
        float[][] bass280 = ((MaskCascade) ModelFreePrior.recipe(ModelFreePrior.RECIPE_280)).masks(SpectralMix.of(clip, new Workspace())).get("bass");
        float[][] bass220 = ((MaskCascade) ModelFreePrior.recipe(ModelFreePrior.RECIPE_220)).masks(SpectralMix.of(clip, new Workspace())).get("bass");
        double binHz = 44100 / 4096.0;
        double at250 = 0, at150 = 0;
        for (int f = 0; f < bass280.length; f++) {
            at250 += bass280[f][(int) Math.round(250 / binHz)] - bass220[f][(int) Math.round(250 / binHz)];
            at150 += Math.abs(bass280[f][(int) Math.round(150 / binHz)] - bass220[f][(int) Math.round(150 / binHz)]);
        }
        assertTrue(at250 > 0.5, "the 280 Hz split gives the bass more at 250 Hz: " + at250);
        assertTrue(at150 < at250, "below both splits the recipes agree more: " + at150 + " vs " + at250);
        assertThrows(StemroomException.class, () -> ModelFreePrior.recipe("modelfree"));
    }
}
