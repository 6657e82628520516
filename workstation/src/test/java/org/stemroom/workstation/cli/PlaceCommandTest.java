package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

class PlaceCommandTest {
    /** Exact placements at the reference distance (1 m: no distance loss, no air absorption), no room. */
    static final String PRESET = "{\"version\": 1, \"name\": \"place-test\", \"defaultLayout\": \"5.1\", \"layouts\": {"
            + "\"5.1\": {\"stems\": {\"vocals\": {\"azimuth\": 0, \"distance\": 1.0},"
            + "  \"default\": {\"azimuth\": -110, \"distance\": 1.0}}},"
            + "\"stereo\": {\"stems\": {\"left\": {\"azimuth\": 30, \"distance\": 1.0},"
            + "  \"right\": {\"azimuth\": -30, \"distance\": 1.0}}}}}";

    @TempDir
    Path dir;

    Path preset() throws Exception {
        Path p = dir.resolve("preset.json");
        Files.writeString(p, PRESET);
        return p;
    }

    Path write(String name, float[][] d, int rate) throws Exception {
        Path p = dir.resolve(name);
        AudioFiles.write(p, new AudioClip(new AudioFormat(rate, ChannelLayout.defaultFor(d.length)), d),
                SampleFormat.FLOAT_32);
        return p;
    }

    static float[][] noise(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[1][n];
        for (int i = 0; i < n; i++) x[0][i] = (float) (0.3 * r.nextGaussian());
        return x;
    }

    /** The channel mask of a WAVE_FORMAT_EXTENSIBLE fmt chunk, read from the file's bytes (-1 if not extensible). */
    static long channelMask(Path wav) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= b.limit()) {
            String id = new String(new byte[] {b.get(pos), b.get(pos + 1), b.get(pos + 2), b.get(pos + 3)},
                    java.nio.charset.StandardCharsets.US_ASCII);
            int size = b.getInt(pos + 4);
            if (id.equals("fmt ")) {
                if ((b.getShort(pos + 8) & 0xFFFF) != 0xFFFE) return -1;
                return b.getInt(pos + 8 + 20) & 0xFFFFFFFFL;
            }
            pos += 8 + size + (size & 1);
        }
        return -1;
    }

    @Test
    void monoStemAtZeroIn51ComesOutOnlyInCentreEqualToTheInput() throws Exception {
        int n = 20011; // not a multiple of the block size
        float[][] x = noise(n, 1);
        Path vocals = write("vocals.wav", x, 48000);
        Path out = dir.resolve("placed.wav");
        CliRun r = CliRun.of("place", vocals.toString(), "--preset", preset().toString(), "--layout", "5.1",
                "--bits", "float", "-q", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        AudioClip y = AudioFiles.readAll(out);
        assertEquals(6, y.format().channels());
        assertEquals(n, y.frames(), "no room: the output is as long as the stem");
        int c = ChannelLayout.SURROUND_5_1.indexOf("C");
        for (int ch = 0; ch < 6; ch++) {
            float[] d = y.channel(ch);
            for (int i = 0; i < n; i++) {
                assertEquals(ch == c ? x[0][i] : 0f, d[i], 1e-6, "channel " + ch + " frame " + i);
            }
        }
        assertEquals(0x3F, channelMask(out));
        assertTrue(r.out().contains("vocals"), r.out());
    }

    @Test
    void defaultBitsAre24WithThe51MaskAndAnUnnamedStemTakesThePresetsDefault() throws Exception {
        float[][] x = noise(5000, 2);
        for (int i = 0; i < 5000; i++) x[0][i] *= 0.25f; // well below full scale: 24 bit would clip the peaks
        Path keys = write("keys.wav", x, 48000);
        Path out = dir.resolve("keys51.wav");
        CliRun r = CliRun.of("place", keys.toString(), "--preset", preset().toString(), "-q", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(0x3F, channelMask(out));
        AudioClip y = AudioFiles.readAll(out);
        assertEquals(6, y.format().channels());
        int rs = ChannelLayout.SURROUND_5_1.indexOf("Rs");
        for (int ch = 0; ch < 6; ch++) {
            for (int i = 0; i < 5000; i++) {
                // 24-bit with TPDF dither: within 2 LSB
                assertEquals(ch == rs ? x[0][i] : 0f, y.channel(ch)[i], 2.5 / (1 << 23), "channel " + ch);
            }
        }
        assertTrue(r.out().contains("preset's default"), r.out());
    }

    @Test
    void twoStemsAtPlusMinus30InStereoLandInLeftAndRight() throws Exception {
        float[][] a = noise(12000, 3);
        float[][] b = noise(9000, 4); // shorter: padded with silence
        Path fa = write("left.wav", a, 44100);
        Path fb = write("guitar.wav", b, 44100);
        Path out = dir.resolve("stereo.wav");
        CliRun r = CliRun.of("place", fa.toString(), "right=" + fb, "--preset", preset().toString(), "--layout",
                "stereo", "--room", "none", "--bits", "float", "-q", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        AudioClip y = AudioFiles.readAll(out);
        assertEquals(2, y.format().channels());
        assertEquals(44100, y.format().sampleRate());
        assertEquals(12000, y.frames());
        for (int i = 0; i < 12000; i++) {
            assertEquals(a[0][i], y.channel(0)[i], 1e-6, "L frame " + i);
            assertEquals(i < 9000 ? b[0][i] : 0f, y.channel(1)[i], 1e-6, "R frame " + i);
        }
        assertEquals(0x3, channelMask(out));
        assertTrue(r.out().contains("padded with silence to the longest stem: right"), r.out());
    }

    @Test
    void missingStemIsExitOneNamingTheFile() throws Exception {
        Path vocals = write("vocals.wav", noise(1000, 5), 48000);
        Path missing = dir.resolve("drums-missing.wav");
        Path out = dir.resolve("o.wav");
        CliRun r = CliRun.of("place", vocals.toString(), missing.toString(), "--preset", preset().toString(), "-q",
                "-o", out.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("drums-missing.wav"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void mismatchedRatesNameBothFiles() throws Exception {
        Path vocals = write("vocals.wav", noise(1000, 6), 48000);
        Path drums = write("drums.wav", noise(1000, 7), 44100);
        Path out = dir.resolve("o.wav");
        CliRun r = CliRun.of("place", vocals.toString(), drums.toString(), "--preset", preset().toString(), "-q",
                "-o", out.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("drums.wav") && r.err().contains("vocals.wav") && r.err().contains("44100"),
                r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void theOutputNeverOverwritesAnInput() throws Exception {
        Path vocals = write("vocals.wav", noise(1000, 8), 48000);
        Path other = write("other.wav", noise(1000, 9), 48000);
        byte[] before = Files.readAllBytes(other);
        CliRun r = CliRun.of("place", vocals.toString(), other.toString(), "--preset", preset().toString(), "-q",
                "-o", other.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("other.wav"), r.err());
        assertArrayEquals(before, Files.readAllBytes(other));
        // the same file reached by another spelling of its path
        Path sneaky = dir.resolve("sub").resolve("..").resolve("other.wav");
        Files.createDirectories(dir.resolve("sub"));
        r = CliRun.of("place", vocals.toString(), other.toString(), "--preset", preset().toString(), "-q",
                "-o", sneaky.toString());
        assertEquals(1, r.code(), r.err());
        assertArrayEquals(before, Files.readAllBytes(other));
    }

    @Test
    void builtInPresetWithARoomRunsEndToEndAndKeepsTheTail() throws Exception {
        int n = 48000 / 4;
        Path vocals = write("vocals.wav", noise(n, 10), 48000);
        Path drums = write("drums.wav", noise(n, 11), 48000);
        Path out = dir.resolve("band.wav");
        CliRun r = CliRun.of("place", vocals.toString(), drums.toString(), "--preset", "surround-in-the-band",
                "--layout", "5.1", "--room", "preset", "-q", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        AudioClip y = AudioFiles.readAll(out);
        assertEquals(6, y.format().channels());
        assertTrue(y.frames() > n, "the room's tail is kept: " + y.frames());
        assertEquals(0x3F, channelMask(out));
    }

    @Test
    void withARoomTheMixIsTheSumOfEachStemPlacedAloneIn71() throws Exception {
        int n = 48000 / 5;
        Path vocals = write("vocals.wav", noise(n, 12), 48000);
        Path drums = write("drums.wav", noise(n - 3000, 13), 48000);
        String[] common = {"--preset", "surround-in-the-band", "--layout", "7.1", "--room", "live-room", "--bits",
                "float", "-q", "-o"};
        Path both = dir.resolve("both.wav");
        Path v = dir.resolve("v.wav");
        Path d = dir.resolve("d.wav");
        assertEquals(0, CliRun.of(cat(new String[] {"place", vocals.toString(), drums.toString()}, common, both)).code());
        assertEquals(0, CliRun.of(cat(new String[] {"place", vocals.toString()}, common, v)).code());
        assertEquals(0, CliRun.of(cat(new String[] {"place", drums.toString()}, common, d)).code());
        assertEquals(0x63F, channelMask(both));
        AudioClip yb = AudioFiles.readAll(both);
        AudioClip yv = AudioFiles.readAll(v);
        AudioClip yd = AudioFiles.readAll(d);
        assertEquals(yv.frames(), yb.frames());
        assertEquals(yv.frames() - 3000, yd.frames(), "the tail follows the drums' own end when placed alone");
        double worst = 0;
        for (int ch = 0; ch < 8; ch++) {
            for (int i = 0; i < yb.frames(); i++) {
                float dv = i < yd.frames() ? yd.channel(ch)[i] : 0f;
                worst = Math.max(worst, Math.abs(yb.channel(ch)[i] - yv.channel(ch)[i] - dv));
            }
        }
        assertTrue(worst < 1e-6, "mix minus the sum of the stems placed alone: " + worst);
    }

    static String[] cat(String[] a, String[] b, Path out) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length + 1);
        System.arraycopy(b, 0, r, a.length, b.length);
        r[r.length - 1] = out.toString();
        return r;
    }

    /** Hot stems: noise peaking well over full scale once summed, so the limiter has work to do. */
    private Path[] hotStems() throws Exception {
        int n = 5 * 48000 + 123;
        float[][] v = noise(n, 21);
        float[][] o = noise(n, 22);
        for (int i = 0; i < n; i++) { v[0][i] *= 2.5f; o[0][i] *= 2.0f; }
        return new Path[] {write("vocals.wav", v, 48000), write("other.wav", o, 48000)};
    }

    @Test
    void presetsMasterStageMeetsItsLoudnessTargetAndTruePeakCeiling() throws Exception {
        Path[] stems = hotStems();
        Path out = dir.resolve("mastered.wav");
        // broadcast-vocal-centre: -23 LUFS, -1 dBTP
        CliRun r = CliRun.of("place", stems[0].toString(), stems[1].toString(), "--preset", "broadcast-vocal-centre",
                "--master", "preset", "--bits", "float", "-q", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("master stage: target -23.0 LUFS"), r.out());
        AudioClip y = AudioFiles.readAll(out);
        org.stemroom.core.loudness.LoudnessMeter m = org.stemroom.core.loudness.LoudnessMeter.measure(y);
        System.out.printf("place --master preset: %.2f LUFS (target -23), %.2f dBTP (ceiling -1)%n",
                m.integratedLufs(), m.truePeakDbtp());
        assertEquals(-23.0, m.integratedLufs(), 0.3);
        assertTrue(m.truePeakDbtp() <= -1.0, "true peak " + m.truePeakDbtp());
        assertEquals(5 * 48000 + 123, y.frames(), "aligned, the limiter's latency removed");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().contains("premaster")), "staging file removed");
        }

        // a louder target on the same stems: the ceiling holds, the limiter works
        Path hot = dir.resolve("hot.wav");
        r = CliRun.of("place", stems[0].toString(), stems[1].toString(), "--preset", "broadcast-vocal-centre",
                "--loudness", "-8", "--ceiling", "-2", "--bits", "float", "-q", "-o", hot.toString());
        assertEquals(0, r.code(), r.err());
        org.stemroom.core.loudness.LoudnessMeter h = org.stemroom.core.loudness.LoudnessMeter.measure(AudioFiles.readAll(hot));
        assertTrue(h.truePeakDbtp() <= -2.0, "true peak " + h.truePeakDbtp());
        assertTrue(h.integratedLufs() > -12, "pushed towards -8 LUFS: " + h.integratedLufs());
    }

    @Test
    void placesMasterIsTheRenderMasterStageAppliedToTheSum() throws Exception {
        Path[] stems = hotStems();
        Path plain = dir.resolve("plain.wav");
        Path mastered = dir.resolve("mastered.wav");
        assertEquals(0, CliRun.of("place", stems[0].toString(), stems[1].toString(), "--preset", preset().toString(),
                "--bits", "float", "-q", "-o", plain.toString()).code());
        CliRun r = CliRun.of("place", stems[0].toString(), stems[1].toString(), "--preset", preset().toString(),
                "--master", "preset", "--bits", "float", "-q", "-o", mastered.toString());
        assertEquals(0, r.code(), r.err());
        // the preset has no master entry: the defaults (no loudness target, -1 dBTP ceiling); the reference runs
        // core's MasterStage on the unmastered sum in one block and drops its latency
        org.stemroom.presets.MasterSettings ms = org.stemroom.presets.MasterSettings.defaults();
        AudioClip x = AudioFiles.readAll(plain);
        org.stemroom.workstation.master.MasterStage stage = new org.stemroom.workstation.master.MasterStage(0,
                ms.truePeakDbtp(), ms.lookaheadMs(), ms.releaseMs());
        int lat;
        int n = x.frames();
        stage.prepare(x.format(), n + 4096);
        lat = stage.latencyFrames();
        org.stemroom.core.AudioBuffer b = new org.stemroom.core.AudioBuffer(x.channels(), n + lat);
        for (int c = 0; c < x.channels(); c++) System.arraycopy(x.channel(c), 0, b.channel(c), 0, n);
        stage.process(b);
        AudioClip y = AudioFiles.readAll(mastered);
        assertEquals(n, y.frames());
        assertTrue(stage.limiterMinGain() < 0.8f, "the limiter acted: " + stage.limiterMinGain());
        for (int c = 0; c < x.channels(); c++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(b.channel(c), lat, lat + n), y.channel(c), "channel " + c);
        }
    }

    @Test
    void badMasterOptionsNameTheOptionAndTheAllowedValues() throws Exception {
        Path v = write("vocals.wav", noise(4800, 3), 48000);
        CliRun r = CliRun.of("place", v.toString(), "--master", "loud", "-q", "-o", dir.resolve("o.wav").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--master") && r.err().contains("none, preset"), r.err());
        r = CliRun.of("place", v.toString(), "--ceiling", "3", "-q", "-o", dir.resolve("o.wav").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--ceiling") && r.err().contains("-20 to 0"), r.err());
        assertFalse(Files.exists(dir.resolve("o.wav")));
    }
}
