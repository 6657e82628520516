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
        // magnitudes take the lane path: rows of bins along time; along frequency stretches of centres x frames
        // (many stretches, the last moved back; one stretch per task when frames fill a task; too few centres for a
        // stretch: the scalar path)
        int[][] shapes = {{45, 2049}, {3, 50}, {1, 7}, {60, 5}, {17, 300}, {300, 700}, {7, 1000}, {23, 130}};
        for (int[] sh : shapes) {
            for (int len : new int[] {1, 3, 17, 23, 41, 121}) {
                float[][] x = data(sh[0], sh[1], 31L * sh[0] + len);
                for (int round = 0; round < 2; round++) { // reused workspace memory gives the same result
                    ws.rewind();
                    float[][] t = MedianFilter.alongTime(x, len, ws), q = MedianFilter.alongFrequency(x, len, ws);
                    assertSame(MedianFilter.bySelection(x, len, true), t, "time", len);
                    assertSame(MedianFilter.bySelection(x, len, false), q, "freq", len);
                    // the outputs come back unzeroed next round: a value the filter failed to write would show
                    for (float[] row : t) java.util.Arrays.fill(row, Float.NaN);
                    for (float[] row : q) java.util.Arrays.fill(row, -1f);
                }
            }
        }
    }

    @Test
    void valuesOutsideMagnitudesTakeTheScalarPathWithTheSameMedians() {
        Workspace ws = new Workspace();
        for (int[] sh : new int[][] {{45, 2049}, {17, 300}}) {
            for (int len : new int[] {3, 17, 23}) {
                float[][] x = data(sh[0], sh[1], 7L * len + sh[0]);
                // negative values (as ints, negatives order the wrong way round): one, or every third value.
                // Not -0: selection and the scalar slide may then return zeros of different signs (equal values).
                for (int every : new int[] {Integer.MAX_VALUE, 3}) {
                    float[][] y = new float[x.length][];
                    for (int f = 0; f < x.length; f++) y[f] = x[f].clone();
                    y[sh[0] / 2][sh[1] - 1] = -0.5f;
                    for (int f = 0; f < y.length; f++) {
                        for (int b = f % 3; b < sh[1] && every == 3; b += 3) y[f][b] = -0.125f - y[f][b];
                    }
                    ws.rewind();
                    assertSame(MedianFilter.bySelection(y, len, true), MedianFilter.alongTime(y, len, ws), "time", len);
                    assertSame(MedianFilter.bySelection(y, len, false), MedianFilter.alongFrequency(y, len, ws), "freq", len);
                }
            }
        }
    }

    @Test
    void quantilesAlongTimeEqualSortingEachWindow() {
        Workspace ws = new Workspace();
        for (int len : new int[] {1, 3, 11, 23}) {
            float[][] x = data(40, 90, 13L * len);
            for (double q : new double[] {0, 0.2, 0.3, 0.5, 0.9, 1}) {
                ws.rewind();
                // bins 10..69 filled, the rest left as they were (NaN here)
                float[][] got = new float[x.length][x[0].length];
                for (float[] row : got) java.util.Arrays.fill(row, Float.NaN);
                MedianFilter.quantileAlongTime(x, len, q, 10, 70, got, ws);
                int half = len / 2;
                for (int f = 0; f < x.length; f++) {
                    for (int b = 0; b < x[0].length; b++) {
                        if (b < 10 || b >= 70) {
                            assertEquals(Float.NaN, got[f][b], 0f, "bin " + b + " outside the range written");
                            continue;
                        }
                        // the reference: the window (shrunk at the edges) sorted, the value of rank round(q (n - 1))
                        int g0 = Math.max(0, f - half), g1 = Math.min(x.length - 1, f + half), n = g1 - g0 + 1;
                        float[] w = new float[n];
                        for (int g = g0; g <= g1; g++) w[g - g0] = x[g][b];
                        java.util.Arrays.sort(w);
                        assertEquals(w[(int) Math.round(q * (n - 1))], got[f][b], 0f,
                                "quantile " + q + " len " + len + " at frame " + f + " bin " + b);
                    }
                }
            }
            // in the middle (odd windows whole) the 0.5 quantile is the median filter's value
            ws.rewind();
            float[][] med = MedianFilter.bySelection(x, len, true), q5 = new float[x.length][x[0].length];
            MedianFilter.quantileAlongTime(x, len, 0.5, 0, x[0].length, q5, ws);
            for (int f = len / 2; f < x.length - len / 2; f++) {
                for (int b = 0; b < x[0].length; b++) assertEquals(med[f][b], q5[f][b], 0f, "median at " + f + "," + b);
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
