package org.stemroom.workstation.master;

import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;

/**
 * A look-ahead true-peak limiter that never lets the output's inter-sample peaks over the ceiling.
 *
 * <p>Detection: every channel is oversampled 4x, both with the filter of the project's own true-peak meter (core's
 * {@code TruePeakMeter}) and with the 48-tap filter tabulated in ITU-R BS.1770-4 Annex 2, so peaks between
 * samples are seen the way either meter sees them. Each input sample {@code k} asks for a
 * gain {@code r(k) = min(1, ceiling / peak(k))}, linked across channels so the image does not wander.
 *
 * <p>Why there is no overshoot: the gain applied at sample {@code t} is the mean over the attack window of a
 * released sliding minimum {@code s(t-j) = min r(k), k in [t-j-H, t-j+H+A]}, {@code j = 0..A}. Every one of those
 * windows contains {@code [t-H, t+H]}, so {@code g(t) <= r(k)} for every {@code k} within {@code H} samples of
 * {@code t}: the gain is already down for every sample an interpolating meter (support {@code +-H}) reads
 * around a peak, and sample peaks are bounded exactly. The gain moves slowly (a linear ramp of {@code A+1}
 * samples), so interpolating {@code g*x} differs from {@code g} times interpolated {@code x} by far less than the
 * small internal margin kept below the ceiling.
 *
 * <p>Latency is {@code 16 + H + A} frames ({@link #latencyFrames()}); offline renders remove it. Allocation
 * happens only in {@link #prepare}.
 */
public final class TruePeakLimiter implements AudioProcessor {
    /** Oversampling factor of the detector. */
    public static final int OVERSAMPLING = 4;
    private static final int TAPS = 32;           // per phase
    private static final int HALF = TAPS / 2;     // detector delay in base samples
    /** Half-support (base samples) within which the gain is held down around a peak. */
    private static final int HOLD = 16;
    /** Kept below the ceiling to absorb the interpolation of a moving gain (0.02 dB). */
    static final double MARGIN_DB = 0.02;

    /** The project's true-peak meter's own filter (core's TruePeakMeter), so the limiter sees what it reads. */
    private static final float[][] PHASES = org.stemroom.core.loudness.TruePeakMeter.interpolationPhases();
    private static final int METER_TAPS = PHASES[0].length;
    /**
     * The 48-tap, 4-phase interpolation filter of ITU-R BS.1770-4 Annex 2 (phases 2 and 3 are phases 1 and 0
     * reversed). Detecting with the meters' own filter as well as the longer sinc means what a BS.1770 meter reads
     * is held under the ceiling too (the two interpolators ring differently on edges and near Nyquist).
     */
    private static final float[][] BS1770 = bs1770Phases();
    private static final int BS_TAPS = 12;

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

    private float[][] hist;       // per channel: TAPS-1 past samples + the block
    private float[][] winMax;     // per channel: max |x| over the detector window of each sample of the block
    private float[] prefix;       // van Herk / Gil-Werman scratch
    private float[] suffix;
    private float quiet;          // windows whose max |x| is below this cannot reach the ceiling
    private float[][] delay;      // per channel ring of the dry signal
    private int delayPos;
    private int delayLen;
    // sliding minimum: monotonic deque of (index, value) in rings
    private long[] dqIdx;
    private float[] dqVal;
    private int dqHead;
    private int dqSize;
    private long count;           // input samples seen
    private float released;
    private double[] avgRing;
    private int avgPos;
    private double avgSum;
    private float minGain = 1f;

    /**
     * @param ceilingDb true-peak ceiling in dBTP (e.g. -1.0)
     * @param attackMs  the look-ahead over which the gain ramps down before a peak
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
        attack = Math.max(1, (int) Math.round(attackMs * 1e-3 * rate));
        window = 2 * HOLD + attack + 1;
        latency = HALF + HOLD + attack;
        ceiling = (float) Math.pow(10, (ceilingDb - MARGIN_DB) / 20.0);
        releaseCoef = 1.0 - Math.exp(-1.0 / (releaseMs * 1e-3 * rate));
        hist = new float[channels][TAPS - 1 + maxBlockFrames];
        winMax = new float[channels][maxBlockFrames];
        prefix = new float[TAPS - 1 + maxBlockFrames + TAPS];
        suffix = new float[TAPS - 1 + maxBlockFrames + TAPS];
        // |interpolated| <= sum|taps| * max|x| over the window: below ceiling / max sum|taps| nothing can overshoot.
        double gainBound = 1;
        for (float[][] bank : new float[][][] {PHASES, BS1770}) {
            for (float[] taps : bank) {
                double sum = 0;
                for (float t : taps) sum += Math.abs(t);
                gainBound = Math.max(gainBound, sum);
            }
        }
        quiet = (float) (ceiling / gainBound);
        delayLen = latency + 1;
        delay = new float[channels][delayLen];
        dqIdx = new long[window + 1];
        dqVal = new float[window + 1];
        avgRing = new double[attack + 1];
        reset();
    }

    @Override
    public void reset() {
        for (float[] h : hist) java.util.Arrays.fill(h, 0f);
        for (float[] d : delay) java.util.Arrays.fill(d, 0f);
        delayPos = 0;
        dqHead = 0;
        dqSize = 0;
        count = 0;
        released = 1f;
        java.util.Arrays.fill(avgRing, 1.0);
        avgPos = 0;
        avgSum = attack + 1;
        minGain = 1f;
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
        // Append the block to the detector history (TAPS-1 old samples stay in front).
        for (int c = 0; c < channels; c++) System.arraycopy(in.channel(c), 0, hist[c], TAPS - 1, n);
        out.setFrames(n);
        for (int c = 0; c < channels; c++) windowMax(hist[c], n, winMax[c]);
        for (int i = 0; i < n; i++) {
            // 1. Peak of the interval starting at base sample m = count - HALF (+ up to 3/4 sample).
            float peak = 0f;
            for (int c = 0; c < channels; c++) {
                if (winMax[c][i] <= quiet) continue; // provably under the ceiling: skip the interpolation
                float[] h = hist[c];
                // hist[c][i + TAPS - 1] is the newest sample x(count); x(m) sits at index i + TAPS - 1 - HALF.
                float xm = Math.abs(h[i + TAPS - 1 - HALF]);
                if (xm > peak) peak = xm;
                // core meter phases over x(m+M/2-M+1 .. m+M/2): phase p gives x(m + p/4); phase 0 is x(m) itself
                int mBase = i + TAPS - 1 - HALF + METER_TAPS / 2 - (METER_TAPS - 1);
                for (int p = 1; p < OVERSAMPLING; p++) {
                    float[] taps = PHASES[p];
                    float acc = 0f;
                    for (int k = 0; k < METER_TAPS; k++) acc += taps[k] * h[mBase + k];
                    acc = Math.abs(acc);
                    if (acc > peak) peak = acc;
                }
                // x(m-5 .. m+6) through each BS.1770 phase
                int base = i + TAPS - 1 - HALF - 5;
                for (int p = 0; p < OVERSAMPLING; p++) {
                    float[] taps = BS1770[p];
                    float acc = 0f;
                    for (int k = 0; k < BS_TAPS; k++) acc += taps[k] * h[base + k];
                    acc = Math.abs(acc);
                    if (acc > peak) peak = acc;
                }
            }
            float r = peak > ceiling ? ceiling / peak : 1f;
            // 2. Sliding minimum over the last `window` r values.
            long idx = count;
            while (dqSize > 0 && dqVal[(dqHead + dqSize - 1) % dqVal.length] >= r) dqSize--;
            int slot = (dqHead + dqSize) % dqVal.length;
            dqIdx[slot] = idx;
            dqVal[slot] = r;
            dqSize++;
            while (dqIdx[dqHead] <= idx - window) { dqHead = (dqHead + 1) % dqVal.length; dqSize--; }
            float s = dqVal[dqHead];
            // 3. Instant attack, exponential release, then the A+1 moving average.
            float rel = (float) (released + (1.0 - released) * releaseCoef);
            released = Math.min(s, rel);
            avgSum += released - avgRing[avgPos];
            avgRing[avgPos] = released;
            if (++avgPos == avgRing.length) {
                avgPos = 0;
                double exact = 0; // keep the running sum exact (no drift over hours)
                for (double v : avgRing) exact += v;
                avgSum = exact;
            }
            float g = (float) Math.min(1.0, avgSum / avgRing.length);
            if (g < minGain) minGain = g;
            // 4. Output the sample `latency` frames back, times its gain.
            int readPos = delayPos + 1 == delayLen ? 0 : delayPos + 1; // oldest sample in the ring
            for (int c = 0; c < channels; c++) {
                float[] d = delay[c];
                d[delayPos] = in.channel(c)[i];
                float y = d[readPos] * g;
                // Exact bound on sample peaks, whatever float rounding of g did.
                if (y > ceiling) y = ceiling; else if (y < -ceiling) y = -ceiling;
                out.channel(c)[i] = y;
            }
            delayPos = readPos;
            count++;
        }
        // Keep the last TAPS-1 input samples for the next block.
        for (int c = 0; c < channels; c++) System.arraycopy(hist[c], n, hist[c], 0, TAPS - 1);
    }

    /** out[i] = max |h[i .. i+TAPS-1]| for i in [0, n), by prefix/suffix maxima over aligned TAPS-blocks. */
    private void windowMax(float[] h, int n, float[] out) {
        int len = n + TAPS - 1;
        for (int j = 0; j < len; j++) {
            float a = Math.abs(h[j]);
            prefix[j] = (j % TAPS == 0) ? a : Math.max(prefix[j - 1], a);
        }
        for (int j = len - 1; j >= 0; j--) {
            float a = Math.abs(h[j]);
            suffix[j] = (j % TAPS == TAPS - 1 || j == len - 1) ? a : Math.max(suffix[j + 1], a);
        }
        for (int i = 0; i < n; i++) out[i] = Math.max(suffix[i], prefix[i + TAPS - 1]);
    }

    private static float[][] bs1770Phases() {
        double[] p0 = {0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875,
            0.1373291015625, 0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250,
            -0.0083007812500};
        double[] p1 = {-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500,
            0.4650878906250, 0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875,
            -0.0189208984375};
        float[][] ph = new float[OVERSAMPLING][BS_TAPS];
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
