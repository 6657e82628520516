package org.stemroom.core.loudness;

import java.util.Arrays;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Speaker;
import org.stemroom.core.dsp.BiquadCascade;

/**
 * Loudness and peak meter per ITU-R BS.1770-4, EBU R128, EBU Tech 3341 (momentary, short-term, integrated) and
 * EBU Tech 3342 (loudness range). Feed it blocks of any size with {@link #process}; read values at any time.
 *
 * <ul>
 *   <li>K-weighting ({@link KWeighting}) of every channel, recomputed for the stream's sample rate.</li>
 *   <li>Channel weights by loudspeaker position: 1.0 for front channels, 1.41 (+1.5 dB) for surrounds
 *       (60 to 120 degrees azimuth off centre, below 30 degrees elevation: Ls/Rs of 5.1, side and rear
 *       surrounds of 7.1 at 90 and 110 degrees), 0 for LFE. Channels of non-speaker layouts weigh 1.0.</li>
 *   <li>Loudness of a block: {@code -0.691 + 10 log10(sum_i G_i * meansquare_i)} LUFS.</li>
 *   <li>Momentary: 400 ms window; short-term: 3 s window; both advance in 100 ms steps.</li>
 *   <li>Integrated: 400 ms blocks overlapping by 75%, absolute gate -70 LUFS, relative gate 10 LU below the
 *       loudness of the blocks above the absolute gate.</li>
 *   <li>Loudness range (Tech 3342): short-term values every 100 ms, absolute gate -70 LUFS, relative gate 20 LU
 *       below the energy mean of those, then the 95th minus the 10th percentile (nearest rank).</li>
 *   <li>Sample peak and true peak ({@link TruePeakMeter}, 4x oversampling), over all channels including LFE.</li>
 * </ul>
 * Values with nothing to measure yet (or everything gated away) are {@link Double#NEGATIVE_INFINITY}; an LRA
 * without gated short-term blocks is 0. The gated-block history grows by 16 bytes per 100 ms of audio
 * (about 0.6 MB per hour); {@link #process} allocates only when that history's array grows.
 */
public final class LoudnessMeter {
    public static final double ABSOLUTE_GATE_LUFS = -70;
    public static final double SURROUND_WEIGHT = 1.41;
    private static final int MAX_BLOCK = 4096;

    private final AudioFormat format;
    private final int channels;
    /** K-weighting's two sections, {b0, b1, b2, a1, a2} each: the same for every channel. */
    private final double[] shelf;
    private final double[] rlb;
    /** Per channel: the two state variables of each section. */
    private final double[][] state;
    /** Energy of each channel of the current sub-step (scratch). */
    private final double[] channelEnergy;
    private final double[] weights;
    private final int step;           // samples per 100 ms sub-block
    private final TruePeakMeter truePeak;
    private final double[] samplePeak;

    private final double[] subBlocks = new double[30]; // weighted sums of squares of the last 30 sub-blocks
    private int subCount;          // sub-blocks completed in total
    private int stepFill;          // samples in the current sub-block
    private double stepEnergy;     // weighted sum of squares in the current sub-block

    private double[] momentaryBlocks = new double[6000]; // mean-square power of each 400 ms gating block
    private int momentaryCount;
    private double[] shortTermBlocks = new double[6000];
    private int shortTermCount;
    private double maxMomentary = Double.NEGATIVE_INFINITY;
    private double maxShortTerm = Double.NEGATIVE_INFINITY;
    private long frames;

    public LoudnessMeter(AudioFormat format) {
        this(format, true);
    }

    /**
     * @param measureTruePeak false to skip the 4x oversampling (most of the cost) when only loudness is wanted;
     *                        {@link #truePeakDbtp()} then reports NaN
     */
    public LoudnessMeter(AudioFormat format, boolean measureTruePeak) {
        this.format = format;
        int ch = format.channels();
        this.channels = ch;
        BiquadCascade k = KWeighting.filter(format.sampleRate());
        this.shelf = k.section(0).coefficients();
        this.rlb = k.section(1).coefficients();
        this.state = new double[ch][4];
        this.channelEnergy = new double[ch];
        this.weights = channelWeights(format.layout());
        this.step = (int) Math.round(format.sampleRate() / 10.0);
        this.truePeak = measureTruePeak ? new TruePeakMeter(ch, MAX_BLOCK) : null;
        this.samplePeak = new double[ch];
    }

    /** BS.1770-4 channel weights for a layout (see the class comment). */
    public static double[] channelWeights(ChannelLayout layout) {
        double[] w = new double[layout.channelCount()];
        Arrays.fill(w, 1.0);
        if (!layout.isSpeakerLayout()) return w;
        for (int c = 0; c < w.length; c++) {
            Speaker s = layout.speakers().get(c);
            double az = Math.abs(s.azimuthDegrees());
            if (s.isLfe()) w[c] = 0;
            else if (s.elevationDegrees() < 30 && az >= 60 && az <= 120) w[c] = SURROUND_WEIGHT;
        }
        return w;
    }

    public AudioFormat format() { return format; }

    /** Measures {@code block.frames()} frames (channel count as the format's). */
    public void process(AudioBuffer block) {
        if (block.channels() != channels) {
            throw new IllegalArgumentException(block.channels() + " channels for a " + channels + "-channel meter");
        }
        process(block.data(), 0, block.frames());
    }

    /** Measures {@code frames} frames of planar audio starting at {@code offset}. */
    public void process(float[][] channels, int offset, int frames) {
        int pos = 0;
        while (pos < frames) {
            int n = Math.min(Math.min(MAX_BLOCK, step - stepFill), frames - pos);
            weigh(channels, offset + pos, n);
            double energy = 0;
            for (int c = 0; c < this.channels; c++) {
                if (weights[c] == 0) continue;
                energy += weights[c] * channelEnergy[c];
            }
            pos += n;
            stepEnergy += energy;
            stepFill += n;
            if (stepFill == step) completeSubBlock();
        }
        if (truePeak != null) truePeak.process(channels, offset, frames);
        this.frames += frames;
    }

    /**
     * Sample peaks of every channel, and the K-weighted energy of every weighted channel into
     * {@link #channelEnergy}, over frames [off, off+n). Two channels share one loop: their recursions are
     * independent, so the processor overlaps them (the same arithmetic per channel as one channel at a time).
     */
    private void weigh(float[][] x, int off, int n) {
        int c = 0;
        while (c < channels) {
            if (weights[c] == 0) {
                samplePeak[c] = peak(x[c], off, n, samplePeak[c]);
                c++;
                continue;
            }
            int d = c + 1;
            while (d < channels && weights[d] == 0) d++;
            if (d < channels) {
                kWeighPair(x[c], state[c], x[d], state[d], off, n, c, d);
                for (int z = c + 1; z < d; z++) samplePeak[z] = peak(x[z], off, n, samplePeak[z]);
                c = d + 1;
            } else {
                kWeighPair(x[c], state[c], null, null, off, n, c, -1);
                for (int z = c + 1; z < channels; z++) samplePeak[z] = peak(x[z], off, n, samplePeak[z]);
                c = channels;
            }
        }
    }

    private static double peak(float[] x, int off, int n, double sp) {
        // the float peak is the same number as a running maximum in double, in a loop C2 vectorizes
        return Math.max(sp, AudioBuffer.peak(x, off, off + n));
    }

    /**
     * K-weighting of channel {@code c} (and {@code d}, when {@code y} is not null) over [off, off+n): both sections
     * in one loop, each section's output rounded to float as a {@link BiquadCascade} writing float arrays rounds
     * it, the squares of the output summed in double in time order, the sample peak taken on the way. Bit for bit
     * what the cascade followed by a sum over its output gives (LoudnessMeterTest checks it).
     */
    private void kWeighPair(float[] x, double[] sx, float[] y, double[] sy, int off, int n, int c, int d) {
        final double p0 = shelf[0], p1 = shelf[1], p2 = shelf[2], p3 = shelf[3], p4 = shelf[4];
        final double q0 = rlb[0], q1 = rlb[1], q2 = rlb[2], q3 = rlb[3], q4 = rlb[4];
        double u1 = sx[0], u2 = sx[1], v1 = sx[2], v2 = sx[3];
        double e = 0;
        double sp = samplePeak[c];
        if (y == null) {
            for (int i = off; i < off + n; i++) {
                float xi = x[i];
                sp = Math.max(sp, Math.abs(xi));
                double a = xi;
                double ya = p0 * a + u1;
                u1 = p1 * a - p3 * ya + u2;
                u2 = p2 * a - p4 * ya;
                double b = (float) ya;
                double yb = q0 * b + v1;
                v1 = q1 * b - q3 * yb + v2;
                v2 = q2 * b - q4 * yb;
                float o = (float) yb;
                e += (double) o * o;
            }
        } else {
            double w1 = sy[0], w2 = sy[1], t1 = sy[2], t2 = sy[3];
            double f = 0;
            double sq = samplePeak[d];
            for (int i = off; i < off + n; i++) {
                float xi = x[i];
                float zi = y[i];
                sp = Math.max(sp, Math.abs(xi));
                sq = Math.max(sq, Math.abs(zi));
                double a = xi;
                double g = zi;
                double ya = p0 * a + u1;
                double yg = p0 * g + w1;
                u1 = p1 * a - p3 * ya + u2;
                w1 = p1 * g - p3 * yg + w2;
                u2 = p2 * a - p4 * ya;
                w2 = p2 * g - p4 * yg;
                double b = (float) ya;
                double h = (float) yg;
                double yb = q0 * b + v1;
                double yh = q0 * h + t1;
                v1 = q1 * b - q3 * yb + v2;
                t1 = q1 * h - q3 * yh + t2;
                v2 = q2 * b - q4 * yb;
                t2 = q2 * h - q4 * yh;
                float o = (float) yb;
                float r = (float) yh;
                e += (double) o * o;
                f += (double) r * r;
            }
            sy[0] = w1; sy[1] = w2; sy[2] = t1; sy[3] = t2;
            samplePeak[d] = sq;
            channelEnergy[d] = f;
        }
        sx[0] = u1; sx[1] = u2; sx[2] = v1; sx[3] = v2;
        samplePeak[c] = sp;
        channelEnergy[c] = e;
    }

    private void completeSubBlock() {
        subBlocks[subCount % 30] = stepEnergy;
        subCount++;
        stepEnergy = 0;
        stepFill = 0;
        if (subCount >= 4) {
            double z = sumLast(4) / (4.0 * step);
            momentaryBlocks = append(momentaryBlocks, momentaryCount++, z);
            maxMomentary = Math.max(maxMomentary, lufs(z));
        }
        if (subCount >= 30) {
            double z = sumLast(30) / (30.0 * step);
            shortTermBlocks = append(shortTermBlocks, shortTermCount++, z);
            maxShortTerm = Math.max(maxShortTerm, lufs(z));
        }
    }

    private double sumLast(int k) {
        double s = 0;
        for (int i = 1; i <= k; i++) s += subBlocks[(subCount - i) % 30];
        return s;
    }

    private static double[] append(double[] a, int index, double v) {
        if (index == a.length) a = Arrays.copyOf(a, a.length * 2);
        a[index] = v;
        return a;
    }

    static double lufs(double meanSquare) {
        return meanSquare > 0 ? -0.691 + 10 * Math.log10(meanSquare) : Double.NEGATIVE_INFINITY;
    }

    /** Loudness of the last complete 400 ms window, LUFS. */
    public double momentaryLufs() {
        return momentaryCount == 0 ? Double.NEGATIVE_INFINITY : lufs(momentaryBlocks[momentaryCount - 1]);
    }

    /** Loudness of the last complete 3 s window, LUFS. */
    public double shortTermLufs() {
        return shortTermCount == 0 ? Double.NEGATIVE_INFINITY : lufs(shortTermBlocks[shortTermCount - 1]);
    }

    public double maxMomentaryLufs() { return maxMomentary; }
    public double maxShortTermLufs() { return maxShortTerm; }

    /** Gated integrated loudness of everything measured so far, LUFS. */
    public double integratedLufs() {
        double abs = gatedMean(momentaryBlocks, momentaryCount, ABSOLUTE_GATE_LUFS);
        if (Double.isNaN(abs)) return Double.NEGATIVE_INFINITY;
        double rel = lufs(abs) - 10;
        double m = gatedMean(momentaryBlocks, momentaryCount, Math.max(rel, ABSOLUTE_GATE_LUFS));
        return Double.isNaN(m) ? Double.NEGATIVE_INFINITY : lufs(m);
    }

    /** Mean of the blocks whose loudness is above {@code gate} (strictly), or NaN when none is. */
    private static double gatedMean(double[] blocks, int count, double gateLufs) {
        double threshold = Math.pow(10, (gateLufs + 0.691) / 10);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (blocks[i] > threshold) {
                sum += blocks[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Loudness range (EBU Tech 3342), LU. */
    public double loudnessRangeLu() {
        double abs = gatedMean(shortTermBlocks, shortTermCount, ABSOLUTE_GATE_LUFS);
        if (Double.isNaN(abs)) return 0;
        double gate = Math.max(lufs(abs) - 20, ABSOLUTE_GATE_LUFS);
        double threshold = Math.pow(10, (gate + 0.691) / 10);
        double[] kept = new double[shortTermCount];
        int n = 0;
        for (int i = 0; i < shortTermCount; i++) if (shortTermBlocks[i] > threshold) kept[n++] = lufs(shortTermBlocks[i]);
        if (n == 0) return 0;
        Arrays.sort(kept, 0, n);
        double lo = kept[(int) Math.round((n - 1) * 0.10)];
        double hi = kept[(int) Math.round((n - 1) * 0.95)];
        return hi - lo;
    }

    /** Largest absolute sample over all channels, dBFS. */
    public double samplePeakDbfs() {
        double m = 0;
        for (double p : samplePeak) m = Math.max(m, p);
        return toDb(m);
    }

    public double samplePeakDbfs(int channel) { return toDb(samplePeak[channel]); }

    /** True peak over all channels (4x oversampled), dBTP. */
    public double truePeakDbtp() { return truePeak == null ? Double.NaN : toDb(truePeak.peak()); }

    public double truePeakDbtp(int channel) { return truePeak == null ? Double.NaN : toDb(truePeak.peak(channel)); }

    /** Frames measured so far. */
    public long frames() { return frames; }

    public void reset() {
        for (double[] st : state) Arrays.fill(st, 0);
        if (truePeak != null) truePeak.reset();
        Arrays.fill(samplePeak, 0);
        Arrays.fill(subBlocks, 0);
        subCount = 0;
        stepFill = 0;
        stepEnergy = 0;
        momentaryCount = 0;
        shortTermCount = 0;
        maxMomentary = Double.NEGATIVE_INFINITY;
        maxShortTerm = Double.NEGATIVE_INFINITY;
        frames = 0;
    }

    static double toDb(double linear) {
        return linear > 0 ? 20 * Math.log10(linear) : Double.NEGATIVE_INFINITY;
    }

    /** Measures a whole clip. */
    public static LoudnessMeter measure(AudioClip clip) {
        LoudnessMeter m = new LoudnessMeter(clip.format());
        m.process(clip.samples(), 0, clip.frames());
        return m;
    }
}
