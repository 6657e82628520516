package org.stemroom.room;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Progress;
import org.stemroom.core.Speaker;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.ReadAhead;
import org.stemroom.core.io.WriteBehind;
import org.stemroom.core.io.SampleFormat;

/**
 * Streams an audio file through an IR set into a new file, block by block (memory does not grow with the file):
 * {@code out = dry * in + wet * (in * IR)}, with the engine's latency compensated (the wet sound is aligned with
 * the input) and the output extended by the IR's length so the decay is complete. The output is written
 * atomically; it can never replace the input. Offline renders use large uniform partitions
 * ({@link PartitionScheme#offline}); {@code threads > 1} shares the sources' transforms and the outputs of each
 * block over the render thread and {@code threads - 1} helpers, with bit-identical results.
 */
public final class ConvolutionRender {

    /** What to render. */
    public static final class Settings {
        public double wet = 1.0;
        public double dry = 0.0;
        public int threads = 1;
        public SampleFormat sampleFormat = SampleFormat.FLOAT_32;
        /** Tail after the input ends, seconds; negative = the whole IR. */
        public double tailSeconds = -1;
        public int blockFrames = 8192;
        /** Null: {@link PartitionScheme#offline}. */
        public PartitionScheme scheme;
        /**
         * Inputs shorter than this many seconds render on one thread whatever {@link #threads} says (the bits are the
         * same either way); see {@link #HELPERS_FROM_SECONDS}. Tests set 0 to exercise the helpers on short files.
         */
        public double helpersFromSeconds = HELPERS_FROM_SECONDS;
    }

    /**
     * Below about two minutes of input, helper threads cost more than they save. On the quiet 2-core machine (lead,
     * session 7, one minute, 3 s IR, wall / CPU) two threads were slower than one: stereo 0.550 / 0.739 s against
     * 0.510 / 0.655, mono into six outputs 0.757 / 0.945 against 0.734 / 0.879, although the engine alone, warm, gains
     * 0.040 s (stereo) and 0.084 s (mono into six) per minute from the second thread: at start-up the helper competes
     * for the two cores with the JIT compiler threads (and the read-ahead and write-behind threads), needs its own
     * transform scratch, and every block pays two hand-overs. So the fixed cost is about 0.08-0.11 s and the helper
     * pays from about 1.3 (mono into six) to 2 (stereo) minutes.
     */
    public static final double HELPERS_FROM_SECONDS = 120;

    /** What was rendered. */
    public static final class Result {
        public final long inputFrames;
        public final long outputFrames;
        public final float peak;
        public final double seconds;
        public final long clippedSamples;
        public final PartitionScheme scheme;
        /** Threads that computed (the render thread and its helpers). */
        public final int threads;

        Result(long inputFrames, long outputFrames, float peak, double seconds, long clipped, PartitionScheme scheme,
               int threads) {
            this.inputFrames = inputFrames;
            this.outputFrames = outputFrames;
            this.peak = peak;
            this.seconds = seconds;
            this.clippedSamples = clipped;
            this.scheme = scheme;
            this.threads = threads;
        }
    }

    private ConvolutionRender() { }

    /** Daemon helper threads; an inner class, not a lambda: a command's first lambda bootstraps invokedynamic. */
    private static final ThreadFactory HELPER_THREADS = new ThreadFactory() {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "stemroom-convolve");
            t.setDaemon(true);
            return t;
        }
    };

    public static Result render(Path input, RoomImpulseResponse rir, Settings st, Path output, Progress progress)
            throws IOException, StemroomException {
        long t0 = System.nanoTime();
        try (AudioFileReader reader = AudioFileReader.open(input)) {
            AudioFormat inFormat = reader.format();
            if (rir.sampleRate() != inFormat.sampleRate()) {
                throw new StemroomException("IR rate " + rir.sampleRate() + " Hz differs from " + input + " at "
                        + inFormat.sampleRate() + " Hz");
            }
            if (rir.sources() != inFormat.channels()) {
                throw new StemroomException("IR set has " + rir.sources() + " sources, " + input + " has "
                        + inFormat.channels() + " channels");
            }
            ChannelLayout outLayout = rir.outputLayout();
            float[][] dryMap = st.dry == 0 ? null : dryMatrix(inFormat.layout(), outLayout);
            PartitionScheme scheme = st.scheme != null ? st.scheme
                    : PartitionScheme.offline(rir.length(), rir.sources(), rir.outputs(), rir.nonSilentPairs());
            PartitionedConvolver conv = PartitionedConvolver.of(rir, scheme);
            // at least one partition per call: each call then completes whole engine blocks, and the I/O threads
            // hand over fewer, larger blocks (3 s IR: 32768 frames; 10-minute stereo job 3.47 -> 3.26 CPU-s at load
            // 13, same bytes). The output does not depend on the call size.
            int block = Math.max(st.blockFrames, Math.min(scheme.baseBlock(), 65536));
            try (ReadAhead ahead = new ReadAhead(reader, block, 2)) {
                conv.prepare(inFormat, block);
                // the render thread computes too: threads - 1 helpers
                int helpers = Math.min(st.threads - 1, Math.max(rir.sources(), rir.outputs()) - 1);
                if (reader.frames() >= 0 && reader.frames() < st.helpersFromSeconds * inFormat.sampleRate()) helpers = 0;
                ExecutorService pool = helpers > 0 ? Executors.newFixedThreadPool(helpers, HELPER_THREADS) : null;
                conv.setExecutor(pool, helpers);
                int latency = conv.latencyFrames();
                long tail = st.tailSeconds < 0 ? rir.length() - 1 : Math.round(st.tailSeconds * inFormat.sampleRate());
                long total = reader.frames() >= 0 ? reader.frames() : -1;
                int ins = inFormat.channels();
                int outs = outLayout.channelCount();
                AudioBuffer wetOut = new AudioBuffer(outs, block);
                AudioBuffer zeros = new AudioBuffer(ins, block); // the input after the file ends
                // dry path delayed by the engine's latency so it lines up with the wet output before the cut
                float[][] dryDelay = dryMap == null ? null : new float[ins][latency + block];
                long inFrames = 0;
                long produced = 0; // engine output frames so far (the first `latency` are dropped)
                AudioFileWriter.Options opts = AudioFileWriter.Options.defaults().inputsNotToOverwrite(List.of(input));
                // Reading and decoding run ahead, encoding and writing behind, each on its own thread: this thread only
                // convolves and mixes. The blocks are the same as when one thread does everything, so are the bits.
                // (Closed in reverse order: the I/O threads stop before the writer and the reader close.) Reading began
                // before the engine prepared the IR's spectra, on another core where there is one.
                try (AudioFileWriter writer = AudioFileWriter.create(output, new AudioFormat(inFormat.sampleRate(), outLayout),
                        st.sampleFormat, opts);
                     WriteBehind behind = new WriteBehind(writer, block, 2)) {
                    progress.begin("convolve", total > 0 ? total + tail : -1);
                    long flushLeft = -1; // frames of zeros still to feed after the input ended
                    while (true) {
                        AudioBuffer in;
                        int n;
                        if (flushLeft < 0) {
                            in = ahead.next();
                            if (in == null) {
                                flushLeft = latency + tail;
                                continue;
                            }
                            n = in.frames();
                            inFrames += n; // finite: the reader refuses NaN and infinite samples
                        } else {
                            if (flushLeft == 0) break;
                            n = (int) Math.min(block, flushLeft);
                            in = zeros;
                            in.setFrames(n);
                            flushLeft -= n;
                        }
                        conv.process(in, wetOut);
                        AudioBuffer mix = behind.buffer();
                        mix.setFrames(n);
                        mix(in, wetOut, mix, n, (float) st.wet, st.dry, dryMap, dryDelay, latency);
                        // drop the first `latency` frames of the engine output
                        int skip = (int) Math.max(0, Math.min(n, latency - produced));
                        produced += n;
                        int keep = n - skip;
                        if (skip > 0 && keep > 0) {
                            for (int o = 0; o < outs; o++) System.arraycopy(mix.channel(o), skip, mix.channel(o), 0, keep);
                        }
                        mix.setFrames(Math.max(0, keep));
                        behind.submit(mix); // 0 frames: nothing written, the buffer comes back
                        if (keep > 0) progress.advance(keep);
                    }
                    behind.finish();
                    writer.commit();
                    progress.done();
                    return new Result(inFrames, writer.framesWritten(), writer.peak(), (System.nanoTime() - t0) / 1e9,
                            writer.clippedSamples(), scheme, 1 + helpers);
                } finally {
                    if (pool != null) pool.shutdownNow();
                }
            }
        }
    }

    /**
     * {@code mix = wet * wetOut + dry * (input delayed by the latency, placed by dryMap)} for {@code n} frames.
     * Its own method so that the JIT compiles these loops once, small, instead of on-stack-replacing the whole
     * render loop around them (the largest single compilation of a one-minute job).
     */
    private static void mix(AudioBuffer in, AudioBuffer wetOut, AudioBuffer mix, int n, float g, double dry,
                            float[][] dryMap, float[][] dryDelay, int latency) {
        int outs = mix.channels();
        for (int o = 0; o < outs; o++) EngineLoops.scale(wetOut.channel(o), g, mix.channel(o), n);
        if (dryMap == null) return;
        for (int c = 0; c < dryMap.length; c++) {
            float[] d = dryDelay[c];
            System.arraycopy(in.channel(c), 0, d, latency, n);
            for (int o = 0; o < outs; o++) {
                float gd = (float) (dry * dryMap[c][o]);
                if (gd != 0) EngineLoops.addScaled(d, gd, mix.channel(o), n);
            }
            System.arraycopy(d, n, d, 0, latency);
        }
    }

    /**
     * Gains {@code [in][out]} placing the dry input in the output layout: channels with the same label go
     * straight through; a mono (C) input without a C output is spread over L and R at -3 dB each.
     */
    public static float[][] dryMatrix(ChannelLayout in, ChannelLayout out) throws StemroomException {
        float[][] g = new float[in.channelCount()][out.channelCount()];
        for (int c = 0; c < in.channelCount(); c++) {
            int o = out.indexOf(in.label(c));
            if (o >= 0) {
                g[c][o] = 1f;
                continue;
            }
            boolean centre = in.channelCount() == 1 || (in.isSpeakerLayout() && in.speakers().get(c) == Speaker.C);
            int l = out.indexOf(Speaker.L), r = out.indexOf(Speaker.R);
            if (centre && l >= 0 && r >= 0) {
                g[c][l] = (float) Math.sqrt(0.5);
                g[c][r] = (float) Math.sqrt(0.5);
            } else if (in.channelCount() == out.channelCount()) {
                g[c][c] = 1f;
            } else {
                throw new StemroomException("cannot place dry channel '" + in.label(c) + "' in the " + out.name()
                        + " output; use a dry level of 0");
            }
        }
        return g;
    }
}
