package org.stemroom.core;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the time of each audio block went, stage by stage, for the plugin bench: a block's stages mark their ends in
 * order ({@link #begin}, then {@link #mark} once per stage), and {@link #write} lists per block its start and each
 * stage's milliseconds. A block that is slow in every stage at once was slowed from outside (the machine); one slow
 * in a single stage did that stage's work. The bench lines the blocks up with the test host's per-block trace.
 *
 * <p>Real-time safe: the times live in one array allocated here, a ring of the last {@code capacity} blocks;
 * {@link #begin} and {@link #mark} read the clock and store, allocate nothing and take no lock. One writer (the
 * audio thread); {@link #write} runs after the blocks, off the audio thread. Marks outside a begun block (a warm-up
 * twin sharing the marked code) are ignored. Off unless the environment asks ({@link #fromEnvironment}).
 */
public final class BlockStageTimes {
    /** Names the file {@link #fromEnvironment} gives; unset, the stages are not timed. */
    public static final String ENVIRONMENT = "STEMROOM_STAGE_TRACE";

    private final List<String> stages;
    private final int capacity;
    private final long[] nanos; // per block: start, then the end of each stage
    private final long epochOffsetNanos; // System.nanoTime() + this = nanoseconds since the epoch (to a millisecond)
    private final Path file; // where fromEnvironment's times belong, or null
    private long blocks;
    private int cursor = -1; // next stage to mark in the current block; -1 outside a block

    public BlockStageTimes(List<String> stages, int capacity) {
        this(stages, capacity, null);
    }

    private BlockStageTimes(List<String> stages, int capacity, Path file) {
        if (stages.isEmpty() || capacity < 1) throw new IllegalArgumentException("no stages or no capacity");
        this.stages = List.copyOf(stages);
        this.capacity = capacity;
        this.nanos = new long[capacity * (stages.size() + 1)];
        this.epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        this.file = file;
    }

    /**
     * Stage timing when {@value #ENVIRONMENT} names a file (the last 200,000 blocks are kept; {@link #file} is that
     * file), else null.
     */
    public static BlockStageTimes fromEnvironment(List<String> stages) {
        String f = System.getenv(ENVIRONMENT);
        return f == null ? null : new BlockStageTimes(stages, 200_000, Path.of(f));
    }

    /** The file {@link #fromEnvironment} was asked to write these times to; null for times made directly. */
    public Path file() {
        return file;
    }

    /** A block starts. */
    public void begin() {
        int base = (int) (blocks % capacity) * (stages.size() + 1);
        nanos[base] = System.nanoTime();
        cursor = 0;
    }

    /** The next stage of the current block ends; ignored outside a block and past the last stage. */
    public void mark() {
        if (cursor < 0) return;
        int base = (int) (blocks % capacity) * (stages.size() + 1);
        nanos[base + 1 + cursor] = System.nanoTime();
        if (++cursor == stages.size()) {
            cursor = -1;
            blocks++;
        }
    }

    /**
     * Forgets every block kept so far: the plugin's warm-up runs the same marked code (so that the JIT compiles it with
     * the timing on, as the blocks after it run it) and its blocks are no part of the trace. Not while a block is
     * being marked.
     */
    public void clear() {
        blocks = 0;
        cursor = -1;
    }

    /** Blocks completed (every stage marked). */
    public long blocks() {
        return blocks;
    }

    /**
     * Writes the kept blocks, oldest first, one per line: {@code index start_epoch_ms} and each stage's milliseconds,
     * after a header line naming the stages. Not on the audio thread.
     */
    public void write(Path file) throws IOException {
        int width = stages.size() + 1;
        long first = Math.max(0, blocks - capacity);
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("# index start_epoch_ms " + String.join("_ms ", stages) + "_ms\n");
            for (long b = first; b < blocks; b++) {
                int base = (int) (b % capacity) * width;
                StringBuilder line = new StringBuilder();
                line.append(b).append(' ')
                        .append(String.format(Locale.ROOT, "%.3f", (nanos[base] + epochOffsetNanos) / 1e6));
                for (int s = 1; s < width; s++) {
                    double ms = (nanos[base + s] - nanos[base + s - 1]) / 1e6;
                    line.append(' ').append(String.format(Locale.ROOT, "%.4f", ms));
                }
                w.write(line.append('\n').toString());
            }
        }
    }
}
