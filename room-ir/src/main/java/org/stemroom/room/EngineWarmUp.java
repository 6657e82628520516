package org.stemroom.room;

/**
 * Queues the JIT's compiles of the engine's loops ({@link EngineLoops}) at the start of a job, on a thread of its own,
 * while the job's own thread is still opening its files and reading the IR.
 *
 * <p>Why: for a WAV of 20 s or more the {@code stemroom} launcher has C2 compile exactly the {@link EngineLoops}
 * methods, each after a couple of calls (their thresholds are scaled). Without this, the first calls are the IR's
 * spectra, some 20-40 ms into {@code main}, and C2 then needs 110-150 ms of CPU for the loops, during which the
 * engine runs C1's code, which vectorizes nothing (about 4x slower). Calling each loop here on small arrays puts the
 * requests in C2's queue that much earlier, and the loops the engine needs first come first. The job's arithmetic
 * is unchanged: these calls work on arrays of their own, and compiled code computes the same bits as interpreted
 * code (Java's float arithmetic does not depend on the compiler).
 *
 * <p>It only pays where the launcher set C2 up that way; elsewhere (plain {@code java -jar}, default thresholds, or
 * C1 alone for short inputs) it would only cost its own few milliseconds of CPU, so the launcher asks for it with
 * {@code -Dstemroom.warmEngineLoops=true} (see {@link #requested}).
 */
public final class EngineWarmUp implements Runnable {

    /** The system property the launcher sets where C2 compiles the engine's loops after a few calls. */
    public static final String PROPERTY = "stemroom.warmEngineLoops";

    /**
     * Row length and rounds: each loop turns 4 x 1024 times in all, which takes it from the interpreter through C1's
     * profiled code (the launcher has that code call the compilation policy back every 4096 loop turns) to a C2
     * request. Rows as long as the engine's (a 65536-point transform works on rows of 128 and 256 points) keep the
     * profiled trip counts like the job's.
     */
    private static final int POINTS = 1024, ROUNDS = 4, PAUSE_MS = 3;

    private final boolean wetMix, dryMix;

    EngineWarmUp(boolean wetMix, boolean dryMix) {
        this.wetMix = wetMix;
        this.dryMix = dryMix;
    }

    /** Whether the launcher asked for the warm-up ({@link #PROPERTY}). */
    public static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /**
     * Starts the warm-up on a daemon thread and returns at once. {@code wetMix}: the job scales the wet signal into its
     * output ({@link ConvolutionRender}, the convolve command; the render's stems take the engine's output as it is);
     * {@code dryMix}: it mixes the dry signal in too. Those two loops are warmed only then, so that C2 does not spend
     * its time on a loop the job never runs.
     */
    public static void start(boolean wetMix, boolean dryMix) {
        Thread t = new Thread(new EngineWarmUp(wetMix, dryMix), "stemroom-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * First one call of each loop on a few points, which only queues C1's compiles of them (the interpreter calls the
     * compilation policy back at every loop turn of these methods, so turns there are costly); then, a few
     * milliseconds later, once C1's code is in, the turns that reach C2's thresholds run in that code.
     */
    @Override
    public void run() {
        float[][] v = new float[8][2 * POINTS];
        float[][] rows = new float[POINTS][4];
        calls(v, rows, 16);
        try {
            Thread.sleep(PAUSE_MS);
        } catch (InterruptedException e) {
            return;
        }
        for (int r = 0; r < ROUNDS; r++) calls(v, rows, POINTS);
    }

    /** One call of each loop on {@code n} points, in the order the engine first needs them: the IR's spectra (the
     * forward FFT), then a block. */
    private void calls(float[][] v, float[][] rows, int n) {
        float[] x = v[0], y = v[1], a = v[2], b = v[3], c = v[4], d = v[5], e = v[6], f = v[7];
        EngineLoops.sumDifference(a, b, n);
        EngineLoops.rotate(a, b, 0.6f, -0.8f, n);
        EngineLoops.rotate(a, b, c, d, n);
        EngineLoops.transpose4(a, b, c, d, 0, rows, 0, n);
        EngineLoops.deinterleave(x, 0, a, b, 0, n);
        EngineLoops.reversed(a, n, e, 1, n);
        EngineLoops.splitRe(a, b, e, f, c, d, x, n);
        EngineLoops.splitIm(a, b, e, f, c, d, y, n);
        EngineLoops.deinterleaveRing(x, n, 2 * n - 1, a, b, n);
        EngineLoops.multiply(a, b, c, d, e, f, n);
        EngineLoops.multiplyAdd(a, b, c, d, e, f, n);
        EngineLoops.reversed(x, n, a, 0, n);
        EngineLoops.mergeRe(a, b, e, f, c, d, 0.5f, x, n);
        EngineLoops.mergeIm(a, b, e, f, c, d, 0.5f, y, n);
        EngineLoops.interleaveAddRing(a, b, x, n, 2 * n - 1, n);
        EngineLoops.clear(f, 0, n);
        if (wetMix) EngineLoops.scale(x, 0.5f, y, n);
        if (dryMix) EngineLoops.addScaled(x, 0.5f, y, n);
    }
}
