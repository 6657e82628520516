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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.annotations.Param;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;

/**
 * STFT kernels: one 4096-point frame forward and back (streaming path), a whole 10 s signal offline, and the
 * real FFT alone at the sizes the project uses (powers of two for convolution and STFTs; 6144 = 3 x 2048 for
 * the MDX-Net STFT of the ONNX separators).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StftBench {
    private Stft stft;
    private Stft.Analyzer analyzer;
    private Stft.Synthesizer synthesizer;
    private float[] hopIn;
    private float[] hopOut;
    private float[] re;
    private float[] im;
    private float[] tenSeconds;

    /** Real FFT alone; its own state so that the size parameter does not multiply the STFT benchmarks. */
    @State(Scope.Thread)
    public static class Fft {
        @Param({"1024", "4096", "6144", "8192", "16384"})
        public int fftSize;
        RealFft fft;
        float[] in;
        float[] out;
        float[] re;
        float[] im;

        @Setup
        public void setup() {
            Random r = new Random(2);
            fft = new RealFft(fftSize);
            in = new float[fftSize];
            for (int i = 0; i < in.length; i++) in[i] = (float) r.nextGaussian();
            out = new float[fftSize];
            re = new float[fft.bins()];
            im = new float[fft.bins()];
            fft.forward(in, re, im);
        }
    }

    @Setup
    public void setup() {
        stft = new Stft(4096, 1024);
        analyzer = stft.newAnalyzer();
        synthesizer = stft.newSynthesizer();
        Random r = new Random(1);
        hopIn = new float[1024];
        for (int i = 0; i < hopIn.length; i++) hopIn[i] = (float) r.nextGaussian();
        hopOut = new float[1024];
        re = new float[stft.bins()];
        im = new float[stft.bins()];
        tenSeconds = new float[441_000];
        for (int i = 0; i < tenSeconds.length; i++) tenSeconds[i] = (float) r.nextGaussian();
    }

    /** One real FFT of {@code fftSize} points, split re/im out. */
    @Benchmark
    public float realFftForward(Fft f) {
        f.fft.forward(f.in, f.re, f.im);
        return f.re[3];
    }

    /** One inverse real FFT of {@code fftSize} points from split re/im. */
    @Benchmark
    public float realFftInverse(Fft f) {
        f.fft.inverse(f.re, f.im, f.out);
        return f.out[3];
    }

    /** One hop of a real-time STFT round trip: window, 4096-point forward FFT, inverse FFT, overlap-add. */
    @Benchmark
    public float frame4096ForwardInverse() {
        analyzer.push(hopIn, 0, hopIn.length);
        analyzer.pull(re, im);
        synthesizer.push(re, im, hopOut, 0);
        return hopOut[17];
    }

    /** 10 s of 44.1 kHz mono: analyze and synthesize (n_fft 4096, hop 1024). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void offlineTenSeconds(Blackhole bh) {
        Spectrogram s = stft.analyze(tenSeconds);
        bh.consume(stft.synthesize(s, tenSeconds.length));
    }
}
