package org.stemroom.plugin;

import static org.stemroom.plugin.PluginParameters.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.BlockStageTimes;
import org.stemroom.core.ChannelLayout;
import org.stemroom.presets.LayoutPlacement;
import org.stemroom.presets.Preset;
import org.stemroom.presets.StemSettings;
import org.stemroom.separation.Separation;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StreamingSeparator;
import org.stemroom.workstation.render.RoomLibrary;
import org.stemroom.workstation.render.StemChain;
import org.stemroom.workstation.render.StemChains;

/**
 * The plugin's separating engine: the separation module's {@link StreamingSeparator} (worker thread behind a
 * fixed latency) splits the input into vocals, drums, bass and other; the stems go through the chains
 * {@code stemroom render} builds for them ({@link StemChains}: each stem's panner and room send, one room for all
 * stems). Latency = the separator's + the chains'.
 *
 * <p>Live parameters: every per-stem parameter (azimuth, distance, width, level, room send, mute) and the room's
 * wet level act at once and glide over the spatializer's smoothing time ({@link StemChain}), without allocating.
 *
 * <p>Offline mode ({@link #offline}) makes the audio thread wait for the separator's worker: the output is then
 * deterministic, as a DAW's export needs. In real time a late worker block is served by the separator's counted
 * crossover fallback ({@link #lateBlocks()}).
 */
public final class SeparatedEngine implements PluginEngine {
    /**
     * Separator context, cross-fade and worker head-room, in seconds: latency = window + margin. The window and
     * cross-fade are the model-free recipe's grid ({@code MaskCascade}), which the streaming separator takes from it.
     */
    public static final double WINDOW = 1.0, OVERLAP = 0.25, MARGIN = 0.25;

    private final StreamingSeparator separator;
    private final StemChains chains;
    private final ChannelLayout layout;
    private final int[] stemIndex = new int[STEMS.size()];
    private AudioFormat outFormat;
    private AudioFormat inFormat;
    private int maxBlock;
    private AudioBuffer stems;
    private AudioBuffer[] stemViews;
    private int channels;
    /**
     * The plugin bench's stage trace ({@link BlockStageTimes#ENVIRONMENT}), or null. The warm-up twin marks the same
     * one, so that the warm-up compiles {@link #process} with the timing on, as the blocks after it run (a twin
     * without it left the timed branch untaken, a trap on the first timed block: device run 1 of session 21); the
     * twin's close forgets the warm-up's blocks.
     */
    private BlockStageTimes stageTimes;
    private final boolean twin;

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
     * The chains of the plugin's stems for {@code preset}'s placement in {@code layoutName}, built for live
     * placement (every source position of the room gets a bus).
     */
    public static StemChains chains(Preset preset, String layoutName, ChannelLayout layout, RoomLibrary.Room room,
                                    int stemChannels) {
        LayoutPlacement lp = preset.layouts().get(layoutName);
        double wet = 1, dry = 1;
        if (preset.room() != null) {
            wet = Math.pow(10, preset.room().wetDb() / 20);
            dry = Math.pow(10, preset.room().dryDb() / 20);
        }
        List<StemSettings> settings = new ArrayList<>();
        int[] ch = new int[STEMS.size()];
        for (int s = 0; s < STEMS.size(); s++) {
            settings.add(lp == null ? StemSettings.at(0) : lp.forStem(STEMS.get(s)));
            ch[s] = stemChannels;
        }
        return StemChains.of(layout, STEMS, settings, ch, room, wet, dry, true);
    }

    /**
     * @param params initial parameters, normalized ({@link PluginParameters} order): level and mute start here
     *               (the placement comes from the preset the chains were built from)
     */
    public SeparatedEngine(StreamingSeparator separator, StemChains chains, ChannelLayout layout, double[] params) {
        this.separator = separator;
        this.chains = chains;
        this.layout = layout;
        this.twin = false;
        for (int s = 0; s < STEMS.size(); s++) {
            chains.chain(s).setLevelDb(PluginParameters.get(stemParam(s, LEVEL)).toPlain(params[stemParam(s, LEVEL)]));
            chains.chain(s).setMute(PluginParameters.get(stemParam(s, MUTE)).toPlain(params[stemParam(s, MUTE)]) >= 0.5);
        }
    }

    /** Offline (the host renders faster than real time): the audio thread waits for the separator. */
    @Override
    public void offline(boolean on) {
        separator.offline(on);
    }

    /** Blocks the separator served by its fallback because its worker was late. */
    @Override
    public long lateBlocks() {
        return separator.lateBlocks();
    }

    /** The warm-up twin's: this engine's prepared chains (shared, not prepared again) behind another separator. */
    private SeparatedEngine(SeparatedEngine base, StreamingSeparator separator) {
        this.separator = separator;
        this.chains = base.chains;
        this.layout = base.layout;
        this.twin = true;
        this.stageTimes = base.stageTimes;
        prepareSeparator(base.inFormat, base.maxBlock);
    }

    /**
     * A twin for warming up the audio thread's code: this engine's own chains behind a streaming separator whose worker
     * splits each window evenly into the same stems ({@link EvenSplit}) instead of separating it, and that the caller
     * holds and lets go ({@link WarmUpTwin#hold}, {@link WarmUpTwin#deliver}; it starts held) and whose stream it can
     * start again ({@link WarmUpTwin#restart}). While held, the blocks past the latency are late; once let go, the worker's stems are ready a
     * moment after their window's input (its windows are {@link #TWIN_WINDOW} long). So the warm-up can run all of the
     * audio thread's paths (the blocks before the latency, the late blocks' fallback, and reading the worker's stems)
     * in whatever order it chooses, where this
     * engine's worker would make it wait while the recipe separates seconds of audio with cold code (0.65-1.1 s of the
     * cold start, measured), and this engine's worker separates nothing meanwhile. The audio thread's code is the same
     * code whatever the grid and the latency (its rings only wrap more often, which runs their wrapping branch too);
     * the twin's output is thrown away, and its caller resets this engine afterwards (the chains and their state are
     * shared). Close the twin (its worker) when done; never on the audio thread.
     */
    @Override
    public WarmUpTwin warmUpTwin() {
        EvenSplit split = new EvenSplit(separator.stemNames());
        Separation even = new Separation(split).chunking(TWIN_WINDOW, TWIN_WINDOW / 4);
        SeparatedEngine twin = new SeparatedEngine(this, new StreamingSeparator(even, TWIN_WINDOW / 4));
        Runnable restartHeld = () -> {
            split.hold();
            twin.separator.reset(); // the separator only: the chains (this engine's) go on, their output thrown away
        };
        return new WarmUpTwin(twin, split::hold, split::deliver, restartHeld);
    }

    /**
     * The warm-up twin's window, in seconds: short, so its worker is never the one the warm-up waits for, and so that
     * a restarted stream reaches its late blocks within a few calls (its latency is a window and a quarter: 2400
     * frames at 48 kHz, 37 warm-up calls of 64 frames).
     */
    static final double TWIN_WINDOW = 0.04;

    @Override
    public void warmWorker() {
        separator.warmWorker();
    }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        prepareSeparator(inputFormat, maxBlockFrames);
        List<AudioFormat> formats = new ArrayList<>();
        for (int s = 0; s < STEMS.size(); s++) formats.add(inputFormat);
        chains.prepare(formats, maxBlockFrames);
        stageTimes = BlockStageTimes.fromEnvironment(List.of("separator", "placement", "room", "mix"));
        chains.stageTimes(stageTimes);
    }

    private void prepareSeparator(AudioFormat inputFormat, int maxBlockFrames) {
        inFormat = inputFormat;
        maxBlock = maxBlockFrames;
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
        stems = new AudioBuffer(separator.outputFormat().channels(), maxBlockFrames);
        stemViews = new AudioBuffer[STEMS.size()];
        for (int s = 0; s < STEMS.size(); s++) {
            float[][] v = new float[channels][];
            for (int c = 0; c < channels; c++) v[c] = stems.channel(stemIndex[s] * channels + c);
            stemViews[s] = AudioBuffer.wrap(v);
        }
        outFormat = new AudioFormat(inputFormat.sampleRate(), layout);
    }

    @Override
    public void setParameter(int id, double plain) {
        if (id == WET) {
            chains.setRoomWet(Math.pow(10, plain / 20));
            return;
        }
        if (id >= ROOM) return;
        StemChain c = chains.chain(id / PER_STEM);
        switch (id % PER_STEM) {
            case AZIMUTH -> c.setAzimuth(plain);
            case DISTANCE -> c.setDistance(plain);
            case WIDTH -> c.setWidth(plain);
            case LEVEL -> c.setLevelDb(plain);
            case ROOM_SEND -> c.setRoomSendDb(plain);
            case MUTE -> c.setMute(plain >= 0.5);
            default -> { }
        }
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        int n = input.frames();
        BlockStageTimes times = stageTimes;
        if (times != null) times.begin();
        separator.process(input, stems);
        if (times != null) times.mark(); // "separator"; the chains mark the rest
        for (int s = 0; s < STEMS.size(); s++) stemViews[s].setFrames(n);
        chains.processMix(stemViews, output);
    }

    @Override
    public void reset() {
        separator.reset();
        chains.reset();
    }

    @Override
    public AudioFormat outputFormat() {
        return outFormat;
    }

    @Override
    public int latencyFrames() {
        return separator.latencyFrames() + chains.latencyFrames();
    }

    @Override
    public long tailFrames() {
        return chains.tailFrames();
    }

    @Override
    public void close() {
        separator.close();
        BlockStageTimes times = stageTimes;
        if (twin) {
            if (times != null) times.clear(); // the warm-up's blocks; the engine's own follow
            return;
        }
        if (times != null && times.blocks() > 0) {
            try {
                times.write(times.file());
            } catch (IOException | RuntimeException e) {
                System.err.println("stemroom: cannot write the stage trace " + times.file() + ": " + e);
            }
        }
    }

    /** The separator's share of {@link #latencyFrames()} (tests). */
    int separatorLatencyFrames() {
        return separator.latencyFrames();
    }

    /** Windows this engine's worker has separated since {@link #prepare} (tests). */
    long windowsSeparated() {
        return separator.windowsSeparated();
    }

    /**
     * The warm-up twin's "separator": each stem is the mixture divided by the number of stems, so the stems sum to the
     * mixture as every separator's must. It carries signal into every stem's chain at a cost of one multiply per
     * sample, and never reaches a user's ears (the twin's output is thrown away). While held (as it starts), a window
     * waits in {@link #separate} until {@link #deliver} (or until its worker is interrupted: closed).
     */
    static final class EvenSplit implements Separator {
        private final List<String> names;
        private volatile boolean delivering;
        private volatile Thread waiting;

        EvenSplit(List<String> names) {
            this.names = List.copyOf(names);
        }

        /** The worker's next window waits: the twin's blocks turn late once the stems already delivered are read. */
        void hold() {
            delivering = false;
        }

        /** Lets the worker go on at once (the warm-up's offline calls wait for it). */
        void deliver() {
            delivering = true;
            Thread w = waiting; // volatile write, then read; the worker writes waiting, then reads delivering
            if (w != null) LockSupport.unpark(w);
        }

        @Override
        public String name() {
            return "even-split";
        }

        @Override
        public List<String> stemNames() {
            return names;
        }

        @Override
        public StemSet separate(AudioClip mixture) {
            if (!delivering) {
                waiting = Thread.currentThread();
                while (!delivering && !Thread.currentThread().isInterrupted()) LockSupport.parkNanos(1_000_000L);
                waiting = null;
            }
            float g = 1f / names.size();
            StemSet set = this.set;
            if (set == null || set.frames() != mixture.frames() || set.channels() != mixture.channels()) {
                set = StemSet.silent(mixture.format(), mixture.frames(), names);
                this.set = set; // reused from window to window, as Separator allows: no garbage per window
            }
            for (String n : names) {
                float[][] x = set.get(n).samples();
                for (int c = 0; c < x.length; c++) {
                    float[] m = mixture.channel(c);
                    for (int i = 0; i < m.length; i++) x[c][i] = m[i] * g;
                }
            }
            return set;
        }

        private StemSet set;

        @Override
        public double maxChunkSeconds() {
            return Separation.STREAMABLE_WINDOW_SECONDS; // chunking() sets the real grid
        }
    }
}
