package org.stemroom.workstation.master;

import org.stemroom.core.dsp.RealFft;

/**
 * The reference meter the limiter is held to, independent of any FIR interpolator: ideal band-limited
 * interpolation. Each channel, padded with silence, is transformed whole; its spectrum is zero-padded to
 * {@value #FACTOR} times the length (the Nyquist bin split between the two halves) and transformed back, which
 * is the sinc interpolation of the signal at {@value #FACTOR}x the rate with no window and no truncation. Every
 * local maximum of |x| on that grid is then refined by a parabola through it and its two neighbours.
 *
 * <p>Accuracy (checked by {@link TruePeakLimiterTest#referenceMeterReadsTonesExactly}): tones up to 0.99 of the
 * Nyquist frequency at any phase read their amplitude within 0.002 dB. Signals with content at exactly the
 * Nyquist frequency are ambiguous for any meter and are not used.
 */
final class ReferenceTruePeak {
    static final int FACTOR = 16;
    private static final int PAD = 4096;

    private ReferenceTruePeak() { }

    /** True peak over all channels, dBTP. */
    static double dbtp(float[][] x) {
        double peak = 0;
        for (float[] ch : x) peak = Math.max(peak, peak(ch));
        return 20 * Math.log10(peak);
    }

    static double peak(float[] ch) {
        int n = Integer.highestOneBit(ch.length + 2 * PAD - 1) << 1;
        float[] t = new float[n];
        System.arraycopy(ch, 0, t, PAD, ch.length);
        RealFft fwd = new RealFft(n);
        float[] re = new float[n / 2 + 1];
        float[] im = new float[n / 2 + 1];
        fwd.forward(t, re, im);
        int m = n * FACTOR;
        float[] ur = new float[m / 2 + 1];
        float[] ui = new float[m / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            ur[k] = re[k] * FACTOR;
            ui[k] = im[k] * FACTOR;
        }
        // The Nyquist bin of the short transform stands for +fs/2 and -fs/2 at once: half of it to each.
        ur[n / 2] *= 0.5f;
        ui[n / 2] *= 0.5f;
        float[] y = new float[m];
        new RealFft(m).inverse(ur, ui, y);
        double best = 0;
        for (int j = 1; j < m - 1; j++) {
            double a = Math.abs(y[j - 1]);
            double b = Math.abs(y[j]);
            double c = Math.abs(y[j + 1]);
            if (b < a || b < c) continue;
            double den = a - 2 * b + c;
            double v = den < 0 ? b - (a - c) * (a - c) / (8 * den) : b;
            if (v > best) best = v;
        }
        // float transforms of a full-scale signal: relative rounding about 1e-6, well under the stated accuracy
        return best;
    }
}
