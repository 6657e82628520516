package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/**
 * The fold-down check of the real Lt/Rt encode (90° network) against references worked out by hand from the
 * matrix: Lt = L + 0.7071 C - j 0.5 (Ls + Rs), Rt = R + 0.7071 C + j 0.5 (Ls + Rs).
 */
class LtRtCheckTest {
    private static final int FS = 48_000;
    private static final int N = 4 * FS;
    private static final float G = (float) Math.sqrt(0.5);

    private static AudioClip stereo(float[] l, float[] r) {
        return new AudioClip(new AudioFormat(FS, ChannelLayout.STEREO), new float[][] {l, r});
    }

    private static AudioClip surround(float[]... ch) {
        return new AudioClip(new AudioFormat(FS, ChannelLayout.SURROUND_5_1), ch);
    }

    private static FoldDownCheck.Report encoded(AudioClip ref, AudioClip sur) throws Exception {
        return FoldDownCheck.run(FoldDownCheck.of(ref), "ref", FoldDownCheck.of(sur), "sur",
                new LtRtEncoder(SpeakerLayout.SURROUND_5_1), 1.0);
    }

    private static FoldDownCheck.Report matrixOnly(AudioClip ref, AudioClip sur) throws Exception {
        return FoldDownCheck.run(FoldDownCheck.of(ref), "ref", FoldDownCheck.of(sur), "sur",
                new FoldDown(SpeakerLayout.SURROUND_5_1, FoldDown.Mode.LT_RT), 1.0);
    }

    /**
     * Fronts only: L + 0.7071 C and R + 0.7071 C (computed here) is what the encode carries, through the same
     * all-pass: correlation above 0.99999, no delay found; every band within 0.03 dB and never above (the reference's
     * levels are measured before the all-pass, which keeps back the last few tens of ms of a low band's energy at
     * the end of these 4 s: see FoldDownCheckSharedReferenceTest; 0.0127 dB in the worst band).
     */
    @Test
    void frontsAndCentreMatchTheHandMadeMatrixSampleBySample() throws Exception {
        float[] l = TestSignals.pinkNoise(N, 1, 0.5);
        float[] r = TestSignals.pinkNoise(N, 2, 0.5);
        float[] c = TestSignals.pinkNoise(N, 3, 0.4);
        float[] lfe = TestSignals.pinkNoise(N, 4, 0.3); // not part of the matrix
        float[] zero = new float[N];
        float[] refL = new float[N];
        float[] refR = new float[N];
        for (int i = 0; i < N; i++) {
            refL[i] = l[i] + G * c[i];
            refR[i] = r[i] + G * c[i];
        }
        FoldDownCheck.Report rep = encoded(stereo(refL, refR), surround(l, r, c, lfe, zero, zero));
        assertEquals(0, rep.lagFrames);
        assertEquals("LT/RT encoded", rep.mode);
        for (int k = 0; k < 3; k++) {
            for (double d : rep.bandDiffDb[k]) {
                assertEquals(0, d, 0.03, "band difference");
                assertTrue(d < 1e-6, "the encode's band energy above the reference's: " + d);
            }
        }
        assertTrue(rep.correlation[0] > 0.99999 && rep.correlation[1] > 0.99999,
                rep.correlation[0] + " " + rep.correlation[1]);
        assertEquals(rep.referenceLufs, rep.foldDownLufs, 0.01);
        assertTrue(rep.pass());
    }

    /**
     * A surround (white noise in Ls) reaches Lt and Rt at -6 dB with opposite signs and 90° away from the
     * fronts: against the reference L = a - 0.5 x, R = 0.5 x (the static matrix, a = noise in L of the same power
     * as x), the right side keeps its level in every band from 63 Hz (within 0.05 dB; the left within 0.3 dB, the statistics of two noises' cross term) but loses its correlation
     * (cos 90° = 0; |r| < 0.03), the left side correlates at E[a²] / (E[a²] + 0.25 E[x²]) = 0.8 (within 0.02). The
     * static matrix, which has no phase network, correlates at 1 on both sides.
     */
    @Test
    void surroundsArriveNinetyDegreesAwayAtTheMatrixLevels() throws Exception {
        float[] a = TestSignals.whiteNoise(N, 11, 0.1);
        float[] x = TestSignals.whiteNoise(N, 12, 0.1);
        float[] zero = new float[N];
        float[] refL = new float[N];
        float[] refR = new float[N];
        for (int i = 0; i < N; i++) {
            refL[i] = a[i] - 0.5f * x[i];
            refR[i] = 0.5f * x[i];
        }
        AudioClip ref = stereo(refL, refR);
        AudioClip sur = surround(a, zero, zero, zero, x, zero);
        FoldDownCheck.Report enc = encoded(ref, sur);
        assertEquals(0, enc.lagFrames);
        for (int b = 1; b < enc.bands.size(); b++) {
            assertEquals(0, enc.bandDiffDb[1][b], 0.05, "right side, band " + enc.bands.get(b));
            // the left side mixes two noises: their finite-sample cross term (in phase in the reference, 90 degrees
            // off in the encode) moves a band by up to about 0.1 dB over 4 s (measured 0.13 dB at 63 Hz, 0.10 at 1 kHz)
            assertEquals(0, enc.bandDiffDb[0][b], 0.3, "left side, band " + enc.bands.get(b));
        }
        assertEquals(0, enc.correlation[1], 0.03, "right side: the surround is 90 degrees away");
        assertEquals(0.8, enc.correlation[0], 0.02, "left side: the front part correlates, the surround does not");
        FoldDownCheck.Report st = matrixOnly(ref, sur);
        assertEquals(1, st.correlation[0], 1e-5);
        assertEquals(1, st.correlation[1], 1e-5);
    }

    /**
     * A square wave in both surrounds at 0.7 folds to a 0.7 square in the static matrix (no clipping), but its
     * 90° shift peaks far higher: the encoded check finds the clipping that a matrix decoder's input would have.
     */
    @Test
    void theEncodeIsCheckedForClippingThatTheStaticMatrixHides() throws Exception {
        float[] sq = new float[N];
        for (int i = 0; i < N; i++) sq[i] = (i / 240) % 2 == 0 ? 0.7f : -0.7f; // 100 Hz
        float[] zero = new float[N];
        float[] front = TestSignals.whiteNoise(N, 5, 0.05); // something in the mono sum, for the delay search
        float[] refL = new float[N];
        float[] refR = new float[N];
        for (int i = 0; i < N; i++) {
            refL[i] = front[i] - 0.7f * sq[i];
            refR[i] = front[i] + 0.7f * sq[i];
        }
        AudioClip ref = stereo(refL, refR);
        AudioClip sur = surround(front, front, zero, zero, sq, sq);
        FoldDownCheck.Report st = matrixOnly(ref, sur);
        FoldDownCheck.Report enc = encoded(ref, sur);
        assertEquals(0, st.foldDownClipped, "static matrix: " + st.foldDownPeakDbfs + " dBFS");
        assertTrue(enc.foldDownClipped > 0, "encode: " + enc.foldDownPeakDbfs + " dBFS");
        assertTrue(enc.foldDownPeakDbfs > st.foldDownPeakDbfs + 3, enc.foldDownPeakDbfs + " vs " + st.foldDownPeakDbfs);
        assertTrue(!enc.pass());
    }
}
