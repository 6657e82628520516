package org.stemroom.separation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.BiquadCascade;
import org.stemroom.core.dsp.LinkwitzRiley;

/**
 * Any {@link Separator} for real-time hosts. The audio thread only copies: its input goes into a preallocated
 * lock-free ring, and it reads the stems from rings a worker thread fills, {@link #latencyFrames()} later. The
 * worker separates the stream on the {@link Separation}'s own {@link WindowGrid} with the same per-window code
 * ({@link Separation#separateWindow}), so in {@linkplain #offline(boolean) offline mode} (the audio thread waits for
 * the worker, as in a DAW's offline export) the output is bit for bit what {@code stemroom render} separates from
 * the same input (the input followed by silence), delayed by the latency.
 *
 * <p>Real-time mode never waits: when the worker has not delivered a block in time, that block is a cheap
 * model-free split of the delayed mixture (its low band below 200 Hz, by a Linkwitz-Riley low-pass, to
 * {@code bass} when there is such a stem, the rest to {@code other} or the last stem) and
 * {@link #lateBlocks()} counts it. Either way the stems sum to the delayed mixture.
 *
 * <p>Output: one buffer of {@code stems x channels} channels, stem-major ({@code vocals.L, vocals.R, drums.L,
 * ...}); {@link #outputFormat()} names them. {@link #prepare} allocates everything and starts the worker;
 * {@code process} and {@link #reset} allocate nothing and take no lock ({@code reset} hands the worker a new epoch
 * through a volatile counter; until the worker has acknowledged it, blocks are served as late); {@link #close}
 * stops the worker. The worker itself reuses its window buffers; what it allocates is the separator's own business
 * (the model-free recipe reuses its working memory from window to window, see {@code MaskCascade}).
 */
public final class StreamingSeparator implements AudioProcessor, AutoCloseable {
    private final Separation separation;
    private final List<String> stems;
    private final double marginSeconds;

    private AudioFormat inFormat;
    private AudioFormat outFormat;
    private int channels;
    private WindowGrid grid;
    private int latency;
    private SpscRing input;
    private SpscRing output;
    private volatile long framesIn;
    private volatile long lateBlocks;
    private volatile long windowsDone;
    private volatile boolean warmPending;
    private volatile int windowsWarmed;
    private volatile boolean offline;
    private volatile boolean running;
    private volatile String workerError;
    /** Bumped by {@link #reset}; the worker answers in {@link #workerEpoch} once it has restarted its grid. */
    private volatile int epoch;
    private volatile int workerEpoch;
    private Thread worker;
    // audio-thread scratch
    private float[][] mixBlock;
    private float[][] stemBlock;
    private float[] low;
    private BiquadCascade[] lowPass;
    private int bassIndex, fallbackIndex;
    // worker scratch
    private float[][] windowBuf;
    private AudioClip windowClip;
    private float[][][] tail;
    private float[][] block;
    private List<float[][]> data;

    /**
     * Streams {@code separation} on its own window grid ({@link Separation#grid}), so the plugin's stems equal the
     * render's.
     *
     * @param margin extra latency, in seconds, the worker has to finish a window (latency = window + margin)
     */
    public StreamingSeparator(Separation separation, double margin) {
        if (!(margin >= 0)) throw new IllegalArgumentException("bad streaming margin " + margin + " s");
        this.separation = separation;
        this.stems = separation.outputNames();
        this.marginSeconds = margin;
    }

    public List<String> stemNames() { return stems; }

    /** Offline mode: the audio thread waits for the worker instead of falling back (deterministic output). */
    public void offline(boolean on) { offline = on; }

    /** Blocks served by the model-free fallback because the worker was late. */
    public long lateBlocks() { return lateBlocks; }

    /** The worker's last failure (the fallback is used meanwhile), or null. */
    public String workerError() { return workerError; }

    /** Windows the worker has separated since {@link #prepare}. */
    public long windowsSeparated() { return windowsDone; }

    /**
     * Has the worker separate one window of seeded noise before its stream's first window, and then forget it (the
     * separator's {@code reset()}, as before every stream), so that the separator's code has run, and is partly
     * compiled, before the first real window is due: a worker's first windows otherwise run cold code and can be late.
     * Ask before the stream's input arrives (after {@link #prepare} or {@link #reset}): the plugin asks once its
     * warm-up is done, and the worker then uses the first window's worth of input time, when it would only wait. The
     * output is the same bits. A noise window is asked for once: asking again before it ran changes nothing.
     */
    public void warmWorker() { warmPending = true; }

    /** Noise windows the worker has separated for {@link #warmWorker} since {@link #prepare}. */
    public int windowsWarmed() { return windowsWarmed; }

    /** The worker thread (for allocation and CPU accounting), or null before {@link #prepare}. */
    public Thread workerThread() { return worker; }

    /** The window grid the worker separates on (the render's, for the same separation). */
    public WindowGrid grid() { return grid; }

    @Override
    public void prepare(AudioFormat format, int maxBlockFrames) {
        close();
        inFormat = format;
        channels = format.channels();
        int rate = format.sampleRate();
        grid = separation.grid(rate);
        int window = grid.window();
        latency = window + (int) Math.round(marginSeconds * rate);
        int cap = latency + window + 4 * maxBlockFrames;
        input = new SpscRing(channels, cap);
        output = new SpscRing(channels * stems.size(), cap);
        String[] labels = new String[channels * stems.size()];
        for (int s = 0; s < stems.size(); s++) {
            for (int c = 0; c < channels; c++) labels[s * channels + c] = stems.get(s) + "." + format.layout().label(c);
        }
        outFormat = new AudioFormat(rate, ChannelLayout.named("stems", labels));
        mixBlock = new float[channels][maxBlockFrames];
        stemBlock = new float[channels * stems.size()][maxBlockFrames];
        low = new float[maxBlockFrames];
        lowPass = new BiquadCascade[channels];
        for (int c = 0; c < channels; c++) lowPass[c] = new LinkwitzRiley(rate, 200).lowPass().copy();
        bassIndex = stems.indexOf("bass");
        fallbackIndex = stems.contains("other") ? stems.indexOf("other") : stems.size() - 1;
        if (fallbackIndex == bassIndex && stems.size() > 1) fallbackIndex = 0;
        windowBuf = new float[channels][window];
        windowClip = new AudioClip(format, windowBuf);
        tail = new float[stems.size()][channels][grid.overlap()];
        block = new float[channels * stems.size()][grid.hop()];
        data = new ArrayList<>(stems.size());
        framesIn = 0;
        lateBlocks = 0;
        windowsDone = 0;
        windowsWarmed = 0;
        workerError = null;
        workerEpoch = epoch;
        running = true;
        worker = new Thread(this::work, "stemroom-separation-worker");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void process(AudioBuffer in, AudioBuffer out) {
        int n = in.frames();
        input.write(in.data(), 0, n);
        long start = framesIn - latency; // output frame positions [start, start + n)
        framesIn += n;
        long end = start + n;
        int e = epoch;
        if (offline) {
            while ((workerEpoch != e || output.written() < end) && running && workerError == null) {
                LockSupport.parkNanos(100_000L);
            }
        }
        // the delayed mixture, for the fallback and to keep the fallback filters' state continuous
        long from = Math.max(0, start);
        int lead = (int) (from - start); // frames before time zero: silence
        int k = n - lead;
        for (int c = 0; c < channels; c++) Arrays.fill(mixBlock[c], 0, n, 0f);
        if (k > 0) input.read(from, mixBlock, lead, k);
        float[][] o = out.data();
        // The worker's stems are ready when it has taken the current epoch and written past this block. One test, not
        // two: the compiled code keeps only the branches its profile saw, and the warm-up sees late blocks (nothing
        // written yet) but rarely an epoch the worker has not yet taken (right after a reset, while it still
        // separates the old stream's window). A separate epoch branch then trapped on the first block after the
        // plugin's post-warm-up reset when the worker was slow to answer (PluginBundleIT's deoptimization check, under
        // load: StreamingSeparator.process, unstable_if at the epoch test): the audio path thrown away and run
        // interpreted. Combined, both causes take the one late branch the warm-up profiles.
        int notReady = (workerEpoch ^ e) | (int) ((output.written() - end) >>> 63);
        if (end <= 0 || notReady == 0) {
            for (float[] ch : stemBlock) Arrays.fill(ch, 0, n, 0f);
            if (k > 0 && from >= output.oldest()) output.read(from, stemBlock, lead, k);
            for (int c = 0; c < channels; c++) lowPass[c].process(mixBlock[c], 0, low, 0, n);
            for (int j = 0; j < stemBlock.length; j++) System.arraycopy(stemBlock[j], 0, o[j], 0, n);
        } else {
            lateBlocks = lateBlocks + 1; // single writer: the audio thread
            for (int j = 0; j < o.length; j++) Arrays.fill(o[j], 0, n, 0f);
            for (int c = 0; c < channels; c++) {
                lowPass[c].process(mixBlock[c], 0, low, 0, n);
                float[] m = mixBlock[c];
                float[] rest = o[fallbackIndex * channels + c];
                if (bassIndex >= 0) {
                    float[] b = o[bassIndex * channels + c];
                    for (int i = 0; i < n; i++) { b[i] = low[i]; rest[i] = m[i] - low[i]; }
                } else {
                    System.arraycopy(m, 0, rest, 0, n);
                }
            }
        }
        out.setFrames(n);
    }

    private void work() {
        int window = grid.window(), hop = grid.hop();
        separation.separator().reset(); // as the render does before its first window
        long k = 0;
        int myEpoch = workerEpoch;
        while (running) {
            int e = epoch;
            if (e != myEpoch) {
                // reset(): start the grid again at frame 0 (this thread is the output ring's only writer)
                output.clear();
                separation.separator().reset();
                k = 0;
                myEpoch = e;
                workerEpoch = e;
                continue;
            }
            if (k == 0 && warmPending) {
                warmPending = false;
                try {
                    warmOnNoise();
                } catch (StemroomException | RuntimeException ex) {
                    workerError = ex.getMessage();
                    running = false;
                }
                continue;
            }
            long startPos = k * hop;
            if (input.written() < startPos + window) {
                LockSupport.parkNanos(200_000L);
                continue;
            }
            try {
                if (startPos < input.oldest()) {
                    // Too late to ever be heard: the audio thread used the fallback. Keep positions moving.
                    for (float[] b : block) Arrays.fill(b, 0f);
                    output.write(block, 0, hop);
                    k++;
                    continue;
                }
                input.read(startPos, windowBuf, 0, window);
                separation.separateWindow(windowClip, grid, k == 0, true, stems, tail, data);
                for (int st = 0; st < data.size(); st++) {
                    float[][] d = data.get(st);
                    for (int c = 0; c < channels; c++) System.arraycopy(d[c], 0, block[st * channels + c], 0, hop);
                }
                // never overwrite what the audio thread has not read yet
                while (running && epoch == myEpoch
                        && output.written() + hop - (framesIn - latency) > output.capacity()) {
                    LockSupport.parkNanos(200_000L);
                }
                if (epoch != myEpoch) continue; // reset meanwhile: this window belongs to the old stream
                output.write(block, 0, hop);
                k++;
                windowsDone = windowsDone + 1; // single writer: the worker
            } catch (StemroomException | RuntimeException ex) {
                workerError = ex.getMessage();
                running = false;
            }
        }
    }

    /**
     * Fills {@code x} with seeded uniform noise at -20 dBFS (peak 0.1) and returns the seed to continue from: the
     * input of every warm-up (this worker's noise window, the plugin's audio-path warm-up). Noise rather than silence,
     * because code compiled on silence takes other branches; a linear congruential step, because the plugin's
     * warm-up calls it per block and must not allocate.
     */
    public static long warmUpNoise(float[] x, long seed) {
        for (int i = 0; i < x.length; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            x[i] = (float) ((seed >>> 40) / (double) (1L << 24) - 0.5) * 0.2f;
        }
        return seed;
    }

    /** {@link #warmWorker}'s window: seeded noise at -20 dBFS through the separator, then its memory forgotten. */
    private void warmOnNoise() throws StemroomException {
        long seed = 0x5EEDL;
        for (float[] c : windowBuf) seed = warmUpNoise(c, seed);
        // first: no cross-fade with the tail; the stream's own first window is separated as first too, and overwrites
        // the tail and the stems' buffers this one leaves behind
        separation.separateWindow(windowClip, grid, true, true, stems, tail, data);
        separation.separator().reset();
        windowsWarmed = windowsWarmed + 1; // single writer: the worker
    }

    /**
     * Forgets the stream (transport jump, host reset) without allocating: the rings and filters restart at frame 0
     * and the worker, told through a new epoch, restarts its grid. Call it, as {@link AudioProcessor} requires, when
     * {@code process} is not running.
     */
    @Override
    public void reset() {
        if (input == null) return;
        // The input is emptied BEFORE the new epoch is published. In the other order the worker could take the new
        // epoch, restart its grid and find the old stream's frames still counted in the input ring: it separated
        // them as the new stream's first window (wrong audio after a transport jump) and, being past its first
        // window, skipped a noise window asked for after the reset (seen as a flaky windowsWarmed count under load).
        // A worker still on the old epoch meanwhile sees an empty ring and waits; anything it writes is dropped
        // when it takes the new epoch (it clears the output ring then).
        input.clear();
        framesIn = 0;
        lateBlocks = 0;
        for (BiquadCascade f : lowPass) f.reset();
        epoch = epoch + 1; // single writer: the thread that owns the lifecycle
    }

    @Override
    public AudioFormat outputFormat() { return outFormat; }

    @Override
    public int latencyFrames() { return latency; }

    @Override
    public void close() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }
}
