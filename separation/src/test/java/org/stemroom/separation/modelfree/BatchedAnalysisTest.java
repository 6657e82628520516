package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.core.dsp.Window;
import org.stemroom.room.SplitRealFft;

/**
 * The mixture's analysis by batches of forward FFTs: each frame the bits of SplitRealFft's single forward transform of
 * the STFT's windowed frame, whatever batch it falls in (frame counts that leave a partial last batch, one instance
 * reused across sizes); every bin within 4e-7 of the frame's largest magnitude of the STFT's definition evaluated
 * directly in double (a DFT of the Hann-windowed, zero-padded samples: the edge frames too), and within 5e-7 of it of
 * the STFT's own analysis (JTransforms); sizes other than powers of two go to the STFT's analysis; SpectralMix's
 * spectra are this analysis.
 */
class BatchedAnalysisTest {

    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (2 * r.nextDouble() - 1);
        return x;
    }

    /** Frame k of the STFT's definition (Stft's class comment), bin by bin in double: re and im of every bin. */
    private static double[][] definition(float[] x, int nFft, int hop, int k) {
        float[] w = Window.hann(nFft);
        int bins = nFft / 2 + 1, start = k * hop - nFft / 2;
        double[][] out = new double[2][bins];
        for (int b = 0; b < bins; b++) {
            double re = 0, im = 0;
            for (int n = 0; n < nFft; n++) {
                int i = start + n;
                if (i < 0 || i >= x.length) continue;
                double v = (double) w[n] * x[i], a = -2 * Math.PI * (((long) b * n) % nFft) / nFft;
                re += v * Math.cos(a);
                im += v * Math.sin(a);
            }
            out[0][b] = re;
            out[1][b] = im;
        }
        return out;
    }

    @Test
    void eachFrameHasTheBitsOfTheSingleForwardAndTheStftsDefinition() {
        BatchedAnalysis batched = new BatchedAnalysis();
        for (int[] size : new int[][] {{4096, 1024}, {1024, 128}, {2048, 512}, {4096, 1024}}) {
            int nFft = size[0], hop = size[1];
            Stft stft = new Stft(nFft, hop);
            SplitRealFft single = SplitRealFft.batched(nFft, 1);
            // 44,100 samples: the default window's 45 frames, five batches and a partial one
            for (int len : new int[] {44_100, 3 * hop, 7 * hop + 5, 8 * hop}) {
                float[] x = noise(len, 31L * len + nFft);
                Spectrogram got = new Spectrogram(stft.frameCount(len), stft.bins());
                batched.analyze(stft, x, got);
                Spectrogram jt = stft.analyze(x);
                float[] frame = new float[nFft];
                float[] re = new float[stft.bins()], im = new float[stft.bins()];
                for (int f = 0; f < got.frames(); f++) {
                    String at = nFft + " length " + len + " (" + got.frames() + " frames) frame " + f;
                    stft.windowedFrame(x, f, Stft.Padding.ZERO, frame);
                    single.forward(frame, re, im);
                    double peak = 0;
                    for (int b = 0; b < re.length; b++) peak = Math.max(peak, Math.hypot(re[b], im[b]));
                    boolean direct = nFft <= 2048 && (f < 2 || f >= got.frames() - 2 || f == got.frames() / 2);
                    double[][] def = direct ? definition(x, nFft, hop, f) : null;
                    for (int b = 0; b < re.length; b++) {
                        assertEquals(Float.floatToIntBits(re[b]), Float.floatToIntBits(got.re(f)[b]), at + " bin " + b);
                        assertEquals(Float.floatToIntBits(im[b]), Float.floatToIntBits(got.im(f)[b]), at + " bin " + b);
                        assertEquals(jt.re(f)[b], got.re(f)[b], 5e-7 * peak, at + " bin " + b + " against JTransforms");
                        assertEquals(jt.im(f)[b], got.im(f)[b], 5e-7 * peak, at + " bin " + b + " against JTransforms");
                        if (def != null) {
                            assertEquals(def[0][b], got.re(f)[b], 4e-7 * peak, at + " bin " + b + " against the definition");
                            assertEquals(def[1][b], got.im(f)[b], 4e-7 * peak, at + " bin " + b + " against the definition");
                        }
                    }
                }
            }
        }
    }

    @Test
    void otherSizesGoThroughTheStftsOwnAnalysis() {
        Stft stft = new Stft(1000, 250);
        float[] x = noise(9_000, 5);
        Spectrogram want = stft.analyze(x), got = new Spectrogram(want.frames(), want.bins());
        new BatchedAnalysis().analyze(stft, x, got);
        for (int f = 0; f < want.frames(); f++) {
            for (int b = 0; b < want.bins(); b++) {
                assertEquals(Float.floatToIntBits(want.re(f)[b]), Float.floatToIntBits(got.re(f)[b]), "frame " + f + " bin " + b);
                assertEquals(Float.floatToIntBits(want.im(f)[b]), Float.floatToIntBits(got.im(f)[b]), "frame " + f + " bin " + b);
            }
        }
    }

    @Test
    void aSpectrogramOfAnotherSizeIsRefused() {
        Stft stft = new Stft(4096, 1024);
        assertThrows(IllegalArgumentException.class,
                () -> new BatchedAnalysis().analyze(stft, noise(44_100, 1), new Spectrogram(44, 2049)));
    }

    @Test
    void theMixturesSpectraAreThisAnalysis() {
        float[][] ch = {noise(44_100, 11), noise(44_100, 12)};
        SpectralMix mix = SpectralMix.of(new AudioClip(AudioFormat.of(44_100, 2), ch));
        Stft stft = new Stft(4096, 1024);
        BatchedAnalysis batched = new BatchedAnalysis();
        for (int c = 0; c < 2; c++) {
            Spectrogram want = new Spectrogram(stft.frameCount(44_100), stft.bins());
            batched.analyze(stft, ch[c], want);
            Spectrogram got = mix.spectrum(c);
            for (int f = 0; f < want.frames(); f++) {
                for (int b = 0; b < want.bins(); b++) {
                    String at = "channel " + c + " frame " + f + " bin " + b;
                    assertEquals(Float.floatToIntBits(want.re(f)[b]), Float.floatToIntBits(got.re(f)[b]), at);
                    assertEquals(Float.floatToIntBits(want.im(f)[b]), Float.floatToIntBits(got.im(f)[b]), at);
                }
            }
        }
    }
}
