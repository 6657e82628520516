package org.stemroom.bench.room;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.room.SplitRealFft;

/**
 * One real forward and one inverse transform (what the convolution engine does per source and per output and
 * block), split re/im spectra both ways: RealFft (JTransforms' split radix plus its packing) against the engine's
 * own SplitRealFft, at the partition sizes of the offline and low-latency schemes (FFT = 2 x partition). Sizes
 * below SplitRealFft.MIN_OWN_SIZE go to RealFft inside SplitRealFft, so those rows compare the same code.
 * Score: microseconds per forward + inverse pair.
 *
 * <pre>java -jar bench/target/benchmarks.jar room.FftBench -f 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FftBench {
    @Param({"4096", "8192", "16384", "32768", "65536"})
    public int size;

    private RealFft jtransforms;
    private SplitRealFft own;
    private float[] x, y, re, im;

    @Setup
    public void setup() {
        jtransforms = new RealFft(size);
        own = new SplitRealFft(size);
        Random r = new Random(1);
        x = new float[size];
        y = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextGaussian();
        re = new float[size / 2 + 1];
        im = new float[size / 2 + 1];
    }

    @Benchmark
    public float realFft() {
        jtransforms.forward(x, re, im);
        jtransforms.inverse(re, im, y);
        return y[7];
    }

    @Benchmark
    public float splitRealFft() {
        own.forward(x, re, im);
        own.inverse(re, im, y);
        return y[7];
    }
}
