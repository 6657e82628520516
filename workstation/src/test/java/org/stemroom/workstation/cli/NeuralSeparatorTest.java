package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.SeparatorChoice;
import org.stemroom.separation.Separator;
import org.stemroom.separation.Separators;
import org.stemroom.separation.onnx.BuiltinModels;
import org.stemroom.separation.onnx.GeneratedMaskModel;
import org.stemroom.workstation.render.RenderEngineTest;
import org.stemroom.workstation.render.SeparatorLibrary;

/**
 * The "neural" separator end to end in {@code stemroom separate} and {@code stemroom render}, with a small generated
 * model standing in for the built-in one; its fallback to the model-free recipe; and the one default.
 */
class NeuralSeparatorTest {
    @TempDir
    Path dir;

    @BeforeEach
    void smallModel() throws Exception {
        Path mf = GeneratedMaskModel.write(dir.resolve("model"), "test-unmix", Separators.STEMS, 2, 44100, 2048, 512, 64,
                16, 1, 3);
        System.setProperty(BuiltinModels.OVERRIDE_PROPERTY, mf.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty(BuiltinModels.OVERRIDE_PROPERTY);
    }

    /** What a separator opened as "default" calls itself: the neural wrapper or the model-free cascade. */
    static String expectedDefaultName() {
        return Separators.DEFAULT.equals(Separators.NEURAL) ? "neural" : "default";
    }

    @Test
    void separateWithTheNeuralModelWritesFourStemsThatSumToTheInput() throws Exception {
        for (int ch : new int[] {2, 1}) {
            Path in = dir.resolve("mix" + ch + ".wav");
            AudioClip mix = SeparateCommandTest.song(ch, 3.0);
            AudioFiles.write(in, mix, SampleFormat.FLOAT_32);
            Path out = dir.resolve("stems" + ch);
            String[] r = SeparateCommandTest.run("separate", in.toString(), "-o", out.toString(), "--method", "neural",
                    "--bits", "float32", "-q");
            assertEquals("0", r[0], r[2]);
            assertTrue(r[1].contains("with 'neural'"), r[1]);
            assertFalse(r[2].contains("warning"), r[2]);
            float[][] sum = new float[ch][mix.frames()];
            for (String s : Separators.STEMS) {
                AudioClip st = AudioFiles.readAll(out.resolve(s + ".wav"));
                assertEquals(ch, st.channels(), "mono stays mono");
                for (int c = 0; c < ch; c++) for (int i = 0; i < mix.frames(); i++) sum[c][i] += st.channel(c)[i];
            }
            double worst = 0;
            for (int c = 0; c < ch; c++) {
                for (int i = 0; i < mix.frames(); i++) worst = Math.max(worst, Math.abs(sum[c][i] - mix.channel(c)[i]));
            }
            assertTrue(worst <= 1e-5, "stems sum to the input within 1e-5, got " + worst);
        }
    }

    @Test
    void aMissingModelFallsBackToTheModelFreeRecipeWithAWarning() throws Exception {
        Path gone = dir.resolve("gone/manifest.json");
        System.setProperty(BuiltinModels.OVERRIDE_PROPERTY, gone.toString());
        Path in = dir.resolve("mix.wav");
        AudioFiles.write(in, SeparateCommandTest.song(2, 2.0), SampleFormat.FLOAT_32);
        String[] r = SeparateCommandTest.run("separate", in.toString(), "-o", dir.resolve("s").toString(), "--method",
                "neural", "-q");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].contains("warning") && r[2].contains(gone.toString()) && r[2].contains("model-free"), r[2]);
        for (String s : Separators.STEMS) assertTrue(Files.isRegularFile(dir.resolve("s").resolve(s + ".wav")), s);

        CliRun render = CliRun.of("render", in.toString(), "--separator", "neural", "--room", "none", "--layout",
                "stereo", "-q", "-o", dir.resolve("r").toString());
        assertEquals(0, render.code(), render.err());
    }

    @Test
    void renderRunsTheNeuralSeparator() throws Exception {
        Path in = RenderEngineTest.writeTone(dir, "master.wav", 2, 3.0, 0.5);
        CliRun r = CliRun.of("render", in.toString(), "--preset", "surround-in-the-band", "--layout", "5.1",
                "--separator", "neural", "--room", "none", "-q", "-o", dir.resolve("a").toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
        var m = new ObjectMapper().readTree(dir.resolve("a/render.json").toFile());
        assertEquals("neural", m.path("settings").path("separator").asText());
        AudioClip mix = AudioFiles.readAll(in);
        float[][] sum = new float[2][mix.frames()];
        for (String s : Separators.STEMS) {
            AudioClip st = AudioFiles.readAll(dir.resolve("a/stems").resolve(s + ".wav"));
            for (int c = 0; c < 2; c++) for (int i = 0; i < mix.frames(); i++) sum[c][i] += st.channel(c)[i];
        }
        double worst = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < mix.frames(); i++) worst = Math.max(worst, Math.abs(sum[c][i] - mix.channel(c)[i]));
        }
        assertTrue(worst <= 1e-5, "render's stems sum to the master within 1e-5, got " + worst);
    }

    @Test
    void everyEntryPointsDefaultIsTheOneConstant() throws Exception {
        // separate: the --method option's default value
        var spec = StemroomCli.newCommandLine().getSubcommands().get("separate").getCommandSpec();
        String method = spec.findOption("--method").defaultValue();
        Separator s = SeparateCommand.separatorFor(method, null);
        assertEquals(expectedDefaultName(), s.name(), "separate's default method");
        // render: presets without a separator, and the built-in presets, say "default"
        assertEquals(SeparatorChoice.DEFAULT, SeparatorChoice.defaults().name());
        Separator r = SeparatorLibrary.create(SeparatorLibrary.nameFor(SeparatorChoice.defaults()));
        assertEquals(expectedDefaultName(), r.name(), "render's default separator");
        for (var p : org.stemroom.presets.Presets.builtIns()) {
            assertEquals(SeparatorChoice.DEFAULT, p.separator().name(), p.name());
        }
        // the names resolve to what they say whatever the default is
        assertEquals("neural", SeparatorLibrary.create("neural").name());
        assertEquals("default", SeparatorLibrary.create("modelfree").name());
        for (Separator x : new Separator[] {s, r}) if (x instanceof AutoCloseable) ((AutoCloseable) x).close();
    }
}
