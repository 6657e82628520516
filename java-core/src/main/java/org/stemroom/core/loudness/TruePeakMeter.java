package org.stemroom.core.loudness;

import java.util.Arrays;

/**
 * True-peak measurement per ITU-R BS.1770-4 Annex 2: the signal is oversampled four times by a polyphase
 * interpolation filter and the largest absolute value of the oversampled signal is the true peak. The filter
 * here is our own: a Kaiser-windowed sinc (beta 7) of 4 x 24 taps cut off at the input Nyquist frequency, whose
 * phase 0 is a pure delay, so the true peak is never below the sample peak. The interpolated phases are flat
 * within 0.01 dB up to 0.8 x Nyquist and roll off above it (about -1.4 dB at 0.9 x Nyquist), so inter-sample
 * peaks of content above 0.8 x Nyquist may be under-read by up to that much; below it, the error is that of
 * 4x oversampling itself (at most about 0.7 dB for a worst-case phase), which BS.1770-4 accepts.
 *
 * <p>One meter handles all channels of a stream; {@link #process} does not allocate.
 */
public final class TruePeakMeter {
    static final int FACTOR = 4;
    static final int TAPS = 24; // per phase
    private static final float[][] PHASES = design();
    /** Largest sum of |taps| over the phases: no interpolated value exceeds it times the largest input. */
    private static final float L1 = l1();
    /** Bounds every |phase 1..3 output| of a stretch from its largest |x| and first difference (see {@link #block}). */
    private static final DifferenceBound BOUND = new DifferenceBound(Arrays.copyOfRange(PHASES, 1, FACTOR));
    private static final int SEGMENT = 256;

    /** The block's history shifted by one tap (see {@link #interpolate}). */
    private final float[] shifted;
    /** Phases 1..3 over a stretch of loud segments. */
    private final float[][] phaseOut;

    private final float[][] history; // per channel: TAPS-1 history then one block
    private final int maxBlock;
    private final double[] peak;
    /** Tests only: no stretch skipped by the bound from the differences (the reference for it). */
    boolean boundSkipOff;
    /** Stretches skipped by the bound from the differences (tests: proof that it ran). */
    long boundSkips;
    /** Tests only: told the bound and the best so far of every stretch whose differences were taken. */
    BoundProbe probe;

    /** Tests: what {@link #boundedBelow} compared. */
    interface BoundProbe {
        void stretch(double bound, double best);
    }

    public TruePeakMeter(int channels, int maxBlockFrames) {
        this.history = new float[channels][TAPS - 1 + maxBlockFrames];
        this.maxBlock = maxBlockFrames;
        this.peak = new double[channels];
        this.shifted = new float[maxBlockFrames];
        this.phaseOut = new float[FACTOR - 1][maxBlockFrames];
    }

    private static float l1() {
        double m = 0;
        for (float[] ph : PHASES) {
            double s = 0;
            for (float t : ph) s += Math.abs(t);
            m = Math.max(m, s);
        }
        return (float) m;
    }

    private static float[][] design() {
        int n = FACTOR * TAPS;
        double centre = n / 2.0; // on phase 0 of an input sample: phase 0 is a pure delay
        double beta = 7;
        double i0 = org.stemroom.core.dsp.Window.besselI0(beta);
        float[][] ph = new float[FACTOR][TAPS];
        for (int p = 0; p < FACTOR; p++) {
            double sum = 0;
            double[] row = new double[TAPS];
            for (int j = 0; j < TAPS; j++) {
                // tap j of phase p weighs input sample (newest - (TAPS-1-j)); its prototype index:
                int m = p + FACTOR * (TAPS - 1 - j);
                double t = (m - centre) / FACTOR; // in input samples
                double sinc = t == 0 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t);
                double r = (m - centre) / centre;
                double w = org.stemroom.core.dsp.Window.besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0;
                row[j] = sinc * w;
                sum += row[j];
            }
            for (int j = 0; j < TAPS; j++) ph[p][j] = (float) (row[j] / sum); // unity DC gain per phase
        }
        return ph;
    }

    /**
     * A copy of the interpolation filter, {@code [phase][tap]} with taps in time order (oldest sample first):
     * phase {@code p} applied to {@code x(n-TAPS+1 .. n)} gives the signal at {@code n - TAPS/2 + p/4}. For
     * processors that must agree with this meter (the master stage's true-peak limiter).
     */
    public static float[][] interpolationPhases() {
        float[][] c = new float[FACTOR][];
        for (int p = 0; p < FACTOR; p++) c[p] = PHASES[p].clone();
        return c;
    }

    /** Feeds {@code frames} frames of planar audio (one array per channel) from index {@code offset}. */
    public void process(float[][] channels, int offset, int frames) {
        int off = offset, end = offset + frames;
        while (off < end) {
            int n = Math.min(maxBlock, end - off);
            for (int c = 0; c < history.length; c++) peak[c] = Math.max(peak[c], block(history[c], channels[c], off, n, peak[c]));
            off += n;
        }
    }

    /**
     * The largest |x| and |interpolated x| of one block of one channel. Stretches of {@value #SEGMENT} outputs
     * that cannot beat the best so far are skipped: they cannot change the result. Either their input is too quiet
     * ({@code max|x| * max sum|taps|} at most), or a bound from their largest |x| and largest first difference
     * (core's {@link DifferenceBound}, a proof with the float rounding allowed for) is at most the best so far:
     * every value the stretch's interpolation would compute is then at most that best, and the running maximum
     * stays what it is to the bit (most of a mastered programme once its loudest moment has been met, since music
     * moves much less from sample to sample than its level; the plain bound is 2.25 x the level).
     * The best so far is the channel's peak before the block and this block's maximum (of its raw samples, and of
     * the runs interpolated so far): a reading at most the peak before the block leaves the channel's peak as it is
     * whatever the block returns. Runs of the others are interpolated together ({@link #interpolate}), phases 1 to 3
     * only: phase 0 is the sample itself (its centre tap is exactly 1 and the others are sinc zeros of order 1e-17,
     * checked by TruePeakMeterTest), so it never reads more than the raw samples already counted, to the last bit:
     * where |x| is within 1e-7 of the largest sample the off-centre terms are far below half an ulp of it, and
     * below that it cannot win. The same value as evaluating all four phases everywhere.
     */
    private double block(float[] h, float[] src, int off, int n, double sofar) {
        int hist = TAPS - 1;
        System.arraycopy(src, off, h, hist, n);
        // the newest TAPS/2 samples are interpolated only when later input arrives: count them raw meanwhile
        float max = maxAbs(src, off, off + n);
        double best = Math.max(sofar, max);
        int run = -1; // first segment of the run of loud segments not yet interpolated
        for (int s0 = 0; s0 < n; s0 += SEGMENT) {
            int s1 = Math.min(n, s0 + SEGMENT);
            // every output of the stretch reads h[s0 .. s1+hist): none can exceed loud * L1 (a hair more for rounding)
            float loud = maxAbs(h, s0, s1 + hist);
            if (loud * L1 * (1 + 1e-5) > best && !boundedBelow(h, s0, s1 + hist, loud, best)) {
                if (run < 0) run = s0;
                continue;
            }
            if (run >= 0) {
                max = Math.max(max, interpolate(h, run, s0));
                best = Math.max(best, max);
                run = -1;
            }
        }
        if (run >= 0) max = Math.max(max, interpolate(h, run, n));
        System.arraycopy(h, n, h, 0, hist);
        return max;
    }

    /**
     * Whether every phase 1..3 output that reads only h[from .. to) (largest |x| {@code loud}) is proven at most
     * {@code best} by the bound from the differences. Where {@code loud} itself is above best the bound cannot pass
     * (it is at least loud): the differences are not taken.
     */
    private boolean boundedBelow(float[] h, int from, int to, float loud, double best) {
        if (boundSkipOff || !(loud * DifferenceBound.SLACK <= best)) return false;
        double bound = BOUND.of(loud, DifferenceBound.largestFirstDifference(h, from, to));
        if (probe != null) probe.stretch(bound, best);
        boolean below = bound <= best;
        if (below) boundSkips++;
        return below;
    }

    /**
     * max |phase p of h| over outputs [from, to), p = 1..3. Tap by tap: the history shifted by the tap is copied
     * to a buffer of its own, then multiplied into each phase's sums. Each sum is taken tap by tap from zero in
     * float, as {@link BlockFir} does (the same bits). Why the copy: C2 (Java 17) vectorizes {@code o[i] += t * x[i]}
     * but not {@code o[i] += t * x[i + k]}, since o and x might be one array; with the copy the 72 multiply-adds
     * per sample run about 2.8 times faster than eight sums in registers, the register-blocked FIR used before
     * (0.09 against 0.26 CPU-s for a minute of 6 channels at 48 kHz).
     */
    private float interpolate(float[] h, int from, int to) {
        int len = to - from;
        for (float[] o : phaseOut) Arrays.fill(o, 0, len, 0f);
        for (int k = 0; k < TAPS; k++) {
            System.arraycopy(h, from + k, shifted, 0, len);
            for (int p = 1; p < FACTOR; p++) multiplyAdd(PHASES[p][k], shifted, phaseOut[p - 1], len);
        }
        float m = 0;
        for (float[] o : phaseOut) m = Math.max(m, maxAbs(o, 0, len));
        return m;
    }

    /** o[i] += t * x[i] for i in [0, len). */
    private static void multiplyAdd(float t, float[] x, float[] o, int len) {
        for (int i = 0; i < len; i++) o[i] += t * x[i];
    }

    /** max |x[from .. to)| (one loop per method: C2 compiles it once, not on-stack per loop head). */
    private static float maxAbs(float[] x, int from, int to) {
        float m = 0;
        for (int i = from; i < to; i++) m = Math.max(m, Math.abs(x[i]));
        return m;
    }

    /** The bound of the phases 1..3 from a stretch's largest |x| and first difference (tests). */
    static double boundOf(float loud, float d1) { return BOUND.of(loud, d1); }

    /** Linear true peak of channel {@code c} so far. */
    public double peak(int c) { return peak[c]; }

    /** Largest true peak over all channels, linear. */
    public double peak() {
        double m = 0;
        for (double p : peak) m = Math.max(m, p);
        return m;
    }

    public void reset() {
        for (float[] h : history) Arrays.fill(h, 0f);
        Arrays.fill(peak, 0);
    }
}
