package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FoldDownTest {
    private static final double H = Math.sqrt(0.5);

    private static void row(FoldDown f, int out, double... want) {
        for (int i = 0; i < want.length; i++) assertEquals(want[i], f.gain(out, i), 1e-12, "out " + out + " in " + i);
    }

    @Test
    void loRoFollowsBs775() {
        // 5.1 order L R C LFE Ls Rs; ITU-R BS.775 table 2, 3/2 -> 2/0: Lo = L + 0.7071 C + 0.7071 Ls
        FoldDown f = new FoldDown(SpeakerLayout.SURROUND_5_1, FoldDown.Mode.LO_RO);
        row(f, 0, 1, 0, H, 0, H, 0);
        row(f, 1, 0, 1, H, 0, 0, H);
        // 7.1: side and back surround of a side both at -3 dB
        FoldDown g = new FoldDown(SpeakerLayout.SURROUND_7_1, FoldDown.Mode.LO_RO);
        row(g, 0, 1, 0, H, 0, H, 0, H, 0);
        row(g, 1, 0, 1, H, 0, 0, H, 0, H);
        // LFE only on request, at +10 dB - 3 dB
        FoldDown l = new FoldDown(SpeakerLayout.SURROUND_5_1, FoldDown.Mode.LO_RO, H, H, true);
        assertEquals(Math.pow(10, (10 - 3.0103) / 20), l.gain(0, 3), 1e-9);
        // 7.1.4: heights into their side at -3 dB
        FoldDown h = new FoldDown(SpeakerLayout.SURROUND_7_1_4, FoldDown.Mode.LO_RO);
        assertEquals(H, h.gain(0, SpeakerLayout.SURROUND_7_1_4.indexOf("Ltf")), 1e-12);
        assertEquals(0, h.gain(1, SpeakerLayout.SURROUND_7_1_4.indexOf("Ltf")), 1e-12);
        assertEquals(H * H, h.gain(0, SpeakerLayout.SURROUND_7_1_4.indexOf("Ltr")), 1e-12);
    }

    @Test
    void monoIsBs775OneSlashZero() {
        // BS.775 table 2, 3/2 -> 1/0: M = 0.7071 L + 0.7071 R + C + 0.5 Ls + 0.5 Rs
        FoldDown m = new FoldDown(SpeakerLayout.SURROUND_5_1, FoldDown.Mode.MONO);
        row(m, 0, H, H, 1, 0, 0.5, 0.5);
        FoldDown s = new FoldDown(SpeakerLayout.STEREO, FoldDown.Mode.MONO);
        row(s, 0, H, H);
    }

    @Test
    void ltRtAddsTheSurroundsInAntiPhase() {
        // S = 0.7071 (Ls + Rs); Lt = L + 0.7071 C - 0.7071 S, Rt = R + 0.7071 C + 0.7071 S
        FoldDown f = new FoldDown(SpeakerLayout.SURROUND_5_1, FoldDown.Mode.LT_RT);
        row(f, 0, 1, 0, H, 0, -0.5, -0.5);
        row(f, 1, 0, 1, H, 0, 0.5, 0.5);
        // a matrix decoder's S = Lt - Rt recovers the surround, C (in phase) cancels
        float[][] in = new float[6][1];
        in[2][0] = 1f;
        float[][] out = f.apply(in);
        assertEquals(0, out[0][0] - out[1][0], 1e-7);
        in = new float[6][1];
        in[4][0] = 1f;
        out = f.apply(in);
        assertEquals(-1, out[0][0] - out[1][0], 1e-7);
        assertEquals(FoldDown.Mode.LT_RT, FoldDown.Mode.parse("Lt/Rt"));
        assertEquals(FoldDown.Mode.LO_RO, FoldDown.Mode.parse("loro"));
    }
}
