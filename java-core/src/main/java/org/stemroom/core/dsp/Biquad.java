package org.stemroom.core.dsp;

/**
 * One second-order IIR section, {@code H(z) = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2)}, run in
 * transposed direct form II with double-precision coefficients and state (low noise and no limit cycles even
 * for low corner frequencies at high sample rates). One instance filters one channel; {@link #copy()} gives a
 * section with the same coefficients and fresh state for the next channel.
 *
 * <p>The factories follow Robert Bristow-Johnson's "Cookbook formulae for audio EQ biquad filter coefficients"
 * (bilinear transform with the corner frequency pre-warped, so the digital response at {@code f0} equals the
 * analog prototype's). {@code q} is the quality factor; 1/sqrt(2) gives a Butterworth low/high pass.
 * Processing does not allocate.
 */
public final class Biquad {
    /** Q of a second-order Butterworth section. */
    public static final double BUTTERWORTH_Q = Math.sqrt(0.5);

    private final double b0, b1, b2, a1, a2;
    private double s1, s2;

    /** A section from raw coefficients; all are divided by {@code a0}. */
    public Biquad(double b0, double b1, double b2, double a0, double a1, double a2) {
        if (a0 == 0 || !Double.isFinite(b0 + b1 + b2 + a0 + a1 + a2)) {
            throw new IllegalArgumentException("bad biquad coefficients");
        }
        this.b0 = b0 / a0;
        this.b1 = b1 / a0;
        this.b2 = b2 / a0;
        this.a1 = a1 / a0;
        this.a2 = a2 / a0;
    }

    public static Biquad lowPass(double fs, double f0, double q) {
        Rbj r = new Rbj(fs, f0, q);
        return new Biquad((1 - r.cos) / 2, 1 - r.cos, (1 - r.cos) / 2, 1 + r.alpha, -2 * r.cos, 1 - r.alpha);
    }

    public static Biquad highPass(double fs, double f0, double q) {
        Rbj r = new Rbj(fs, f0, q);
        return new Biquad((1 + r.cos) / 2, -(1 + r.cos), (1 + r.cos) / 2, 1 + r.alpha, -2 * r.cos, 1 - r.alpha);
    }

    /** Band pass with 0 dB gain at {@code f0} (the cookbook's "constant 0 dB peak gain" form). */
    public static Biquad bandPass(double fs, double f0, double q) {
        Rbj r = new Rbj(fs, f0, q);
        return new Biquad(r.alpha, 0, -r.alpha, 1 + r.alpha, -2 * r.cos, 1 - r.alpha);
    }

    public static Biquad notch(double fs, double f0, double q) {
        Rbj r = new Rbj(fs, f0, q);
        return new Biquad(1, -2 * r.cos, 1, 1 + r.alpha, -2 * r.cos, 1 - r.alpha);
    }

    /** Unity-magnitude section whose phase turns through -180 degrees at {@code f0}. */
    public static Biquad allPass(double fs, double f0, double q) {
        Rbj r = new Rbj(fs, f0, q);
        return new Biquad(1 - r.alpha, -2 * r.cos, 1 + r.alpha, 1 + r.alpha, -2 * r.cos, 1 - r.alpha);
    }

    /** Peaking EQ: {@code gainDb} at {@code f0}, bandwidth set by {@code q}. */
    public static Biquad peak(double fs, double f0, double q, double gainDb) {
        Rbj r = new Rbj(fs, f0, q);
        double a = Math.pow(10, gainDb / 40);
        return new Biquad(1 + r.alpha * a, -2 * r.cos, 1 - r.alpha * a,
                1 + r.alpha / a, -2 * r.cos, 1 - r.alpha / a);
    }

    /** Low shelf: {@code gainDb} below {@code f0}, half of it (in dB) at {@code f0}. {@code q} = 1/sqrt(2) for the steepest monotone shelf. */
    public static Biquad lowShelf(double fs, double f0, double q, double gainDb) {
        Rbj r = new Rbj(fs, f0, q);
        double a = Math.pow(10, gainDb / 40);
        double sq = 2 * Math.sqrt(a) * r.alpha;
        return new Biquad(a * ((a + 1) - (a - 1) * r.cos + sq), 2 * a * ((a - 1) - (a + 1) * r.cos),
                a * ((a + 1) - (a - 1) * r.cos - sq),
                (a + 1) + (a - 1) * r.cos + sq, -2 * ((a - 1) + (a + 1) * r.cos), (a + 1) + (a - 1) * r.cos - sq);
    }

    /** High shelf: {@code gainDb} above {@code f0}, half of it (in dB) at {@code f0}. */
    public static Biquad highShelf(double fs, double f0, double q, double gainDb) {
        Rbj r = new Rbj(fs, f0, q);
        double a = Math.pow(10, gainDb / 40);
        double sq = 2 * Math.sqrt(a) * r.alpha;
        return new Biquad(a * ((a + 1) + (a - 1) * r.cos + sq), -2 * a * ((a - 1) + (a + 1) * r.cos),
                a * ((a + 1) + (a - 1) * r.cos - sq),
                (a + 1) - (a - 1) * r.cos + sq, 2 * ((a - 1) - (a + 1) * r.cos), (a + 1) - (a - 1) * r.cos - sq);
    }

    /** Intermediate values of the cookbook formulae. */
    private static final class Rbj {
        final double cos, alpha;

        Rbj(double fs, double f0, double q) {
            if (!(fs > 0) || !(f0 > 0) || !(f0 < fs / 2)) {
                throw new IllegalArgumentException("filter frequency " + f0 + " Hz must lie in (0, " + fs / 2 + ") Hz");
            }
            if (!(q > 0)) throw new IllegalArgumentException("Q must be > 0: " + q);
            double w0 = 2 * Math.PI * f0 / fs;
            cos = Math.cos(w0);
            alpha = Math.sin(w0) / (2 * q);
        }
    }

    /** Filters one sample. */
    public double process(double x) {
        double y = b0 * x + s1;
        s1 = b1 * x - a1 * y + s2;
        s2 = b2 * x - a2 * y;
        return y;
    }

    /** Filters {@code data[off..off+len)} in place. */
    public void process(float[] data, int off, int len) {
        process(data, off, data, off, len);
    }

    /** Filters {@code len} samples from {@code in[inOff..]} into {@code out[outOff..]} (may be the same array). */
    public void process(float[] in, int inOff, float[] out, int outOff, int len) {
        double z1 = s1, z2 = s2;
        for (int i = 0; i < len; i++) {
            double x = in[inOff + i];
            double y = b0 * x + z1;
            z1 = b1 * x - a1 * y + z2;
            z2 = b2 * x - a2 * y;
            out[outOff + i] = (float) y;
        }
        s1 = z1;
        s2 = z2;
    }

    public void reset() {
        s1 = 0;
        s2 = 0;
    }

    /** Same coefficients, fresh state. */
    public Biquad copy() {
        return new Biquad(b0, b1, b2, 1, a1, a2);
    }

    /** Complex response at {@code f} Hz for sample rate {@code fs}: {@code {re, im}}. */
    public double[] response(double f, double fs) {
        double w = 2 * Math.PI * f / fs;
        double c1 = Math.cos(w), s1w = -Math.sin(w), c2 = Math.cos(2 * w), s2w = -Math.sin(2 * w);
        double nr = b0 + b1 * c1 + b2 * c2, ni = b1 * s1w + b2 * s2w;
        double dr = 1 + a1 * c1 + a2 * c2, di = a1 * s1w + a2 * s2w;
        double den = dr * dr + di * di;
        return new double[] {(nr * dr + ni * di) / den, (ni * dr - nr * di) / den};
    }

    /** Magnitude response in dB at {@code f} Hz. */
    public double magnitudeDb(double f, double fs) {
        double[] h = response(f, fs);
        return 10 * Math.log10(h[0] * h[0] + h[1] * h[1]);
    }

    /** Normalised coefficients {@code {b0, b1, b2, a1, a2}} (a0 = 1). */
    public double[] coefficients() { return new double[] {b0, b1, b2, a1, a2}; }
}
