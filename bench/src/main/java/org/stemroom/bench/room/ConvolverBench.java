package org.stemroom.bench.room;

import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.room.PartitionScheme;
import org.stemroom.room.PartitionedConvolver;

/**
 * The convolution engine on one second of audio (48 kHz) through 3 s IRs: stereo pair (2 x 2 with no cross paths, as
 * afir does it), true stereo (2 x 2 full) and one source into six outputs; with the offline scheme (large uniform
 * partitions, the size chosen by {@link PartitionScheme#offline}), uniform 8192 (afir's default), and the plugin's
 * non-uniform 64-frame-latency scheme in 64-frame blocks. Score: milliseconds per second of audio
 * (1000 / score = times real time).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConvolverBench {
    static final int RATE = 48000;

    @Param({"stereo-pair", "true-stereo", "mono-to-6"})
    public String matrix;

    @Param({"offline", "uniform-8192", "low-latency-64"})
    public String scheme;

    private PartitionedConvolver conv;
    private AudioBuffer in;
    private AudioBuffer out;
    private int block;

    @Setup(Level.Trial)
    public void setup() {
        int len = 3 * RATE;
        float[][][] m;
        ChannelLayout layout;
        switch (matrix) {
            case "stereo-pair":
                m = new float[][][] {{RoomBenchInputs.roomIr(RATE, 3, 200, 1), null}, {null, RoomBenchInputs.roomIr(RATE, 3, 230, 2)}};
                layout = ChannelLayout.STEREO;
                break;
            case "true-stereo":
                m = new float[][][] {{RoomBenchInputs.roomIr(RATE, 3, 200, 1), RoomBenchInputs.roomIr(RATE, 3, 210, 3)},
                    {RoomBenchInputs.roomIr(RATE, 3, 220, 4), RoomBenchInputs.roomIr(RATE, 3, 230, 2)}};
                layout = ChannelLayout.STEREO;
                break;
            default:
                m = new float[1][6][];
                for (int o = 0; o < 6; o++) m[0][o] = RoomBenchInputs.roomIr(RATE, 3, 200 + 20 * o, 10 + o);
                layout = ChannelLayout.SURROUND_5_1;
        }
        int pairs = 0;
        for (float[][] row : m) for (float[] h : row) if (h != null) pairs++;
        PartitionScheme s;
        switch (scheme) {
            case "offline": s = PartitionScheme.offline(len, m.length, m[0].length, pairs); block = 8192; break;
            case "uniform-8192": s = PartitionScheme.uniform(8192, len); block = 8192; break;
            default: s = PartitionScheme.lowLatency(64, false, len); block = 64;
        }
        conv = new PartitionedConvolver(m, RATE, s, layout);
        conv.prepare(AudioFormat.of(RATE, m.length), block);
        in = new AudioBuffer(m.length, block);
        out = new AudioBuffer(m[0].length, block);
        java.util.Random r = new java.util.Random(5);
        for (int c = 0; c < m.length; c++) for (int i = 0; i < block; i++) in.channel(c)[i] = (float) r.nextGaussian();
    }

    /** One second of audio (48000 frames) in blocks. */
    @Benchmark
    public float oneSecond() {
        float acc = 0;
        for (int done = 0; done < RATE; done += block) {
            conv.process(in, out);
            acc += out.channel(0)[0];
        }
        return acc;
    }
}
