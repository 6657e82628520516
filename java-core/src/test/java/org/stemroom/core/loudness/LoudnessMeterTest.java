package org.stemroom.core.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.dsp.Biquad;

/**
 * EBU Tech 3341 / 3342 test signals, synthesized: 1 kHz sines whose level in dBFS is the peak level
 * ({@code amplitude = 10^(dBFS/20)}), the convention of the EBU test set.
 */
class LoudnessMeterTest {
    static final int FS = 48_000;

    /** Segments of (seconds, dBFS per channel) fed block by block; phase runs on continuously across segments. */
    static LoudnessMeter feed(ChannelLayout layout, int rate, double freq, double[][] segments, int block) {
        return feed(layout, rate, freq, segments, block, false);
    }

    static LoudnessMeter feed(ChannelLayout layout, int rate, double freq, double[][] segments, int block,
            boolean truePeak) {
        LoudnessMeter m = new LoudnessMeter(new AudioFormat(rate, layout), truePeak);
        // the sine by rotation of a unit phasor (exact enough: drift < 1e-9 over minutes), far cheaper than sin()
        double cr = Math.cos(2 * Math.PI * freq / rate), ci = Math.sin(2 * Math.PI * freq / rate);
        double pr = Math.sin(0.3), pi = Math.cos(0.3); // (value, quadrature) at t = 0
        int ch = layout.channelCount();
        AudioBuffer buf = new AudioBuffer(ch, block);
        long t = 0;
        for (double[] seg : segments) {
            long n = Math.round(seg[0] * rate);
            float[] gain = new float[ch];
            for (int c = 0; c < ch; c++) {
                double db = seg[Math.min(1 + c, seg.length - 1)];
                gain[c] = db == Double.NEGATIVE_INFINITY ? 0f : (float) Math.pow(10, db / 20);
            }
            for (long done = 0; done < n; ) {
                int len = (int) Math.min(block, n - done);
                buf.setFrames(len);
                for (int i = 0; i < len; i++) {
                    double s = pr;
                    double nr = pr * cr + pi * ci, ni = pi * cr - pr * ci;
                    pr = nr;
                    pi = ni;
                    if (t + i < rate / 100) s *= 0.5 - 0.5 * Math.cos(Math.PI * (t + i) / (rate / 100.0)); // 10 ms fade-in
                    for (int c = 0; c < ch; c++) buf.channel(c)[i] = (float) (gain[c] * s);
                }
                m.process(buf);
                done += len;
                t += len;
            }
        }
        return m;
    }

    static LoudnessMeter stereo(double[]... segments) {
        return feed(ChannelLayout.STEREO, FS, 1000, segments, 1000);
    }

    @Test
    void kWeightingAt48kEqualsTheBs1770Table() {
        double[] s = KWeighting.shelf(48_000).coefficients();
        assertEquals(1.53512485958697, s[0], 1e-8);
        assertEquals(-2.69169618940638, s[1], 1e-8);
        assertEquals(1.19839281085285, s[2], 1e-8);
        assertEquals(-1.69065929318241, s[3], 1e-8);
        assertEquals(0.73248077421585, s[4], 1e-8);
        double[] r = KWeighting.rlb(48_000).coefficients();
        assertEquals(1.0, r[0], 0);
        assertEquals(-2.0, r[1], 0);
        assertEquals(1.0, r[2], 0);
        assertEquals(-1.99004745483398, r[3], 1e-8);
        assertEquals(0.99007225036621, r[4], 1e-8);
    }

    /** The analog curve does not depend on the rate: responses at 44.1 and 96 kHz equal 48 kHz's (below 10 kHz). */
    @Test
    void kWeightingIsTheSameCurveAtOtherRates() {
        for (double f : new double[] {20, 100, 1000, 3000, 8000}) {
            double ref = KWeighting.filter(48_000).magnitudeDb(f, 48_000);
            assertEquals(ref, KWeighting.filter(44_100).magnitudeDb(f, 44_100), 0.06, f + " Hz at 44.1k");
            assertEquals(ref, KWeighting.filter(96_000).magnitudeDb(f, 96_000), 0.06, f + " Hz at 96k");
        }
        // a -23 dBFS stereo tone reads -23 LUFS at any rate
        for (int rate : new int[] {44_100, 96_000, 192_000}) {
            LoudnessMeter m = feed(ChannelLayout.STEREO, rate, 1000, new double[][] {{10, -23}}, 4096);
            assertEquals(-23, m.integratedLufs(), 0.1, rate + " Hz");
        }
    }

    @Test
    void tech3341Cases1And2ToneLevels() {
        LoudnessMeter a = stereo(new double[] {20, -23});
        assertEquals(-23, a.integratedLufs(), 0.1);
        assertEquals(-23, a.momentaryLufs(), 0.1);
        assertEquals(-23, a.shortTermLufs(), 0.1);
        assertEquals(-23, a.maxMomentaryLufs(), 0.1);
        LoudnessMeter b = stereo(new double[] {20, -33});
        assertEquals(-33, b.integratedLufs(), 0.1);
        assertEquals(-33, b.momentaryLufs(), 0.1);
        assertEquals(-33, b.shortTermLufs(), 0.1);
    }

    @Test
    void tech3341Cases3To5Gating() {
        // case 3: -36 / -23 / -36 dBFS, 10 / 60 / 10 s -> -23 (relative gate removes the -36 parts)
        assertEquals(-23, stereo(new double[] {10, -36}, new double[] {60, -23}, new double[] {10, -36})
                .integratedLufs(), 0.1);
        // case 4: -72 / -36 / -23 / -36 / -72 dBFS -> -23 (absolute gate removes -72)
        assertEquals(-23, stereo(new double[] {10, -72}, new double[] {10, -36}, new double[] {60, -23},
                new double[] {10, -36}, new double[] {10, -72}).integratedLufs(), 0.1);
        // case 5: -26 / -20 / -26 dBFS, 20 / 20.1 / 20 s -> -23 (nothing gated; energy mean)
        assertEquals(-23, stereo(new double[] {20, -26}, new double[] {20.1, -20}, new double[] {20, -26})
                .integratedLufs(), 0.1);
    }

    /** Case 6 of Tech 3341: 5.0 with -28 dBFS in L and R, -24 dBFS in C, -30 dBFS in Ls and Rs reads -23 LUFS. */
    @Test
    void tech3341Case6Surround() {
        LoudnessMeter m = feed(ChannelLayout.SURROUND_5_0, FS, 1000,
                new double[][] {{20, -28, -28, -24, -30, -30}}, 1000);
        assertEquals(-23, m.integratedLufs(), 0.1);
    }

    @Test
    void surroundWeightingAndLfeExclusion() {
        double neg = Double.NEGATIVE_INFINITY;
        // 5.1 order L R C LFE Ls Rs
        double inL = feed(ChannelLayout.SURROUND_5_1, FS, 1000, new double[][] {{5, -20, neg, neg, neg, neg, neg}}, 512)
                .integratedLufs();
        double inLs = feed(ChannelLayout.SURROUND_5_1, FS, 1000, new double[][] {{5, neg, neg, neg, neg, -20, neg}}, 512)
                .integratedLufs();
        assertEquals(10 * Math.log10(1.41), inLs - inL, 0.01);
        double lfeOnly = feed(ChannelLayout.SURROUND_5_1, FS, 60, new double[][] {{5, neg, neg, neg, -6, neg, neg}}, 512)
                .integratedLufs();
        assertEquals(Double.NEGATIVE_INFINITY, lfeOnly);
        double lPlusLfe = feed(ChannelLayout.SURROUND_5_1, FS, 1000, new double[][] {{5, -20, neg, neg, -3, neg, neg}}, 512)
                .integratedLufs();
        assertEquals(inL, lPlusLfe, 1e-9);
        assertEquals(0.0, LoudnessMeter.channelWeights(ChannelLayout.SURROUND_5_1)[3]);
        assertEquals(1.41, LoudnessMeter.channelWeights(ChannelLayout.SURROUND_7_1)[6]); // Lss at 90 degrees
    }

    @Test
    void tech3342LoudnessRange() {
        assertEquals(10, stereo(new double[] {20, -20}, new double[] {20, -30}).loudnessRangeLu(), 1);
        assertEquals(5, stereo(new double[] {20, -20}, new double[] {20, -15}).loudnessRangeLu(), 1);
        assertEquals(20, stereo(new double[] {20, -40}, new double[] {20, -20}).loudnessRangeLu(), 1);
        assertEquals(15, stereo(new double[] {20, -50}, new double[] {20, -35}, new double[] {20, -20},
                new double[] {20, -35}, new double[] {20, -50}).loudnessRangeLu(), 1);
        assertEquals(0, stereo(new double[] {10, -23}).loudnessRangeLu(), 0.1);
    }

    @Test
    void truePeakFindsInterSamplePeaks() {
        // fs/4 sine at 45 degrees: samples at +-0.7071 A, the waveform reaches A in between: +3.01 dB
        int n = 4800;
        float[][] x = new float[1][n];
        double a = 0.5;
        for (int i = 0; i < n; i++) {
            // a 10 ms fade-in: an abrupt onset would ring (Gibbs) above the steady-state peak
            double fade = i < 480 ? 0.5 - 0.5 * Math.cos(Math.PI * i / 480) : 1;
            x[0][i] = (float) (fade * a * Math.sin(Math.PI / 2 * i + Math.PI / 4));
        }
        LoudnessMeter m = new LoudnessMeter(AudioFormat.of(FS, 1));
        m.process(x, 0, n);
        assertEquals(20 * Math.log10(a / Math.sqrt(2)), m.samplePeakDbfs(), 1e-4);
        assertEquals(20 * Math.log10(a), m.truePeakDbtp(), 0.05);
        assertEquals(3.0103, m.truePeakDbtp() - m.samplePeakDbfs(), 0.05);
        // a 997 Hz full-scale tone: true peak 0 dBTP; a 1 kHz tone sampled at its peaks reads equal
        LoudnessMeter t = feed(ChannelLayout.STEREO, FS, 997, new double[][] {{1, 0}}, 777, true);
        assertEquals(0, t.truePeakDbtp(), 0.02);
        assertTrue(t.truePeakDbtp() >= t.samplePeakDbfs());
        // near Nyquist (20 kHz at 44.1 kHz), at an awkward phase
        LoudnessMeter hf = feed(ChannelLayout.MONO, 44_100, 20_000, new double[][] {{1, -6}}, 1024, true);
        assertEquals(-6, hf.truePeakDbtp(), 0.3);
    }

    @Test
    void blockSizeDoesNotChangeResults() {
        List<Double> results = new ArrayList<>();
        for (int block : new int[] {1, 97, 4800, 10_000}) {
            LoudnessMeter m = feed(ChannelLayout.STEREO, FS, 440, new double[][] {{4, -18}, {4, -30}}, block);
            results.add(m.integratedLufs());
            results.add(m.loudnessRangeLu());
        }
        for (int i = 2; i < results.size(); i++) assertEquals(results.get(i % 2), results.get(i), 1e-9);
    }

    /**
     * The meter's fused K-weighting (both sections in one loop, two channels at a time) gives, bit for bit, what
     * core's {@link org.stemroom.core.dsp.BiquadCascade} gives channel by channel: each 100 ms step's momentary
     * loudness and the sample peaks are recomputed here from cascades and compared exactly, for 5.1 (a weight-0
     * LFE between weighted channels, an odd number of weighted channels) and mono.
     */
    @Test
    void fusedKWeightingEqualsTheCascadeBitForBit() {
        java.util.Random rnd = new java.util.Random(4);
        for (ChannelLayout layout : new ChannelLayout[] {ChannelLayout.SURROUND_5_1, ChannelLayout.MONO}) {
            int ch = layout.channelCount();
            int step = FS / 10;
            int steps = 12;
            float[][] x = new float[ch][step * steps];
            for (float[] c : x) for (int i = 0; i < c.length; i++) c[i] = (float) (0.3 * rnd.nextGaussian());
            double[] w = LoudnessMeter.channelWeights(layout);
            org.stemroom.core.dsp.BiquadCascade[] k = new org.stemroom.core.dsp.BiquadCascade[ch];
            for (int c = 0; c < ch; c++) k[c] = KWeighting.filter(FS);
            LoudnessMeter m = new LoudnessMeter(new AudioFormat(FS, layout), false);
            double[] sub = new double[steps];
            float[] y = new float[4096];
            for (int s = 0; s < steps; s++) {
                // the meter cuts a 4800-frame step fed at once into 4096 + 704 (its largest chunk)
                double stepEnergy = 0;
                for (int at = s * step; at < (s + 1) * step; ) {
                    int n = Math.min(4096, (s + 1) * step - at);
                    double energy = 0;
                    for (int c = 0; c < ch; c++) {
                        if (w[c] == 0) continue;
                        k[c].process(x[c], at, y, 0, n);
                        double e = 0;
                        for (int i = 0; i < n; i++) e += (double) y[i] * y[i];
                        energy += w[c] * e;
                    }
                    stepEnergy += energy;
                    at += n;
                }
                sub[s] = stepEnergy;
                m.process(x, s * step, step);
                if (s >= 3) {
                    double sum = 0;
                    for (int i = 1; i <= 4; i++) sum += sub[s + 1 - i];
                    assertEquals(LoudnessMeter.lufs(sum / (4.0 * step)), m.momentaryLufs(), 0.0, layout.name() + " step " + s);
                }
            }
            for (int c = 0; c < ch; c++) {
                float p = 0;
                for (float v : x[c]) p = Math.max(p, Math.abs(v));
                assertEquals(LoudnessMeter.toDb(p), m.samplePeakDbfs(c), 0.0, layout.name() + " channel " + c);
            }
        }
    }

    /** Real-time rule: metering a block allocates nothing (the gating history is pre-sized for 10 minutes). */
    @Test
    void processAllocatesNothing() {
        LoudnessMeter m = new LoudnessMeter(AudioFormat.of(FS, 6));
        AudioBuffer b = new AudioBuffer(6, 512);
        for (int c = 0; c < 6; c++) for (int i = 0; i < 512; i++) b.set(c, i, (float) Math.sin(0.01 * i * (c + 1)));
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 2000; i++) m.process(b); // warm up the JIT
        long before = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 200; i++) m.process(b);
        long after = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
        assertEquals(0, after - before);
        assertTrue(m.momentaryLufs() > -40);
    }

    @Test
    void silenceReadsMinusInfinity() {
        LoudnessMeter m = feed(ChannelLayout.STEREO, FS, 1000, new double[][] {{2, Double.NEGATIVE_INFINITY}}, 512, true);
        assertEquals(Double.NEGATIVE_INFINITY, m.integratedLufs());
        assertEquals(Double.NEGATIVE_INFINITY, m.truePeakDbtp());
        assertEquals(0, m.loudnessRangeLu());
        assertTrue(Biquad.BUTTERWORTH_Q > 0);
    }
}
