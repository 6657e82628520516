package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/**
 * The pushed Lt/Rt check ({@link FoldDownCheck#stream(LtRtEncoder, int, double)}, what a render feeds with its mix
 * as it writes it) gives the numbers of the file check with the real encode
 * ({@link FoldDownCheck#run(FoldDownCheck.Input, String, FoldDownCheck.Input, String, LtRtEncoder, double)}) for
 * aligned inputs, whatever the block sizes.
 */
class FoldDownCheckLtRtStreamTest {
    private static final int FS = 48_000;

    @Test
    void pushedLtRtStreamEqualsRunWithTheEncoder() throws Exception {
        int n = 3 * FS;
        float[] l = TestSignals.pinkNoise(n, 41, 0.5);
        float[] r = TestSignals.pinkNoise(n, 42, 0.5);
        float[][] s = new float[6][n];
        for (int i = 0; i < n; i++) {
            float centre = 0.2f * (l[i] + r[i]);
            s[0][i] = l[i] - 0.7f * centre;
            s[1][i] = r[i] - 0.7f * centre;
            s[2][i] = centre;
            s[3][i] = 0.1f * l[i];
            s[4][i] = 0.3f * l[i];  // surrounds: the part the 90-degree network shifts
            s[5][i] = 0.25f * r[i];
        }
        AudioClip ref = new AudioClip(new AudioFormat(FS, ChannelLayout.STEREO), new float[][] {l, r});
        AudioClip sur = new AudioClip(new AudioFormat(FS, ChannelLayout.SURROUND_5_1), s);
        SpeakerLayout layout = SpeakerLayout.of(ChannelLayout.SURROUND_5_1);
        FoldDownCheck.Report whole = FoldDownCheck.run(FoldDownCheck.of(ref), "ref", FoldDownCheck.of(sur), "sur",
                new LtRtEncoder(layout), 1.0);
        assertEquals(0, whole.lagFrames);
        assertEquals("LT/RT encoded", whole.mode);
        for (int[] blocks : new int[][] {{8192}, {1000, 37, 20000}, {n}}) {
            FoldDownCheck.Stream st = FoldDownCheck.stream(new LtRtEncoder(layout), FS, 1.0);
            int at = 0;
            for (int k = 0; at < n; k++) {
                int len = Math.min(blocks[k % blocks.length], n - at);
                st.add(ref.samples(), sur.samples(), at, len);
                at += len;
            }
            FoldDownCheck.Report pushed = st.report();
            assertEquals(whole.mode, pushed.mode);
            assertEquals(whole.seconds, pushed.seconds);
            for (int c = 0; c < 3; c++) assertArrayEquals(whole.bandDiffDb[c], pushed.bandDiffDb[c], 0.0);
            assertArrayEquals(whole.correlation, pushed.correlation, 0.0);
            assertEquals(whole.foldDownPeakDbfs, pushed.foldDownPeakDbfs, 0.0);
            assertEquals(whole.foldDownLrCorrelation, pushed.foldDownLrCorrelation, 0.0);
            // loudness sums group by the blocks fed (as in FoldDownCheckTest): rounding only
            assertEquals(whole.foldDownLufs, pushed.foldDownLufs, 1e-9);
            assertEquals(whole.foldDownMonoLossDb, pushed.foldDownMonoLossDb, 1e-9);
            assertEquals(whole.toTable(), pushed.toTable());
        }
        // the fronts compare through the same all-pass: correlation stays high; the shifted surrounds lower it a little
        assertTrue(whole.correlation[0] > 0.9 && whole.correlation[0] < 0.999999, "left " + whole.correlation[0]);
    }
}
