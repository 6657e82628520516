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

    /**
     * The swap by copies through the scratch row moves the same bits as a swap per sample: -0, NaN payloads and
     * subnormals, stretches longer than the scratch row (a delay and blocks above {@link DelayLine#SCRATCH_FRAMES}),
     * ring wraps, blocks of one frame.
     */
    @Test
    void swapsTheSameBitsAsASwapPerSample() {
        Random rnd = new Random(27);
        int[] special = {0x80000000, 0x7FC00001, 0xFFC12345, 0x7F800000, 0x00000001, 0x80000003};
        for (int delay : new int[] {1, 5, 4095, 4096, 4097, 9000}) {
            DelayLine d = new DelayLine(3, delay);
            float[][] ring = new float[3][delay]; // the reference: a ring swapped sample by sample
            int refPos = 0;
            float[][] buf = new float[3][20000];
            float[][] ref = new float[3][20000];
            for (int block = 0; block < 12; block++) {
                int n = block % 4 == 0 ? 1 : 1 + rnd.nextInt(block % 3 == 0 ? 20000 : 5000);
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < n; i++) {
                        int bits = rnd.nextInt(8) == 0 ? special[rnd.nextInt(special.length)] : rnd.nextInt();
                        buf[c][i] = Float.intBitsToFloat(bits);
                        ref[c][i] = buf[c][i];
                    }
                }
                d.process(buf, 3, n);
                int p = refPos;
                for (int c = 0; c < 3; c++) {
                    p = refPos;
                    for (int i = 0; i < n; i++) {
                        float v = ref[c][i];
                        ref[c][i] = ring[c][p];
                        ring[c][p] = v;
                        if (++p == delay) p = 0;
                    }
                }
                refPos = p;
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < n; i++) {
                        assertEquals(Float.floatToRawIntBits(ref[c][i]), Float.floatToRawIntBits(buf[c][i]),
                                "delay " + delay + " block " + block + " ch " + c + " at " + i);
                    }
                }
            }
        }
    }
}
