package org.stemroom.room;

/**
 * Exponential (logarithmic) sine sweep after Farina (2000), "Simultaneous measurement of impulse response and
 * distortion with a swept-sine technique": {@code x(t) = sin(2 pi f1 T / R (exp(t R / T) - 1))},
 * {@code R = ln(f2 / f1)}, with raised-cosine fades at both ends. Its inverse filter is the time-reversed sweep
 * with an envelope falling 6 dB per octave ({@code exp(-t R / T)}), scaled so sweep convolved with inverse has unit
 * gain in the swept band. After deconvolution the harmonic distortion products of order n land
 * {@code T ln(n) / R} seconds before the linear response, where they can be cut away.
 */
public final class SineSweep {
    public final double f1;
    public final double f2;
    public final double seconds;
    public final int sampleRate;
    public final double fadeIn;
    public final double fadeOut;
    public final double amplitude;

    public SineSweep(double f1, double f2, double seconds, int sampleRate, double fadeIn, double fadeOut, double amplitude) {
        if (!(f1 > 0 && f2 > f1 && f2 < sampleRate / 2.0)) {
            throw new IllegalArgumentException("need 0 < f1 < f2 < rate/2: f1 " + f1 + ", f2 " + f2 + ", rate " + sampleRate);
        }
        if (!(seconds >= 0.1 && seconds <= 120)) throw new IllegalArgumentException("sweep length must be 0.1..120 s: " + seconds);
        if (!(fadeIn >= 0 && fadeOut >= 0 && fadeIn + fadeOut < seconds)) throw new IllegalArgumentException("fades longer than the sweep");
        if (!(amplitude > 0 && amplitude <= 1)) throw new IllegalArgumentException("amplitude must be in (0, 1]");
        this.f1 = f1;
        this.f2 = f2;
        this.seconds = seconds;
        this.sampleRate = sampleRate;
        this.fadeIn = fadeIn;
        this.fadeOut = fadeOut;
        this.amplitude = amplitude;
    }

    /** 20 Hz to 20 kHz (or 0.45 x rate), 10 s, 50 ms fade-in, 10 ms fade-out, -3 dBFS. */
    public static SineSweep standard(int sampleRate) {
        return new SineSweep(20, Math.min(20000, 0.45 * sampleRate), 10, sampleRate, 0.05, 0.01, Math.pow(10, -3 / 20.0));
    }

    public int frames() { return (int) Math.round(seconds * sampleRate); }

    double rate() { return Math.log(f2 / f1); }

    /** Seconds by which harmonic {@code n} (2 = second harmonic) precedes the linear response after deconvolution. */
    public double harmonicAdvance(int n) {
        return seconds * Math.log(n) / rate();
    }

    /** The sweep samples. */
    public float[] signal() {
        int n = frames();
        float[] x = new float[n];
        double r = rate();
        double k = 2 * Math.PI * f1 * seconds / r;
        int fi = (int) Math.round(fadeIn * sampleRate);
        int fo = (int) Math.round(fadeOut * sampleRate);
        for (int i = 0; i < n; i++) {
            double t = i / (double) sampleRate;
            double v = Math.sin(k * (Math.exp(t * r / seconds) - 1));
            double g = 1;
            if (i < fi) g = 0.5 * (1 - Math.cos(Math.PI * i / fi));
            if (i >= n - fo) g = 0.5 * (1 - Math.cos(Math.PI * (n - 1 - i) / fo));
            x[i] = (float) (amplitude * g * v);
        }
        return x;
    }

    /**
     * Farina's inverse filter: the reversed sweep times {@code exp(-t R / T)}, scaled so that sweep * inverse has unit
     * gain at the geometric centre of the band.
     */
    public float[] inverseFilter() {
        float[] x = signal();
        int n = x.length;
        double r = rate();
        double[] inv = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) sampleRate;
            inv[i] = x[n - 1 - i] * Math.exp(-t * r / seconds);
        }
        // gain of sweep * inverse at the band centre, by direct DFT of both at that frequency
        double f = Math.sqrt(f1 * f2);
        double w = 2 * Math.PI * f / sampleRate;
        double xr = 0, xi = 0, ir = 0, ii = 0;
        for (int i = 0; i < n; i++) {
            double c = Math.cos(w * i), s = Math.sin(w * i);
            xr += x[i] * c;
            xi -= x[i] * s;
            ir += inv[i] * c;
            ii -= inv[i] * s;
        }
        double mag = Math.hypot(xr * ir - xi * ii, xr * ii + xi * ir);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (inv[i] / mag);
        return out;
    }
}
