package org.stemroom.plugin;

import static org.stemroom.plugin.PluginParameters.*;

import java.util.List;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.presets.LayoutPlacement;
import org.stemroom.presets.Preset;
import org.stemroom.presets.StemSettings;
import org.stemroom.separation.Separation;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StreamingSeparator;
import org.stemroom.workstation.render.RoomLibrary;
import org.stemroom.workstation.render.StemChain;

/**
 * The plugin's model-free engine: the separation module's {@link StreamingSeparator} (worker thread behind a
 * fixed latency) splits the input into vocals, drums, bass and other; each stem goes through the chain
 * {@code stemroom render} builds for it ({@link StemChain#of}: the spatializer's panner and the room), and the
 * chains are summed. Latency = the separator's + the chains' (all chains aligned to the longest).
 *
 * <p>Live parameters: level and mute act at once, as a per-stem gain smoothed over 5 ms after the chain. Azimuth,
 * distance, width and room send are taken from the preset when the engine is built (a chain's panner and room
 * feed are fixed per build), so automating them does not move a stem yet.
 *
 * <p>Offline mode ({@link #offline}) makes the audio thread wait for the separator's worker: the output is then
 * deterministic, as a DAW's export needs. In real time a late worker block is served by the separator's counted
 * crossover fallback.
 */
public final class SeparatedEngine implements PluginEngine {
    /**
     * Separator context, cross-fade and worker head-room, in seconds: latency = window + margin. The window and
     * cross-fade are the model-free recipe's grid ({@code MaskCascade}), which the streaming separator takes from it.
     */
    public static final double WINDOW = 1.0, OVERLAP = 0.25, MARGIN = 0.25;
    private static final double SMOOTH_SECONDS = 0.005;

    private final StreamingSeparator separator;
    private final StemChain[] chains;
    private final ChannelLayout layout;
    private final double[] presetLevelDb = new double[STEMS.size()];
    private final double[] gainTarget = new double[STEMS.size()];
    private final double[] gainCurrent = new double[STEMS.size()];
    private final double[] plainLevel = new double[STEMS.size()];
    private final boolean[] muted = new boolean[STEMS.size()];
    private final int[] stemIndex = new int[STEMS.size()];
    private AudioFormat outFormat;
    private AudioBuffer stems;
    private AudioBuffer[] stemViews;
    private AudioBuffer chainOut;
    private double smooth;
    private int channels;

    /**
     * The recipe streamed on its own window grid (the render's, so plugin and render give the same stems); a
     * separator whose grid is too long to stream (a neural model's minute-long chunks) is streamed on
     * {@link #WINDOW} / {@link #OVERLAP} instead.
     */
    public static StreamingSeparator separator(Separator recipe) {
        Separation s = new Separation(recipe);
        if (s.chunkSeconds() > Separation.STREAMABLE_WINDOW_SECONDS) s.chunking(WINDOW, OVERLAP);
        return new StreamingSeparator(s, MARGIN);
    }

    /**
     * The chain of every plugin stem for {@code preset}'s placement in {@code layoutName}: {@link StemChain#of}
     * with mute lifted (mute is applied live by the engine).
     */
    public static StemChain[] chains(Preset preset, String layoutName, ChannelLayout layout, RoomLibrary.Room room,
                                     int stemChannels) {
        LayoutPlacement lp = preset.layouts().get(layoutName);
        double wet = 1, dry = 1;
        if (preset.room() != null) {
            wet = Math.pow(10, preset.room().wetDb() / 20);
            dry = Math.pow(10, preset.room().dryDb() / 20);
        }
        StemChain[] c = new StemChain[STEMS.size()];
        for (int s = 0; s < c.length; s++) {
            StemSettings st = lp == null ? StemSettings.at(0) : lp.forStem(STEMS.get(s));
            StemSettings audible = new StemSettings(st.azimuth(), st.elevation(), st.distance(), st.width(),
                    st.levelDb(), false, st.lfeSendDb(), st.roomSendDb());
            c[s] = StemChain.of(STEMS.get(s), layout, audible, room, wet, dry, stemChannels);
        }
        return c;
    }

    /**
     * @param params initial parameters, normalized ({@link PluginParameters} order): level and mute start here
     */
    public SeparatedEngine(StreamingSeparator separator, StemChain[] chains, ChannelLayout layout, double[] params) {
        this.separator = separator;
        this.chains = chains;
        this.layout = layout;
        for (int s = 0; s < STEMS.size(); s++) {
            presetLevelDb[s] = chains[s].placement().levelDb();
            plainLevel[s] = PluginParameters.get(stemParam(s, LEVEL)).toPlain(params[stemParam(s, LEVEL)]);
            muted[s] = PluginParameters.get(stemParam(s, MUTE)).toPlain(params[stemParam(s, MUTE)]) >= 0.5;
        }
    }

    /** Offline (the host renders faster than real time): the audio thread waits for the separator. */
    @Override
    public void offline(boolean on) {
        separator.offline(on);
    }

    /** Blocks the separator served by its fallback because its worker was late. */
    public long lateBlocks() {
        return separator.lateBlocks();
    }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        channels = inputFormat.channels();
        separator.prepare(inputFormat, maxBlockFrames);
        List<String> names = separator.stemNames();
        for (int s = 0; s < STEMS.size(); s++) {
            stemIndex[s] = names.indexOf(STEMS.get(s));
            if (stemIndex[s] < 0) {
                separator.close();
                throw new IllegalArgumentException("separator gives " + names + ", no '" + STEMS.get(s) + "'");
            }
        }
        int align = 0;
        for (StemChain c : chains) {
            c.prepare(inputFormat, maxBlockFrames);
            align = Math.max(align, c.latencyFrames());
        }
        for (StemChain c : chains) {
            c.alignTo(align);
            c.prepare(inputFormat, maxBlockFrames);
        }
        stems = new AudioBuffer(separator.outputFormat().channels(), maxBlockFrames);
        stemViews = new AudioBuffer[STEMS.size()];
        for (int s = 0; s < STEMS.size(); s++) {
            float[][] v = new float[channels][];
            for (int c = 0; c < channels; c++) v[c] = stems.channel(stemIndex[s] * channels + c);
            stemViews[s] = AudioBuffer.wrap(v);
        }
        outFormat = new AudioFormat(inputFormat.sampleRate(), layout);
        chainOut = new AudioBuffer(layout.channelCount(), maxBlockFrames);
        smooth = 1 - Math.exp(-1.0 / (SMOOTH_SECONDS * inputFormat.sampleRate()));
        for (int s = 0; s < STEMS.size(); s++) {
            target(s);
            gainCurrent[s] = gainTarget[s];
        }
    }

    private void target(int s) {
        gainTarget[s] = muted[s] ? 0 : Math.pow(10, (plainLevel[s] - presetLevelDb[s]) / 20);
    }

    @Override
    public void setParameter(int id, double plain) {
        if (id >= ROOM) return;
        int s = id / PER_STEM;
        int which = id % PER_STEM;
        if (which == LEVEL) plainLevel[s] = plain;
        else if (which == MUTE) muted[s] = plain >= 0.5;
        else return;
        target(s);
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        int n = input.frames();
        separator.process(input, stems);
        output.setFrames(n);
        int outs = output.channels();
        for (int o = 0; o < outs; o++) java.util.Arrays.fill(output.channel(o), 0, n, 0f);
        for (int s = 0; s < chains.length; s++) {
            stemViews[s].setFrames(n);
            chains[s].process(stemViews[s], chainOut);
            double g = gainCurrent[s];
            double t = gainTarget[s];
            double a = smooth;
            double gEnd = g;
            for (int o = 0; o < outs; o++) {
                float[] y = output.channel(o);
                float[] x = chainOut.channel(o);
                gEnd = g;
                for (int i = 0; i < n; i++) {
                    gEnd += a * (t - gEnd);
                    y[i] += (float) (gEnd * x[i]);
                }
            }
            gainCurrent[s] = gEnd;
        }
    }

    @Override
    public void reset() {
        separator.reset();
        for (StemChain c : chains) c.reset();
        for (int s = 0; s < STEMS.size(); s++) gainCurrent[s] = gainTarget[s];
    }

    @Override
    public AudioFormat outputFormat() {
        return outFormat;
    }

    @Override
    public int latencyFrames() {
        return separator.latencyFrames() + chains[0].latencyFrames();
    }

    @Override
    public long tailFrames() {
        long t = 0;
        for (StemChain c : chains) t = Math.max(t, c.tailFrames());
        return t;
    }

    @Override
    public void close() {
        separator.close();
    }
}
