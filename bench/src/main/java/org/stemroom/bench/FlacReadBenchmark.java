package org.stemroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.SampleFormat;

/**
 * FLAC decoding speed: one minute of 44.1 kHz stereo music-like material encoded by the reference {@code flac}
 * tool (installed by scripts/install-deps.sh bench), decoded block by block. 60 000 / (ms/op) = multiple of real
 * time. Compare with {@code time flac -d -f -o /dev/null minute.flac} on the same machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlacReadBenchmark {
    static final int RATE = 44_100;
    static final int FRAMES = 60 * RATE;

    @Param({"16", "24"})
    public int bits;

    private Path dir;
    private Path flac;
    private final AudioBuffer buf = new AudioBuffer(2, 4096);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("stemroom-bench-flac");
        Path wav = dir.resolve("minute.wav");
        AudioBuffer b = new AudioBuffer(2, 4096);
        java.util.Random r = new java.util.Random(2);
        try (AudioFileWriter w = AudioFileWriter.create(wav, AudioFormat.of(RATE, 2),
                bits == 16 ? SampleFormat.PCM_16 : SampleFormat.PCM_24)) {
            for (int at = 0; at < FRAMES; at += 4096) {
                int n = Math.min(4096, FRAMES - at);
                for (int i = 0; i < n; i++) {
                    double t = (at + i) / (double) RATE;
                    double env = Math.exp(-4 * (t % 0.5));
                    double v = 0.4 * env * Math.sin(2 * Math.PI * 220 * t) + 0.15 * Math.sin(2 * Math.PI * 1234.5 * t)
                            + 0.02 * r.nextGaussian();
                    b.set(0, i, (float) v);
                    b.set(1, i, (float) (0.8 * v + 0.02 * r.nextGaussian()));
                }
                b.setFrames(n);
                w.write(b);
            }
            w.commit();
        }
        flac = dir.resolve("minute.flac");
        Process p = new ProcessBuilder("flac", "-s", "-f", "-5", "-o", flac.toString(), wav.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("flac failed (scripts/install-deps.sh bench): " + out);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public double decodeMinute() throws IOException {
        double sum = 0;
        try (AudioFileReader r = AudioFileReader.open(flac)) {
            while (r.read(buf) > 0) sum += buf.get(0, 0);
        }
        return sum;
    }
}
