package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

class ConvolveCommandTest {

    @TempDir
    Path dir;

    Path write(String name, float[][] d, ChannelLayout l) throws Exception {
        Path p = dir.resolve(name);
        AudioFiles.write(p, new AudioClip(new AudioFormat(48000, l), d), SampleFormat.FLOAT_32);
        return p;
    }

    static float[][] noise(int ch, int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[ch][n];
        for (float[] c : x) for (int i = 0; i < n; i++) c[i] = (float) (0.5 * r.nextGaussian());
        return x;
    }

    @Test
    void diracIrDelaysTheInputAndTheTailIsKept() throws Exception {
        float[][] x = noise(2, 30000, 1);
        Path in = write("in.wav", x, ChannelLayout.STEREO);
        float[][] ir = new float[2][20000];
        ir[0][100] = 1f;
        ir[1][100] = 0.5f;
        Path irf = write("ir.wav", ir, ChannelLayout.STEREO);
        Path out = dir.resolve("out.wav");
        CliRun r = CliRun.of("convolve", in.toString(), "--ir", irf.toString(), "--wet", "1", "--dry", "0",
                "--normalize", "none", "-q", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        AudioClip y = AudioFiles.readAll(out);
        assertEquals(30000 + 20000 - 1, y.frames());
        for (int i = 0; i < 30000; i++) {
            assertEquals(x[0][i], y.channel(0)[i + 100], 1e-6);
            assertEquals(0.5f * x[1][i], y.channel(1)[i + 100], 1e-6);
        }
        for (int i = 0; i < 100; i++) assertEquals(0f, y.channel(0)[i], 1e-6);
        // wet + dry: dry 1, wet 1 with the Dirac at 0 gives twice the input
        ir[0][100] = 0;
        ir[1][100] = 0;
        ir[0][0] = 1;
        ir[1][0] = 1;
        Path ir0 = write("ir0.wav", ir, ChannelLayout.STEREO);
        Path out2 = dir.resolve("out2.wav");
        r = CliRun.of("convolve", in.toString(), "--ir", ir0.toString(), "--wet", "1", "--dry", "1", "--normalize",
                "none", "--threads", "2", "-q", "-o", out2.toString());
        assertEquals(0, r.code(), r.err());
        y = AudioFiles.readAll(out2);
        for (int i = 0; i < 30000; i++) assertEquals(2 * x[1][i], y.channel(1)[i], 1e-5);
    }

    @Test
    void builtInRoomOnMonoInputGivesStereoWithDecay() throws Exception {
        System.setProperty("stemroom.cache.dir", dir.resolve("cache").toString());
        try {
            Path in = write("mono.wav", noise(1, 24000, 2), ChannelLayout.MONO);
            Path out = dir.resolve("room.wav");
            CliRun r = CliRun.of("convolve", in.toString(), "--room", "small-club", "--wet", "0.3", "--dry", "1",
                    "--predelay", "10ms", "-o", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("room small-club"), r.err());
            AudioClip y = AudioFiles.readAll(out);
            assertEquals(2, y.channels());
            assertTrue(y.frames() > 24000 + 0.4 * 48000, "tail kept: " + y.frames());
            // decay continues after the input ends
            double tailEnergy = 0;
            for (int i = 24000 + 4800; i < 24000 + 9600; i++) tailEnergy += y.channel(0)[i] * y.channel(0)[i];
            assertTrue(tailEnergy > 1e-4, "tail energy " + tailEnergy);
        } finally {
            System.clearProperty("stemroom.cache.dir");
        }
    }

    @Test
    void errorsNameTheProblemAndWriteNothing() throws Exception {
        Path in = write("in.wav", noise(1, 1000, 3), ChannelLayout.MONO);
        CliRun r = CliRun.of("convolve", in.toString(), "--ir", dir.resolve("missing.wav").toString(), "-o",
                dir.resolve("o.wav").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("missing.wav"), r.err());
        assertFalse(Files.exists(dir.resolve("o.wav")));
        r = CliRun.of("convolve", in.toString(), "--room", "cathedral", "-o", dir.resolve("o.wav").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("unknown room 'cathedral'"), r.err());
        r = CliRun.of("convolve", in.toString(), "--room", "vocal-booth", "-o", in.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1000, AudioFiles.readAll(in).frames(), "input untouched");
        r = CliRun.of("convolve", in.toString(), "-o", dir.resolve("o.wav").toString());
        assertEquals(2, r.code(), "--ir or --room is required");
    }

    @Test
    void realHallIrMatchesDirectConvolution() throws Exception {
        Path hall = Paths.get("/usr/share/gx_head/sounds/greathall.wav");
        if (!Files.isRegularFile(hall)) System.out.println("SKIP: " + hall + " absent (Debian package guitarix-common)");
        Assumptions.assumeTrue(Files.isRegularFile(hall), "guitarix-common not installed");
        float[][] x = noise(2, 3000, 4);
        Path in = write("short.wav", x, ChannelLayout.STEREO);
        Path out = dir.resolve("hall.wav");
        CliRun r = CliRun.of("convolve", in.toString(), "--ir", hall.toString(), "--wet", "1", "--dry", "0",
                "--normalize", "none", "-q", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        AudioClip h = AudioFiles.readAll(hall);
        AudioClip y = AudioFiles.readAll(out);
        assertEquals(3000 + h.frames() - 1, y.frames());
        double err = 0, ref = 0;
        for (int c = 0; c < 2; c++) {
            float[] hc = h.channel(c);
            for (int n = 0; n < y.frames(); n += 7) { // every 7th sample keeps the direct sum quick
                double acc = 0;
                for (int k = Math.max(0, n - 2999); k <= Math.min(n, hc.length - 1); k++) acc += (double) hc[k] * x[c][n - k];
                double d = y.channel(c)[n] - acc;
                err += d * d;
                ref += acc * acc;
            }
        }
        double rel = Math.sqrt(err / ref);
        System.out.printf("greathall.wav stereo: relative RMS error vs direct convolution %.2g%n", rel);
        assertTrue(rel <= 1e-5, "relative RMS error " + rel);
    }
}
