package org.stemroom.room;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.dsp.RealFft;

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
 * {@code process} calls. A segment whose block has just completed is computed at that tick when its results are
 * needed at once (the first partitions, and every uniform offline scheme). A segment that starts later in the IR
 * than the Gardner rule requires has slack: its block is computed time-distributed, one phase per following
 * tick (each source's forward FFT, then each output's multiply-accumulate and inverse FFT), all in the calling
 * thread and finished before its first output sample is due. Either way the schedule is fixed by the sample
 * count alone, so the output is sample-exact and bit-identical for any call sizes and any thread count; time
 * distribution cuts the peak cost of a tick by up to {@code sources + outputs} (one 16384-point FFT instead of
 * all of a block's transforms), not to the mean: a 64-frame host buffer still sees ticks costing one large FFT.
 *
 * <p>{@link #process} allocates nothing and takes no lock. {@link #setExecutor} lets offline renders share the
 * per-output work of a tick over threads (each output is still computed by one thread in a fixed order, so
 * the bits do not change); it allocates task futures and must not be used on an audio thread.
 */
public final class PartitionedConvolver implements AudioProcessor {

    private final float[][][] ir; // [source][output][taps], null entries = silent pair
    private final int sources;
    private final int outputs;
    private final int irRate;
    private final PartitionScheme scheme;
    private final ChannelLayout outputLayout;

    private ExecutorService executor;
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
    private List<Callable<Void>> outputTasks;
    private int tickSegMask;         // scratch: which segments run at the current tick (bit per segment)

    /** One uniform segment with its own FDL. */
    private static final class Seg {
        final int block;
        final int offset;
        final int parts;
        final int bins;
        final RealFft[] fftPerOutput; // one per output so outputs may run in parallel; [0] also does forward FFTs
        final float[] fftIn;          // 2*block time samples
        final float[][][] xre;        // [source][slot][bins] FDL
        final float[][][] xim;
        final float[][][][] hre;      // [source][output][part][bins], null = silent partition
        final float[][][][] him;
        final float[][] yre;          // per output accumulators
        final float[][] yim;
        final float[][] yTime;        // per output, 2*block
        int slot;                     // FDL slot of the newest spectrum
        boolean distributed;          // work of a block spread over the following ticks (see tick())
        long blockEnd;                // input frame at which the block being worked on ended
        int phase = -1;               // next phase of that block: sources forward FFTs, then outputs; -1 idle

        Seg(PartitionScheme.Segment s, int sources, int outputs) {
            block = s.blockSize;
            offset = s.offset;
            parts = s.count;
            bins = block + 1;
            fftPerOutput = new RealFft[Math.max(1, outputs)];
            for (int o = 0; o < fftPerOutput.length; o++) fftPerOutput[o] = new RealFft(2 * block);
            fftIn = new float[2 * block];
            xre = new float[sources][parts][bins];
            xim = new float[sources][parts][bins];
            hre = new float[sources][outputs][][];
            him = new float[sources][outputs][][];
            yre = new float[outputs][bins];
            yim = new float[outputs][bins];
            yTime = new float[outputs][2 * block];
        }
    }

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

    /** Offline only: share each tick's per-output work over an executor (null: the calling thread does all). */
    public void setExecutor(ExecutorService executor) {
        this.executor = executor;
    }

    public PartitionScheme scheme() { return scheme; }

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

        // input kept for 2 x the largest block plus the ticks over which a distributed block still reads it
        int inSize = nextPow2(2 * maxB + (sources + outputs + 1) * baseBlock);
        inRing = new float[sources][inSize];
        inMask = inSize - 1;
        int maxReach = baseBlock;
        for (PartitionScheme.Segment s : scheme.segments()) maxReach = Math.max(maxReach, s.offset + s.blockSize);
        int accSize = nextPow2(maxReach + baseBlock + latency + 1);
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
                    if (!allZero(t, 0, head)) headTaps[s][o] = t;
                }
            }
        }

        List<PartitionScheme.Segment> list = scheme.segments();
        segs = new Seg[list.size()];
        for (int g = 0; g < segs.length; g++) {
            Seg seg = new Seg(list.get(g), sources, outputs);
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
                        if (from >= to || allZero(h, from, to)) continue; // silent partition: skipped in the MAC
                        Arrays.fill(pad, 0f);
                        System.arraycopy(h, from, pad, 0, to - from);
                        re[p] = new float[seg.bins];
                        im[p] = new float[seg.bins];
                        seg.fftPerOutput[0].forward(pad, re[p], im[p]);
                        any = true;
                    }
                    if (any) {
                        seg.hre[s][o] = re;
                        seg.him[s][o] = im;
                    }
                }
            }
            // Time distribution: a block whose results are first needed `slack` ticks after it completes (the
            // segment starts later than the Gardner rule requires) runs one phase per tick: the forward FFT of each
            // source, then the MAC and inverse FFT of each output. The same arithmetic in a fixed schedule: exact and
            // deterministic, with the peak cost of a tick cut by up to (sources + outputs).
            int slackTicks = (seg.offset + latency - seg.block) / baseBlock;
            int phases = sources + outputs;
            seg.distributed = seg.block > baseBlock && slackTicks >= phases && phases < seg.block / baseBlock;
            segs[g] = seg;
        }
        if (segs.length > 31) throw new IllegalStateException("too many segments: " + segs.length);
        outputTasks = new ArrayList<>(outputs);
        for (int o = 0; o < outputs; o++) {
            final int out = o;
            outputTasks.add(() -> {
                for (int g = 0; g < segs.length; g++) {
                    if ((tickSegMask & (1 << g)) != 0) computeOutput(segs[g], out, frame);
                }
                return null;
            });
        }
        prepared = true;
        reset();
    }

    @Override
    public void reset() {
        if (!prepared) return;
        frame = 0;
        for (float[] r : inRing) Arrays.fill(r, 0f);
        for (float[] r : acc) Arrays.fill(r, 0f);
        for (float[] r : headHist) Arrays.fill(r, 0f);
        for (Seg seg : segs) {
            seg.slot = 0;
            seg.phase = -1;
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
                long r0 = frame - latency;
                for (int t = 0; t < chunk; t++) {
                    int idx = (int) ((r0 + t) & accMask);
                    y[pos + t] = a[idx];
                    a[idx] = 0f;
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
     * Runs every segment whose block ends at the current frame, and the next phase of each time-distributed
     * segment. Order within a tick is fixed (distributed phases by segment, then the synchronous segments per
     * output), so results never depend on call sizes or on the executor.
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
                    seg.phase = 0;
                }
                if (seg.phase >= 0) {
                    int p = seg.phase;
                    if (p < sources) forwardSource(seg, p, seg.blockEnd);
                    else computeOutput(seg, p - sources, seg.blockEnd);
                    seg.phase = p + 1 == sources + outputs ? -1 : p + 1;
                }
                continue;
            }
            if (!complete) continue;
            mask |= 1 << g;
            seg.slot = seg.slot + 1 == seg.parts ? 0 : seg.slot + 1;
            for (int s = 0; s < sources; s++) forwardSource(seg, s, frame);
        }
        if (mask == 0) return;
        tickSegMask = mask;
        if (executor != null && outputs > 1) {
            try {
                for (Future<Void> f : executor.invokeAll(outputTasks)) f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("convolution interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("convolution worker failed", e.getCause());
            }
        } else {
            for (int o = 0; o < outputs; o++) {
                for (int g = 0; g < segs.length; g++) {
                    if ((mask & (1 << g)) != 0) computeOutput(segs[g], o, frame);
                }
            }
        }
    }

    /** Forward FFT of source {@code s}'s last 2 x block input samples before {@code blockEnd} into the newest FDL slot. */
    private void forwardSource(Seg seg, int s, long blockEnd) {
        int start = (int) ((blockEnd - 2L * seg.block) & inMask);
        float[] ring = inRing[s];
        int first = Math.min(2 * seg.block, ring.length - start);
        System.arraycopy(ring, start, seg.fftIn, 0, first);
        if (first < 2 * seg.block) System.arraycopy(ring, 0, seg.fftIn, first, 2 * seg.block - first);
        seg.fftPerOutput[0].forward(seg.fftIn, seg.xre[s][seg.slot], seg.xim[s][seg.slot]);
    }

    /** Multiply-accumulates all sources and partitions of one segment into output {@code o}, one inverse FFT. */
    private void computeOutput(Seg seg, int o, long blockEnd) {
        float[] yr = seg.yre[o];
        float[] yi = seg.yim[o];
        Arrays.fill(yr, 0f);
        Arrays.fill(yi, 0f);
        final int bins = seg.bins;
        boolean any = false;
        for (int s = 0; s < sources; s++) {
            float[][] hr = seg.hre[s][o];
            if (hr == null) continue;
            float[][] hi = seg.him[s][o];
            float[][] xr = seg.xre[s];
            float[][] xi = seg.xim[s];
            for (int p = 0; p < seg.parts; p++) {
                float[] hrp = hr[p];
                if (hrp == null) continue;
                float[] hip = hi[p];
                int slot = seg.slot - p;
                if (slot < 0) slot += seg.parts;
                float[] a = xr[slot];
                float[] b = xi[slot];
                for (int k = 0; k < bins; k++) {
                    float ar = a[k];
                    float ai = b[k];
                    yr[k] += ar * hrp[k] - ai * hip[k];
                    yi[k] += ar * hip[k] + ai * hrp[k];
                }
                any = true;
            }
        }
        if (!any) return;
        float[] yt = seg.yTime[o];
        seg.fftPerOutput[o].inverse(yr, yi, yt);
        // overlap-save: the second half is the linear convolution of the block that just ended
        float[] a = acc[o];
        long dst = blockEnd - seg.block + seg.offset;
        int B = seg.block;
        int w = (int) (dst & accMask);
        int first = Math.min(B, a.length - w);
        for (int t = 0; t < first; t++) a[w + t] += yt[B + t];
        for (int t = first; t < B; t++) a[t - first] += yt[B + t];
    }

    private static boolean allZero(float[] h, int from, int to) {
        for (int i = from; i < to; i++) if (h[i] != 0f) return false;
        return true;
    }

    static int nextPow2(int n) {
        int p = 1;
        while (p < n) p <<= 1;
        return p;
    }
}
