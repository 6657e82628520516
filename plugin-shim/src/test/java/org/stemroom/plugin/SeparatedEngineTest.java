package org.stemroom.plugin;

import static org.junit.jupiter.api.Assertions.*;
import static org.stemroom.plugin.PluginParameters.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.presets.Preset;
import org.stemroom.presets.StemSettings;
import org.stemroom.separation.StreamingSeparator;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.workstation.render.RoomLibrary;
import org.stemroom.workstation.render.StemChains;

/** The default engine: real streaming separation into the render's per-stem chains. */
class SeparatedEngineTest {
    private static final int RATE = 48000;
    private static final int BLOCK = 512;
    private static final int FRAMES = 4 * RATE;
    private static float[] mix;     // interleaved stereo test mix
    private static int latency;

    /** Drums-like noise bursts, a bass tone, a lead tone with vibrato, a wide pad: 4 s, stereo. */
    @BeforeAll
    static void mix() {
        mix = new float[FRAMES * 2];
        SplittableRandom r = new SplittableRandom(7);
        double leadPhase = 0;
        for (int i = 0; i < FRAMES; i++) {
            double t = (double) i / RATE;
            int beat = i % (RATE / 4);
            double drum = beat < RATE / 40 ? (r.nextDouble() * 2 - 1) * 0.5 * Math.exp(-beat / (RATE * 0.006)) : 0;
            double bass = 0.15 * Math.sin(2 * Math.PI * 55 * t);
            leadPhase += 2 * Math.PI * 440 * (1 + 0.01 * Math.sin(2 * Math.PI * 5 * t)) / RATE;
            double lead = 0;
            for (int h = 1; h <= 6; h++) lead += 0.12 / h * Math.sin(h * leadPhase);
            double padL = 0.05 * Math.sin(2 * Math.PI * 330 * t), padR = 0.05 * Math.sin(2 * Math.PI * 392 * t);
            mix[2 * i] = (float) (drum + bass + lead + padL);
            mix[2 * i + 1] = (float) (drum + bass + lead + padR);
        }
    }

    /** The plugin in offline mode on fixed blocks, with {@code muted} stems muted from the start. */
    private static float[] plugin(boolean[] muted, int[] latencyOut) {
        return plugin(muted, latencyOut, false);
    }

    /** ... and warmed up as the shim does in setupProcessing when {@code warmUp}. */
    private static float[] plugin(boolean[] muted, int[] latencyOut, boolean warmUp) {
        PluginInstance p = PluginInstance.standalone();
        for (int s = 0; s < 4; s++) p.setParam(stemParam(s, MUTE), muted[s] ? 1 : 0);
        ByteBuffer io = ByteBuffer.allocateDirect((2 + 6) * BLOCK * 4).order(ByteOrder.nativeOrder());
        ByteBuffer ch = ByteBuffer.allocateDirect(2048 * 16).order(ByteOrder.nativeOrder());
        int lat = p.setup(RATE, BLOCK, 3, 0x3F, OfflineReference.K_OFFLINE, io, ch);
        assertTrue(lat >= 0, p.status());
        latencyOut[0] = lat;
        if (warmUp) p.warmUp(4000, 64);
        FloatBuffer f = io.asFloatBuffer();
        int total = FRAMES + lat;
        float[] out = new float[total * 6];
        for (int pos = 0; pos < total; pos += BLOCK) {
            int n = Math.min(BLOCK, total - pos);
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < n; i++) f.put(c * BLOCK + i, pos + i < FRAMES ? mix[2 * (pos + i) + c] : 0f);
            }
            assertEquals(0, p.process(n, 0, OfflineReference.K_OFFLINE), p.status());
            for (int c = 0; c < 6; c++) {
                for (int i = 0; i < n; i++) out[(pos + i) * 6 + c] = f.get((2 + c) * BLOCK + i);
            }
        }
        p.release();
        return out;
    }

    @Test
    void latencyIsTheSeparatorsPlusTheChains() throws StemroomException {
        PluginState state = new PluginState();
        state.setLayout("5.1");
        StreamingSeparator sep = SeparatedEngine.separator(ModelFreeSeparators.defaultRecipe());
        AudioFormat in = AudioFormat.of(RATE, 2);
        sep.prepare(in, BLOCK);
        int sepLatency = sep.latencyFrames();
        sep.close();
        RoomLibrary.Room room = RoomLibrary.load(state.roomName(), ChannelLayout.SURROUND_5_1, RATE);
        StemChains chains = SeparatedEngine.chains(state.toPreset(), "5.1", ChannelLayout.SURROUND_5_1, room, 2);
        chains.prepare(java.util.Collections.nCopies(4, in), BLOCK);
        int chain = chains.latencyFrames();
        assertEquals(Math.round((SeparatedEngine.WINDOW + SeparatedEngine.MARGIN) * RATE), sepLatency);
        int[] lat = new int[1];
        PluginInstance p = PluginInstance.standalone();
        ByteBuffer io = ByteBuffer.allocateDirect(8 * BLOCK * 4).order(ByteOrder.nativeOrder());
        ByteBuffer ch = ByteBuffer.allocateDirect(2048 * 16).order(ByteOrder.nativeOrder());
        lat[0] = p.setup(RATE, BLOCK, 3, 0x3F, 0, io, ch);
        p.release();
        assertEquals(sepLatency + chain, lat[0], "plugin latency = separator " + sepLatency + " + chain " + chain);
    }

    /** Each stem alone (the three others muted) carries audio: the drums are no longer silent. */
    @Test
    void allFourStemsCarryAudio() {
        double total = 0;
        double[] e = new double[4];
        for (int s = 0; s < 4; s++) {
            boolean[] muted = {true, true, true, true};
            muted[s] = false;
            int[] lat = new int[1];
            float[] out = plugin(muted, lat);
            for (float v : out) e[s] += v * v;
            total += e[s];
        }
        for (int s = 0; s < 4; s++) {
            double share = e[s] / total;
            System.out.printf("stem %s: energy %.1f (%.1f%% of the sum)%n", STEMS.get(s), e[s], 100 * share);
            assertTrue(share > 0.01, STEMS.get(s) + " carries " + 100 * share + "% of the energy");
        }
    }

    /**
     * Offline, the plugin equals an independent run of the same pieces: the streaming separator (offline mode)
     * over the whole mix, the stems through {@link StemChains} with the preset's settings, in other block sizes.
     */
    @Test
    void offlineOutputEqualsSeparatorPlusRenderChains() throws StemroomException {
        int[] lat = new int[1];
        float[] out = plugin(new boolean[4], lat);

        PluginState state = new PluginState();
        state.setLayout("5.1");
        Preset preset = state.toPreset();
        AudioFormat in = AudioFormat.of(RATE, 2);
        ChannelLayout layout = ChannelLayout.SURROUND_5_1;
        RoomLibrary.Room room = RoomLibrary.load(state.roomName(), layout, RATE);
        double wet = Math.pow(10, preset.room().wetDb() / 20), dry = Math.pow(10, preset.room().dryDb() / 20);
        int block = 384; // other block size than the plugin's
        java.util.List<StemSettings> settings = new java.util.ArrayList<>();
        for (int s = 0; s < 4; s++) settings.add(preset.layouts().get("5.1").forStem(STEMS.get(s)));
        StemChains chains = StemChains.of(layout, STEMS, settings, new int[] {2, 2, 2, 2}, room, wet, dry, true);
        chains.prepare(java.util.Collections.nCopies(4, in), block);
        int align = chains.latencyFrames();
        StreamingSeparator sep = SeparatedEngine.separator(ModelFreeSeparators.defaultRecipe());
        sep.offline(true);
        sep.prepare(in, block);
        int latency = sep.latencyFrames() + align;
        assertEquals(latency, lat[0]);
        int total = FRAMES + latency;
        float[] ref = new float[total * 6];
        AudioBuffer x = new AudioBuffer(2, block);
        AudioBuffer stems = new AudioBuffer(8, block);
        AudioBuffer y = new AudioBuffer(6, block);
        int[] idx = new int[4];
        for (int s = 0; s < 4; s++) idx[s] = sep.stemNames().indexOf(STEMS.get(s));
        for (int pos = 0; pos < total; pos += block) {
            int n = Math.min(block, total - pos);
            x.setFrames(n);
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < n; i++) x.channel(c)[i] = pos + i < FRAMES ? mix[2 * (pos + i) + c] : 0f;
            }
            sep.process(x, stems);
            AudioBuffer[] one = new AudioBuffer[4];
            for (int s = 0; s < 4; s++) {
                one[s] = AudioBuffer.wrap(new float[][] {stems.channel(idx[s] * 2), stems.channel(idx[s] * 2 + 1)}, n);
            }
            chains.processMix(one, y);
            for (int c = 0; c < 6; c++) {
                for (int i = 0; i < n; i++) ref[(pos + i) * 6 + c] += y.channel(c)[i];
            }
        }
        sep.close();
        double maxDiff = 0, energy = 0;
        for (int i = 0; i < ref.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(out[i] - ref[i]));
            energy += ref[i] * ref[i];
        }
        System.out.printf("plugin (offline) vs separator + render chains: latency %d, max |diff| %.3g%n", latency, maxDiff);
        assertTrue(energy > 100, "signal went through: " + energy);
        assertTrue(maxDiff <= 1e-5, "max |diff| " + maxDiff);
    }

    /**
     * The warm-up runs the chains through the engine's twin and leaves nothing behind: the warmed plugin gives the
     * very bits of a fresh one (offline, so the worker's timing cannot matter).
     */
    @Test
    void warmUpLeavesNoTrace() {
        boolean[] none = new boolean[4];
        int[] lat = new int[1];
        float[] fresh = plugin(none, lat);
        float[] warmed = plugin(none, lat, true);
        assertArrayEquals(fresh, warmed);
    }

    /**
     * The twin the warm-up runs: its worker delivers nothing until told (every block after the twin's latency is
     * late: the fallback path), then, in a new stream and offline, it delivers every block (the path that reads the
     * worker's stems), each stem a quarter of the delayed mixture. The engine's own worker separates nothing meanwhile.
     */
    @Test
    void warmUpTwinIsLateUntilItDeliversThenReadsItsWorker() throws StemroomException {
        PluginState state = new PluginState();
        state.setLayout("5.1");
        AudioFormat in = new AudioFormat(RATE, ChannelLayout.STEREO);
        SeparatedEngine engine = (SeparatedEngine) EngineFactory.create(state, in, ChannelLayout.byName("5.1"), 64);
        PluginEngine.WarmUpTwin twin = engine.warmUpTwin();
        PluginEngine t = twin.engine();
        int sepLatency = (int) Math.round(SeparatedEngine.TWIN_WINDOW * RATE)
                + (int) Math.round(SeparatedEngine.TWIN_WINDOW / 4 * RATE);
        assertEquals(t.latencyFrames() - sepLatency, engine.latencyFrames() - engine.separatorLatencyFrames(),
                "the same chains behind the twin's separator");
        AudioBuffer x = new AudioBuffer(2, 64), y = new AudioBuffer(6, 64);
        x.setFrames(64);
        int blocks = 300, expectLate = 0;
        for (int b = 0; b < blocks; b++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 64; i++) x.channel(c)[i] = mix[2 * (b * 64 + i) + c];
            }
            t.process(x, y);
            if (64L * (b + 1) > sepLatency) expectLate++;
        }
        assertEquals(expectLate, t.lateBlocks(), "before deliver, every block past the latency is late");
        t.reset();
        twin.deliver().run();
        t.offline(true);
        double energy = 0;
        for (int b = 0; b < blocks; b++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 64; i++) x.channel(c)[i] = mix[2 * (b * 64 + i) + c];
            }
            t.process(x, y);
            for (int c = 0; c < 6; c++) for (int i = 0; i < 64; i++) energy += y.channel(c)[i] * y.channel(c)[i];
        }
        assertEquals(0, t.lateBlocks(), "offline after deliver: every block read from the twin's worker");
        assertTrue(energy > 1e-3, "the stems carry the mix into the chains: " + energy);
        assertEquals(0, engine.windowsSeparated(), "the engine's own worker had nothing to separate");
        t.close();
        engine.close();

        SeparatedEngine.EvenSplit split = new SeparatedEngine.EvenSplit(java.util.List.of("a", "b", "c"));
        split.deliver();
        float[][] m = {{0.3f, -0.7f, 1f}, {0.1f, 0f, -1f}};
        var stems = split.separate(new org.stemroom.core.AudioClip(in, m));
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 3; i++) {
                float sum = 0;
                for (String n : split.stemNames()) sum += stems.get(n).channel(c)[i];
                assertEquals(m[c][i], sum, 1e-7, "the stems sum to the mixture");
            }
        }
    }
}
