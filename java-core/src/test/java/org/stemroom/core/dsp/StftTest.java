package org.stemroom.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StftTest {

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of(2048, 512, "hann"),
                Arguments.of(2048, 1024, "hann"),
                Arguments.of(4096, 1024, "hann"),
                Arguments.of(1024, 256, "sqrtHann"),
                Arguments.of(1024, 512, "sqrtHann"),
                Arguments.of(512, 128, "blackmanHarris"),
                Arguments.of(512, 256, "kaiser"),
                Arguments.of(1000, 250, "hann"),   // non power of two
                Arguments.of(256, 100, "hann"));   // hop does not divide n_fft
    }

    static float[] window(String name, int n) {
        switch (name) {
            case "hann": return Window.hann(n);
            case "sqrtHann": return Window.sqrtHann(n);
            case "blackmanHarris": return Window.blackmanHarris(n, true);
            case "kaiser": return Window.kaiser(n, 8, true);
            default: throw new IllegalArgumentException(name);
        }
    }

    static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (2 * r.nextDouble() - 1);
        return x;
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void offlineRoundTripIsExact(int nFft, int hop, String win) {
        Stft stft = new Stft(nFft, hop, window(win, nFft));
        for (int len : new int[] {20_000, 20_000 + hop / 3, 7}) {
            for (Stft.Padding pad : Stft.Padding.values()) {
                if (pad == Stft.Padding.REFLECT && len <= nFft / 2) continue;
                float[] x = noise(len, len * 31L + nFft);
                Spectrogram s = stft.analyze(x, pad);
                assertEquals(stft.frameCount(len), s.frames());
                float[] y = stft.synthesize(s, len);
                double maxErr = 0;
                for (int i = 0; i < len; i++) maxErr = Math.max(maxErr, Math.abs(x[i] - y[i]));
                assertEquals(0, maxErr, 1e-5, win + " " + nFft + "/" + hop + " len " + len + " " + pad);
            }
        }
    }

    /**
     * The synthesis frame by frame ({@code beginFrames}, {@code addFrame} of each frame's inverse transform by RealFft,
     * {@code endFrames}: the separation's Wiener step makes the inverses itself) gives the bits of {@code synthesize},
     * on spectra that are not an analysis's (random gains, non-zero imaginary parts at DC and Nyquist, which both
     * ignore), on a fresh instance and on one reused for other lengths; and it inverts an analysis (within 1e-5).
     */
    @ParameterizedTest
    @MethodSource("configurations")
    void framesAddedOneByOneGiveTheBitsOfTheSynthesis(int nFft, int hop, String win) {
        Stft split = new Stft(nFft, hop, window(win, nFft));
        Stft reused = new Stft(nFft, hop, window(win, nFft));
        RealFft fft = new RealFft(nFft);
        Random r = new Random(nFft * 7L + hop);
        for (int len : new int[] {20_000, 9_000 + hop / 3, 20_000, 7}) {
            float[] x = noise(len, len * 17L + hop);
            Spectrogram s = split.analyze(x, Stft.Padding.ZERO);
            int bins = split.bins(), frames = s.frames();
            // the analysis as it is: the synthesis of its frames inverts it
            float[] back = new float[len];
            byFrames(reused, fft, s, back);
            for (int i = 0; i < len; i++) assertEquals(x[i], back[i], 1e-5, win + " " + nFft + "/" + hop + " sample " + i);
            // then masked at random, with imaginary parts at DC and Nyquist
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    float g = (float) r.nextDouble();
                    s.re(f)[b] *= g;
                    s.im(f)[b] *= g;
                }
                s.im(f)[0] = (float) r.nextGaussian();
                s.im(f)[bins - 1] = (float) r.nextGaussian();
            }
            float[] want = new float[len], fresh = new float[len], again = new float[len];
            split.synthesize(s, want);
            byFrames(new Stft(nFft, hop, window(win, nFft)), fft, s, fresh);
            byFrames(reused, fft, s, again);
            for (int i = 0; i < len; i++) {
                String what = win + " " + nFft + "/" + hop + " length " + len + " sample " + i;
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(fresh[i]), what);
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(again[i]), what + " (reused)");
            }
        }
        assertThrows(IllegalStateException.class, () -> reused.endFrames(new float[7]));
    }

    /** The synthesis of {@code s} into {@code out} frame by frame, each inverted by {@code fft}. */
    private static void byFrames(Stft stft, RealFft fft, Spectrogram s, float[] out) {
        float[] time = new float[stft.nFft()];
        stft.beginFrames(s.frames());
        for (int f = 0; f < s.frames(); f++) {
            fft.inverse(s.re(f), s.im(f), time);
            stft.addFrame(time, f);
        }
        stft.endFrames(out);
    }

    /** Against a direct DFT of the documented framing (centred, zero-padded, unscaled, frame-start phase). */
    @Test
    void framingMatchesTheDocumentedDefinition() {
        int nFft = 64, hop = 16, len = 300;
        float[] x = noise(len, 5);
        float[] w = Window.hann(nFft);
        Spectrogram s = new Stft(nFft, hop, w).analyze(x);
        for (int k : new int[] {0, 1, 7, s.frames() - 1}) {
            for (int b : new int[] {0, 3, 32}) {
                double sr = 0, si = 0;
                for (int n = 0; n < nFft; n++) {
                    int i = k * hop - nFft / 2 + n;
                    double v = i >= 0 && i < len ? x[i] * w[n] : 0;
                    sr += v * Math.cos(-2 * Math.PI * b * n / nFft);
                    si += v * Math.sin(-2 * Math.PI * b * n / nFft);
                }
                assertEquals(sr, s.re(k)[b], 1e-4, "re frame " + k + " bin " + b);
                assertEquals(si, s.im(k)[b], 1e-4, "im frame " + k + " bin " + b);
            }
        }
        // reflect padding mirrors without repeating the edge: frame 0's first sample is x[nFft/2]
        Spectrogram r = new Stft(nFft, hop, Window.kaiser(nFft, 0, true)).analyze(x, Stft.Padding.REFLECT);
        double dc = 0;
        for (int n = 0; n < nFft; n++) {
            int i = n - nFft / 2;
            dc += x[Math.abs(i)];
        }
        assertEquals(dc, r.re(0)[0], 1e-4);
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void streamingRoundTripIsExactAfterItsLatency(int nFft, int hop, String win) {
        Stft stft = new Stft(nFft, hop, window(win, nFft));
        Stft.Analyzer an = stft.newAnalyzer();
        Stft.Synthesizer syn = stft.newSynthesizer();
        int len = 30_000;
        float[] x = noise(len, nFft + hop);
        float[] y = new float[len + nFft];
        float[] re = new float[stft.bins()], im = new float[stft.bins()];
        int written = 0, off = 0;
        Random blocks = new Random(1);
        while (off < len) {
            int n = Math.min(len - off, 1 + blocks.nextInt(700)); // irregular host block sizes
            while (n > 0) {
                int took = an.push(x, off, n);
                off += took;
                n -= took;
                while (an.pull(re, im)) {
                    syn.push(re, im, y, written);
                    written += hop;
                }
            }
        }
        int lat = stft.streamingLatency();
        double maxErr = 0;
        for (int i = 0; i + lat < written; i++) maxErr = Math.max(maxErr, Math.abs(x[i] - y[i + lat]));
        for (int i = 0; i < Math.min(lat, written); i++) maxErr = Math.max(maxErr, Math.abs(y[i]));
        assertEquals(0, maxErr, 1e-5);
    }

    @Test
    void streamingFramesEqualOfflineFramesShifted() {
        int nFft = 1024, hop = 256;
        Stft stft = new Stft(nFft, hop);
        float[] x = noise(8000, 9);
        Spectrogram off = stft.analyze(x);
        Stft.Analyzer an = stft.newAnalyzer();
        float[] re = new float[stft.bins()], im = new float[stft.bins()];
        int pos = 0, m = 0;
        int shift = 1 - nFft / (2 * hop);
        while (pos < x.length) {
            pos += an.push(x, pos, x.length - pos);
            while (an.pull(re, im)) {
                int k = m + shift;
                if (k >= 0 && k < off.frames()) {
                    for (int b = 0; b < stft.bins(); b++) {
                        assertEquals(off.re(k)[b], re[b], 1e-3, "frame " + m + " bin " + b);
                        assertEquals(off.im(k)[b], im[b], 1e-3, "frame " + m + " bin " + b);
                    }
                }
                m++;
            }
        }
    }

    @Test
    void streamingAllocatesNothing() {
        Stft stft = new Stft(2048, 512);
        Stft.Analyzer an = stft.newAnalyzer();
        Stft.Synthesizer syn = stft.newSynthesizer();
        float[] x = noise(4096, 2);
        float[] y = new float[4096];
        float[] re = new float[stft.bins()], im = new float[stft.bins()];
        Runnable block = () -> {
            int off = 0, w = 0;
            while (off < x.length) {
                off += an.push(x, off, x.length - off);
                while (an.pull(re, im)) {
                    syn.push(re, im, y, w);
                    w += 512;
                }
            }
        };
        assertEquals(0, AllocationMeter.measure(block, 200));
    }

    @Test
    void reusedInstanceSynthesizesEveryLengthAsAFreshOne() {
        // synthesize keeps its squared-window sum for the next signal of as many frames: alternating lengths on one
        // instance must give the same bits as a fresh instance each time
        Random r = new Random(11);
        Stft reused = new Stft(6144, 1024);
        for (int len : new int[] {50_000, 50_000, 20_000, 50_000, 20_001, 20_000, 50_000}) {
            float[] x = new float[len];
            for (int i = 0; i < len; i++) x[i] = (float) r.nextGaussian();
            Stft fresh = new Stft(6144, 1024);
            Spectrogram s = fresh.analyze(x, Stft.Padding.REFLECT);
            float[] expected = fresh.synthesize(s, len);
            float[] got = reused.synthesize(s, len);
            for (int i = 0; i < len; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]), "length " + len + " sample " + i);
            }
            double err = 0;
            for (int i = 0; i < len; i++) err = Math.max(err, Math.abs(got[i] - x[i]));
            assertEquals(0, err, 1e-5, "round trip of " + len + " samples");
        }
    }

    @Test
    void rejectsHopsThatLoseSamples() {
        assertThrows(IllegalArgumentException.class, () -> new Stft(1024, 1024));
        assertThrows(IllegalArgumentException.class, () -> new Stft(1024, 256, new float[512]));
        assertThrows(IllegalArgumentException.class, () -> new Stft(1024, 256, new float[1024]));
    }

    /**
     * The interleaved streaming path (added for the upmixer) against the split one, which the round-trip tests
     * above check against the input: the same spectra and the same output samples, bit for bit, with a per-bin
     * gain applied between analysis and synthesis and junk in the imaginary parts of DC and Nyquist (both paths
     * must ignore it).
     */
    @ParameterizedTest
    @MethodSource("configurations")
    void interleavedStreamingEqualsSplitBitForBit(int nFft, int hop, String win) {
        if (Integer.bitCount(nFft) != 1) return; // power-of-two sizes only (checked below)
        Stft stft = new Stft(nFft, hop, window(win, nFft));
        Stft.Analyzer an = stft.newAnalyzer(), anI = stft.newAnalyzer();
        Stft.Synthesizer syn = stft.newSynthesizer(), synI = stft.newSynthesizer();
        int bins = stft.bins();
        float[] re = new float[bins], im = new float[bins], spec = new float[nFft + 2];
        float[] gain = noise(bins, 77);
        int len = 12_000;
        float[] x = noise(len, nFft * 3L + hop);
        float[] y = new float[len + nFft], yI = new float[len + nFft];
        int written = 0, off = 0, frames = 0;
        while (off < len) {
            int took = an.push(x, off, Math.min(len - off, 333));
            assertEquals(took, anI.push(x, off, took));
            off += took;
            while (an.pull(re, im)) {
                assertEquals(true, anI.pullInterleaved(spec));
                for (int k = 0; k < bins; k++) {
                    assertEquals(Float.floatToIntBits(re[k]), Float.floatToIntBits(spec[2 * k]), "re " + k);
                    assertEquals(Float.floatToIntBits(im[k]), Float.floatToIntBits(spec[2 * k + 1]), "im " + k);
                    re[k] *= gain[k];
                    im[k] *= gain[k];
                    spec[2 * k] *= gain[k];
                    spec[2 * k + 1] *= gain[k];
                }
                im[0] = spec[1] = 0.25f;
                im[bins - 1] = spec[2 * bins - 1] = -0.5f;
                syn.push(re, im, y, written);
                synI.pushInterleaved(spec, yI, written);
                written += hop;
                frames++;
            }
        }
        assertEquals(false, anI.pullInterleaved(spec));
        assertEquals(true, frames > 3);
        for (int i = 0; i < written; i++) assertEquals(Float.floatToIntBits(y[i]), Float.floatToIntBits(yI[i]), "sample " + i);
    }

    @Test
    void interleavedNeedsAPowerOfTwoAndRoomForNyquist() {
        Stft.Analyzer an = new Stft(1000, 250).newAnalyzer();
        assertEquals(250, an.push(new float[250], 0, 250));
        assertThrows(IllegalStateException.class, () -> an.pullInterleaved(new float[1002]));
        RealFft fft = new RealFft(1024);
        assertThrows(IllegalArgumentException.class, () -> fft.forwardInterleaved(new float[1025]));
        assertThrows(IllegalArgumentException.class, () -> fft.inverseInterleaved(new float[1024]));
    }

    /**
     * The analysis gives every frame's spectrum, bit for bit, as the frame windowed sample by sample here (zero outside
     * the signal) and transformed by {@link RealFft#forward}: the interior frames' windowing (a copy, then the window in
     * place) makes the same products. Values of every kind in the signal: -0, subnormals, large and tiny.
     */
    @ParameterizedTest
    @MethodSource("configurations")
    void analysisFramesAreTheWindowedSamplesTransformedBitForBit(int nFft, int hop, String windowName) {
        float[] x = noise(9 * nFft + 37, nFft + hop);
        for (int i = 0; i < x.length; i += 53) x[i] = -0f;
        for (int i = 7; i < x.length; i += 71) x[i] = Float.MIN_VALUE;
        for (int i = 11; i < x.length; i += 97) x[i] = i % 2 == 0 ? 3e30f : -1e-30f;
        float[] w = window(windowName, nFft);
        Stft stft = new Stft(nFft, hop, w);
        Spectrogram spec = stft.analyze(x, Stft.Padding.ZERO);
        RealFft fft = new RealFft(nFft);
        float[] frame = new float[nFft], re = new float[nFft / 2 + 1], im = new float[nFft / 2 + 1];
        for (int k = 0; k < spec.frames(); k++) {
            int start = k * hop - nFft / 2;
            for (int n = 0; n < nFft; n++) {
                int i = start + n;
                frame[n] = (i >= 0 && i < x.length ? x[i] : 0f) * w[n];
            }
            fft.forward(frame, re, im);
            for (int b = 0; b < re.length; b++) {
                assertEquals(Float.floatToRawIntBits(re[b]), Float.floatToRawIntBits(spec.re(k)[b]), "frame " + k + " bin " + b);
                assertEquals(Float.floatToRawIntBits(im[b]), Float.floatToRawIntBits(spec.im(k)[b]), "frame " + k + " bin " + b);
            }
        }
    }
}
