package org.stemroom.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

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
}
