package org.stemroom.bench.room;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.room.PartitionScheme;
import org.stemroom.room.PartitionedConvolver;

/**
 * The engine alone (no file I/O, no JVM start) on the two cases of bench/peers.sh's room rows: one minute of
 * stereo through a 3 s stereo-pair IR, one minute of mono into six outputs through a 3 s IR, at 48 kHz, in
 * 8192-frame calls as {@code stemroom convolve} makes them. Prints input samples (frames) per second of wall clock
 * and of CPU time (the calling thread and the pool's threads; the JIT's are left out), best of the timed passes after warm-up passes, so it can be set
 * next to afir's own throughput on the same machine.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.stemroom.bench.room.EngineThroughput stereo|mono-to-6 [threads] [scheme]</pre>
 *
 * scheme: {@code offline} (default, what the command line uses) or {@code uniform-N}.
 */
public final class EngineThroughput {
    private EngineThroughput() { }

    public static void main(String[] args) throws Exception {
        String matrix = args.length > 0 ? args[0] : "stereo";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String schemeName = args.length > 2 ? args[2] : "offline";
        final int rate = 48000;
        final int seconds = 60;
        final int block = 8192;
        float[][][] m;
        ChannelLayout layout;
        if (matrix.startsWith("stereo")) {
            m = new float[][][] {{RoomBenchInputs.roomIr(rate, 3, 200, 1), null}, {null, RoomBenchInputs.roomIr(rate, 3, 230, 2)}};
            layout = ChannelLayout.STEREO;
        } else {
            m = new float[1][6][];
            for (int o = 0; o < 6; o++) m[0][o] = RoomBenchInputs.roomIr(rate, 3, 200 + 20 * o, 10 + o);
            layout = ChannelLayout.SURROUND_5_1;
        }
        int len = 3 * rate;
        int pairs = 0;
        for (float[][] row : m) for (float[] h : row) if (h != null) pairs++;
        PartitionScheme scheme = schemeName.startsWith("uniform-")
                ? PartitionScheme.uniform(Integer.parseInt(schemeName.substring(8)), len)
                : PartitionScheme.offline(len, m.length, m[0].length, pairs);
        PartitionedConvolver conv = new PartitionedConvolver(m, rate, scheme, layout);
        conv.prepare(AudioFormat.of(rate, m.length), block);
        // as ConvolutionRender does it: the calling thread computes too, with threads - 1 helpers
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1) : null;
        conv.setExecutor(pool, threads - 1);
        AudioBuffer in = new AudioBuffer(m.length, block);
        AudioBuffer out = new AudioBuffer(m[0].length, block);
        Random r = new Random(5);
        for (int c = 0; c < m.length; c++) for (int i = 0; i < block; i++) in.channel(c)[i] = (float) r.nextGaussian();
        java.lang.management.ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        long frames = (long) seconds * rate;
        double bestWall = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
        for (int pass = 0; pass < 10; pass++) {
            long w0 = System.nanoTime(), c0 = threadsCpu(tm);
            float sink = 0;
            for (long done = 0; done < frames; done += block) {
                conv.process(in, out);
                sink += out.channel(0)[17];
            }
            double wall = (System.nanoTime() - w0) / 1e9, cpu = (threadsCpu(tm) - c0) / 1e9;
            if (pass >= 4) { // the first passes warm the JIT up
                bestWall = Math.min(bestWall, wall);
                bestCpu = Math.min(bestCpu, cpu);
            }
            if (sink == 12345f) System.out.print(""); // keeps the output live
        }
        if (pool != null) pool.shutdownNow();
        System.out.printf("engine %s, %s, %d thread(s): one minute in %.3f s wall (%.2f M frames/s, %.0fx real time), "
                        + "%.3f s CPU (%.2f M frames per CPU-s)%n", matrix, scheme.segments(), threads, bestWall,
                frames / bestWall / 1e6, seconds / bestWall, bestCpu, frames / bestCpu / 1e6);
    }

    /** CPU time of every Java thread (this one and the pool's; not the JIT's), nanoseconds. */
    private static long threadsCpu(java.lang.management.ThreadMXBean tm) {
        long sum = 0;
        for (long id : tm.getAllThreadIds()) {
            long t = tm.getThreadCpuTime(id);
            if (t > 0) sum += t;
        }
        return sum;
    }
}
