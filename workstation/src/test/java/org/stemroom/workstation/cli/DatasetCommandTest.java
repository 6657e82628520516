package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.trainer.dataset.FluidSynth;
import org.stemroom.trainer.dataset.SoundFont;

/** {@code stemroom dataset} end to end: files, metadata, stems summing to the mixture, usage errors. */
class DatasetCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesSongsThatSumToTheirMixtureAndCorpusJson() throws Exception {
        Assumptions.assumeTrue(FluidSynth.available(), "fluidsynth not installed (scripts/install-deps.sh test)");
        Assumptions.assumeTrue(SoundFont.FLUID_R3.installed(), "Fluid R3 soundfont not installed");
        Path out = dir.resolve("corpus");
        CliRun r = CliRun.of("dataset", "-o", out.toString(), "--songs", "2", "--seed", "5", "--seconds", "3",
                "--soundfont", "fluidr3-gm", "--rooms", "none", "--cache", dir.resolve("cache").toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote 2 train songs"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.resolve("corpus.json").toFile());
        assertEquals("train", j.get("split").asText());
        assertEquals(2, j.get("songList").size());
        assertEquals("MIT", j.get("soundFonts").get(0).get("licence").asText());
        for (int s = 0; s < 2; s++) {
            Path d = out.resolve(String.format("song-%06d", s));
            AudioClip mix = AudioFiles.readAll(d.resolve("mixture.wav"));
            assertEquals(44100, mix.sampleRate());
            assertEquals(3 * 44100, mix.frames());
            float[][] sum = new float[mix.channels()][mix.frames()];
            for (String stem : new String[] {"vocals", "drums", "bass", "other"}) {
                AudioClip c = AudioFiles.readAll(d.resolve(stem + ".wav"));
                assertEquals(mix.channels(), c.channels());
                for (int ch = 0; ch < c.channels(); ch++) for (int i = 0; i < c.frames(); i++) sum[ch][i] += c.channel(ch)[i];
            }
            double err = 0;
            for (int ch = 0; ch < mix.channels(); ch++) {
                for (int i = 0; i < mix.frames(); i++) err = Math.max(err, Math.abs(sum[ch][i] - mix.channel(ch)[i]));
            }
            assertTrue(err <= 1e-6, "stems sum to the mixture within " + err);
            assertTrue(Files.size(d.resolve("song.mid")) > 100);
        }
        try (var files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "temporary files left behind");
        }
    }

    @Test
    void sixteenBitFilesSumToTheMixtureExactly() throws Exception {
        Assumptions.assumeTrue(FluidSynth.available(), "fluidsynth not installed (scripts/install-deps.sh test)");
        Assumptions.assumeTrue(SoundFont.FLUID_R3.installed(), "Fluid R3 soundfont not installed");
        Path out = dir.resolve("corpus16");
        CliRun r = CliRun.of("dataset", "-o", out.toString(), "--songs", "1", "--seed", "9", "--seconds", "3", "--bits", "16",
                "--soundfont", "fluidr3-gm", "--rooms", "none", "--cache", dir.resolve("cache").toString(), "-q");
        assertEquals(0, r.code(), r.err());
        Path d = out.resolve("song-000000");
        AudioClip mix = AudioFiles.readAll(d.resolve("mixture.wav"));
        double[][] sum = new double[mix.channels()][mix.frames()];
        for (String stem : new String[] {"vocals", "drums", "bass", "other"}) {
            AudioClip c = AudioFiles.readAll(d.resolve(stem + ".wav"));
            for (int ch = 0; ch < c.channels(); ch++) for (int i = 0; i < c.frames(); i++) sum[ch][i] += c.channel(ch)[i];
        }
        for (int ch = 0; ch < mix.channels(); ch++) {
            for (int i = 0; i < mix.frames(); i++) assertEquals(sum[ch][i], mix.channel(ch)[i], 0.0, "frame " + i);
        }
        assertEquals(44 + 3 * 44100 * 2 * 2, Files.size(d.resolve("mixture.wav")), 64.0);
        assertEquals("pcm16", new ObjectMapper().readTree(out.resolve("corpus.json").toFile()).get("sampleFormat").asText());
    }

    @Test
    void aTrainingSoundfontForTheHeldOutSplitIsAUsageError() {
        CliRun r = CliRun.of("dataset", "-o", dir.resolve("x").toString(), "--split", "held-out", "--soundfont", "fluidr3-gm");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cannot be used for the held-out split"), r.err());
        assertFalse(Files.exists(dir.resolve("x")));
        assertEquals(2, CliRun.of("dataset", "-o", dir.toString(), "--split", "validation").code());
    }
}
