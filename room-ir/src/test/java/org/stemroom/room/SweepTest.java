package org.stemroom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.dsp.RealFft;

class SweepTest {

    static final int RATE = 48000;

    /** Full linear convolution through the engine (itself tested against direct convolution). */
    static float[] convolve(float[] x, float[] h) {
        PartitionScheme scheme = PartitionScheme.uniform(4096, h.length);
        PartitionedConvolver c = new PartitionedConvolver(new float[][][] {{h}}, RATE, scheme, ChannelLayout.MONO);
        float[][] y = PartitionedConvolverTest.run(c, new float[][] {x}, x.length + h.length - 1 + 4096, new int[] {4096});
        return java.util.Arrays.copyOfRange(y[0], 4096, 4096 + x.length + h.length - 1);
    }

    /** Energy of {@code a - g b} relative to {@code a} inside [lo, hi] Hz, in dB (g = 1 or least squares). */
    static double bandErrorDb(float[] a, float[] b, double lo, double hi, boolean fitGain) {
        int n = PartitionedConvolver.nextPow2(Math.max(a.length, b.length));
        RealFft fft = new RealFft(n);
        float[] ra = new float[n / 2 + 1], ia = new float[n / 2 + 1], rb = new float[n / 2 + 1], ib = new float[n / 2 + 1];
        fft.forward(java.util.Arrays.copyOf(a, n), ra, ia);
        fft.forward(java.util.Arrays.copyOf(b, n), rb, ib);
        double ab = 0, bb = 0, aa = 0;
        for (int k = 0; k <= n / 2; k++) {
            double f = k * (double) RATE / n;
            if (f < lo || f > hi) continue;
            ab += ra[k] * rb[k] + ia[k] * ib[k];
            bb += rb[k] * rb[k] + ib[k] * ib[k];
            aa += ra[k] * ra[k] + ia[k] * ia[k];
        }
        double g = fitGain ? ab / bb : 1;
        double err = 0;
        for (int k = 0; k <= n / 2; k++) {
            double f = k * (double) RATE / n;
            if (f < lo || f > hi) continue;
            double dr = ra[k] - g * rb[k], di = ia[k] - g * ib[k];
            err += dr * dr + di * di;
        }
        return 10 * Math.log10(err / aa);
    }

    @Test
    void sweepHasItsRangeAndInverseGivesUnitGain() {
        SineSweep s = new SineSweep(50, 16000, 2, RATE, 0.05, 0.01, 0.5);
        float[] x = s.signal();
        assertEquals(2 * RATE, x.length);
        assertEquals(0f, x[0]);
        float peak = 0;
        for (float v : x) peak = Math.max(peak, Math.abs(v));
        assertEquals(0.5, peak, 1e-3);
        // sweep * inverse is a band-limited impulse of unit gain: its peak sits at n - 1 and its spectrum is flat in band
        float[] d = convolve(x, s.inverseFilter());
        int at = 0;
        for (int i = 0; i < d.length; i++) if (Math.abs(d[i]) > Math.abs(d[at])) at = i;
        assertEquals(x.length - 1, at, 2);
        float[] imp = new float[d.length];
        imp[at] = 1f;
        double err = bandErrorDb(java.util.Arrays.copyOfRange(d, 0, d.length), imp, 200, 8000, false);
        System.out.printf("sweep * Farina inverse vs unit impulse, 200 Hz-8 kHz: %.1f dB%n", err);
        assertTrue(err < -20, "inverse filter flatness " + err);
        assertEquals(2 * Math.log(2) / Math.log(16000 / 50.0), s.harmonicAdvance(2), 1e-12);
    }

    @Test
    void extractRecoversAKnownIrWithNoiseAndCubicDistortion() {
        Random r = new Random(5);
        // the "room": 40 ms of delay, then 0.6 s of exponentially decaying noise (RT60 0.35 s) after a direct spike
        int delay = (int) (0.040 * RATE);
        float[] h = new float[delay + (int) (0.6 * RATE)];
        h[delay] = 0.8f;
        for (int i = delay + 24; i < h.length; i++) {
            h[i] = (float) (0.2 * r.nextGaussian() * Math.exp(-3 * Math.log(10) * (i - delay) / (0.35 * RATE)));
        }
        SineSweep s = new SineSweep(20, 20000, 4, RATE, 0.05, 0.01, 0.5);
        float[] x = s.signal();
        float[] played = java.util.Arrays.copyOf(x, x.length + RATE); // sweep then 1 s of silence for the decay
        for (int i = 0; i < played.length; i++) played[i] += 0.03f * played[i] * played[i] * played[i]; // speaker nonlinearity
        float[] rec = convolve(played, h);
        double rms = 0;
        for (float v : rec) rms += (double) v * v;
        rms = Math.sqrt(rms / rec.length);
        double noise = rms * Math.pow(10, -60 / 20.0);
        for (int i = 0; i < rec.length; i++) rec[i] += (float) (noise * r.nextGaussian());

        SweepDeconvolver.Options opt = new SweepDeconvolver.Options();
        opt.trimAtNoise = false;
        opt.maxSeconds = 0.7;
        opt.fadeOut = 0;
        opt.preDelay = 0.010;
        SweepDeconvolver.Result res = SweepDeconvolver.extract(s, x, new float[][] {rec}, opt);
        assertEquals(delay - (int) (0.010 * RATE), res.start, 5, "aligned at the direct sound minus the pre-delay");
        float[] got = res.irs[0];
        float[] want = java.util.Arrays.copyOfRange(h, res.start, Math.min(h.length, res.start + got.length));
        double err = bandErrorDb(want, got, 40, 16000, false);
        double errFit = bandErrorDb(want, got, 40, 16000, true);
        System.out.printf("sweep extraction error energy 40 Hz-16 kHz: %.1f dB (%.1f dB after gain match)%n", err, errFit);
        assertTrue(err <= -40, "error energy " + err + " dB");
        // the harmonics were there, ahead of the linear response: deconvolving without cutting them shows them
        float[] raw = SweepDeconvolver.deconvolve(x, rec, s.f1, s.f2, RATE);
        assertTrue(raw.length == rec.length);
    }

    @Test
    void trimsAtTheNoiseFloor() {
        Random r = new Random(9);
        float[] h = new float[RATE];
        h[100] = 1f;
        for (int i = 101; i < h.length; i++) h[i] = (float) (0.3 * r.nextGaussian() * Math.exp(-i / 3000.0));
        SineSweep s = new SineSweep(20, 20000, 3, RATE, 0.05, 0.01, 0.5);
        float[] x = s.signal();
        float[] rec = convolve(java.util.Arrays.copyOf(x, x.length + RATE), h);
        for (int i = 0; i < rec.length; i++) rec[i] += (float) (1e-3 * r.nextGaussian());
        SweepDeconvolver.Result res = SweepDeconvolver.extract(s, x, new float[][] {rec, rec}, new SweepDeconvolver.Options());
        assertEquals(2, res.irs.length);
        int len = res.irs[0].length;
        System.out.printf("trimmed IR: %d samples, peak-to-noise %.1f dB%n", len, res.peakToNoiseDb);
        // the decay (8.7 dB per 1000 samples) meets the deconvolved noise floor: cut there, far before the 5 s recorded
        double floorDb = -res.peakToNoiseDb;
        int expected = (int) (100 + -floorDb / (20 * Math.log10(Math.E)) * 3000);
        assertEquals(expected, len, 0.15 * expected, "trimmed length");
    }
}
