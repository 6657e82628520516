package org.stemroom.bench;

import java.nio.file.Path;
import java.util.Set;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.SampleFormat;

/**
 * Streams any readable file (WAV, RF64, AIFF, FLAC) into a WAV: {@code ConvertFile IN OUT [16|24|32|float32|float64]}.
 * Without a format the output keeps the input's bit depth; dither is added only when the output has fewer bits.
 * For bench/peers.sh (decode speed next to {@code flac -d} and ffmpeg). Prints the time taken to stderr.
 */
public final class ConvertFile {
    private ConvertFile() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ConvertFile IN OUT [16|24|32|float32|float64]");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        try (AudioFileReader r = AudioFileReader.open(in)) {
            int bits = r.bitsPerSample();
            boolean isFloat = r.encoding().contains("float");
            SampleFormat sf = args.length > 2 ? SampleFormat.parse(args[2])
                    : isFloat ? (bits == 64 ? SampleFormat.FLOAT_64 : SampleFormat.FLOAT_32)
                    : bits <= 16 ? SampleFormat.PCM_16 : bits <= 24 ? SampleFormat.PCM_24 : SampleFormat.PCM_32;
            boolean reduces = sf.reducesPrecision() && (isFloat || bits > sf.bits());
            AudioFileWriter.Options o = AudioFileWriter.Options.defaults().dither(reduces)
                    .inputsNotToOverwrite(Set.of(in));
            try (AudioFileWriter w = AudioFileWriter.create(out, r.format(), sf, o)) {
                AudioBuffer buf = new AudioBuffer(r.format().channels(), 8192);
                while (r.read(buf) > 0) w.write(buf);
                w.commit();
            }
        }
        System.err.printf("convert %s -> %s: %.3f s%n", in.getFileName(), out.getFileName(), (System.nanoTime() - t0) / 1e9);
    }
}
