package org.stemroom.core.dsp;

/** Test signals. */
final class Signals {
    private Signals() { }

    static float[] sine(double freq, double fs, int n, double amplitude, double phase) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freq * i / fs + phase));
        return x;
    }

    /** RMS of x[from..to) in dB re a full-scale DC signal. */
    static double rmsDb(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) e += (double) x[i] * x[i];
        return 10 * Math.log10(e / (to - from));
    }

    /** Gain (dB) of a filter on a sine at {@code freq}, measured on its steady state. */
    static double sineGainDb(java.util.function.Consumer<float[]> filterInPlace, double freq, double fs) {
        int n = (int) Math.max(fs, 40 * fs / freq);
        n = Math.min(n, (int) (8 * fs));
        float[] x = sine(freq, fs, n, 0.5, 0.3);
        float[] y = x.clone();
        filterInPlace.accept(y);
        // skip the first half (transient of narrow low bands), measure over whole periods of the rest
        int from = n / 2;
        int periods = (int) Math.floor((n - from) * freq / fs);
        int to = from + (int) Math.round(periods * fs / freq);
        return rmsDb(y, from, to) - rmsDb(x, from, to);
    }
}
