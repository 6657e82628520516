package org.stemroom.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.dsp.Resampler;

/** Resampling one minute of stereo 44.1 kHz to 48 kHz: offline (whole clip) and streaming (1024-frame blocks). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResampleBench {
    private AudioClip minute;
    private Resampler streaming;
    private AudioBuffer in;
    private AudioBuffer out;

    @Setup
    public void setup() {
        minute = TestSignal.music(44_100, 2, 60);
        streaming = new Resampler(44_100, 48_000);
        streaming.prepare(AudioFormat.of(44_100, 2), 1024);
        in = new AudioBuffer(2, 1024);
        out = new AudioBuffer(2, streaming.maxOutputFrames(1024));
        Random r = new Random(2);
        for (int c = 0; c < 2; c++) for (int i = 0; i < 1024; i++) in.set(c, i, (float) r.nextGaussian() * 0.1f);
    }

    @Benchmark
    public AudioClip offlineMinuteStereo44k1To48k() {
        return Resampler.resample(minute, 48_000);
    }

    /** The same minute through the real-time path (2584 blocks of 1024 frames). */
    @Benchmark
    public int streamingMinuteStereo44k1To48k() {
        int blocks = (int) Math.ceil(44_100 * 60 / 1024.0);
        int total = 0;
        for (int b = 0; b < blocks; b++) {
            streaming.process(in, out);
            total += out.frames();
        }
        return total;
    }
}
