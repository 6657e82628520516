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
}
