package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

/** The crossover's weights against their definition, and its kept weights against a fresh computation. */
class CrossoverTest {

    private static SpectralMix mix(int rate, int nFft) {
        return SpectralMix.of(new AudioClip(AudioFormat.of(rate, 1), new float[][] {new float[rate / 2]}), nFft, nFft / 4);
    }

    /** The definition: raised cosine in log frequency from split/ratio to split*ratio, 0 below, 1 above. */
    private static double definition(double hz, double split, double ratio) {
        if (hz <= split / ratio) return 0;
        if (hz >= split * ratio) return 1;
        double t = Math.log(hz / (split / ratio)) / Math.log(ratio * ratio);
        return (1 - Math.cos(Math.PI * t)) / 2;
    }

    @Test
    void weightsFollowTheDefinition() {
        SpectralMix m = mix(48000, 4096);
        float[] w = new Crossover().highPass(m, 220, 1.25);
        assertEquals(m.bins(), w.length);
        int between = 0;
        for (int b = 0; b < w.length; b++) {
            double hz = b * m.binHz(), e = definition(hz, 220, 1.25);
            assertEquals(e, w[b], 1e-6, "bin " + b); // float rounding of the weight, and log's rounding near the ends
            if (e > 0 && e < 1) between++;
        }
        assertEquals(between, (int) (Math.ceil(220 * 1.25 / m.binHz()) - Math.floor(220 / 1.25 / m.binHz())) - 1, "bins on the slope");
    }

    @Test
    void keptWeightsAreTheFreshOnesBitForBitAndFollowEveryParameter() {
        Crossover c = new Crossover();
        SpectralMix a = mix(48000, 4096), b = mix(44100, 4096), small = mix(48000, 2048);
        float[] first = c.highPass(a, 220, 1.25);
        assertArrayEquals(Crossover.highPass(a.bins(), a.binHz(), 220, 1.25), first);
        assertSame(first, c.highPass(a, 220, 1.25), "same mix shape and split: the kept array");
        // each parameter changed alone gives that parameter's weights (bit for bit the fresh computation)
        Object[][] cases = {{b, 220.0, 1.25}, {small, 220.0, 1.25}, {a, 230.0, 1.25}, {a, 220.0, 1.5}, {a, 220.0, 1.25}};
        float[] last = first;
        for (Object[] k : cases) {
            SpectralMix m = (SpectralMix) k[0];
            double split = (Double) k[1], ratio = (Double) k[2];
            float[] w = c.highPass(m, split, ratio);
            assertNotSame(last, w);
            assertEquals(m.bins(), w.length);
            assertArrayEquals(Crossover.highPass(m.bins(), m.binHz(), split, ratio), w);
            for (int i = 0; i < w.length; i++) assertEquals(definition(i * m.binHz(), split, ratio), w[i], 1e-6);
            last = w;
        }
        // the old code's weights (a log and a cosine per bin, in this order), for the same bits as before the cache
        for (int i = 0; i < last.length; i++) {
            double hz = i * a.binHz(), lo = Math.log(220 / 1.25), hi = Math.log(220 * 1.25);
            double t = hz <= 0 ? 0 : (Math.log(hz) - lo) / (hi - lo);
            float old = hz <= 0 || t <= 0 ? 0f : t >= 1 ? 1f : (float) (0.5 - 0.5 * Math.cos(Math.PI * t));
            assertEquals(Float.floatToRawIntBits(old), Float.floatToRawIntBits(last[i]), "bin " + i);
        }
    }
}
