package org.stemroom.separation.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.core.dsp.Window;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSet;

/** Every family end to end with models built here, against outputs computed independently. */
class OnnxSeparatorTest {
    @TempDir
    Path dir;

    static AudioClip noise(int rate, int ch, int n, long seed, float dc) {
        Random r = new Random(seed);
        float[][] x = new float[ch][n];
        for (int c = 0; c < ch; c++) for (int i = 0; i < n; i++) x[c][i] = (float) (0.2 * r.nextGaussian()) + dc * (c + 1);
        return new AudioClip(AudioFormat.of(rate, ch), x);
    }

    Path write(String name, byte[] model) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, model);
        return p;
    }

    Path manifest(String name, String json) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    static double maxDiff(float[] a, float[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]));
        return w;
    }

    /** out = unsqueeze(mix, 1) * gains: [B, C, T] -> [B, S, C, T]. */
    static byte[] waveformGainModel(int channels, int seg, float[] gains) {
        return new OnnxGraphBuilder()
                .input("mix", -1, channels, seg)
                .constantLong("axes", new long[] {1}, 1)
                .constant("gains", gains, 1, gains.length, 1, 1)
                .node("Unsqueeze", new String[] {"mix", "axes"}, new String[] {"u"})
                .node("Mul", new String[] {"u", "gains"}, new String[] {"stems"})
                .output("stems", -1, gains.length, channels, seg)
                .build();
    }

    @Test
    void waveformFamilyWithDemucsNormalisationOverlapAndBatching() throws Exception {
        write("wave.onnx", waveformGainModel(2, 4410, new float[] {0.25f, 0.75f}));
        Path mf = manifest("wave.json", "{\"family\":\"waveform\",\"model\":\"wave.onnx\",\"sampleRate\":44100,"
                + "\"channels\":2,\"stems\":[\"a\",\"b\"],\"segmentSeconds\":0.1,\"overlap\":0.25,\"batch\":3,"
                + "\"normalize\":\"track-mono-meanstd\",\"session\":{\"intraOpThreads\":1}}");
        AudioClip x = noise(44100, 2, 54321, 1, 0.05f);
        try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(mf))) {
            StemSet s = sep.separate(x);
            assertEquals(List.of("a", "b"), s.names());
            // stem = g (x - m) + m with m the mono mean: the normalisation round trip is exact except for the gain
            double mean = 0;
            for (int i = 0; i < x.frames(); i++) mean += 0.5 * (x.channel(0)[i] + x.channel(1)[i]);
            mean /= x.frames();
            double worst = 0;
            float[] g = {0.25f, 0.75f};
            for (int k = 0; k < 2; k++) {
                for (int c = 0; c < 2; c++) {
                    float[] y = s.get(k == 0 ? "a" : "b").channel(c);
                    for (int i = 0; i < x.frames(); i++) {
                        worst = Math.max(worst, Math.abs(y[i] - (g[k] * (x.channel(c)[i] - mean) + mean)));
                    }
                }
            }
            assertTrue(worst < 2e-6, "waveform family error " + worst);
        }
    }

    @Test
    void waveformMonoInputToStereoModelStaysMonoAndOtherRatesAreResampled() throws Exception {
        write("id.onnx", waveformGainModel(2, 4800, new float[] {1f}));
        Path mf = manifest("id.json", "{\"family\":\"waveform\",\"model\":\"id.onnx\",\"sampleRate\":48000,"
                + "\"channels\":2,\"stems\":[\"all\"],\"segmentSeconds\":0.1,\"overlap\":0.5,\"batch\":2}");
        // a 1 kHz tone at 44.1 kHz goes through a 48 kHz identity model and comes back unchanged
        int n = 44100;
        float[] t = new float[n];
        for (int i = 0; i < n; i++) t[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 44100.0));
        AudioClip x = new AudioClip(AudioFormat.of(44100, 1), new float[][] {t});
        try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(mf))) {
            StemSet s = sep.separate(x);
            assertEquals(1, s.channels(), "mono stays mono");
            assertEquals(n, s.frames());
            double worst = 0;
            for (int i = 2000; i < n - 2000; i++) worst = Math.max(worst, Math.abs(s.get("all").channel(0)[i] - t[i]));
            assertTrue(worst < 1e-3, "resampled identity error " + worst);
        }
    }

    static float[][] binMasks(int bins, int split) {
        float[] lo = new float[bins], hi = new float[bins];
        for (int b = 0; b < bins; b++) { lo[b] = b < split ? 1f : 0f; hi[b] = 1f - lo[b]; }
        return new float[][] {lo, hi};
    }

    static float[] expectedMasked(float[] x, Stft stft, Stft.Padding pad, float[] mask, int keptBins) {
        Spectrogram s = stft.analyze(x, pad);
        for (int f = 0; f < s.frames(); f++) {
            for (int b = 0; b < s.bins(); b++) {
                float m = b < keptBins ? mask[b] : 0f;
                s.re(f)[b] *= m;
                s.im(f)[b] *= m;
            }
        }
        return stft.synthesize(s, x.length);
    }

    @Test
    void magnitudeFamilyMagnitudeAndMaskOutputsWithMixturePhase() throws Exception {
        int nFft = 2048, bins = 1025, frames = 64, split = 100;
        float[][] masks = binMasks(bins, split);
        float[] both = new float[2 * bins];
        System.arraycopy(masks[0], 0, both, 0, bins);
        System.arraycopy(masks[1], 0, both, bins, bins);
        write("mag.onnx", new OnnxGraphBuilder()
                .input("mag", -1, 2, bins, frames)
                .constantLong("axes", new long[] {1}, 1)
                .constant("mask", both, 1, 2, 1, bins, 1)
                .node("Unsqueeze", new String[] {"mag", "axes"}, new String[] {"u"})
                .node("Mul", new String[] {"u", "mask"}, new String[] {"est"})
                .output("est", -1, 2, 2, bins, frames).build());
        write("mask.onnx", new OnnxGraphBuilder()
                .input("mag", -1, 2, bins, frames)
                .constantLong("axes", new long[] {1}, 1)
                .constant("zero", new float[] {0f}, 1)
                .constant("mask", both, 1, 2, 1, bins, 1)
                .node("Unsqueeze", new String[] {"mag", "axes"}, new String[] {"u"})
                .node("Mul", new String[] {"u", "zero"}, new String[] {"z"})
                .node("Add", new String[] {"z", "mask"}, new String[] {"est"})
                .output("est", -1, 2, 2, bins, frames).build());
        AudioClip x = noise(44100, 2, 3 * 44100 + 77, 2, 0f);
        Stft stft = new Stft(nFft, 512, Window.hann(nFft));
        for (String kind : new String[] {"magnitude", "mask"}) {
            Path mf = manifest(kind + ".json", "{\"family\":\"magnitude\",\"model\":\"" + (kind.equals("mask") ? "mask" : "mag")
                    + ".onnx\",\"sampleRate\":44100,\"channels\":2,\"stems\":[\"low\",\"high\"],\"outputKind\":\"" + kind
                    + "\",\"stft\":{\"nFft\":2048,\"hop\":512,\"window\":\"hann\",\"padding\":\"reflect\"},"
                    + "\"segmentFrames\":64,\"overlap\":0.25,\"batch\":4}");
            try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(mf))) {
                StemSet s = sep.separate(x);
                for (int c = 0; c < 2; c++) {
                    float[] lo = expectedMasked(x.channel(c), stft, Stft.Padding.REFLECT, masks[0], bins);
                    float[] hi = expectedMasked(x.channel(c), stft, Stft.Padding.REFLECT, masks[1], bins);
                    assertTrue(maxDiff(lo, s.get("low").channel(c)) < 1e-5, kind + " low " + maxDiff(lo, s.get("low").channel(c)));
                    assertTrue(maxDiff(hi, s.get("high").channel(c)) < 1e-5, kind + " high");
                }
                assertTrue(s.consistencyError(x) < 1e-5, "complementary masks sum to the mixture");
            }
        }
    }

    @Test
    void complexFamilyCropsBinsKeepsChannelOrderAndAddsTheComplement() throws Exception {
        int nFft = 1024, kept = 256, frames = 32;
        // per-plane gains [L.re, L.im, R.re, R.im]: a wrong plane order would mix the gains of re and im
        write("mdx.onnx", new OnnxGraphBuilder()
                .input("spec", -1, 4, kept, frames)
                .constant("g", new float[] {0.5f, 0.5f, 0.25f, 0.25f}, 1, 4, 1, 1)
                .node("Mul", new String[] {"spec", "g"}, new String[] {"out"})
                .output("out", -1, 4, kept, frames).build());
        Path mf = manifest("mdx.json", "{\"family\":\"complex\",\"model\":\"mdx.onnx\",\"sampleRate\":44100,\"channels\":2,"
                + "\"stems\":[\"vocals\"],\"complementStem\":\"instrumental\",\"stft\":{\"nFft\":1024,\"hop\":256,"
                + "\"window\":\"hann\",\"padding\":\"reflect\",\"binsKept\":256},\"segmentFrames\":32,\"overlap\":0.5,\"batch\":2}");
        AudioClip x = noise(44100, 2, 44100, 3, 0f);
        Stft stft = new Stft(nFft, 256);
        float[] ones = new float[nFft / 2 + 1];
        java.util.Arrays.fill(ones, 1f);
        try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(mf))) {
            StemSet s = sep.separate(x);
            assertEquals(List.of("vocals", "instrumental"), s.names());
            float[] gains = {0.5f, 0.25f};
            for (int c = 0; c < 2; c++) {
                float[] e = expectedMasked(x.channel(c), stft, Stft.Padding.REFLECT, ones, kept);
                for (int i = 0; i < e.length; i++) e[i] *= gains[c];
                assertTrue(maxDiff(e, s.get("vocals").channel(c)) < 1e-5, "complex family channel " + c);
            }
            assertTrue(s.consistencyError(x) < 1e-6);
        }
    }

    @Test
    void aModelWhoseOutputShapeDiffersAtRunTimeGetsAClearError() throws Exception {
        // the graph declares dynamic batch and bin axes and reshapes [1, 4, 256, 32] to [2, 4, 128, 32]: the shape
        // check at load cannot see it, only the run does (ONNX Runtime refuses to write it into the pinned output)
        write("crop.onnx", new OnnxGraphBuilder()
                .input("spec", -1, 4, 256, 32)
                .constantLong("shape", new long[] {2, 4, -1, 32}, 4)
                .node("Reshape", new String[] {"spec", "shape"}, new String[] {"out"})
                .output("out", -1, 4, -1, 32).build());
        Path mf = manifest("crop.json", "{\"family\":\"complex\",\"model\":\"crop.onnx\",\"sampleRate\":44100,"
                + "\"channels\":2,\"stems\":[\"vocals\"],\"stft\":{\"nFft\":1024,\"hop\":256,\"window\":\"hann\","
                + "\"padding\":\"reflect\",\"binsKept\":256},\"segmentFrames\":32,\"overlap\":0.5,\"batch\":1}");
        try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(mf))) {
            StemroomException e = assertThrows(StemroomException.class, () -> sep.separate(noise(44100, 2, 22050, 4, 0f)));
            assertTrue(e.getMessage().contains("crop.onnx") && e.getMessage().contains("[1, 4, 256, 32]"), e.getMessage());
        }
    }

    /** enh = (frame + previous frame) / 2, the previous frame carried as a state tensor. */
    static byte[] averagingStatefulModel(int bins) {
        return new OnnxGraphBuilder()
                .input("mix", 1, bins, 1, 2)
                .input("cache", 1, bins, 1, 2)
                .constant("half", new float[] {0.5f}, 1)
                .node("Add", new String[] {"mix", "cache"}, new String[] {"s"})
                .node("Mul", new String[] {"s", "half"}, new String[] {"enh"})
                .node("Identity", new String[] {"mix"}, new String[] {"cache_out"})
                .output("enh", 1, bins, 1, 2)
                .output("cache_out", 1, bins, 1, 2).build();
    }

    @Test
    void statefulFamilyCarriesStateFromFrameToFrame() throws Exception {
        write("gt.onnx", averagingStatefulModel(257));
        Path mf = manifest("gt.json", "{\"family\":\"stateful\",\"sampleRate\":16000,\"channels\":1,\"stems\":[\"speech\"],"
                + "\"complementStem\":\"noise\",\"stft\":{\"nFft\":512,\"hop\":256,\"window\":\"sqrt-hann\"},"
                + "\"stages\":[{\"model\":\"gt.onnx\",\"kind\":\"complex-frame\",\"input\":\"mix\",\"output\":\"enh\","
                + "\"states\":[{\"input\":\"cache\",\"output\":\"cache_out\",\"shape\":[1,257,1,2]}]}]}");
        AudioClip x = noise(16000, 1, 16000, 4, 0f);
        try (StatefulOnnxSeparator sep = new StatefulOnnxSeparator(ModelManifest.read(mf))) {
            StemSet s = sep.separate(x);
            // averaging STFT frame t with frame t-1 is the STFT of (x[n] + x[n-hop]) / 2: exact expectation
            float[] y = s.get("speech").channel(0), in = x.channel(0);
            double worst = 0;
            for (int i = 0; i < y.length; i++) {
                double e = 0.5 * (in[i] + (i >= 256 ? in[i - 256] : 0));
                worst = Math.max(worst, Math.abs(y[i] - e));
            }
            assertTrue(worst < 1e-5, "stateful error " + worst);
            assertTrue(s.consistencyError(x) < 1e-6);
            assertTrue(sep.framesRun() >= 16000 / 256);
        }
    }

    @Test
    void twoStageBlockPipelineOverlapAddsLikeDtln() throws Exception {
        write("s1.onnx", new OnnxGraphBuilder().input("mag", 1, 1, 257)
                .constant("zero", new float[] {0f}, 1).constant("one", new float[] {1f}, 1)
                .node("Mul", new String[] {"mag", "zero"}, new String[] {"z"})
                .node("Add", new String[] {"z", "one"}, new String[] {"mask"})
                .output("mask", 1, 1, 257).build());
        write("s2.onnx", new OnnxGraphBuilder().input("block", 1, 1, 512)
                .constant("q", new float[] {0.25f}, 1)
                .node("Mul", new String[] {"block", "q"}, new String[] {"out"})
                .output("out", 1, 1, 512).build());
        Path mf = manifest("dtln.json", "{\"family\":\"stateful\",\"sampleRate\":16000,\"channels\":1,\"stems\":[\"speech\"],"
                + "\"stft\":{\"nFft\":512,\"hop\":128,\"window\":\"rect\"},\"stages\":["
                + "{\"model\":\"s1.onnx\",\"kind\":\"magnitude-mask\"},{\"model\":\"s2.onnx\",\"kind\":\"waveform-block\"}]}");
        AudioClip x = noise(16000, 2, 8000, 5, 0f);
        try (StatefulOnnxSeparator sep = new StatefulOnnxSeparator(ModelManifest.read(mf))) {
            StemSet s = sep.separate(x);
            assertEquals(2, s.channels(), "stereo processed channel by channel");
            for (int c = 0; c < 2; c++) {
                assertTrue(maxDiff(x.channel(c), s.get("speech").channel(c)) < 1e-5, "unit mask and 1/4 OLA = identity");
            }
        }
    }

    @Test
    void wrongModelsGiveClearErrors() throws Exception {
        byte[] model = waveformGainModel(2, 4410, new float[] {1f, 1f});
        write("w.onnx", model);
        String sha = OnnxModel.sha256(dir.resolve("w.onnx"));
        String base = "\"family\":\"waveform\",\"channels\":2,\"stems\":[\"a\",\"b\"],\"segmentSeconds\":0.1";

        StemroomException missing = assertThrows(StemroomException.class, () -> OnnxSeparator.load(
                manifest("m1.json", "{" + base + ",\"model\":\"nope.onnx\",\"sampleRate\":44100}")));
        assertTrue(missing.getMessage().contains("nope.onnx") && missing.getMessage().contains("not found"), missing.getMessage());

        String wrongSha = "0".repeat(64);
        StemroomException checksum = assertThrows(StemroomException.class, () -> OnnxSeparator.load(
                manifest("m2.json", "{" + base + ",\"model\":\"w.onnx\",\"sha256\":\"" + wrongSha + "\",\"sampleRate\":44100}")));
        assertTrue(checksum.getMessage().contains(sha) && checksum.getMessage().contains(wrongSha), checksum.getMessage());

        Separator ok = OnnxSeparator.load(manifest("m3.json", "{" + base + ",\"model\":\"w.onnx\",\"sha256\":\"" + sha
                + "\",\"sampleRate\":44100}"));
        assertEquals(List.of("a", "b"), ok.stemNames());
        ((AutoCloseable) ok).close();

        StemroomException rate = assertThrows(StemroomException.class, () -> OnnxSeparator.load(
                manifest("m4.json", "{" + base + ",\"model\":\"w.onnx\",\"sampleRate\":48000}")));
        assertTrue(rate.getMessage().contains("[?, 2, 4410]") && rate.getMessage().contains("[?, 2, 4800]")
                && rate.getMessage().contains("sampleRate"), rate.getMessage());

        StemroomException shape = assertThrows(StemroomException.class, () -> OnnxSeparator.load(
                manifest("m5.json", "{\"family\":\"waveform\",\"channels\":1,\"stems\":[\"a\",\"b\"],\"segmentSeconds\":0.1,"
                        + "\"model\":\"w.onnx\",\"sampleRate\":44100}")));
        assertTrue(shape.getMessage().contains("channels=1"), shape.getMessage());

        StemroomException stems = assertThrows(StemroomException.class, () -> OnnxSeparator.load(
                manifest("m6.json", "{\"family\":\"waveform\",\"channels\":2,\"stems\":[\"a\",\"b\",\"c\"],\"segmentSeconds\":0.1,"
                        + "\"model\":\"w.onnx\",\"sampleRate\":44100}")));
        assertTrue(stems.getMessage().contains("stems=3"), stems.getMessage());

        StemroomException notJson = assertThrows(StemroomException.class, () -> OnnxSeparator.load(manifest("m7.json", "{oops")));
        assertTrue(notJson.getMessage().contains("m7.json"), notJson.getMessage());
    }
}
