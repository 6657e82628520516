package org.stemroom.bench.room;

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

/**
 * The engine's inner loop, a complex multiply-accumulate over 4097 bins (an 8192-frame partition), with spectra in
 * split re/im arrays (what {@code PartitionedConvolver} uses) and in JTransforms' interleaved layout: the choice
 * behind the engine's data layout.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ComplexMacBench {
    static final int BINS = 4097;
    float[] xr = new float[BINS], xi = new float[BINS], hr = new float[BINS], hi = new float[BINS];
    float[] yr = new float[BINS], yi = new float[BINS];
    float[] x = new float[2 * BINS], h = new float[2 * BINS], y = new float[2 * BINS];

    @Setup
    public void setup() {
        Random r = new Random(1);
        for (int k = 0; k < BINS; k++) {
            xr[k] = x[2 * k] = (float) r.nextGaussian();
            xi[k] = x[2 * k + 1] = (float) r.nextGaussian();
            hr[k] = h[2 * k] = (float) r.nextGaussian();
            hi[k] = h[2 * k + 1] = (float) r.nextGaussian();
        }
    }

    @Benchmark
    public float split() {
        float[] a = xr, b = xi, c = hr, d = hi, e = yr, f = yi;
        for (int k = 0; k < BINS; k++) {
            float ar = a[k], ai = b[k];
            e[k] += ar * c[k] - ai * d[k];
            f[k] += ar * d[k] + ai * c[k];
        }
        return e[7];
    }

    @Benchmark
    public float interleaved() {
        float[] a = x, c = h, e = y;
        for (int k = 0; k < 2 * BINS; k += 2) {
            float ar = a[k], ai = a[k + 1], br = c[k], bi = c[k + 1];
            e[k] += ar * br - ai * bi;
            e[k + 1] += ar * bi + ai * br;
        }
        return e[7];
    }
}
