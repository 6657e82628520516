package org.stemroom.core.dsp;

import java.util.Arrays;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;

/**
 * Band-limited sample-rate conversion by any rational ratio: a Kaiser-windowed sinc low pass, applied in
 * polyphase form. For {@code in -> out} the ratio is reduced by the gcd to {@code L/M} (44.1k -> 48k is
 * 160/147); output sample {@code n} sits at input time {@code n*M/L} and is the dot product of {@code K} input
 * samples with phase {@code (n*M) mod L} of a precomputed table of {@code L x K} float coefficients.
 *
 * <p>Design, relative to the Nyquist frequency {@code fN} of the lower of the two rates: pass band to
 * {@code 0.905 fN} (ripple about 1e-4 dB, specified as at most 0.01 dB up to 0.9 fN), stop band from
 * {@code fN} on with at least 110 dB design attenuation (at least 100 dB measured): nothing above the lower
 * Nyquist frequency aliases or images back audibly. About 150 taps per output sample at 44.1/48 kHz.
 *
 * <p>Streaming ({@link #prepare}, {@link #process}): every block of input gives the output samples that have
 * become computable, between {@code floor} and {@code ceil} of {@code frames*L/M} plus one; size output
 * buffers with {@link #maxOutputFrames(int)}. The stream is delayed by exactly {@link #latencyFrames()} output
 * frames (an integer: the filter's start phase is chosen so the delay is whole). Nothing is allocated after
 * {@code prepare}. The offline {@link #resample(AudioClip, int)} compensates the delay: its output is aligned
 * with the input (sample 0 at time 0) and has {@code round(frames*out/in)} frames.
 */
public final class Resampler implements AudioProcessor {
    /** Largest polyphase table (L x K coefficients) accepted; rates with a huge reduced L are refused. */
    private static final int MAX_TABLE = 1 << 24;
    private static final double PASS_EDGE = 0.905;
    private static final double STOP_EDGE = 1.0;
    private static final double ATTENUATION_DB = 110;

    private final int inRate;
    private final int outRate;
    private final int up;     // L
    private final int down;   // M
    private final int taps;   // K, per phase
    private final int stride; // row length in the table (K rounded up for alignment)
    private final float[] table; // row p = phase p, coefficients in input-time order (oldest first)
    private final int delayUp;   // D: centre of the prototype, in samples of the L-times upsampled rate
    private final int stepInt, stepFrac;

    // streaming state, sized in prepare
    private AudioFormat inFormat;
    private AudioFormat outFormat;
    private int maxBlock;
    private float[][] history; // per channel: K-1 history samples then one block
    private int newest;        // buffer index of the newest input sample the next output uses
    private int phase;

    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) throw new IllegalArgumentException("rates must be positive: " + inRate + " -> " + outRate);
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        double nyquistLow = Math.min(inRate, outRate) / 2.0;
        double upRate = (double) inRate * up;
        double transition = (STOP_EDGE - PASS_EDGE) * nyquistLow;
        double dw = 2 * Math.PI * transition / upRate;
        int length = (int) Math.ceil((ATTENUATION_DB - 7.95) / (2.285 * dw)) + 1; // Kaiser's estimate, at the upsampled rate
        int k = (length + up - 1) / up;
        k += k & 1; // even, so the centre D = L*K/2 falls on phase 0 of an input sample
        this.taps = k;
        this.stride = (k + 7) & ~7;
        if ((long) up * stride > MAX_TABLE) {
            throw new IllegalArgumentException("cannot resample " + inRate + " -> " + outRate + " Hz: the reduced ratio "
                    + up + "/" + down + " needs a polyphase table of " + ((long) up * stride) + " coefficients");
        }
        this.delayUp = up * k / 2;
        this.stepInt = down / up;
        this.stepFrac = down % up;
        this.table = design(up, k, stride, (PASS_EDGE + STOP_EDGE) / 2 * nyquistLow / upRate,
                Window.kaiserBeta(ATTENUATION_DB));
    }

    /**
     * Kaiser-windowed sinc of {@code L*K} taps centred on {@code D = L*K/2}, cutoff {@code fc} (cycles per
     * upsampled sample), gain L (the upsampler's zero stuffing divides by L), arranged by phase: row {@code p},
     * column {@code j} holds {@code h[p + L*(K-1-j)]}, the weight of input sample {@code i - (K-1-j)}.
     */
    private static float[] design(int l, int k, int stride, double fc, double beta) {
        int n = l * k;
        double d = n / 2.0;
        double i0beta = Window.besselI0(beta);
        double[] h = new double[n];
        double sum = 0;
        for (int m = 0; m < n; m++) {
            double t = m - d;
            double sinc = t == 0 ? 1 : Math.sin(2 * Math.PI * fc * t) / (2 * Math.PI * fc * t);
            double r = t / d;
            double w = Window.besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0beta;
            h[m] = 2 * fc * sinc * w;
            sum += h[m];
        }
        double norm = l / sum; // exact DC gain: each phase sums to 1 on average
        float[] table = new float[l * stride];
        for (int p = 0; p < l; p++) {
            for (int j = 0; j < k; j++) table[p * stride + j] = (float) (h[p + l * (k - 1 - j)] * norm);
        }
        return table;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    public int inputRate() { return inRate; }
    public int outputRate() { return outRate; }
    /** Interpolation factor L of the reduced ratio. */
    public int upFactor() { return up; }
    /** Decimation factor M of the reduced ratio. */
    public int downFactor() { return down; }
    /** Filter taps per output sample (K). */
    public int tapsPerPhase() { return taps; }

    /** Coefficient {@code j} (input-time order) of phase {@code p}; for tests of the filter design. */
    float coefficient(int p, int j) { return table[p * stride + j]; }

    // ---------------------------------------------------------------- streaming

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        if (inputFormat.sampleRate() != inRate) {
            throw new IllegalArgumentException("resampler built for " + inRate + " Hz, got " + inputFormat);
        }
        if (maxBlockFrames < 1) throw new IllegalArgumentException("maxBlockFrames must be >= 1");
        this.inFormat = inputFormat;
        this.outFormat = inputFormat.withSampleRate(outRate);
        this.maxBlock = maxBlockFrames;
        this.history = new float[inputFormat.channels()][taps - 1 + maxBlockFrames];
        reset();
    }

    @Override
    public void reset() {
        if (history == null) return;
        for (float[] h : history) Arrays.fill(h, 0f);
        // start phase u0 = D mod M makes the delay floor(D/M) whole output frames
        int u0 = delayUp % down;
        newest = u0 / up + taps - 1;
        phase = u0 % up;
    }

    @Override
    public AudioFormat outputFormat() { return outFormat; }

    /** Output frames the stream lags its input by: output {@code n} is the ideal output {@code n - latency}. */
    @Override
    public int latencyFrames() { return delayUp / down; }

    /** Most output frames one {@link #process} call can produce from {@code inputFrames}. */
    public int maxOutputFrames(int inputFrames) {
        return (int) (((long) inputFrames * up + down - 1) / down) + 1;
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        int n = input.frames();
        if (n > maxBlock) throw new IllegalArgumentException("block of " + n + " frames exceeds prepared " + maxBlock);
        int channels = history.length;
        int hist = taps - 1;
        for (int c = 0; c < channels; c++) System.arraycopy(input.channel(c), 0, history[c], hist, n);
        int last = hist + n - 1; // newest valid buffer index
        int produced = 0;
        int b = newest, p = phase;
        for (int c = 0; c < channels; c++) {
            produced = run(history[c], b, p, last, output.channel(c), 0, Integer.MAX_VALUE);
        }
        // advance the shared position past the outputs just written
        for (int i = 0; i < produced; i++) {
            p += stepFrac;
            b += stepInt;
            if (p >= up) {
                p -= up;
                b++;
            }
        }
        for (int c = 0; c < channels; c++) System.arraycopy(history[c], n, history[c], 0, hist);
        newest = b - n;
        phase = p;
        output.setFrames(produced);
    }

    /**
     * Writes outputs to {@code out[outOff..]} while the newest sample they need ({@code b}) is at most
     * {@code last} and fewer than {@code limit} have been written; returns how many.
     */
    private int run(float[] x, int b, int p, int last, float[] out, int outOff, int limit) {
        final float[] t = table;
        final int k = taps, s = stride, l = up, si = stepInt, sf = stepFrac;
        int count = 0;
        while (b <= last && count < limit) {
            out[outOff + count++] = dot(t, p * s, x, b - k + 1, k);
            p += sf;
            b += si;
            if (p >= l) {
                p -= l;
                b++;
            }
        }
        return count;
    }

    /** Dot product with four independent accumulators, so additions pipeline instead of forming one chain. */
    private static float dot(float[] c, int cOff, float[] x, int xOff, int k) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < k; j += 4) {
            s0 += c[cOff + j] * x[xOff + j];
            s1 += c[cOff + j + 1] * x[xOff + j + 1];
            s2 += c[cOff + j + 2] * x[xOff + j + 2];
            s3 += c[cOff + j + 3] * x[xOff + j + 3];
        }
        for (; j < k; j++) s0 += c[cOff + j] * x[xOff + j];
        return (s0 + s1) + (s2 + s3);
    }

    // ---------------------------------------------------------------- offline

    /**
     * The whole clip at {@code rate}: aligned with the input (the filter delay is compensated, output sample 0 is
     * input time 0) and {@code round(frames * rate / clipRate)} frames long. Returns the clip itself when the
     * rates are equal.
     */
    public static AudioClip resample(AudioClip clip, int rate) {
        if (clip.sampleRate() == rate) return clip;
        AudioFormat outFormat = clip.format().withSampleRate(rate);
        Resampler r = new Resampler(clip.sampleRate(), rate);
        return new AudioClip(outFormat, r.resampleAligned(clip.samples()));
    }

    /** Outputs per block of the offline kernel (per phase class); sized so the working set stays in L2. */
    private static final int CHUNK = 256;

    /**
     * Offline conversion of whole channels, aligned and of length {@code round(n*L/M)}.
     *
     * <p>Outputs {@code n0 + L*q} all use phase {@code p(n0)} and input windows {@code M} samples apart. Gathering,
     * per block of outputs, the input samples each tap position needs into contiguous rows turns the filter into
     * multiply-adds over {@code q} at equal indices, which the JIT compiles to SIMD code: about four times faster
     * than one dot product per output (the streaming path). Same filter, same result to float rounding.
     */
    public float[][] resampleAligned(float[][] channels) {
        int n = channels[0].length;
        int outLen = (int) Math.round((double) n * up / down);
        float[][] out = new float[channels.length][outLen];
        if (outLen == 0) return out;
        // phase class n0 in [0, L): its phase and first input index (u = n0*M + D)
        int classes = Math.min(up, outLen);
        int[] classPhase = new int[classes];
        int[] classStart = new int[classes];
        for (int n0 = 0; n0 < classes; n0++) {
            long u = (long) n0 * down + delayUp;
            classPhase[n0] = (int) (u % up);
            classStart[n0] = (int) (u / up);
        }
        // Channels are independent: convert them on parallel threads (same bits whatever the thread count).
        java.util.stream.IntStream.range(0, channels.length).parallel()
                .forEach(c -> convertChannel(channels[c], out[c], classPhase, classStart));
        return out;
    }

    private void convertChannel(float[] x, float[] y, int[] classPhase, int[] classStart) {
        int n = x.length, outLen = y.length, classes = classPhase.length;
        int hist = taps - 1;
        int tMin = Integer.MAX_VALUE, tMax = 0;
        for (int n0 = 0; n0 < classes; n0++) {
            tMin = Math.min(tMin, classStart[n0]);
            tMax = Math.max(tMax, classStart[n0] + taps - 1);
        }
        int span = tMax - tMin + 1;
        int perClassMax = (outLen + up - 1) / up;
        // padded[t] = x[t - hist], zeros around; long enough for every gathered index
        float[] padded = new float[Math.max(hist + n, tMax + down * perClassMax + 1)];
        System.arraycopy(x, 0, padded, hist, n);
        // seg[s][q] = padded[tMin + s + M*(q0 + q)]: the input samples tap positions t = tMin + s need for the
        // outputs q0.. of every phase class. About M+K rows serve all L*K (class, tap) pairs of a chunk, and
        // each multiply-add then reads seg and acc at the same index, a loop form the JIT vectorizes.
        float[][] seg = new float[span][CHUNK];
        float[] acc = new float[CHUNK];
        for (int q0 = 0; q0 < perClassMax; q0 += CHUNK) {
            int countMax = Math.min(CHUNK, perClassMax - q0);
            for (int sIdx = 0; sIdx < span; sIdx++) {
                float[] row = seg[sIdx];
                int base = tMin + sIdx + q0 * down;
                for (int q = 0; q < countMax; q++) row[q] = padded[base + q * down];
            }
            for (int n0 = 0; n0 < classes; n0++) {
                int count = Math.min(countMax, (outLen - n0 + up - 1) / up - q0);
                if (count <= 0) continue;
                java.util.Arrays.fill(acc, 0, count, 0f);
                int row = classPhase[n0] * stride;
                int s0 = classStart[n0] - tMin;
                for (int j = 0; j < taps; j++) axpy(table[row + j], seg[s0 + j], acc, count);
                int o = n0 + q0 * up;
                for (int q = 0; q < count; q++, o += up) y[o] = acc[q];
            }
        }
    }

    /** {@code acc[q] += a * x[q]}: same index on both arrays, so C2 vectorizes it (an offset on x would stop it). */
    private static void axpy(float a, float[] x, float[] acc, int count) {
        for (int q = 0; q < count; q++) acc[q] += a * x[q];
    }
}
