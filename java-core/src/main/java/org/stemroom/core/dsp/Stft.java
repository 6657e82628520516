package org.stemroom.core.dsp;

import java.util.Arrays;

/**
 * Short-time Fourier transform and its inverse by weighted overlap-add, with perfect reconstruction.
 *
 * <h2>Offline framing ({@link #analyze}, {@link #synthesize})</h2>
 * Centred frames, as {@code torch.stft(center=True)} and {@code librosa.stft(center=True)}:
 * <ul>
 *   <li>frame {@code k} covers input samples {@code [k*hop - nFft/2, k*hop - nFft/2 + nFft)}, so sample
 *       {@code k*hop} sits at the centre (index {@code nFft/2}) of frame {@code k};</li>
 *   <li>samples outside {@code [0, length)} are zeros ({@link Padding#ZERO}, torch {@code pad_mode="constant"},
 *       librosa's default) or the signal mirrored without repeating the edge sample ({@link Padding#REFLECT},
 *       torch's default {@code pad_mode="reflect"}, {@code numpy.pad(mode="reflect")});</li>
 *   <li>the frame count is {@code 1 + ceil(length / hop)}: the same as torch when {@code hop} divides
 *       {@code length}, one frame more otherwise, so that the last sample never lies right of the last
 *       frame centre (it would sit in the window's vanishing tail and be reconstructed badly);</li>
 *   <li>each frame is multiplied by the window and transformed unscaled: bin {@code b} of frame {@code k} is
 *       {@code sum_n w[n] x[k*hop - nFft/2 + n] e^{-2 pi i b n / nFft}}, {@code nFft/2 + 1} bins (torch
 *       {@code normalized=False, onesided=True}). Phase is referenced to the frame start, not its centre.</li>
 * </ul>
 * {@link #synthesize} inverts each frame, multiplies by the same window, overlap-adds, and divides by the sum
 * of the squared windows at each sample (Griffin &amp; Lim's least-squares inverse, torch {@code istft}), so
 * {@code synthesize(analyze(x), x.length)} returns {@code x} to float rounding for any window and hop that
 * satisfy the NOLA condition (checked at construction), whatever the padding.
 *
 * <h2>Streaming framing ({@link Analyzer}, {@link Synthesizer})</h2>
 * A stream has no future to centre on. The streaming analyzer treats the past before the first sample as
 * zeros and emits frame {@code m} as soon as sample {@code m*hop + hop - 1} has arrived: frame {@code m}
 * covers samples {@code [m*hop + hop - nFft, m*hop + hop)}. When {@code hop} divides {@code nFft/2}, streaming
 * frame {@code m} equals offline ({@link Padding#ZERO}) frame {@code m + 1 - nFft/(2*hop)}. The synthesizer
 * returns {@code hop} samples per frame; analyzer followed by synthesizer delays the signal by
 * {@link #streamingLatency()} {@code = nFft - hop} samples and is otherwise exact. Neither allocates after
 * construction.
 *
 * <p>Instances are not thread-safe (they own FFT scratch memory); the window is copied.
 */
public final class Stft {

    /** How {@link #analyze} fills the half frame before the first and after the last sample. */
    public enum Padding { ZERO, REFLECT }

    private final int nFft;
    private final int hop;
    private final float[] window;
    private final RealFft fft;
    private final float[] frame;
    /** Steady-state sum of squared windows for each position within one hop (what the streaming inverse divides by). */
    private final float[] steadyWss;
    /** Overlap-add accumulators of {@link #synthesize}, grown to the longest signal synthesized. */
    private double[] acc = new double[0], wss = new double[0];
    /** The frame count {@link #wss} holds the squared-window sum of, or -1. */
    private int wssFrames = -1;

    /** Periodic Hann window. */
    public Stft(int nFft, int hop) {
        this(nFft, hop, Window.hann(nFft));
    }

    public Stft(int nFft, int hop, float[] window) {
        if (nFft < 2 || (nFft & 1) != 0) throw new IllegalArgumentException("n_fft must be even and >= 2: " + nFft);
        if (hop < 1 || hop > nFft / 2) {
            throw new IllegalArgumentException("hop must be in 1..n_fft/2 (" + nFft / 2 + "): " + hop);
        }
        if (window.length != nFft) {
            throw new IllegalArgumentException("window length " + window.length + " != n_fft " + nFft);
        }
        this.nFft = nFft;
        this.hop = hop;
        this.window = window.clone();
        this.fft = new RealFft(nFft);
        this.frame = new float[nFft];
        this.steadyWss = new float[hop];
        double max = 0, min = Double.MAX_VALUE;
        for (int p = 0; p < hop; p++) {
            double s = 0;
            for (int n = p; n < nFft; n += hop) s += (double) this.window[n] * this.window[n];
            steadyWss[p] = (float) s;
            max = Math.max(max, s);
            min = Math.min(min, s);
        }
        // NOLA (nonzero overlap-add): without it some samples are lost whatever the inverse does.
        if (!(min > 1e-6 * max)) {
            throw new IllegalArgumentException("window and hop " + hop + " violate the NOLA condition: the squared "
                    + "windows overlap-add to (almost) zero at some samples");
        }
    }

    public int nFft() { return nFft; }
    public int hop() { return hop; }
    public int bins() { return nFft / 2 + 1; }
    public float[] window() { return window.clone(); }

    /** Frames {@link #analyze} produces for a signal of {@code length} samples: {@code 1 + ceil(length / hop)}. */
    public int frameCount(int length) {
        if (length < 0) throw new IllegalArgumentException("negative length " + length);
        return 1 + (length + hop - 1) / hop;
    }

    /** Round-trip delay of {@link Analyzer} followed by {@link Synthesizer}, in samples. */
    public int streamingLatency() { return nFft - hop; }

    /** Centred STFT with zero padding. See the class comment for the exact framing. */
    public Spectrogram analyze(float[] signal) {
        return analyze(signal, Padding.ZERO);
    }

    public Spectrogram analyze(float[] signal, Padding padding) {
        Spectrogram spec = new Spectrogram(frameCount(signal.length), bins());
        analyze(signal, padding, spec);
        return spec;
    }

    /**
     * {@link #analyze(float[], Padding)} into {@code spec}, which must have {@link #frameCount} frames and
     * {@link #bins()} bins; allocates nothing.
     */
    public void analyze(float[] signal, Padding padding, Spectrogram spec) {
        int len = signal.length;
        if (padding == Padding.REFLECT && len <= nFft / 2) {
            throw new IllegalArgumentException("reflect padding needs more than n_fft/2 = " + nFft / 2
                    + " samples, got " + len);
        }
        int frames = frameCount(len);
        if (spec.frames() != frames || spec.bins() != bins()) {
            throw new IllegalArgumentException("spectrogram is " + spec.frames() + "x" + spec.bins() + ", the STFT of "
                    + len + " samples " + frames + "x" + bins());
        }
        for (int k = 0; k < frames; k++) {
            windowedFrame(signal, k, padding, frame);
            fft.forward(frame, spec.re(k), spec.im(k));
        }
    }

    /**
     * Frame {@code k} of {@link #analyze}'s framing multiplied by the window, into {@code out} ({@code nFft} floats):
     * what analyze transforms, for a caller that makes the frames' forward transforms itself (several at once: the
     * separation's mixture analysis). {@link Padding#REFLECT} needs more than {@code nFft/2} samples, as analyze.
     */
    public void windowedFrame(float[] signal, int k, Padding padding, float[] out) {
        // the windowing in small methods called per frame: as loops in analyze's body, C2 compiled analyze on-stack at
        // each loop, again when the edge loop first ran, and again whole (JFR of a separation: five compiles)
        int start = k * hop - nFft / 2;
        if (start >= 0 && start + nFft <= signal.length) {
            windowed(signal, start, window, out);
        } else {
            windowedAtEdge(signal, start, padding, window, out);
        }
    }

    /*
     * The stretch copied first, then windowed in place: the products are the same, and a loop over two float arrays
     * at one index is one that C2 vectorizes (it left frame[n] = signal[start + n] * window[n], two float arrays at
     * different offsets, scalar; docs/render-speed-history.md, session 31).
     */
    private static void windowed(float[] signal, int start, float[] window, float[] frame) {
        System.arraycopy(signal, start, frame, 0, frame.length);
        for (int n = 0; n < frame.length; n++) frame[n] *= window[n];
    }

    private static void windowedAtEdge(float[] signal, int start, Padding padding, float[] window, float[] frame) {
        for (int n = 0; n < frame.length; n++) frame[n] = sampleAt(signal, start + n, padding) * window[n];
    }

    private static float sampleAt(float[] x, int i, Padding padding) {
        int len = x.length;
        if (i >= 0 && i < len) return x[i];
        if (padding == Padding.ZERO) return 0f;
        // Mirror about the edge samples (period 2*(len-1)); several reflections for very short signals.
        int period = 2 * (len - 1);
        int j = Math.floorMod(i, period);
        return x[j < len ? j : period - j];
    }

    /**
     * Inverse of {@link #analyze}: weighted overlap-add of all frames of {@code spec}, divided by the
     * squared-window sum, returning samples {@code [0, length)}. Frames may have been modified (masks); the
     * result is then the least-squares signal whose STFT is closest to them.
     */
    public float[] synthesize(Spectrogram spec, int length) {
        float[] out = new float[length];
        synthesize(spec, out);
        return out;
    }

    /**
     * {@link #synthesize(Spectrogram, int)} of {@code out.length} samples into {@code out}; allocates nothing once
     * this instance has synthesized a signal of that many frames (it keeps its overlap-add accumulators).
     */
    public void synthesize(Spectrogram spec, float[] out) {
        if (spec.bins() != bins()) throw new IllegalArgumentException("spectrogram has " + spec.bins()
                + " bins, this STFT " + bins());
        int frames = spec.frames();
        int total = beginSynthesis(frames);
        if (fft.powerOfTwo()) {
            // the inverse's 1/n scaling inside the overlap-add: the same float product (frame * scale), same bits
            float scale = fft.inverseScale();
            for (int k = 0; k < frames; k++) {
                fft.inverseUnscaled(spec.re(k), spec.im(k), frame);
                overlapAdd(frame, nFft, scale, window, acc, k * hop);
            }
        } else {
            for (int k = 0; k < frames; k++) addFrameOfAnySize(spec.re(k), spec.im(k), k);
        }
        endSynthesis(total, out);
    }

    /** Frame k's inverse (scaled by the transform), windowed, added to the accumulator: any transform size. */
    private void addFrameOfAnySize(float[] re, float[] im, int k) {
        fft.inverse(re, im, frame, 0);
        addFrame(frame, k);
    }

    /** The frame count of the synthesis {@link #beginFrames} began, or -1 when none is under way. */
    private int framesBegun = -1;

    /**
     * The synthesis of {@link #synthesize(Spectrogram, float[])} for a caller that makes the frames' inverse
     * transforms itself (several at once: the separation's Wiener step): {@code beginFrames(count)}, then {@link
     * #addFrame} of each frame's inverse transform (scaled by 1/nFft, as {@link RealFft#inverse}), then {@link
     * #endFrames}. Given RealFft's inverses of the frames it gives the bits of {@code synthesize} for a size other than
     * a power of two (where synthesize scales inside its overlap-add).
     */
    public void beginFrames(int count) {
        beginSynthesis(count);
        framesBegun = count;
    }

    /** Frame {@code k}'s inverse transform ({@code nFft} samples), windowed and added to the overlap-add. */
    public void addFrame(float[] time, int k) {
        int base = k * hop;
        for (int n = 0; n < nFft; n++) acc[base + n] += time[n] * window[n];
    }

    /** The overlap-add of the frames {@link #beginFrames} began, over the squared-window sum, into {@code out}. */
    public void endFrames(float[] out) {
        if (framesBegun < 0) throw new IllegalStateException("no synthesis begun");
        endSynthesis(Math.max((framesBegun - 1) * hop + nFft, 0), out);
        framesBegun = -1;
    }

    /**
     * Zeroes the overlap-add accumulator for {@code frames} frames (growing it if needed) and makes the squared-window
     * sum's; returns the accumulators' length. They cover padded positions [-half, (frames-1)*hop + half).
     */
    private int beginSynthesis(int frames) {
        int total = Math.max((frames - 1) * hop + nFft, 0);
        if (acc.length < total) {
            acc = new double[total];
            wss = new double[total];
            wssFrames = -1;
        }
        Arrays.fill(acc, 0, total, 0.0);
        if (wssFrames != frames) {
            // the squared-window sum depends on the frame count alone: kept for the next signal of as many frames
            Arrays.fill(wss, 0, total, 0.0);
            for (int k = 0; k < frames; k++) addWindowSquares(k * hop);
            wssFrames = frames;
        }
        return total;
    }

    /** The accumulated signal over the squared-window sum into {@code out}, zeros past the last frame. */
    private void endSynthesis(int total, float[] out) {
        int length = out.length, half = nFft / 2;
        int n = Math.min(length, Math.max(0, total - half));
        normalised(acc, wss, half, out, n);
        Arrays.fill(out, n, length, 0f);
    }

    /*
     * The squared window's overlap-add in a method of its own: as a loop nest in synthesize's body (frames x nFft
     * turns in a call's first run), it had C2 compile synthesize on-stack in its first calls, then again on-stack at
     * the frame loop and again whole (compile log of the bench render: three C2 compiles of synthesize, a twentieth
     * of C2's time). The same additions in the same order.
     */
    private void addWindowSquares(int base) {
        for (int n = 0; n < nFft; n++) wss[base + n] += (double) window[n] * window[n];
    }

    /*
     * The per-sample division in a method of its own: as a loop in synthesize's body (tens of thousands of turns a
     * call), it had C2 compile synthesize on-stack, with the inverse FFT inlined, before compiling it whole.
     */
    private static void normalised(double[] acc, double[] wss, int half, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            double w = wss[i + half];
            out[i] = w > 1e-10 ? (float) (acc[i + half] / w) : 0f;
        }
    }

    /** The first {@code len} samples of the frame, scaled and windowed, added to acc from {@code base}. */
    private static void overlapAdd(float[] frame, int len, float scale, float[] window, double[] acc, int base) {
        for (int n = 0; n < len; n++) acc[base + n] += (frame[n] * scale) * window[n];
    }

    /** A streaming analyzer for this STFT's size, hop and window. */
    public Analyzer newAnalyzer() { return new Analyzer(); }

    /** A streaming synthesizer for this STFT's size, hop and window. */
    public Synthesizer newSynthesizer() { return new Synthesizer(); }

    /**
     * Streaming STFT: {@link #push} samples, then {@link #pull} every frame that became complete. Starts as if
     * preceded by {@code nFft - hop} zeros (see the class comment). Allocates nothing after construction.
     * <pre>
     * while (len &gt; 0) {
     *     int taken = analyzer.push(x, off, len); off += taken; len -= taken;
     *     while (analyzer.pull(re, im)) { ... }
     * }
     * </pre>
     */
    public final class Analyzer {
        private final RealFft fft = new RealFft(nFft);
        private final float[] buf = new float[nFft];
        private final float[] tmp = new float[nFft];
        private int fill;

        private Analyzer() { reset(); }

        /** Forgets all input; the next frame again starts after {@code nFft - hop} zeros. */
        public void reset() {
            Arrays.fill(buf, 0f);
            fill = nFft - hop;
        }

        /**
         * Takes up to {@code len} samples from {@code src[off..]}, as many as fit before the next frame must be
         * pulled, and returns how many it took (0 when a frame is waiting).
         */
        public int push(float[] src, int off, int len) {
            int n = Math.min(len, nFft - fill);
            System.arraycopy(src, off, buf, fill, n);
            fill += n;
            return n;
        }

        /** True when a complete frame is waiting to be pulled. */
        public boolean frameReady() { return fill == nFft; }

        /** Writes the next frame's spectrum ({@code nFft/2+1} bins) and returns true, or returns false if none is ready. */
        public boolean pull(float[] re, float[] im) {
            if (fill < nFft) return false;
            for (int n = 0; n < nFft; n++) tmp[n] = buf[n] * window[n];
            fft.forward(tmp, re, im);
            advance();
            return true;
        }

        /**
         * {@link #pull} into one interleaved array ({@code spec[2k], spec[2k+1]} = re, im of bin k, at least
         * {@code nFft + 2} floats; see {@link RealFft#forwardInterleaved}): the same values, bit for bit, without
         * the split layout's copies. Power-of-two sizes only.
         */
        public boolean pullInterleaved(float[] spec) {
            if (fill < nFft) return false;
            for (int n = 0; n < nFft; n++) spec[n] = buf[n] * window[n];
            fft.forwardInterleaved(spec);
            advance();
            return true;
        }

        /** Drops the oldest hop of the input frame: the next frame starts one hop later. */
        private void advance() {
            System.arraycopy(buf, hop, buf, 0, nFft - hop);
            fill = nFft - hop;
        }
    }

    /**
     * Streaming inverse STFT: each {@link #push(float[], float[], float[], int)} of one frame's spectrum returns
     * the next {@code hop} output samples. Allocates nothing after construction.
     */
    public final class Synthesizer {
        private final RealFft fft = new RealFft(nFft);
        private final float[] acc = new float[nFft];
        private final float[] tmp = new float[nFft];

        private Synthesizer() { }

        public void reset() { Arrays.fill(acc, 0f); }

        /**
         * Overlap-adds one frame and writes the {@code hop} samples it completes to {@code out[off..off+hop)}.
         * Input {@code re}/{@code im} are not modified.
         */
        public void push(float[] re, float[] im, float[] out, int off) {
            fft.inverse(re, im, tmp, 0);
            for (int n = 0; n < nFft; n++) acc[n] += tmp[n] * window[n];
            emitHop(out, off);
        }

        /**
         * {@link #push} of an interleaved spectrum ({@link Analyzer#pullInterleaved}'s layout), transformed in
         * place: {@code spec} is overwritten. The inverse's scale is applied in the overlap-add, as
         * {@code (x * scale) * window}, the same operations in the same order as {@link #push}: the same bits.
         * Power-of-two sizes only.
         */
        public void pushInterleaved(float[] spec, float[] out, int off) {
            fft.inverseInterleaved(spec);
            float scale = fft.inverseScale();
            for (int n = 0; n < nFft; n++) acc[n] += (spec[n] * scale) * window[n];
            emitHop(out, off);
        }

        /** The first hop of the overlap-add, normalised, to {@code out}; the accumulator moves on by one hop. */
        private void emitHop(float[] out, int off) {
            for (int p = 0; p < hop; p++) out[off + p] = acc[p] / steadyWss[p];
            System.arraycopy(acc, hop, acc, 0, nFft - hop);
            Arrays.fill(acc, nFft - hop, nFft, 0f);
        }
    }
}
