package org.stemroom.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

class ResamplerTest {

    static Stream<Arguments> ratePairs() {
        return Stream.of(Arguments.of(44_100, 48_000), Arguments.of(48_000, 44_100), Arguments.of(48_000, 96_000),
                Arguments.of(96_000, 88_200), Arguments.of(88_200, 44_100), Arguments.of(44_100, 96_000),
                Arguments.of(96_000, 48_000));
    }

    /** Least-squares fit of a*sin + b*cos at {@code f} over x[from..to): returns {amplitude, phase, residual rms}. */
    static double[] fitSine(float[] x, double fs, double f, int from, int to) {
        double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * f * i / fs;
            double s = Math.sin(w), c = Math.cos(w);
            ss += s * s; cc += c * c; sc += s * c; xs += x[i] * s; xc += x[i] * c;
        }
        double det = ss * cc - sc * sc;
        double a = (xs * cc - xc * sc) / det, b = (xc * ss - xs * sc) / det;
        double res = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * f * i / fs;
            double e = x[i] - (a * Math.sin(w) + b * Math.cos(w));
            res += e * e;
        }
        return new double[] {Math.hypot(a, b), Math.atan2(b, a), Math.sqrt(res / (to - from))};
    }

    /** Sine responses through the offline path: flat to 0.01 dB up to 0.9 x the lower Nyquist, and in phase (aligned). */
    @ParameterizedTest
    @MethodSource("ratePairs")
    void passbandIsFlatAndAligned(int in, int out) {
        double nyq = Math.min(in, out) / 2.0;
        int n = in / 4;
        double worst = 0;
        for (double rel : new double[] {0.0005, 0.01, 0.05, 0.2, 0.45, 0.7, 0.8, 0.85, 0.88, 0.9}) {
            double f = rel * nyq;
            float[] x = Signals.sine(f, in, n, 0.5, 0.25);
            AudioClip y = Resampler.resample(new AudioClip(AudioFormat.of(in, 1), new float[][] {x}), out);
            assertEquals(Math.round((double) n * out / in), y.frames());
            int from = y.frames() / 4, to = 3 * y.frames() / 4;
            double[] fit = fitSine(y.channel(0), out, f, from, to);
            double gainDb = 20 * Math.log10(fit[0] / 0.5);
            worst = Math.max(worst, Math.abs(gainDb));
            assertEquals(0, gainDb, 0.01, in + "->" + out + " at " + f + " Hz");
            // aligned: the phase at output time t equals the input's phase at time t (within 1e-4 rad)
            double dphi = Math.IEEEremainder(fit[1] - 0.25, 2 * Math.PI);
            assertEquals(0, dphi, 1e-4, "phase at " + f + " Hz");
        }
        System.out.printf("resampler %d->%d: worst passband deviation %.5f dB%n", in, out, worst);
    }

    /** The filter actually used (rebuilt from the polyphase table): >= 100 dB down from the lower Nyquist on. */
    @ParameterizedTest
    @MethodSource("ratePairs")
    void stopbandRejectsAtLeast100dB(int in, int out) {
        Resampler r = new Resampler(in, out);
        int l = r.upFactor(), k = r.tapsPerPhase();
        int size = Integer.highestOneBit(l * k) * 16;
        double[] h = new double[size];
        for (int p = 0; p < l; p++) {
            for (int j = 0; j < k; j++) h[p + l * (k - 1 - j)] = r.coefficient(p, j) / (double) l;
        }
        new DoubleFFT_1D(size).realForward(h);
        double upRate = (double) in * l, nyq = Math.min(in, out) / 2.0;
        double worstStop = -1000, worstPass = 0;
        for (int bin = 0; bin < size / 2; bin++) {
            double f = bin * upRate / size;
            double re = bin == 0 ? h[0] : h[2 * bin], im = bin == 0 ? 0 : h[2 * bin + 1];
            double db = 10 * Math.log10(re * re + im * im + 1e-300);
            if (f >= nyq) worstStop = Math.max(worstStop, db);
            if (f <= 0.9 * nyq) worstPass = Math.max(worstPass, Math.abs(db));
        }
        System.out.printf("resampler %d->%d: %d taps/phase, stopband peak %.1f dB, passband ripple %.6f dB%n",
                in, out, k, worstStop, worstPass);
        assertTrue(worstStop <= -100, "stopband peak " + worstStop + " dB");
        assertTrue(worstPass <= 0.01, "passband ripple " + worstPass + " dB");
    }

    /** A tone above the output Nyquist (downsampling) or its image (upsampling) is gone by >= 100 dB. */
    @Test
    void alienTonesAreRejectedInTheTimeDomain() {
        // 48k -> 44.1k: a 23 kHz tone cannot be represented; it must vanish, not alias to 21.1 kHz
        float[] x = Signals.sine(23_000, 48_000, 24_000, 0.9, 0);
        AudioClip y = Resampler.resample(new AudioClip(AudioFormat.of(48_000, 1), new float[][] {x}), 44_100);
        double rel = Signals.rmsDb(y.channel(0), 5000, 17000) - Signals.rmsDb(x, 5000, 17000);
        assertTrue(rel < -100, "aliased tone at " + rel + " dB");
        // 44.1k -> 48k: a 20 kHz tone; its image at 24.1 kHz would fold to 23.9 kHz. The residual after
        // removing the 20 kHz tone holds the image and all other errors.
        x = Signals.sine(20_000, 44_100, 22_050, 0.9, 0);
        y = Resampler.resample(new AudioClip(AudioFormat.of(44_100, 1), new float[][] {x}), 48_000);
        double[] fit = fitSine(y.channel(0), 48_000, 20_000, 6000, 18000);
        double residualDb = 20 * Math.log10(fit[2] / (0.9 / Math.sqrt(2)));
        assertTrue(residualDb < -100, "image/residual at " + residualDb + " dB");
    }

    /** Streaming in irregular blocks gives the offline result delayed by exactly latencyFrames(). */
    @ParameterizedTest
    @MethodSource("ratePairs")
    void streamingEqualsOfflineDelayedByLatency(int in, int out) {
        Random rnd = new Random(in + out);
        int n = 20_000;
        float[][] x = new float[2][n];
        for (float[] c : x) for (int i = 0; i < n; i++) c[i] = (float) (rnd.nextDouble() * 2 - 1);
        Resampler r = new Resampler(in, out);
        float[][] offline = r.resampleAligned(x);
        int maxBlock = 512;
        r.prepare(AudioFormat.of(in, 2), maxBlock);
        AudioBuffer inBuf = new AudioBuffer(2, maxBlock);
        AudioBuffer outBuf = new AudioBuffer(2, r.maxOutputFrames(maxBlock));
        float[][] streamed = new float[2][offline[0].length + r.latencyFrames() + 16];
        int pos = 0, w = 0;
        while (pos < n + 4 * r.tapsPerPhase()) { // feed zeros after the signal to flush the filter
            int len = 1 + rnd.nextInt(maxBlock);
            inBuf.setFrames(len);
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < len; i++) inBuf.channel(c)[i] = pos + i < n ? x[c][pos + i] : 0f;
            }
            pos += len;
            r.process(inBuf, outBuf);
            assertTrue(outBuf.frames() <= r.maxOutputFrames(len));
            for (int c = 0; c < 2; c++) {
                int m = Math.min(outBuf.frames(), streamed[c].length - w);
                if (m > 0) System.arraycopy(outBuf.channel(c), 0, streamed[c], w, m);
            }
            w += outBuf.frames();
        }
        int lat = r.latencyFrames();
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < offline[c].length; i++) {
                assertEquals(offline[c][i], streamed[c][i + lat], 1e-5f, "channel " + c + " sample " + i);
            }
        }
    }

    @Test
    void streamingAllocatesNothing() {
        Resampler r = new Resampler(44_100, 48_000);
        r.prepare(AudioFormat.of(44_100, 2), 1024);
        AudioBuffer in = new AudioBuffer(2, 1024);
        AudioBuffer out = new AudioBuffer(2, r.maxOutputFrames(1024));
        for (int i = 0; i < 1024; i++) in.set(0, i, (float) Math.sin(i * 0.01));
        long bytes = AllocationMeter.measure(() -> {
            for (int b = 0; b < 5; b++) r.process(in, out);
        }, 60);
        assertEquals(0, bytes);
        r.reset();
        // in place (same buffer) works when the buffer can hold the output
        AudioBuffer both = new AudioBuffer(1, 4096);
        Resampler d = new Resampler(48_000, 96_000);
        d.prepare(AudioFormat.of(48_000, 1), 4096);
        both.setFrames(1000);
        d.process(both);
        assertTrue(both.frames() >= 1999 && both.frames() <= 2001);
    }

    /** Channels run on parallel threads: each must come out bit-identical to converting it alone. */
    @Test
    void multichannelEqualsEachChannelAloneBitForBit() {
        Random rnd = new Random(12);
        float[][] x = new float[6][9000];
        for (float[] c : x) for (int i = 0; i < c.length; i++) c[i] = (float) rnd.nextGaussian();
        Resampler r = new Resampler(48_000, 44_100);
        float[][] all = r.resampleAligned(x);
        for (int c = 0; c < 6; c++) {
            float[][] one = r.resampleAligned(new float[][] {x[c]});
            org.junit.jupiter.api.Assertions.assertArrayEquals(one[0], all[c], "channel " + c);
        }
    }

    @Test
    void reducesRatiosAndReportsLatency() {
        Resampler r = new Resampler(44_100, 48_000);
        assertEquals(160, r.upFactor());
        assertEquals(147, r.downFactor());
        assertEquals(r.upFactor() * r.tapsPerPhase() / 2 / r.downFactor(), r.latencyFrames());
        AudioClip c = new AudioClip(AudioFormat.of(48_000, 1), new float[][] {new float[1001]});
        assertEquals(920, Resampler.resample(c, 44_100).frames()); // round(1001 * 147 / 160) = round(919.67)
    }
}
