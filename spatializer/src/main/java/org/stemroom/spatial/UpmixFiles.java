package org.stemroom.spatial;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.SampleFormat;

/**
 * Upmixes a stereo file to a 5.1 / 7.1 WAV, streaming block by block (memory independent of the file's length),
 * with the upmixer's latency removed so that the output lines up with the input sample for sample and has the
 * same length. The output is written atomically and never replaces the input.
 */
public final class UpmixFiles {
    static final int BLOCK = 8192;

    private UpmixFiles() { }

    /**
     * The optional Lt/Rt stereo written beside (or instead of) the surround file: the {@link LtRtEncoder} matrix
     * encode of the upmix, times a trim. Why a trim: the encode adds the centre at -3 dB and the surrounds through
     * the 90-degree network into each side, so a loud upmix of a mastered mix exceeds full scale (measured: the
     * Lt/Rt of the bench mix's 5.1 peaks at +1.3 dBFS where its Lo/Ro fold-down stays at -0.3 dBFS). The run
     * measures the encode's sample and true peak after the trim (so the user sees the headroom and the trim to
     * ask for), and the writer counts clipped samples in the integer formats.
     */
    public static final class LtRtOutput {
        public final Path path;
        public final double trimDb;

        public LtRtOutput(Path path, double trimDb) {
            if (!(trimDb >= -24 && trimDb <= 0)) {
                throw new IllegalArgumentException("Lt/Rt trim " + trimDb + " dB outside -24..0 dB");
            }
            this.path = path;
            this.trimDb = trimDb;
        }
    }

    /** What a run did. */
    public static final class Result {
        public final long frames;
        public final int sampleRate;
        public final long centreLimitedSamples;
        /** Clipped samples of the surround file (0 for float, or when it was not written). */
        public final long clippedSamples;
        public final double seconds;
        /** Of the Lt/Rt file when one was written (else 0): linear sample and true peak, clipped samples. */
        public final double ltRtSamplePeak;
        public final double ltRtTruePeak;
        public final long ltRtClippedSamples;

        Result(long frames, int sampleRate, long centreLimitedSamples, long clippedSamples, double seconds,
               double ltRtSamplePeak, double ltRtTruePeak, long ltRtClippedSamples) {
            this.frames = frames;
            this.sampleRate = sampleRate;
            this.centreLimitedSamples = centreLimitedSamples;
            this.clippedSamples = clippedSamples;
            this.seconds = seconds;
            this.ltRtSamplePeak = ltRtSamplePeak;
            this.ltRtTruePeak = ltRtTruePeak;
            this.ltRtClippedSamples = ltRtClippedSamples;
        }
    }

    public static Result upmix(Path input, Path output, StereoUpmixer.Settings settings, SampleFormat sampleFormat,
                               Progress progress) throws IOException, StemroomException {
        return upmix(input, output, null, settings, sampleFormat, progress);
    }

    /**
     * Upmixes {@code input} to {@code output} (null: no surround file) and, when {@code ltRt} is given, to its
     * Lt/Rt stereo encode as well; at least one of the two. Both files are written atomically, in the same format.
     */
    public static Result upmix(Path input, Path output, LtRtOutput ltRt, StereoUpmixer.Settings settings,
                               SampleFormat sampleFormat, Progress progress) throws IOException, StemroomException {
        if (output == null && ltRt == null) throw new IllegalArgumentException("no output: give a surround file, an Lt/Rt file or both");
        long t0 = System.nanoTime();
        try (AudioFileReader reader = AudioFileReader.open(input)) {
            AudioFormat inFormat = reader.format();
            if (inFormat.channels() != 2) {
                throw new StemroomException(input + ": upmix needs a stereo file, this one has "
                        + inFormat.channels() + " channel" + (inFormat.channels() == 1 ? "" : "s"));
            }
            StereoUpmixer up = new StereoUpmixer(settings);
            up.prepare(inFormat, BLOCK);
            AudioFormat outFormat = up.outputFormat();
            int outCh = outFormat.channels();
            AudioBuffer in = new AudioBuffer(2, BLOCK);
            AudioBuffer out = new AudioBuffer(outCh, BLOCK);
            AudioBuffer trimmed = new AudioBuffer(outCh, BLOCK);
            long total = reader.frames();
            long toSkip = up.latencyFrames();
            long read = 0;
            long written = 0;
            progress.begin("upmix " + input.getFileName() + " to " + settings.layout.name(), total);
            Set<Path> inputs = Set.of(input);
            try (AudioFileWriter writer = output == null ? null : AudioFileWriter.create(output, outFormat, sampleFormat,
                         AudioFileWriter.Options.defaults().inputsNotToOverwrite(inputs));
                 LtRtFiles.Sink ltRtSink = ltRt == null ? null : new LtRtFiles.Sink(ltRt, outFormat, sampleFormat, BLOCK, inputs)) {
                boolean eof = false;
                long flushLeft = up.latencyFrames();
                while (true) {
                    int n;
                    if (!eof) {
                        n = reader.read(in);
                        if (n == 0) eof = true;
                        else {
                            if (!in.isFinite()) {
                                throw new StemroomException(input + ": not-a-number or infinite sample between frames "
                                        + read + " and " + (read + n));
                            }
                            read += n;
                        }
                    } else {
                        n = 0;
                    }
                    if (eof) {
                        // flush the latency with silence
                        if (flushLeft == 0) break;
                        n = (int) Math.min(BLOCK, flushLeft);
                        in.setFrames(n);
                        in.clear();
                        flushLeft -= n;
                    }
                    up.process(in, out);
                    int skip = (int) Math.min(toSkip, n);
                    toSkip -= skip;
                    int keep = n - skip;
                    if (keep > 0) {
                        // only the blocks that start inside the latency need their head cut off (a copy)
                        AudioBuffer aligned = out;
                        if (skip > 0) {
                            trimmed.setFrames(keep);
                            for (int c = 0; c < outCh; c++) System.arraycopy(out.channel(c), skip, trimmed.channel(c), 0, keep);
                            aligned = trimmed;
                        }
                        if (writer != null) writer.write(aligned);
                        if (ltRtSink != null) ltRtSink.write(aligned);
                        written += keep;
                    }
                    if (!eof) progress.advance(n);
                }
                if (written != read) {
                    throw new IllegalStateException("upmix wrote " + written + " frames for " + read + " read");
                }
                if (writer != null) writer.commit();
                if (ltRtSink != null) ltRtSink.commit();
                progress.done();
                LtRtFiles.Peaks lp = ltRtSink == null ? null : ltRtSink.peaks();
                return new Result(written, inFormat.sampleRate(), up.limitedSamples(),
                        writer == null ? 0 : writer.clippedSamples(), (System.nanoTime() - t0) / 1e9,
                        lp == null ? 0 : lp.samplePeak, lp == null ? 0 : lp.truePeak,
                        lp == null ? 0 : lp.clippedSamples);
            }
        }
    }
}
