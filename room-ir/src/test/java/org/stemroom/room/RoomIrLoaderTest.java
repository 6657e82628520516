package org.stemroom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

class RoomIrLoaderTest {

    @TempDir
    Path dir;

    Path wav(String name, int rate, ChannelLayout layout, int frames, int spikeAt) throws Exception {
        float[][] d = new float[layout.channelCount()][frames];
        for (int c = 0; c < d.length; c++) {
            if (spikeAt >= 0) d[c][spikeAt + c] = 0.5f / (c + 1);
        }
        Path p = dir.resolve(name);
        AudioFiles.write(p, new AudioClip(new AudioFormat(rate, layout), d), SampleFormat.FLOAT_32);
        return p;
    }

    @Test
    void channelCountsMapToMatrices() throws Exception {
        RoomImpulseResponse mono = RoomIrLoader.load(wav("m.wav", 48000, ChannelLayout.MONO, 1000, 10), RoomIrLoader.Interpretation.AUTO, 0);
        assertEquals(1, mono.sources());
        assertEquals(1, mono.outputs());
        RoomImpulseResponse st = RoomIrLoader.load(wav("s.wav", 48000, ChannelLayout.STEREO, 1000, 10), RoomIrLoader.Interpretation.AUTO, 0);
        assertEquals(2, st.sources());
        assertNull(st.ir(0, 1));
        assertEquals(0.25f, st.ir(1, 1)[11]);
        RoomImpulseResponse ts = RoomIrLoader.load(wav("t.wav", 48000, ChannelLayout.QUAD, 1000, 10), RoomIrLoader.Interpretation.AUTO, 0);
        assertEquals(2, ts.sources());
        assertEquals(0.5f / 2, ts.ir(0, 1)[11]); // LR is the second channel
        assertEquals(0.5f / 3, ts.ir(1, 0)[12]); // RL the third
        RoomImpulseResponse six = RoomIrLoader.load(wav("six.wav", 48000, ChannelLayout.SURROUND_5_1, 1000, 10), RoomIrLoader.Interpretation.AUTO, 0);
        assertEquals(1, six.sources());
        assertEquals(ChannelLayout.SURROUND_5_1, six.outputLayout());
        RoomImpulseResponse one = RoomIrLoader.load(dir.resolve("s.wav"), RoomIrLoader.Interpretation.ONE_SOURCE, 0);
        assertEquals(1, one.sources());
        assertEquals(2, one.outputs());
        assertEquals(2, RoomIrLoader.adaptToInput(six, 2).sources());
        assertEquals(1, RoomIrLoader.adaptToInput(st, 1).sources());
        assertNotNull(RoomIrLoader.adaptToInput(st, 1).ir(0, 1));
    }

    @Test
    void badIrsGiveClearErrors() throws Exception {
        Path empty = wav("empty.wav", 48000, ChannelLayout.MONO, 0, -1);
        Path silent = wav("silent.wav", 48000, ChannelLayout.MONO, 1000, -1);
        Path longOne = wav("long.wav", 8000, ChannelLayout.MONO, 8000 * 31, 5);
        for (Path p : new Path[] {empty, silent, longOne}) {
            StemroomException e = assertThrows(StemroomException.class, () -> RoomIrLoader.load(p, RoomIrLoader.Interpretation.AUTO, 0));
            System.out.println(e.getMessage());
            assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        }
        float[][] nan = {{0.5f, Float.NaN}};
        assertThrows(StemroomException.class, () -> RoomIrLoader.check(new AudioClip(AudioFormat.of(48000, 1), nan), "x.wav"));
        Path mono = wav("mono.wav", 48000, ChannelLayout.MONO, 1000, 3);
        assertThrows(StemroomException.class, () -> RoomIrLoader.load(mono, RoomIrLoader.Interpretation.TRUE_STEREO, 0));
    }

    @Test
    void checkFindsNonFiniteAndSilentSamplesAnywhere() throws Exception {
        AudioFormat mono = AudioFormat.of(48000, 1), stereo = AudioFormat.of(48000, 2);
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[][] x = {new float[1000], new float[1000]};
            x[0][3] = 0.5f;
            x[1][999] = bad; // last sample of the last channel
            StemroomException e = assertThrows(StemroomException.class, () -> RoomIrLoader.check(new AudioClip(stereo, x), "x.wav"));
            assertTrue(e.getMessage().contains("NaN or infinite"), e.getMessage());
        }
        // silent below 1e-7 (-140 dBFS) by magnitude, whatever the sign; a negative peak above it counts
        StemroomException e = assertThrows(StemroomException.class,
                () -> RoomIrLoader.check(new AudioClip(mono, new float[][] {{0f, -0f, 0.99e-7f, -0.99e-7f}}), "q.wav"));
        assertTrue(e.getMessage().contains("silent"), e.getMessage());
        RoomIrLoader.check(new AudioClip(mono, new float[][] {{0f, -1.01e-7f, 0f}}), "ok.wav");
        RoomIrLoader.check(new AudioClip(stereo, new float[][] {new float[3], {0f, 0f, 0.25f}}), "ok.wav");
        // the bit scan is the largest magnitude exactly, against Math.abs
        java.util.Random rnd = new java.util.Random(7);
        for (int t = 0; t < 100; t++) {
            float[] x = new float[1 + rnd.nextInt(3000)];
            float max = 0f;
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 8));
                max = Math.max(max, Math.abs(x[i]));
            }
            assertEquals(max, Float.intBitsToFloat(EngineLoops.peakBits(x, x.length)));
        }
    }

    @Test
    void descriptorMapsFilesToOutputs() throws Exception {
        wav("pos1.wav", 48000, ChannelLayout.STEREO, 2000, 100);
        wav("pos2.wav", 48000, ChannelLayout.QUAD, 1500, 200);
        Path json = dir.resolve("room.json");
        Files.writeString(json, "{\"name\": \"Test room\", \"licence\": \"CC0\", \"layout\": \"5.1\",\n"
                + " \"sources\": [ {\"file\": \"pos1.wav\", \"position\": [1, 2, 1.5], \"channels\": [\"L\", \"R\"]},\n"
                + "              {\"file\": \"pos2.wav\", \"position\": [3, 2, 1.5], \"channels\": [\"L\", \"R\", \"Ls\", \"Rs\"]} ] }");
        RoomImpulseResponse r = RoomIrLoader.load(json, RoomIrLoader.Interpretation.AUTO, 0);
        assertEquals(2, r.sources());
        assertEquals(6, r.outputs());
        assertEquals("Test room", r.metadata().name);
        assertEquals("CC0", r.metadata().licence);
        assertEquals(2, r.metadata().sourcePositions.size());
        assertNull(r.ir(0, 2));
        assertEquals(0.25f, r.ir(0, 1)[101]);
        assertEquals(0.5f / 3, r.ir(1, 4)[202]);
        assertEquals(2000, r.length());

        wav("pos44.wav", 44100, ChannelLayout.STEREO, 2000, 100);
        Files.writeString(json, "{\"layout\": \"stereo\", \"sources\": [ {\"file\": \"pos1.wav\"}, {\"file\": \"pos44.wav\"} ] }");
        StemroomException e = assertThrows(StemroomException.class, () -> RoomIrLoader.load(json, RoomIrLoader.Interpretation.AUTO, 0));
        assertTrue(e.getMessage().contains("mismatched sample rates"), e.getMessage());
        Files.writeString(json, "{\"layout\": \"stereo\", \"sources\": [ {\"file\": \"pos1.wav\", \"channels\": [\"L\", \"X\"]} ] }");
        e = assertThrows(StemroomException.class, () -> RoomIrLoader.load(json, RoomIrLoader.Interpretation.AUTO, 0));
        assertTrue(e.getMessage().contains("unknown output 'X'"), e.getMessage());
        Files.writeString(json, "{\"layout\": \"stereo\", \"sources\": [ {\"file\": \"pos2.wav\"} ] }");
        e = assertThrows(StemroomException.class, () -> RoomIrLoader.load(json, RoomIrLoader.Interpretation.AUTO, 0));
        assertTrue(e.getMessage().contains("4 channels for 2 outputs"), e.getMessage());
    }

    @Test
    void resamplesToSessionRate() throws Exception {
        Path p = wav("r.wav", 44100, ChannelLayout.MONO, 4410, 441);
        RoomImpulseResponse r = RoomIrLoader.load(p, RoomIrLoader.Interpretation.AUTO, 48000);
        assertEquals(48000, r.sampleRate());
        assertEquals(4800, r.length());
        float[] h = r.ir(0, 0);
        int peak = 0;
        for (int i = 0; i < h.length; i++) if (Math.abs(h[i]) > Math.abs(h[peak])) peak = i;
        assertEquals(480, peak); // 10 ms in both rates
    }

    @Test
    void loadsRealRecordedIrs() throws Exception {
        Path hall = RealIrs.require(RealIrs.GREATHALL, "guitarix-common");
        RoomImpulseResponse r = RoomIrLoader.load(hall, RoomIrLoader.Interpretation.AUTO, 0);
        assertEquals(48000, r.sampleRate());
        assertEquals(2, r.sources());
        assertEquals(2.35, r.durationSeconds(), 0.01);
        RoomImpulseResponse at44 = RoomIrLoader.load(hall, RoomIrLoader.Interpretation.AUTO, 44100);
        assertEquals(Math.round(r.length() * 44100.0 / 48000), at44.length());
        Path street = RealIrs.require(RealIrs.STREET_L, "jconvolver-config-files");
        RoomImpulseResponse s = RoomIrLoader.load(street, RoomIrLoader.Interpretation.AUTO, 0);
        assertEquals(1, s.outputs());
        RoomAcousticsAnalysis.Result res = RoomAcousticsAnalysis.analyze(r.ir(0, 0), 48000);
        System.out.printf("greathall L: T30 1k %.2f s, EDT 1k %.2f s, C80 1k %.1f dB%n", res.band(1000).t30,
                res.band(1000).edt, res.band(1000).c80);
        assertTrue(res.band(1000).t30 > 0.5 && res.band(1000).t30 < 5, "a hall's T30");
    }
}
