package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

class PanPriorTest {

    /** Stereo noise with sources at three pan positions, silent stretches (pan 0 where both channels are zero). */
    private static AudioClip clip(long seed, int frames) {
        Random r = new Random(seed);
        float[][] x = new float[2][frames];
        for (int i = 0; i < frames; i++) {
            if ((i / 3000) % 5 == 4) continue; // silence
            double a = r.nextGaussian(), b = r.nextGaussian() * 0.5, c = r.nextGaussian() * 0.3;
            x[0][i] = (float) (0.9 * a + 0.5 * b);
            x[1][i] = (float) (0.2 * a + 0.5 * b + c);
        }
        return new AudioClip(AudioFormat.of(44100, 2), x);
    }

    /** Masks that sum to one per bin, with zeros (whole bins where the re-weighted stems have nothing). */
    private static float[][][] masks(SpectralMix mix, int n, long seed) {
        Random r = new Random(seed);
        float[][][] m = new float[n][mix.frames()][mix.bins()];
        for (int f = 0; f < mix.frames(); f++) {
            for (int b = 0; b < mix.bins(); b++) {
                double[] w = new double[n];
                double s = 0;
                for (int j = 0; j < n; j++) {
                    w[j] = (b + j) % 11 == 0 ? 0 : r.nextDouble();
                    s += w[j];
                }
                for (int j = 0; j < n; j++) m[j][f][b] = s > 0 ? (float) (w[j] / s) : 0f;
            }
        }
        return m;
    }

    @Test
    void reweightsAsThePerBinLoopsBitForBitWindowAfterWindow() {
        int n = 4;
        boolean[] kept = {false, true, false, false};
        PanPrior prior = new PanPrior(1.5);
        Reference ref = new Reference(1.5);
        for (int window = 0; window < 3; window++) { // statistics carried over windows
            SpectralMix mix = SpectralMix.of(clip(40 + window, 44100));
            float[][][] a = masks(mix, n, 7 + window), b = masks(mix, n, 7 + window);
            prior.apply(mix, a, n, kept, -1);
            ref.apply(mix, b, n, kept);
            int changed = 0;
            for (int j = 0; j < n; j++) {
                for (int f = 0; f < mix.frames(); f++) {
                    for (int k = 0; k < mix.bins(); k++) {
                        assertEquals(Float.floatToRawIntBits(b[j][f][k]), Float.floatToRawIntBits(a[j][f][k]),
                                "window " + window + " stem " + j + " frame " + f + " bin " + k);
                    }
                }
            }
            float[][][] before = masks(mix, n, 7 + window);
            for (int f = 0; f < mix.frames(); f++) if (before[0][f][100] != a[0][f][100]) changed++;
            assertTrue(changed > 0, "the prior moves masks (the comparison is not of untouched input)");
        }
    }

    /** The per-bin loops as they were before the column-wise form (session 10): the reference. */
    private static final class Reference {
        private static final double[] EDGES = {250, 1000, 4000};
        private static final int CELLS = 101;
        private final double strength;
        private double[][][] memory;
        private float[][][] weight;
        private boolean empty = true;

        Reference(double strength) { this.strength = strength; }

        void apply(SpectralMix mix, float[][][] masks, int n, boolean[] kept) {
            float[][] pan = mix.pan(), mag = mix.magnitude();
            int frames = mix.frames(), bins = mix.bins(), nb = EDGES.length + 1;
            if (memory == null) {
                memory = new double[n][nb][CELLS];
                weight = new float[n][nb][CELLS];
            }
            int[] bandOf = new int[bins];
            for (int b = 0; b < bins; b++) {
                int k = 0;
                while (k < EDGES.length && b * mix.binHz() >= EDGES[k]) k++;
                bandOf[b] = k;
            }
            double decay = empty ? 0 : Math.exp(-(mix.clip().frames() / (double) mix.sampleRate()) / PanMemory.MEMORY_SECONDS);
            empty = false;
            for (int j = 0; j < n; j++) for (double[] row : memory[j]) for (int c = 0; c < CELLS; c++) row[c] *= decay;
            for (int j = 0; j < n; j++) {
                for (int f = 0; f < frames; f++) {
                    for (int b = 1; b < bins; b++) {
                        double e = masks[j][f][b] * mag[f][b];
                        memory[j][bandOf[b]][Math.round(pan[f][b] * (CELLS - 1))] += e * e;
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < nb; k++) {
                    double[] hist = memory[j][k];
                    double total = 0;
                    for (double v : hist) total += v;
                    for (int c = 0; c < CELLS; c++) {
                        if (!(total > 0)) { weight[j][k][c] = 1f; continue; }
                        double s = 0;
                        for (int i = Math.max(0, c - 2); i <= Math.min(CELLS - 1, c + 2); i++) s += hist[i];
                        double d = s * CELLS / (5 * total);
                        weight[j][k][c] = (float) Math.pow((1 - 0.02) * d + 0.02, strength);
                    }
                }
            }
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    int cell = Math.round(pan[f][b] * (CELLS - 1)), band = bandOf[b];
                    double sum = 0, share = 0;
                    for (int j = 0; j < n; j++) {
                        if (kept[j]) continue;
                        share += masks[j][f][b];
                        sum += masks[j][f][b] * weight[j][band][cell];
                    }
                    if (!(sum > 0)) continue;
                    double scale = share / sum;
                    for (int j = 0; j < n; j++) {
                        if (!kept[j]) masks[j][f][b] = (float) (masks[j][f][b] * weight[j][band][cell] * scale);
                    }
                }
            }
        }
    }
}
