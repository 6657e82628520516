package org.stemroom.core.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The FIR gives, bit for bit, one plain tap-by-tap sum per output, for any tap count, offset and length. */
class BlockFirTest {
    @Test
    void equalsOnePlainSumPerOutput() {
        Random rnd = new Random(5);
        float[] x = new float[600];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        for (int taps : new int[] {1, 3, 4, 5, 12, 24, 63, 64}) {
            float[] t = new float[taps];
            for (int k = 0; k < taps; k++) t[k] = (float) rnd.nextGaussian();
            for (int count : new int[] {0, 1, 7, 8, 9, 255, 300}) {
                int first = 17;
                float[] out = new float[count + 2];
                float[][] scratch = new float[BlockFir.ROWS][count + 5];
                BlockFir.filter(t, x, first, out, count, scratch);
                for (int j = 0; j < count; j++) {
                    float want = 0f;
                    for (int k = 0; k < taps; k++) want += t[k] * x[first + j + k];
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[j]),
                            taps + " taps, output " + j + " of " + count);
                }
                assertEquals(0f, out[count], 0f, "nothing written past the block");
            }
        }
    }
}
