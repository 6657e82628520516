package org.stemroom.bench.room;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.room.SplitRealFft;

/**
 * Several real FFTs at once: JTransforms through {@link RealFft} (the split spectrum's {@code inverse} and {@code
 * forward}, and the interleaved in-place forms the separation's STFT uses) against {@link SplitRealFft} one transform
 * at a time and in batches of B, at the separation's STFT sizes (4,096 points at 44.1 and 48 kHz; 2,048 and 8,192
 * at the rates below and above). The question: do the batch's longer row loops pay where one transform's rows are
 * a few tens of floats?
 *
 * <p>{@code java -cp "$cp" org.stemroom.bench.room.BatchFftBench [rounds] [sizes...]}: per size, rounds that run
 * every variant in turn on the same 48 frames (so each variant sees the others' cache and JIT state alike), thread
 * CPU time per transform in microseconds; printed per round and as the median over the rounds after the first.
 * Run it with the render's JIT options ({@code -XX:UseAVX=2}) to see what the render's C2 makes of the loops.
 */
public final class BatchFftBench {
    private static final int FRAMES = 48;

    private BatchFftBench() { }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int[] sizes = args.length > 1 ? new int[args.length - 1] : new int[] {2048, 4096, 8192};
        for (int i = 1; i < args.length; i++) sizes[i - 1] = Integer.parseInt(args[i]);
        for (int n : sizes) run(n, rounds);
    }

    private static void run(int n, int rounds) {
        int bins = n / 2 + 1;
        Random rnd = new Random(n);
        float[][] time = new float[FRAMES][n], re = new float[FRAMES][bins], im = new float[FRAMES][bins];
        float[][] inter = new float[FRAMES][n + 2];
        for (float[] x : time) for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        RealFft jt = new RealFft(n);
        for (int f = 0; f < FRAMES; f++) jt.forward(time[f], re[f], im[f]);
        int[] batches = {1, 2, 4, 6, 8};
        SplitRealFft[] own = new SplitRealFft[batches.length];
        for (int k = 0; k < batches.length; k++) own[k] = SplitRealFft.batched(n, batches[k]);
        String[] names = new String[4 + 2 * batches.length];
        names[0] = "JTransforms inverse (split)";
        names[1] = "JTransforms inverse (interleaved, unscaled)";
        names[2] = "JTransforms forward (split)";
        names[3] = "JTransforms forward (interleaved)";
        for (int k = 0; k < batches.length; k++) {
            names[4 + k] = "SplitRealFft inverse B=" + batches[k];
            names[4 + batches.length + k] = "SplitRealFft forward B=" + batches[k];
        }
        double[][] us = new double[names.length][rounds];
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        int reps = Math.max(1, 2_000_000 / (n * FRAMES / 64));
        float[][] out = new float[FRAMES][n];
        float[][] specRe = new float[FRAMES][bins], specIm = new float[FRAMES][bins];
        double sink = 0;
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < names.length; v++) {
                long t0 = bean.getCurrentThreadCpuTime();
                for (int rep = 0; rep < reps; rep++) {
                    if (v == 0) {
                        for (int f = 0; f < FRAMES; f++) jt.inverse(re[f], im[f], out[f]);
                    } else if (v == 1) {
                        for (int f = 0; f < FRAMES; f++) {
                            float[] d = inter[f];
                            for (int b = 0; b < bins; b++) {
                                d[2 * b] = re[f][b];
                                d[2 * b + 1] = im[f][b];
                            }
                            jt.inverseInterleaved(d);
                        }
                    } else if (v == 2) {
                        for (int f = 0; f < FRAMES; f++) jt.forward(time[f], specRe[f], specIm[f]);
                    } else if (v == 3) {
                        for (int f = 0; f < FRAMES; f++) {
                            System.arraycopy(time[f], 0, inter[f], 0, n);
                            jt.forwardInterleaved(inter[f]);
                        }
                    } else if (v < 4 + batches.length) {
                        int k = v - 4, bsz = batches[k];
                        for (int f = 0; f < FRAMES; f += bsz) {
                            own[k].inverse(re, im, f, bsz, out);
                        }
                    } else {
                        int k = v - 4 - batches.length, bsz = batches[k];
                        for (int f = 0; f < FRAMES; f += bsz) {
                            own[k].forward(slice(time, f, bsz), specRe, specIm, f, bsz);
                        }
                    }
                }
                us[v][r] = (bean.getCurrentThreadCpuTime() - t0) / 1e3 / reps / FRAMES;
                sink += out[FRAMES - 1][n / 3] + specRe[FRAMES - 1][bins / 3] + inter[0][5];
            }
            StringBuilder line = new StringBuilder("n=" + n + " round " + r + ":");
            for (int v = 0; v < names.length; v++) line.append(String.format(" %.2f", us[v][r]));
            System.out.println(line);
        }
        System.out.println("n=" + n + ", us a transform (thread CPU), median of rounds 2.." + rounds + " [min]:");
        for (int v = 0; v < names.length; v++) {
            double[] rest = java.util.Arrays.copyOfRange(us[v], Math.min(1, rounds - 1), rounds);
            java.util.Arrays.sort(rest);
            System.out.printf("  %-45s %7.2f [%7.2f]%n", names[v], rest[rest.length / 2], rest[0]);
        }
        if (sink == 42) System.out.println();
    }

    /** Frames {@code f..f+count-1} as an array of their own (the harness allocates; the transforms do not). */
    private static float[][] slice(float[][] a, int f, int count) {
        float[][] s = new float[count][];
        System.arraycopy(a, f, s, 0, count);
        return s;
    }
}
