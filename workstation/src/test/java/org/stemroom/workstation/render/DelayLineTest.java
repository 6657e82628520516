package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The delay line delays every channel by exactly its length, whatever the blocks (shorter or longer than it). */
class DelayLineTest {
    @Test
    void delaysByItsLengthForAnyBlocks() {
        Random rnd = new Random(9);
        int total = 5000;
        float[][] x = new float[2][total];
        for (float[] c : x) for (int i = 0; i < total; i++) c[i] = (float) rnd.nextGaussian();
        for (int delay : new int[] {0, 1, 7, 64, 1000}) {
            DelayLine d = new DelayLine(2, delay);
            float[][] buf = new float[2][700];
            int pos = 0;
            while (pos < total) {
                int n = Math.min(total - pos, 1 + rnd.nextInt(700)); // blocks shorter and longer than the delay
                for (int c = 0; c < 2; c++) System.arraycopy(x[c], pos, buf[c], 0, n);
                d.process(buf, 2, n);
                for (int c = 0; c < 2; c++) {
                    for (int i = 0; i < n; i++) {
                        int src = pos + i - delay;
                        assertEquals(src < 0 ? 0f : x[c][src], buf[c][i], 0f, "delay " + delay + " ch " + c + " at " + (pos + i));
                    }
                }
                pos += n;
            }
        }
    }
}
