package org.stemroom.workstation.render;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.core.io.WriteBack;
import org.stemroom.presets.LayoutPlacement;
import org.stemroom.presets.MasterSettings;
import org.stemroom.room.RoomImpulseResponse;
import org.stemroom.separation.Separation;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSink;
import org.stemroom.workstation.master.MasterStage;
import org.stemroom.workstation.report.AudioThumbnail;
import org.stemroom.workstation.report.MixtureCheck;
import org.stemroom.workstation.report.SpectrogramRows;
import org.stemroom.workstation.report.ReportWriter;

/**
 * The offline render: separate, place each stem, put it into the room, sum to the output layout, master, and
 * write everything a mastering engineer signs off (stems, stems rendered to the layout, the mix, render.json).
 *
 * <p>Streaming: the input is read block by block, separated in chunks, and every stage runs on blocks of
 * {@link RenderSettings#blockFrames()}, so memory does not grow with the input's length. With a loudness target
 * the pre-master mix goes to a 32-bit float staging file and the master stage reads it back (loudness needs the
 * whole programme measured before its gain is known); without one the master stage runs on the mix as it is
 * summed, with the same bits.
 *
 * <p>Deterministic: separation on one thread, everything after it on another in the order the blocks come, stems
 * summed in the separator's fixed order; the same input and settings give the same bits on any machine and run.
 */
public final class RenderEngine {
    public static final String MANIFEST = "render.json";
    public static final String STEMS_DIR = "stems";
    /** The --timings line of what runs after separation's last block, on the placing thread ({wall, its CPU}). */
    static final String END_STAGE = "  after the last block: room tail, master's end (placing thread)";

    private final Progress progress;
    private final boolean pipelined;
    /** Master on the mix as it is summed when there is no loudness target (false: always the two-pass path). */
    boolean masterInStream = true;
    /** The stages' laps take the process's CPU time too ({@link #measureStageCpu}). */
    private boolean stageCpu;

    /** An engine that uses a second thread when the machine has more than one core. */
    public RenderEngine(Progress progress) {
        this(progress, Runtime.getRuntime().availableProcessors() > 1);
    }

    /** @param pipelined run separation and the rest on two threads (the bits are the same either way) */
    public RenderEngine(Progress progress, boolean pipelined) {
        this.progress = progress == null ? Progress.NONE : progress;
        this.pipelined = pipelined;
    }

    /**
     * The stages' laps in {@link RenderResult#stageSeconds} also take the whole process's CPU time (render --timings;
     * otherwise their CPU is NaN). Off by default: the first reading initialises the JDK's management beans (the
     * platform MBean providers, the security properties, the cgroup metrics), about 80 ms of the render's main thread
     * before separation's first window (class-load log of the bench render at load 1.3, session 27).
     */
    public RenderEngine measureStageCpu() {
        stageCpu = true;
        return this;
    }

    /**
     * Loads now the JDK classes that a render otherwise loads only in its last seconds and that are the second
     * implementation of a type whose only implementation C2 had assumed, so that no compiled code is thrown away
     * for them. When C2 inlines an interface or abstract method with one loaded implementation it relies on that
     * (a class-hierarchy dependency); loading a second one later makes the JVM discard every compile that relied on
     * it, which then runs in the interpreter until it is compiled again. With both loaded from the start C2 checks the
     * receiver's class where it inlines instead (one compare). Compiled code computes the same bits either way.
     * <ul>
     * <li>{@code java.nio.ByteBufferAsIntBufferB}, the big-endian int view of a heap byte buffer: the report's first
     * text loads a font, whose reader is its first user; until then the only {@code IntBuffer} class loaded is the
     * writers' view of their direct little-endian buffers, so C2 compiled the writer's {@code encode} (and
     * {@code IntBuffer.getArray}) on that assumption (the bench render's compile log, session 23: {@code encode}'s C2
     * code, 0.42 s of task time, made not entrant at 19.7 s of 20, then compiled again whole and on-stack, 0.34 s).
     * <li>{@code java.util.concurrent.ForkJoinTask}, a second {@code Future} beside the executors' {@code FutureTask}:
     * loaded with {@code Arrays.sort}'s parallel sorter in the report's last seconds (compile log of the bench
     * render, session 25: at 17.7 s of 19.5), where it threw away {@link AsyncTaps}' wait for a free buffer
     * ({@code Future.isDone}, {@code get}; its C2 code at 26 s in session 23's log).
     * <li>{@code java.util.concurrent.ConcurrentSkipListMap}, a second {@code ConcurrentMap} beside
     * {@code ConcurrentHashMap}: loaded by the font configuration (session 25's log: at 13.0 s), where it threw away
     * the compiled callers of {@code ConcurrentMap.remove}.
     * </ul>
     * Returns the two classes loaded by name.
     */
    static List<Class<?>> loadSecondImplementations() {
        ByteBuffer.allocate(Integer.BYTES).asIntBuffer();
        // evaluating a class literal loads the class (which is what the class-hierarchy checks see), not initializes it
        return List.of(java.util.concurrent.ForkJoinTask.class, java.util.concurrent.ConcurrentSkipListMap.class);
    }

    /** Renders into {@code outDir}; the outputs appear only when everything succeeded. */
    public RenderResult render(RenderSettings s, Path outDir) throws IOException, StemroomException {
        Path input = s.input();
        if (!Files.isRegularFile(input)) throw new StemroomException(input + ": input file not found");
        loadSecondImplementations();
        long t0 = System.nanoTime();
        Stopwatch clock = new Stopwatch(stageCpu);
        // Side work (the input's checksum, the report's slow parts as soon as each can start, the input's and the
        // mix's meters) runs on its own threads beside the render: one per core, and two more so that the input's
        // and the mix's meters, which run for the whole render, never wait behind a report task.
        ExecutorService side = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()) + 2,
                r -> {
                    Thread t = new Thread(r, "stemroom-render-side");
                    t.setDaemon(true);
                    return t;
                });
        try {
            return render(s, outDir, t0, clock, side);
        } finally {
            side.shutdownNow();
        }
    }

    private RenderResult render(RenderSettings s, Path outDir, long t0, Stopwatch clock, ExecutorService side)
            throws IOException, StemroomException {
        Path input = s.input();
        InputChecksum inputSha = new InputChecksum(input, side);
        ChannelLayout layout = outputLayout(s.layout());
        LayoutPlacement placement = s.preset().placementFor(s.layout());
        Separator separator = SeparatorLibrary.create(s.effectiveSeparator());
        // the commit pool is closed first (resources close in reverse order): no commit still runs when a failed
        // render's staging folder is cleared
        try (OutputFolder out = new OutputFolder(outDir, List.of(input));
             CommitPool commits = new CommitPool();
             AudioFileReader reader = AudioFileReader.open(input)) {
            AudioFormat inFormat = reader.format();
            if (inFormat.channels() > 2) {
                throw new StemroomException(input + ": " + inFormat.channels() + " channels; render takes a mono or"
                        + " stereo master");
            }
            long frames = reader.frames();
            RenderResult result = new RenderResult(out.dir(), s, inFormat, frames);
            // The room loads on the side pool: the first to need it is the placing thread's begin (the convolver's
            // IR set), which runs while separation works on its first window, so this thread starts separating at
            // once (the load took 0.18-0.4 s of wall clock before separation could start). A room that does not
            // exist fails here at once; one that cannot be read fails the render from that begin, with the same
            // message. The report's room analysis starts beside the render once half the input has been placed
            // (StemPass.write).
            Future<RoomLibrary.Room> room = null;
            double[] roomSeconds = new double[2];
            String roomSpec = s.effectiveRoom();
            if (!RenderSettings.NO_ROOM.equals(roomSpec)) {
                RoomLibrary.check(roomSpec);
                int rate = inFormat.sampleRate();
                room = side.submit(() -> timed(roomSeconds, () -> RoomLibrary.load(roomSpec, layout, rate)));
            }
            clock.lap("start");
            double wetGain = 1.0;
            double dryGain = 1.0;
            if (s.preset().room() != null) {
                wetGain = Math.pow(10, s.preset().room().wetDb() / 20);
                dryGain = Math.pow(10, s.preset().room().dryDb() / 20);
            }

            StreamStats inputStats = new StreamStats(inFormat);
            Separation separation = new Separation(separator);
            // The report's pictures and the mixture check are taken from the streams as they go by (no file is
            // read back for them): the input as separation reads it, each stem and the mix as they are written.
            AudioThumbnail.Builder inputPicture = new AudioThumbnail.Builder(ReportWriter.COLUMNS,
                    inFormat.sampleRate(), frames, inFormat.channels(), SpectrogramRows.bins(inFormat.sampleRate()));
            MixtureCheck mixture = new MixtureCheck(inFormat.channels());
            MasterSettings ms = s.preset().master();
            String mixName = "mix-" + layout.name() + ".wav";
            AudioFormat mixFormat = new AudioFormat(inFormat.sampleRate(), layout);
            // Without a loudness target nothing needs the whole programme before the master stage: it runs on the
            // mix as it is summed (no staging file written and read back). The bits are the same either way.
            MasterPass master = new MasterPass(ms, out.staged(mixName), out.staged(".premaster.wav"), mixFormat,
                    s.mixFormat(), List.of(input), s.blockFrames(), masterInStream);
            // two or more cores: the mastered mix is measured (levels, true peak, picture, fold-down and Lt/Rt
            // checks) on a side thread, off the thread that places, convolves and writes everything
            if (pipelined) master.measureOn(side);
            master.checksum();
            master.writeBack(commits, mixName);
            // surround: the fold-down check runs on the mix as it is written, with the input read along with it
            try (FoldDownTap foldDown = layout.channelCount() > 2
                    ? new FoldDownTap(input, layout, s.blockFrames(), side) : null) {
                if (foldDown != null) master.tap(foldDown);
                StemPass pass = new StemPass(s, out, layout, placement, room, wetGain, dryGain, frames, result, master,
                        commits, side, inputSha);
                InputTaps taps = new InputTaps(inputStats, inputPicture, mixture, frames, result, side, pipelined,
                        inFormat.channels());
                try (FileAudioSource source = new FileAudioSource(reader, taps)) {
                    // Two or more cores: separation on this thread, everything after it on another (same bits).
                    StemSink sink = pipelined ? new PipelinedSink(pass) : pass;
                    // A pipelined render's separation runs on its own thread alone, without ParallelFor's helpers:
                    // the placing/writing thread and the mix's meters keep the other cores busy, so the helpers only
                    // add their hand-overs (and preempt those threads). Same bits either way (disjoint writes).
                    // 1-minute bench render, alternating, load 8-14: 22.13 / 22.32 / 22.36 -> 21.90 / 20.61 / 20.60
                    // CPU-s, and 20.32 -> 17.42 with ParallelFor's caller parking until unparked (session 7).
                    org.stemroom.separation.ParallelFor.aloneOnThisThread(pipelined);
                    try {
                        separation.separate(source, new CheckedSink(sink, mixture), progress);
                    } finally {
                        org.stemroom.separation.ParallelFor.aloneOnThisThread(false);
                    }
                }
                taps.finish(); // and for a file shorter than its header said: the picture of what was read
                result.inputStats = inputStats;
                result.mixtureError = mixture.maxError();
                clock.lap(master.inStream() ? "separate, place, room, write stems, master"
                        : "separate, place, room, write stems");
                if (!master.inStream()) {
                    // loudness gain (measured on the whole pre-master), then the true-peak limiter
                    master.finish(progress);
                    clock.lap("master");
                }
                result.loudnessTarget = ms.loudnessLufs();
                result.premasterLufs = master.premasterLufs();
                result.masterGainDb = master.gainDb();
                result.limiterMinGainDb = master.limiterMinGainDb();
                result.mixStats = master.mixStats();
                result.thumbnails.put(mixName, master.picture());
                result.outputs.put(mixName, master.mixSha256());
                result.inputSha256 = inputSha.get();

                // The report's slow parts and the checksums of everything side by side, then the manifest, then
                // everything appears at once.
                progress.begin("writing the report and the checksums", 0);
                if (foldDown != null) {
                    result.foldDown = foldDown.report();
                    result.ltRt = foldDown.ltRtReport();
                    result.ltRtSamplePeak = foldDown.ltRtSamplePeak();
                    result.ltRtTruePeak = foldDown.ltRtTruePeak();
                }
                RoomLibrary.Room loadedRoom = room == null ? null : room(room);
                ReportWriter.Pending report = ReportWriter.start(result, layout, reportSections(loadedRoom, result),
                        side);
                commits.await(result.outputs); // the files' fsyncs went on beside the tail, the mix and the pictures
                checksums(result.outputs, out, side);
                clock.lap("output checksums (report tasks alongside)");
                result.seconds = (System.nanoTime() - t0) * 1e-9;
                report.write(out.staged(ReportWriter.FILE));
                progress.done();
                clock.lap("report");
                RenderManifest.write(result, out.staged(MANIFEST));
                out.publish(MANIFEST);
                clock.lap("manifest, publish");
                result.stageSeconds.putAll(clock.laps());
                // its own thread's CPU time (the laps count the whole process's)
                if (room != null) result.stageSeconds.put("  room (loaded beside the separation)", roomSeconds);
                result.stageSeconds.put(END_STAGE, pass.endSeconds);
                return result;
            }
        }
    }

    /**
     * The SHA-256 of every output that its writer did not checksum while writing (normally none: see
     * {@link AudioFileWriter.Options#checksumFor}), the files hashed side by side on the pool.
     */
    private static void checksums(Map<String, String> outputs, OutputFolder out, ExecutorService pool)
            throws IOException {
        List<String> names = new ArrayList<>();
        List<Future<String>> sums = new ArrayList<>();
        for (Map.Entry<String, String> e : outputs.entrySet()) {
            if (e.getValue() != null) continue;
            Path file = out.staged(e.getKey());
            names.add(e.getKey());
            sums.add(pool.submit(() -> Sha256.of(file)));
        }
        for (int i = 0; i < names.size(); i++) outputs.put(names.get(i), get(sums.get(i)));
    }

    /**
     * Writer options for an output of exactly {@code frames} frames: checksummed as it is written, and written past
     * the page cache (nothing reads the outputs back while the render runs; see
     * {@link AudioFileWriter.Options#pastPageCache}).
     */
    static AudioFileWriter.Options outputOptions(Path input, long frames) {
        return AudioFileWriter.Options.defaults().inputsNotToOverwrite(List.of(input)).checksumFor(frames)
                .pastPageCache(true);
    }

    private static <T> T get(Future<T> f) throws IOException {
        return get(f, "checksumming");
    }

    /**
     * The task's result; its failure as this thread's: an IOException as it is, a StemroomException (bad input, such
     * as a room file that cannot be read) as an IOException with its message.
     */
    static <T> T get(Future<T> f, String doing) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + doing, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException) throw (IOException) c;
            if (c instanceof StemroomException) throw new IOException(c.getMessage(), c);
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            if (c instanceof Error) throw (Error) c;
            throw new IOException(c);
        }
    }

    /** Work that {@link #timed} measures. */
    private interface Work<T> {
        T run() throws IOException, StemroomException;
    }

    /** Runs {@code work} and puts its {wall, this thread's CPU} seconds into {@code into} (for --timings). */
    private static <T> T timed(double[] into, Work<T> work) throws IOException, StemroomException {
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        long w0 = System.nanoTime();
        long c0 = tm.getCurrentThreadCpuTime();
        T t = work.run();
        into[0] = (System.nanoTime() - w0) * 1e-9;
        into[1] = (tm.getCurrentThreadCpuTime() - c0) * 1e-9;
        return t;
    }

    /**
     * The input file's SHA-256, taken on the side pool once half the input has been placed ({@link StemPass#write}),
     * or when the result asks for it if that never came (an input shorter than its header said). Not at the render's
     * start, where it ran before session 19: the JDK's SHA-256 runs on the CPU's SHA instructions only from C2's code
     * of its callers (see the launcher), and in a render's first seconds C2's queue is long, so the input's hash (23 MB
     * for the bench minute) ran as Java code, C1's: about 0.2 CPU-s against 0.02. Half-way through, the writers have
     * been hashing every output for seconds and C2 has compiled that path.
     */
    static final class InputChecksum {
        private final Path input;
        private final ExecutorService side;
        private Future<String> task;

        InputChecksum(Path input, ExecutorService side) {
            this.input = input;
            this.side = side;
        }

        /** Starts the checksum (once; the placing thread calls it, and the render's own thread at the end). */
        synchronized void start() {
            if (task == null) task = side.submit(() -> Sha256.of(input));
        }

        /** The checksum, started now if it has not been. */
        String get() throws IOException {
            start();
            Future<String> t;
            synchronized (this) {
                t = task;
            }
            return RenderEngine.get(t);
        }
    }

    /** The loaded room; a room that could not be loaded fails with {@link RoomLibrary#load}'s message. */
    private static RoomLibrary.Room room(Future<RoomLibrary.Room> room) throws IOException {
        return get(room, "loading the room");
    }

    /** Report sections from the other stages (room analysis, fold-down check) as they are available. */
    private static List<ReportWriter.Section> reportSections(RoomLibrary.Room room, RenderResult r) {
        List<ReportWriter.Section> l = new ArrayList<>();
        if (r.foldDown != null) l.add(new org.stemroom.workstation.report.FoldDownSection(r.foldDown));
        if (r.ltRt != null) {
            l.add(org.stemroom.workstation.report.FoldDownSection.ltRt(r.ltRt, r.ltRtSamplePeak, r.ltRtTruePeak));
        }
        if (room != null) l.add(roomSection(room));
        return l;
    }

    private static ReportWriter.Section roomSection(RoomLibrary.Room room) {
        return new org.stemroom.workstation.report.RoomSection(room.name(), room.ir());
    }

    /**
     * What the render measures on the input as separation reads it: levels, the report's picture and the mixture
     * check. The picture is drawn on the side pool as soon as the last frame is read, while the render goes on.
     *
     * <p>Pipelined, the levels (loudness, true peak) and the picture are taken on a worker of the side pool
     * ({@link AsyncTaps}: the same blocks in the same order, so the same figures): the separation thread, which the
     * render's wall clock follows, only reads, copies and separates (these taps were about 4 % of its samples in a
     * profile of the bench render). The mixture check's input stays on that thread, where the stems it is compared
     * with come out.
     */
    private static final class InputTaps implements FileAudioSource.FrameListener {
        private final StreamStats stats;
        private final AudioThumbnail.Builder picture;
        private final MixtureCheck mixture;
        private final long frames;
        private final RenderResult result;
        private final ExecutorService side;
        /** The levels and the picture on a side worker; null: on the reading thread. */
        private final AsyncTaps async;
        private long measured;
        private boolean pictureDone;

        InputTaps(StreamStats stats, AudioThumbnail.Builder picture, MixtureCheck mixture, long frames,
                  RenderResult result, ExecutorService side, boolean async, int channels) {
            this.stats = stats;
            this.picture = picture;
            this.mixture = mixture;
            this.frames = frames;
            this.result = result;
            this.side = side;
            this.async = async
                    ? new AsyncTaps("the input", List.of(this::measure), channels, FileAudioSource.BLOCK, side) : null;
        }

        @Override
        public void frames(AudioBuffer block) throws java.io.IOException {
            if (async != null) async.add(block.data(), 0, block.frames());
            else measure(block.data(), 0, block.frames());
            mixture.input(block.data(), 0, block.frames());
        }

        /** The levels and the picture of the next block; the picture is finished with the last frame. */
        private void measure(float[][] data, int off, int n) {
            stats.add(data, off, n);
            picture.add(data, off, n);
            measured += n;
            if (measured >= frames) finishPicture();
        }

        /** Waits for the measuring worker; the picture of what was read when the file was shorter than its header. */
        void finish() throws java.io.IOException {
            if (async != null) async.finish();
            finishPicture();
        }

        private void finishPicture() {
            if (pictureDone) return;
            pictureDone = true;
            result.thumbnails.put(ReportWriter.INPUT_PICTURE, picture.finish());
            ReportWriter.startInputPictureEarly(result, side);
        }
    }

    static ChannelLayout outputLayout(String name) throws StemroomException {
        switch (name) {
            case "stereo": return ChannelLayout.STEREO;
            case "5.1": return ChannelLayout.SURROUND_5_1;
            case "7.1": return ChannelLayout.SURROUND_7_1;
            default: throw new StemroomException("unknown output layout '" + name + "' (allowed: stereo, 5.1, 7.1)");
        }
    }

    /** The separation sink: writes stems, runs every stem's chain, sums the mix into the pre-master file. */
    private final class StemPass implements StemSink {
        private final RenderSettings s;
        private final OutputFolder out;
        private final ChannelLayout layout;
        private final LayoutPlacement placement;
        private final Future<RoomLibrary.Room> room;
        private final double wetGain;
        private final double dryGain;
        private final long inputFrames;
        private final RenderResult result;
        private final int block;

        private List<String> names;
        private StemChains chains;
        private AudioBuffer[] stemInArr;
        private AudioBuffer[] stemOutArr;
        private AudioBuffer roomOut;
        private AlignedWriter roomWriter; // the room return: placed stems + room = the mix
        private final List<AudioFileWriter> stemWriters = new ArrayList<>();
        private final List<AlignedWriter> placedWriters = new ArrayList<>();
        private final List<AudioBuffer> stemIn = new ArrayList<>();
        private final List<AudioBuffer> stemOut = new ArrayList<>();
        private final List<AudioThumbnail.Builder> stemPictures = new ArrayList<>();
        private AudioBuffer mix;
        private AlignedWriter premasterWriter;
        private int latency;
        private long outFrames;
        /**
         * Frames of the separated stems placed so far ({@link #write}); the room's analysis and the input's checksum
         * start at half.
         */
        private long placedFrames;
        private boolean halfWayStarted;
        private final MasterPass master;
        /** Each output writer's file, relative to the output folder (the key of its checksum). */
        private final Map<AudioFileWriter, String> outputNames = new java.util.IdentityHashMap<>();
        private final CommitPool commits;
        private final ExecutorService side;
        private final InputChecksum inputSha;

        StemPass(RenderSettings s, OutputFolder out, ChannelLayout layout, LayoutPlacement placement,
                 Future<RoomLibrary.Room> room, double wetGain, double dryGain, long inputFrames, RenderResult result,
                 MasterPass master, CommitPool commits, ExecutorService side, InputChecksum inputSha) {
            this.commits = commits;
            this.side = side;
            this.inputSha = inputSha;
            this.master = master;
            this.s = s;
            this.out = out;
            this.layout = layout;
            this.placement = placement;
            this.room = room;
            this.wetGain = wetGain;
            this.dryGain = dryGain;
            this.inputFrames = inputFrames;
            this.result = result;
            this.block = s.blockFrames();
        }

        @Override
        public void begin(AudioFormat format, List<String> stemNames) throws IOException {
            names = List.copyOf(stemNames);
            int ch = format.channels();
            List<org.stemroom.presets.StemSettings> settings = new ArrayList<>();
            int[] channels = new int[names.size()];
            List<AudioFormat> formats = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                settings.add(placement.forStem(names.get(k)));
                result.placements.put(names.get(k), settings.get(k));
                channels[k] = ch;
                formats.add(format);
            }
            // one room for all stems: their sends summed per source position, convolved once
            RoomLibrary.Room room = this.room == null ? null : room(this.room);
            chains = StemChains.of(layout, names, settings, channels, room, wetGain, dryGain, false);
            chains.prepare(formats, block);
            latency = chains.latencyFrames();
            long tail = chains.tailFrames();
            outFrames = inputFrames + tail;
            result.latencyFrames = latency;
            result.tailFrames = tail;
            AudioFormat placedFormat = new AudioFormat(format.sampleRate(), layout);
            // every file's length is known: the stems are as long as the input, the placed stems and the room as
            // long as the mix (input + tail), so each writer checksums its file as it writes it
            AudioFileWriter.Options stemOpts = outputOptions(s.input(), inputFrames);
            AudioFileWriter.Options placedOpts = outputOptions(s.input(), outFrames);
            for (String name : names) {
                String stemFile = STEMS_DIR + "/" + name + ".wav";
                String placedFile = STEMS_DIR + "-" + layout.name() + "/" + name + ".wav";
                AudioFormat stemFormat = new AudioFormat(format.sampleRate(),
                        ChannelLayout.defaultFor(format.channels()));
                stemWriters.add(AudioFileWriter.create(out.staged(stemFile), stemFormat, s.stemFormat(), stemOpts));
                stemPictures.add(new AudioThumbnail.Builder(ReportWriter.COLUMNS, format.sampleRate(), inputFrames,
                        format.channels(), SpectrogramRows.bins(format.sampleRate())));
                StreamStats st = new StreamStats();
                result.stemStats.put(name, st);
                placedWriters.add(new AlignedWriter(AudioFileWriter.create(out.staged(placedFile), placedFormat,
                        s.stemFormat(), placedOpts), latency, outFrames, layout.channelCount(), block, st));
                outputNames.put(stemWriters.get(stemWriters.size() - 1), stemFile);
                outputNames.put(placedWriters.get(placedWriters.size() - 1).writer(), placedFile);
                result.outputs.put(stemFile, null);
                result.outputs.put(placedFile, null);
                stemIn.add(new AudioBuffer(ch, block));
                stemOut.add(new AudioBuffer(layout.channelCount(), block));
            }
            if (room != null) {
                String roomFile = STEMS_DIR + "-" + layout.name() + "/room.wav";
                roomWriter = new AlignedWriter(AudioFileWriter.create(out.staged(roomFile), placedFormat,
                        s.stemFormat(), placedOpts), latency, outFrames, layout.channelCount(), block, null);
                outputNames.put(roomWriter.writer(), roomFile);
                result.outputs.put(roomFile, null);
            }
            stemInArr = stemIn.toArray(new AudioBuffer[0]);
            stemOutArr = stemOut.toArray(new AudioBuffer[0]);
            roomOut = new AudioBuffer(layout.channelCount(), block);
            mix = new AudioBuffer(layout.channelCount(), block);
            master.begin(outFrames);
            premasterWriter = new AlignedWriter(master, latency, outFrames, layout.channelCount(), block, null);
        }

        @Override
        public void write(List<float[][]> stems, int offset, int count) throws IOException {
            placedFrames += count;
            if (placedFrames >= inputFrames / 2) startHalfWay();
            int pos = 0;
            while (pos < count) {
                int n = Math.min(block, count - pos);
                for (int k = 0; k < names.size(); k++) {
                    AudioBuffer in = stemIn.get(k);
                    in.setFrames(n);
                    float[][] src = stems.get(k);
                    for (int c = 0; c < in.channels(); c++) System.arraycopy(src[c], offset + pos, in.channel(c), 0, n);
                    stemWriters.get(k).write(in);
                    commits.wrote(stemWriters.get(k));
                    stemPictures.get(k).add(in.data(), 0, n);
                }
                runChains(n);
                pos += n;
            }
        }

        /**
         * Starts, once, on the side pool: the report's room analysis (when there is a room), the input's checksum
         * ({@link InputChecksum}) and the report's speaker diagram (drawn at the end, it was about 50 ms of the
         * render's last, single-threaded stretch). The room analysis ran at the render's start before session 15:
         * its own transforms (one forward and seven inverse FFTs of 2^18 points for a 2.5 s room) then ran in the
         * interpreter, as separation had not yet had its FFT kernels compiled (a cold analysis of the bench render's
         * room cost 0.49 CPU-s, one after separation's transforms 0.18-0.23). Half-way through the input they are
         * compiled, and all three still end long before the render does. Also Jackson's set-up for render.json
         * ({@link RenderManifest#prepare}), which would otherwise fall in the render's last, single-threaded stretch.
         */
        private void startHalfWay() throws IOException {
            if (halfWayStarted) return;
            halfWayStarted = true;
            if (room != null) ReportWriter.startEarly(result, roomSection(room(room)), side);
            inputSha.start();
            ReportWriter.startSpeakerDiagramEarly(result, layout, side);
            side.submit(() -> RenderManifest.prepare(s.preset())); // a warm-up: its failure, if any, is write's at the end
        }

        private void runChains(int n) throws IOException {
            mix.setFrames(n);
            mix.clear();
            chains.process(stemInArr, stemOutArr, roomOut);
            for (int k = 0; k < names.size(); k++) {
                AudioBuffer o = stemOutArr[k];
                placedWriters.get(k).write(o);
                commits.wrote(placedWriters.get(k).writer());
                mix.addFrom(o, 1f); // fixed order: the separator's stem order
            }
            if (roomWriter != null) {
                roomWriter.write(roomOut);
                commits.wrote(roomWriter.writer());
            }
            mix.addFrom(roomOut, 1f);
            premasterWriter.write(mix);
        }

        /**
         * {wall, this thread's CPU} seconds of {@link #end}: what the render does after separation's last block (the
         * room's tail through every chain, the master stage's last blocks), for --timings.
         */
        final double[] endSeconds = new double[2];

        @Override
        public void end() throws IOException {
            try {
                timed(endSeconds, () -> {
                    endOfStream();
                    return null;
                });
            } catch (StemroomException e) {
                throw new IOException(e.getMessage(), e); // (endOfStream throws none: the timing's signature)
            }
        }

        private void endOfStream() throws IOException {
            // the separated stems are complete: their commits (fsync) and their report pictures run beside the
            // room's tail (the pictures were drawn after it, when the other core had little else left to do)
            for (AudioFileWriter w : stemWriters) commit(w);
            for (int k = 0; k < names.size(); k++) {
                result.thumbnails.put(STEMS_DIR + "/" + names.get(k) + ".wav", stemPictures.get(k).finish());
            }
            ReportWriter.startStemPicturesEarly(result, side);
            startHalfWay(); // an input shorter than its header said
            // Flush latency and the room's tail with silence.
            while (premasterWriter.remaining() > 0) {
                for (AudioBuffer in : stemIn) {
                    in.setFrames(block);
                    in.clear();
                }
                runChains(block);
            }
            for (AlignedWriter w : placedWriters) commit(w.writer());
            if (roomWriter != null) commit(roomWriter.writer());
            if (master.inStream()) master.finish(progress);
        }

        /** Hands a finished output to the commit pool under its name in the output folder. */
        private void commit(AudioFileWriter w) {
            commits.commit(w, outputNames.get(w));
        }
    }

    /**
     * Commits finished outputs on threads of its own. A commit ends with an fsync of the whole file (hundreds of MB
     * for a render's stems, placed stems and room), which waits on the disk, not the CPU: one after another at the
     * end of the render they held up everything after them (measured on this machine, 10 files of 46 MB: 0.55 s one
     * after another, 0.39 s side by side). Here they run side by side, beside the room's tail, the mix's own commit
     * and the report's pictures. The files' bytes and checksums are the same whichever thread commits them.
     *
     * <p>Write-back as the files grow ({@link #wrote}): the kernel starts writing dirty pages to the disk only when
     * they are 30 s old or 10 % of memory, so a one-minute render's ~500 MB were all still in memory at its end, and
     * the commits' fsyncs waited for all of it there (fsync of 450 MB here: 0.53 s), after separation, on the render's
     * wall clock. Now each output is forced on a pool thread every {@link #WRITE_BACK_BYTES} while the render runs
     * (core's {@link WriteBack}, which WriteBehind's files use too), so its commit only waits for the last stretch.
     * The writing thread never waits for a force; a commit waits for its file's force under way (and fails with its
     * error). The stretch is 16 MB here (ten files written at once; the final fsyncs 0.008-0.05 s each by strace,
     * session 11) against WriteBehind's 4 MiB (one file, measured on convolve).
     */
    static final class CommitPool implements AutoCloseable {
        /**
         * Enough to keep the disk's queue full and to start a render's last commits together (each placed stem, the
         * room and the mix: six for four stems, when the last block is out): with four threads the sixth waited for
         * a thread, its fsync after the others' (the bench render under strace: the room's 16 ms after the batch's 20,
         * on the render's wall clock; docs/render-speed-history.md, session 35). The threads mostly wait.
         */
        private static final int THREADS = 8;
        /** Bytes written between forces of one output. */
        static final long WRITE_BACK_BYTES = 16L << 20;

        private final ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "stemroom-render-commit");
            t.setDaemon(true);
            return t;
        });
        private final List<String> names = new ArrayList<>();
        private final List<Future<String>> sums = new ArrayList<>();
        /** Each written output's write-back (used by the writing thread only). */
        private final Map<AudioFileWriter, WriteBack> writeBacks = new java.util.IdentityHashMap<>();

        /**
         * Called by the writing thread after writing to {@code w}: forces what it holds on a pool thread when
         * {@link #WRITE_BACK_BYTES} more were written since the last force and that force has finished
         * ({@link WriteBack}).
         */
        void wrote(AudioFileWriter w) {
            WriteBack b = writeBacks.get(w);
            if (b == null) writeBacks.put(w, b = new WriteBack(w, WRITE_BACK_BYTES, pool));
            b.wrote();
        }

        /** Forces started so far, over every output (tests; the writing thread's own). */
        int forcesStarted() {
            int n = 0;
            for (WriteBack b : writeBacks.values()) n += b.forcesStarted();
            return n;
        }

        /** Commits and closes {@code w} (the output {@code name}) on the pool; its checksum comes to {@link #await}. */
        void commit(AudioFileWriter w, String name) {
            WriteBack b = writeBacks.remove(w);
            names.add(name);
            sums.add(pool.submit(() -> {
                try {
                    if (b != null) b.await(); // a writer is committed and closed only when no force runs on it
                    w.commit();
                    return w.sha256();
                } finally {
                    w.close();
                }
            }));
        }

        /**
         * Waits for every commit and puts each output's checksum (null: its writer took none, hashed from the file
         * later) into {@code outputs}; the first failure is thrown.
         */
        void await(Map<String, String> outputs) throws IOException {
            for (int i = 0; i < names.size(); i++) outputs.put(names.get(i), get(sums.get(i)));
            names.clear();
            sums.clear();
        }

        /** Waits until no commit runs any more (a failed render's staging folder is cleared after this). */
        @Override
        public void close() {
            pool.shutdown();
            try {
                pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Laps of the stages of a render: wall clock and, when asked for, the CPU time of the whole process (all threads;
     * NaN otherwise).
     */
    static final class Stopwatch {
        private final Map<String, double[]> laps = new LinkedHashMap<>();
        private final boolean cpu;
        private long last = System.nanoTime();
        private long lastCpu;

        Stopwatch(boolean cpu) {
            this.cpu = cpu;
            lastCpu = cpu ? processCpuNanos() : 0;
        }

        void lap(String name) {
            long now = System.nanoTime();
            long cpuNow = cpu ? processCpuNanos() : 0;
            double[] l = laps.computeIfAbsent(name, k -> new double[2]);
            l[0] += (now - last) * 1e-9;
            l[1] = cpu ? l[1] + (cpuNow - lastCpu) * 1e-9 : Double.NaN;
            last = now;
            lastCpu = cpuNow;
        }

        Map<String, double[]> laps() { return laps; }

        static long processCpuNanos() {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean
                    ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
        }
    }

    /** Everything a render produced and measured (render.json and the report are written from this). */
    public static final class RenderResult {
        public final Path outDir;
        public final RenderSettings settings;
        /** The input file's SHA-256 (set once the render has it: it is computed beside the render). */
        public String inputSha256;
        public final AudioFormat inputFormat;
        public final long inputFrames;
        /** Output file (relative path) to its SHA-256, in the order written. */
        public final Map<String, String> outputs = new LinkedHashMap<>();
        public final Map<String, org.stemroom.presets.StemSettings> placements = new LinkedHashMap<>();
        public final Map<String, StreamStats> stemStats = new LinkedHashMap<>();
        public StreamStats inputStats;
        public StreamStats mixStats;
        public Double loudnessTarget;
        public double premasterLufs = Double.NaN;
        public double masterGainDb;
        public double limiterMinGainDb;
        public int latencyFrames;
        public long tailFrames;
        public double seconds;
        /** The report's pictures, taken from the streams: "input", and each stem's and the mix's file name. */
        public final Map<String, AudioThumbnail> thumbnails = new java.util.concurrent.ConcurrentHashMap<>();
        /** The fold-down check of a surround mix against the input (null for stereo). */
        public org.stemroom.spatial.FoldDownCheck.Report foldDown;
        /** The Lt/Rt encode's check against the input (null for stereo and layouts without an Lt/Rt encode). */
        public org.stemroom.spatial.FoldDownCheck.Report ltRt;
        /** Linear sample and true peak of the Lt/Rt encode of the whole mix (NaN without one). */
        public double ltRtSamplePeak = Double.NaN, ltRtTruePeak = Double.NaN;
        /** Largest |sum of the stems - input| as the stems came out of the separator (NaN: not measured). */
        public double mixtureError = Double.NaN;
        /** {wall, CPU} seconds of each stage, in order (for --timings; not part of render.json). */
        public final Map<String, double[]> stageSeconds = new LinkedHashMap<>();
        /** {wall, CPU} seconds of the report's tasks, by task (for --timings). */
        public final Map<String, double[]> reportTaskSeconds = new java.util.concurrent.ConcurrentHashMap<>();
        /** The report's parts under way, by task: some start while the render runs ({@link ReportWriter#startEarly}). */
        public final Map<String, Future<String>> reportParts = new java.util.concurrent.ConcurrentHashMap<>();

        RenderResult(Path outDir, RenderSettings settings, AudioFormat inputFormat, long frames) {
            this.outDir = outDir;
            this.settings = settings;
            this.inputFormat = inputFormat;
            this.inputFrames = frames;
        }

        public Path mixFile() {
            for (String k : outputs.keySet()) if (k.startsWith("mix-")) return outDir.resolve(k);
            throw new IllegalStateException("no mix");
        }
    }
}
