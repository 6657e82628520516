package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.room.PartitionScheme;
import org.stemroom.room.PartitionedConvolver;

class IrCommandTest {

    @TempDir
    Path dir;

    static float[] decayingNoise(double rt, int n, int delay, long seed) {
        Random r = new Random(seed);
        float[] h = new float[n];
        h[delay] = 1f;
        for (int i = delay + 1; i < n; i++) h[i] = (float) (0.3 * r.nextGaussian() * Math.exp(-3 * Math.log(10) * (i - delay) / (rt * 48000)));
        return h;
    }

    @Test
    void infoPrintsTableJsonAndPlot() throws Exception {
        Path ir = dir.resolve("ir.wav");
        AudioFiles.write(ir, new AudioClip(AudioFormat.of(48000, 2), new float[][] {decayingNoise(0.8, 72000, 500, 1),
                decayingNoise(0.8, 72000, 520, 2)}), SampleFormat.FLOAT_32);
        CliRun r = CliRun.of("ir", "info", ir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("T30") && r.out().contains("1k") && r.out().contains("channel 2"), r.out());
        Path png = dir.resolve("decay.png");
        r = CliRun.of("ir", "info", ir.toString(), "--json", "--plot", png.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(2, j.get("channels").size());
        double t30 = j.get("channels").get(0).get("broadband").get("t30").asDouble();
        assertEquals(0.8, t30, 0.04);
        assertEquals(7, j.get("channels").get(0).get("bands").size());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1000, img.getWidth());
        r = CliRun.of("ir", "info", dir.resolve("nope.wav").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("nope.wav"), r.err());
    }

    @Test
    void sweepRecordExtractRoundTrip() throws Exception {
        Path sweep = dir.resolve("sweep.wav");
        CliRun r = CliRun.of("ir", "sweep", "--length", "3", "--silence", "1", "--rate", "48000", "-o", sweep.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dir.resolve("sweep-inverse.wav")));
        AudioClip sw = AudioFiles.readAll(sweep);
        assertEquals(4 * 48000, sw.frames());
        // "record" it in a two-microphone room: 30 ms and 32 ms of travel, RT60 0.4 s
        float[] hl = decayingNoise(0.4, 36000, 1440, 3);
        float[] hr = decayingNoise(0.4, 36000, 1536, 4);
        float[][][] m = {{hl, hr}};
        PartitionedConvolver c = new PartitionedConvolver(m, 48000, PartitionScheme.uniform(4096, 36000), ChannelLayout.STEREO);
        c.prepare(AudioFormat.of(48000, 1), 4096);
        int total = sw.frames() + 36000;
        float[][] rec = new float[2][total];
        AudioBuffer in = new AudioBuffer(1, 4096);
        AudioBuffer out = new AudioBuffer(2, 4096);
        for (int pos = 0; pos < total + 4096; pos += 4096) {
            for (int i = 0; i < 4096; i++) in.channel(0)[i] = pos + i < sw.frames() ? sw.channel(0)[pos + i] : 0f;
            c.process(in, out);
            for (int ch = 0; ch < 2; ch++) {
                for (int i = 0; i < 4096; i++) {
                    int at = pos + i - 4096;
                    if (at >= 0 && at < total) rec[ch][at] = out.channel(ch)[i];
                }
            }
        }
        Path recorded = dir.resolve("rec.wav");
        AudioFiles.write(recorded, new AudioClip(AudioFormat.of(48000, 2), rec), SampleFormat.FLOAT_32);
        Path ir = dir.resolve("room.wav");
        r = CliRun.of("ir", "extract", "--sweep", sweep.toString(), "--recorded", recorded.toString(), "--predelay", "0.005",
                "-o", ir.toString());
        assertEquals(0, r.code(), r.err());
        AudioClip got = AudioFiles.readAll(ir);
        // the cut lies a few samples before the direct sound (band-limited onset); find each channel's alignment
        int[] lag = new int[2];
        double[] rho = new double[2];
        float[][] truth = {hl, hr};
        for (int ch = 0; ch < 2; ch++) {
            for (int l = 1000; l < 1700; l++) {
                double corr = 0, a = 0, b = 0;
                for (int i = 0; i < 20000; i++) {
                    double want = truth[ch][l + i];
                    corr += want * got.channel(ch)[i];
                    a += want * want;
                    b += (double) got.channel(ch)[i] * got.channel(ch)[i];
                }
                double p = corr / Math.sqrt(a * b);
                if (p > rho[ch]) {
                    rho[ch] = p;
                    lag[ch] = l;
                }
            }
        }
        System.out.printf("extracted IR: start at %d / %d samples, correlation with the true IR %.4f / %.4f%n", lag[0], lag[1],
                rho[0], rho[1]);
        assertEquals(1440 - 240, lag[0], 10, "5 ms kept before the direct sound");
        assertEquals(lag[0], lag[1], "one time base for all channels");
        // the true IRs are white up to 24 kHz; the sweep covers 20 Hz..20 kHz, so about 1/6 of their energy is out of reach
        assertTrue(rho[0] > 0.88 && rho[1] > 0.88, "correlation " + rho[0] + ", " + rho[1]);
    }

    @Test
    void roomsAndSynth() throws Exception {
        CliRun r = CliRun.of("ir", "rooms");
        assertEquals(0, r.code());
        for (String n : new String[] {"vocal-booth", "live-room", "scoring-stage", "small-club", "bright-plate"}) {
            assertTrue(r.out().contains(n), r.out());
        }
        System.setProperty("stemroom.cache.dir", dir.resolve("cache").toString());
        try {
            Path out = dir.resolve("booth51.wav");
            r = CliRun.of("ir", "synth", "--room", "vocal-booth", "--layout", "5.1", "-o", out.toString());
            assertEquals(0, r.code(), r.err());
            AudioClip c = AudioFiles.readAll(out);
            assertEquals(6, c.channels());
            assertEquals(ChannelLayout.SURROUND_5_1, c.format().layout());
        } finally {
            System.clearProperty("stemroom.cache.dir");
        }
    }
}
