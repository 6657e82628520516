package org.stemroom.workstation.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;

class TruePeakLimiterTest {
    static final int RATE = 48_000;

    /**
     * Reference meter for the test, as ITU-R BS.1770-4 Annex 2 specifies it: 4x oversampling by the 48-tap
     * polyphase FIR of the Recommendation, the largest absolute value of the interpolated samples.
     */
    static double truePeakDb(float[][] x) {
        double[] p0 = {0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875,
            0.1373291015625, 0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250,
            -0.0083007812500};
        double[] p1 = {-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500,
            0.4650878906250, 0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875,
            -0.0189208984375};
        double[][] ph = new double[4][];
        ph[0] = p0;
        ph[1] = p1;
        ph[2] = new double[12];
        ph[3] = new double[12];
        for (int k = 0; k < 12; k++) { ph[2][k] = p1[11 - k]; ph[3][k] = p0[11 - k]; }
        double peak = 0;
        for (float[] ch : x) {
            for (int n = 0; n < ch.length + 12; n++) {
                peak = n < ch.length ? Math.max(peak, Math.abs(ch[n])) : peak;
                for (int p = 0; p < 4; p++) {
                    double acc = 0;
                    for (int k = 0; k < 12; k++) {
                        int j = n - k; // convolution: y[n] = sum h[k] x[n-k]
                        if (j >= 0 && j < ch.length) acc += ph[p][k] * ch[j];
                    }
                    peak = Math.max(peak, Math.abs(acc));
                }
            }
        }
        return 20 * Math.log10(peak);
    }

    /** A long (96 taps per phase) Blackman-windowed sinc at 4x: close to ideal band-limited interpolation. */
    static double idealPeakDb(float[][] x) {
        int half = 48;
        double[][] ph = new double[4][2 * half];
        for (int p = 0; p < 4; p++) {
            double f = p / 4.0;
            for (int k = 0; k < 2 * half; k++) {
                double d = (k - (half - 1)) - f;
                double s = d == 0 ? 1 : Math.sin(Math.PI * d) / (Math.PI * d);
                double u = (d + half) / (2.0 * half);
                double w = 0.42 - 0.5 * Math.cos(2 * Math.PI * u) + 0.08 * Math.cos(4 * Math.PI * u);
                ph[p][k] = s * w;
            }
        }
        double peak = 0;
        for (float[] ch : x) {
            for (int m = 0; m < ch.length; m++) {
                peak = Math.max(peak, Math.abs(ch[m]));
                for (int p = 1; p < 4; p++) {
                    double acc = 0;
                    for (int k = 0; k < 2 * half; k++) {
                        int j = m - (half - 1) + k;
                        if (j >= 0 && j < ch.length) acc += ph[p][k] * ch[j];
                    }
                    peak = Math.max(peak, Math.abs(acc));
                }
            }
        }
        return 20 * Math.log10(peak);
    }

    private static double bessel(double x) {
        double sum = 1, term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    }

    static float[][] run(TruePeakLimiter lim, float[][] x, int[] blocks) {
        int ch = x.length;
        int n = x[0].length;
        int lat = lim.latencyFrames();
        float[][] out = new float[ch][n];
        int maxBlock = 0;
        for (int b : blocks) maxBlock = Math.max(maxBlock, b);
        AudioBuffer buf = new AudioBuffer(ch, maxBlock);
        int total = n + lat;
        int pos = 0;
        int bi = 0;
        while (pos < total) {
            int len = Math.min(blocks[bi++ % blocks.length], total - pos);
            buf.setFrames(len);
            for (int c = 0; c < ch; c++) {
                for (int i = 0; i < len; i++) buf.channel(c)[i] = pos + i < n ? x[c][pos + i] : 0f;
            }
            lim.process(buf);
            for (int c = 0; c < ch; c++) {
                for (int i = 0; i < len; i++) {
                    int o = pos + i - lat;
                    if (o >= 0 && o < n) out[c][o] = buf.channel(c)[i];
                }
            }
            pos += len;
        }
        return out;
    }

    static float[][] hotSignals(long seed) {
        Random rnd = new Random(seed);
        int n = RATE * 2;
        float[][] x = new float[2][n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            // fs/4 tone at 45 degrees: samples at 0.707 of the true peak (the classic inter-sample overshoot)
            double tone = Math.sin(2 * Math.PI * RATE / 4.0 * t + Math.PI / 4) * (i < n / 4 ? 1.8 : 0.3);
            // loud noise bursts and clipped drum-like hits
            double burst = ((i / 4800) % 3 == 1) ? 1.5 * rnd.nextGaussian() : 0;
            double hit = (i % 12000) < 400 ? Math.signum(Math.sin(2 * Math.PI * 60 * t)) * 2.0 * Math.exp(-(i % 12000) / 80.0) : 0;
            double hf = 0.9 * Math.sin(2 * Math.PI * 19_000 * t) * ((i / 9000) % 2);
            x[0][i] = (float) (tone + burst + hit + hf);
            x[1][i] = (float) (tone - 0.5 * burst + 0.8 * hit + 0.7 * Math.sin(2 * Math.PI * 17_500 * t));
        }
        return x;
    }

    @Test
    void outputTruePeakNeverAboveCeiling() {
        for (double ceiling : new double[] {-1.0, -0.1, -3.0}) {
            for (double attackMs : new double[] {0.5, 1.5, 5.0}) {
                TruePeakLimiter lim = new TruePeakLimiter(ceiling, attackMs, 60);
                lim.prepare(new AudioFormat(RATE, org.stemroom.core.ChannelLayout.STEREO), 1024);
                float[][] in = hotSignals(7);
                double inTp = truePeakDb(in);
                assertTrue(inTp > ceiling + 6, "the test signal is hot: " + inTp);
                float[][] out = run(lim, in, new int[] {1024, 7, 333});
                double outTp = truePeakDb(out);
                System.out.printf("ceiling %.1f attack %.1f: BS.1770 TP %.4f%n", ceiling, attackMs, outTp);
                // and the project's own meter (core's TruePeakMeter, BS.1770-4 Annex 2)
                org.stemroom.core.loudness.TruePeakMeter meter = new org.stemroom.core.loudness.TruePeakMeter(2, out[0].length);
                meter.process(out, 0, out[0].length);
                double coreTp = 20 * Math.log10(meter.peak());
                assertTrue(coreTp <= ceiling, "core TruePeakMeter " + coreTp);
                assertTrue(outTp <= ceiling, "ceiling " + ceiling + " attack " + attackMs + ": output true peak " + outTp);
                assertTrue(lim.minGain() < 0.6f);
            }
        }
    }

    @Test
    void bandLimitedMusicStaysUnderTheCeilingForANearIdealMeterToo() {
        // Music-like material (smooth envelopes, nothing above 12 kHz) pushed 8 dB over the ceiling.
        int n = RATE * 2;
        float[][] x = new float[2][n];
        Random rnd = new Random(9);
        double[] f = {55, 110, 220, 330, 440, 660, 1320, 2640, 5280, 10560};
        double[] ph = new double[f.length];
        for (int k = 0; k < f.length; k++) ph[k] = rnd.nextDouble() * 2 * Math.PI;
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            double env = 0.6 + 0.4 * Math.sin(2 * Math.PI * 2 * t);
            double beat = Math.exp(-((i % 12000) / 600.0));
            double v = 0;
            for (int k = 0; k < f.length; k++) v += Math.sin(2 * Math.PI * f[k] * t + ph[k]) / (1 + k * 0.3);
            x[0][i] = (float) (0.9 * v * env + 2.5 * beat * Math.sin(2 * Math.PI * 80 * t));
            x[1][i] = (float) (0.8 * v * env - 2.0 * beat * Math.sin(2 * Math.PI * 80 * t));
        }
        TruePeakLimiter lim = new TruePeakLimiter(-1.0, 1.5, 80);
        lim.prepare(new AudioFormat(RATE, org.stemroom.core.ChannelLayout.STEREO), 1024);
        assertTrue(truePeakDb(x) > 5);
        float[][] out = run(lim, x, new int[] {1024});
        double bs = truePeakDb(out);
        double ideal = idealPeakDb(out);
        System.out.printf("band-limited: BS.1770 TP %.4f, near-ideal %.4f dBTP%n", bs, ideal);
        assertTrue(bs <= -1.0, "BS.1770 " + bs);
        assertTrue(ideal <= -1.0, "near-ideal " + ideal);
    }

    /** The reference meter itself: tones up to 0.99 x Nyquist at random phases read their amplitude. */
    @Test
    void referenceMeterReadsTonesExactly() {
        Random rnd = new Random(1);
        double worst = 0;
        for (double f : new double[] {997, 9_999, 17_000, 18_500, 19_000, 21_000, 22_800, 23_760}) {
            for (int k = 0; k < 3; k++) {
                double phase = rnd.nextDouble() * 2 * Math.PI;
                float[] x = new float[RATE / 2];
                for (int i = 0; i < x.length; i++) {
                    double fade = Math.min(1, Math.min(i, x.length - 1 - i) / 4000.0);
                    double w = 0.5 - 0.5 * Math.cos(Math.PI * fade); // raised-cosine fades: no splatter
                    x[i] = (float) (0.5 * w * Math.sin(2 * Math.PI * f / RATE * i + phase));
                }
                double err = 20 * Math.log10(ReferenceTruePeak.peak(x) / 0.5);
                worst = Math.max(worst, Math.abs(err));
                assertEquals(0, err, 0.002, f + " Hz phase " + phase);
            }
        }
        System.out.printf("reference meter: worst tone error %.5f dB%n", worst);
    }

    /** Hard cases for a true-peak limiter: gated white noise, 17-19 kHz tones, fs/4 at 45 degrees, clipped hits. */
    static float[][] hardSignals(long seed) {
        Random rnd = new Random(seed);
        int n = RATE * 2;
        float[][] x = new float[2][n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            boolean gate = ((i / 2400) % 4) == 1;            // 50 ms noise bursts every 200 ms
            double noise = gate ? 1.2 * rnd.nextGaussian() : 0;
            double fs4 = i < n / 4 ? 1.6 * Math.sin(Math.PI / 2 * i + Math.PI / 4) : 0;
            double hf = (i / 6000) % 2 == 1 ? 1.4 * Math.sin(2 * Math.PI * (17_000 + 2_000 * t / 2) * t) : 0;
            double hit = (i % 12000) < 300 ? Math.max(-1.3, Math.min(1.3, 3 * Math.sin(2 * Math.PI * 90 * t))) : 0;
            x[0][i] = (float) (noise + fs4 + hit);
            x[1][i] = (float) (0.5 * noise + hf + 0.8 * hit + 1.1 * Math.sin(2 * Math.PI * 18_700 * t + 0.3) * (gate ? 0 : 1));
        }
        return x;
    }

    /** No overshoot on the reference meter (ideal band-limited interpolation) across ceilings and attack times. */
    @Test
    void noOvershootOnTheReferenceMeter() {
        double worst = Double.NEGATIVE_INFINITY;
        String where = "";
        for (long seed : new long[] {1, 2}) {
            float[][] in = hardSignals(seed);
            for (double ceiling : new double[] {-0.1, -1.0, -6.0}) {
                for (double attackMs : new double[] {0.5, 1.0, 5.0}) {
                    TruePeakLimiter lim = new TruePeakLimiter(ceiling, attackMs, 50);
                    lim.prepare(new AudioFormat(RATE, org.stemroom.core.ChannelLayout.STEREO), 1024);
                    float[][] out = run(lim, in, new int[] {1024, 100});
                    double over = ReferenceTruePeak.dbtp(out) - ceiling;
                    if (over > worst) {
                        worst = over;
                        where = "seed " + seed + " ceiling " + ceiling + " attack " + attackMs;
                    }
                }
            }
        }
        System.out.printf("limiter on the reference meter: worst %.4f dB relative to the ceiling (%s)%n", worst, where);
        assertTrue(worst <= 0, "overshoot " + worst + " dB at " + where);
    }

    @Test
    void quietMaterialPassesUnchangedAfterLatency() {
        TruePeakLimiter lim = new TruePeakLimiter(-1.0, 1.5, 80);
        lim.prepare(new AudioFormat(RATE, org.stemroom.core.ChannelLayout.STEREO), 512);
        Random rnd = new Random(3);
        float[][] x = new float[2][RATE];
        for (int c = 0; c < 2; c++) for (int i = 0; i < RATE; i++) x[c][i] = (float) (0.1 * rnd.nextGaussian());
        float[][] out = run(lim, x, new int[] {512});
        for (int c = 0; c < 2; c++) assertArrayEquals(x[c], out[c], 0f);
        assertEquals(1f, lim.minGain());
        assertEquals(48 + 32 + 72, lim.latencyFrames()); // detector + hold + attack at 48 kHz
    }

    @Test
    void blockSizeDoesNotChangeTheResult() {
        float[][] in = hotSignals(11);
        TruePeakLimiter a = new TruePeakLimiter(-1.0, 1.5, 80);
        a.prepare(new AudioFormat(RATE, org.stemroom.core.ChannelLayout.STEREO), 4096);
        TruePeakLimiter b = new TruePeakLimiter(-1.0, 1.5, 80);
        b.prepare(new AudioFormat(RATE, org.stemroom.core.ChannelLayout.STEREO), 4096);
        float[][] oa = run(a, in, new int[] {4096});
        float[][] ob = run(b, in, new int[] {1, 64, 1000, 4096, 13});
        for (int c = 0; c < 2; c++) assertArrayEquals(oa[c], ob[c], 0f);
    }

    @Test
    void limitingIsTransparentAwayFromPeaks() {
        // One loud click in quiet noise: the gain returns to unity within a few release times.
        TruePeakLimiter lim = new TruePeakLimiter(-1.0, 1.5, 20);
        lim.prepare(new AudioFormat(RATE, org.stemroom.core.ChannelLayout.MONO), 256);
        float[][] x = new float[1][RATE];
        Random rnd = new Random(5);
        for (int i = 0; i < RATE; i++) x[0][i] = (float) (0.05 * rnd.nextGaussian());
        x[0][RATE / 4] = 3f;
        float[][] out = run(lim, x, new int[] {256});
        // Before the look-ahead window and 200 ms after: unchanged within 0.1%.
        for (int i = 0; i < RATE / 4 - 200; i++) assertEquals(x[0][i], out[0][i], 1e-6);
        for (int i = RATE / 4 + RATE / 5; i < RATE; i++) assertEquals(x[0][i], out[0][i], Math.abs(x[0][i]) * 1e-3 + 1e-7);
    }
}
