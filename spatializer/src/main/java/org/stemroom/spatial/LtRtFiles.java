package org.stemroom.spatial;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.core.loudness.TruePeakMeter;

/**
 * Lt/Rt stereo files: the {@link LtRtEncoder} matrix encode of a surround stream, times the user's trim, with its
 * sample and true peak measured as it is written (the encode adds the centre at -3 dB and the surrounds through
 * the 90-degree network into each side, so it can exceed full scale where the Lo/Ro fold-down does not; the user
 * needs the headroom and the trim that fixes it). One implementation for {@code upmix --ltrt} (encoding the upmix
 * as it streams) and {@code place --ltrt} (encoding the placed mix from its file).
 */
public final class LtRtFiles {
    private LtRtFiles() { }

    /** What an encode measured. */
    public static final class Peaks {
        /** Linear sample and true peak after the trim. */
        public final double samplePeak;
        public final double truePeak;
        /** Samples clipped by the writer (integer formats only). */
        public final long clippedSamples;
        public final long frames;

        Peaks(double samplePeak, double truePeak, long clippedSamples, long frames) {
            this.samplePeak = samplePeak;
            this.truePeak = truePeak;
            this.clippedSamples = clippedSamples;
            this.frames = frames;
        }
    }

    /** The layouts an Lt/Rt encode takes: those whose surrounds the matrix sums into S. */
    public static boolean encodes(SpeakerLayout layout) {
        return layout == SpeakerLayout.SURROUND_5_1 || layout == SpeakerLayout.SURROUND_7_1
                || layout == SpeakerLayout.SURROUND_7_1_4;
    }

    /** Encodes blocks of a surround stream into an Lt/Rt file; written atomically on {@link #commit}. */
    public static final class Sink implements AutoCloseable {
        private final LtRtEncoder encoder;
        private final AudioBuffer encoded;
        private final TruePeakMeter truePeak;
        private final float gain;
        private final AudioFileWriter writer;
        private double samplePeak;

        /**
         * @param surround the stream's format (its channel layout picks the matrix)
         * @param maxBlockFrames the largest block {@link #write} gets
         * @param inputs files the Lt/Rt file must never replace
         */
        public Sink(UpmixFiles.LtRtOutput out, AudioFormat surround, SampleFormat sampleFormat, int maxBlockFrames,
                    Collection<Path> inputs) throws IOException {
            SpeakerLayout layout = SpeakerLayout.of(surround.layout());
            if (!encodes(layout)) {
                throw new IllegalArgumentException("an Lt/Rt encode needs 5.1, 7.1 or 7.1.4, not " + layout.name());
            }
            encoder = new LtRtEncoder(layout);
            encoder.prepare(surround, maxBlockFrames);
            encoded = new AudioBuffer(2, maxBlockFrames);
            truePeak = new TruePeakMeter(2, maxBlockFrames);
            gain = (float) Math.pow(10, out.trimDb / 20);
            writer = AudioFileWriter.create(out.path, encoder.outputFormat(), sampleFormat,
                    AudioFileWriter.Options.defaults().inputsNotToOverwrite(inputs));
        }

        /** Encodes and writes all frames of {@code surround}. */
        public void write(AudioBuffer surround) throws IOException {
            int n = surround.frames();
            encoded.setFrames(n);
            encoder.process(surround.data(), encoded.data(), 0, n);
            for (int c = 0; c < 2; c++) {
                float[] e = encoded.channel(c);
                for (int i = 0; i < n; i++) {
                    e[i] *= gain;
                    samplePeak = Math.max(samplePeak, Math.abs(e[i]));
                }
            }
            truePeak.process(encoded.data(), 0, n);
            writer.write(encoded);
        }

        public void commit() throws IOException { writer.commit(); }

        /** What was measured so far. */
        public Peaks peaks() {
            return new Peaks(samplePeak, truePeak.peak(), writer.clippedSamples(), writer.framesWritten());
        }

        /** Without {@link #commit} first: discards the file. */
        @Override
        public void close() { writer.close(); }
    }

    static final int BLOCK = 8192;

    /**
     * Encodes the surround file {@code surround} (5.1, 7.1 or 7.1.4, as its channel layout says) to
     * {@code out.path}, streaming. StemroomException names the file when it is not such a layout. The Lt/Rt file
     * never replaces {@code surround} nor any of {@code notToOverwrite} (e.g. the files the surround was made from).
     */
    public static Peaks encode(Path surround, UpmixFiles.LtRtOutput out, SampleFormat sampleFormat,
                               Collection<Path> notToOverwrite, Progress progress) throws IOException, StemroomException {
        try (AudioFileReader reader = AudioFileReader.open(surround)) {
            AudioFormat f = reader.format();
            ChannelLayout cl = f.layout();
            if (!cl.isSpeakerLayout() || !encodes(SpeakerLayout.of(cl))) {
                throw new StemroomException(surround + ": an Lt/Rt encode needs a 5.1, 7.1 or 7.1.4 file, this one is "
                        + cl.name() + " (" + f.channels() + " channels)");
            }
            AudioBuffer in = new AudioBuffer(f.channels(), BLOCK);
            progress.begin("Lt/Rt encode of " + surround.getFileName(), reader.frames());
            Set<Path> keep = new HashSet<>(notToOverwrite);
            keep.add(surround);
            try (Sink sink = new Sink(out, f, sampleFormat, BLOCK, keep)) {
                int n;
                while ((n = reader.read(in)) > 0) {
                    sink.write(in);
                    progress.advance(n);
                }
                sink.commit();
                progress.done();
                return sink.peaks();
            }
        }
    }
}
