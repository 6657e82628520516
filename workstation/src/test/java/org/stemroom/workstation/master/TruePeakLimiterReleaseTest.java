package org.stemroom.workstation.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/**
 * The limiter's release against its closed form: after a single limited peak the gain's distance from unity decays as
 * exp(-t / release), all the way (not stopping where float's recursion used to, 0.99988556 = -0.001 dB for 80 ms),
 * and from the moment the closed form puts it within 2^-26 of 1 (where float's gain is 1) the gain is exactly 1 and
 * every later sample passes bit for bit, through the steady path and through the per-sample gain computer alike.
 */
class TruePeakLimiterReleaseTest {
    private static final int RATE = TruePeakLimiterTest.RATE;
    private static final double RELEASE_MS = 80;
    /** Where the one loud sample sits. */
    private static final int PEAK = RATE / 5;
    /**
     * From PEAK + this on (output-aligned), the gain is a pure release: the peak has left the sliding minimum's window
     * (hold 32 + attack 72 + 1 on either side) and the detector's reach (48 samples), and the two moving averages
     * (73 samples together) have passed the release's start. 2 x (32 + 72 + 48 + 73) = 450.
     */
    private static final int RELEASE_FROM = 450;

    /**
     * Channel 0: 0.25 throughout (a power of two: its output is the gain times 0.25 without rounding, so the gain is
     * read exactly) and one sample of 1.8 at {@link #PEAK}; channel 1: a 440 Hz tone at 0.3 (what must pass unchanged).
     */
    static float[][] material(int n) {
        float[][] x = new float[2][n];
        Arrays.fill(x[0], 0.25f);
        x[0][PEAK] = 1.8f;
        for (int i = 0; i < n; i++) x[1][i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / RATE));
        return x;
    }

    @Test
    void afterASingleLimitedPeakTheGainDecaysToExactlyOneAndLaterSamplesPassBitExactly() {
        int n = RATE * 5 / 2;
        float[][] x = material(n);
        double tau = RELEASE_MS * 1e-3 * RATE; // release time constant in samples
        for (int[] blocks : new int[][] {{4096}, {1, 64, 1000, 4096, 13}}) {
            for (boolean perSampleOnly : new boolean[] {false, true}) {
                String what = Arrays.toString(blocks) + (perSampleOnly ? " per sample only" : "");
                TruePeakLimiter lim = new TruePeakLimiter(-1.0, 1.5, RELEASE_MS);
                lim.prepare(new AudioFormat(RATE, ChannelLayout.STEREO), 4096);
                lim.perSampleOnly = perSampleOnly;
                float[][] y = TruePeakLimiterTest.run(lim, x, blocks);
                double gap0 = 1.0 - lim.minGain();
                assertTrue(gap0 > 0.3, "the peak was not limited: " + what);
                // the release: gap(t + d) / gap(t) = exp(-d / tau), within what the float gain's rounding (half a step,
                // 2^-25, at either end) can make of it, while the gap is at least 1e-5 (ten times below the old stall)
                int d = (int) Math.round(tau / 2);
                double want = Math.exp(-d / tau);
                int checked = 0;
                for (int t = PEAK + RELEASE_FROM; ; t += 97) {
                    double a = 1.0 - 4.0 * y[0][t];
                    double b = 1.0 - 4.0 * y[0][t + d];
                    if (b < 1e-5) break;
                    double tol = (0x1p-25 / b) * (1 + want) + 1e-9;
                    assertEquals(want, b / a, tol, what + ": release ratio at " + t + " (gaps " + a + ", " + b + ")");
                    checked++;
                }
                assertTrue(checked > 100, what + ": only " + checked + " release ratios checked");
                // unity: from where the closed form's gap is below 2^-26 (and the moving averages have passed it)
                int unity = PEAK + RELEASE_FROM + (int) Math.ceil(tau * Math.log(gap0 / 0x1p-26)) + 73;
                assertTrue(unity < n - RATE / 2, what + ": the test's material is too short");
                for (int t = unity; t < n; t++) assertEquals(0.25f, y[0][t], what + ": gain at " + t + " is " + 4 * y[0][t]);
                assertArrayEquals(Arrays.copyOfRange(x[1], unity, n), Arrays.copyOfRange(y[1], unity, n),
                        what + ": the tone after the release");
                if (perSampleOnly) {
                    assertEquals(0, lim.steadyBlocks, what);
                } else if (blocks.length == 1) {
                    // about 10 blocks after the release end take the steady path (proof that it is reached)
                    assertTrue(lim.steadyBlocks >= 5, what + ": steady blocks " + lim.steadyBlocks);
                }
            }
        }
    }
}
