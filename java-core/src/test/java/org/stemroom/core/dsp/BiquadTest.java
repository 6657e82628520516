package org.stemroom.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BiquadTest {
    static final double FS = 48_000;

    @Test
    void cookbookResponsesAtTheirDefiningFrequencies() {
        assertEquals(-3.0103, Biquad.lowPass(FS, 1000, Biquad.BUTTERWORTH_Q).magnitudeDb(1000, FS), 1e-3);
        assertEquals(-3.0103, Biquad.highPass(FS, 1000, Biquad.BUTTERWORTH_Q).magnitudeDb(1000, FS), 1e-3);
        assertEquals(0, Biquad.lowPass(FS, 1000, 0.7).magnitudeDb(10, FS), 1e-3);
        assertTrue(Biquad.lowPass(FS, 1000, 0.7).magnitudeDb(10000, FS) < -38);
        assertEquals(0, Biquad.bandPass(FS, 2000, 2).magnitudeDb(2000, FS), 1e-9);
        assertEquals(6, Biquad.peak(FS, 3000, 1, 6).magnitudeDb(3000, FS), 1e-9);
        assertEquals(0, Biquad.peak(FS, 3000, 1, 6).magnitudeDb(20, FS), 0.01);
        assertEquals(-4, Biquad.lowShelf(FS, 200, Biquad.BUTTERWORTH_Q, -8).magnitudeDb(200, FS), 1e-9);
        assertEquals(-8, Biquad.lowShelf(FS, 200, Biquad.BUTTERWORTH_Q, -8).magnitudeDb(5, FS), 0.01);
        assertEquals(5, Biquad.highShelf(FS, 8000, Biquad.BUTTERWORTH_Q, 10).magnitudeDb(8000, FS), 1e-9);
        assertEquals(10, Biquad.highShelf(FS, 8000, Biquad.BUTTERWORTH_Q, 10).magnitudeDb(23900, FS), 0.05);
        assertTrue(Biquad.notch(FS, 50, 5).magnitudeDb(50, FS) < -100);
        for (double f : new double[] {20, 500, 5000, 20000}) {
            assertEquals(0, Biquad.allPass(FS, 1000, 0.7).magnitudeDb(f, FS), 1e-9);
        }
    }

    /** The time-domain filter agrees with the analytic response (sine in, sine out). */
    @Test
    void processingMatchesTheResponse() {
        for (double f : new double[] {100, 1000, 3000, 9000}) {
            Biquad b = Biquad.peak(FS, 1000, 0.7, -9);
            double expected = b.magnitudeDb(f, FS);
            double measured = Signals.sineGainDb(x -> b.copy().process(x, 0, x.length), f, FS);
            assertEquals(expected, measured, 0.01, "at " + f + " Hz");
        }
    }

    /** Against a direct evaluation of the difference equation in double. */
    @Test
    void transposedFormEqualsDifferenceEquation() {
        Biquad b = Biquad.lowShelf(44_100, 300, 0.9, 5);
        double[] c = b.coefficients();
        Random r = new Random(3);
        float[] x = new float[5000];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] y = x.clone();
        b.process(y, 0, 2000);
        b.process(y, 2000, 3000); // state carries across blocks
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (int i = 0; i < x.length; i++) {
            double yy = c[0] * x[i] + c[1] * x1 + c[2] * x2 - c[3] * y1 - c[4] * y2;
            x2 = x1; x1 = x[i]; y2 = y1; y1 = yy;
            assertEquals(yy, y[i], 1e-5);
        }
    }

    @Test
    void linkwitzRileySumsFlatAndEqualsItsAllPass() {
        LinkwitzRiley lr = new LinkwitzRiley(FS, 2000);
        for (double f = 20; f < 23_000; f *= 1.1) {
            double[] l = lr.lowPass().response(f, FS), h = lr.highPass().response(f, FS);
            double sum = 10 * Math.log10(Math.pow(l[0] + h[0], 2) + Math.pow(l[1] + h[1], 2));
            assertEquals(0, sum, 1e-6, "summed magnitude at " + f + " Hz");
        }
        assertEquals(-6.0206, lr.lowPass().magnitudeDb(2000, FS), 1e-3);
        assertEquals(-6.0206, lr.highPass().magnitudeDb(2000, FS), 1e-3);
        assertTrue(lr.lowPass().magnitudeDb(8000, FS) < -47); // 24 dB/octave
        // time domain: low + high equals the all-pass twin sample by sample
        Random r = new Random(8);
        float[] x = new float[20_000];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[] lo = new float[x.length], hi = new float[x.length], ap = x.clone();
        lr.split(x, 0, lo, hi, x.length);
        lr.allPassTwin().process(ap, 0, ap.length);
        for (int i = 0; i < x.length; i++) assertEquals(ap[i], lo[i] + hi[i], 1e-4, "sample " + i);
    }

    @Test
    void butterworthCornersAndOrders() {
        for (int order = 1; order <= 6; order++) {
            BiquadCascade lp = Butterworth.lowPass(FS, 3000, order);
            BiquadCascade hp = Butterworth.highPass(FS, 3000, order);
            assertEquals(-3.0103, lp.magnitudeDb(3000, FS), 1e-3);
            assertEquals(-3.0103, hp.magnitudeDb(3000, FS), 1e-3);
            // the analog roll-off of 6 dB/octave per order, measured far from the bilinear warping
            assertEquals(-10 * Math.log10(1 + Math.pow(4, 2 * order)), Butterworth.lowPass(FS, 300, order)
                    .magnitudeDb(1200, FS), 0.05 * order);
        }
    }
}
