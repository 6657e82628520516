package org.stemroom.core.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The meter's fast path (quiet stretches skipped, the rest interpolated tap by tap) reads what a direct evaluation
 * of every phase at every sample reads, whatever the block size.
 */
class TruePeakMeterTest {
    /** Every phase at every position, the plain way. */
    private static double direct(float[] x) {
        float[][] ph = TruePeakMeter.interpolationPhases();
        int taps = ph[0].length;
        double peak = 0;
        for (float v : x) peak = Math.max(peak, Math.abs(v));
        float[] h = new float[taps - 1 + x.length];
        System.arraycopy(x, 0, h, taps - 1, x.length);
        for (int i = 0; i < x.length; i++) {
            for (float[] c : ph) {
                double acc = 0;
                for (int j = 0; j < taps; j++) acc += (double) c[j] * h[i + j];
                peak = Math.max(peak, Math.abs(acc));
            }
        }
        return peak;
    }

    @Test
    void fastPathReadsWhatADirectEvaluationReads() {
        Random rnd = new Random(3);
        int n = 48_000;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            // quiet noise with a few loud bursts and an fs/4 tone at 45 degrees (the classic inter-sample peak)
            double v = 0.01 * rnd.nextGaussian();
            if (i > 10_000 && i < 10_400) v += 0.8 * Math.sin(Math.PI / 2 * i + Math.PI / 4);
            if (i > 30_000 && i < 30_050) v += rnd.nextGaussian() * 0.5;
            x[i] = (float) v;
        }
        double want = direct(x);
        assertTrue(want > 0.8 * 1.3, "an inter-sample peak well above the samples: " + want);
        for (int block : new int[] {1, 7, 256, 1000, 48_000}) {
            TruePeakMeter m = new TruePeakMeter(1, block);
            for (int off = 0; off < n; off += block) m.process(new float[][] {x}, off, Math.min(block, n - off));
            assertEquals(want, m.peak(), want * 1e-6, "block " + block);
        }
    }

    /** All four phases at every position in float, each sum tap by tap from zero (the meter's own arithmetic). */
    private static float directFloat(float[] x) {
        float[][] ph = TruePeakMeter.interpolationPhases();
        int taps = ph[0].length;
        float peak = 0;
        for (float v : x) peak = Math.max(peak, Math.abs(v));
        float[] h = new float[taps - 1 + x.length];
        System.arraycopy(x, 0, h, taps - 1, x.length);
        for (int i = 0; i < x.length; i++) {
            for (float[] c : ph) {
                float acc = 0f;
                for (int j = 0; j < taps; j++) acc += c[j] * h[i + j];
                peak = Math.max(peak, Math.abs(acc));
            }
        }
        return peak;
    }

    /**
     * The meter skips phase 0 because it is the sample itself: exactly 1 on the centre tap, sinc zeros elsewhere.
     * With that, its reading equals the plain float evaluation of all four phases bit for bit, on loud material
     * (no stretch skipped) and on material near silence (where phase 0's tiny taps weigh most), for any blocking.
     */
    @Test
    void phaseZeroIsTheSampleAndSkippingItChangesNoBit() {
        float[] p0 = TruePeakMeter.interpolationPhases()[0];
        int centre = -1;
        for (int j = 0; j < p0.length; j++) {
            if (p0[j] == 1f) centre = j;
            else assertTrue(Math.abs(p0[j]) < 1e-12, "off-centre tap " + j + " of phase 0: " + p0[j]);
        }
        assertTrue(centre >= 0, "phase 0 has a centre tap of exactly 1");
        Random rnd = new Random(11);
        for (double level : new double[] {0.9, 1e-6, 1e-30}) {
            int n = 20_000;
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                // full-band noise plus an fs/4 tone at 45 degrees: inter-sample peaks everywhere
                x[i] = (float) (level * (0.5 * rnd.nextGaussian() + 0.5 * Math.sin(Math.PI / 2 * i + Math.PI / 4)));
            }
            float want = directFloat(x);
            for (int block : new int[] {1, 5, 255, 256, 257, 4096, n}) {
                TruePeakMeter m = new TruePeakMeter(2, block);
                float[] y = x.clone();
                for (int i = 0; i < n; i++) y[i] = -y[i];
                for (int off = 0; off < n; off += block) m.process(new float[][] {x, y}, off, Math.min(block, n - off));
                assertEquals(want, (float) m.peak(0), 0f, "level " + level + ", block " + block);
                assertEquals(want, (float) m.peak(1), 0f, "negated, level " + level + ", block " + block);
            }
        }
    }
}
