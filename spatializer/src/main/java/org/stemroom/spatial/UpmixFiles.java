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

    /** What a run did. */
    public static final class Result {
        public final long frames;
        public final int sampleRate;
        public final long centreLimitedSamples;
        public final long clippedSamples;
        public final double seconds;

        Result(long frames, int sampleRate, long centreLimitedSamples, long clippedSamples, double seconds) {
            this.frames = frames;
            this.sampleRate = sampleRate;
            this.centreLimitedSamples = centreLimitedSamples;
            this.clippedSamples = clippedSamples;
            this.seconds = seconds;
        }
    }

    public static Result upmix(Path input, Path output, StereoUpmixer.Settings settings, SampleFormat sampleFormat,
                               Progress progress) throws IOException, StemroomException {
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
            try (AudioFileWriter writer = AudioFileWriter.create(output, outFormat, sampleFormat,
                    AudioFileWriter.Options.defaults().inputsNotToOverwrite(Set.of(input)))) {
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
                        trimmed.setFrames(keep);
                        for (int c = 0; c < outCh; c++) System.arraycopy(out.channel(c), skip, trimmed.channel(c), 0, keep);
                        writer.write(trimmed);
                        written += keep;
                    }
                    if (!eof) progress.advance(n);
                }
                if (written != read) {
                    throw new IllegalStateException("upmix wrote " + written + " frames for " + read + " read");
                }
                writer.commit();
                progress.done();
                return new Result(written, inFormat.sampleRate(), up.limitedSamples(), writer.clippedSamples(),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
