package org.stemroom.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stemroom.plugin.PluginParameters.SEPARATION;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.presets.Presets;
import org.stemroom.separation.Separator;
import org.stemroom.separation.Separators;
import org.stemroom.separation.StreamingSeparator;
import org.stemroom.separation.onnx.BuiltinModels;
import org.stemroom.separation.onnx.GeneratedMaskModel;

/** The plugin's "model" separation mode runs the built-in neural separator (a small generated one here). */
class NeuralSeparationTest {
    private static final int RATE = 48000;

    @TempDir
    Path dir;

    @BeforeEach
    void smallModel() throws Exception {
        Path mf = GeneratedMaskModel.write(dir.resolve("m"), "test-unmix", Separators.STEMS, 2, RATE, 2048, 512, 64, 16,
                1, 5);
        System.setProperty(BuiltinModels.OVERRIDE_PROPERTY, mf.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty(BuiltinModels.OVERRIDE_PROPERTY);
    }

    static PluginState withMode(int index) {
        PluginState s = new PluginState();
        s.normalized()[SEPARATION] = PluginParameters.get(SEPARATION).toNormalized(index);
        return s;
    }

    @Test
    void modelModeStreamsTheNeuralSeparatorAndTheStemsSumToTheDelayedInput() throws Exception {
        PluginState st = withMode(1);
        assertEquals(Separators.NEURAL, st.separatorName());
        List<String> warnings = new ArrayList<>();
        Separator sep = EngineFactory.separator(st, warnings::add);
        assertEquals("neural", sep.name());
        assertTrue(warnings.isEmpty(), warnings.toString());

        StreamingSeparator ss = SeparatedEngine.separator(sep);
        int block = 256, frames = 4 * RATE;
        ss.prepare(AudioFormat.of(RATE, 2), block);
        ss.offline(true);
        float[] x = PluginInstanceTest.noise(frames, 2, 21);
        int lat = ss.latencyFrames(), k = ss.stemNames().size();
        AudioBuffer in = new AudioBuffer(2, block), out = new AudioBuffer(2 * k, block);
        double worst = 0, energy = 0;
        try {
            for (int pos = 0; pos + block <= frames; pos += block) {
                in.setFrames(block);
                out.setFrames(block);
                for (int i = 0; i < block; i++) {
                    in.channel(0)[i] = x[2 * (pos + i)];
                    in.channel(1)[i] = x[2 * (pos + i) + 1];
                }
                ss.process(in, out);
                for (int i = 0; i < block; i++) {
                    int src = pos + i - lat;
                    for (int c = 0; c < 2; c++) {
                        double sum = 0;
                        for (int s = 0; s < k; s++) sum += out.channel(s * 2 + c)[i];
                        double want = src >= 0 ? x[2 * src + c] : 0;
                        worst = Math.max(worst, Math.abs(sum - want));
                        if (src >= 0) energy += out.channel(c)[i] * out.channel(c)[i];
                    }
                }
            }
        } finally {
            ss.close();
            ((AutoCloseable) sep).close();
        }
        assertEquals(0, ss.lateBlocks(), "offline mode waits for the worker");
        assertTrue(worst <= 1e-5, "stems sum to the delayed input within 1e-5: " + worst);
        assertTrue(energy > 0, "the first stem carries signal");
    }

    @Test
    void aMissingModelRunsTheModelFreeRecipeAndTheStatusSaysWhy() throws Exception {
        Path gone = dir.resolve("gone.json");
        System.setProperty(BuiltinModels.OVERRIDE_PROPERTY, gone.toString());
        PluginInstance p = PluginInstance.standalone();
        String preset = Presets.builtInText("room-restoration").replace("\"name\": \"default\"", "\"name\": \"neural\"");
        assertEquals(0, p.setState(preset.getBytes(StandardCharsets.UTF_8)), p.status());
        assertEquals(1, (int) p.state().plain(SEPARATION), "a preset naming 'neural' selects the model entry");
        int block = 256;
        ByteBuffer io = ByteBuffer.allocateDirect((2 + 2) * block * 4).order(ByteOrder.nativeOrder());
        ByteBuffer ch = ByteBuffer.allocateDirect(2048 * 16).order(ByteOrder.nativeOrder());
        try {
            assertTrue(p.setup(RATE, block, 3, 3, 0, io, ch) >= 0, p.status());
            assertTrue(p.status().startsWith("running") && p.status().contains(gone.toString())
                    && p.status().contains("model-free"), p.status());
        } finally {
            p.release();
        }
    }

    @Test
    void theDefaultModeIsTheOneDefaultSeparator() throws Exception {
        assertEquals(PluginState.defaultSeparationIndex(), (int) PluginParameters.get(SEPARATION).defaultPlain());
        PluginState st = new PluginState();
        Separator s = EngineFactory.separator(st, w -> { });
        try {
            assertEquals(Separators.DEFAULT.equals(Separators.NEURAL) ? "neural" : "default", s.name());
        } finally {
            if (s instanceof AutoCloseable) ((AutoCloseable) s).close();
        }
        // a preset saying "default" round-trips unchanged; the other entries name what they run
        assertTrue(new String(st.save(), StandardCharsets.UTF_8).contains("\"name\" : \"default\"")
                || new String(st.save(), StandardCharsets.UTF_8).contains("\"name\":\"default\""));
        assertEquals(Separators.MODEL_FREE.equals(Separators.DEFAULT) ? "default" : Separators.MODEL_FREE,
                withMode(0).separatorName());
        assertEquals(Separators.NEURAL.equals(Separators.DEFAULT) ? "default" : Separators.NEURAL,
                withMode(1).separatorName());
        assertEquals("none", withMode(2).separatorName());
    }
}
