package org.stemroom.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * The writer's 24-bit encoding with TPDF dither (the render's mix), one 4096-frame block of 5.1 an operation, into a
 * direct buffer as {@link AudioFileWriter} encodes it. {@code fieldState} is the loop before session 27 (the
 * generator's state in a field, advanced by a call per sample, the variates' difference taken in float: written out
 * here), {@code localState} the writer's loop now (the state in a local, {@link AudioFileWriter#triangular}); the
 * same bytes (PcmCodecReferenceTest).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DitherEncodeBench {
    static final int CHANNELS = 6;
    static final int BLOCK = 4096;

    private float[][] d;
    private ByteBuffer a;
    private long rngState = AudioFileWriter.DEFAULT_DITHER_SEED;
    private int peakBits;
    private long clipped;

    @Setup
    public void setUp() {
        d = new float[CHANNELS][BLOCK];
        Random r = new Random(7);
        for (float[] x : d) for (int i = 0; i < BLOCK; i++) x[i] = (float) (r.nextGaussian() * 0.25);
        a = ByteBuffer.allocateDirect(BLOCK * CHANNELS * 3 + 1).order(ByteOrder.LITTLE_ENDIAN);
    }

    private float tpdf() {
        long z = (rngState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        float u1 = (z >>> 40) * 0x1p-24f;
        float u2 = (z & 0xFFFFFF) * 0x1p-24f;
        return u1 - u2;
    }

    @Benchmark
    public int fieldState() {
        int ch = d.length, n = BLOCK, bad = 0, peak = peakBits;
        long clip = 0;
        float scale = 8388608f;
        int max = (int) scale - 1, min = -(int) scale;
        for (int i = 0, p = 0; i < n; i++) {
            for (int c = 0; c < ch; c++, p += 3) {
                float s = d[c][i];
                int b = Float.floatToRawIntBits(s);
                bad |= (b & 0x7F800000) + 0x00800000;
                peak = Math.max(peak, b & 0x7FFFFFFF);
                if (s > 1f || s < -1f) clip++;
                float x = s * scale;
                x += tpdf();
                int v = (int) Math.floor(x + 0.5f);
                if (v > max) v = max;
                else if (v < min) v = min;
                a.putInt(p, v);
            }
        }
        peakBits = peak;
        clipped += clip;
        return bad;
    }

    @Benchmark
    public int localState() {
        int ch = d.length, n = BLOCK, bad = 0, peak = peakBits;
        long clip = 0;
        float scale = 8388608f;
        int max = (int) scale - 1, min = -(int) scale;
        long rng = rngState;
        for (int i = 0, p = 0; i < n; i++) {
            for (int c = 0; c < ch; c++, p += 3) {
                float s = d[c][i];
                int b = Float.floatToRawIntBits(s);
                bad |= (b & 0x7F800000) + 0x00800000;
                peak = Math.max(peak, b & 0x7FFFFFFF);
                if (s > 1f || s < -1f) clip++;
                float x = s * scale;
                x += AudioFileWriter.triangular(rng += AudioFileWriter.DITHER_GAMMA);
                int v = (int) Math.floor(x + 0.5f);
                if (v > max) v = max;
                else if (v < min) v = min;
                a.putInt(p, v);
            }
        }
        rngState = rng;
        peakBits = peak;
        clipped += clip;
        return bad;
    }
}
