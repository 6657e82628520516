package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

class LtRtEncoderTest {

    static final int RATE = 48000;

    /** Amplitude and phase (degrees) of a sinusoid of frequency f in y[from..to), by least squares on cos/sin. */
    static double[] fit(float[] y, double f, int from, int to) {
        double cc = 0, ss = 0, cs = 0, yc = 0, ys = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * f * i / RATE;
            double c = Math.cos(w), s = Math.sin(w);
            cc += c * c; ss += s * s; cs += c * s; yc += y[i] * c; ys += y[i] * s;
        }
        double det = cc * ss - cs * cs;
        double a = (yc * ss - ys * cs) / det; // y ~ a cos + b sin = A cos(w + phi)
        double b = (ys * cc - yc * cs) / det;
        return new double[] {Math.hypot(a, b), Math.toDegrees(Math.atan2(-b, a))};
    }

    static float[][] encode(int channel, double f, int n) {
        LtRtEncoder enc = new LtRtEncoder(SpeakerLayout.SURROUND_5_1);
        enc.prepare(AudioFormat.of(RATE, 6), n);
        AudioBuffer in = new AudioBuffer(6, n);
        for (int i = 0; i < n; i++) in.channel(channel)[i] = (float) Math.cos(2 * Math.PI * f * i / RATE);
        AudioBuffer out = new AudioBuffer(2, n);
        // in blocks of 1000 frames: state carries across calls
        for (int at = 0; at < n; at += 1000) {
            int len = Math.min(1000, n - at);
            AudioBuffer bi = new AudioBuffer(6, len);
            AudioBuffer bo = new AudioBuffer(2, len);
            for (int c = 0; c < 6; c++) System.arraycopy(in.channel(c), at, bi.channel(c), 0, len);
            enc.process(bi, bo);
            for (int c = 0; c < 2; c++) System.arraycopy(bo.channel(c), 0, out.channel(c), at, len);
        }
        return out.data();
    }

    /** The class comment's all-pass chain run a sample at a time, as the encoder ran it before it ran passes: the reference. */
    static final class SampleChain {
        final double[] c;
        final double[] x1 = new double[4], x2 = new double[4], y1 = new double[4], y2 = new double[4];

        SampleChain(double[] c) { this.c = c; }

        double process(double in) {
            double v = in;
            for (int k = 0; k < 4; k++) {
                double y = c[k] * (v + y2[k]) - x2[k]; // y[n] = c (x[n] + y[n-2]) - x[n-2]
                x2[k] = x1[k];
                x1[k] = v;
                y2[k] = y1[k];
                y1[k] = y;
                v = y;
            }
            return v;
        }
    }

    /**
     * The encode and the front path, run in passes with the chains' state in locals, give the bits of the class
     * comment's recursions run a sample at a time (fronts and centre into the front sums, the matrix surrounds into
     * S, channel by channel; the fronts one sample late), in blocks of every length around the pass's 1024 frames;
     * and each chain's double outputs are those of the recursion, bit for bit.
     */
    @Test
    void passesGiveTheBitsOfTheRecursionsRunASampleAtATime() {
        int n = 3000;
        SpeakerLayout layout = SpeakerLayout.SURROUND_7_1;
        FoldDown m = new FoldDown(layout, FoldDown.Mode.LT_RT);
        java.util.Random rnd = new java.util.Random(7);
        float[][] x = new float[layout.channelCount()][n];
        for (float[] ch : x) for (int i = 0; i < n; i++) ch[i] = (float) (0.3 * rnd.nextGaussian());
        float[][] want = new float[2][n];
        SampleChain fl = new SampleChain(LtRtEncoder.FRONT_PATH), fr = new SampleChain(LtRtEncoder.FRONT_PATH);
        SampleChain su = new SampleChain(LtRtEncoder.SURROUND_PATH);
        double dl = 0, dr = 0;
        for (int t = 0; t < n; t++) {
            double l = 0, r = 0, s = 0;
            for (int i = 0; i < x.length; i++) {
                if (m.isMatrixSurround(i)) {
                    s += m.gain(1, i) * x[i][t];
                } else {
                    l += m.gain(0, i) * x[i][t];
                    r += m.gain(1, i) * x[i][t];
                }
            }
            double q = su.process(s);
            want[0][t] = (float) (dl - q);
            want[1][t] = (float) (dr + q);
            dl = fl.process(l);
            dr = fr.process(r);
        }
        float[][] ref = {x[0].clone(), x[1].clone()};
        float[][] wantFront = new float[2][n];
        SampleChain pl = new SampleChain(LtRtEncoder.FRONT_PATH), pr = new SampleChain(LtRtEncoder.FRONT_PATH);
        double el = 0, er = 0;
        for (int t = 0; t < n; t++) {
            wantFront[0][t] = (float) el;
            wantFront[1][t] = (float) er;
            el = pl.process(ref[0][t]);
            er = pr.process(ref[1][t]);
        }
        // each chain's double outputs, bit for bit (the float outputs alone would hide most double rounding)
        for (double[] coefficients : new double[][] {LtRtEncoder.FRONT_PATH, LtRtEncoder.SURROUND_PATH}) {
            SampleChain one = new SampleChain(coefficients);
            LtRtEncoder.AllPassChain chain = new LtRtEncoder.AllPassChain(coefficients);
            double[] v = new double[n];
            for (int t = 0; t < n; t++) v[t] = x[2][t] + 0.5 * x[3][t];
            double[] w = v.clone();
            for (int at = 0, k = 0; at < n; k++) {
                int len = Math.min(new int[] {1, 1023, 1025, 7}[k % 4], n - at);
                double[] piece = java.util.Arrays.copyOfRange(w, at, at + len);
                chain.process(piece, len);
                System.arraycopy(piece, 0, w, at, len);
                at += len;
            }
            for (int t = 0; t < n; t++) {
                double y = one.process(v[t]);
                if (Double.doubleToRawLongBits(y) != Double.doubleToRawLongBits(w[t])) {
                    throw new AssertionError("chain, sample " + t + ": " + w[t] + " != " + y);
                }
            }
        }
        for (int[] blocks : new int[][] {{n}, {1}, {1023, 1, 1025, 7}, {1024}, {500, 2048}}) {
            LtRtEncoder enc = new LtRtEncoder(layout);
            LtRtEncoder.FrontPath front = LtRtEncoder.frontPath();
            float[][] got = new float[2][n];
            float[][] passed = {ref[0].clone(), ref[1].clone()};
            float[][] piece = new float[2][];
            for (int at = 0, k = 0; at < n; k++) {
                int len = Math.min(blocks[k % blocks.length], n - at);
                enc.process(x, got, at, len);
                piece[0] = java.util.Arrays.copyOfRange(passed[0], at, at + len);
                piece[1] = java.util.Arrays.copyOfRange(passed[1], at, at + len);
                front.process(piece, len);
                System.arraycopy(piece[0], 0, passed[0], at, len);
                System.arraycopy(piece[1], 0, passed[1], at, len);
                at += len;
            }
            for (int c = 0; c < 2; c++) {
                for (int t = 0; t < n; t++) {
                    if (Float.floatToRawIntBits(want[c][t]) != Float.floatToRawIntBits(got[c][t])) {
                        throw new AssertionError("encode, blocks " + java.util.Arrays.toString(blocks) + ", channel " + c
                                + ", frame " + t + ": " + got[c][t] + " != " + want[c][t]);
                    }
                    if (Float.floatToRawIntBits(wantFront[c][t]) != Float.floatToRawIntBits(passed[c][t])) {
                        throw new AssertionError("front path, blocks " + java.util.Arrays.toString(blocks) + ", channel "
                                + c + ", frame " + t + ": " + passed[c][t] + " != " + wantFront[c][t]);
                    }
                }
            }
        }
    }

    static double wrap(double deg) {
        double d = deg % 360;
        if (d > 180) d -= 360;
        if (d < -180) d += 360;
        return d;
    }

    /**
     * Surround content reaches Lt 90° behind front content and Rt 90° ahead of it, within 0.75° (measured 0.70°) from 50 Hz to
     * 20 kHz (at 48 kHz), at the matrix's levels (front 1, centre 0.7071, each surround 0.5) within 1e-3.
     */
    @Test
    void surroundIsShiftedNinetyDegreesAcrossTheBand() {
        int n = RATE / 2;
        int from = RATE / 4;
        double worst = 0;
        StringBuilder rep = new StringBuilder();
        for (int k = 0; k <= 24; k++) {
            double f = 50 * Math.pow(20000 / 50.0, k / 24.0);
            float[][] front = encode(0, f, n);    // L
            float[][] right = encode(1, f, n);    // R
            float[][] centre = encode(2, f, n);   // C
            float[][] sur = encode(4, f, n);      // Ls
            double[] fl = fit(front[0], f, from, n);
            double[] fr = fit(right[1], f, from, n);
            double[] fc = fit(centre[0], f, from, n);
            double[] sl = fit(sur[0], f, from, n);
            double[] sr = fit(sur[1], f, from, n);
            assertEquals(1.0, fl[0], 1e-3, "L into Lt at " + f);
            assertEquals(1.0, fr[0], 1e-3, "R into Rt at " + f);
            assertEquals(Math.sqrt(0.5), fc[0], 1e-3, "C into Lt at " + f);
            assertEquals(0.5, sl[0], 1e-3, "Ls into Lt at " + f);
            assertEquals(0.5, sr[0], 1e-3, "Ls into Rt at " + f);
            assertEquals(0, fit(front[1], f, from, n)[0], 1e-4, "L stays out of Rt");
            double dl = wrap(sl[1] - fl[1]); // -90: S lags in Lt (-j)
            double dr = wrap(sr[1] - fr[1]); // +90: S leads in Rt (+j)
            worst = Math.max(worst, Math.max(Math.abs(dl + 90), Math.abs(dr - 90)));
            assertEquals(0, wrap(fc[1] - fl[1]), 1e-6, "C in phase with L");
            rep.append(String.format(Locale.ROOT, " %.0f Hz: %.2f/%.2f;", f, dl, dr));
        }
        System.out.println("Lt/Rt surround phase relative to the fronts (Lt/Rt):" + rep);
        System.out.printf(Locale.ROOT, "worst deviation from 90 degrees, 50 Hz..20 kHz: %.3f degrees%n", worst);
        assertTrue(worst <= 0.75, "phase error " + worst + " degrees");
    }

    @Test
    void outputIsStereoAndMatchesTheMatrixInLevel() {
        LtRtEncoder enc = new LtRtEncoder(SpeakerLayout.SURROUND_7_1);
        enc.prepare(AudioFormat.of(RATE, 8), 64);
        assertEquals(ChannelLayout.STEREO, enc.outputFormat().layout());
    }
}
