package org.stemroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
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
 * Audio file throughput: reading (and, for comparison, writing) one minute of 48 kHz stereo WAV, block by block
 * as a render does. One operation = the whole minute, so 60 000 / (ms/op) is the speed as a multiple of real
 * time. The file sits in the page cache after the first read: this measures decoding, not the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WavReadBenchmark {
    static final int RATE = 48_000;
    static final int FRAMES = 60 * RATE;
    static final int BLOCK = 4096;

    @Param({"PCM_16", "PCM_24", "FLOAT_32"})
    public String sampleFormat;

    private Path dir;
    private Path file;
    private AudioBuffer buf;
    private AudioBuffer source;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("stemroom-bench-wav");
        file = dir.resolve("minute.wav");
        buf = new AudioBuffer(2, BLOCK);
        source = new AudioBuffer(2, BLOCK);
        Random r = new Random(1);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < BLOCK; i++) source.set(c, i, (float) (r.nextGaussian() * 0.2));
        }
        write(file);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private long write(Path target) throws IOException {
        try (AudioFileWriter w = AudioFileWriter.create(target, AudioFormat.of(RATE, 2),
                SampleFormat.valueOf(sampleFormat))) {
            for (int at = 0; at < FRAMES; at += BLOCK) {
                source.setFrames(Math.min(BLOCK, FRAMES - at));
                w.write(source);
            }
            w.commit();
            return w.framesWritten();
        }
    }

    /** Decodes the whole minute into planar float blocks. */
    @Benchmark
    public double readMinute() throws IOException {
        double sum = 0;
        try (AudioFileReader r = AudioFileReader.open(file)) {
            while (r.read(buf) > 0) sum += buf.get(0, 0) + buf.get(1, buf.frames() - 1);
        }
        return sum;
    }

    /** Encodes (with TPDF dither for 16/24-bit) and commits a minute. */
    @Benchmark
    public long writeMinute() throws IOException {
        return write(dir.resolve("out.wav"));
    }
}
