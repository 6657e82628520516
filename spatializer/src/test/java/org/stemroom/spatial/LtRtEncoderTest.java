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
