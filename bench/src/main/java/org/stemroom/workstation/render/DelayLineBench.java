package org.stemroom.workstation.render;

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
 * The stem chains' dry delay ({@link DelayLine}) as the bench render runs it: 24 channels (four placed 5.1 stems)
 * of 4096-frame blocks through rings of 2,400 frames, one operation a block. {@code perSample} is the swap sample by
 * sample that DelayLine used before session 27 (written out here), {@code copies} its swap by three copies through
 * a scratch row; both leave the same bits (DelayLineTest).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DelayLineBench {
    static final int CHANNELS = 24;
    static final int LENGTH = 2400;
    static final int BLOCK = 4096;

    private float[][] ring;
    private float[][] buf;
    private float[] scratch;
    private int pos;

    @Setup
    public void setUp() {
        ring = new float[CHANNELS][LENGTH];
        buf = new float[CHANNELS][BLOCK];
        scratch = new float[Math.min(LENGTH, DelayLine.SCRATCH_FRAMES)];
        Random r = new Random(5);
        for (float[] b : buf) for (int i = 0; i < BLOCK; i++) b[i] = (float) r.nextGaussian();
    }

    private static void swapPerSample(float[] r, int p, float[] b, int i, int len) {
        for (int j = 0; j < len; j++) {
            float v = b[i + j];
            b[i + j] = r[p + j];
            r[p + j] = v;
        }
    }

    private float block(boolean copies) {
        int p = pos;
        for (int c = 0; c < CHANNELS; c++) {
            p = pos;
            for (int i = 0; i < BLOCK; ) {
                int len = Math.min(BLOCK - i, LENGTH - p);
                if (copies) DelayLine.swap(ring[c], p, buf[c], i, len, scratch);
                else swapPerSample(ring[c], p, buf[c], i, len);
                i += len;
                p += len;
                if (p == LENGTH) p = 0;
            }
        }
        pos = p;
        return buf[0][0];
    }

    @Benchmark
    public float perSample() { return block(false); }

    @Benchmark
    public float copies() { return block(true); }
}
