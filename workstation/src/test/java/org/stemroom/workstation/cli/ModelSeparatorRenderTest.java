package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.separation.onnx.GeneratedMaskModel;
import org.stemroom.workstation.render.RenderEngineTest;

/**
 * {@code stemroom render --separator model:manifest.json} end to end with a small generated ONNX model (a
 * frame-wise mask network with seeded weights, the same tensor contract as the trained separator): the model's
 * stems are written, placed and mixed, they sum back to the input, the choice is recorded in render.json, the
 * replay is bit-identical, a preset file can name the model, and a missing manifest is a clear error.
 */
class ModelSeparatorRenderTest {
    private static final List<String> STEMS = List.of("vocals", "drums", "bass", "other");

    private static Path model(Path dir) throws Exception {
        return GeneratedMaskModel.write(dir.resolve("model"), "test-mask", STEMS, 2, 48_000, 1024, 256, 64, 16, 1, 7);
    }

    @Test
    void rendersWithAGeneratedModelAndReplaysBitIdentical(@TempDir Path dir) throws Exception {
        Path manifest = model(dir);
        Path in = RenderEngineTest.writeTone(dir, "master.wav", 2, 3.0, 0.5);
        CliRun r = CliRun.of("render", in.toString(), "--preset", "surround-audience", "--layout", "5.1", "--room",
                "none", "--separator", "model:" + manifest, "-q", "-o", dir.resolve("a").toString());
        assertEquals(0, r.code(), r.err() + r.out());

        JsonNode m = new ObjectMapper().readTree(dir.resolve("a/render.json").toFile());
        assertEquals("model:" + manifest, m.path("settings").path("separator").asText());
        assertEquals(2 * STEMS.size() + 1, m.path("outputs").size(), "4 stems, 4 placed stems, the mix");

        // The model's four stems, each the input's length, summing back to the input (masks from a softmax sum to
        // one; mixture consistency puts the rest back): within 1e-5 of full scale, float stems.
        AudioClip input = AudioFiles.readAll(in);
        float[][] sum = new float[2][input.frames()];
        for (String s : STEMS) {
            AudioClip stem = AudioFiles.readAll(dir.resolve("a/stems/" + s + ".wav"));
            assertEquals(input.frames(), stem.frames(), s);
            double energy = 0;
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < stem.frames(); i++) {
                    sum[c][i] += stem.channel(c)[i];
                    energy += stem.channel(c)[i] * stem.channel(c)[i];
                }
            }
            assertTrue(energy > 1e-3, "stem " + s + " is not empty");
            assertTrue(Files.isRegularFile(dir.resolve("a/stems-5.1/" + s + ".wav")), "placed " + s);
        }
        double worst = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < input.frames(); i++) worst = Math.max(worst, Math.abs(sum[c][i] - input.channel(c)[i]));
        }
        assertTrue(worst < 1e-5, "stems sum to the input: worst error " + worst);
        try (AudioFileReader rd = AudioFileReader.open(dir.resolve("a/mix-5.1.wav"))) {
            assertEquals(0x3F, rd.format().layout().waveMask());
            assertEquals(ChannelLayout.SURROUND_5_1, rd.format().layout());
        }
        assertTrue(Files.readString(dir.resolve("a/report.html")).contains("model:"), "the report names the model");

        CliRun again = CliRun.of("render", "--replay", dir.resolve("a/render.json").toString(), "-q", "-o",
                dir.resolve("b").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("bit-identical"), again.out());
        for (String f : new String[] {"mix-5.1.wav", "stems/vocals.wav", "stems-5.1/bass.wav"}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
    }

    @Test
    void aPresetFileNamesTheModel(@TempDir Path dir) throws Exception {
        Path manifest = model(dir);
        Path in = RenderEngineTest.writeTone(dir, "master.wav", 2, 1.5, 0.5);
        CliRun show = CliRun.of("presets", "show", "mono-to-stereo");
        assertEquals(0, show.code(), show.err());
        ObjectMapper om = new ObjectMapper();
        ObjectNode preset = (ObjectNode) om.readTree(show.out());
        preset.put("name", "with-model");
        ObjectNode sep = preset.putObject("separator");
        sep.put("name", "model");
        sep.putObject("options").put("manifest", manifest.toString());
        Path file = dir.resolve("with-model.json");
        om.writeValue(file.toFile(), preset);
        CliRun r = CliRun.of("render", in.toString(), "--preset", file.toString(), "--room", "none", "-q", "-o",
                dir.resolve("p").toString());
        assertEquals(0, r.code(), r.err() + r.out());
        for (String s : STEMS) assertTrue(Files.isRegularFile(dir.resolve("p/stems/" + s + ".wav")), s);
        assertTrue(r.out().contains("separator model:"), r.out());
    }

    @Test
    void aMissingManifestIsAClearErrorAndLeavesNothing(@TempDir Path dir) throws Exception {
        Path in = RenderEngineTest.writeTone(dir, "master.wav", 2, 0.5, 0.5);
        Path gone = dir.resolve("nowhere/manifest.json");
        CliRun r = CliRun.of("render", in.toString(), "--room", "none", "--separator", "model:" + gone, "-q", "-o",
                dir.resolve("x").toString());
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("manifest.json"), r.err());
        assertTrue(!Files.exists(dir.resolve("x")) || Files.list(dir.resolve("x")).findAny().isEmpty(), "no outputs");
    }
}
