package org.stemroom.room;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;
import org.stemroom.core.ChannelLayout;

/**
 * Convolution of {@code S} input channels with a {@code S x O} matrix of impulse responses into {@code O}
 * outputs: {@code out[o] = sum_s in[s] * ir[s][o]}.
 *
 * <p>Uniformly partitioned overlap-save in the frequency domain with a frequency-domain delay line (FDL) per
 * segment of a {@link PartitionScheme}: each input is transformed once per block whatever the number of
 * outputs, each output accumulates the products of all its sources and partitions (split re/im arrays, a loop
 * the JIT vectorizes) and takes one inverse transform. Non-uniform schemes chain segments of growing block
 * size; a zero-latency scheme adds a direct time-domain head.
 *
 * <p>Timing and determinism: the engine ticks every {@code baseBlock} input frames whatever the sizes of the
 * {@code process} calls. A segment whose results are needed at the tick its block completes (every uniform
 * offline scheme) is computed at that tick. A segment with slack (it starts later in the IR than the Gardner rule
 * requires, as every segment after the first of a non-uniform scheme does) is computed time-distributed: its
 * block's work is cut into units (each source's forward FFT; each output's multiply-accumulate in chunks of at
 * most about one FFT's cost; each output's inverse FFT) and the units are spread, in that fixed order, over the
 * ticks of its slack by a cost model, all in the calling thread and finished before its first output sample is
 * due. The schedule is fixed by the sample count alone, so the output is sample-exact and bit-identical for any
 * call sizes and any thread count; each block's spectra and products are summed in the same order as when it is
 * computed at once, only the segments add their results into the output in another order (float rounding). A tick then costs about the mean plus one large FFT, not all of a block's transforms and
 * products: {@link #peakTickCost} reports the model's worst tick.
 *
 * <p>{@link #process} allocates nothing and takes no lock. {@link #setExecutor} lets offline renders share the
 * per-source and per-output work of a tick over threads (each source's transform and each output is still
 * computed by one thread in a fixed order, so the bits do not change); it allocates task futures and must not be
 * used on an audio thread.
 */
public final class PartitionedConvolver implements AudioProcessor {

    private final float[][][] ir; // [source][output][taps], null entries = silent pair
    private final int sources;
    private final int outputs;
    private final int irRate;
    private final PartitionScheme scheme;
    private final ChannelLayout outputLayout;

    private ExecutorService executor;
    private int helpers;             // executor threads that join the calling thread at a tick
    private boolean timeDistribution = true;
    private AudioFormat outputFormat;
    private boolean prepared;

    // time-domain state
    private long frame;              // input frames consumed so far
    private float[][] inRing;        // per source, power-of-two ring of recent input
    private int inMask;
    private float[][] acc;           // per output, ring of output samples being accumulated
    private int accMask;
    private int latency;
    private int baseBlock;

    // direct head
    private int head;
    private float[][][] headTaps;    // [source][output][head]; null = silent pair
    private float[][] headHist;      // per source: head-1 samples of history followed by the current tick's samples

    private Seg[] segs;
    private int tickSegMask;         // scratch: which segments run at the current tick (bit per segment)
    private WorkItem forwardItem;    // parallel tick: item = segment-major (segment of the mask, source)
    private WorkItem outputItem;     // parallel tick: item = output, all segments of the mask

    /** Item {@code item} of a tick's shared work, computed by worker {@code worker} (0 = the calling thread). */
    private interface WorkItem {
        void run(int item, int worker);
    }

    /** One uniform segment with its own FDL. */
    private static final class Seg {
        final int block;
        final int offset;
        final int parts;
        final int bins;
        // One transform per worker (the calling thread, then each helper of setExecutor), not per source and output:
        // a transform's scratch is fully written before it is read, so which instance computes an item changes no
        // bit, and the instances are most of the engine's memory (a 65536-point one holds 1 MB of scratch, touched
        // page by page at a cold start). [0] also transforms the IR.
        SplitRealFft[] fft;
        float[][] fftScratch;         // per worker, 2*block floats of scratch for the small transforms (see SplitRealFft)
        final float[][][] xre;        // [source][slot][bins] FDL
        final float[][][] xim;
        final float[][][][] hre;      // [source][output][part][bins], null = silent partition
        final float[][][][] him;
        final float[][] yre;          // per output accumulators
        final float[][] yim;
        final int[][] macSource;      // per output: the non-silent (source, partition) products, in summing order
        final int[][] macPart;
        int slot;                     // FDL slot of the newest spectrum
        boolean distributed;          // work of a block spread over the following ticks (see tick())
        // time-distributed schedule of one block: unit u is of kind unitKind[u] with argument unitArg[u] (and for a
        // MAC chunk the product range [unitFrom, unitTo)), run at unitTick[u] ticks after the block completed
        int[] unitKind, unitArg, unitFrom, unitTo, unitTick;
        double[] unitCost;
        long blockEnd;                // input frame at which the block being worked on ended
        int nextUnit;                 // next unit of that block; == units when idle
        int ticksSince;               // ticks since that block completed

        Seg(PartitionScheme.Segment s, int sources, int outputs, int workers) {
            block = s.blockSize;
            offset = s.offset;
            parts = s.count;
            bins = block + 1;
            fft = new SplitRealFft[0];
            fftScratch = new float[0][];
            ensureWorkers(workers);
            xre = new float[sources][parts][bins];
            xim = new float[sources][parts][bins];
            hre = new float[sources][outputs][][];
            him = new float[sources][outputs][][];
            yre = new float[outputs][bins];
            yim = new float[outputs][bins];
            macSource = new int[outputs][];
            macPart = new int[outputs][];
        }

        /** At least {@code workers} transforms (and their scratch); never on an audio thread (allocates). */
        void ensureWorkers(int workers) {
            int had = fft.length;
            if (workers <= had) return;
            fft = Arrays.copyOf(fft, workers);
            fftScratch = Arrays.copyOf(fftScratch, workers);
            int scratch = 2 * block < SplitRealFft.MIN_OWN_SIZE ? 2 * block : 0;
            for (int w = had; w < workers; w++) {
                fft[w] = new SplitRealFft(2 * block);
                fftScratch[w] = new float[scratch];
            }
        }

        int units() { return unitKind == null ? 0 : unitKind.length; }
    }

    private static final int UNIT_FORWARD = 0, UNIT_MAC = 1, UNIT_INVERSE = 2;

    /**
     * @param ir           impulse responses {@code [source][output][taps]}; a null entry is a silent pair
     * @param irRate       sample rate of the IRs; {@link #prepare} requires the stream to have the same rate
     * @param scheme       partitioning; its {@link PartitionScheme#irLength()} must cover the longest IR
     * @param outputLayout layout of the outputs (its channel count must equal {@code ir[0].length})
     */
    public PartitionedConvolver(float[][][] ir, int irRate, PartitionScheme scheme, ChannelLayout outputLayout) {
        if (ir.length == 0 || ir[0].length == 0) throw new IllegalArgumentException("empty IR matrix");
        this.sources = ir.length;
        this.outputs = ir[0].length;
        int longest = 0;
        for (float[][] row : ir) {
            if (row.length != outputs) throw new IllegalArgumentException("ragged IR matrix");
            for (float[] h : row) if (h != null) longest = Math.max(longest, h.length);
        }
        if (longest > scheme.coveredLength()) {
            throw new IllegalArgumentException("scheme covers " + scheme.coveredLength() + " taps, IR has " + longest);
        }
        if (outputLayout.channelCount() != outputs) {
            throw new IllegalArgumentException("layout " + outputLayout.name() + " has " + outputLayout.channelCount()
                    + " channels for " + outputs + " IR outputs");
        }
        this.ir = ir;
        this.irRate = irRate;
        this.scheme = scheme;
        this.outputLayout = outputLayout;
    }

    /** Convolver for an IR set with an explicit scheme. */
    public static PartitionedConvolver of(RoomImpulseResponse rir, PartitionScheme scheme) {
        return new PartitionedConvolver(rir.matrix(), rir.sampleRate(), scheme, rir.outputLayout());
    }

    /** Low-latency convolver for the plugin: {@code baseBlock} frames of latency, or zero. */
    public static PartitionedConvolver lowLatency(RoomImpulseResponse rir, int baseBlock, boolean zeroLatency) {
        return of(rir, PartitionScheme.lowLatency(baseBlock, zeroLatency, rir.length()));
    }

    /** Fast convolver for offline renders: large uniform partitions, latency to be compensated by the caller. */
    public static PartitionedConvolver offline(RoomImpulseResponse rir) {
        return of(rir, PartitionScheme.offline(rir.length(), rir.sources(), rir.outputs(), rir.nonSilentPairs()));
    }

    /** Offline only: {@link #setExecutor(ExecutorService, int)} with one helper thread. */
    public void setExecutor(ExecutorService executor) {
        setExecutor(executor, 1);
    }

    /**
     * Offline only: at each tick, {@code helpers} tasks on {@code executor} join the calling thread in computing
     * the forward FFTs (one source each) and then the outputs (multiply-adds and inverse FFT, one output each),
     * taking the next item as they finish one. Each item is computed whole by one thread in a fixed order, so the
     * bits do not depend on the threads; an executor with fewer free threads only means the caller does more.
     * Null: the calling thread does all. Allocates task futures: never on an audio thread.
     */
    public void setExecutor(ExecutorService executor, int helpers) {
        if (helpers < 0) throw new IllegalArgumentException("helpers must be >= 0: " + helpers);
        this.executor = executor;
        this.helpers = helpers;
        if (prepared) for (Seg seg : segs) seg.ensureWorkers(workers());
    }

    /** Threads that may compute a tick's items at once: the caller and, with an executor, its helpers. */
    private int workers() {
        return executor != null ? 1 + helpers : 1;
    }

    public PartitionScheme scheme() { return scheme; }

    /**
     * Tests only: with {@code false}, every block is computed at the tick it completes (the reference the
     * time-distributed schedule must equal to float rounding). Takes effect at the next {@link #prepare}.
     */
    void setTimeDistribution(boolean on) {
        this.timeDistribution = on;
    }

    /** Segments computed time-distributed (valid after {@link #prepare}). */
    int distributedSegments() {
        int n = 0;
        for (Seg seg : segs) if (seg.distributed) n++;
        return n;
    }
    public int sources() { return sources; }
    public int outputs() { return outputs; }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        if (inputFormat.channels() != sources) {
            throw new IllegalArgumentException("input has " + inputFormat.channels() + " channels, IR matrix has "
                    + sources + " sources");
        }
        if (inputFormat.sampleRate() != irRate) {
            throw new IllegalArgumentException("stream rate " + inputFormat.sampleRate() + " Hz differs from IR rate "
                    + irRate + " Hz: resample the IR first");
        }
        outputFormat = new AudioFormat(inputFormat.sampleRate(), outputLayout);
        baseBlock = scheme.baseBlock();
        latency = scheme.latency();
        head = scheme.headLength();
        int maxB = scheme.maxBlock();

        boolean anyDistributed = false;
        int maxReach = baseBlock, maxOffset = 0;
        for (PartitionScheme.Segment s : scheme.segments()) {
            anyDistributed |= distributedTicks(s) >= 2;
            maxReach = Math.max(maxReach, s.offset + s.blockSize);
            maxOffset = Math.max(maxOffset, s.offset);
        }
        // The rings, as small as the schedule allows: fresh arrays are a cold start's page faults and zeroing (the
        // offline uniform scheme of a 3 s IR: 1 MB less for stereo, 1.75 MB for one source into six outputs).
        // Input: a segment transforms the 2 x block samples before the tick at which its block ends, when nothing
        // later has been written yet, so 2 x the largest block when every segment is computed at its tick; a
        // distributed block still reads them over up to one block period after that.
        int inSize = nextPow2(anyDistributed ? 3 * maxB + baseBlock : 2 * maxB);
        inRing = new float[sources][inSize];
        inMask = inSize - 1;
        // Output: at input frame t the oldest sample not yet emitted is t - latency, and a segment computed at its tick
        // (block end e <= t) has added up to e + offset: latency + the largest offset, plus a base block of margin.
        // A distributed block adds its part later, into the same places.
        int accSize = nextPow2(anyDistributed ? maxReach + baseBlock + latency + 1 : latency + maxOffset + baseBlock);
        acc = new float[outputs][accSize];
        accMask = accSize - 1;

        headTaps = new float[sources][outputs][];
        headHist = new float[sources][Math.max(0, head - 1) + baseBlock];
        if (head > 0) {
            for (int s = 0; s < sources; s++) {
                for (int o = 0; o < outputs; o++) {
                    float[] h = ir[s][o];
                    if (h == null) continue;
                    float[] t = Arrays.copyOf(h, head); // zero-padded when the IR is shorter than the head
                    if (!AudioBuffer.isZero(t, 0, head)) headTaps[s][o] = t;
                }
            }
        }

        List<PartitionScheme.Segment> list = scheme.segments();
        segs = new Seg[list.size()];
        for (int g = 0; g < segs.length; g++) {
            Seg seg = new Seg(list.get(g), sources, outputs, workers());
            float[] pad = new float[2 * seg.block];
            for (int s = 0; s < sources; s++) {
                for (int o = 0; o < outputs; o++) {
                    float[] h = ir[s][o];
                    if (h == null) continue;
                    float[][] re = new float[seg.parts][];
                    float[][] im = new float[seg.parts][];
                    boolean any = false;
                    for (int p = 0; p < seg.parts; p++) {
                        int from = seg.offset + p * seg.block;
                        int to = Math.min(h.length, from + seg.block);
                        if (from >= to || AudioBuffer.isZero(h, from, to)) continue; // silent partition: skipped in the MAC
                        Arrays.fill(pad, 0f);
                        System.arraycopy(h, from, pad, 0, to - from);
                        re[p] = new float[seg.bins];
                        im[p] = new float[seg.bins];
                        seg.fft[0].forward(pad, re[p], im[p]);
                        any = true;
                    }
                    if (any) {
                        seg.hre[s][o] = re;
                        seg.him[s][o] = im;
                    }
                }
            }
            for (int o = 0; o < outputs; o++) {
                int count = 0;
                for (int s = 0; s < sources; s++) {
                    if (seg.hre[s][o] == null) continue;
                    for (int p = 0; p < seg.parts; p++) if (seg.hre[s][o][p] != null) count++;
                }
                seg.macSource[o] = new int[count];
                seg.macPart[o] = new int[count];
                int i = 0;
                for (int s = 0; s < sources; s++) {
                    if (seg.hre[s][o] == null) continue;
                    for (int p = 0; p < seg.parts; p++) {
                        if (seg.hre[s][o][p] == null) continue;
                        seg.macSource[o][i] = s;
                        seg.macPart[o][i++] = p;
                    }
                }
            }
            // Time distribution: a block whose results are first needed `slack` ticks after it completes runs over
            // the ticks 0..slack after its completion (never into the next block's completion).
            int ticks = distributedTicks(list.get(g));
            seg.distributed = ticks >= 2;
            if (seg.distributed) schedule(seg, ticks);
            segs[g] = seg;
        }
        if (segs.length > 31) throw new IllegalStateException("too many segments: " + segs.length);
        // inner classes, not lambdas: a command's first lambda bootstraps invokedynamic at start-up
        forwardItem = new WorkItem() {
            @Override
            public void run(int item, int worker) {
                int k = item / sources;
                for (int g = 0; g < segs.length; g++) {
                    if ((tickSegMask & (1 << g)) != 0 && k-- == 0) {
                        forwardSource(segs[g], item % sources, frame, worker);
                        return;
                    }
                }
            }
        };
        outputItem = new WorkItem() {
            @Override
            public void run(int out, int worker) {
                for (int g = 0; g < segs.length; g++) {
                    if ((tickSegMask & (1 << g)) != 0) computeOutput(segs[g], out, frame, worker);
                }
            }
        };
        prepared = true;
        restart(false); // the rings and delay lines were just allocated, so they are zero already
    }

    /**
     * Ticks over which a block of segment {@code s} is computed: its slack (it starts later in the IR than the Gardner
     * rule requires) plus one, at most its ticks per block; 1 = at the tick it completes (also with time distribution
     * off). Valid once {@code latency} and {@code baseBlock} are set by {@link #prepare}.
     */
    private int distributedTicks(PartitionScheme.Segment s) {
        if (!timeDistribution) return 1;
        int slackTicks = (s.offset + latency - s.blockSize) / baseBlock;
        return Math.min(slackTicks + 1, s.blockSize / baseBlock);
    }

    @Override
    public void reset() {
        if (prepared) restart(true);
    }

    /** Back to frame 0; {@code clear}: zero the input and output rings, the head's history and the FDLs. */
    private void restart(boolean clear) {
        frame = 0;
        for (Seg seg : segs) {
            seg.slot = 0;
            seg.nextUnit = seg.units();
            seg.ticksSince = 0;
        }
        if (!clear) return;
        for (float[] r : inRing) Arrays.fill(r, 0f);
        for (float[] r : acc) Arrays.fill(r, 0f);
        for (float[] r : headHist) Arrays.fill(r, 0f);
        for (Seg seg : segs) {
            for (float[][] a : seg.xre) for (float[] b : a) Arrays.fill(b, 0f);
            for (float[][] a : seg.xim) for (float[] b : a) Arrays.fill(b, 0f);
        }
    }

    @Override
    public AudioFormat outputFormat() { return outputFormat; }

    @Override
    public int latencyFrames() { return scheme.latency(); }

    @Override
    public long tailFrames() {
        int longest = 0;
        for (float[][] row : ir) for (float[] h : row) if (h != null) longest = Math.max(longest, h.length);
        return Math.max(0, longest - 1);
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        final int n = input.frames();
        output.setFrames(n);
        final int hm1 = Math.max(0, head - 1);
        int pos = 0;
        while (pos < n) {
            int phase = (int) (frame % baseBlock);
            int chunk = Math.min(n - pos, baseBlock - phase);
            // 1) take the input (before writing any output: input and output may be the same buffer)
            for (int s = 0; s < sources; s++) {
                float[] x = input.channel(s);
                float[] ring = inRing[s];
                int w = (int) (frame & inMask);
                int first = Math.min(chunk, ring.length - w);
                System.arraycopy(x, pos, ring, w, first);
                if (first < chunk) System.arraycopy(x, pos + first, ring, 0, chunk - first);
                if (head > 0) System.arraycopy(x, pos, headHist[s], hm1 + phase, chunk);
            }
            // 2) emit output: accumulated partition results, delayed by the latency, plus the direct head
            for (int o = 0; o < outputs; o++) {
                float[] y = output.channel(o);
                float[] a = acc[o];
                // the ring's frames frame - latency .. + chunk, in at most two runs (copied, then cleared for reuse)
                int r0 = (int) ((frame - latency) & accMask);
                int first = Math.min(chunk, a.length - r0);
                System.arraycopy(a, r0, y, pos, first);
                EngineLoops.clear(a, r0, r0 + first);
                if (first < chunk) {
                    System.arraycopy(a, 0, y, pos + first, chunk - first);
                    EngineLoops.clear(a, 0, chunk - first);
                }
                if (head > 0) {
                    for (int s = 0; s < sources; s++) {
                        float[] h = headTaps[s][o];
                        if (h == null) continue;
                        float[] hist = headHist[s];
                        for (int t = 0; t < chunk; t++) {
                            int c = hm1 + phase + t; // index of x[frame + t]
                            float sum = 0f;
                            for (int k = 0; k < head; k++) sum += h[k] * hist[c - k];
                            y[pos + t] += sum;
                        }
                    }
                }
            }
            frame += chunk;
            pos += chunk;
            if (frame % baseBlock == 0) tick();
        }
    }

    /**
     * Runs every synchronous segment whose block ends at the current frame, and the units scheduled for this tick
     * of each time-distributed segment. Order within a tick is fixed (distributed units by segment, then the
     * synchronous segments per output), so results never depend on call sizes or on the executor.
     */
    private void tick() {
        if (head > 1) {
            for (int s = 0; s < sources; s++) {
                float[] hist = headHist[s];
                System.arraycopy(hist, baseBlock, hist, 0, head - 1);
            }
        }
        int mask = 0;
        for (int g = 0; g < segs.length; g++) {
            Seg seg = segs[g];
            boolean complete = frame % seg.block == 0;
            if (seg.distributed) {
                if (complete) {
                    seg.slot = seg.slot + 1 == seg.parts ? 0 : seg.slot + 1;
                    seg.blockEnd = frame;
                    seg.nextUnit = 0;
                    seg.ticksSince = 0;
                }
                int units = seg.units();
                while (seg.nextUnit < units && seg.unitTick[seg.nextUnit] <= seg.ticksSince) {
                    runUnit(seg, seg.nextUnit++);
                }
                seg.ticksSince++;
                continue;
            }
            if (!complete) continue;
            mask |= 1 << g;
            seg.slot = seg.slot + 1 == seg.parts ? 0 : seg.slot + 1;
        }
        if (mask == 0) return;
        tickSegMask = mask;
        if (executor != null && helpers > 0) {
            shareOut(Integer.bitCount(mask) * sources, forwardItem);
            shareOut(outputs, outputItem);
            return;
        }
        for (int g = 0; g < segs.length; g++) {
            if ((mask & (1 << g)) != 0) for (int s = 0; s < sources; s++) forwardSource(segs[g], s, frame, 0);
        }
        for (int o = 0; o < outputs; o++) {
            for (int g = 0; g < segs.length; g++) {
                if ((mask & (1 << g)) != 0) computeOutput(segs[g], o, frame, 0);
            }
        }
    }

    /**
     * Runs {@code work} for items {@code 0..count-1} on the calling thread and up to {@link #helpers} executor
     * tasks, each taking the next item when it finishes one (the caller works too, rather than waiting); returns
     * when every item is done.
     */
    private void shareOut(int count, WorkItem work) {
        AtomicInteger next = new AtomicInteger();
        int tasks = Math.min(helpers, count - 1);
        List<Future<?>> futures = new ArrayList<>(Math.max(0, tasks));
        for (int t = 1; t <= tasks; t++) futures.add(executor.submit(new Share(next, count, work, t)));
        new Share(next, count, work, 0).run();
        try {
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("convolution interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("convolution worker failed", e.getCause());
        }
    }

    /** Worker {@code worker}'s part of {@link #shareOut}: the next item until none is left. */
    private static final class Share implements Runnable {
        private final AtomicInteger next;
        private final int count;
        private final WorkItem work;
        private final int worker;

        Share(AtomicInteger next, int count, WorkItem work, int worker) {
            this.next = next;
            this.count = count;
            this.work = work;
            this.worker = worker;
        }

        @Override
        public void run() {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) work.run(i, worker);
        }
    }

    /** Forward FFT of source {@code s}'s last 2 x block input samples before {@code blockEnd} into the newest FDL slot. */
    private void forwardSource(Seg seg, int s, long blockEnd, int worker) {
        int start = (int) ((blockEnd - 2L * seg.block) & inMask);
        seg.fft[worker].forwardRing(inRing[s], start, inMask, seg.xre[s][seg.slot], seg.xim[s][seg.slot], seg.fftScratch[worker]);
    }

    /** Multiply-accumulates all sources and partitions of one segment into output {@code o}, one inverse FFT. */
    private void computeOutput(Seg seg, int o, long blockEnd, int worker) {
        int n = seg.macSource[o].length;
        if (n == 0) return;
        multiplyAccumulate(seg, o, 0, n);
        inverseOutput(seg, o, blockEnd, worker);
    }

    /** One unit of a time-distributed block (see {@link #schedule}). */
    private void runUnit(Seg seg, int u) {
        int arg = seg.unitArg[u];
        switch (seg.unitKind[u]) {
            case UNIT_FORWARD:
                forwardSource(seg, arg, seg.blockEnd, 0);
                break;
            case UNIT_MAC:
                multiplyAccumulate(seg, arg, seg.unitFrom[u], seg.unitTo[u]);
                break;
            default:
                inverseOutput(seg, arg, seg.blockEnd, 0);
        }
    }

    /**
     * Adds products {@code from..to-1} of output {@code o}'s list (source-major, then partition) into its
     * accumulators, one product per pass: a loop the JIT vectorizes. Product 0 is stored rather than added, so the
     * accumulators need no clearing pass. (Two products per pass, to halve the accumulator traffic, measured 1.6x
     * slower for the offline stereo scheme: the JIT did not vectorize it.)
     */
    private void multiplyAccumulate(Seg seg, int o, int from, int to) {
        final float[] yr = seg.yre[o];
        final float[] yi = seg.yim[o];
        final int bins = seg.bins;
        final int[] src = seg.macSource[o];
        final int[] part = seg.macPart[o];
        for (int i = from; i < to; i++) {
            int s = src[i];
            float[] hr = seg.hre[s][o][part[i]];
            float[] hi = seg.him[s][o][part[i]];
            int slot = fdlSlot(seg, part[i]);
            float[] xr = seg.xre[s][slot];
            float[] xi = seg.xim[s][slot];
            if (i == 0) EngineLoops.multiply(xr, xi, hr, hi, yr, yi, bins);
            else EngineLoops.multiplyAdd(xr, xi, hr, hi, yr, yi, bins);
        }
    }

    /** FDL slot holding the input spectrum that partition {@code p} multiplies. */
    private static int fdlSlot(Seg seg, int p) {
        int slot = seg.slot - p;
        return slot < 0 ? slot + seg.parts : slot;
    }

    /** Inverse FFT of output {@code o}'s accumulated spectrum; overlap-save adds its valid half to the output ring. */
    private void inverseOutput(Seg seg, int o, long blockEnd, int worker) {
        if (seg.macSource[o].length == 0) return;
        // overlap-save: the second half is the linear convolution of the block that just ended
        int dst = (int) ((blockEnd - seg.block + seg.offset) & accMask);
        seg.fft[worker].inverseAddSecondHalf(seg.yre[o], seg.yim[o], acc[o], dst, accMask, seg.fftScratch[worker]);
    }

    // Cost model of the schedule, in nanoseconds on this project's machine (as in PartitionScheme.offline): a real
    // FFT of n points about 1.53 n log2 n, a complex multiply-accumulate about 2 per bin.
    static double fftCost(int n) {
        return 1.53 * n * (Math.log(n) / Math.log(2));
    }

    static double macCost(int bins) {
        return 2.0 * bins;
    }

    /**
     * Cuts one block of {@code seg} into units in their order of dependence (forward FFTs, then per output its
     * multiply-accumulate chunks and its inverse FFT) and spreads them over {@code ticks} ticks: unit {@code u} runs
     * at the tick where the middle of its cost falls when the block's whole cost is laid evenly over the ticks. A
     * tick thus costs at most the block's mean per tick plus one unit, and units of segments with different
     * periods rarely fall on the same tick.
     */
    private void schedule(Seg seg, int ticks) {
        double fft = fftCost(2 * seg.block);
        double mac = macCost(seg.bins);
        int perChunk = Math.max(1, (int) (fft / mac)); // a multiply-accumulate chunk costs about one FFT at most
        List<int[]> units = new ArrayList<>();
        for (int s = 0; s < sources; s++) units.add(new int[] {UNIT_FORWARD, s, 0, 0});
        for (int o = 0; o < outputs; o++) {
            int n = seg.macSource[o].length;
            if (n == 0) continue;
            int chunks = (n + perChunk - 1) / perChunk;
            for (int c = 0; c < chunks; c++) {
                // equal chunks, so no small remainder chunk wastes a tick
                units.add(new int[] {UNIT_MAC, o, (int) ((long) c * n / chunks), (int) ((long) (c + 1) * n / chunks)});
            }
            units.add(new int[] {UNIT_INVERSE, o, 0, 0});
        }
        int u = units.size();
        seg.unitKind = new int[u];
        seg.unitArg = new int[u];
        seg.unitFrom = new int[u];
        seg.unitTo = new int[u];
        seg.unitTick = new int[u];
        seg.unitCost = new double[u];
        double total = 0;
        for (int i = 0; i < u; i++) {
            int[] x = units.get(i);
            seg.unitKind[i] = x[0];
            seg.unitArg[i] = x[1];
            seg.unitFrom[i] = x[2];
            seg.unitTo[i] = x[3];
            seg.unitCost[i] = x[0] == UNIT_MAC ? mac * (x[3] - x[2]) : fft;
            total += seg.unitCost[i];
        }
        double before = 0;
        for (int i = 0; i < u; i++) {
            int t = (int) ((before + seg.unitCost[i] / 2) * ticks / total);
            seg.unitTick[i] = Math.min(ticks - 1, t);
            before += seg.unitCost[i];
        }
    }

    /**
     * The cost model's most expensive tick (nanoseconds on this project's machine, see {@link #fftCost}) over one
     * period of the largest segment, for the schedule prepared: a deterministic stand-in for the worst
     * {@code process} call of a real-time host, which depends on the machine and its load. Valid after
     * {@link #prepare}.
     */
    double peakTickCost() {
        int period = scheme.maxBlock() / baseBlock;
        double peak = 0;
        // in steady state, tick k (k >= 1, counting ticks after frame 0) completes every segment whose block divides
        // k * baseBlock; a distributed segment runs the units scheduled for (k mod its ticks-per-block)
        for (int k = 1; k <= period; k++) {
            double cost = 0;
            for (Seg seg : segs) {
                int per = seg.block / baseBlock;
                if (seg.distributed) {
                    int since = k % per;
                    for (int u = 0; u < seg.units(); u++) if (seg.unitTick[u] == since) cost += seg.unitCost[u];
                } else if (k % per == 0) {
                    cost += fftCost(2 * seg.block) * (sources + outputs);
                    for (int o = 0; o < outputs; o++) cost += macCost(seg.bins) * seg.macSource[o].length;
                }
            }
            peak = Math.max(peak, cost);
        }
        return peak;
    }

    /** Cost model of the mean tick (nanoseconds), for comparison with {@link #peakTickCost}. */
    double meanTickCost() {
        double mean = 0;
        for (Seg seg : segs) {
            double block = fftCost(2 * seg.block) * (sources + outputs);
            for (int o = 0; o < outputs; o++) block += macCost(seg.bins) * seg.macSource[o].length;
            mean += block * baseBlock / seg.block;
        }
        return mean;
    }

    static int nextPow2(int n) {
        int p = 1;
        while (p < n) p <<= 1;
        return p;
    }
}
