package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.dsp.RealFft;

class BassManagerTest {
    private static final int FS = 48_000;

    private static double toneDb(float[] x, double f) {
        // level of a steady tone over the last half second (amplitude in dB)
        double s = 0, c = 0;
        int n = FS / 2;
        for (int i = x.length - n; i < x.length; i++) {
            s += x[i] * Math.sin(2 * Math.PI * f * i / FS);
            c += x[i] * Math.cos(2 * Math.PI * f * i / FS);
        }
        return 20 * Math.log10(2 * Math.hypot(s, c) / n + 1e-30);
    }

    @Test
    void redirectedBassKeepsTheLevelAtTheListenerWithTheLfeAtPlusTenDecibels() {
        for (double fc : new double[] {80, 120}) {
            BassManager bm = new BassManager(SpeakerLayout.SURROUND_5_1, fc, true, true, 0);
            bm.prepare(new AudioFormat(FS, ChannelLayout.SURROUND_5_1), 1024);
            int n = FS;
            AudioBuffer b = new AudioBuffer(6, n);
            for (int i = 0; i < n; i++) {
                b.set(0, i, (float) (0.5 * Math.sin(2 * Math.PI * 30 * i / FS) + 0.25 * Math.sin(2 * Math.PI * 2000 * i / FS)));
            }
            AudioBuffer out = new AudioBuffer(6, n);
            bm.process(b, out);
            // 30 Hz: gone from L, in the LFE 10 dB below its in-band playback level
            double lfe30 = toneDb(out.channel(3), 30);
            double in30 = 20 * Math.log10(0.5);
            double lr4 = 20 * Math.log10(1 / (1 + Math.pow(30 / fc, 4))); // |LR4 low-pass| at 30 Hz
            assertEquals(in30 - 10 + lr4, lfe30, 0.05, "LFE at 30 Hz, crossover " + fc);
            assertTrue(toneDb(out.channel(0), 30) < in30 - 20, "30 Hz left in L");
            assertEquals(20 * Math.log10(0.25), toneDb(out.channel(0), 2000), 0.05, "2 kHz stays in L");
            assertTrue(toneDb(out.channel(3), 2000) < -80, "2 kHz in the LFE");
        }
    }

    @Test
    void mainsPlusLfeAtPlayGainSumToAnAllPass() {
        // an impulse in L: HP(L) + 10^(10/20) LFE must have a flat magnitude (the LR4 all-pass)
        BassManager bm = new BassManager(SpeakerLayout.SURROUND_5_1, 80, true, true, 0);
        bm.prepare(new AudioFormat(FS, ChannelLayout.SURROUND_5_1), 4096);
        int n = 16384;
        AudioBuffer b = new AudioBuffer(6, n);
        b.set(0, 0, 1f);
        bm.process(b);
        float[] acoustic = new float[n];
        for (int i = 0; i < n; i++) acoustic[i] = (float) (b.get(0, i) + Math.pow(10, 0.5) * b.get(3, i));
        RealFft fft = new RealFft(n);
        float[] re = new float[n / 2 + 1], im = new float[n / 2 + 1];
        fft.forward(acoustic, re, im);
        for (int k = 1; k < n / 2; k++) {
            double db = 10 * Math.log10(re[k] * re[k] + im[k] * im[k]);
            assertEquals(0, db, 0.01, "bin " + k);
        }
        // and the BS.775 fold-down with the LFE (+10 dB, -3 dB per side) carries the bass again
        FoldDown fd = new FoldDown(SpeakerLayout.SURROUND_5_1, FoldDown.Mode.LO_RO, FoldDown.MINUS_3_DB,
                FoldDown.MINUS_3_DB, true);
        assertEquals(Math.pow(10, 7 / 20.0), fd.gain(0, 3), 0.01);
    }

    @Test
    void lfeSendsAreBandLimitedAndLayoutsWithoutLfeRefused() {
        BassManager bm = new BassManager(SpeakerLayout.SURROUND_7_1, 120, false, false, 0);
        bm.prepare(new AudioFormat(FS, ChannelLayout.SURROUND_7_1), 512);
        AudioBuffer b = new AudioBuffer(8, FS);
        for (int i = 0; i < FS; i++) {
            b.set(3, i, (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / FS)));
            b.set(0, i, (float) (0.5 * Math.sin(2 * Math.PI * 40 * i / FS)));
        }
        bm.process(b);
        double want = 20 * Math.log10(0.5 / (1 + Math.pow(1000 / 120.0, 4))); // LR4 low-pass at 1 kHz: -74 dB
        assertEquals(want, toneDb(b.channel(3), 1000), 0.5, "1 kHz in the LFE");
        assertEquals(20 * Math.log10(0.5), toneDb(b.channel(0), 40), 1e-3, "mains untouched without the high-pass");
        assertThrows(IllegalArgumentException.class, () -> new BassManager(SpeakerLayout.SURROUND_5_0, 80, true, true, 0));
    }
}
