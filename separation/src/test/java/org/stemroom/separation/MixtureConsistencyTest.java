package org.stemroom.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

class MixtureConsistencyTest {
    /**
     * The remainder subtracts the stems from the mixture in double, in the stems' order, and rounds once, whatever the
     * number of stems (three and four have loops of their own): stems of very different sizes, so that another
     * order or a rounding in between moves the last bits.
     */
    @Test
    void theRemainderSubtractsTheStemsInOrderInDoubleAndRoundsOnce() {
        Random rnd = new Random(5);
        int len = 4099;
        for (int count = 1; count <= 5; count++) {
            float[] mix = new float[len], r = new float[len];
            float[][] s = new float[count][len];
            for (int i = 0; i < len; i++) {
                // stems some 2^60 apart in size, and a mixture near their sum: a remainder that the large stems cancel
                // in, where any other grouping of the double subtractions shows in the float result
                double sum = 0;
                for (int k = 0; k < count; k++) {
                    s[k][i] = (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(60) - 30));
                    sum += s[k][i];
                }
                mix[i] = (float) (sum + rnd.nextGaussian() * Math.pow(2, rnd.nextInt(60) - 30));
            }
            MixtureConsistency.remainder(mix, s, count, r);
            for (int i = 0; i < len; i++) {
                double acc = mix[i];
                for (int k = 0; k < count; k++) acc = acc - (double) s[k][i];
                assertEquals(Float.floatToRawIntBits((float) acc), Float.floatToRawIntBits(r[i]), count + " stems, sample " + i);
            }
        }
    }

    /**
     * Whether the residual goes through the time-frequency share: only where some |residual| exceeds 1e-6 and none is
     * NaN. Where it does not, each stem takes an even part of the residual, {@code s + r * (1/n)} with r the double
     * remainder rounded once (written out here, bit for bit); where it does, the stems move further (and still sum to
     * the mixture). Residuals: none above the limit (one sample near it), one sample above it, a NaN, both (a test that
     * ignores the NaN fails it: checked).
     */
    @Test
    void theResidualTakesTheTimeFrequencyShareOnlyAboveTheLimitAndWithoutNaN() {
        int len = 5000;
        AudioFormat fmt = AudioFormat.of(48_000, 1);
        for (int count = 1; count <= 5; count++) {
            for (int scene = 0; scene < 4; scene++) {
                Random rnd = new Random(count * 10L + scene);
                float[] mix = new float[len];
                float[][] s = new float[count][len];
                for (int i = 0; i < len; i++) {
                    double sum = 0;
                    for (int k = 0; k < count; k++) {
                        s[k][i] = (float) (0.3 * rnd.nextGaussian());
                        sum += s[k][i];
                    }
                    mix[i] = (float) sum; // a residual of float rounding, far below the limit
                }
                mix[100] += 9e-7f; // near the limit, below it
                if (scene == 1 || scene == 3) mix[2000] += 3e-5f;
                if (scene == 2 || scene == 3) s[count - 1][3000] = Float.NaN;
                StemSet stems = new StemSet(fmt, len);
                float[][] before = new float[count][];
                for (int k = 0; k < count; k++) {
                    before[k] = s[k].clone();
                    stems.put("s" + k, new float[][] {s[k]});
                }
                boolean over = false, nan = false;
                float[] r = new float[len];
                for (int i = 0; i < len; i++) {
                    double acc = mix[i];
                    for (int k = 0; k < count; k++) acc = acc - (double) before[k][i];
                    r[i] = (float) acc;
                    nan |= Float.isNaN(r[i]);
                    over |= Math.abs(r[i]) > 1e-6;
                }
                boolean share = over && !nan && count > 1;
                MixtureConsistency.distribute(new AudioClip(fmt, new float[][] {mix}), stems);
                float inv = 1f / count;
                boolean evenOnly = true;
                for (int k = 0; k < count; k++) {
                    for (int i = 0; i < len; i++) {
                        float want = before[k][i] + r[i] * inv;
                        evenOnly &= Float.floatToRawIntBits(want) == Float.floatToRawIntBits(s[k][i]);
                    }
                }
                String what = count + " stems, scene " + scene;
                assertEquals(!share, evenOnly, what);
                if (share) {
                    for (int i = 0; i < len; i++) {
                        double sum = 0;
                        for (int k = 0; k < count; k++) sum += s[k][i];
                        assertEquals(mix[i], sum, 1e-6, what + " sample " + i);
                    }
                }
            }
        }
    }
}
