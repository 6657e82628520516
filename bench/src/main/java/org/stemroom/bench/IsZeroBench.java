package org.stemroom.bench;

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

/**
 * {@link AudioBuffer#isZero} on what the render's levels meet every block: the 11 all-zero speakers of the bench
 * render's four placed 5.1 stems, 4096 frames each, one operation a block. {@code perSample} is the test per sample
 * with an early exit used before session 27 (written out here), {@code byStretches} the method now (Arrays.mismatch against a row of +0, stretch by stretch).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IsZeroBench {
    private float[][] silent;

    @Setup
    public void setUp() {
        silent = new float[11][4096];
    }

    private static boolean perSampleIsZero(float[] x, int from, int to) {
        for (int i = from; i < to; i++) if (x[i] != 0f) return false;
        return true;
    }

    @Benchmark
    public int perSample() {
        int zero = 0;
        for (float[] x : silent) if (perSampleIsZero(x, 0, x.length)) zero++;
        return zero;
    }

    @Benchmark
    public int byStretches() {
        int zero = 0;
        for (float[] x : silent) if (AudioBuffer.isZero(x, 0, x.length)) zero++;
        return zero;
    }
}
