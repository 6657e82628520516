package org.stemroom.core.dsp;

import java.util.List;

/**
 * Biquad sections in series, for one channel. Higher-order filters (Butterworth band passes, Linkwitz-Riley
 * crossovers, K-weighting) are built as cascades. Processing does not allocate.
 */
public final class BiquadCascade {
    private final Biquad[] sections;

    public BiquadCascade(Biquad... sections) {
        if (sections.length == 0) throw new IllegalArgumentException("a cascade needs at least one section");
        this.sections = sections.clone();
    }

    public BiquadCascade(List<Biquad> sections) {
        this(sections.toArray(new Biquad[0]));
    }

    public int sections() { return sections.length; }
    public Biquad section(int i) { return sections[i]; }

    public double process(double x) {
        for (Biquad s : sections) x = s.process(x);
        return x;
    }

    /** Filters {@code data[off..off+len)} in place. */
    public void process(float[] data, int off, int len) {
        for (Biquad s : sections) s.process(data, off, len);
    }

    /** Filters {@code in} into {@code out} (may be the same array). */
    public void process(float[] in, int inOff, float[] out, int outOff, int len) {
        sections[0].process(in, inOff, out, outOff, len);
        for (int i = 1; i < sections.length; i++) sections[i].process(out, outOff, len);
    }

    public void reset() {
        for (Biquad s : sections) s.reset();
    }

    /** Same coefficients, fresh state (one cascade per channel). */
    public BiquadCascade copy() {
        Biquad[] c = new Biquad[sections.length];
        for (int i = 0; i < c.length; i++) c[i] = sections[i].copy();
        return new BiquadCascade(c);
    }

    public double[] response(double f, double fs) {
        double re = 1, im = 0;
        for (Biquad s : sections) {
            double[] h = s.response(f, fs);
            double r = re * h[0] - im * h[1];
            im = re * h[1] + im * h[0];
            re = r;
        }
        return new double[] {re, im};
    }

    public double magnitudeDb(double f, double fs) {
        double[] h = response(f, fs);
        return 10 * Math.log10(h[0] * h[0] + h[1] * h[1]);
    }
}
