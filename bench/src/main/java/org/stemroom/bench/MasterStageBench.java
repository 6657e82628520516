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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.presets.MasterSettings;
import org.stemroom.workstation.master.MasterStage;

/**
 * The render's master stage alone (its true-peak limiter at the default -1 dBTP ceiling, look-ahead and release):
 * one minute of 48 kHz 5.1 music in the writer's 4096-frame blocks, at two levels: as the test music comes
 * ({@code gainDb} 0: peaks near full scale, the limiter works now and then, as in the bench render) and 10 dB
 * hotter (a loud master: most of every stretch comes near the ceiling, where the long 8x interpolator runs).
 * The score is the time per minute of audio.
 *
 * <p>{@code java -jar bench/target/benchmarks.jar MasterStageBench -f 1} (say the machine's load with the figure).
 * On a loaded machine the thread's CPU time is steadier:
 * {@code java -cp bench/target/benchmarks.jar org.stemroom.bench.MasterStageBench [runs]} prints, per level, the
 * CPU seconds of the first run (with the JIT's warm-up) and the median of the rest.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class MasterStageBench {
    private static final int FS = 48_000;
    private static final int BLOCK = 4096;
    private static final int SECONDS = 60;

    @Param({"0", "10"})
    public double gainDb;

    private AudioClip music;
    private AudioBuffer in;
    private AudioBuffer out;

    @Setup
    public void setup() {
        music = TestSignal.music(FS, 6, SECONDS);
        in = new AudioBuffer(6, BLOCK);
        out = new AudioBuffer(6, BLOCK);
    }

    /** The minute through a fresh stage; returns its smallest gain so nothing is optimised away. */
    @Benchmark
    public float limitOneMinute() {
        MasterStage stage = new MasterStage(gainDb, MasterSettings.DEFAULT_CEILING_DBTP,
                MasterSettings.DEFAULT_LOOKAHEAD_MS, MasterSettings.DEFAULT_RELEASE_MS);
        stage.prepare(new AudioFormat(FS, ChannelLayout.SURROUND_5_1), BLOCK);
        int n = music.frames();
        for (int off = 0; off < n; off += BLOCK) {
            int len = Math.min(BLOCK, n - off);
            in.setFrames(len);
            for (int c = 0; c < 6; c++) System.arraycopy(music.channel(c), off, in.channel(c), 0, len);
            stage.process(in, out);
        }
        return stage.limiterMinGain();
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        for (double g : new double[] {0, 10}) {
            MasterStageBench b = new MasterStageBench();
            b.gainDb = g;
            b.setup();
            double[] ms = new double[runs];
            float minGain = 1f;
            for (int i = 0; i < runs; i++) {
                long t0 = bean.getCurrentThreadCpuTime();
                minGain = b.limitOneMinute();
                ms[i] = (bean.getCurrentThreadCpuTime() - t0) / 1e6;
            }
            double[] rest = Arrays.copyOfRange(ms, 1, runs);
            Arrays.sort(rest);
            System.out.printf("master stage (-1 dBTP limiter), one minute of 48 kHz 5.1 at %+.0f dB: first run %.3f CPU-s,"
                    + " median of the other %d %.3f CPU-s (limiter's smallest gain %.2f dB)%n", g, ms[0] / 1000,
                    rest.length, rest[rest.length / 2] / 1000, 20 * Math.log10(minGain));
        }
    }
}
