package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamStatsTest {
    /**
     * StreamStats skips a block's channel that is all zero (a speaker a placement does not feed). Reference: the
     * plain definition, every sample of every channel in stream order (block by block, channel by channel) into one
     * double sum of squares and one running peak, with no skipping. Exact: the same bits of the peak and the RMS,
     * on channels that are zero throughout, zero in some blocks only, -0, and a last sample that is the only one
     * not zero in its block.
     */
    @Test
    void zeroChannelsSkippedGiveTheBitsOfThePlainSum() {
        int ch = 6, block = 4096, blocks = 9;
        Random rnd = new Random(20261127);
        float[][] x = new float[ch][block * blocks];
        for (int c = 0; c < ch; c++) {
            for (int i = 0; i < x[c].length; i++) {
                int b = i / block;
                boolean silent = c == 0 || c == 3 && b % 2 == 0 || c == 4 && b < 3;
                x[c][i] = silent ? (i % 7 == 0 ? -0f : 0f) : (float) (rnd.nextGaussian() * 0.2);
            }
        }
        x[5][2 * block + block - 1] = 0.75f; // block 2 of channel 5: zero but its last sample
        for (int i = 2 * block; i < 3 * block - 1; i++) x[5][i] = 0f;
        StreamStats stats = new StreamStats();
        double peak = 0, sum = 0;
        for (int b = 0; b < blocks; b++) {
            stats.add(x, b * block, block);
            for (int c = 0; c < ch; c++) {
                for (int i = b * block; i < (b + 1) * block; i++) {
                    double v = x[c][i];
                    peak = Math.max(peak, Math.abs(v));
                    sum += v * v;
                }
            }
        }
        assertEquals(20 * Math.log10(peak), stats.peakDbfs(), 0.0);
        assertEquals(10 * Math.log10(sum / ((double) ch * block * blocks)), stats.rmsDbfs(), 0.0);
        assertEquals(Double.doubleToRawLongBits(10 * Math.log10(sum / ((double) ch * block * blocks))),
                Double.doubleToRawLongBits(stats.rmsDbfs()));
    }

    /**
     * Blocks of any length at any offset (1-5000 frames, as the first and the last of a render's blocks), each with
     * a new loudest sample at its first, its last or a middle frame, either sign: after every block the peak and
     * the RMS to the bit of the plain definition (every sample in stream order into one double sum of squares and
     * one running double peak).
     */
    @Test
    void anyBlocksGiveTheBitsOfThePlainDefinition() {
        int ch = 3, n = 60_000;
        Random rnd = new Random(32);
        float[][] x = new float[ch][n];
        for (int c = 0; c < ch; c++) for (int i = 0; i < n; i++) x[c][i] = (float) (rnd.nextGaussian() * 0.01 * (c + 1));
        StreamStats stats = new StreamStats();
        double peak = 0, sum = 0;
        long count = 0;
        for (int off = 0, k = 0; off < n; k++) {
            int len = Math.min(n - off, 1 + rnd.nextInt(k % 3 == 0 ? 5 : 5000));
            int at = off + new int[] {0, len - 1, len / 2}[k % 3];
            x[rnd.nextInt(ch)][at] = (k % 2 == 0 ? 1 : -1) * (0.1f + 0.002f * k);
            stats.add(x, off, len);
            for (int d = 0; d < ch; d++) {
                for (int i = off; i < off + len; i++) {
                    double v = x[d][i];
                    peak = Math.max(peak, Math.abs(v));
                    sum += v * v;
                }
            }
            count += (long) len * ch;
            off += len;
            assertEquals(Double.doubleToRawLongBits(20 * Math.log10(peak)), Double.doubleToRawLongBits(stats.peakDbfs()),
                    "block " + k);
            assertEquals(Double.doubleToRawLongBits(10 * Math.log10(sum / count)),
                    Double.doubleToRawLongBits(stats.rmsDbfs()), "block " + k);
        }
    }

    @Test
    void silenceIsMinusInfinityAndCounts() {
        StreamStats stats = new StreamStats();
        float[][] x = new float[2][100];
        stats.add(x, 0, 100);
        assertEquals(Double.NEGATIVE_INFINITY, stats.peakDbfs());
        assertEquals(Double.NEGATIVE_INFINITY, stats.rmsDbfs());
        // the zero frames still count in the mean: 1 sample of 1.0 in 400 samples is -26.02 dB
        x[1][99] = 1f;
        stats.add(x, 0, 100);
        assertEquals(10 * Math.log10(1 / 400.0), stats.rmsDbfs(), 1e-12);
    }
}
