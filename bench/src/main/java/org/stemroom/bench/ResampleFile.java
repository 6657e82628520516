package org.stemroom.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.stemroom.core.AudioClip;
import org.stemroom.core.dsp.Resampler;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/**
 * Resamples a file to a 32-bit float WAV, what bench/peers.sh times against ffmpeg's soxr:
 * {@code java -cp bench/target/benchmarks.jar org.stemroom.bench.ResampleFile IN OUT RATE}. Prints the time of
 * each stage (read, resample, write) to stderr.
 */
public final class ResampleFile {
    private ResampleFile() { }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ResampleFile IN OUT RATE");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        AudioClip in = AudioFiles.readAll(Path.of(args[0]));
        long t1 = System.nanoTime();
        AudioClip out = Resampler.resample(in, Integer.parseInt(args[2]));
        long t2 = System.nanoTime();
        AudioFiles.write(Path.of(args[1]), out, SampleFormat.FLOAT_32);
        long t3 = System.nanoTime();
        System.err.printf(Locale.ROOT, "stemroom stages: read %.3f s, resample %.3f s, write %.3f s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
    }
}
