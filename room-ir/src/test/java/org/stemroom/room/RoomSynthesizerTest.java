package org.stemroom.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.ChannelLayout;

class RoomSynthesizerTest {

    static final int RATE = 48000;

    /**
     * Measured T30 (our ISO 3382 analysis) of every built-in room against the model's RT60, in every band
     * 125 Hz..8 kHz, within 10 % (or the statistical scatter, see below, where that is more). Each value is the mean over 3 realisations (seeds) x 2 outputs: one noise decay
     * scatters by itself, by ISO 3382-2 about 0.55 sqrt(1 / (B T)) for T30, which is 13 % for the vocal booth's
     * 0.1 s at 250 Hz; the mean of 6 decorrelated tails brings that to about 5 %.
     */
    @Test
    void builtInRoomsMeasureTheirPredictedRt60() {
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        int seeds = 3;
        for (BuiltInRooms.Room room : BuiltInRooms.all()) {
            RoomSynthesizer.Setup base = room.setup(ChannelLayout.STEREO, ChannelLayout.STEREO, RATE);
            double[] rt = RoomSynthesizer.predictedRt60(base);
            double[] mean = new double[rt.length];
            int decays = 0;
            for (int k = 0; k < seeds; k++) {
                RoomSynthesizer.Setup setup = new RoomSynthesizer.Setup(base.room, base.listener, base.sources,
                        base.receivers, base.outputLayout, base.sampleRate, base.maxOrder, base.model, base.seed + k);
                RoomImpulseResponse rir = RoomSynthesizer.synthesize(setup, room.name, room.description);
                for (int o = 0; o < rir.outputs(); o++) {
                    RoomAcousticsAnalysis.Result r = RoomAcousticsAnalysis.analyze(rir.ir(0, o), RATE);
                    for (int b = 0; b < rt.length; b++) mean[b] += r.bands.get(b).t30;
                    decays++;
                }
            }
            report.append(String.format(Locale.ROOT, "%-14s", room.name));
            for (int b = 0; b < rt.length; b++) {
                double m = mean[b] / decays;
                double err = m / rt[b] - 1;
                report.append(String.format(Locale.ROOT, " %s %.2f/%.2f (%+.1f%%)", RoomSynthesizer.bandLabel(b), m,
                        rt[b], 100 * err));
                // 10 %, or 3 standard deviations of the mean of the decays where that is more (ISO 3382-2): only
                // the vocal booth's 0.1 s decays at 125 and 250 Hz (21 % and 16 %)
                double sigma = 0.55 * Math.sqrt(1 / (decays * ShoeboxRoom.BANDS[b] / Math.sqrt(2) * rt[b]));
                if (!(Math.abs(err) <= Math.max(0.10, 3 * sigma))) ok = false;
            }
            report.append('\n');
        }
        System.out.print("T30 measured (mean of 3 seeds x 2 outputs) / predicted RT60:\n" + report);
        assertTrue(ok, "T30 off by more than max(10 %, 3 sigma) in 125 Hz..8 kHz:\n" + report);
    }

    /**
     * The late tail alone (no image sources), for every built-in room's RT60 profile, as the mean of 6 seeds:
     * T30 within 7 % of the model in every band (or 3 standard deviations of that mean by ISO 3382-2 where more:
     * only the vocal booth's 0.1 s decays at 125 Hz-1 kHz). Since the analysis reads noise of one known decay within 5 %
     * in every band (RoomAcousticsAnalysisTest), a band that misses here is the synthesis's fault, not the
     * analysis's: this is the test that found the 8 kHz error (+13 % when T(f) was interpolated through the
     * band centres, so that the lower half of the 8 kHz octave decayed slower than the band's RT60).
     */
    @Test
    void lateTailDecaysAtEachBandsRt60() {
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (BuiltInRooms.Room room : BuiltInRooms.all()) {
            RoomSynthesizer.Setup setup = room.setup(ChannelLayout.MONO, ChannelLayout.MONO, RATE);
            double[] rt = RoomSynthesizer.predictedRt60(setup);
            double maxRt = 0;
            for (double t : rt) maxRt = Math.max(maxRt, t);
            int seeds = 6;
            double[] mean = new double[rt.length];
            for (int s = 0; s < seeds; s++) {
                float[] tail = RoomSynthesizer.lateTail(rt, setup.room.volume(), RATE, (int) (RATE * (1.2 * maxRt + 0.1)), 1, 77 + s);
                RoomAcousticsAnalysis.Result r = RoomAcousticsAnalysis.analyze(tail, RATE);
                for (int b = 0; b < rt.length; b++) mean[b] += r.bands.get(b).t30 / seeds;
            }
            report.append(String.format(Locale.ROOT, "%-14s", room.name));
            for (int b = 0; b < rt.length; b++) {
                double err = mean[b] / rt[b] - 1;
                report.append(String.format(Locale.ROOT, " %s %+.1f%%", RoomSynthesizer.bandLabel(b), 100 * err));
                // 7 %, or 3 standard deviations of the mean of `seeds` decays where that is more (ISO 3382-2)
                double bw = ShoeboxRoom.BANDS[b] / Math.sqrt(2);
                double sigma = 0.55 * Math.sqrt(1 / (seeds * bw * rt[b]));
                if (!(Math.abs(err) <= Math.max(0.07, 3 * sigma))) ok = false;
            }
            report.append('\n');
        }
        System.out.print("late tail T30 (mean of 6 seeds) vs RT60:\n" + report);
        assertTrue(ok, "late tail T30 off by more than max(7 %, 3 sigma):\n" + report);
    }

    @Test
    void deterministicAndDecorrelatedAndLayoutAware() {
        BuiltInRooms.Room room = BuiltInRooms.all().get(1);
        RoomSynthesizer.Setup setup = room.setup(ChannelLayout.MONO, ChannelLayout.SURROUND_5_1, RATE);
        RoomImpulseResponse a = RoomSynthesizer.synthesize(setup, "a", "");
        RoomImpulseResponse b = RoomSynthesizer.synthesize(setup, "a", "");
        assertEquals(1, a.sources());
        assertEquals(6, a.outputs());
        assertNull(a.ir(0, 3), "no IR into the LFE");
        for (int o : new int[] {0, 1, 2, 4, 5}) assertArrayEquals(a.ir(0, o), b.ir(0, o));
        // late tails of L and R are decorrelated (normalised cross-correlation at lag 0 after 200 ms)
        float[] l = a.ir(0, 0), r = a.ir(0, 1);
        int from = (int) (0.2 * RATE);
        double lr = 0, ll = 0, rr = 0;
        for (int i = from; i < l.length; i++) {
            lr += (double) l[i] * r[i];
            ll += (double) l[i] * l[i];
            rr += (double) r[i] * r[i];
        }
        double corr = lr / Math.sqrt(ll * rr);
        assertTrue(Math.abs(corr) < 0.1, "late L/R correlation " + corr);
        // a source in front reaches the front-facing cardioid (C) louder than the rear ones (Ls)
        assertTrue(peak(a.ir(0, 2)) > 2 * peak(a.ir(0, 4)), "front/rear directivity");
    }

    static double peak(float[] h) {
        double p = 0;
        for (float v : h) p = Math.max(p, Math.abs(v));
        return p;
    }

    @Test
    void cachedOnFirstUse(@TempDir Path tmp) throws Exception {
        String old = System.getProperty("stemroom.cache.dir");
        System.setProperty("stemroom.cache.dir", tmp.toString());
        try {
            RoomImpulseResponse first = BuiltInRooms.load("vocal-booth", ChannelLayout.STEREO, ChannelLayout.STEREO, RATE);
            long files;
            try (var s = Files.list(tmp.resolve("rooms"))) {
                files = s.count();
            }
            assertEquals(1, files);
            RoomImpulseResponse second = BuiltInRooms.load("vocal-booth", ChannelLayout.STEREO, ChannelLayout.STEREO, RATE);
            assertArrayEquals(first.ir(0, 0), second.ir(0, 0));
            assertArrayEquals(first.ir(1, 1), second.ir(1, 1));
            // a set with absent IRs (nothing into the LFE), read back entry by entry from the cache file
            RoomImpulseResponse made = BuiltInRooms.load("vocal-booth", ChannelLayout.STEREO, ChannelLayout.SURROUND_5_1, RATE);
            RoomImpulseResponse cached = BuiltInRooms.load("vocal-booth", ChannelLayout.STEREO, ChannelLayout.SURROUND_5_1, RATE);
            try (var s = Files.list(tmp.resolve("rooms"))) {
                assertEquals(2, s.count());
            }
            for (int i = 0; i < made.sources(); i++) {
                for (int o = 0; o < made.outputs(); o++) assertArrayEquals(made.ir(i, o), cached.ir(i, o), i + "->" + o);
            }
            assertNull(cached.ir(0, 3));
        } finally {
            if (old == null) System.clearProperty("stemroom.cache.dir");
            else System.setProperty("stemroom.cache.dir", old);
        }
    }
}
