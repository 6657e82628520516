package org.stemroom.core.dsp;

/**
 * 4th-order Linkwitz-Riley crossover for one channel: each side is two identical 2nd-order Butterworth sections
 * (-6.02 dB at the crossover frequency). Low and high outputs are in phase at every frequency and sum to a
 * 2nd-order all-pass, so {@code low + high} has a flat magnitude; {@link #allPassTwin()} gives that all-pass
 * for delaying other bands of a multi-band split by the same phase. Processing does not allocate.
 */
public final class LinkwitzRiley {
    private final double sampleRate;
    private final double frequency;
    private final BiquadCascade low;
    private final BiquadCascade high;

    public LinkwitzRiley(double sampleRate, double frequency) {
        this.sampleRate = sampleRate;
        this.frequency = frequency;
        Biquad lp = Biquad.lowPass(sampleRate, frequency, Biquad.BUTTERWORTH_Q);
        Biquad hp = Biquad.highPass(sampleRate, frequency, Biquad.BUTTERWORTH_Q);
        this.low = new BiquadCascade(lp, lp.copy());
        this.high = new BiquadCascade(hp, hp.copy());
    }

    public double frequency() { return frequency; }
    public double sampleRate() { return sampleRate; }

    /** Low-pass half (4th order, -6.02 dB at the crossover). */
    public BiquadCascade lowPass() { return low; }

    /** High-pass half (4th order, -6.02 dB at the crossover). */
    public BiquadCascade highPass() { return high; }

    /** A fresh 2nd-order all-pass equal to {@code low + high} of this crossover. */
    public Biquad allPassTwin() {
        return Biquad.allPass(sampleRate, frequency, Biquad.BUTTERWORTH_Q);
    }

    /** Splits {@code in[off..off+len)} into {@code lowOut} and {@code highOut} (same offsets). */
    public void split(float[] in, int off, float[] lowOut, float[] highOut, int len) {
        low.process(in, off, lowOut, off, len);
        high.process(in, off, highOut, off, len);
    }

    public void reset() {
        low.reset();
        high.reset();
    }

    /** Same crossover, fresh state (one per channel). */
    public LinkwitzRiley copy() {
        return new LinkwitzRiley(sampleRate, frequency);
    }
}
