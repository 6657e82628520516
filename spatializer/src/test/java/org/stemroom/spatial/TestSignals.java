package org.stemroom.spatial;

import java.util.SplittableRandom;
import org.stemroom.core.dsp.RealFft;

/** Test signals and spectrum-based measurements for the spatializer tests. */
final class TestSignals {
    private TestSignals() { }

    static float[] whiteNoise(int n, long seed, double rms) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        double a = rms * Math.sqrt(3);
        for (int i = 0; i < n; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * a);
        return x;
    }

    /** Pink noise by Paul Kellet's refined filter (within 0.05 dB of -3 dB/octave above 10 Hz at 44.1 kHz). */
    static float[] pinkNoise(int n, long seed, double peakScale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
        for (int i = 0; i < n; i++) {
            double w = r.nextDouble() * 2 - 1;
            b0 = 0.99886 * b0 + w * 0.0555179;
            b1 = 0.99332 * b1 + w * 0.0750759;
            b2 = 0.96900 * b2 + w * 0.1538520;
            b3 = 0.86650 * b3 + w * 0.3104856;
            b4 = 0.55000 * b4 + w * 0.5329522;
            b5 = -0.7616 * b5 - w * 0.0168980;
            x[i] = (float) ((b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362) * 0.11 * peakScale);
            b6 = w * 0.115926;
        }
        return x;
    }

    static double power(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += (double) x[i] * x[i];
        return s / Math.max(1, to - from);
    }

    static double correlation(float[] a, float[] b, int from, int to) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = from; i < to; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb + 1e-300);
    }

    /** Octave band centres 63 Hz .. 16 kHz. */
    static final double[] OCTAVES = {63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000};

    /**
     * Energy per octave band (edges fc/sqrt2 .. fc*sqrt2) of {@code x}, from Hann-windowed power spectra averaged
     * over 50 % overlapping frames of {@code nfft}; in dB.
     */
    static double[] octaveLevelsDb(float[] x, double fs, int nfft) {
        RealFft fft = new RealFft(nfft);
        float[] frame = new float[nfft];
        float[] re = new float[nfft / 2 + 1];
        float[] im = new float[nfft / 2 + 1];
        double[] psd = new double[nfft / 2 + 1];
        for (int start = 0; start + nfft <= x.length; start += nfft / 2) {
            for (int i = 0; i < nfft; i++) {
                frame[i] = (float) (x[start + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / nfft)));
            }
            fft.forward(frame, re, im);
            for (int k = 0; k < psd.length; k++) psd[k] += (double) re[k] * re[k] + (double) im[k] * im[k];
        }
        double[] out = new double[OCTAVES.length];
        for (int b = 0; b < OCTAVES.length; b++) {
            double lo = OCTAVES[b] / Math.sqrt(2);
            double hi = Math.min(OCTAVES[b] * Math.sqrt(2), fs / 2);
            double e = 1e-30;
            for (int k = 0; k < psd.length; k++) {
                double f = k * fs / nfft;
                if (f >= lo && f < hi) e += psd[k];
            }
            out[b] = 10 * Math.log10(e);
        }
        return out;
    }
}
