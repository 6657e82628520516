package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.RATE;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.add;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

class MaskCascadeTest {
    /** A step that says it takes nothing, counts its takes, and takes everything still available if called. */
    private static final class Greedy implements MaskStep {
        final String stem;
        int takes;

        Greedy(String stem) { this.stem = stem; }

        @Override
        public List<String> stemNames() { return List.of(stem); }

        @Override
        public int takenBelow(SpectralMix mix) { return 0; }

        @Override
        public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
            takes++;
            float[][] m = new float[mix.frames()][];
            for (int f = 0; f < m.length; f++) m[f] = available[f].clone();
            return Map.of(stem, m);
        }
    }

    /** The half of what is available below bin 40, as {@code stem}. */
    private static MaskStep lowHalf(String stem) {
        return new MaskStep() {
            @Override
            public List<String> stemNames() { return List.of(stem); }

            @Override
            public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
                float[][] m = new float[mix.frames()][mix.bins()];
                for (int f = 0; f < m.length; f++) for (int b = 0; b < 40; b++) m[f][b] = 0.5f * available[f][b];
                return Map.of(stem, m);
            }
        };
    }

    @Test
    void aStepThatTakesNothingIsLeftOutOnlyForAStemAnEarlierStepMade() {
        AudioClip clip = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {noise(RATE / 2, 3)});
        Greedy again = new Greedy("low"), first = new Greedy("high");
        MaskCascade c = new MaskCascade("t", List.of(lowHalf("low"), again, first), "other", 1, 0);
        Map<String, float[][]> m = c.masks(SpectralMix.of(clip));
        // "low" was made by the first step: the empty step is not called (called, it would take all that is left)
        assertEquals(0, again.takes);
        // "high" is new: its step is called and makes the stem, whatever it says beforehand
        assertEquals(1, first.takes);
        assertEquals(List.of("low", "high", "other"), new ArrayList<>(m.keySet()));
        assertEquals(0.5f, m.get("low")[3][10]);
        assertEquals(0f, m.get("low")[3][100]);
        assertEquals(0.5f, m.get("high")[3][10]);
        assertEquals(1f, m.get("high")[3][100]);
        assertEquals(0f, m.get("other")[3][100]);
    }

    @Test
    void theDefaultRecipesMasksKeepTheirBitsWithTheEmptyStepsLeftOutAndTheKickRemainderAboveItsTopUnread() {
        int n = 6 * RATE;
        float[] drum = add(RecipeRefinementsTest.struckSines(n, RATE / 8, 60, 30, 0.02, 0.15, 0.4),
                RecipeRefinementsTest.struckSines(n, RATE / 8, 129, 40, 0.02, 0.07, 0.2), noise(n, 0.02));
        float[] bass = RecipeRefinementsTest.bassLine(n, new double[] {55, 82.4}, 1.0, 0.25, in -> Math.min(1, in / 0.01));
        for (int channels = 1; channels <= 2; channels++) {
            float[][] x = channels == 1 ? new float[][] {add(drum, bass)}
                    : new float[][] {add(drum, scale(bass, 0.3f)), add(scale(drum, 0.5f), bass)};
            AudioClip clip = new AudioClip(AudioFormat.of(RATE, channels), x);
            ModelFreeSeparators.Settings st = new ModelFreeSeparators.Settings();
            MaskCascade skipping = new MaskCascade("skip", ModelFreeSeparators.defaultRecipe(st).steps(), "other",
                    st.softPower, 0);
            // the same steps, each made to pass over every bin of every step (what the cascade did before)
            List<MaskStep> plain = new ArrayList<>();
            for (MaskStep s : ModelFreeSeparators.defaultRecipe(st).steps()) plain.add(everyBin(s));
            MaskCascade passing = new MaskCascade("plain", plain, "other", st.softPower, 0);
            int skipped = 0;
            for (MaskStep s : skipping.steps()) if (s instanceof KickRemainderStep) skipped++;
            // mono's and stereo's before the bass's low band (each takes nothing on the other's input), one after it
            assertEquals(3, skipped, "the recipe has its three kick remainder steps");
            // windows of 2 s in turn: the steps carry statistics from window to window
            for (int w = 0; w < 3; w++) {
                float[][] part = new float[channels][];
                for (int c = 0; c < channels; c++) part[c] = java.util.Arrays.copyOfRange(x[c], w * 2 * RATE, (w + 1) * 2 * RATE);
                AudioClip win = new AudioClip(clip.format(), part);
                Map<String, float[][]> a = skipping.masks(SpectralMix.of(win)), b = passing.masks(SpectralMix.of(win));
                assertEquals(new ArrayList<>(b.keySet()), new ArrayList<>(a.keySet()));
                for (String stem : a.keySet()) {
                    for (int f = 0; f < a.get(stem).length; f++) {
                        assertArrayEquals(b.get(stem)[f], a.get(stem)[f], channels + " channels, window " + w + ", " + stem + ", frame " + f);
                    }
                }
            }
        }
    }

    /** {@code s} with no bound of its own: the cascade passes over all its bins. */
    private static MaskStep everyBin(MaskStep s) {
        return new MaskStep() {
            @Override
            public List<String> stemNames() { return s.stemNames(); }

            @Override
            public Map<String, float[][]> take(SpectralMix mix, float[][] available) { return s.take(mix, available); }

            @Override
            public void reset() { s.reset(); }
        };
    }

    private static float[] noise(int n, double amp) {
        java.util.Random r = new java.util.Random(7);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amp * r.nextGaussian());
        return x;
    }

    private static float[] scale(float[] x, float g) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = g * x[i];
        return y;
    }
}
