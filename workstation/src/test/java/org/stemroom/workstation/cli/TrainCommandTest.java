package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.separation.onnx.ModelManifest;
import org.stemroom.trainer.train.Checkpoint;

/** {@code stemroom train} end to end on a tiny corpus folder in the dataset's layout: train, resume, errors. */
class TrainCommandTest {
    @TempDir
    Path dir;

    /** Three 1.5-second songs of noise-like stems in the corpus folder layout (corpus.json + song-NNNNNN/*.wav). */
    Path corpus() throws Exception {
        Path c = dir.resolve("corpus");
        Files.createDirectories(c);
        for (int s = 0; s < 3; s++) {
            Path d = c.resolve(String.format("song-%06d", s));
            Files.createDirectories(d);
            SplittableRandom r = new SplittableRandom(s);
            int n = 66150;
            float[][] mix = new float[2][n];
            for (String stem : new String[] {"vocals", "drums", "bass", "other"}) {
                float[][] x = new float[2][n];
                double f = 60 + 900 * r.nextDouble();
                for (int i = 0; i < n; i++) {
                    float v = (float) (0.1 * Math.sin(2 * Math.PI * f * i / 44100.0) + 0.01 * r.nextGaussian());
                    x[0][i] = v;
                    x[1][i] = 0.5f * v;
                    mix[0][i] += x[0][i];
                    mix[1][i] += x[1][i];
                }
                AudioFiles.write(d.resolve(stem + ".wav"), new AudioClip(AudioFormat.of(44100, 2), x), SampleFormat.FLOAT_32);
            }
            AudioFiles.write(d.resolve("mixture.wav"), new AudioClip(AudioFormat.of(44100, 2), mix), SampleFormat.FLOAT_32);
        }
        Files.writeString(c.resolve("corpus.json"), "{}");
        return c;
    }

    @Test
    void trainsResumesAndExportsAModelTheRunnerAccepts() throws Exception {
        Path c = corpus();
        Path out = dir.resolve("run");
        CliRun r = CliRun.of("train", "--corpus", c.toString(), "--out", out.toString(), "--epochs", "2", "--hidden", "8",
                "--rows", "64", "--steps-per-epoch", "3", "--threads", "1", "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(out.resolve("loss.png")) > 1000);
        assertTrue(Files.readString(out.resolve("train.log")).contains("epoch 2/2"));
        ModelManifest m = ModelManifest.read(out.resolve("export/manifest.json"));
        assertEquals(java.util.List.of("vocals", "drums", "bass", "other"), m.stems);
        assertEquals(2, Checkpoint.read(out.resolve("checkpoint.bin")).epoch);
        // resume to 3 epochs continues from the checkpoint
        CliRun r2 = CliRun.of("train", "--corpus", c.toString(), "--out", out.toString(), "--epochs", "3", "--hidden", "8",
                "--rows", "64", "--steps-per-epoch", "3", "--threads", "1", "--resume", "-q");
        assertEquals(0, r2.code(), r2.err());
        Checkpoint ck = Checkpoint.read(out.resolve("checkpoint.bin"));
        assertEquals(3, ck.epoch);
        assertEquals(9, ck.step);
        // resuming with another network width is refused with a clear message
        CliRun bad = CliRun.of("train", "--corpus", c.toString(), "--out", out.toString(), "--epochs", "4", "--hidden", "9",
                "--rows", "64", "--threads", "1", "--resume", "-q");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("checkpoint was made for"), bad.err());
    }

    @Test
    void missingCorpusIsAClearError() {
        CliRun r = CliRun.of("train", "--corpus", dir.resolve("nope").toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("corpus folder not found"), r.err());
    }
}
