package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.room.SplitRealFft;

/**
 * The Wiener step's synthesis by batches of inverse FFTs: each frame's inverse the bits of SplitRealFft's single
 * transform whatever batch it falls in (frame counts that leave a partial last batch, one instance reused across
 * sizes), an analysis inverted within 1e-5 (the STFT's own round-trip tolerance, StftTest) and within 2e-6 of the
 * STFT's own synthesis (JTransforms) on masked spectra; sizes other than powers of two go to the STFT's synthesis.
 */
class BatchedSynthesisTest {

    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (2 * r.nextDouble() - 1);
        return x;
    }

    @Test
    void eachFrameHasTheBitsOfTheSingleInverseAndTheAnalysisIsInverted() {
        BatchedSynthesis batched = new BatchedSynthesis();
        for (int[] size : new int[][] {{4096, 1024}, {2048, 512}, {8192, 2048}, {4096, 1024}}) {
            int nFft = size[0], hop = size[1];
            Stft stft = new Stft(nFft, hop);
            SplitRealFft single = SplitRealFft.batched(nFft, 1);
            for (int len : new int[] {48_000, 3 * hop, 7 * hop + 5}) {
                float[] x = noise(len, 31L * len + nFft);
                Spectrogram s = stft.analyze(x);
                int frames = s.frames();
                float[] back = new float[len];
                batched.synthesize(stft, s, frames, back);
                for (int i = 0; i < len; i++) assertEquals(x[i], back[i], 1e-5, nFft + " length " + len + " sample " + i);

                // masked at random, imaginary parts at DC and Nyquist (ignored)
                Random r = new Random(len + nFft);
                for (int f = 0; f < frames; f++) {
                    for (int b = 0; b < s.bins(); b++) {
                        float g = (float) r.nextDouble();
                        s.re(f)[b] *= g;
                        s.im(f)[b] *= g;
                    }
                    s.im(f)[0] = (float) r.nextGaussian();
                    s.im(f)[s.bins() - 1] = (float) r.nextGaussian();
                }
                float[] got = new float[len], want = new float[len], jt = new float[len];
                batched.synthesize(stft, s, frames, got);
                float[] time = new float[nFft];
                stft.beginFrames(frames);
                for (int f = 0; f < frames; f++) {
                    single.inverse(s.re(f), s.im(f), time);
                    stft.addFrame(time, f);
                }
                stft.endFrames(want);
                stft.synthesize(s, jt);
                double peak = 0;
                for (float v : jt) peak = Math.max(peak, Math.abs(v));
                for (int i = 0; i < len; i++) {
                    String at = nFft + " length " + len + " (" + frames + " frames) sample " + i;
                    assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), at);
                    assertEquals(jt[i], got[i], 2e-6 * peak, at + " against JTransforms");
                }
            }
        }
    }

    @Test
    void otherSizesGoThroughTheStftsOwnSynthesis() {
        Stft stft = new Stft(1000, 250);
        Spectrogram s = stft.analyze(noise(9_000, 5));
        float[] want = stft.synthesize(s, 9_000), got = new float[9_000];
        new BatchedSynthesis().synthesize(stft, s, s.frames(), got);
        for (int i = 0; i < got.length; i++) assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "sample " + i);
    }
}
