package org.stemroom.room;

import org.stemroom.core.dsp.RealFft;

/**
 * Recovers impulse responses from recordings of a {@link SineSweep}: linear deconvolution by regularised spectral
 * division ({@code H = Y X* / (|X|^2 + eps(f))}, eps tiny inside the swept band and large outside it, after
 * Kirkeby and Nelson) over an FFT long enough that nothing wraps, so the linear response sits at lags
 * {@code >= 0} and the harmonic distortion products at negative lags (Farina), which are discarded. The IR is
 * then cut to start shortly before its direct sound (never reaching back to where the second harmonic lands) and
 * trimmed where its decay meets the noise floor (Lundeby), with a short fade.
 */
public final class SweepDeconvolver {

    /** Options of {@link #extract}. */
    public static final class Options {
        /** Seconds kept before the direct sound. */
        public double preDelay = 0.001;
        /** Maximum IR length in seconds; the noise-floor trim usually cuts earlier. */
        public double maxSeconds = 10;
        /** Trim at the noise floor (else keep {@link #maxSeconds}). */
        public boolean trimAtNoise = true;
        /** Fade at the end, seconds. */
        public double fadeOut = 0.02;
    }

    /** What came out: the IRs (one per recorded channel) and where they were cut. */
    public static final class Result {
        public final float[][] irs;
        /** Lag (samples) of the first kept sample, relative to the start of the recording. */
        public final int start;
        /** Estimated peak-to-noise ratio, dB. */
        public final double peakToNoiseDb;

        Result(float[][] irs, int start, double peakToNoiseDb) {
            this.irs = irs;
            this.start = start;
            this.peakToNoiseDb = peakToNoiseDb;
        }
    }

    private SweepDeconvolver() { }

    /**
     * Raw linear deconvolution: lags {@code 0 .. recorded.length-1} of {@code recorded} deconvolved by {@code sweep}
     * (negative lags, where the harmonics are, are dropped).
     */
    public static float[] deconvolve(float[] sweep, float[] recorded, double f1, double f2, int rate) {
        int n = PartitionedConvolver.nextPow2(sweep.length + recorded.length);
        RealFft fft = new RealFft(n);
        int bins = n / 2 + 1;
        float[] buf = new float[n];
        float[] xr = new float[bins], xi = new float[bins], yr = new float[bins], yi = new float[bins];
        System.arraycopy(sweep, 0, buf, 0, sweep.length);
        fft.forward(buf, xr, xi);
        java.util.Arrays.fill(buf, 0f);
        System.arraycopy(recorded, 0, buf, 0, recorded.length);
        fft.forward(buf, yr, yi);
        double max = 0;
        for (int k = 0; k < bins; k++) max = Math.max(max, (double) xr[k] * xr[k] + (double) xi[k] * xi[k]);
        double epsIn = 1e-10 * max;
        double epsOut = 1e-1 * max;
        for (int k = 0; k < bins; k++) {
            double f = k * (double) rate / n;
            // in band: tiny regularisation; a third of an octave outside the band it is large, log-smooth between
            double eps;
            if (f >= f1 && f <= f2) {
                eps = epsIn;
            } else {
                double oct = f < f1 ? Math.log(f1 / Math.max(f, 1e-3)) / Math.log(2) : Math.log(f / f2) / Math.log(2);
                double x = Math.min(1, oct * 3);
                eps = Math.exp(Math.log(epsIn) + x * (Math.log(epsOut) - Math.log(epsIn)));
            }
            double ar = xr[k], ai = xi[k], br = yr[k], bi = yi[k];
            double den = ar * ar + ai * ai + eps;
            // Y X* / (|X|^2 + eps)
            double hr = (br * ar + bi * ai) / den;
            double hi = (bi * ar - br * ai) / den;
            yr[k] = (float) hr;
            yi[k] = (float) hi;
        }
        fft.inverse(yr, yi, buf);
        return java.util.Arrays.copyOf(buf, recorded.length);
    }

    /** Extracts, aligns and trims the IRs of every recorded channel (one time base for all channels). */
    public static Result extract(SineSweep sweep, float[] sweepSignal, float[][] recorded, Options opt) {
        int rate = sweep.sampleRate;
        float[][] raw = new float[recorded.length][];
        for (int c = 0; c < recorded.length; c++) raw[c] = deconvolve(sweepSignal, recorded[c], sweep.f1, sweep.f2, rate);
        // direct sound: the earliest onset over all channels
        int onset = Integer.MAX_VALUE;
        for (float[] h : raw) onset = Math.min(onset, RoomAcousticsAnalysis.onset(h));
        int pre = (int) Math.round(opt.preDelay * rate);
        // never reach back as far as the second harmonic (it lands harmonicAdvance(2) before the linear response)
        pre = Math.min(pre, (int) (0.5 * sweep.harmonicAdvance(2) * rate));
        int start = Math.max(0, onset - pre);
        // lags beyond (recording - sweep) see only part of the sweep: noise there is lower and would fool the
        // noise-floor estimate, and the response itself is incomplete; they are not used
        int usable = recorded[0].length - sweepSignal.length - start;
        if (usable < 0.01 * rate) {
            throw new IllegalArgumentException("the recording is not longer than the sweep: record the sweep and "
                    + "the room's decay after it");
        }
        int len = (int) Math.min(usable, Math.round(opt.maxSeconds * rate));
        double ptn = Double.NaN;
        if (opt.trimAtNoise) {
            int cut = 0;
            double worst = Double.MAX_VALUE;
            for (float[] h : raw) {
                int n = Math.min(len, h.length - start);
                double[] e = new double[n];
                for (int i = 0; i < n; i++) e[i] = (double) h[start + i] * h[start + i];
                RoomAcousticsAnalysis.Lundeby l = RoomAcousticsAnalysis.lundeby(e, rate);
                cut = Math.max(cut, l.crossIndex);
                worst = Math.min(worst, -l.noiseDb);
            }
            ptn = worst;
            len = Math.min(len, Math.max(cut, (int) (0.05 * rate)));
        }
        int fade = (int) Math.min(len / 4, Math.round(opt.fadeOut * rate));
        float[][] out = new float[raw.length][len];
        for (int c = 0; c < raw.length; c++) {
            System.arraycopy(raw[c], start, out[c], 0, len);
            for (int i = 0; i < fade; i++) {
                out[c][len - fade + i] *= (float) (0.5 * (1 + Math.cos(Math.PI * (i + 1) / (fade + 1))));
            }
        }
        return new Result(out, start, ptn);
    }
}
