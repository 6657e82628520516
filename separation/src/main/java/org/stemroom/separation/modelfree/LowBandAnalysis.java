package org.stemroom.separation.modelfree;

import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.core.dsp.Window;
import org.stemroom.separation.Workspace;

/**
 * The lowest bins of a long centred STFT (Hann, zero padding, {@link Stft}'s framing) from a decimated signal: the
 * signal low-passed and kept at every {@code d}-th sample, then an STFT {@code d} times shorter with a hop {@code d}
 * times shorter. Its frames cover the same samples (every {@code d}-th), its window is the long Hann window at every
 * {@code d}-th point, and its bins are the long STFT's bins 0 to {@code nFft / (2 d)} at the same frequencies, divided
 * by {@code d} (the taps carry that gain back). Used where only the bins below a few hundred hertz of a 16384-point
 * analysis are read ({@link HpssStep}'s kick decision): the full transform spent 8193 bins on about 115.
 *
 * <p>Why the bins agree: a bin reads the signal's spectrum through the Hann window's spectrum, which falls 18 dB an
 * octave beyond its main lobe, so what lies more than a couple of hundred hertz above the highest bin read reaches it
 * at below -120 dB; the low pass leaves the band up to a quarter of the decimated rate untouched (Kaiser-windowed
 * sinc, ripple 1e-5) and removes, by 100 dB, everything that decimation would fold back below that quarter. So the
 * bins read must lie well below a quarter of the decimated rate: {@link #factor} picks the largest {@code d} (a power
 * of two, at most 16) that keeps them below an eighth. {@code LowBandAnalysisTest} holds the bins to the full
 * transform's.
 */
final class LowBandAnalysis {
    private LowBandAnalysis() { }

    /** Largest decimation tried: at 16 the filter's work per input sample and the short transform's are about even. */
    static final int MAX_FACTOR = 16;
    /** Stopband of the decimation filter, dB: far below the 1e-4 of a frame's peak that the test allows. */
    static final double STOPBAND_DB = 100;
    private static final float[][] TAPS = new float[MAX_FACTOR + 1][];

    /**
     * The decimation for an STFT of {@code nFft} points and {@code hop} of which bins up to {@code topBin} are read:
     * the largest power of two up to {@link #MAX_FACTOR} that divides both and keeps {@code topBin} below an eighth
     * of the decimated rate; 1 (no decimation) if none does.
     */
    static int factor(int nFft, int hop, int topBin) {
        for (int d = MAX_FACTOR; d > 1; d /= 2) {
            if (nFft % d == 0 && hop % d == 0 && topBin < nFft / (8 * d)) return d;
        }
        return 1;
    }

    /**
     * The long STFT ({@code nFft}, {@code hop}) of {@code x} with zero padding, bins 0 to {@code nFft / (2 d)} only,
     * from the signal decimated by {@code d} (see the class comment); {@code d = 1} is the plain analysis.
     */
    static Spectrogram analyze(float[] x, int nFft, int hop, int d, Workspace ws) {
        if (d == 1) {
            Stft stft = ws.stft(nFft, hop);
            Spectrogram sp = ws.spectrogramToOverwrite(stft.frameCount(x.length), stft.bins());
            stft.analyze(x, Stft.Padding.ZERO, sp);
            return sp;
        }
        Stft stft = ws.stft(nFft / d, hop / d);
        // the low pass rings up to half its length before the first and after the last sample, and that ringing
        // carries the low band of the signal's edges: kept, in whole decimated hops so the frames stay aligned
        int hopD = hop / d;
        int pre = hopD * ((taps(d).length / 2 / d + 1 + hopD - 1) / hopD);
        float[] sig = ws.floatsToOverwrite((x.length + d - 1) / d + 2 * pre);
        decimate(x, d, pre, sig, ws);
        Spectrogram padded = ws.spectrogramToOverwrite(stft.frameCount(sig.length), stft.bins());
        stft.analyze(sig, Stft.Padding.ZERO, padded);
        // frame k of the long analysis (centred on sample k hop) is the padded analysis's frame k + pre / hopD
        int frames = 1 + (x.length + hop - 1) / hop, skip = pre / hopD;
        Spectrogram sp = ws.spectrogramToOverwrite(frames, stft.bins());
        for (int f = 0; f < frames; f++) {
            System.arraycopy(padded.re(f + skip), 0, sp.re(f), 0, sp.bins());
            System.arraycopy(padded.im(f + skip), 0, sp.im(f), 0, sp.bins());
        }
        return sp;
    }

    /**
     * {@code out[i] = sum_j h[j] x[d (i - pre) + j - c]} with the zero-phase low pass {@code h} of {@link #taps}
     * ({@code c} its centre), {@code x} zero outside its samples: the low-passed signal at every {@code d}-th sample
     * from {@code -d pre} on. {@code ws}: the scratch rows.
     */
    static void decimate(float[] x, int d, int pre, float[] out, Workspace ws) {
        float[] h = taps(d);
        int c = h.length / 2, n = x.length;
        java.util.Arrays.fill(out, 0f);
        // x's d phases as rows (phase p, k-th: x[d k + p]): each tap then reads a contiguous stretch of one phase,
        // copied into a row indexed like out, so that out[m] += h x[..] is a loop C2 vectorizes (a stride of d, or
        // two float arrays at different offsets, left it scalar: 1.8 % of the bench render's separation thread;
        // docs/render-speed-history.md, session 31)
        float[][] phase = ws.floatsToOverwrite(d, (n + d - 1) / d);
        for (int p = 0; p < d; p++) phaseRow(x, d, p, phase[p]);
        float[] taken = ws.floatsToOverwrite(out.length);
        // tap by tap over all outputs: independent sums (no chain of dependent additions), the taps' order kept
        for (int j = 0; j < h.length; j++) {
            int off = j - c - d * pre;
            // outputs m whose input d m + off lies inside x
            int m0 = off >= 0 ? 0 : (-off + d - 1) / d;
            int m1 = Math.min(out.length, n - off <= 0 ? 0 : (n - off + d - 1) / d);
            if (m1 <= m0) continue;
            // input d m + off = d (m + q) + p
            int p = Math.floorMod(off, d), q = Math.floorDiv(off, d);
            System.arraycopy(phase[p], m0 + q, taken, m0, m1 - m0);
            accumulate(taken, h[j], out, m0, m1);
        }
    }

    /*
     * The phase's samples in a method of its own, as the taps' sums: with this loop nest in decimate's body, C2
     * compiled decimate twice, on-stack and whole (6 KB; compile log of the bench render, session 31).
     */
    private static void phaseRow(float[] x, int d, int p, float[] row) {
        for (int k = 0; d * k + p < x.length; k++) row[k] = x[d * k + p];
    }

    private static void accumulate(float[] taken, float hj, float[] out, int m0, int m1) {
        for (int m = m0; m < m1; m++) out[m] += hj * taken[m];
    }

    /**
     * Zero-phase low pass for decimation by {@code d}, odd length: passband to a quarter of the decimated rate
     * ({@code fs / (4 d)}), stopband from three quarters ({@code 3 fs / (4 d)}, whose images fold to a quarter and
     * above), Kaiser-windowed sinc cut at half the decimated rate, {@link #STOPBAND_DB}; gain {@code d} at 0 Hz (the
     * decimated sum has {@code d} times fewer terms).
     */
    static synchronized float[] taps(int d) {
        if (TAPS[d] == null) {
            double width = 2 * Math.PI * 0.5 / d; // transition, radians per input sample
            int half = (int) Math.ceil((STOPBAND_DB - 7.95) / (2.285 * width) / 2);
            int len = 2 * half + 1;
            double[] w = Window.kaiserDouble(len, Window.kaiserBeta(STOPBAND_DB), false);
            double fc = 0.5 / d; // cycles per input sample
            double[] h = new double[len];
            double sum = 0;
            for (int j = 0; j < len; j++) {
                double t = j - half;
                h[j] = (t == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t)) * w[j];
                sum += h[j];
            }
            float[] f = new float[len];
            for (int j = 0; j < len; j++) f[j] = (float) (h[j] * d / sum);
            TAPS[d] = f;
        }
        return TAPS[d];
    }
}
