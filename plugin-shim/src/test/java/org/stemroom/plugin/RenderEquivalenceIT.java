package org.stemroom.plugin;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.LayoutPlacement;
import org.stemroom.presets.MasterSettings;
import org.stemroom.presets.Preset;
import org.stemroom.presets.Presets;
import org.stemroom.presets.RoomChoice;
import org.stemroom.presets.SeparatorChoice;
import org.stemroom.presets.StemSettings;
import org.stemroom.workstation.render.RenderEngine;
import org.stemroom.workstation.render.RenderSettings;

/**
 * A preset saved in the DAW renders identically with {@code stemroom render}: the bundle, loaded by the C test
 * host with that preset as its state, gives the samples of the render's mix (after the reported latency),
 * within 1e-5. Covers separator "none" (the whole master as one stem; no room or an impulse-response file) and
 * the separating engine (model-free separator, four stems, a built-in room); master stage off.
 */
class RenderEquivalenceIT {
    private static final int RATE = 48000;

    @TempDir
    Path tmp;

    @Test
    void dryPlacementEqualsRender() throws Exception {
        compare(null, false);
    }

    /**
     * The separating engine: the bundle in VST3 kOffline (the export mode: the separator's worker is waited for)
     * with the model-free separator, four placed stems and a built-in room, against {@code stemroom render} with
     * the same preset. Both separate on the recipe's one window grid, so the stems agree; the rooms differ only
     * in their FFT partitioning (float rounding).
     */
    @Test
    void separatedStemsInARoomEqualRender() throws Exception {
        compare(null, true);
    }

    /**
     * The separating engine at 96 kHz (the separator's window grid, the spatializer's smoothing and the room are all
     * laid out per sample rate): the bundle still equals {@code stemroom render} at that rate.
     */
    @Test
    void separatedStemsInARoomEqualRenderAt96kHz() throws Exception {
        compare(null, true, 96000);
    }

    @Test
    void roomFromAnIrFileEqualsRender() throws Exception {
        int n = RATE * 3 / 10;
        float[][] ir = new float[2][n];
        SplittableRandom r = new SplittableRandom(7);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) ir[c][i] = (float) ((r.nextDouble() * 2 - 1) * Math.exp(-i / (0.05 * RATE)));
        }
        Path irFile = tmp.resolve("room.wav");
        AudioFiles.write(irFile, new AudioClip(new AudioFormat(RATE, ChannelLayout.STEREO), ir), SampleFormat.FLOAT_32);
        compare(irFile, false);
    }

    private void compare(Path irFile, boolean separated) throws Exception {
        compare(irFile, separated, RATE);
    }

    private void compare(Path irFile, boolean separated, int rate) throws Exception {
        int frames = rate * (separated ? 4 : 3);
        float[] interleaved = PluginInstanceTest.noise(frames, 2, 51);
        float[][] planar = new float[2][frames];
        for (int i = 0; i < frames; i++) {
            planar[0][i] = interleaved[2 * i];
            planar[1][i] = interleaved[2 * i + 1];
        }
        Path wav = tmp.resolve("master.wav");
        AudioFiles.write(wav, new AudioClip(new AudioFormat(rate, ChannelLayout.STEREO), planar), SampleFormat.FLOAT_32);

        Map<String, StemSettings> stems = separated
                ? Map.of("vocals", new StemSettings(0, 0, 1.5, 0, 0, false, null, 0),
                        "drums", new StemSettings(20, 0, 3, 80, -2, false, -10.0, -3),
                        "bass", new StemSettings(-5, 0, 2, 0, 1, false, -6.0, 0),
                        "other", new StemSettings(-100, 0, 5, 120, -1, false, null, 2))
                : Map.of("mix", new StemSettings(25, 0, 2.5, 60, -3, false, -12.0, 0));
        Preset preset = new Preset(1, "render-check", "plugin vs render", "5.1",
                new SeparatorChoice(separated ? "default" : "none", Map.of()),
                separated ? new RoomChoice("live-room", -6, 0)
                        : irFile == null ? null : new RoomChoice(irFile.toString(), -6, 0),
                Map.of("5.1", new LayoutPlacement(stems)),
                new MasterSettings(null, null, MasterSettings.DEFAULT_LOOKAHEAD_MS, MasterSettings.DEFAULT_RELEASE_MS));
        Path presetFile = tmp.resolve("preset.json");
        Files.writeString(presetFile, Presets.toJson(preset));

        Path outDir = tmp.resolve("render");
        new RenderEngine(null).render(RenderSettings.of(wav, preset).withLayout("5.1")
                .withFormats(SampleFormat.FLOAT_32, SampleFormat.FLOAT_32), outDir);
        AudioClip rendered = AudioFiles.readAll(outDir.resolve("mix-5.1.wav"));
        assertEquals(6, rendered.format().channels());
        assertEquals(rate, rendered.format().sampleRate());

        Path raw = tmp.resolve("in.f32"), out = tmp.resolve("out.f32");
        Vst3Host.writeF32(raw, interleaved);
        Vst3Host.Result r = Vst3Host.run("run", Vst3Host.bundle().toString(), "--in", raw.toString(), "--out",
                out.toString(), "--state-in", presetFile.toString(), "--vary", "13", "--block", "512",
                "--rate", Integer.toString(rate),
                "--offline", separated ? "1" : "0");
        assertEquals(0, r.exitCode(), r.all());
        Map<String, String> v = r.first();
        assertEquals("0", v.get("set_state"), r.all());
        assertEquals("running", v.get("status"), r.all());
        int latency = Integer.parseInt(v.get("latency"));
        float[] plugin = Vst3Host.readF32(out);

        double maxDiff = 0, energy = 0;
        int compared = 0;
        for (int i = 0; i + latency < frames && i < rendered.frames(); i++) {
            for (int c = 0; c < 6; c++) {
                float a = plugin[6 * (i + latency) + c];
                float b = rendered.samples()[c][i];
                maxDiff = Math.max(maxDiff, Math.abs(a - b));
                energy += b * b;
            }
            compared++;
        }
        System.out.printf("plugin vs stemroom render (%s, %d Hz): latency %d, %d frames, max |diff| %.3g%n",
                separated ? "model-free separation, 4 stems, live-room" : irFile == null ? "no room" : "IR room",
                rate, latency, compared, maxDiff);
        assertTrue(compared > frames / 2);
        assertTrue(energy > 1, "render has signal");
        assertTrue(maxDiff <= 1e-5, "plugin vs render: max |diff| " + maxDiff + " at latency " + latency);
    }
}
