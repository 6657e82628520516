package org.stemroom.core.dsp;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.complex.Complex;

/**
 * Digital Butterworth filters as biquad cascades: the analog prototype's poles, the low-pass to band-pass
 * transform where needed, and the bilinear transform with corner frequencies pre-warped, so the digital
 * filter is exactly -3.01 dB at its corner (band-edge) frequencies.
 */
public final class Butterworth {
    private Butterworth() { }

    public static BiquadCascade lowPass(double fs, double fc, int order) {
        return lowOrHigh(fs, fc, order, false);
    }

    public static BiquadCascade highPass(double fs, double fc, int order) {
        return lowOrHigh(fs, fc, order, true);
    }

    private static BiquadCascade lowOrHigh(double fs, double fc, int order, boolean high) {
        if (order < 1) throw new IllegalArgumentException("order must be >= 1: " + order);
        List<Biquad> s = new ArrayList<>();
        for (int k = 0; k < order / 2; k++) {
            double q = 1 / (2 * Math.sin(Math.PI * (2 * k + 1) / (2.0 * order)));
            s.add(high ? Biquad.highPass(fs, fc, q) : Biquad.lowPass(fs, fc, q));
        }
        if (order % 2 == 1) {
            if (!(fc > 0 && fc < fs / 2)) throw new IllegalArgumentException("corner " + fc + " Hz outside (0, fs/2)");
            double k = Math.tan(Math.PI * fc / fs);
            s.add(high ? new Biquad(1, -1, 0, 1 + k, k - 1, 0) : new Biquad(k, k, 0, 1 + k, k - 1, 0));
        }
        return new BiquadCascade(s);
    }

    /**
     * Band pass of order {@code 2 * prototypeOrder} with -3.01 dB edges at {@code f1} and {@code f2} and 0 dB at
     * their geometric mean (after pre-warping). {@code prototypeOrder} sections; each is scaled to unity gain at
     * the centre so the state stays well scaled for narrow low bands.
     */
    public static BiquadCascade bandPass(double fs, double f1, double f2, int prototypeOrder) {
        if (prototypeOrder < 1) throw new IllegalArgumentException("order must be >= 1: " + prototypeOrder);
        if (!(f1 > 0 && f1 < f2 && f2 < fs / 2)) {
            throw new IllegalArgumentException("band edges " + f1 + ".." + f2 + " Hz must lie in (0, " + fs / 2 + ") Hz");
        }
        double fs2 = 2 * fs;
        double w1 = fs2 * Math.tan(Math.PI * f1 / fs);
        double w2 = fs2 * Math.tan(Math.PI * f2 / fs);
        double bw = w2 - w1, w0sq = w1 * w2;
        double digitalCentre = 2 * Math.atan(Math.sqrt(w0sq) / fs2); // radians per sample
        List<Biquad> sections = new ArrayList<>();
        List<Double> realPoles = new ArrayList<>();
        for (int k = 0; k < prototypeOrder; k++) {
            Complex p = new Complex(0, Math.PI * (2 * k + prototypeOrder + 1) / (2.0 * prototypeOrder)).exp();
            // s^2 - p*bw*s + w0^2 = 0: each prototype pole gives two band-pass poles
            Complex half = p.multiply(bw / 2);
            Complex root = half.multiply(half).subtract(w0sq).sqrt();
            for (Complex sa : new Complex[] {half.add(root), half.subtract(root)}) {
                Complex z = bilinear(sa, fs2);
                if (Math.abs(sa.getImaginary()) <= 1e-9 * sa.abs()) {
                    realPoles.add(z.getReal()); // very wide bands (pre-warped near Nyquist): pair them below
                } else if (sa.getImaginary() > 0) {
                    // the upper pole of each conjugate pair; its section carries the lower one too
                    sections.add(section(-2 * z.getReal(), z.abs() * z.abs(), digitalCentre));
                }
            }
        }
        realPoles.sort(null);
        for (int i = 0; i + 1 < realPoles.size(); i += 2) {
            double p1 = realPoles.get(i), p2 = realPoles.get(i + 1);
            sections.add(section(-(p1 + p2), p1 * p2, digitalCentre));
        }
        if (sections.size() != prototypeOrder) {
            throw new IllegalStateException("pole pairing failed: " + sections.size() + " sections");
        }
        return new BiquadCascade(sections);
    }

    private static Complex bilinear(Complex s, double fs2) {
        return new Complex(fs2).add(s).divide(new Complex(fs2).subtract(s));
    }

    /** Section with zeros at z = 1 and z = -1 and denominator {@code 1 + a1/z + a2/z^2}, unity gain at {@code w}. */
    private static Biquad section(double a1, double a2, double w) {
        Biquad raw = new Biquad(1, 0, -1, 1, a1, a2);
        double[] h = raw.response(w, 2 * Math.PI);
        double g = 1 / Math.hypot(h[0], h[1]);
        return new Biquad(g, 0, -g, 1, a1, a2);
    }
}
