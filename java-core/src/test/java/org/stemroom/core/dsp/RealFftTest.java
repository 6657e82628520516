package org.stemroom.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RealFftTest {

    /** Against a direct DFT evaluated in double precision. */
    @ParameterizedTest
    @ValueSource(ints = {2, 8, 30, 64, 1000})
    void matchesDirectDft(int n) {
        Random rnd = new Random(n);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        RealFft fft = new RealFft(n);
        float[] re = new float[fft.bins()];
        float[] im = new float[fft.bins()];
        fft.forward(x, re, im);
        for (int k = 0; k < fft.bins(); k++) {
            double sr = 0, si = 0;
            for (int t = 0; t < n; t++) {
                double a = -2 * Math.PI * k * (double) t / n;
                sr += x[t] * Math.cos(a);
                si += x[t] * Math.sin(a);
            }
            assertEquals(sr, re[k], 1e-4 * Math.sqrt(n), "re bin " + k);
            assertEquals(si, im[k], 1e-4 * Math.sqrt(n), "im bin " + k);
        }
        float[] back = new float[n];
        fft.inverse(re, im, back);
        for (int i = 0; i < n; i++) assertEquals(x[i], back[i], 1e-5, "sample " + i);
    }
}
