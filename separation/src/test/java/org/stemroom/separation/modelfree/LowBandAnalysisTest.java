package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.separation.Workspace;

/**
 * {@link LowBandAnalysis} against the full long STFT it replaces in the kick decision (16384 points, hop 2048, bins
 * below 128 of 8193 read): complex bins, every frame, on a signal with energy across the whole band (a kick-like
 * burst, bass partials, broadband noise, loud tones where decimation by 16 folds onto the low bins), at 44.1 and 48
 * kHz rates' lengths, not a whole number of hops. Tolerance: every bin within 1e-4 of its frame's largest magnitude
 * in the full transform (-80 dB; the recipe's decisions read magnitude ratios). Measured: 3.6e-6 and 5.7e-6 (-105 dB). A gain error
 * of 1e-3 fails it, and so does subsampling without the low pass.
 */
class LowBandAnalysisTest {
    private static final int N = 16384, HOP = 2048, TOP = 128;

    private static float[] signal(int rate, int length, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[length];
        double[] partials = {41.2, 82.4, 123.6, 164.8, 206.0, 247.2}; // a bass note and its partials
        for (int i = 0; i < length; i++) {
            double t = i / (double) rate;
            double s = 0.1 * rnd.nextGaussian(); // broadband: everything decimation must remove
            for (int k = 0; k < partials.length; k++) s += 0.3 / (k + 1) * Math.sin(2 * Math.PI * partials[k] * t + k);
            // loud tones at 2.6-2.9 kHz and 5.6 kHz: their images after decimation by 16 lie at 0-300 Hz
            s += 0.5 * Math.sin(2 * Math.PI * 2700 * t) + 0.5 * Math.sin(2 * Math.PI * 2890 * t)
                    + 0.3 * Math.sin(2 * Math.PI * 5560 * t);
            double beat = t % 0.5; // a kick every half second: a decaying 55 Hz burst with a click
            s += Math.exp(-beat * 12) * Math.sin(2 * Math.PI * 55 * beat) + (beat < 0.002 ? rnd.nextGaussian() : 0);
            x[i] = (float) (0.3 * s);
        }
        return x;
    }

    /** Largest |bin difference| over bins below TOP relative to the frame's largest full-transform magnitude. */
    private static double worstError(float[] x, Spectrogram low, double gain) {
        Spectrogram full = new Stft(N, HOP).analyze(x, Stft.Padding.ZERO);
        assertEquals(full.frames(), low.frames(), "frames");
        double worst = 0;
        for (int f = 0; f < full.frames(); f++) {
            double peak = 0;
            for (int b = 0; b < full.bins(); b++) peak = Math.max(peak, Math.hypot(full.re(f)[b], full.im(f)[b]));
            for (int b = 0; b < TOP; b++) {
                double e = Math.hypot(full.re(f)[b] - gain * low.re(f)[b], full.im(f)[b] - gain * low.im(f)[b]);
                worst = Math.max(worst, e / peak);
            }
        }
        return worst;
    }

    @Test
    void lowBinsMatchTheFullTransform() {
        for (int rate : new int[] {44100, 48000}) {
            float[] x = signal(rate, 3 * rate + 777, rate);
            Spectrogram low = LowBandAnalysis.analyze(x, N, HOP, 16, Workspace.oneOff());
            double err = worstError(x, low, 1);
            assertTrue(err < 1e-4, rate + " Hz: worst bin error " + err + " of its frame's peak");
            // the tolerance sees a gain off by 1e-3 (a passband ripple 100 times the filter's)
            assertTrue(worstError(x, low, 1.001) > 1e-4, rate + " Hz: a gain error of 1e-3 should not pass");
        }
    }

    @Test
    void subsamplingWithoutTheLowPassFails() {
        // every 16th sample alone: the tones near 2.7 kHz fold onto the bins read
        float[] x = signal(44100, 3 * 44100 + 777, 1);
        float[] sub = new float[(x.length + 15) / 16];
        for (int m = 0; m < sub.length; m++) sub[m] = 16 * x[16 * m];
        Spectrogram low = new Stft(N / 16, HOP / 16).analyze(sub, Stft.Padding.ZERO);
        double err = worstError(x, low, 1);
        assertTrue(err > 1e-2, "subsampling without the low pass should not pass: " + err);
    }

    @Test
    void factorKeepsTheBinsReadInTheFlatBand() {
        assertEquals(16, LowBandAnalysis.factor(N, HOP, 124)); // the recipe's kick decision at 44.1 kHz
        assertEquals(16, LowBandAnalysis.factor(N, HOP, 115)); // and at 48 kHz
        assertEquals(8, LowBandAnalysis.factor(N, HOP, 128));
        assertEquals(1, LowBandAnalysis.factor(N, HOP, 2048)); // too high for any decimation
        assertEquals(4, LowBandAnalysis.factor(N, 1028, 10)); // the hop must divide: 1028 = 4 x 257
    }

    @Test
    void decimationIsALowPassWithUnitGainAtEveryDthSample() {
        // a constant well inside the signal stays that constant times d (the taps' gain): the passband is exact at 0 Hz
        float[] x = new float[4096];
        java.util.Arrays.fill(x, 0.25f);
        float[] out = new float[4096 / 16];
        LowBandAnalysis.decimate(x, 16, 0, out, new org.stemroom.separation.Workspace());
        for (int m = 20; m < out.length - 20; m++) assertEquals(0.25 * 16, out[m], 1e-5, "sample " + m);
    }

    /**
     * The decimation by phase rows gives, bit for bit, each output as the strided sum written out here (taps in order,
     * inputs outside x zero): factors 2-16, lead-ins of 0-40 outputs, signals shorter and longer than the taps, values
     * of every kind; the workspace's rows reused from call to call (stale contents must not matter).
     */
    @Test
    void decimationByPhaseRowsIsTheStridedSumBitForBit() {
        java.util.Random rnd = new java.util.Random(31);
        org.stemroom.separation.Workspace ws = new org.stemroom.separation.Workspace();
        for (int d : new int[] {2, 4, 8, 16}) {
            float[] h = LowBandAnalysis.taps(d);
            int c = h.length / 2;
            for (int pre : new int[] {0, 1, 7, 40}) {
                for (int n : new int[] {1, 5, h.length / 2, h.length + 3, 4096, 4096 + d - 1}) {
                    float[] x = new float[n];
                    for (int i = 0; i < n; i++) {
                        x[i] = i % 97 == 3 ? -0f : i % 89 == 5 ? Float.MIN_VALUE : i % 83 == 7 ? 1e30f
                                : (float) rnd.nextGaussian();
                    }
                    int outLen = (n + d - 1) / d + 2 * pre;
                    float[] want = new float[outLen];
                    for (int j = 0; j < h.length; j++) {
                        for (int m = 0; m < outLen; m++) {
                            int i = d * m + j - c - d * pre;
                            if (i >= 0 && i < n) want[m] += h[j] * x[i];
                        }
                    }
                    ws.rewind();
                    float[] got = new float[outLen];
                    LowBandAnalysis.decimate(x, d, pre, got, ws);
                    for (int m = 0; m < outLen; m++) {
                        assertEquals(Float.floatToRawIntBits(want[m]), Float.floatToRawIntBits(got[m]),
                                "d " + d + " pre " + pre + " n " + n + " output " + m);
                    }
                }
            }
        }
    }
}
