package org.stemroom.plugin;

import static org.stemroom.plugin.PluginParameters.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.StreamingSeparator;

/**
 * The Java half of one plugin instance, called by the C shim through JNI (see src/main/c/jvm.c for the
 * method table; signatures here must not change without it).
 *
 * <p>Threads: {@link #process} runs on the host's audio thread and touches only what {@link #setup}
 * allocated: it takes no lock, allocates nothing, does no I/O, and never lets an exception escape (it
 * returns -1 and the shim falls back to pass-through). Everything else runs on the shim's JVM control
 * thread, one call at a time. Structural parameter changes (room, layout, separation) that arrive through
 * automation are rebuilt by a background thread and swapped in at the start of a block.
 *
 * <p>Why JNI and not JNA callbacks for this path: the shim must call into Java to bootstrap anyway, a JNI
 * call from an attached audio thread costs about 61 ns against 21-24 µs for a default JNA callback, and
 * loading JNA inside the host costs about 140 ms and unpacks a native library under ~/.cache (all measured
 * on this machine, issue 7). JNA is used by the Java test host instead, which loads bundles in a JVM.
 */
public final class PluginInstance {
    private static final int MAX_CHANGES = 2048;
    /** Byte offset, in the change buffer, of the engine's late-block count (the shim shows it in the status). */
    static final int LATE_SLOT = MAX_CHANGES * 16;
    private static final int MAX_DELAY = 1 << 19; // above the separated engine's latency up to 192 kHz

    private final String resourcesDir;
    private final PluginState state = new PluginState();
    private final double[] live = state.normalized();
    private volatile String status = "not started";
    private volatile String separatorWarning;
    private volatile Throwable failure;
    private volatile PluginEngine lateEngine; // the engine warmed up, and its late blocks then
    private volatile long lateOffset;

    // set up by setup(), used by process()
    private int maxBlock;
    private int rate;
    private AudioFormat inFormat;
    private ChannelLayout busLayout;
    private FloatBuffer io;
    private ByteBuffer changes;
    private AudioBuffer in, out, segIn, segOut;
    private int inCh, outCh;
    private final int[] chOffset = new int[MAX_CHANGES];
    private final int[] chId = new int[MAX_CHANGES];
    private final double[] chValue = new double[MAX_CHANGES];
    private final int[] order = new int[MAX_CHANGES];
    private int[] map;                 // bus channel <- engine channel, -1 = silent
    private float[][] dryRing;         // input history for bypass, MAX_DELAY frames
    private int dryPos;
    private double bypassTarget, bypassCurrent, bypassStep;

    private PluginEngine engine;
    private volatile PluginEngine retired;  // replaced engine whose threads the rebuilder stops
    private boolean offlineMode;            // VST3 kOffline: engines may wait for their workers
    private static final int K_OFFLINE = 2;
    /** An engine built off the audio thread with the buffers that go with it, published whole. */
    private record Prepared(PluginEngine engine, AudioBuffer segOut, int[] map) {
    }

    private final java.util.concurrent.atomic.AtomicReference<Prepared> pendingRef =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean rebuildWanted;
    private int reportedLatency;
    private Thread rebuilder;

    static {
        // The first preset parse (Jackson's parser base class) initializes java.math.BigDecimal, whose class
        // initializer on Java 25 computes a large power table in the interpreter: 120-230 ms at load 10, on the
        // control thread in the middle of the host's first state restore. Loading this class runs right after the
        // JVM starts, so a helper starts that initialization at once, beside the JVM's and the shim's own start-up;
        // the control thread then finds it done (or waits on the class's init lock, never doing it twice).
        // BigDecimal's initializer uses only java.base, so this cannot deadlock against the control thread's own
        // class initialization.
        Thread t = new Thread(() -> java.math.BigDecimal.ONE.signum(), "stemroom-preload");
        t.setDaemon(true);
        t.start();
    }

    private PluginInstance(String resourcesDir) {
        this.resourcesDir = resourcesDir;
        String natives = resourcesDir + "/onnxruntime-native";
        if (System.getProperty("onnxruntime.native.path") == null && new java.io.File(natives).isDirectory()) {
            System.setProperty("onnxruntime.native.path", natives);
        }
    }

    /** Called by the shim once per plugin instance. */
    public static PluginInstance create(String resourcesDir) {
        return new PluginInstance(resourcesDir);
    }

    /** For tests and the offline reference: an instance outside any host. */
    public static PluginInstance standalone() {
        return new PluginInstance(".");
    }

    /**
     * Prepares for processing. {@code inArr}/{@code outArr} are VST3 speaker arrangements (bit 19 = mono).
     * Returns the latency in frames, or -1 with the reason in {@link #status()}.
     */
    public synchronized int setup(double sampleRate, int maxBlockFrames, long inArr, long outArr, int processMode,
                                  ByteBuffer ioBuffer, ByteBuffer changeBuffer) {
        try {
            rate = (int) Math.round(sampleRate);
            maxBlock = maxBlockFrames;
            inCh = Long.bitCount(inArr);
            outCh = Long.bitCount(outArr);
            ChannelLayout inLayout = inArr == (1L << 19) ? ChannelLayout.MONO : ChannelLayout.STEREO;
            inFormat = new AudioFormat(rate, inLayout);
            busLayout = ChannelLayout.fromWaveMask((int) outArr, outCh);
            io = ioBuffer == null ? null : ioBuffer.order(ByteOrder.nativeOrder()).asFloatBuffer();
            changes = changeBuffer == null ? null : changeBuffer.order(ByteOrder.nativeOrder());
            in = new AudioBuffer(inCh, maxBlock);
            out = new AudioBuffer(outCh, maxBlock);
            segIn = new AudioBuffer(inCh, maxBlock);
            dryRing = new float[inCh][MAX_DELAY];
            bypassStep = 1.0 / (0.010 * rate);
            bypassTarget = bypassCurrent = live[BYPASS] >= 0.5 ? 1 : 0;
            offlineMode = processMode == K_OFFLINE;
            closeRetired();
            Prepared stale = pendingRef.getAndSet(null);
            if (stale != null) stale.engine().close();
            if (engine != null) engine.close();
            engine = null;
            install(prepare(buildEngine()));
            retired = null;
            reportedLatency = engine.latencyFrames();
            status = running();
            failure = null;
            startRebuilder();
            return reportedLatency;
        } catch (StemroomException | RuntimeException e) {
            status = e.getMessage() == null ? e.toString() : e.getMessage();
            return -1;
        }
    }

    private ChannelLayout renderLayout() {
        int idx = (int) PluginParameters.get(LAYOUT).toPlain(live[LAYOUT]);
        return idx == 0 ? busLayout : ChannelLayout.byName(LAYOUTS.get(idx));
    }

    private PluginEngine buildEngine() throws StemroomException {
        ChannelLayout layout = renderLayout();
        if (layout.name().equals("stereo") || layout.name().equals("5.1") || layout.name().equals("7.1")) {
            state.setLayout(layout.name());
        }
        separatorWarning = null;
        return EngineFactory.create(state, inFormat, layout, maxBlock, w -> separatorWarning = w);
    }

    /** Output mapping and scratch buffers for an engine (allocates: never on the audio thread). */
    private Prepared prepare(PluginEngine e) {
        return new Prepared(e, new AudioBuffer(e.outputFormat().channels(), maxBlock),
                channelMap(e.outputFormat().layout(), busLayout));
    }

    private void install(Prepared p) {
        PluginEngine old = engine;
        if (old != null && old != p.engine()) retired = old; // closed off the audio thread
        engine = p.engine();
        engine.offline(offlineMode);
        segOut = p.segOut();
        map = p.map();
    }

    /** Bus channel -> engine channel by speaker; channels the bus lacks are dropped, missing ones silent. */
    static int[] channelMap(ChannelLayout engineLayout, ChannelLayout bus) {
        int[] m = new int[bus.channelCount()];
        for (int b = 0; b < m.length; b++) {
            m[b] = bus.isSpeakerLayout() && engineLayout.isSpeakerLayout()
                    ? engineLayout.indexOf(bus.speakers().get(b))
                    : (b < engineLayout.channelCount() ? b : -1);
        }
        return m;
    }

    /**
     * One block: reads {@code frames} input frames per channel from the shared buffer, applies the
     * {@code changeCount} parameter points at their sample offsets, writes the output. Returns 0, or
     * {@code 1 + latency} when a rebuilt engine changed the latency (the shim asks the host to restart), or -1
     * on failure.
     */
    public int process(int frames, int changeCount, int processMode) {
        try {
            int rc = 0;
            boolean off = processMode == K_OFFLINE;
            if (off != offlineMode) {
                offlineMode = off;
                engine.offline(off);
            }
            Prepared p = pendingRef.getAndSet(null);
            if (p != null) {
                install(p);
                int lat = p.engine().latencyFrames();
                if (lat != reportedLatency) {
                    reportedLatency = lat;
                    rc = 1 + lat;
                }
            }
            int block = maxBlock;
            for (int c = 0; c < inCh; c++) io.get(c * block, in.channel(c), 0, frames);
            in.setFrames(frames);
            int n = readChanges(changeCount);
            int pos = 0;
            int next = 0;
            while (pos < frames) {
                while (next < n && chOffset[order[next]] <= pos) apply(order[next++]);
                int end = next < n ? Math.min(chOffset[order[next]], frames) : frames;
                if (end > pos) processSegment(pos, end - pos);
                pos = end;
            }
            while (next < n) apply(order[next++]);
            for (int c = 0; c < outCh; c++) io.put((inCh + c) * block, out.channel(c), 0, frames);
            if (changes.capacity() >= LATE_SLOT + 8) changes.putLong(LATE_SLOT, lateBlocks());
            return rc;
        } catch (Throwable t) {
            failure = t;
            return -1;
        }
    }

    private int readChanges(int count) {
        int n = Math.min(count, MAX_CHANGES);
        for (int i = 0; i < n; i++) {
            chId[i] = changes.getInt(16 * i);
            chOffset[i] = changes.getInt(16 * i + 4);
            chValue[i] = changes.getDouble(16 * i + 8);
            // insertion sort by offset, stable: points of one queue keep their order
            int j = i;
            while (j > 0 && chOffset[order[j - 1]] > chOffset[i]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return n;
    }

    private void apply(int k) {
        int id = chId[k];
        if (id < 0 || id >= STATUS) return;
        double v = chValue[k];
        double old = live[id];
        live[id] = v;
        Param p = PluginParameters.get(id);
        if (id == BYPASS) {
            bypassTarget = v >= 0.5 ? 1 : 0;
        } else if (p.structural()) {
            if (p.toPlain(old) != p.toPlain(v)) rebuildWanted = true;
        } else {
            engine.setParameter(id, p.toPlain(v));
        }
    }

    private void processSegment(int off, int len) {
        for (int c = 0; c < inCh; c++) System.arraycopy(in.channel(c), off, segIn.channel(c), 0, len);
        segIn.setFrames(len);
        engine.process(segIn, segOut);
        int latency = reportedLatency;
        for (int b = 0; b < outCh; b++) {
            float[] dst = out.channel(b);
            int e = map[b];
            if (e >= 0) System.arraycopy(segOut.channel(e), 0, dst, off, len);
            else Arrays.fill(dst, off, off + len, 0f);
        }
        // bypass: the input, delayed by the reported latency, cross-faded in over 10 ms
        int pos = dryPos;
        for (int i = 0; i < len; i++) {
            double bc = bypassCurrent;
            if (bc != bypassTarget) {
                bc = bypassTarget > bc ? Math.min(bypassTarget, bc + bypassStep) : Math.max(bypassTarget, bc - bypassStep);
                bypassCurrent = bc;
            }
            int read = (pos - latency) & (MAX_DELAY - 1);
            for (int c = 0; c < inCh; c++) dryRing[c][pos] = segIn.channel(c)[i];
            if (bc != 0) {
                for (int b = 0; b < outCh; b++) {
                    float dry = b < inCh ? dryRing[b][read] : 0f;
                    float[] dst = out.channel(b);
                    dst[off + i] = (float) ((1 - bc) * dst[off + i] + bc * dry);
                }
            }
            pos = (pos + 1) & (MAX_DELAY - 1);
        }
        dryPos = pos;
    }

    /**
     * Runs the audio path until it is compiled, then clears every state it touched. The input is seeded noise at
     * -20 dBFS, not silence: code compiled on silence takes other branches (the spatializer's denormal guard, the
     * room's output ring wrapping only once signal has flowed long enough), and the JIT then deoptimizes it on the
     * audio thread at the first real signal (seen in the bench: 4.5 ms blocks of interpreted code). Bounded by the
     * number of calls (the work the JIT needs does not shrink when the machine is busy: a wall-clock bound cut it to
     * 31 calls at load 30), with a 3 s wall-clock cap so a starved machine cannot hold the host's set-up forever.
     *
     * <p>Both of the audio thread's paths run in a session (blocks the separator's worker was late for, served by its
     * fallback, and blocks read from the worker's stems; real-time and offline mode), and C2 compiles a branch that
     * its profile never saw taken as a trap that deoptimizes the compiled code on the audio thread the first time it
     * is taken. The profile C2 compiles from is not the whole warm-up: only calls made at the profiling tier (C1 tier
     * 3) count, and the JIT keeps a method at its non-profiling tier 2 while the C2 queue is long, which during a
     * cold start it is. A warm-up run as two halves (all late, then all read from the worker) was therefore
     * profiled, at load, in its second half only: seen as StreamingSeparator.process's unstable_if at bytecode 213
     * (the stems-written test) deoptimized at the session's first late block; and a stream's blocks before its
     * latency, which come only at its start, at bytecode 161 on the session's first block. So the warm-up alternates
     * short runs of each kind for all its calls: {@link #WARM_LATE_RUN} late blocks in real-time mode, then
     * {@link #WARM_OFFLINE_RUN} offline blocks that wait for the worker, and every few runs a stream restarted (its
     * blocks before the latency), though not before its rings have wrapped (their wrapping branches: seen at
     * SpscRing's read and write when every run restarted). Any stretch of a few hundred calls, the least the profiling
     * tier runs before C2 compiles, sees every path. An engine with a {@linkplain PluginEngine#warmUpTwin warm-up
     * twin} is warmed up through it, its worker held for the real-time runs and let go for the offline ones, so no
     * run waits for the real worker to separate seconds of audio with cold code (it was 0.65-1.1 s of the cold start).
     * The real worker warms its own code up afterwards, on a window of noise, while the host starts playback and the
     * stream's first window of input arrives ({@link PluginEngine#warmWorker}); its first windows can still be late
     * on a busy machine (served by the counted fallback; an export waits and stays exact).
     */
    public synchronized void warmUp(int calls, int frames) {
        warmUp(calls, frames, null);
    }

    /** Late blocks per real-time run of the warm-up, and calls per offline run (see {@link #warmUp(int, int)}). */
    static final int WARM_LATE_RUN = 8, WARM_OFFLINE_RUN = 24;

    /** What each warm-up call did (tests): its mode, whether its engine served it late, whether it restarted the twin. */
    interface WarmUpProbe {
        void call(boolean offline, boolean late, boolean restarted);
    }

    synchronized void warmUp(int calls, int frames, WarmUpProbe probe) {
        StartupTrace trace = StartupTrace.start();
        long deadline = System.nanoTime() + 3_000_000_000L;
        float[] noise = new float[frames];
        long seed = 0x5EEDL;
        boolean mode = offlineMode;
        PluginEngine real = engine;
        PluginEngine.WarmUpTwin twin = real == null ? null : real.warmUpTwin();
        if (twin != null) engine = twin.engine(); // its worker starts held
        int done = 0, runCalls = 0;
        boolean off = false;
        long runLate = 0, late = 0, streamFrames = 0;
        // A restart empties the twin's rings, whose wrapping branches the session runs too: restart only once they
        // have wrapped twice (a ring holds at most the twin's latency, its window, itself under the latency, and four
        // blocks: 15,744 frames for 512-frame blocks, about 250 calls of 64 frames)
        long restartFrames = twin == null ? 0 : 2L * (2L * twin.engine().latencyFrames() + 4L * maxBlock);
        int autoId = -1, autoParam = -1; // the parameter the warm-up's automation has moved, and the next to move
        double autoWas = 0;
        try {
            // a parameter moved away is always moved back, past the cap if need be (at most an offline run's calls)
            for (; (done < calls && System.nanoTime() < deadline) || autoId >= 0; done++) {
                for (int c = 0; c < inCh; c++) {
                    seed = StreamingSeparator.warmUpNoise(noise, seed);
                    io.put(c * maxBlock, noise, 0, frames);
                }
                // a real-time run ends after its late blocks (an engine without a twin has none: after as many calls
                // as an offline run); the twin's worker goes while the audio thread waits for it, offline, and is held
                // for the real-time runs, some of which restart its stream (its blocks before the latency come again)
                boolean restart = false;
                if (off ? runCalls >= WARM_OFFLINE_RUN
                        : twin != null ? engine.lateBlocks() - runLate >= WARM_LATE_RUN : runCalls >= WARM_OFFLINE_RUN) {
                    off = !off;
                    runCalls = 0;
                    if (twin != null) {
                        restart = !off && streamFrames >= restartFrames;
                        (off ? twin.deliver() : restart ? twin.restart() : twin.hold()).run();
                        if (restart) streamFrames = 0;
                    }
                    runLate = engine.lateBlocks(); // a restarted stream counts from 0
                }
                // Automation: the first point of a session ran its readers and the chains' glides for the first time
                // on the audio thread (6-8 deoptimizations there, seen with the bench's host and a changes file). So
                // each offline run moves one continuous parameter mid-block and moves it back, exactly, 10 calls later:
                // the glide (10 ms) has ended before the run does, and reset() below leaves every chain on its target.
                int points = 0;
                if (off && changes != null && runCalls == 2 && autoId < 0) {
                    do autoParam = (autoParam + 1) % STATUS;
                    while (autoParam == BYPASS || PluginParameters.get(autoParam).structural());
                    autoId = autoParam;
                    autoWas = live[autoId];
                    points = changePoint(autoId, frames / 2, autoWas < 0.5 ? autoWas + 0.25 : autoWas - 0.25);
                } else if (autoId >= 0 && (runCalls == 12 || !off)) {
                    points = changePoint(autoId, frames / 3, autoWas);
                    autoId = -1;
                }
                long before = engine == null ? 0 : engine.lateBlocks();
                if (process(frames, points, off ? K_OFFLINE : 0) < 0) break;
                runCalls++;
                streamFrames += frames;
                boolean wasLate = engine != null && engine.lateBlocks() > before;
                if (wasLate) late++;
                if (probe != null) probe.call(off, wasLate, restart);
            }
        } finally {
            engine = real;
            if (twin != null) twin.engine().close();
        }
        offlineMode = mode;
        if (engine != null) engine.offline(mode);
        reset();
        // the real worker's code: compiled on noise while the host starts playback and the first window's input
        // arrives (a second of audio), not in this set-up, whose cold start it would lengthen
        if (engine != null) engine.warmWorker();
        trace.mark("warm-up (" + done + " calls of " + frames + " frames, " + late + " late"
                + (twin != null ? ", on the warm-up twin)" : ")"));
        // the warm-up runs unpaced, so the separator's worker is late for most of it: not the user's blocks
        lateEngine = engine;
        lateOffset = engine == null ? 0 : engine.lateBlocks();
        if (changes != null && changes.capacity() >= LATE_SLOT + 8) changes.putLong(LATE_SLOT, 0);
    }

    /** Writes one parameter change into the change buffer's first slot, as the shim does; returns the count (1). */
    private int changePoint(int id, int offset, double value) {
        changes.putInt(0, id);
        changes.putInt(4, offset);
        changes.putDouble(8, value);
        return 1;
    }

    public synchronized void reset() {
        if (engine != null) engine.reset();
        if (dryRing != null) for (float[] r : dryRing) Arrays.fill(r, 0f);
        dryPos = 0;
        bypassCurrent = bypassTarget;
    }

    public synchronized int latency() {
        Prepared p = pendingRef.get();
        return p != null ? p.engine().latencyFrames() : engine != null ? engine.latencyFrames() : 0;
    }

    public synchronized long tail() {
        Prepared pp = pendingRef.get();
        PluginEngine p = pp != null ? pp.engine() : engine;
        return p == null ? 0 : p.tailFrames();
    }

    public synchronized byte[] getState() {
        return state.save();
    }

    /** Restores a saved preset; 0 on success, -1 (state unchanged, reason in {@link #status()}) if invalid. */
    public synchronized int setState(byte[] json) {
        try {
            StartupTrace trace = StartupTrace.start();
            state.load(json); // parses and validates first: an invalid preset leaves the state as it was
            trace.mark("state restored (" + json.length + " bytes)");
            if (inFormat != null) rebuildNow();
            return 0;
        } catch (StemroomException | RuntimeException e) {
            status = "state not restored: " + e.getMessage();
            return -1;
        }
    }

    public double getParam(int id) {
        return live[id];
    }

    /** A controller edit while the host is not processing (automation comes through {@link #process}). */
    public synchronized void setParam(int id, double value) {
        if (id < 0 || id >= STATUS) return;
        double old = live[id];
        live[id] = value;
        Param p = PluginParameters.get(id);
        if (id == BYPASS) {
            bypassTarget = value >= 0.5 ? 1 : 0;
        } else if (engine != null) {
            if (p.structural()) {
                if (p.toPlain(old) != p.toPlain(value)) rebuildNow();
            } else {
                engine.setParameter(id, p.toPlain(value));
            }
        }
    }

    private void closeRetired() {
        PluginEngine r = retired;
        if (r != null) {
            retired = null;
            r.close();
        }
    }

    private void rebuildNow() {
        try {
            Prepared old = pendingRef.getAndSet(prepare(buildEngine()));
            if (old != null) old.engine().close(); // never installed
            status = running();
        } catch (StemroomException | RuntimeException ex) {
            status = "engine not rebuilt: " + ex.getMessage();
        }
    }

    private void startRebuilder() {
        if (rebuilder != null) return;
        rebuilder = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                closeRetired();
                if (rebuildWanted) {
                    rebuildWanted = false;
                    synchronized (this) {
                        rebuildNow();
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stemroom-rebuild");
        rebuilder.setDaemon(true);
        rebuilder.start();
    }

    /** "running", with the reason when the separator runs a fallback (the neural model could not be used). */
    private String running() {
        String w = separatorWarning;
        return w == null ? "running" : "running; " + w;
    }

    /** The status line, with the blocks the separator's fallback served because its worker was late. */
    public String status() {
        Throwable f = failure;
        if (f != null) return "engine failed: " + f;
        long late = lateBlocks();
        return late > 0 ? status + "; " + late + " late blocks (separator fallback)" : status;
    }

    /** Blocks served by the separator's fallback since the engine was built, warm-up excluded (0 without a separator). */
    public long lateBlocks() {
        PluginEngine e = engine;
        if (e == null) return 0;
        return e == lateEngine ? e.lateBlocks() - lateOffset : e.lateBlocks();
    }

    public synchronized void release() {
        if (rebuilder != null) rebuilder.interrupt();
        rebuilder = null;
        closeRetired();
        if (engine != null) engine.close();
        Prepared stale = pendingRef.getAndSet(null);
        if (stale != null) stale.engine().close();
        engine = null;
    }

    /** The state behind this instance (tests, offline reference). */
    public PluginState state() {
        return state;
    }

    String resourcesDir() {
        return resourcesDir;
    }
}
