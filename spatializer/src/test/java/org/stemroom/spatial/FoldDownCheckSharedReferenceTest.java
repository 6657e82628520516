package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.dsp.BandEnergy;
import org.stemroom.core.dsp.OctaveBandFilterBank;
import org.stemroom.core.loudness.LoudnessMeter;

/**
 * The Lt/Rt check's reference levels are the reference's own, measured before the encoder's front all-pass (which
 * only the correlation with the encode needs): the same numbers as the Lo/Ro check's, so a render measures them once
 * ({@link FoldDownCheck#stream(LtRtEncoder, int, double, FoldDownCheck.Stream)}, fed by
 * {@link FoldDownCheck.Stream#addWithEncode}).
 */
class FoldDownCheckSharedReferenceTest {
    private static final int FS = 48_000;
    private static final SpeakerLayout LAYOUT = SpeakerLayout.of(ChannelLayout.SURROUND_5_1);

    /** A reference and a 5.1 mix made from it plus surrounds of their own (as a render's). */
    private static float[][][] material(int n) {
        float[] l = TestSignals.pinkNoise(n, 61, 0.5);
        float[] r = TestSignals.pinkNoise(n, 62, 0.5);
        float[] amb = TestSignals.pinkNoise(n, 63, 0.3);
        float[][] s = new float[6][n];
        for (int i = 0; i < n; i++) {
            float centre = 0.25f * (l[i] + r[i]);
            s[0][i] = 0.8f * l[i] - 0.5f * centre;
            s[1][i] = 0.8f * r[i] - 0.5f * centre;
            s[2][i] = centre;
            s[3][i] = 0.2f * l[i];
            s[4][i] = 0.3f * amb[i];
            s[5][i] = 0.2f * r[i] - 0.1f * amb[i];
        }
        return new float[][][] {{l, r}, s};
    }

    private static void assertSameReport(FoldDownCheck.Report a, FoldDownCheck.Report b) {
        assertEquals(a.toMap(), b.toMap());
        for (int c = 0; c < 3; c++) assertArrayEquals(a.bandDiffDb[c], b.bandDiffDb[c], 0.0);
        assertEquals(a.referenceLufs, b.referenceLufs, 0.0);
        assertEquals(a.referenceMonoLossDb, b.referenceMonoLossDb, 0.0);
    }

    /**
     * Fed as the render's tap feeds them (one encode of the mix, both checks at once in the writer's blocks: the
     * encode's band energies measured in the Lo/Ro stream's meter, beside the reference's and the Lo/Ro fold's), the
     * Lt/Rt stream that reads the reference's levels from the Lo/Ro stream reports exactly what it reports alone, and
     * the Lo/Ro stream exactly what a Lo/Ro stream fed alone reports; both reports' reference numbers are the same.
     */
    @Test
    void sharingTheReferenceChangesNoNumber() {
        int n = 5 * FS + 123;
        float[][][] m = material(n);
        float[][] ref = m[0], mix = m[1];
        for (int block : new int[] {4096, 1000, 8192 + 17}) {
            FoldDownCheck.Stream loRo = FoldDownCheck.stream(new FoldDown(LAYOUT, FoldDown.Mode.LO_RO), FS, 1.0);
            LtRtEncoder shared = new LtRtEncoder(LAYOUT);
            FoldDownCheck.Stream ltRtShared = FoldDownCheck.stream(shared, FS, 1.0, loRo);
            FoldDownCheck.Stream ltRtAlone = FoldDownCheck.stream(new LtRtEncoder(LAYOUT), FS, 1.0);
            FoldDownCheck.Stream loRoAlone = FoldDownCheck.stream(new FoldDown(LAYOUT, FoldDown.Mode.LO_RO), FS, 1.0);
            float[][] encoded = new float[2][n];
            for (int off = 0; off < n; off += block) {
                int len = Math.min(block, n - off);
                shared.process(mix, encoded, off, len);
                loRo.addWithEncode(ref, off, mix, off, encoded, off, len);
                ltRtAlone.add(ref, off, mix, off, len);
                loRoAlone.add(ref, off, mix, off, len);
            }
            FoldDownCheck.Report alone = ltRtAlone.report();
            FoldDownCheck.Report withShared = ltRtShared.report();
            FoldDownCheck.Report lo = loRo.report();
            assertSameReport(alone, withShared);
            assertSameReport(loRoAlone.report(), lo);
            assertEquals(lo.referenceLufs, alone.referenceLufs, 0.0);
            assertEquals(lo.referenceMonoLossDb, alone.referenceMonoLossDb, 0.0);
            assertEquals(lo.referenceMidSideDb, alone.referenceMidSideDb, 0.0);
            assertEquals(lo.referenceLrCorrelation, alone.referenceLrCorrelation, 0.0);
            // and the encode's own numbers are its own, not the Lo/Ro fold's
            assertTrue(Math.abs(lo.foldDownLufs - alone.foldDownLufs) > 0.01, lo.foldDownLufs + " " + alone.foldDownLufs);
            for (int b = 0; b < lo.bands.size(); b++) {
                assertTrue(lo.bandDiffDb[2][b] != alone.bandDiffDb[2][b], "band " + lo.bands.get(b) + ": the encode's own");
            }
        }
    }

    /**
     * Two streams sharing a reference are fed together only: either fed alone is refused, as is sharing a stream that
     * was fed already, that shares another's reference or whose reference is another's, or one at another rate.
     */
    @Test
    void aSharedReferenceIsFedWithItsEncodeOnly() {
        int n = FS;
        float[][][] m = material(n);
        float[][] encoded = new float[2][n];
        FoldDownCheck.Stream loRo = FoldDownCheck.stream(new FoldDown(LAYOUT, FoldDown.Mode.LO_RO), FS, 1.0);
        FoldDownCheck.Stream ltRt = FoldDownCheck.stream(new LtRtEncoder(LAYOUT), FS, 1.0, loRo);
        assertThrows(IllegalStateException.class, () -> loRo.add(m[0], m[1], 0, n));
        assertThrows(IllegalStateException.class, () -> ltRt.add(m[0], m[1], 0, n));
        assertThrows(IllegalStateException.class, () -> ltRt.addFolded(m[0], 0, encoded, 0, n));
        assertThrows(IllegalStateException.class, () -> ltRt.addWithEncode(m[0], 0, m[1], 0, encoded, 0, n));
        assertThrows(IllegalArgumentException.class, () -> FoldDownCheck.stream(new LtRtEncoder(LAYOUT), FS, 1.0, loRo));
        assertThrows(IllegalArgumentException.class, () -> FoldDownCheck.stream(new LtRtEncoder(LAYOUT), FS, 1.0, ltRt));
        FoldDownCheck.Stream fed = FoldDownCheck.stream(new FoldDown(LAYOUT, FoldDown.Mode.LO_RO), FS, 1.0);
        fed.add(m[0], m[1], 0, 100);
        assertThrows(IllegalArgumentException.class, () -> FoldDownCheck.stream(new LtRtEncoder(LAYOUT), FS, 1.0, fed));
        assertThrows(IllegalStateException.class, () -> fed.addWithEncode(m[0], 0, m[1], 0, encoded, 0, n));
        FoldDownCheck.Stream other = FoldDownCheck.stream(new FoldDown(LAYOUT, FoldDown.Mode.LO_RO), FS, 1.0);
        assertThrows(IllegalArgumentException.class,
                () -> FoldDownCheck.stream(new LtRtEncoder(LAYOUT), 44_100, 1.0, other));
    }

    /**
     * Against references computed here: the Lt/Rt check's band differences are the encode's band energies (the
     * encoder run over the whole mix, {@link BandEnergy#bandEnergies}) against the raw reference's, bit for bit; its
     * reference loudness is the raw reference's ({@link LoudnessMeter} over the whole clip, rounding of the sums'
     * grouping only). And the reference after the front all-pass, which the check measured before, has the same
     * band energies but for what the all-pass still holds at the end (filters commute, and a lossless causal
     * filter started at rest never puts out more energy by any time than it took in: never above, up to rounding);
     * that tail is the last few tens of ms of a low band's signal: 0.021 dB in the worst band over these 4 s,
     * 0.0018 dB over 16 s (bounds 0.03 and 0.005; the share shrinks with the length).
     */
    @Test
    void referenceLevelsAreTheReferencesOwnAndTheAllPassedOnesDifferByItsTailOnly() throws Exception {
        for (int seconds : new int[] {4, 16}) {
            int n = seconds * FS;
            float[][][] m = material(n);
            float[][] ref = m[0], mix = m[1];
            FoldDownCheck.Report rep = FoldDownCheck.run(FoldDownCheck.of(new AudioClip(new AudioFormat(FS, ChannelLayout.STEREO), ref)), "ref",
                    FoldDownCheck.of(new AudioClip(new AudioFormat(FS, ChannelLayout.SURROUND_5_1), mix)), "mix",
                    new LtRtEncoder(LAYOUT), 1.0);
            assertEquals(0, rep.lagFrames);
            float[][] encoded = new float[2][n];
            new LtRtEncoder(LAYOUT).process(mix, encoded, 0, n);
            OctaveBandFilterBank bank = new OctaveBandFilterBank(FS, OctaveBandFilterBank.Resolution.OCTAVE);
            float[][] passed = {ref[0].clone(), ref[1].clone()};
            LtRtEncoder.frontPath().process(passed, n);
            double floor = 1e-12 * n;
            double worstOld = 0;
            for (int c = 0; c < 2; c++) {
                double[] ef = BandEnergy.bandEnergies(encoded[c], bank);
                double[] er = BandEnergy.bandEnergies(ref[c], bank);
                double[] ep = BandEnergy.bandEnergies(passed[c], bank);
                for (int b = 0; b < bank.size(); b++) {
                    assertEquals(10 * Math.log10(Math.max(ef[b], floor) / Math.max(er[b], floor)), rep.bandDiffDb[c][b], 0.0);
                    double old = 10 * Math.log10(ep[b] / er[b]);
                    assertTrue(old <= 1e-9, "the all-pass keeps energy back, never adds: band " + b + " " + old);
                    worstOld = Math.max(worstOld, -old);
                }
            }
            System.out.printf("%d s: all-passed reference against the reference, worst band %.5f dB%n", seconds, worstOld);
            assertTrue(worstOld < (seconds == 4 ? 0.03 : 0.005), seconds + " s: " + worstOld);
            assertTrue(worstOld > (seconds == 4 ? 0.004 : 0.001), "the all-pass's tail is measurable: " + worstOld);
            LoudnessMeter raw = LoudnessMeter.measure(new AudioClip(new AudioFormat(FS, ChannelLayout.STEREO), ref));
            assertEquals(raw.integratedLufs(), rep.referenceLufs, 1e-9);
        }
    }
}
