package org.stemroom.room;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How an impulse response is cut into partitions for {@link PartitionedConvolver}: an optional head of
 * {@link #headLength()} taps convolved directly in the time domain, followed by segments of uniform
 * partitions, each segment with its own block size (its FFT is twice that).
 *
 * <p>The scheme is sample-exact under one rule (Gardner 1995): every block of a segment is computed at once,
 * in the audio thread, at the tick when its last input sample has arrived, so a segment of block size
 * {@code B} may only start at an IR offset {@code >= B - latency}. With {@code latency == base block}, the
 * first segment starts at 0; with zero latency, the first {@code base} taps form the direct head.
 */
public final class PartitionScheme {

    /** One run of equal partitions: {@code count} partitions of {@code blockSize} taps from IR tap {@code offset}. */
    public static final class Segment {
        public final int blockSize;
        public final int offset;
        public final int count;

        Segment(int blockSize, int offset, int count) {
            this.blockSize = blockSize;
            this.offset = offset;
            this.count = count;
        }

        public int end() { return offset + blockSize * count; }

        @Override
        public String toString() { return count + "x" + blockSize + "@" + offset; }
    }

    private final int baseBlock;
    private final int latency;
    private final int headLength;
    private final int irLength;
    private final List<Segment> segments;

    private PartitionScheme(int baseBlock, int latency, int headLength, int irLength, List<Segment> segments) {
        this.baseBlock = baseBlock;
        this.latency = latency;
        this.headLength = headLength;
        this.irLength = irLength;
        this.segments = Collections.unmodifiableList(segments);
        validate();
    }

    /**
     * Uniform partitions of {@code blockSize} for the whole IR, latency {@code blockSize}: the fastest scheme
     * for offline renders when {@code blockSize} is large (see {@link #offline(int, int, int, int)}).
     */
    public static PartitionScheme uniform(int blockSize, int irLength) {
        checkPow2(blockSize);
        List<Segment> segs = new ArrayList<>();
        int n = Math.max(1, ceilDiv(irLength, blockSize));
        segs.add(new Segment(blockSize, 0, n));
        return new PartitionScheme(blockSize, blockSize, 0, irLength, segs);
    }

    /**
     * Non-uniform partitions for real-time use: {@code baseBlock}-sized partitions first, doubling (after
     * {@code perSize} partitions of each size, or as soon as the Gardner rule allows) up to {@code maxBlock}
     * for the tail. Latency is {@code baseBlock}, or 0 when {@code zeroLatency} (the first {@code baseBlock}
     * taps are then convolved directly).
     */
    public static PartitionScheme nonUniform(int baseBlock, int maxBlock, int perSize, boolean zeroLatency, int irLength) {
        checkPow2(baseBlock);
        checkPow2(maxBlock);
        if (maxBlock < baseBlock) throw new IllegalArgumentException("maxBlock " + maxBlock + " < baseBlock " + baseBlock);
        if (perSize < 1) throw new IllegalArgumentException("perSize must be >= 1");
        int latency = zeroLatency ? 0 : baseBlock;
        int head = zeroLatency ? Math.min(baseBlock, Math.max(irLength, 1)) : 0;
        List<Segment> segs = new ArrayList<>();
        int b = baseBlock;
        int off = head;
        int count = 0;
        int segStart = off;
        while (off < irLength) {
            if (b < maxBlock && count >= perSize && off >= 2 * b - latency) {
                segs.add(new Segment(b, segStart, count));
                b *= 2;
                count = 0;
                segStart = off;
                continue;
            }
            off += b;
            count++;
        }
        if (count > 0) segs.add(new Segment(b, segStart, count));
        return new PartitionScheme(baseBlock, latency, head, irLength, segs);
    }

    /** The plugin's default: 64-frame latency (or zero), doubling to 8192-frame partitions for the tail. */
    public static PartitionScheme lowLatency(int baseBlock, boolean zeroLatency, int irLength) {
        return nonUniform(baseBlock, Math.max(baseBlock, 8192), 2, zeroLatency, irLength);
    }

    /** Largest offline partition: beyond it the model gains under 5 % for 3 s IRs while latency and memory double. */
    static final int OFFLINE_MAX_BLOCK = 32768;

    /**
     * Uniform partitions whose size minimises an operation-count model of FFTs plus spectral multiply-adds
     * for this IR length and matrix: the scheme for offline renders, where latency is compensated.
     *
     * <p>Model, in nanoseconds per input frame, fitted to {@code bench/.../EngineThroughput} (engine alone, 3 s IRs,
     * stereo pair and one source into six outputs, uniform 8192 to 65536, CPU time, 2025-11-25 at load 14): a real FFT
     * of n points costs 0.34 x n log2 n, a complex multiply-add 0.63 per bin. One forward FFT per source and one
     * inverse per output per block, one multiply-add per bin, partition and non-silent pair. The fit reproduced the
     * measured optimum order (one minute: stereo 0.139 / 0.116 / 0.128 / 0.137 s, mono to six 0.388 / 0.325 /
     * 0.285 / 0.273 s for 8192 / 16384 / 32768 / 65536); the previous constants (1.53 x n log2 n per FFT, 2 per bin)
     * overstated the FFT fivefold and chose 8192 for both, 1.2x and 1.4x slower than 32768.
     */
    public static PartitionScheme offline(int irLength, int sources, int outputs, int pairs) {
        int best = 1024;
        double bestCost = Double.MAX_VALUE;
        for (int b = 1024; b <= OFFLINE_MAX_BLOCK; b *= 2) {
            int parts = Math.max(1, ceilDiv(irLength, b));
            int n = 2 * b;
            double fft = (sources + outputs) * 0.34 * n * (Math.log(n) / Math.log(2)) / b;
            double mac = pairs * parts * 0.63 * (b + 1.0) / b;
            double cost = fft + mac;
            if (cost < bestCost) {
                bestCost = cost;
                best = b;
            }
        }
        return uniform(best, irLength);
    }

    private void validate() {
        int expect = headLength;
        for (Segment s : segments) {
            if (s.offset != expect) throw new IllegalStateException("segments not contiguous: " + segments);
            if (s.offset < s.blockSize - latency) {
                throw new IllegalStateException("segment " + s + " violates offset >= block - latency (" + latency + ")");
            }
            if (s.blockSize % baseBlock != 0) throw new IllegalStateException("block " + s.blockSize + " not a multiple of " + baseBlock);
            expect = s.end();
        }
        if (expect < irLength) throw new IllegalStateException("scheme covers " + expect + " of " + irLength + " taps");
    }

    private static void checkPow2(int n) {
        if (n < 1 || Integer.bitCount(n) != 1) throw new IllegalArgumentException("block size must be a power of two: " + n);
    }

    static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    /** Smallest block: the engine ticks every {@code baseBlock} frames. */
    public int baseBlock() { return baseBlock; }
    /** Frames between an input sample and its first effect on the output. */
    public int latency() { return latency; }
    /** Taps convolved directly in the time domain (zero-latency head). */
    public int headLength() { return headLength; }
    public int irLength() { return irLength; }
    public List<Segment> segments() { return segments; }

    public int maxBlock() {
        int m = baseBlock;
        for (Segment s : segments) m = Math.max(m, s.blockSize);
        return m;
    }

    /** Taps covered (head plus all partitions), at least {@link #irLength()}. */
    public int coveredLength() {
        return segments.isEmpty() ? headLength : segments.get(segments.size() - 1).end();
    }

    @Override
    public String toString() {
        return "PartitionScheme{latency=" + latency + ", head=" + headLength + ", segments=" + segments + "}";
    }
}
