package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link BassPartialsStep#noteBackgroundRow} (row by row) against the per-bin means it replaces, bit for bit. */
class BassPartialsStepTest {

    /** The per-bin form: each bin's mean over the frames, a frame at a time, as the step computed it before. */
    private static double offCombMean(float[][] m, float[][] mag, float[][] available, int b, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int f = from; f < to; f++) {
            if (m[f][b] > 0.1f * available[f][b]) continue;
            sum += mag[f][b];
            n++;
        }
        return n > 0 ? sum / n : -1;
    }

    @Test
    void noteBackgroundRowGivesThePerBinMeansBits() {
        Random rnd = new Random(23);
        int frames = 40, bins = 513, top = 7;
        float[][] m = new float[frames][bins], mag = new float[frames][bins], available = new float[frames][bins];
        double[] sumBefore = new double[bins], sumAfter = new double[bins];
        int[] countBefore = new int[bins], countAfter = new int[bins];
        float[] row = new float[bins];
        int checked = 0, none = 0, nan = 0;
        for (int trial = 0; trial < 200; trial++) {
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    available[f][b] = rnd.nextInt(20) == 0 ? 0 : rnd.nextFloat();
                    mag[f][b] = rnd.nextFloat() * 3;
                    int kind = rnd.nextInt(4);
                    // off the comb, on it, exactly at the tenth (kept: not above it), or a little above
                    m[f][b] = kind == 0 ? 0 : kind == 1 ? rnd.nextFloat() : kind == 2 ? 0.1f * available[f][b]
                            : Math.nextUp(0.1f * available[f][b]);
                }
            }
            if (trial % 10 == 5) { // a bin on the comb in every frame: no side has a frame
                int b = top + rnd.nextInt(bins - top);
                for (int f = 0; f < frames; f++) m[f][b] = 1;
                available[0][b] = 1;
            }
            int s = rnd.nextInt(frames - 1), e = s + 1 + rnd.nextInt(frames - s - 1);
            int edge = rnd.nextInt(6); // 0: both sides empty
            int before = Math.max(0, s - edge), after = Math.min(frames, e + edge);
            if (trial % 10 == 3 && before < s) { // a NaN magnitude off the comb: the mean is NaN, and so the row
                int b = top + rnd.nextInt(bins - top);
                m[before][b] = 0;
                mag[before][b] = Float.NaN;
            }
            java.util.Arrays.fill(row, 5f); // stale values below top must stay
            BassPartialsStep.noteBackgroundRow(m, mag, available, top, bins, before, s, e, after, sumBefore,
                    countBefore, sumAfter, countAfter, row);
            for (int b = 0; b < top; b++) assertEquals(5f, row[b]);
            for (int b = top; b < bins; b++) {
                float want = (float) Math.max(offCombMean(m, mag, available, b, before, s),
                        offCombMean(m, mag, available, b, e, after));
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(row[b]),
                        "trial " + trial + " bin " + b);
                checked++;
                if (want == -1f) none++;
                if (Float.isNaN(want)) nan++;
            }
        }
        assertTrue(none > 1000 && nan > 0, "the edges were exercised: " + none + " without frames, " + nan + " NaN");
        assertTrue(checked > 100_000);
    }
}
