package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.separation.Workspace;

class MedianFilterTest {

    /** Magnitude-like data with ties (quantised values) and zeros, the cases a sliding window must get right. */
    static float[][] data(int frames, int bins, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[frames][bins];
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) {
                double v = Math.abs(r.nextGaussian());
                x[f][b] = (b + f) % 7 == 0 ? 0f : r.nextInt(4) == 0 ? Math.round(v * 4) / 4f : (float) v;
            }
        }
        return x;
    }

    @Test
    void slidingMediansEqualSelectingEachWindowsMedianBitForBit() {
        Workspace ws = new Workspace();
        int[][] shapes = {{45, 2049}, {3, 50}, {1, 7}, {60, 5}, {17, 300}};
        for (int[] sh : shapes) {
            for (int len : new int[] {1, 3, 17, 23, 41, 121}) {
                float[][] x = data(sh[0], sh[1], 31L * sh[0] + len);
                for (int round = 0; round < 2; round++) { // reused workspace memory gives the same result
                    ws.rewind();
                    assertSame(MedianFilter.bySelection(x, len, true), MedianFilter.alongTime(x, len, ws), "time", len);
                    assertSame(MedianFilter.bySelection(x, len, false), MedianFilter.alongFrequency(x, len, ws), "freq", len);
                }
            }
        }
    }

    private static void assertSame(float[][] want, float[][] got, String what, int len) {
        for (int f = 0; f < want.length; f++) {
            for (int b = 0; b < want[f].length; b++) {
                assertEquals(Float.floatToIntBits(want[f][b]), Float.floatToIntBits(got[f][b]),
                        what + " median len " + len + " at frame " + f + " bin " + b);
            }
        }
    }
}
