package org.stemroom.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;

class StreamingSeparatorTest {

    /** Feeds a clip block by block (plus latency of silence) and returns the output shifted back into place. */
    static float[][] stream(StreamingSeparator s, AudioClip x, int block) {
        int ch = x.channels(), n = x.frames(), lat = s.latencyFrames();
        int stems = s.stemNames().size();
        float[][] out = new float[stems * ch][n];
        AudioBuffer in = new AudioBuffer(ch, block);
        AudioBuffer o = new AudioBuffer(stems * ch, block);
        for (long pos = 0; pos < n + lat; pos += block) {
            int m = block;
            for (int c = 0; c < ch; c++) {
                for (int i = 0; i < m; i++) {
                    long p = pos + i;
                    in.channel(c)[i] = p < n ? x.channel(c)[(int) p] : 0f;
                }
            }
            in.setFrames(m);
            s.process(in, o);
            for (int j = 0; j < o.channels(); j++) {
                for (int i = 0; i < m; i++) {
                    long p = pos + i - lat;
                    if (p >= 0 && p < n) out[j][(int) p] = o.channel(j)[i];
                }
            }
        }
        return out;
    }

    /** Streams {@code x} offline through a fresh streaming separator and checks every frame equals the render. */
    static void assertStreamEqualsRender(Separation sep, AudioClip x, int block) throws Exception {
        StemSet ref = sep.separate(x, Progress.NONE);
        try (StreamingSeparator s = new StreamingSeparator(sep, 0.2)) {
            s.prepare(x.format(), block);
            s.offline(true);
            assertEquals(sep.grid(x.sampleRate()).window() + (int) Math.round(0.2 * x.sampleRate()), s.latencyFrames());
            float[][] out = stream(s, x, block);
            assertEquals(0, s.lateBlocks());
            assertSame(ref, s.stemNames(), out, x.channels());
        }
    }

    /** Bit-identical, every frame of the file including the last window. */
    static void assertSame(StemSet ref, List<String> names, float[][] out, int ch) {
        for (int st = 0; st < names.size(); st++) {
            for (int c = 0; c < ch; c++) {
                float[] r = ref.get(names.get(st)).channel(c);
                for (int i = 0; i < r.length; i++) {
                    if (r[i] != out[st * ch + c][i]) {
                        throw new AssertionError("stem " + names.get(st) + " ch " + c + " frame " + i + " of " + r.length
                                + ": render " + r[i] + ", stream " + out[st * ch + c][i]);
                    }
                }
            }
        }
    }

    @Test
    void offlineModeEqualsTheOfflineRenderBitForBitToTheLastFrame() throws Exception {
        // lengths: a whole number of hops, one frame more, one less, shorter than a window, exactly one window
        int rate = 22050;
        for (double seconds : new double[] {6.0, 6.0 + 1.0 / rate, 6.0 - 1.0 / rate, 0.3, 1.0, 5.0 + 0.75 + 0.1}) {
            AudioClip x = TestSeparators.music(rate, 2, seconds, 11);
            assertStreamEqualsRender(new Separation(TestSeparators.lossy()).chunking(1.0, 0.25), x, 256);
        }
        // and every frame sums to the mixture
        AudioClip x = TestSeparators.music(rate, 2, 6.0, 11);
        Separation sep = new Separation(TestSeparators.lossy()).chunking(1.0, 0.25);
        try (StreamingSeparator s = new StreamingSeparator(sep, 0.2)) {
            s.prepare(x.format(), 256);
            s.offline(true);
            float[][] out = stream(s, x, 256);
            double worst = 0;
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < x.frames(); i++) {
                    double sum = out[c][i] + out[2 + c][i];
                    worst = Math.max(worst, Math.abs(sum - x.channel(c)[i]));
                }
            }
            assertTrue(worst < 1e-5, "sum error " + worst);
        }
    }

    @Test
    void theDefaultRecipeStreamsExactlyAsItRenders() throws Exception {
        // the model-free default on its own grid: what `stemroom render` gets and what the plugin gets
        Separation sep = new Separation(org.stemroom.separation.modelfree.ModelFreeSeparators.defaultRecipe());
        assertEquals(org.stemroom.separation.modelfree.ModelFreeSeparators.WINDOW_SECONDS, sep.chunkSeconds());
        assertStreamEqualsRender(sep, TestSeparators.music(44100, 2, 3.3, 21), 512);
        assertStreamEqualsRender(new Separation(org.stemroom.separation.modelfree.ModelFreeSeparators.defaultRecipe()),
                TestSeparators.music(44100, 1, 2.1, 22), 300);
    }

    /**
     * Grids longer than {@link Separation#STREAMABLE_WINDOW_SECONDS} (neural models' minute-long segments, REPET's
     * 30 s) render the last chunk cut to the input: padding it with up to minutes of silence would cost as much as
     * separating them and would skew whole-chunk statistics such as Demucs-style normalisation. A stream cannot know
     * where the input ends, so it separates that window padded. Hence, for such grids, stream == render bit for bit
     * up to the first frame of the render's last window, and no further for a separator whose output depends on the
     * whole window (here: a gain set by the window's RMS, as a normalising model's is); the model-free separators'
     * 1 s grid is streamable and equal to the last frame (tests above).
     */
    /**
     * A worker asked to warm up separates a noise window before the stream's first window and forgets it: the stream is
     * still the render's bits (the default recipe carries memory from window to window, so a reset that missed any of
     * it would show here), and after a reset it can be asked again.
     */
    @Test
    void aWarmedWorkerStreamsTheSameBits() throws Exception {
        Separation sep = new Separation(org.stemroom.separation.modelfree.ModelFreeSeparators.defaultRecipe());
        AudioClip x = TestSeparators.music(44100, 2, 2.6, 23);
        StemSet ref = sep.separate(x, Progress.NONE);
        AudioClip y = TestSeparators.music(44100, 2, 2.6, 29);
        StemSet refY = sep.separate(y, Progress.NONE); // before the worker shares the separator
        try (StreamingSeparator s = new StreamingSeparator(sep, 0.2)) {
            s.prepare(x.format(), 512);
            s.offline(true);
            s.warmWorker(); // before any input: the worker's first action is the noise window
            float[][] out = stream(s, x, 512);
            assertEquals(1, s.windowsWarmed());
            assertSame(ref, s.stemNames(), out, x.channels());
            // a second, different stream after a reset: nothing of the first may reach it (a worker that took the
            // new epoch while the old input was still counted separated that as the new stream's first window)
            s.reset();
            s.warmWorker();
            out = stream(s, y, 512);
            assertEquals(2, s.windowsWarmed());
            assertEquals(0, s.lateBlocks());
            assertSame(refY, s.stemNames(), out, y.channels());
        }
    }

    @Test
    void longGridsStreamAsTheyRenderUpToTheRendersLastWindow() throws Exception {
        Separator normalising = new Separator() {
            @Override public String name() { return "normalising"; }
            @Override public List<String> stemNames() { return List.of("a", "b"); }
            @Override public double maxChunkSeconds() { return 12; }
            @Override public double chunkOverlapSeconds() { return 2; }
            @Override public StemSet separate(AudioClip m) {
                double e = 0;
                for (float[] c : m.samples()) for (float v : c) e += v * v;
                float g = (float) (0.5 + 0.4 * Math.tanh(Math.sqrt(e / (m.frames() * m.channels())) * 4));
                float[][] a = new float[m.channels()][m.frames()], b = new float[m.channels()][m.frames()];
                for (int c = 0; c < m.channels(); c++) {
                    for (int i = 0; i < m.frames(); i++) {
                        a[c][i] = g * m.channel(c)[i];
                        b[c][i] = m.channel(c)[i] - a[c][i];
                    }
                }
                return new StemSet(m.format(), m.frames()).put("a", a).put("b", b);
            }
        };
        int rate = 8000;
        AudioClip x = TestSeparators.music(rate, 2, 30.5, 23);
        Separation sep = new Separation(normalising);
        assertTrue(sep.chunkSeconds() > Separation.STREAMABLE_WINDOW_SECONDS);
        StemSet ref = sep.separate(x, Progress.NONE);
        WindowGrid g = sep.grid(rate);
        // the render's last chunk is the first whose window reaches past the input
        int lastStart = (int) Math.max(0, (x.frames() - g.window() + g.hop() - 1) / g.hop()) * g.hop();
        assertEquals(20 * rate, lastStart);
        try (StreamingSeparator s = new StreamingSeparator(sep, 0.2)) {
            s.prepare(x.format(), 400);
            s.offline(true);
            float[][] out = stream(s, x, 400);
            int firstDiff = -1;
            for (int st = 0; st < 2; st++) {
                for (int c = 0; c < 2; c++) {
                    float[] r = ref.get(s.stemNames().get(st)).channel(c);
                    for (int i = 0; i < r.length; i++) {
                        if (r[i] != out[st * 2 + c][i] && (firstDiff < 0 || i < firstDiff)) firstDiff = i;
                    }
                }
            }
            // equal before; different within the cross-fade into that window (its first frames weigh the new window
            // by sin^2, so tiny there, and float rounding may hide the difference for a few frames)
            assertTrue(firstDiff >= lastStart && firstDiff < lastStart + g.overlap(),
                    "first frame where stream and render differ: " + firstDiff + " (render's last window from " + lastStart + ")");
        }
    }

    @Test
    void theWorkerAllocatesNothingFromWindowToWindow() throws Exception {
        // The plugin's case: the default recipe on stereo 44.1 kHz (and mono), window after window.
        //
        // The JIT allocates on the measured threads too: at the first C2 compile request for a method of a class,
        // HotSpot interns the class's string literals on the asking thread (see LoadedClassLiterals). Seen with JFR
        // (-XX:-UseTLAB, every allocation an event, with its stack): all bytes of the failing runs (72-688 over
        // windows 6..38, one pass) were such Strings, at the first C2 request for HpssStep, BassPartialsStep,
        // BassStep, WindowGrid, KickTemplate, KickRemainderStep, FdLibm and JTransforms' FloatFFT_1D; none came from
        // a deoptimization. So the literals of every loaded class are interned (on this thread, and held) once the
        // first windows have loaded the worker's classes, before the measured windows.
        //
        // Then the stream runs again from reset() (same input, same windows, same branches): that pass, every window
        // of it from the reset on, must allocate exactly 0 bytes. It covers the worker's reset path, which the first
        // pass does not (MaskCascade.reset allocated an iterator there). Should some other one-off JIT event land in
        // it, one more pass from reset() is run, at most twice; our own allocations would recur in each.
        for (int channels : new int[] {2, 1}) {
            AudioClip x = TestSeparators.music(44100, channels, 30.0, 15);
            Separation sep = new Separation(org.stemroom.separation.modelfree.ModelFreeSeparators.defaultRecipe());
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            try (StreamingSeparator s = new StreamingSeparator(sep, 0.25)) {
                s.prepare(x.format(), 512);
                s.offline(true);
                // the worker and the parallel loops' helpers: every thread that works on a window
                List<Thread> threads = new java.util.ArrayList<>(List.of(ParallelFor.helperThreads()));
                threads.add(s.workerThread());
                long[] tids = new long[threads.size()];
                for (int i = 0; i < tids.length; i++) tids[i] = threads.get(i).getId();
                StringBuilder passes = new StringBuilder();
                long last = Long.MAX_VALUE;
                for (int pass = 0; pass < 4 && !(pass >= 2 && last == 0); pass++) {
                    if (pass > 0) s.reset();
                    // the first pass skips windows 0-5 (the workspace is sized by the first window) and is not held
                    // to zero; later passes measure from the reset on
                    long[] r = allocatedOverPass(s, x, mx, tids, pass == 0 ? 6 : 0, pass == 0);
                    assertTrue(r[1] >= 25, "windows measured: " + r[1]);
                    passes.append(String.format("pass %d: %d bytes over %d windows; ", pass, r[0], r[1]));
                    last = r[0];
                }
                System.out.printf("worker and helpers (%d ch): %s%n", channels, passes);
                assertEquals(0, last, "bytes allocated by the worker and its helpers in the last pass: " + passes);
            }
        }
    }

    /**
     * Streams {@code x} through {@code s} in 512-frame blocks and returns {bytes, windows}: the bytes the threads
     * {@code tids} allocated from window {@code from} of this pass to its last, and how many windows that spans;
     * {@code intern}: intern the loaded classes' string literals just before window {@code from} is marked.
     */
    private static long[] allocatedOverPass(StreamingSeparator s, AudioClip x, com.sun.management.ThreadMXBean mx,
            long[] tids, int from, boolean intern) throws Exception {
        int channels = x.channels();
        AudioBuffer in = new AudioBuffer(channels, 512);
        AudioBuffer out = new AudioBuffer(s.outputFormat().channels(), 512);
        long[] bytesAt = new long[64];
        long[] windowsAt = new long[64];
        int marks = 0;
        for (int pos = 0; pos + 512 <= x.frames(); pos += 512) {
            if (marks == 0) {
                windowsAt[marks] = s.windowsSeparated();
                bytesAt[marks++] = allocated(mx, tids);
            }
            for (int c = 0; c < channels; c++) System.arraycopy(x.channel(c), pos, in.channel(c), 0, 512);
            in.setFrames(512);
            s.process(in, out);
            long w = s.windowsSeparated();
            if (w > windowsAt[marks - 1]) {
                // measured between windows: the worker waits for input then (offline mode keeps it in step)
                windowsAt[marks] = w;
                if (intern && marks == from) org.stemroom.core.LoadedClassLiterals.internAll();
                bytesAt[marks++] = allocated(mx, tids);
            }
        }
        int to = marks - 1;
        return new long[] {bytesAt[to] - bytesAt[from], windowsAt[to] - windowsAt[from]};
    }

    // getThreadAllocatedBytes(long[]) allocates its result array on this thread, not on the measured ones
    private static long allocated(com.sun.management.ThreadMXBean mx, long[] tids) {
        long sum = 0;
        for (long b : mx.getThreadAllocatedBytes(tids)) sum += b;
        return sum;
    }

    @Test
    void resetAllocatesNothingAndStartsTheStreamAfresh() throws Exception {
        AudioClip x = TestSeparators.music(22050, 2, 3.0, 14);
        Separation sep = new Separation(TestSeparators.lossy()).chunking(0.5, 0.1);
        StemSet ref = sep.separate(x, Progress.NONE);
        try (StreamingSeparator s = new StreamingSeparator(sep, 0.1)) {
            s.prepare(x.format(), 256);
            s.offline(true);
            stream(s, TestSeparators.music(22050, 2, 2.0, 99), 256); // some other audio first
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().getId();
            long bytes = Long.MAX_VALUE;
            for (int round = 0; round < 3 && bytes != 0; round++) {
                long c0 = mx.getThreadAllocatedBytes(tid);
                long overhead = mx.getThreadAllocatedBytes(tid) - c0;
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 1000; i++) s.reset();
                bytes = Math.min(bytes, mx.getThreadAllocatedBytes(tid) - before - overhead);
            }
            assertEquals(0, bytes, "bytes allocated by 1,000 reset() calls");
            // after the reset the stream is the render of x again, bit for bit
            float[][] out = stream(s, x, 256);
            assertEquals(0, s.lateBlocks());
            assertSame(ref, s.stemNames(), out, 2);
        }
    }

    @Test
    void audioThreadAllocatesNothingOverTenThousandBlocks() throws Exception {
        AudioClip x = TestSeparators.music(44100, 2, 1.0, 12);
        try (StreamingSeparator s = new StreamingSeparator(new Separation(TestSeparators.lossy()).chunking(0.5, 0.1), 0.1)) {
            s.prepare(x.format(), 128);
            AudioBuffer in = new AudioBuffer(2, 128);
            AudioBuffer out = new AudioBuffer(s.outputFormat().channels(), 128);
            for (int i = 0; i < 2000; i++) block(s, x, in, out, i); // warm-up: JIT, worker start
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().getId();
            // Up to three rounds of 10,000 calls; an allocation in process() would show in every round (at least
            // 16 bytes x 10,000 calls), while the JVM's own rare bookkeeping (a few dozen bytes, e.g. inside the
            // measurement) cannot repeat in each round.
            long bytes = Long.MAX_VALUE;
            for (int round = 0; round < 3 && bytes != 0; round++) {
                long c0 = mx.getThreadAllocatedBytes(tid);
                long overhead = mx.getThreadAllocatedBytes(tid) - c0;
                long before = mx.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 10_000; i++) block(s, x, in, out, i);
                bytes = Math.min(bytes, mx.getThreadAllocatedBytes(tid) - before - overhead);
            }
            assertEquals(0, bytes, "bytes allocated on the audio thread over 10,000 process calls");
            assertEquals(4, s.outputFormat().channels());
            assertEquals("low.L", s.outputFormat().layout().label(0));
        }
    }

    private static void block(StreamingSeparator s, AudioClip x, AudioBuffer in, AudioBuffer out, int i) {
        int off = (i * 128) % (x.frames() - 128);
        for (int c = 0; c < 2; c++) System.arraycopy(x.channel(c), off, in.channel(c), 0, 128);
        in.setFrames(128);
        s.process(in, out);
    }

    @Test
    void aLateWorkerFallsBackCountsItAndStillSumsToTheMixture() throws Exception {
        Separator slow = new Separator() {
            @Override public String name() { return "slow"; }
            @Override public List<String> stemNames() { return List.of("bass", "other"); }
            @Override public StemSet separate(AudioClip m) throws StemroomException {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new StemSet(m.format(), m.frames()).put("bass", new float[m.channels()][m.frames()])
                        .put("other", m.copy().samples());
            }
        };
        AudioClip x = TestSeparators.music(22050, 1, 3.0, 13);
        try (StreamingSeparator s = new StreamingSeparator(new Separation(slow).chunking(0.2, 0.05), 0.0)) {
            s.prepare(x.format(), 512);
            long t0 = System.nanoTime();
            float[][] out = stream(s, x, 512);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 1.5, "the audio thread never waits for the worker (" + seconds + " s)");
            assertTrue(s.lateBlocks() > 100, "late blocks counted: " + s.lateBlocks());
            double worst = 0, bassEnergy = 0;
            for (int i = 0; i < x.frames(); i++) {
                worst = Math.max(worst, Math.abs(out[0][i] + out[1][i] - x.channel(0)[i]));
                bassEnergy += out[0][i] * out[0][i];
            }
            assertTrue(worst < 1e-5, "fallback stems sum to the mixture: " + worst);
            assertTrue(bassEnergy > 0, "fallback puts the low band into bass");
        }
    }
}
