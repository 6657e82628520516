package org.stemroom.bench.room;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.room.PartitionScheme;
import org.stemroom.room.PartitionedConvolver;

/**
 * Real-time safety of the plugin's 64-frame non-uniform convolution: the engine is called the way an audio thread
 * calls it, one 64-frame block every 64 / 48000 s (paced by the clock, not back to back), and the duration of every
 * single call is recorded, as the calling thread's CPU time (what the engine costs; on a loaded machine the wall
 * time also counts the time other processes held the core) and as wall time. Prints the worst call, high
 * percentiles and how many calls missed the period (1.333 ms) or half of it, after a warm-up that is not counted,
 * with the machine's load average.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.stemroom.bench.room.RealTimeCheck [seconds=60] [matrix=stereo-pair|mono-to-6]</pre>
 */
public final class RealTimeCheck {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 60;
        String matrix = args.length > 1 ? args[1] : "stereo-pair";
        final int rate = 48000;
        final int block = 64;
        float[][][] m;
        ChannelLayout layout;
        if (matrix.equals("mono-to-6")) {
            m = new float[1][6][];
            for (int o = 0; o < 6; o++) m[0][o] = RoomBenchInputs.roomIr(rate, 3, 200 + 20 * o, 10 + o);
            layout = ChannelLayout.SURROUND_5_1;
        } else {
            m = new float[][][] {{RoomBenchInputs.roomIr(rate, 3, 200, 1), null}, {null, RoomBenchInputs.roomIr(rate, 3, 230, 2)}};
            layout = ChannelLayout.STEREO;
        }
        PartitionScheme s = PartitionScheme.lowLatency(block, false, 3 * rate);
        PartitionedConvolver conv = new PartitionedConvolver(m, rate, s, layout);
        conv.prepare(AudioFormat.of(rate, m.length), block);
        AudioBuffer in = new AudioBuffer(m.length, block);
        AudioBuffer out = new AudioBuffer(m[0].length, block);
        java.util.Random r = new java.util.Random(5);
        for (int c = 0; c < m.length; c++) for (int i = 0; i < block; i++) in.channel(c)[i] = (float) (0.1 * r.nextGaussian());
        // warm-up: 20 s of audio back to back (JIT), not counted
        for (int i = 0; i < 20 * rate / block; i++) conv.process(in, out);
        long period = Math.round(1e9 * block / rate);
        int calls = (int) (seconds * rate / block);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] cpu = new long[calls];
        long[] wall = new long[calls];
        long next = System.nanoTime() + period;
        for (int i = 0; i < calls; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            conv.process(in, out);
            long t1 = System.nanoTime();
            cpu[i] = mx.getCurrentThreadCpuTime() - c0;
            wall[i] = t1 - t0;
            long wait = next - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            next += period;
            if (next < System.nanoTime() - 100 * period) next = System.nanoTime() + period; // far behind: resync
        }
        String load = new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("/proc/loadavg"))).trim();
        System.out.printf(Locale.ROOT, "%s, 3 s IR, %s, 64-frame calls paced at %.3f ms, %d calls (%.0f s)%n", matrix,
                s, period / 1e6, calls, seconds);
        report("CPU ", cpu, period);
        report("wall", wall, period);
        System.out.printf(Locale.ROOT, "  load average %s on %d cores%n", load, Runtime.getRuntime().availableProcessors());
    }

    private static void report(String clock, long[] took, long period) {
        int calls = took.length;
        long[] sorted = took.clone();
        Arrays.sort(sorted);
        double mean = 0;
        int over = 0, overHalf = 0;
        for (long t : took) {
            mean += t / (double) calls;
            if (t > period) over++;
            if (t > period / 2) overHalf++;
        }
        System.out.printf(Locale.ROOT, "  %s mean %.4f ms (%.1f %% of the period), p99 %.3f ms, p99.9 %.3f ms, p99.99 %.3f ms, "
                        + "worst %.3f ms (%.0f %% of the period); calls over the period %d, over half %d%n", clock,
                mean / 1e6, 100 * mean / period,
                sorted[(int) (0.99 * calls)] / 1e6, sorted[(int) (0.999 * calls)] / 1e6,
                sorted[Math.min(calls - 1, (int) (0.9999 * calls))] / 1e6, sorted[calls - 1] / 1e6,
                100.0 * sorted[calls - 1] / period, over, overHalf);
    }
}
