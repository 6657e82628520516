package org.stemroom.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
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
import org.stemroom.core.AudioClip;
import org.stemroom.core.ChannelLayout;
import org.stemroom.spatial.FoldDown;
import org.stemroom.spatial.FoldDownCheck;
import org.stemroom.spatial.LtRtEncoder;
import org.stemroom.spatial.SpeakerLayout;

/**
 * The render report's fold-down checks alone, as the render's {@code FoldDownTap} runs them on its side thread:
 * one minute of a 48 kHz 5.1 mix and its stereo reference through the Lo/Ro check stream and the Lt/Rt check
 * stream (fed the mix encoded once and reading the reference's levels from the Lo/Ro stream, as the tap does), in
 * the writer's 4096-frame blocks, then both reports.
 * The score is the time per minute of audio, set-up of the meters and the reports included, as in a render.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar FoldDownCheckBench -f 1} (say the machine's load with the figure).
 * On a loaded machine the thread's CPU time is steadier than JMH's wall clock:
 * {@code java -cp bench/target/benchmarks.jar org.stemroom.bench.FoldDownCheckBench [runs]} prints the CPU
 * milliseconds of the first run (with the JIT's warm-up and the meters' one-off set-up) and the median of the rest.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class FoldDownCheckBench {
    private static final int FS = 48_000;
    private static final int BLOCK = 4096;
    private static final int SECONDS = 60;
    private float[][] reference;
    private float[][] mix;
    private float[][] encoded;
    private SpeakerLayout layout;

    @Setup
    public void setup() {
        AudioClip stereo = TestSignal.music(FS, 2, SECONDS);
        AudioClip other = TestSignal.music(FS, 4, SECONDS);
        int n = stereo.frames();
        reference = new float[][] {stereo.channel(0), stereo.channel(1)};
        // a 5.1 mix made from the reference: fronts from it, the rest from other music, so no band is empty
        mix = new float[6][n];
        for (int i = 0; i < n; i++) {
            mix[0][i] = 0.8f * reference[0][i];
            mix[1][i] = 0.8f * reference[1][i];
            mix[2][i] = 0.3f * (reference[0][i] + reference[1][i]);
            mix[3][i] = 0.5f * other.channel(0)[i];
            mix[4][i] = 0.4f * other.channel(1)[i];
            mix[5][i] = 0.4f * other.channel(2)[i];
        }
        encoded = new float[2][n];
        layout = SpeakerLayout.of(ChannelLayout.SURROUND_5_1);
    }

    /** Both checks over the minute, as the render's tap feeds them; returns a number so nothing is optimised away. */
    @Benchmark
    public double loRoAndLtRtChecks() {
        FoldDownCheck.Stream loRo = FoldDownCheck.stream(new FoldDown(layout, FoldDown.Mode.LO_RO), FS,
                FoldDownCheck.DEFAULT_TOLERANCE_DB);
        LtRtEncoder encoder = new LtRtEncoder(layout);
        FoldDownCheck.Stream ltRt = FoldDownCheck.stream(encoder, FS, FoldDownCheck.DEFAULT_TOLERANCE_DB, loRo);
        int n = reference[0].length;
        for (int off = 0; off < n; off += BLOCK) {
            int len = Math.min(BLOCK, n - off);
            encoder.process(mix, encoded, off, len);
            loRo.addWithEncode(reference, off, mix, off, encoded, off, len);
        }
        return loRo.report().worstBandDb() + ltRt.report().worstBandDb();
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        FoldDownCheckBench b = new FoldDownCheckBench();
        b.setup();
        double[] ms = new double[runs];
        double sink = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = bean.getCurrentThreadCpuTime();
            sink += b.loRoAndLtRtChecks();
            ms[i] = (bean.getCurrentThreadCpuTime() - t0) / 1e6;
        }
        double first = ms[0];
        double[] rest = Arrays.copyOfRange(ms, 1, runs);
        Arrays.sort(rest);
        double median = rest[rest.length / 2];
        System.out.printf("fold-down checks (Lo/Ro + Lt/Rt), one minute of 48 kHz 5.1: first run %.3f CPU-s, median of the"
                + " other %d %.3f CPU-s (worst bands %.6f dB)%n", first / 1000, rest.length, median / 1000, sink / runs);
    }
}
