package org.stemroom.workstation.master;

import java.util.Arrays;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;
import org.stemroom.core.loudness.BlockFir;
import org.stemroom.core.loudness.DifferenceBound;

/**
 * A look-ahead true-peak limiter that never lets the output's inter-sample peaks over the ceiling.
 *
 * <p>Detection: every channel is interpolated to 8x the rate by a long Kaiser-windowed sinc (64 taps per phase,
 * flat to about 0.93 of the Nyquist frequency); every local maximum of that 8x signal is refined by a parabola
 * through it and its two neighbours (what lies between the 8x points); and the short 4x filters of the project's
 * own meter (core's {@code TruePeakMeter}) and of ITU-R BS.1770-4 Annex 2 run as well, since their readings must
 * stay under the ceiling too and they ring differently on edges. The largest of all of these is the peak of the
 * interval that starts at the sample. Each input sample {@code k} asks for a gain
 * {@code r(k) = min(1, ceiling / peak(k))}, linked across channels so the image does not wander.
 *
 * <p>Why there is no overshoot: the gain applied at sample {@code t} is the mean over the attack window of a
 * released sliding minimum {@code s(t-j) = min r(k), k in [t-j-H, t-j+H+A]}, {@code j = 0..A} (two moving averages
 * in series, lengths adding up to A+1: a weighted mean, a gain curve without corners). Every one of those
 * windows contains {@code [t-H, t+H]}, so {@code g(t) <= r(k)} for every {@code k} within {@code H} samples of
 * {@code t}: the gain is already down over the main lobes of the interpolation kernel around a peak, and sample
 * peaks are bounded exactly. Content above 0.93 x Nyquist, which any practical interpolator reads low (white noise
 * up to Nyquist can peak half a decibel above what a 64-tap filter shows), is accounted for separately: a
 * high-pass (nothing below 0.83 x Nyquist, all of it above 0.95) finds it, and its largest sample within
 * {@value #HP_SPAN} samples is added to the interval's peak, so ordinary material (nothing up there) is not
 * touched by it. A margin of {@value #MARGIN_DB} dB covers the rest (the interpolation of a moving gain).
 * TruePeakLimiterTest holds the output to an ideal band-limited reference meter (16x FFT interpolation) on gated
 * white noise, 17-19 kHz tones, fs/4 tones at 45 degrees and clipped hits at several ceilings and attack times.
 *
 * <p>Cost: nothing but a maximum on stretches of {@value #SEGMENT} samples where no sample is loud enough
 * for an interpolated value to reach the ceiling ({@code max|x| * sum|taps| > ceiling}), and a few maxima more (of
 * the stretch's first and second differences) where those prove that no detected peak reaches the long
 * interpolator's gate (see {@code belowGate}: most of a mastered programme, which moves much less from sample to
 * sample than its level); elsewhere the short
 * filters and the high-pass run on every sample (vectorizable: one tap at a time over the stretch), and the long
 * interpolator only on the samples whose short reading comes within 2 dB of the ceiling (more than the short
 * filters can read low below 0.93 x Nyquist). Latency is {@code 48 + H + A}
 * frames ({@link #latencyFrames()}); offline renders remove it. Allocation happens only in {@link #prepare}.
 */
public final class TruePeakLimiter implements AudioProcessor {
    /** Oversampling factor of the detector. */
    public static final int OVERSAMPLING = 8;
    /** Taps per phase of the long interpolator. */
    private static final int LONG_TAPS = 64;
    /** Taps of the high-pass that finds content above the long interpolator's band. */
    private static final int HP_TAPS = 63;
    /** Half-width (base samples) of the window over which the high band's envelope is taken. */
    private static final int HP_SPAN = 16;
    /** Detector delay in base samples: the newest sample is this far ahead of the interval being measured. */
    private static final int HALF = HP_TAPS / 2 + HP_SPAN + 1;
    /** History kept in front of each block: every sample any filter reads around an interval. */
    private static final int HISTORY = 2 * HALF;
    /** Half-support (base samples) within which the gain is held down around a peak. */
    private static final int HOLD = 32;
    /** Kept below the ceiling for what the detector cannot see (content above 0.93 x Nyquist; gain motion). */
    static final double MARGIN_DB = 0.05;
    /**
     * Shortest attack: a faster gain ramp modulates high-frequency content enough that the output's inter-sample
     * peaks are no longer those the detector measured (0.07 dB over the ceiling at 0.5 ms on 17-19 kHz material).
     */
    static final double MIN_ATTACK_MS = 1.0;
    /** Length of the stretches checked for loudness before the interpolators run on them. */
    private static final int SEGMENT = 256;
    /**
     * How much the short 4x filters may read below the true peak for content under 0.93 x Nyquist (their
     * roll-off above 0.8 x Nyquist and the 4x grid; about 1.4 dB at 0.9 x Nyquist): only where the short reading
     * plus the high band's envelope comes within this of the ceiling does the long interpolator run.
     */
    private static final float SHORT_UNDER_READ = (float) Math.pow(10, 2.0 / 20);

    /** Phases 1..7 of the long interpolator, time order: phase p over x(m-31 .. m+32) gives x(m + p/8). */
    private static final float[][] LONG = longPhases();
    private static final int LONG_PHASES = LONG.length;
    /** The project's true-peak meter's own filter (core's TruePeakMeter), so the limiter sees what it reads. */
    private static final float[][] METER = org.stemroom.core.loudness.TruePeakMeter.interpolationPhases();
    private static final int BS_TAPS = 12;
    /** Short filters run as they are: the core meter's phases 1..3 and the four BS.1770 phases (time order). */
    private static final float[][] SHORT = shortFilters();
    /** Where each short filter's first tap sits relative to x(m). */
    private static final int[] SHORT_START = shortStarts();
    /** The short filters' taps together cover x(m + SHORT_FIRST .. m + SHORT_LAST). */
    private static final int SHORT_FIRST = shortFirst();
    private static final int SHORT_LAST = shortLast();
    /** High-pass (Kaiser-windowed, beta 6): 0 below 0.83 x Nyquist, 0.96 at 0.93, 1 from 0.95 up. */
    private static final float[] HIGH_PASS = highPass();
    /*
     * Bounds of the detector's stage 1 from a stretch's differences (see belowGate): for the short filters, core's
     * DifferenceBound (per filter, |sum of taps| plus 1e-5 x sum |taps| per |x|, its summation-by-parts weight per
     * |x(k+1) - x(k)|); for the high-pass, its second-order weights: per |x| (|sum of taps| plus 1e-5 x sum |taps|),
     * per |first difference| (its first moment, plus 2^-20 x the second-difference weight for the differences' own
     * rounding) and per |second difference|.
     */
    private static final DifferenceBound SHORT_BOUND = new DifferenceBound(SHORT);
    static final double HP_PER_X;
    static final double HP_PER_D1;
    static final double HP_PER_D2;
    /** Covers the rounding of the doubles and of the differences taken in float in {@link #belowGate}'s bounds. */
    static final double BOUND_SLACK = DifferenceBound.SLACK;

    static {
        int n = HIGH_PASS.length;
        double c1 = 0, c2 = 0, w2 = 0, c2Before = 0;
        for (int k = 0; k < n; k++) {
            c1 += HIGH_PASS[k];      // c1(k) = sum of taps 0..k
            c2Before = c2;
            c2 += c1;                // c2(k) = sum of c1(0..k)
            if (k <= n - 3) w2 += Math.abs(c2);
        }
        // c2Before is c2(n - 2)
        HP_PER_X = DifferenceBound.perX(HIGH_PASS); // c1 is the sum of the taps
        HP_PER_D1 = Math.abs(c2Before) + 0x1p-20 * w2;
        HP_PER_D2 = w2;
    }

    private final double ceilingDb;
    private final double attackMs;
    private final double releaseMs;

    private AudioFormat format;
    private int channels;
    private int attack;           // A
    private int window;           // 2H + A + 1
    private int latency;
    private float ceiling;
    private double releaseCoef;

    private float[][] hist;       // per channel: HISTORY past samples + the block
    private float[] prefix;       // van Herk / Gil-Werman scratch
    private float[] suffix;
    private float[][] shortOut;   // per short filter: its readings over a stretch
    private float[][] shifted;    // the history around a stretch, shifted by a few taps (the high-pass)
    private float[][] shiftedRows; // the history around a stretch, shifted by each of the short filters' offsets
    private float[] shortPeaks;   // per sample of a stretch: the largest short reading
    private float[] envelope;     // per sample of a stretch: the high band's envelope
    private float[] peaks;        // per sample of the block: the detected peak, channels linked
    private float[] high;         // high-passed samples around a stretch
    private float[] diffs;        // first differences of the history around a stretch (the bounds)
    private float quiet;          // stretches whose max |x| is below this cannot reach the ceiling
    private float[][] delay;      // per channel ring of the dry signal
    private float[] dry;          // a block's input, when the output overwrites it (steadyBlock)
    private int delayPos;
    private int delayLen;
    // sliding minimum: monotonic deque of (index, value) in rings
    private long[] dqIdx;
    private float[] dqVal;
    private int dqHead;
    private int dqSize;
    private long count;           // input samples seen
    /**
     * The released gain, in double: in float, {@code (float) (g + (1 - g) * coef)} stops moving once {@code (1 - g) *
     * coef} is under half an ulp, which for an 80 ms release at 48 kHz left every sample after the first limited peak
     * scaled by 0.99988556 (-0.001 dB) for good.
     */
    private double released;
    private MovingAverage smooth1;
    private MovingAverage smooth2;
    private float minGain = 1f;
    /** The gain of the last sample (what every sample of a steady stretch gets: see {@link #steadyBlock}). */
    private float lastGain = 1f;
    /**
     * Below this distance from 1 the release is finished: it is set to 1. Anything within 2^-26 of 1 rounds to the
     * float 1 (the float below 1 is 1 - 2^-24, the midpoint 1 - 2^-25), and so does every mean the two moving
     * averages take of such values: once they hold only those, the gain applied is 1 whether or not the state was
     * set to 1 (while they span the moment, their means move by less than 2^-26, at most one float step of the
     * gain). What it buys: the state reaches the fixed point the steady path needs (double's own recursion would stop
     * moving short of 1 as float's did, about 4e-13 below it for 80 ms at 48 kHz).
     */
    static final double UNITY_GAP = 0x1p-26;
    /** The bits of {@code 1 - UNITY_GAP} (exact in double) and of 1: see {@link #gainPerSample}. */
    private static final long NEAR_ONE_BITS = Double.doubleToRawLongBits(1.0 - UNITY_GAP);
    private static final long ONE_BITS = Double.doubleToRawLongBits(1.0);
    private static final int ONE_FLOAT_BITS = Float.floatToRawIntBits(1f);
    /** Samples in a row, up to the last, that asked for no reduction (r = 1) and left {@link #released} as it was. */
    private long steadyRun;
    /** {@link #steadyRun} from which the gain computer is at its fixed point (see {@link #steadyBlock}). */
    private long steadyFrom;
    /** Blocks that took the steady path (for tests: proof that it ran). */
    long steadyBlocks;
    /** Tests only: every block through the per-sample gain computer (the reference for the steady path). */
    boolean perSampleOnly;
    /** Tests only: no stretch skipped by {@link #belowGate}'s bounds (the reference for them). */
    boolean boundSkipOff;
    /** Tests only: told about every stretch evaluated in full. */
    StretchProbe probe;
    /** Stretches skipped by {@link #belowGate} (tests: proof that it ran). */
    long boundSkips;

    /**
     * @param ceilingDb true-peak ceiling in dBTP (e.g. -1.0)
     * @param attackMs  the look-ahead over which the gain ramps down before a peak (at least {@value #MIN_ATTACK_MS})
     * @param releaseMs time constant of the gain's return to unity
     */
    public TruePeakLimiter(double ceilingDb, double attackMs, double releaseMs) {
        if (!(ceilingDb <= 0 && ceilingDb >= -60)) throw new IllegalArgumentException("ceiling " + ceilingDb + " dBTP");
        if (!(attackMs > 0) || !(releaseMs > 0)) throw new IllegalArgumentException("attack and release must be > 0");
        this.ceilingDb = ceilingDb;
        this.attackMs = attackMs;
        this.releaseMs = releaseMs;
    }

    public double ceilingDb() { return ceilingDb; }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        format = inputFormat;
        channels = inputFormat.channels();
        int rate = inputFormat.sampleRate();
        attack = Math.max(1, (int) Math.round(Math.max(MIN_ATTACK_MS, attackMs) * 1e-3 * rate));
        window = 2 * HOLD + attack + 1;
        latency = HALF + HOLD + attack;
        ceiling = (float) Math.pow(10, (ceilingDb - MARGIN_DB) / 20.0);
        releaseCoef = 1.0 - Math.exp(-1.0 / (releaseMs * 1e-3 * rate));
        hist = new float[channels][HISTORY + maxBlockFrames];
        int scratch = SEGMENT + 2 * HP_SPAN + 1; // the high band's envelope, per stretch
        prefix = new float[scratch];
        suffix = new float[scratch];
        shortOut = new float[SHORT.length][SEGMENT];
        shifted = new float[BlockFir.ROWS][SEGMENT + 2 * HP_SPAN]; // the high-pass's shifted copies
        shiftedRows = new float[SHORT_LAST - SHORT_FIRST + 1][SEGMENT];
        shortPeaks = new float[SEGMENT];
        envelope = new float[SEGMENT];
        peaks = new float[maxBlockFrames];
        high = new float[SEGMENT + 2 * HP_SPAN + 1];
        diffs = new float[SEGMENT + HISTORY];
        // |interpolated| <= sum|taps| * max|x| over the window, a parabola adds at most 1/8 to its points, and the
        // high band adds at most sum|high-pass taps| * max|x|: stretches whose every sample is below the ceiling
        // divided by all of that cannot reach the ceiling.
        double gainBound = 1;
        for (float[][] bank : new float[][][] {LONG, SHORT}) {
            for (float[] taps : bank) {
                double sum = 0;
                for (float t : taps) sum += Math.abs(t);
                gainBound = Math.max(gainBound, sum);
            }
        }
        double hpBound = 0;
        for (float t : HIGH_PASS) hpBound += Math.abs(t);
        quiet = (float) (ceiling / (1.125 * gainBound + hpBound));
        delayLen = latency + 1;
        delay = new float[channels][delayLen];
        dry = new float[maxBlockFrames];
        dqIdx = new long[window + 1];
        dqVal = new float[window + 1];
        // two moving averages whose lengths add up to the attack: a gain curve without corners (its interpolation
        // between samples then stays much closer to the gain at the samples), the same look-ahead
        smooth1 = new MovingAverage(attack / 2 + 1);
        smooth2 = new MovingAverage(attack - attack / 2 + 1);
        steadyFrom = window + 2L * smooth1.ring.length + 2L * smooth2.ring.length;
        reset();
    }

    @Override
    public void reset() {
        for (float[] h : hist) Arrays.fill(h, 0f);
        for (float[] d : delay) Arrays.fill(d, 0f);
        delayPos = 0;
        dqHead = 0;
        dqSize = 0;
        count = 0;
        released = 1.0;
        smooth1.reset();
        smooth2.reset();
        minGain = 1f;
        lastGain = 1f;
        steadyRun = 0;
        steadyBlocks = 0;
        boundSkips = 0;
    }

    @Override
    public AudioFormat outputFormat() { return format; }

    @Override
    public int latencyFrames() { return latency; }

    /** The smallest gain applied since the last reset (1 = never limited). */
    public float minGain() { return minGain; }

    @Override
    public void process(AudioBuffer in, AudioBuffer out) {
        int n = in.frames();
        // Append the block to the detector history (HISTORY old samples stay in front).
        for (int c = 0; c < channels; c++) System.arraycopy(in.channel(c), 0, hist[c], HISTORY, n);
        out.setFrames(n);
        Arrays.fill(peaks, 0, n, 0f);
        for (int c = 0; c < channels; c++) detect(c, n);
        applyGain(in, out, n);
        // Keep the last HISTORY input samples for the next block.
        for (int c = 0; c < channels; c++) System.arraycopy(hist[c], n, hist[c], 0, HISTORY);
    }

    /*
     * process() and detect() only call small methods, one per loop: a method with several hot loops was compiled by
     * C2 on-stack once per loop head and again as a whole (up to six compiles of the limiter per render, some after
     * deoptimising); a method with one loop compiles once or twice, small. Same arithmetic in the same order.
     */

    /** Gain computer and delay line over the block's n samples: {@code out} = the delayed input times its gain. */
    private void applyGain(AudioBuffer in, AudioBuffer out, int n) {
        if (steadyRun >= steadyFrom && !perSampleOnly && dqSize == 1 && dqVal[dqHead] == 1f
                && largestAbs(peaks, 0, n) <= ceiling) {
            steadyBlock(in, out, n);
        } else {
            gainPerSample(in, out, n);
        }
    }

    /**
     * {@link #gainPerSample} of a block in which no sample asks for a reduction, once the gain computer has reached its
     * fixed point: every sample then gets {@link #lastGain}, and of the state only the positions move. Why it is the
     * same to the bit: the last {@link #steadyRun} samples had r = 1 and left {@code released} unchanged (with r = 1
     * the release raises every value below 1 until it is within {@link #UNITY_GAP} of 1 and then sets it to 1, so the
     * unchanged value is 1, and the gain of a steady stretch is exactly 1). After {@code window} of them the sliding minimum's deque holds one entry of
     * value 1 (the older ones expired), so the release's input is 1 and {@code released} stays; after the first
     * moving average's length more, its ring holds {@code released} throughout, and within one length more it has
     * wrapped and summed its ring afresh: its sum is then the same sum of the same values at every later wrap, and
     * adding {@code v - ring[pos] = +0} leaves it unchanged between them, so its mean is a constant; the second moving
     * average reaches its own fixed point two of its lengths later on that constant. {@link #steadyFrom} counts all
     * of that. The deque's one entry is then rewritten in place with the newest index; the delay line is the same
     * ring, filled and read a stretch at a time; the output is the same clip of the same product.
     */
    private void steadyBlock(AudioBuffer in, AudioBuffer out, int n) {
        float g = lastGain;
        int len = delayLen;
        int p0 = delayPos;
        // sample i reads ring slot (p0 + 1 + i) % len until its own writes reach it, i.e. for i < latency
        int fromRing = Math.min(n, len - 1);
        int first = Math.min(fromRing, len - 1 - p0); // slots p0 + 1 .. len - 1, then from 0
        int keepFrom = Math.max(0, n - len);          // the inputs the ring holds afterwards
        for (int c = 0; c < channels; c++) {
            float[] d = delay[c];
            float[] x = in.channel(c);
            float[] o = out.channel(c);
            if (x == o) { // in place (the master stage's call): the inputs are read after outputs are written
                System.arraycopy(x, 0, dry, 0, n);
                x = dry;
            }
            clipGain(d, p0 + 1, o, 0, first, g);
            clipGain(d, 0, o, first, fromRing - first, g);
            clipGain(x, 0, o, fromRing, n - fromRing, g);
            // the ring after the block: input i in slot (p0 + i) % len, for the last len inputs
            int slot = (int) ((p0 + (long) keepFrom) % len);
            int k = Math.min(n - keepFrom, len - slot);
            System.arraycopy(x, keepFrom, d, slot, k);
            System.arraycopy(x, keepFrom + k, d, 0, n - keepFrom - k);
        }
        delayPos = (int) ((p0 + (long) n) % len);
        count += n;
        dqIdx[dqHead] = count - 1;
        smooth1.skip(n);
        smooth2.skip(n);
        steadyRun += n;
        steadyBlocks++;
    }

    /** o[at + j] = the limiter's clip of x[from + j] * g, j < len (the per-sample path's expression). */
    private void clipGain(float[] x, int from, float[] o, int at, int len, float g) {
        float c = ceiling;
        for (int j = 0; j < len; j++) o[at + j] = Math.max(-c, Math.min(c, x[from + j] * g));
    }

    /** The gain computer and the delay line sample by sample. */
    private void gainPerSample(AudioBuffer in, AudioBuffer out, int n) {
        for (int i = 0; i < n; i++) {
            float peak = peaks[i];
            float r = peak > ceiling ? ceiling / peak : 1f;
            // 2. Sliding minimum over the last `window` r values.
            long idx = count;
            // ring indices wrap by one subtraction (dqHead < ring and dqSize <= ring): no division per sample
            int ring = dqVal.length;
            while (dqSize > 0) {
                int last = dqHead + dqSize - 1;
                if (last >= ring) last -= ring;
                if (dqVal[last] < r) break;
                dqSize--;
            }
            int slot = dqHead + dqSize;
            if (slot >= ring) slot -= ring;
            dqIdx[slot] = idx;
            dqVal[slot] = r;
            dqSize++;
            while (dqIdx[dqHead] <= idx - window) {
                if (++dqHead == ring) dqHead = 0;
                dqSize--;
            }
            float s = dqVal[dqHead];
            // 3. Instant attack, exponential release, then two moving averages spanning A+1 samples together.
            double rel = released + (1.0 - released) * releaseCoef;
            // The release has finished once within UNITY_GAP of 1: rel becomes 1. 1 - rel < UNITY_GAP is rel >
            // 1 - UNITY_GAP (1 - rel is exact from 0.5 up), and for positive doubles the order of the bits is the
            // order of the values: a mask of all ones then, without a branch (a branch first taken where the first
            // release ends made C2 recompile this loop: 7 compiles of it in the bench render's compile log, not 4).
            long relBits = Double.doubleToRawLongBits(rel);
            long finished = (NEAR_ONE_BITS - relBits) >> 63;
            rel = Double.longBitsToDouble((relBits & ~finished) | (ONE_BITS & finished));
            double before = released;
            released = Math.min(s, rel);
            // r == 1 and released unchanged, as bits (the same tests here: neither is ever NaN or -0), without a
            // branch: the first sample with r < 1, and the first that moved the release, each made C2 recompile
            // this loop when they were branches
            long moved = (Float.floatToRawIntBits(r) ^ ONE_FLOAT_BITS) | (Double.doubleToRawLongBits(released) ^ Double.doubleToRawLongBits(before));
            steadyRun = (steadyRun + 1) & ~((moved | -moved) >> 63);
            float g = (float) Math.min(1.0, smooth2.add(smooth1.add(released)));
            lastGain = g;
            // never NaN (r is 1 for a NaN peak), so Math.min is the plain test, without its branch (C2 trapped on it
            // the first time a gain went below the smallest so far after compiling the loop)
            minGain = Math.min(minGain, g);
            // 4. Output the sample `latency` frames back, times its gain.
            int readPos = delayPos + 1 == delayLen ? 0 : delayPos + 1; // oldest sample in the ring
            for (int c = 0; c < channels; c++) {
                float[] d = delay[c];
                d[delayPos] = in.channel(c)[i];
                // Exact bound on sample peaks, whatever float rounding of g did. Math.min/max give what the plain
                // tests gave (-0 and NaN pass as they are) without a branch: the clip, first needed at the first
                // limited peak, made C2 recompile this loop mid-render (LogCompilation of the bench render).
                out.channel(c)[i] = Math.max(-ceiling, Math.min(ceiling, d[readPos] * g));
            }
            delayPos = readPos;
            count++;
        }
    }

    /** Calls and samples of {@link #warmUpGainComputer}: its first calls queue C1's profiling code, the rest profile. */
    private static final int WARM_FIRST_CALLS = 12, WARM_CALLS = 72, WARM_SAMPLES = 256, WARM_PAUSE_MS = 2;

    /**
     * Runs the per-sample gain computer ({@link #gainPerSample}) of a throwaway 5.1 limiter over made-up peaks, some
     * above the ceiling and most below, so that the JIT's profile of it has both sides of each of its branches before
     * a render's master stage calls it. Why: a render's mix asks for its first reduction at a moment of its own; where
     * C2 had compiled {@code gainPerSample} before that, on a profile in which no peak had yet needed limiting, the
     * {@code peak > ceiling} test (or, without that branch, the sliding minimum's {@code dqVal[last] < r}) was a trap,
     * and the code was thrown away and compiled again, on-stack and whole (four compiles of it in a bench render's
     * compile log instead of one). With this profile first, C2 compiles it once, before the master stage's first block
     * where the launcher's thresholds apply (the render's, which asks for this with {@code
     * -Dstemroom.warmEngineLoops=true}). Nothing of a render's limiter is touched: the instance and its buffers are
     * this method's own, and compiled code computes the same bits as interpreted code. A few milliseconds of CPU,
     * most of it in the first calls (interpreted).
     */
    public static void warmUpGainComputer() throws InterruptedException {
        TruePeakLimiter lim = new TruePeakLimiter(-1.0, 1.5, 80);
        lim.prepare(new AudioFormat(48_000, org.stemroom.core.ChannelLayout.SURROUND_5_1), WARM_SAMPLES);
        AudioBuffer in = new AudioBuffer(6, WARM_SAMPLES);
        AudioBuffer out = new AudioBuffer(6, WARM_SAMPLES);
        in.setFrames(WARM_SAMPLES);
        out.setFrames(WARM_SAMPLES);
        for (int call = 0; call < WARM_FIRST_CALLS + WARM_CALLS; call++) {
            // every call takes each branch both ways (C2 compiles on the profile of a few calls): peaks falling above the
            // ceiling (r rising: the sliding minimum keeps each entry until it expires, so its ring indices wrap),
            // none above it (r = 1), peaks rising above it (r falling: newer entries push out older ones)
            for (int i = 0; i < WARM_SAMPLES; i++) {
                float over = i < 100 ? 1.6f - 0.005f * i : i >= 140 && i < 180 ? 1.05f + 0.01f * (i - 140) : 0.5f;
                lim.peaks[i] = lim.ceiling * over;
            }
            lim.gainPerSample(in, out, WARM_SAMPLES);
            // the first pause lets C1's profiling code in (calls in the interpreter profile nothing), the later ones
            // let C2's code in before the calls run out
            if (call == WARM_FIRST_CALLS - 1 || (call >= WARM_FIRST_CALLS && call % 8 == 0)) Thread.sleep(WARM_PAUSE_MS);
        }
    }

    /**
     * Peaks of channel {@code c} over the block's {@code n} samples, max-ed into {@link #peaks}. Sample {@code i}
     * measures the interval from x(m) to x(m+1), m = newest sample - HALF, where x(m) is
     * {@code hist[c][i + HISTORY - HALF]}.
     */
    private void detect(int c, int n) {
        float[] h = hist[c];
        final int centre = HISTORY - HALF;
        float gate = ceiling / SHORT_UNDER_READ;
        for (int s0 = 0; s0 < n; s0 += SEGMENT) detectSegment(h, s0, Math.min(n, s0 + SEGMENT), centre, gate);
    }

    /** {@link #detect} of samples [s0, s1) of one channel's history {@code h}. */
    private void detectSegment(float[] h, int s0, int s1, int centre, float gate) {
        // everything any filter reads around the stretch's intervals: x(m) of its first sample - HALF to x(m) of its
        // last + HALF, i.e. h[s0 .. s1 - 1 + HISTORY]
        int to = s1 + HISTORY;
        float loud = largestAbs(h, s0, to);
        if (loud <= quiet) {
            // provably under the ceiling: no interpolation needed
            skipped(h, s0, s1, centre);
            return;
        }
        // Provably no peak above the gate, from the stretch's differences (most of a mastered minute: see belowGate)
        float shortLoud = largestAbs(h, s0 + centre + SHORT_FIRST, s1 + centre + SHORT_LAST);
        // a stretch with a sample above the gate cannot pass (the bounds are at least shortLoud): on a hot master,
        // most stretches, the differences are not taken (the decisions are the same)
        boolean hot = !(shortLoud * BOUND_SLACK <= gate);
        float d1 = hot ? Float.POSITIVE_INFINITY : DifferenceBound.largestFirstDifference(h, s0, to, diffs);
        float d2 = hot ? Float.POSITIVE_INFINITY : largestDifference(diffs, to - s0 - 1);
        double shortBound = shortBound(shortLoud, d1);
        double fromDifferences = shortBound + (HP_PER_X * loud + HP_PER_D1 * d1 + HP_PER_D2 * d2);
        if (!boundSkipOff && belowGate(fromDifferences, gate)) {
            boundSkips++;
            skipped(h, s0, s1, centre);
            return;
        }
        // Stage 1, every sample: the high band's envelope and the short 4x filters (vectorizable).
        int hl = s1 - s0 + 2 * HP_SPAN; // |high-passed x| at m - HP_SPAN .. m + HP_SPAN of every sample
        BlockFir.filter(HIGH_PASS, h, s0 + centre - HP_SPAN - HP_TAPS / 2, high, hl, shifted);
        abs(high, 0, high, 0, hl);
        slidingMax(high, hl, 2 * HP_SPAN + 1, envelope);
        double withEnvelope = shortBound + largestAbs(envelope, 0, s1 - s0);
        if (!boundSkipOff && belowGate(withEnvelope, gate)) {
            boundSkips++;
            skipped(h, s0, s1, centre);
            return;
        }
        // The short readings, max-ed filter by filter over the stretch (vectorizable; max is exact, so the
        // order in which the filters are taken does not change a bit).
        abs(h, s0 + centre, shortPeaks, 0, s1 - s0);
        shortReadings(h, s0 + centre, s1 - s0);
        if (probe != null) probe.stretch(fromDifferences, withEnvelope, stageOneMax(s1 - s0), gate);
        combine(h, s0, s1, centre, gate);
    }

    /** Tests: what {@link #detectSegment} saw of a stretch that it evaluated in full. */
    interface StretchProbe {
        /**
         * @param fromDifferences the bound from the stretch's differences
         * @param withEnvelope    the bound with the high band's computed envelope
         * @param stageOneMax     the largest {@code shortPeak + env} (float) that combine() compares with the gate
         */
        void stretch(double fromDifferences, double withEnvelope, float stageOneMax, float gate);
    }

    /** The largest shortPeaks[i] + envelope[i] in float, i < len (tests: the values the bounds must cover). */
    private float stageOneMax(int len) {
        float m = 0;
        for (int i = 0; i < len; i++) m = Math.max(m, shortPeaks[i] + envelope[i]);
        return m;
    }

    /** The short filters' taps (tests), filter {@code f} in time order; {@link #shortFilterCount()} of them. */
    static float[] shortFilter(int f) { return SHORT[f].clone(); }

    static int shortFilterCount() { return SHORT.length; }

    /** The high-pass's taps (tests). */
    static float[] highPassTaps() { return HIGH_PASS.clone(); }

    /** {@link #shortBound} for tests. */
    static double shortBoundOf(float shortLoud, float d1) { return shortBound(shortLoud, d1); }

    /**
     * An upper bound, times {@link #BOUND_SLACK}, of every sample's short peak over a stretch (its |x(m)| and its
     * short filters' |readings|, as {@link #shortReadings} computes them), from the largest |x| those filters read
     * there ({@code shortLoud}) and the largest |x(k+1) - x(k)| of the stretch's history ({@code d1}, a superset of
     * what they read): core's {@link DifferenceBound} of the short filters (the proof by parts and the float
     * rounding are there). Mastered music moves much less from sample to sample than its level: d1 is a fraction of
     * shortLoud, where the plain bound (sum |taps| x shortLoud, up to 2.25 x) gives nothing near the ceiling.
     */
    private static double shortBound(float shortLoud, float d1) {
        return SHORT_BOUND.of(shortLoud, d1);
    }

    /**
     * Whether a stretch whose every sample's short peak plus high-band envelope is at most {@code bound} (a proof,
     * see {@link #shortBound}; for the envelope either its computed maximum or its bound from the differences: the
     * high-pass's taps sum to zero and so do their first moments, to float rounding, so by parts twice its output
     * is {@code c1 x(last) - c2 d(last) + sum c2(j) e(j)}, e the second differences, with |c1| and |c2| at the end
     * tiny and sum |c2(j)| = HP_PER_D2 about 0.35; the float sum's rounding, 64 x 2^-24 x sum|taps| x max|x|, is in
     * HP_PER_X, the second differences' own rounding, at most 2^-21 x d1, in HP_PER_D1) can be left out: where the
     * bound is at most {@code gate}, the float sum {@code shortPeak + env} that {@link #combine} compares with the
     * gate rounds to at most the gate (rounding is monotone and the gate is a float), so the long interpolator does
     * not run and the sample's detected peak, that sum, is at most gate < ceiling: r = 1. What such a stretch writes
     * into {@link #peaks} instead ({@link #skipped}: |x(m)|, at most the gate too) gives the gain computer the same
     * r = 1 and the steady path the same test (peaks <= ceiling), so every output bit is the same. False for NaN
     * (the full path runs) and infinities.
     */
    static boolean belowGate(double bound, float gate) {
        return bound <= gate;
    }

    /** A stretch that cannot ask for a reduction: its samples' own |x(m)| into {@link #peaks} (all at most the gate). */
    private void skipped(float[] h, int s0, int s1, int centre) {
        maxAbs(h, s0 + centre, peaks, s0, s1 - s0);
    }

    /** The largest |d[j + 1] - d[j]| (float) for j in [0, len - 1): the second differences. */
    private static float largestDifference(float[] d, int len) {
        float m = 0;
        for (int j = 0; j + 1 < len; j++) m = Math.max(m, Math.abs(d[j + 1] - d[j]));
        return m;
    }

    /**
     * Every short filter over the stretch of {@code len} samples from history index {@code at} (x(m) of the first),
     * max-ed into {@link #shortPeaks}. The history shifted by each offset any filter has a tap at is copied to a
     * row of its own, and each filter's sums take their taps from those rows, in tap order, over the whole stretch.
     * Each sum is still taken tap by tap in float, so the readings are those of one such sum per filter to the bit
     * ({@link BlockFir#accumulate}; TruePeakLimiterGoldenTest). Why the copies: C2 (Java 17) vectorizes {@code o[i] += t * x[i]} but not
     * {@code o[i] += t * x[i + k]}, since o and x might be one array; the 7 filters share the 24 rows (a stretch 2x
     * faster than with the register-blocked FIR used before).
     */
    private void shortReadings(float[] h, int at, int len) {
        for (int d = SHORT_FIRST; d <= SHORT_LAST; d++) System.arraycopy(h, at + d, shiftedRows[d - SHORT_FIRST], 0, len);
        for (int f = 0; f < SHORT.length; f++) {
            Arrays.fill(shortOut[f], 0, len, 0f);
            BlockFir.accumulate(SHORT[f], 0, SHORT[f].length, shiftedRows, SHORT_START[f] - SHORT_FIRST, shortOut[f], len);
        }
        for (float[] o : shortOut) maxAbs(o, 0, shortPeaks, 0, len);
    }

    /** Short readings plus the high band's envelope, refined by the long interpolator near the ceiling. */
    private void combine(float[] h, int s0, int s1, int centre, float gate) {
        for (int i = s0; i < s1; i++) {
            float shortPeak = shortPeaks[i - s0];
            // What the interpolators read low (content above 0.93 x Nyquist) is at most the high band's
            // envelope: the largest high-passed sample within HP_SPAN, added in full (conservative).
            float env = envelope[i - s0];
            float best = shortPeak + env;
            if (shortPeak + env > gate) {
                // Stage 2, only near the ceiling: the long 8x interpolator with parabolic refinement.
                best = Math.max(shortPeak, longPeak(h, i + centre)) + env;
            }
            if (best > peaks[i]) peaks[i] = best;
        }
    }

    /**
     * max(0, |x[i]|) for i in [from, to). The max over a stretch of each sample's window maximum, which this replaces
     * (a sliding maximum over the whole block, per channel: three serial passes), is this one maximum over the
     * windows' union: the same value.
     */
    private static float largestAbs(float[] x, int from, int to) {
        float m = 0;
        for (int i = from; i < to; i++) m = Math.max(m, Math.abs(x[i]));
        return m;
    }

    /** out[o + j] = |x[from + j]| for j in [0, len). */
    private static void abs(float[] x, int from, float[] out, int o, int len) {
        for (int j = 0; j < len; j++) out[o + j] = Math.abs(x[from + j]);
    }

    /** out[o + j] = max(out[o + j], |x[from + j]|) for j in [0, len). */
    private static void maxAbs(float[] x, int from, float[] out, int o, int len) {
        for (int j = 0; j < len; j++) out[o + j] = Math.max(out[o + j], Math.abs(x[from + j]));
    }

    /**
     * The peak of x between x(m - 1/8) and x(m + 1) on the long interpolator's 8x grid, every local maximum
     * refined by a parabola; {@code at} is the history index of x(m).
     */
    private static float longPeak(float[] h, int at) {
        float before = dot(LONG[LONG_PHASES - 1], h, at - 1 - (LONG_TAPS / 2 - 1)); // x(m - 1/8)
        float x0 = Math.abs(h[at]);
        float best = x0;
        float a = Math.abs(before);
        float b = x0;
        int first = at - (LONG_TAPS / 2 - 1);
        for (int p = 0; p <= LONG_PHASES; p++) {
            float next = Math.abs(p < LONG_PHASES ? dot(LONG[p], h, first) : h[at + 1]);
            if (b >= a && b >= next) {
                float den = a - 2 * b + next;
                if (den < 0) best = Math.max(best, b - (a - next) * (a - next) / (8 * den));
            }
            best = Math.max(best, next);
            a = b;
            b = next;
        }
        return best;
    }

    private static float dot(float[] taps, float[] h, int first) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int k = 0; k < taps.length; k += 4) {
            s0 += taps[k] * h[first + k];
            s1 += taps[k + 1] * h[first + k + 1];
            s2 += taps[k + 2] * h[first + k + 2];
            s3 += taps[k + 3] * h[first + k + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * out[j] = max in[j .. j+w) for j in [0, len - w]. {@code in} may be {@code suffix} itself: each suffix
     * value is written only after the same index has been read.
     */
    private void slidingMax(float[] in, int len, int w, float[] out) {
        // running maxima forwards and backwards within aligned blocks of w (no division per sample)
        for (int b = 0; b < len; b += w) {
            int e = Math.min(len, b + w);
            float m = in[b];
            prefix[b] = m;
            for (int j = b + 1; j < e; j++) prefix[j] = m = Math.max(m, in[j]);
            m = in[e - 1];
            suffix[e - 1] = m;
            for (int j = e - 2; j >= b; j--) suffix[j] = m = Math.max(m, in[j]);
        }
        for (int j = 0; j + w <= len; j++) out[j] = Math.max(suffix[j], prefix[j + w - 1]);
    }

    /** A running mean over the last {@code length} values (starts full of ones). */
    private static final class MovingAverage {
        private final double[] ring;
        private int pos;
        private double sum;

        MovingAverage(int length) {
            ring = new double[length];
            reset();
        }

        void reset() {
            Arrays.fill(ring, 1.0);
            pos = 0;
            sum = ring.length;
        }

        double add(double v) {
            sum += v - ring[pos];
            ring[pos] = v;
            if (++pos == ring.length) {
                pos = 0;
                double exact = 0; // keep the running sum exact (no drift over hours)
                for (double r : ring) exact += r;
                sum = exact;
            }
            return sum / ring.length;
        }

        /**
         * {@code n} calls of {@link #add} with the value every slot of the ring already holds, when the sum is already
         * that of the ring (a wrap since the ring became uniform): the sum, the values and the mean stay; the position
         * moves (wrapping recomputes the same sum).
         */
        void skip(int n) {
            pos = (int) ((pos + (long) n) % ring.length);
        }
    }

    /** Phases 1..7 of a Kaiser-windowed sinc (beta 8) at 8x, cut at the input's Nyquist, unity gain at DC. */
    private static float[][] longPhases() {
        double beta = 8;
        double half = LONG_TAPS / 2.0;
        double i0 = org.stemroom.core.dsp.Window.besselI0(beta);
        float[][] ph = new float[OVERSAMPLING - 1][LONG_TAPS];
        for (int p = 1; p < OVERSAMPLING; p++) {
            double[] row = new double[LONG_TAPS];
            double sum = 0;
            for (int k = 0; k < LONG_TAPS; k++) {
                // tap k weighs x(m - (LONG_TAPS/2 - 1) + k); its distance from the point m + p/8:
                double d = k - (LONG_TAPS / 2 - 1) - p / (double) OVERSAMPLING;
                double sinc = Math.sin(Math.PI * d) / (Math.PI * d);
                double r = d / half;
                double w = org.stemroom.core.dsp.Window.besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0;
                row[k] = sinc * w;
                sum += row[k];
            }
            for (int k = 0; k < LONG_TAPS; k++) ph[p - 1][k] = (float) (row[k] / sum);
        }
        return ph;
    }

    private static float[] highPass() {
        double fc = 0.89;
        double beta = 6;
        int c = HP_TAPS / 2;
        double i0 = org.stemroom.core.dsp.Window.besselI0(beta);
        double[] lp = new double[HP_TAPS];
        double sum = 0;
        for (int k = 0; k < HP_TAPS; k++) {
            double d = k - c;
            double sinc = d == 0 ? 1 : Math.sin(Math.PI * fc * d) / (Math.PI * fc * d);
            double r = d / (c + 1.0);
            lp[k] = fc * sinc * org.stemroom.core.dsp.Window.besselI0(beta * Math.sqrt(1 - r * r)) / i0;
            sum += lp[k];
        }
        float[] hp = new float[HP_TAPS];
        for (int k = 0; k < HP_TAPS; k++) hp[k] = (float) ((k == c ? 1 : 0) - lp[k] / sum);
        return hp;
    }

    private static float[][] shortFilters() {
        float[][] bs = bs1770Phases();
        float[][] f = new float[3 + 4][];
        for (int p = 1; p < 4; p++) f[p - 1] = METER[p];
        for (int p = 0; p < 4; p++) f[3 + p] = bs[p];
        return f;
    }

    private static int shortFirst() {
        int m = Integer.MAX_VALUE;
        for (int f = 0; f < SHORT.length; f++) m = Math.min(m, SHORT_START[f]);
        return m;
    }

    private static int shortLast() {
        int m = Integer.MIN_VALUE;
        for (int f = 0; f < SHORT.length; f++) m = Math.max(m, SHORT_START[f] + SHORT[f].length - 1);
        return m;
    }

    private static int[] shortStarts() {
        int m = METER[0].length;
        int[] s = new int[3 + 4];
        // core meter: phase p over x(m + M/2 - M + 1 .. m + M/2) gives x(m + p/4)
        for (int p = 0; p < 3; p++) s[p] = m / 2 - (m - 1);
        // BS.1770: x(m-5 .. m+6) through each phase
        for (int p = 0; p < 4; p++) s[3 + p] = -5;
        return s;
    }

    /**
     * The 48-tap, 4-phase interpolation filter of ITU-R BS.1770-4 Annex 2 (phases 2 and 3 are phases 1 and 0
     * reversed), in time order (oldest sample first).
     */
    private static float[][] bs1770Phases() {
        double[] p0 = {0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875,
            0.1373291015625, 0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250,
            -0.0083007812500};
        double[] p1 = {-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500,
            0.4650878906250, 0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875,
            -0.0189208984375};
        float[][] ph = new float[4][BS_TAPS];
        for (int k = 0; k < BS_TAPS; k++) {
            // stored in time order (oldest sample first), i.e. the convolution taps reversed
            ph[0][k] = (float) p0[BS_TAPS - 1 - k];
            ph[1][k] = (float) p1[BS_TAPS - 1 - k];
            ph[2][k] = (float) p1[k];
            ph[3][k] = (float) p0[k];
        }
        return ph;
    }
}
