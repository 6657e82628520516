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

    /** Measured T30 (our ISO 3382 analysis) of every built-in room against the model's RT60, every band printed. */
    @Test
    void builtInRoomsMeasureTheirPredictedRt60() {
        StringBuilder report = new StringBuilder();
        boolean ok = true;
        for (BuiltInRooms.Room room : BuiltInRooms.all()) {
            RoomSynthesizer.Setup setup = room.setup(ChannelLayout.STEREO, ChannelLayout.STEREO, RATE);
            RoomImpulseResponse rir = RoomSynthesizer.synthesize(setup, room.name, room.description);
            double[] rt = RoomSynthesizer.predictedRt60(setup);
            RoomAcousticsAnalysis.Result[] res = new RoomAcousticsAnalysis.Result[rir.outputs()];
            for (int o = 0; o < rir.outputs(); o++) res[o] = RoomAcousticsAnalysis.analyze(rir.ir(0, o), RATE);
            report.append(String.format(Locale.ROOT, "%-14s", room.name));
            for (int b = 0; b < rt.length; b++) {
                double mean = 0;
                for (RoomAcousticsAnalysis.Result r : res) mean += r.bands.get(b).t30 / res.length;
                double err = mean / rt[b] - 1;
                report.append(String.format(Locale.ROOT, " %s %.2f/%.2f (%+.1f%%)", RoomSynthesizer.bandLabel(b), mean,
                        rt[b], 100 * err));
                double band = ShoeboxRoom.BANDS[b];
                if (band >= 250 && band <= 4000 && !(Math.abs(err) <= 0.10)) ok = false;
            }
            report.append('\n');
        }
        System.out.print("T30 measured (mean of both outputs) / predicted RT60:\n" + report);
        assertTrue(ok, "T30 off by more than 10 % in 250 Hz..4 kHz:\n" + report);
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
        } finally {
            if (old == null) System.clearProperty("stemroom.cache.dir");
            else System.setProperty("stemroom.cache.dir", old);
        }
    }
}
