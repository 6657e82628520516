package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import picocli.CommandLine;

class SeparateCommandTest {
    @TempDir
    Path dir;

    static AudioClip song(int ch, double seconds) {
        int rate = 44100, n = (int) (seconds * rate);
        Random r = new Random(5);
        float[][] x = new float[ch][n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            double bass = 0.2 * Math.sin(2 * Math.PI * 55 * t);
            double lead = 0.15 * Math.sin(2 * Math.PI * 440 * t + 2 * Math.sin(2 * Math.PI * 5 * t));
            double hit = (i % 22050) < 2000 ? 0.3 * r.nextGaussian() * Math.exp(-(i % 22050) / 400.0) : 0;
            for (int c = 0; c < ch; c++) x[c][i] = (float) (bass + lead * (c == 0 ? 0.8 : 1.0) + hit * (c == 0 ? 1 : 0.5));
        }
        return new AudioClip(AudioFormat.of(rate, ch), x);
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = StemroomCli.newCommandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void sixteenBitStemsSumExactlyToTheInput() throws Exception {
        Path in = dir.resolve("mix.wav");
        AudioFiles.write(in, song(2, 4.0), SampleFormat.PCM_16);
        Path out = dir.resolve("stems");
        String[] r = run("separate", in.toString(), "-o", out.toString(), "--bits", "16", "-q");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("mixture consistency"), r[1]);
        AudioClip mix = AudioFiles.readAll(in);
        String[] names = {"drums", "bass", "vocals", "other"};
        long worst = 0;
        AudioClip[] stems = new AudioClip[names.length];
        for (int k = 0; k < names.length; k++) {
            stems[k] = AudioFiles.readAll(out.resolve(names[k] + ".wav"));
            assertEquals(2, stems[k].channels(), "stereo stays stereo");
            assertEquals(mix.frames(), stems[k].frames());
        }
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < mix.frames(); i++) {
                long sum = 0;
                for (AudioClip s : stems) sum += Math.round(s.channel(c)[i] * 32768.0);
                worst = Math.max(worst, Math.abs(sum - Math.round(mix.channel(c)[i] * 32768.0)));
            }
        }
        assertEquals(0, worst, "integer stems sum to the 16-bit input exactly");
    }

    @Test
    void monoFloatWithStemSelectionAndResidual() throws Exception {
        Path in = dir.resolve("mono.wav");
        AudioFiles.write(in, song(1, 3.0), SampleFormat.FLOAT_32);
        Path out = dir.resolve("sel");
        String[] r = run("separate", in.toString(), "-o", out.toString(), "--stems", "bass,vocals", "--residual",
                "--bits", "float32", "-q");
        assertEquals("0", r[0], r[2]);
        AudioClip mix = AudioFiles.readAll(in);
        double worst = 0;
        AudioClip[] s = {AudioFiles.readAll(out.resolve("bass.wav")), AudioFiles.readAll(out.resolve("vocals.wav")),
                AudioFiles.readAll(out.resolve("rest.wav")), AudioFiles.readAll(out.resolve("residual.wav"))};
        assertEquals(1, s[0].channels(), "mono stays mono");
        for (int i = 0; i < mix.frames(); i++) {
            double sum = 0;
            for (AudioClip c : s) sum += c.channel(0)[i];
            worst = Math.max(worst, Math.abs(sum - mix.channel(0)[i]));
        }
        assertTrue(worst <= 1e-5, "float stems sum to the input: " + worst);
        assertFalse(Files.exists(out.resolve("drums.wav")));
    }

    @Test
    void badInputsGiveOneLineErrors() throws Exception {
        String[] r = run("separate", dir.resolve("missing.wav").toString(), "-o", dir.resolve("x").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("missing.wav"), r[2]);
        Path in = dir.resolve("m.wav");
        AudioFiles.write(in, song(1, 0.5), SampleFormat.PCM_24);
        r = run("separate", in.toString(), "-o", dir.resolve("y").toString(), "--method", "model", "--model",
                dir.resolve("nomodel.json").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("nomodel.json") && r[2].contains("not found"), r[2]);
        r = run("separate", in.toString(), "-o", dir.resolve("z").toString(), "--method", "spatial");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("stereo"), r[2]);
        r = run("separate", in.toString(), "-o", dir.resolve("w").toString(), "--stems", "guitar");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("guitar"), r[2]);
    }
}
