package org.stemroom.core.dsp;

/**
 * Analysis and synthesis windows, computed in double precision and returned as float arrays.
 *
 * <p><b>Periodic</b> windows (the default for spectral analysis and STFT, {@code scipy.signal.get_window} and
 * {@code torch.hann_window(periodic=True)}) are an {@code n+1}-point symmetric window with its last point dropped:
 * their overlap-add sums are exactly constant at hops that divide the period. <b>Symmetric</b> windows
 * ({@code numpy.hanning}) are for FIR design, where the filter must be linear-phase.
 */
public final class Window {
    private Window() { }

    /** Hann (raised cosine), periodic or symmetric. */
    public static float[] hann(int n, boolean periodic) {
        check(n);
        float[] w = new float[n];
        if (n == 1) { w[0] = 1f; return w; }
        double m = periodic ? n : n - 1;
        for (int i = 0; i < n; i++) w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / m));
        return w;
    }

    /** Periodic Hann: the usual STFT window. */
    public static float[] hann(int n) {
        return hann(n, true);
    }

    /**
     * Square root of the periodic Hann window. Used as both analysis and synthesis window at hop n/2 its squares
     * sum to exactly 1, so the overlap-add needs no normalisation (a "power-complementary" pair).
     */
    public static float[] sqrtHann(int n) {
        check(n);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) Math.sin(Math.PI * i / n);
        return w;
    }

    /** 4-term Blackman-Harris (Harris 1978, -92 dB side lobes), periodic or symmetric. */
    public static float[] blackmanHarris(int n, boolean periodic) {
        check(n);
        float[] w = new float[n];
        if (n == 1) { w[0] = 1f; return w; }
        double m = periodic ? n : n - 1;
        for (int i = 0; i < n; i++) {
            double x = 2 * Math.PI * i / m;
            w[i] = (float) (0.35875 - 0.48829 * Math.cos(x) + 0.14128 * Math.cos(2 * x) - 0.01168 * Math.cos(3 * x));
        }
        return w;
    }

    /** Kaiser window with shape {@code beta} (0 = rectangular; 8.6 is about Blackman), periodic or symmetric. */
    public static float[] kaiser(int n, double beta, boolean periodic) {
        check(n);
        double[] w = kaiserDouble(n, beta, periodic);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) w[i];
        return f;
    }

    /** Kaiser window in double precision (for FIR design, where the float rounding would limit stopbands). */
    public static double[] kaiserDouble(int n, double beta, boolean periodic) {
        check(n);
        if (beta < 0) throw new IllegalArgumentException("Kaiser beta must be >= 0: " + beta);
        double[] w = new double[n];
        if (n == 1) { w[0] = 1; return w; }
        double m = periodic ? n : n - 1;
        double norm = besselI0(beta);
        for (int i = 0; i < n; i++) {
            double r = 2.0 * i / m - 1.0;
            w[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
        }
        return w;
    }

    /**
     * Kaiser's empirical beta for a stopband attenuation of {@code db} dB (Kaiser 1974; as in Oppenheim &amp;
     * Schafer, eq. 7.62).
     */
    public static double kaiserBeta(double db) {
        if (db > 50) return 0.1102 * (db - 8.7);
        if (db >= 21) return 0.5842 * Math.pow(db - 21, 0.4) + 0.07886 * (db - 21);
        return 0;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series (converges for all x). */
    public static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }

    private static void check(int n) {
        if (n < 1) throw new IllegalArgumentException("window length must be >= 1: " + n);
    }
}
