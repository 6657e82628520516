package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.Preset;
import org.stemroom.presets.Presets;

public class RenderEngineTest {
    static final int RATE = 48_000;

    public static Path writeTone(Path dir, String name, int channels, double seconds, double amp) throws Exception {
        int n = (int) (seconds * RATE);
        float[][] x = new float[channels][n];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            double v = amp * (0.5 * Math.sin(2 * Math.PI * 220 * t) + 0.3 * Math.sin(2 * Math.PI * 1760 * t)
                    + 0.1 * rnd.nextGaussian() * Math.exp(-(i % 12000) / 900.0));
            for (int c = 0; c < channels; c++) x[c][i] = (float) (c == 0 ? v : 0.7 * v);
        }
        Path p = dir.resolve(name);
        AudioFiles.write(p, new AudioClip(AudioFormat.of(RATE, channels), x), SampleFormat.FLOAT_32);
        return p;
    }

    static Preset centrePreset() throws Exception {
        return Presets.parse("{\"version\":1,\"name\":\"centre\",\"layouts\":{"
                + "\"5.1\":{\"stems\":{\"default\":{\"azimuth\":0,\"distance\":1}}},"
                + "\"stereo\":{\"stems\":{\"default\":{\"azimuth\":0,\"distance\":1}}}},"
                + "\"master\":{\"truePeakDbtp\":-1}}", "centre");
    }

    @Test
    void wholeMixToCentreIsSampleAlignedAndFilesAppearAtomically(@TempDir Path dir) throws Exception {
        Path in = writeTone(dir, "in.wav", 1, 3.0, 0.5);
        Path out = dir.resolve("out");
        RenderSettings s = RenderSettings.of(in, centrePreset()).withLayout("5.1").withRoom("none")
                .withSeparator("none").withFormats(SampleFormat.FLOAT_32, SampleFormat.FLOAT_32);
        RenderEngine.RenderResult r = new RenderEngine(null).render(s, out);
        assertTrue(Files.exists(out.resolve("render.json")));
        assertTrue(Files.exists(out.resolve("stems/mix.wav")));
        assertTrue(Files.exists(out.resolve("stems-5.1/mix.wav")));
        try (Stream<Path> files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no staging left behind");
        }
        AudioClip input = AudioFiles.readAll(in);
        try (AudioFileReader rd = AudioFileReader.open(r.mixFile())) {
            assertEquals(ChannelLayout.SURROUND_5_1, rd.format().layout());
        }
        AudioClip mix = AudioFiles.readAll(r.mixFile());
        assertEquals(input.frames(), mix.frames());
        int c = ChannelLayout.SURROUND_5_1.indexOf(org.stemroom.core.Speaker.C);
        double err = 0;
        double other = 0;
        for (int i = 0; i < input.frames(); i++) {
            err = Math.max(err, Math.abs(mix.channel(c)[i] - input.channel(0)[i]));
            for (int k = 0; k < 6; k++) if (k != c) other = Math.max(other, Math.abs(mix.channel(k)[i]));
        }
        System.out.printf("centre render: max error %.3g, max other channel %.3g%n", err, other);
        assertTrue(err < 1e-3, "centre channel equals the input, sample-aligned: " + err);
        assertTrue(other < 1e-6, "nothing in the other channels: " + other);
    }

    @Test
    void loudnessTargetAndTruePeakCeilingAreMet(@TempDir Path dir) throws Exception {
        Path in = writeTone(dir, "in.wav", 2, 6.0, 0.3);
        // broadcast-vocal-centre: -23 LUFS integrated, -1 dBTP ceiling
        RenderSettings s = RenderSettings.of(in, Presets.builtIn("broadcast-vocal-centre")).withRoom("none")
                .withSeparator("none").withFormats(SampleFormat.FLOAT_32, SampleFormat.FLOAT_32);
        RenderEngine.RenderResult r = new RenderEngine(null).render(s, dir.resolve("o"));
        org.stemroom.core.loudness.LoudnessMeter m = org.stemroom.core.loudness.LoudnessMeter.measure(AudioFiles.readAll(r.mixFile()));
        System.out.printf("broadcast render: %.2f LUFS (target -23), %.2f dBTP (ceiling -1), master gain %.2f dB%n",
                m.integratedLufs(), m.truePeakDbtp(), r.masterGainDb);
        assertEquals(-23.0, m.integratedLufs(), 0.3, "integrated loudness on target");
        assertTrue(m.truePeakDbtp() <= -1.0, "true peak under the ceiling: " + m.truePeakDbtp());

        // A hot master pushed to -5 LUFS: the limiter holds the ceiling.
        Preset hot = Presets.parse(Presets.toJson(Presets.builtIn("room-restoration"))
                .replace("\"loudnessLufs\" : null", "\"loudnessLufs\" : -5.0"), "hot");
        RenderEngine.RenderResult h = new RenderEngine(null).render(RenderSettings.of(in, hot).withRoom("none")
                .withSeparator("none").withFormats(SampleFormat.FLOAT_32, SampleFormat.FLOAT_32), dir.resolve("h"));
        org.stemroom.core.loudness.LoudnessMeter hm = org.stemroom.core.loudness.LoudnessMeter.measure(AudioFiles.readAll(h.mixFile()));
        System.out.printf("hot render: %.2f LUFS, %.2f dBTP, limiter reduction %.1f dB%n", hm.integratedLufs(),
                hm.truePeakDbtp(), -h.limiterMinGainDb);
        assertTrue(-h.limiterMinGainDb > 1, "the limiter worked");
        assertTrue(hm.truePeakDbtp() <= -1.0, "true peak under the ceiling: " + hm.truePeakDbtp());
    }

    @Test
    void sameSettingsGiveTheSameBits(@TempDir Path dir) throws Exception {
        Path in = writeTone(dir, "in.wav", 2, 2.0, 0.9);
        RenderSettings s = RenderSettings.of(in, Presets.builtIn("surround-in-the-band")).withRoom("vocal-booth")
                .withSeparator("default");
        RenderEngine.RenderResult a = new RenderEngine(null, false).render(s, dir.resolve("a"));
        RenderManifest.Recorded rec = RenderManifest.read(dir.resolve("a/render.json"));
        // replayed from render.json, and on two threads instead of one: the same bits
        RenderEngine.RenderResult b = new RenderEngine(null, true).render(rec.settings(), dir.resolve("b"));
        assertEquals(a.outputs, b.outputs);
        assertEquals(rec.outputs(), b.outputs);
    }

    @Test
    void masterOnTheStreamingMixGivesTheBitsOfTheTwoPassMaster(@TempDir Path dir) throws Exception {
        // surround-audience: no loudness target, -1 dBTP ceiling, so the master runs as the mix is summed; forced
        // through the staging file instead, every output must be the same, the limited mix included
        Path in = writeTone(dir, "in.wav", 2, 3.0, 4.0); // float input, hot enough to be limited in 5.1
        RenderSettings s = RenderSettings.of(in, Presets.builtIn("surround-audience")).withRoom("vocal-booth");
        RenderEngine streaming = new RenderEngine(null, true);
        RenderEngine.RenderResult a = streaming.render(s, dir.resolve("a"));
        RenderEngine twoPass = new RenderEngine(null, true);
        twoPass.masterInStream = false;
        RenderEngine.RenderResult b = twoPass.render(s, dir.resolve("b"));
        assertTrue(a.limiterMinGainDb < -0.1, "the limiter must act for the comparison to mean something: "
                + a.limiterMinGainDb + " dB");
        assertEquals(b.outputs, a.outputs);
        assertEquals(b.limiterMinGainDb, a.limiterMinGainDb);
        assertEquals(b.premasterLufs, a.premasterLufs);
        assertEquals(b.mixStats.truePeakDbtp(), a.mixStats.truePeakDbtp());
        assertEquals(b.mixStats.integratedLufs(), a.mixStats.integratedLufs());
    }
}
