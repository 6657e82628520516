package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PanAngle} against the expression it replaces, {@code (float) (Math.atan2(sqrt pr, sqrt pl) / (0.5 * Math.PI))}
 * of the bins' float powers, bit for bit: edge values (zeros, denormal and overflowing squares, NaN), angles an ulp
 * apart near the half-angle steps' ends, and 3 million random bins (Gaussian spectra as a frame holds them, magnitudes
 * spread over 40 decades); its double before rounding within 1e-14 of the reference's (the class comment's bound is
 * 4e-15: a series two terms short fails it); and the fast path must vouch for almost every bin (else
 * it is no faster than the reference it falls back to).
 */
class PanAngleTest {
    private static final int BINS = 2049;

    /** Runs a frame and compares every bin; returns how many took the reference. */
    private static int checkFrame(PanAngle pa, float[] lr, float[] li, float[] rr, float[] ri, int bins) {
        float[] out = new float[bins];
        int slow = pa.frame(lr, li, rr, ri, out, bins);
        for (int b = 0; b < bins; b++) {
            float pl = lr[b] * lr[b] + li[b] * li[b], pr = rr[b] * rr[b] + ri[b] * ri[b];
            float want = (float) (Math.atan2(Math.sqrt(pr), Math.sqrt(pl)) / (0.5 * Math.PI));
            int bb = b;
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[b]),
                    () -> "bin " + bb + " l " + lr[bb] + "," + li[bb] + " r " + rr[bb] + "," + ri[bb] + ": " + want + " vs " + out[bb]);
        }
        return slow;
    }

    @Test
    void edgeValues() {
        float[] v = {0f, -0f, Float.MIN_VALUE, 1e-40f, 1e-30f, 1e-23f, 1e-22f, 1e-20f, 1e-8f, 0.1f, 0.5f, 1f, 1.5f, 2f, 3f,
                1e8f, 1e18f, 1.8e19f, 1.9e19f, 1e20f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN};
        int n = v.length * v.length;
        float[] lr = new float[n], li = new float[n], rr = new float[n], ri = new float[n];
        int k = 0;
        for (float a : v) {
            for (float b : v) {
                lr[k] = a;
                rr[k] = b;
                k++;
            }
        }
        PanAngle pa = new PanAngle();
        checkFrame(pa, lr, li, rr, ri, n);
        // the same in the imaginary parts, and split over both
        checkFrame(pa, li, lr, ri, rr, n);
        checkFrame(pa, lr, lr, rr, rr, n);
    }

    @Test
    void neighbouringAnglesAndStepEnds() {
        // right over left at 0, tan(pi/16), tan(pi/8), 1 (hard centre), their reciprocals and an ulp either side,
        // scaled over the magnitudes a spectrum holds
        double[] z = {0, Math.tan(Math.PI / 16), Math.tan(Math.PI / 8), 0.5, 1, 2, 1 / Math.tan(Math.PI / 8), 1e3, 1e7};
        int n = z.length * 3 * 4 * 2;
        float[] lr = new float[n], li = new float[n], rr = new float[n], ri = new float[n];
        int k = 0;
        for (double zz : z) {
            for (float l : new float[] {1f, 0.37f, 123.456f, 3e-12f}) {
                float r = (float) (l * zz);
                for (float rv : new float[] {r, Math.nextUp(r), Math.nextDown(Math.max(r, Float.MIN_VALUE))}) {
                    lr[k] = l;
                    rr[k] = rv;
                    k++;
                    lr[k] = rv; // and mirrored
                    rr[k] = l;
                    k++;
                }
            }
        }
        checkFrame(new PanAngle(), lr, li, rr, ri, k);
    }

    @Test
    void randomBinsSameBitsAndMostlyFast() {
        Random rnd = new Random(2026);
        PanAngle pa = new PanAngle(); // one instance over frames of every size: its rows are reused
        float[] lr = new float[BINS], li = new float[BINS], rr = new float[BINS], ri = new float[BINS];
        int frames = 1500, slow = 0, bins = 0;
        for (int f = 0; f < frames; f++) {
            int n = f % 7 == 0 ? 1 + rnd.nextInt(BINS) : BINS;
            for (int b = 0; b < n; b++) {
                if ((f & 1) == 0) { // a spectrum's bins: Gaussian parts
                    lr[b] = (float) rnd.nextGaussian();
                    li[b] = (float) rnd.nextGaussian();
                    rr[b] = (float) rnd.nextGaussian();
                    ri[b] = (float) rnd.nextGaussian();
                } else { // magnitudes spread over 30 decades (squares within float's range; edgeValues has the rest)
                    lr[b] = (float) (rnd.nextGaussian() * Math.pow(10, -15 + 30 * rnd.nextDouble()));
                    li[b] = (float) (rnd.nextGaussian() * Math.pow(10, -15 + 30 * rnd.nextDouble()));
                    rr[b] = (float) (rnd.nextGaussian() * Math.pow(10, -15 + 30 * rnd.nextDouble()));
                    ri[b] = (float) (rnd.nextGaussian() * Math.pow(10, -15 + 30 * rnd.nextDouble()));
                }
            }
            slow += checkFrame(pa, lr, li, rr, ri, n);
            bins += n;
        }
        System.out.println("pan angle: the fast path declined " + slow + " of " + bins + " bins");
        assertTrue(slow < bins / 10000, "the fast path declined " + slow + " of " + bins);
    }

    @Test
    void theDoubleIsWithinItsBoundOfTheReference() {
        Random rnd = new Random(15);
        int n = 1_000_000;
        double[] a = new double[n], pr = new double[n];
        for (int k = 0; k < n; k++) {
            // float powers, as the frame widens them; ratios from 1e-12 to 1e12 and every angle
            a[k] = (float) Math.pow(10, -20 + 40 * rnd.nextDouble());
            pr[k] = (float) ((k & 1) == 0 ? a[k] * Math.pow(10, -12 + 24 * rnd.nextDouble()) : a[k] * rnd.nextDouble() * 4);
        }
        double[] pl = a.clone();
        PanAngle.angles(a, pr, n);
        double worst = 0;
        for (int k = 0; k < n; k++) {
            double ref = Math.atan2(Math.sqrt(pr[k]), Math.sqrt(pl[k])) / (0.5 * Math.PI);
            worst = Math.max(worst, Math.abs(a[k] - ref) / ref);
        }
        System.out.println("pan angle: worst relative difference of the double " + worst);
        assertTrue(worst < 1e-14, "worst relative difference " + worst);
    }
}
