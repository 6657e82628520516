package org.stemroom.workstation.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/**
 * The limiter's steady path (blocks that ask for no reduction once the gain computer has settled: one gain for the
 * whole block, the delay line a stretch at a time) against the per-sample gain computer, bit for bit: every output
 * sample and the smallest gain, in place (as the master stage calls it) and into another buffer, at block sizes
 * below, around and above the delay line's length, on material whose limited stretches are followed by quiet ones
 * (the release not yet finished, then finished at unity), silence, and a settled stretch cut short by a new peak.
 */
class TruePeakLimiterSteadyTest {
    private static final int RATE = TruePeakLimiterTest.RATE;

    /** Six channels: hot bursts every 1.3 s between quieter music-like stretches, silence in the middle. */
    static float[][] material() {
        int n = RATE * 6;
        float[][] x = new float[6][n];
        Random rnd = new Random(7);
        double lp = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            lp += 0.05 * (rnd.nextGaussian() - lp);
            boolean hot = (i % 62_400) < 2_000 && (i < 2 * RATE || i > 3 * RATE); // 1.3 s apart
            boolean silent = i >= 2 * RATE + RATE / 4 && i < 3 * RATE;
            double level = silent ? 0 : hot ? 1.6 : 0.3;
            for (int c = 0; c < 6; c++) {
                double v = level * (0.6 * Math.sin(2 * Math.PI * (110 * (c + 1)) * t + c) + 1.5 * lp);
                if (c == 3) v *= 0.2;
                x[c][i] = (float) v;
            }
        }
        // a lone peak in a settled stretch: the steady path must hand over to the per-sample one at that block
        x[2][(int) (4.9 * RATE)] = 1.4f;
        return x;
    }

    /** The limiter's output and its smallest gain, blocks in turn from {@code blocks}; {@code inPlace}: out == in. */
    static float[][] run(TruePeakLimiter lim, float[][] x, int[] blocks, boolean inPlace) {
        int ch = x.length;
        int n = x[0].length;
        int max = 0;
        for (int b : blocks) max = Math.max(max, b);
        AudioBuffer in = new AudioBuffer(ch, max);
        AudioBuffer out = inPlace ? in : new AudioBuffer(ch, max);
        float[][] y = new float[ch + 1][n];
        int bi = 0;
        for (int pos = 0; pos < n; ) {
            int len = Math.min(blocks[bi++ % blocks.length], n - pos);
            in.setFrames(len);
            for (int c = 0; c < ch; c++) System.arraycopy(x[c], pos, in.channel(c), 0, len);
            lim.process(in, out);
            for (int c = 0; c < ch; c++) System.arraycopy(out.channel(c), 0, y[c], pos, len);
            pos += len;
        }
        y[ch][0] = lim.minGain();
        return y;
    }

    static TruePeakLimiter limiter(boolean perSampleOnly) {
        TruePeakLimiter lim = new TruePeakLimiter(-1.0, 1.5, 80);
        lim.prepare(new AudioFormat(RATE, ChannelLayout.SURROUND_5_1), 4096);
        lim.perSampleOnly = perSampleOnly;
        return lim;
    }

    @Test
    void steadyBlocksGiveThePerSampleGainComputersBits() {
        float[][] x = material();
        int delayLen = limiter(false).latencyFrames() + 1;
        int[][] blockSets = {{4096}, {1, 64, 1000, 4096, 13}, {37}, {delayLen - 1, delayLen, delayLen + 1},
            {2 * delayLen + 5, 3}};
        for (int[] blocks : blockSets) {
            for (boolean inPlace : new boolean[] {true, false}) {
                TruePeakLimiter ref = limiter(true);
                TruePeakLimiter lim = limiter(false);
                float[][] want = run(ref, x, blocks, inPlace);
                float[][] got = run(lim, x, blocks, inPlace);
                String what = java.util.Arrays.toString(blocks) + (inPlace ? " in place" : "");
                assertEquals(0, ref.steadyBlocks, what);
                assertTrue(lim.steadyBlocks > 0, "the steady path never ran: " + what);
                assertTrue(want[x.length][0] < 1f, "nothing was limited: " + what);
                for (int c = 0; c <= x.length; c++) {
                    // bit for bit: assertArrayEquals on floats compares floatToIntBits (NaN aside, none here)
                    assertArrayEquals(want[c], got[c], what + " channel " + c);
                }
            }
        }
    }

    @Test
    void afterLimitingTheGainReturnsToUnityAndTheSteadyPathKeepsIt() {
        // the release ends at a gain of exactly 1 (it used to stop where (1 - g) * coef rounded away in float, about
        // -0.001 dB, and the steady stretches kept that): 2.2 s after the burst at 1.3 s (27 release times), in the
        // quiet stretch before the burst at 3.9 s, the output is the input, bit for bit
        float[][] x = material();
        TruePeakLimiter lim = limiter(false);
        float[][] y = run(lim, x, new int[] {4096}, false);
        int lat = lim.latencyFrames();
        for (int i = (int) (3.5 * RATE); i < (int) (3.8 * RATE); i++) {
            for (int c = 0; c < x.length; c++) assertEquals(x[c][i - lat], y[c][i], "channel " + c + " at " + i);
        }
        assertTrue(lim.steadyBlocks > 0);
    }
}
