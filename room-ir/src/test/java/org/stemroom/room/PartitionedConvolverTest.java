package org.stemroom.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

class PartitionedConvolverTest {

    static final int RATE = 48000;

    /** Decaying noise IRs with some exact zeros (a silent pair, a silent leading stretch). */
    static float[][][] randomMatrix(int sources, int outputs, int len, long seed) {
        Random r = new Random(seed);
        float[][][] m = new float[sources][outputs][];
        for (int s = 0; s < sources; s++) {
            for (int o = 0; o < outputs; o++) {
                if (sources > 1 && s == 1 && o == 0) continue; // a pair with no path
                float[] h = new float[len - 37 * o];
                int onset = 13 * (s + o);
                for (int i = onset; i < h.length; i++) h[i] = (float) (r.nextGaussian() * Math.exp(-4.0 * i / len));
                m[s][o] = h;
            }
        }
        return m;
    }

    static float[][] randomInput(int channels, int frames, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[channels][frames];
        for (float[] c : x) for (int i = 0; i < frames; i++) c[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    /** Reference: direct convolution in double. out[o][n] = sum_s sum_k h[s][o][k] x[s][n-k]. */
    static double[][] direct(float[][][] m, float[][] x, int outFrames) {
        int outs = m[0].length;
        double[][] y = new double[outs][outFrames];
        for (int s = 0; s < m.length; s++) {
            for (int o = 0; o < outs; o++) {
                float[] h = m[s][o];
                if (h == null) continue;
                float[] xs = x[s];
                double[] yo = y[o];
                for (int n = 0; n < outFrames; n++) {
                    double acc = 0;
                    int kmax = Math.min(h.length - 1, n);
                    for (int k = Math.max(0, n - xs.length + 1); k <= kmax; k++) acc += (double) h[k] * xs[n - k];
                    yo[n] += acc;
                }
            }
        }
        return y;
    }

    /** Runs the whole input (plus latency and tail flush) through in blocks cycling over {@code blocks}. */
    static float[][] run(PartitionedConvolver c, float[][] x, int totalFrames, int[] blocks) {
        int sources = x.length;
        int maxBlock = 0;
        for (int b : blocks) maxBlock = Math.max(maxBlock, b);
        c.prepare(AudioFormat.of(RATE, sources), maxBlock);
        int outs = c.outputFormat().channels();
        float[][] y = new float[outs][totalFrames];
        AudioBuffer in = new AudioBuffer(sources, maxBlock);
        AudioBuffer out = new AudioBuffer(outs, maxBlock);
        int pos = 0;
        int bi = 0;
        while (pos < totalFrames) {
            int n = Math.min(blocks[bi++ % blocks.length], totalFrames - pos);
            in.setFrames(n);
            for (int s = 0; s < sources; s++) {
                for (int i = 0; i < n; i++) in.channel(s)[i] = pos + i < x[s].length ? x[s][pos + i] : 0f;
            }
            c.process(in, out);
            assertEquals(n, out.frames());
            for (int o = 0; o < outs; o++) System.arraycopy(out.channel(o), 0, y[o], pos, n);
            pos += n;
        }
        return y;
    }

    static double relRmsError(double[][] ref, float[][] got, int latency) {
        double err = 0, energy = 0;
        for (int o = 0; o < ref.length; o++) {
            for (int n = 0; n < ref[o].length; n++) {
                double d = got[o][n + latency] - ref[o][n];
                err += d * d;
                energy += ref[o][n] * ref[o][n];
            }
        }
        return Math.sqrt(err / energy);
    }

    static Stream<Arguments> schemes() {
        int len = 3000;
        return Stream.of(
                Arguments.of("uniform 256", PartitionScheme.uniform(256, len)),
                Arguments.of("uniform 4096 (one partition)", PartitionScheme.uniform(4096, len)),
                Arguments.of("non-uniform 64..1024", PartitionScheme.nonUniform(64, 1024, 2, false, len)),
                Arguments.of("non-uniform 32..512 zero latency", PartitionScheme.nonUniform(32, 512, 1, true, len)),
                Arguments.of("low latency 64", PartitionScheme.lowLatency(64, false, len)),
                Arguments.of("offline", PartitionScheme.offline(len, 2, 3, 5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void matchesDirectConvolutionInDouble(String name, PartitionScheme scheme) {
        float[][][] m = randomMatrix(2, 3, 3000, 1);
        float[][] x = randomInput(2, 9000, 2);
        PartitionedConvolver c = new PartitionedConvolver(m, RATE, scheme, ChannelLayout.LCR);
        int lat = scheme.latency();
        int outFrames = 9000 + 3000 - 1;
        float[][] y = run(c, x, outFrames + lat, new int[] {512});
        double[][] ref = direct(m, x, outFrames);
        double e = relRmsError(ref, y, lat);
        System.out.printf("%s: %s relative RMS error %.3g%n", name, scheme, e);
        assertTrue(e <= 1e-5, name + ": relative RMS error " + e);
    }

    @Test
    void threeSecondIrAtLowLatencyMatchesDirect() {
        int len = 3 * RATE;
        PartitionScheme scheme = PartitionScheme.lowLatency(64, false, len);
        assertEquals(64, scheme.latency());
        float[][][] m = randomMatrix(1, 1, len, 7);
        float[][] x = randomInput(1, 4000, 8);
        PartitionedConvolver c = new PartitionedConvolver(m, RATE, scheme, ChannelLayout.MONO);
        int outFrames = 4000 + len - 1;
        float[][] y = run(c, x, outFrames + 64, new int[] {256});
        assertTrue(c.distributedSegments() >= 2, "the tail segments run time-distributed");
        double e = relRmsError(direct(m, x, outFrames), y, 64);
        System.out.printf("3 s IR, %s: relative RMS error %.3g%n", scheme, e);
        assertTrue(e <= 1e-5, "relative RMS error " + e);
    }

    @Test
    void diracReturnsInputUnchanged() {
        for (boolean zero : new boolean[] {false, true}) {
            float[] dirac = new float[2000];
            dirac[0] = 1f;
            PartitionScheme scheme = PartitionScheme.lowLatency(64, zero, dirac.length);
            PartitionedConvolver c = new PartitionedConvolver(new float[][][] {{dirac}}, RATE, scheme, ChannelLayout.MONO);
            float[][] x = randomInput(1, 10000, 3);
            int lat = scheme.latency();
            float[][] y = run(c, x, 10000 + lat, new int[] {100, 37});
            double worst = 0;
            for (int n = 0; n < 10000; n++) worst = Math.max(worst, Math.abs(y[0][n + lat] - x[0][n]));
            for (int n = 0; n < lat; n++) assertEquals(0f, y[0][n]);
            assertTrue(worst <= 1e-6, "zeroLatency=" + zero + " worst error " + worst);
        }
    }

    @Test
    void changingBlockSizesGiveIdenticalOutput() {
        float[][][] m = randomMatrix(2, 2, 20000, 4);
        float[][] x = randomInput(2, 30000, 5);
        for (PartitionScheme scheme : new PartitionScheme[] {
                PartitionScheme.lowLatency(64, false, 20000), PartitionScheme.lowLatency(64, true, 20000),
                PartitionScheme.uniform(1024, 20000)}) {
            float[][] ref = run(new PartitionedConvolver(m, RATE, scheme, ChannelLayout.STEREO), x, 50000, new int[] {4096});
            float[][] var = run(new PartitionedConvolver(m, RATE, scheme, ChannelLayout.STEREO), x, 50000,
                    new int[] {1, 7, 64, 1000, 4096});
            for (int o = 0; o < 2; o++) assertArrayEquals(ref[o], var[o], scheme.toString());
        }
    }

    /**
     * The shared tick (sources' transforms, then outputs, each taken whole by the next free thread, the calling
     * thread included) gives the single-thread bits: one source into six outputs and a full 2 x 2 matrix, one and
     * three helpers, a uniform and a two-segment non-uniform scheme (two segments completing at the same tick).
     */
    @Test
    void threadsGiveIdenticalBits() throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(3);
        try {
            for (int sources : new int[] {1, 2}) {
                int outs = sources == 1 ? 6 : 2;
                ChannelLayout l = sources == 1 ? ChannelLayout.SURROUND_5_1 : ChannelLayout.STEREO;
                float[][][] m = randomMatrix(sources, outs, 12000, 9);
                float[][] x = randomInput(sources, 30000, 10);
                for (PartitionScheme scheme : new PartitionScheme[] {PartitionScheme.uniform(2048, 12000),
                        PartitionScheme.nonUniform(1024, 2048, 1, false, 12000)}) {
                    float[][] one = run(new PartitionedConvolver(m, RATE, scheme, l), x, 45000, new int[] {3000});
                    for (int helpers : new int[] {1, 3}) {
                        PartitionedConvolver c = new PartitionedConvolver(m, RATE, scheme, l);
                        c.setExecutor(ex, helpers);
                        c.setTimeDistribution(false); // every segment computed at its tick: all of it shared out
                        float[][] ref = run(withoutDistribution(m, scheme, l), x, 45000, new int[] {3000});
                        float[][] two = run(c, x, 45000, new int[] {3000});
                        for (int o = 0; o < outs; o++) {
                            assertArrayEquals(ref[o], two[o], sources + "x" + outs + " " + scheme + " helpers " + helpers);
                        }
                    }
                    PartitionedConvolver c = new PartitionedConvolver(m, RATE, scheme, l);
                    c.setExecutor(ex, 1);
                    float[][] two = run(c, x, 45000, new int[] {3000});
                    for (int o = 0; o < outs; o++) assertArrayEquals(one[o], two[o], sources + "x" + outs + " " + scheme);
                }
            }
        } finally {
            ex.shutdown();
        }
    }

    private static PartitionedConvolver withoutDistribution(float[][][] m, PartitionScheme scheme, ChannelLayout l) {
        PartitionedConvolver c = new PartitionedConvolver(m, RATE, scheme, l);
        c.setTimeDistribution(false);
        return c;
    }

    @Test
    void reportedLatencyIsExact() {
        float[] h = new float[5000];
        h[0] = 0.5f;
        h[4321] = -0.25f;
        for (boolean zero : new boolean[] {false, true}) {
            for (int base : new int[] {32, 64, 128}) {
                PartitionScheme scheme = PartitionScheme.lowLatency(base, zero, h.length);
                PartitionedConvolver c = new PartitionedConvolver(new float[][][] {{h}}, RATE, scheme, ChannelLayout.MONO);
                float[][] x = new float[1][20000];
                x[0][1000] = 1f;
                float[][] y = run(c, x, 20000, new int[] {77});
                int lat = c.latencyFrames();
                assertEquals(zero ? 0 : base, lat);
                for (int n = 0; n < 20000; n++) {
                    float want = n == 1000 + lat ? 0.5f : n == 1000 + lat + 4321 ? -0.25f : 0f;
                    assertEquals(want, y[0][n], 1e-6, "base " + base + " zero " + zero + " at " + n);
                }
            }
        }
    }

    @Test
    void inPlaceProcessingMatches() {
        float[][][] m = randomMatrix(2, 2, 5000, 11);
        float[][] x = randomInput(2, 8000, 12);
        PartitionScheme scheme = PartitionScheme.lowLatency(64, true, 5000);
        float[][] ref = run(new PartitionedConvolver(m, RATE, scheme, ChannelLayout.STEREO), x, 8000, new int[] {500});
        PartitionedConvolver c = new PartitionedConvolver(m, RATE, scheme, ChannelLayout.STEREO);
        c.prepare(AudioFormat.of(RATE, 2), 500);
        AudioBuffer b = new AudioBuffer(2, 500);
        for (int pos = 0; pos < 8000; pos += 500) {
            for (int s = 0; s < 2; s++) System.arraycopy(x[s], pos, b.channel(s), 0, 500);
            c.process(b);
            for (int o = 0; o < 2; o++) {
                for (int i = 0; i < 500; i++) assertEquals(ref[o][pos + i], b.channel(o)[i]);
            }
        }
    }

    @Test
    void processAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[][][] m = randomMatrix(2, 2, 3 * RATE, 13);
        for (boolean zero : new boolean[] {false, true}) {
            PartitionedConvolver c = new PartitionedConvolver(m, RATE, PartitionScheme.lowLatency(64, zero, 3 * RATE),
                    ChannelLayout.STEREO);
            c.prepare(AudioFormat.of(RATE, 2), 64);
            AudioBuffer in = new AudioBuffer(2, 64);
            AudioBuffer out = new AudioBuffer(2, 64);
            float[][] x = randomInput(2, 64, 14);
            for (int s = 0; s < 2; s++) System.arraycopy(x[s], 0, in.channel(s), 0, 64);
            for (int i = 0; i < 20000; i++) c.process(in, out); // warm-up: let the JIT compile process
            // A first C2 compile request during the measured calls interns its class's string literals on this
            // thread (it failed 2 of 20 runs so: AudioBuffer's, 312 bytes, seen with JFR); intern them beforehand.
            org.stemroom.core.LoadedClassLiterals.internAll();
            long tid = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 10000; i++) c.process(in, out);
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertEquals(0, allocated, "bytes allocated over 10,000 process calls (zeroLatency=" + zero + ")");
        }
    }

    /**
     * No locks on the audio path: the bytecode of the engine and of the FFT wrapper holds no monitorenter, no
     * synchronized method and no java.util.concurrent lock, and the only concurrency (the offline executor) is
     * confined to the tick's executor branch, which an audio-thread convolver never takes (no executor set).
     * JTransforms runs single-threaded (RealFft sets its thread count to 1), so it does not use its pool.
     */
    @Test
    void processPathTakesNoLocks() throws Exception {
        java.util.spi.ToolProvider javap = java.util.spi.ToolProvider.findFirst("javap").orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(javap != null, "javap not available in this JDK");
        for (Class<?> c : new Class<?>[] {PartitionedConvolver.class, org.stemroom.core.dsp.RealFft.class}) {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.PrintWriter pw = new java.io.PrintWriter(out);
            int rc = javap.run(pw, pw, "-c", "-p", "-cp", System.getProperty("java.class.path"), c.getName());
            pw.flush();
            assertEquals(0, rc, out.toString());
            String code = out.toString();
            assertTrue(code.contains("Code:"), "javap output for " + c.getName());
            assertTrue(!code.contains("monitorenter"), c.getName() + " has a synchronized block");
            assertTrue(!code.contains(" synchronized "), c.getName() + " has a synchronized method");
            assertTrue(!code.contains("java/util/concurrent/locks"), c.getName() + " uses a lock");
        }
        new org.stemroom.core.dsp.RealFft(16); // its static initialiser configures JTransforms
        assertEquals(1, org.visnow.jlargearrays.ConcurrencyUtils.getNumberOfThreads(), "JTransforms single-threaded");
    }

    /**
     * Spreading a block's work over ticks changes when it is computed, not what: equal to computing every block at
     * the tick it completes within float rounding (segments add into the output in another order: relative RMS
     * difference at most 1e-6), and bit-identical for any call sizes.
     */
    @Test
    void timeDistributionMatchesComputingAtOnce() {
        int len = 40_000;
        float[][][] m = randomMatrix(2, 3, len, 21);
        float[][] x = randomInput(2, 30_000, 22);
        PartitionScheme scheme = PartitionScheme.lowLatency(64, false, len);
        int total = 30_000 + len + 64;
        PartitionedConvolver spread = new PartitionedConvolver(m, RATE, scheme, ChannelLayout.LCR);
        float[][] a = run(spread, x, total, new int[] {64, 1000, 7, 4096});
        assertTrue(spread.distributedSegments() >= 4, "tail segments distributed: " + spread.distributedSegments());
        float[][] a2 = run(spread, x, total, new int[] {512});
        PartitionedConvolver atOnce = new PartitionedConvolver(m, RATE, scheme, ChannelLayout.LCR);
        atOnce.setTimeDistribution(false);
        float[][] b = run(atOnce, x, total, new int[] {512});
        assertEquals(0, atOnce.distributedSegments());
        double err = 0, energy = 0;
        for (int o = 0; o < 3; o++) {
            assertArrayEquals(a2[o], a[o], "call sizes, output " + o);
            for (int i = 0; i < total; i++) {
                err += (double) (a[o][i] - b[o][i]) * (a[o][i] - b[o][i]);
                energy += (double) b[o][i] * b[o][i];
            }
        }
        double rel = Math.sqrt(err / energy);
        System.out.printf("time-distributed vs at once: relative RMS difference %.3g%n", rel);
        assertTrue(rel <= 1e-6, "relative RMS difference " + rel);
    }

    /**
     * The real-time bound, by the engine's cost model (deterministic, unlike a timing): for a 3 s IR at 64 frames
     * and 48 kHz, stereo and one source into 6 outputs, the most expensive tick stays under half the 1.333 ms
     * period, and at least 3x under the peak of computing each block at the tick it completes.
     */
    @Test
    void worstTickStaysFarUnderThePeriod() {
        int len = 3 * RATE;
        float[][][] stereo = {{randomMatrix(1, 1, len, 31)[0][0], null}, {null, randomMatrix(1, 1, len, 32)[0][0]}};
        float[][][] mono6 = randomMatrix(1, 6, len, 33);
        double period = 1e9 * 64 / 48_000;
        for (float[][][] m : new float[][][][] {stereo, mono6}) {
            ChannelLayout layout = m[0].length == 2 ? ChannelLayout.STEREO : ChannelLayout.SURROUND_5_1;
            PartitionScheme scheme = PartitionScheme.lowLatency(64, false, len);
            PartitionedConvolver spread = new PartitionedConvolver(m, RATE, scheme, layout);
            spread.prepare(AudioFormat.of(RATE, m.length), 64);
            PartitionedConvolver atOnce = new PartitionedConvolver(m, RATE, scheme, layout);
            atOnce.setTimeDistribution(false);
            atOnce.prepare(AudioFormat.of(RATE, m.length), 64);
            double peak = spread.peakTickCost();
            double mean = spread.meanTickCost();
            double peakAtOnce = atOnce.peakTickCost();
            System.out.printf("%d x %d: model mean tick %.0f ns, worst %.0f ns (%.0f %% of the period); all at once %.0f ns%n",
                    m.length, m[0].length, mean, peak, 100 * peak / period, peakAtOnce);
            assertTrue(peak < 0.5 * period, "worst tick " + peak + " ns");
            assertTrue(3 * peak < peakAtOnce, "worst tick " + peak + " vs " + peakAtOnce + " at once");
        }
    }

    @Test
    void schemeRespectsGardnerRule() {
        PartitionScheme s = PartitionScheme.lowLatency(64, false, 3 * RATE);
        System.out.println("3 s at 64: " + s);
        assertEquals(64, s.segments().get(0).blockSize);
        assertEquals(8192, s.maxBlock());
        assertTrue(s.coveredLength() >= 3 * RATE);
        PartitionScheme z = PartitionScheme.lowLatency(64, true, 3 * RATE);
        assertEquals(0, z.latency());
        assertEquals(64, z.headLength());
    }
}
