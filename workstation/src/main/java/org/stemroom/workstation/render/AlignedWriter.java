package org.stemroom.workstation.render;

import java.io.IOException;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.io.AudioFileWriter;

/**
 * Writes a processed stream aligned with its input: drops the first {@code latency} frames a processor delayed
 * it by, and stops after {@code limit} frames (input length plus tail).
 */
final class AlignedWriter {
    /** Where the aligned blocks go: a file, or the next stage of a render (the master stage, streaming). */
    interface Target {
        void write(AudioBuffer block) throws IOException;
    }

    private final AudioFileWriter writer;
    private final Target target;
    private final AudioBuffer view;
    private long toSkip;
    private long remaining;
    private final StreamStats stats;
    private final java.util.List<Tap> taps = new java.util.ArrayList<>();

    /** Sees every aligned block on its way out (the report's picture, the fold-down check). */
    interface Tap {
        void add(float[][] data, int off, int n) throws IOException;
    }

    AlignedWriter(AudioFileWriter writer, int latency, long limit, int channels, int maxBlock, StreamStats stats) {
        this(writer, writer == null ? null : writer::write, latency, limit, channels, maxBlock, stats);
    }

    AlignedWriter(Target target, int latency, long limit, int channels, int maxBlock, StreamStats stats) {
        this(null, target, latency, limit, channels, maxBlock, stats);
    }

    private AlignedWriter(AudioFileWriter writer, Target target, int latency, long limit, int channels, int maxBlock,
                          StreamStats stats) {
        this.writer = writer;
        this.target = target;
        this.toSkip = latency;
        this.remaining = limit;
        this.view = new AudioBuffer(channels, maxBlock);
        this.stats = stats;
    }

    long remaining() { return remaining; }

    /** Also hands every aligned block to {@code t}, in order. */
    void tap(Tap t) { taps.add(t); }

    void write(AudioBuffer buf) throws IOException {
        int n = buf.frames();
        int start = (int) Math.min(n, toSkip);
        toSkip -= start;
        int len = (int) Math.min(n - start, remaining);
        if (len <= 0) return;
        AudioBuffer out = buf;
        if (start != 0 || len != n) { // only the first block (latency) and the last (limit) are cut
            view.setFrames(len);
            for (int c = 0; c < view.channels(); c++) System.arraycopy(buf.channel(c), start, view.channel(c), 0, len);
            out = view;
        }
        if (stats != null) stats.add(out);
        for (int k = 0; k < taps.size(); k++) taps.get(k).add(out.data(), 0, len);
        if (target != null) target.write(out);
        remaining -= len;
    }

    /** The file written, or null when the blocks go to a {@link Target}. */
    AudioFileWriter writer() { return writer; }
}
