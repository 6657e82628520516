package org.stemroom.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.core.dsp.Window;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.onnx.ModelManifest;
import org.stemroom.separation.onnx.OnnxSeparator;

/**
 * The exported model through the project's ONNX runner equals the plain-Java forward pass of the same network
 * (with the runner's segmenting and blending re-done in Java), and its stems sum to the mixture.
 */
class ExportTest {
    @TempDir
    Path dir;

    static UnmixNet randomNet(UnmixConfig c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] mean = new float[c.featureSize()], inv = new float[c.featureSize()];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) r.nextDouble(-6, -2);
            inv[i] = (float) r.nextDouble(0.3, 0.6);
        }
        UnmixNet n = UnmixNet.initialize(c, seed, mean, inv);
        // biases and a large output layer so the masks are far from uniform
        for (Map.Entry<String, float[]> e : n.params.entrySet()) {
            float[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                v[i] = e.getKey().startsWith("b") ? (float) r.nextDouble(-0.5, 0.5) : v[i] * (e.getKey().equals("w3") ? 8 : 1);
            }
        }
        return n;
    }

    /**
     * Stereo, several overlapping segments: the runner's stems against Java's, max error below 2e-5 of the
     * mixture's peak (float32 graph against a double reference, through the same STFT); each stem differs from
     * the mixture and the stems sum to the mixture within 1e-5.
     */
    @Test
    void exportedModelThroughTheRunnerEqualsTheJavaForwardPass() throws Exception {
        UnmixConfig c = TrainingTest.TINY;
        UnmixNet net = randomNet(c, 4);
        int seg = 32;
        ModelExport.write(net, seg, dir, "test");
        Song song = new SyntheticSongs(1, 8000, 2.0, 5).song(0);
        AudioClip mix = new AudioClip(AudioFormat.of(8000, 2), song.mixture());
        StemSet got;
        try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(dir.resolve("manifest.json")))) {
            assertEquals(c.stems(), sep.stemNames());
            got = sep.separate(mix);
        }
        List<float[][]> want = javaSeparate(net, song.mixture(), seg, ModelExport.OVERLAP);
        double peak = 0, err = 0, sumErr = 0, minDiff = Double.MAX_VALUE;
        for (float[] ch : song.mixture()) for (float v : ch) peak = Math.max(peak, Math.abs(v));
        for (int s = 0; s < c.stems().size(); s++) {
            double diffFromMix = 0;
            for (int ch = 0; ch < 2; ch++) {
                float[] g = got.get(c.stems().get(s)).channel(ch), w = want.get(s)[ch];
                for (int i = 0; i < g.length; i++) {
                    err = Math.max(err, Math.abs(g[i] - w[i]));
                    diffFromMix = Math.max(diffFromMix, Math.abs(g[i] - song.mixture()[ch][i]));
                }
            }
            minDiff = Math.min(minDiff, diffFromMix);
        }
        for (int ch = 0; ch < 2; ch++) {
            for (int i = 0; i < mix.frames(); i++) {
                double sum = 0;
                for (String s : c.stems()) sum += got.get(s).channel(ch)[i];
                sumErr = Math.max(sumErr, Math.abs(sum - song.mixture()[ch][i]));
            }
        }
        System.out.printf("export: runner vs Java forward max error %.2e (peak %.3f), stems sum error %.2e%n", err, peak, sumErr);
        assertTrue(err < 2e-5 * peak, "runner vs Java forward: " + err);
        assertTrue(sumErr < 1e-5, "stems must sum to the mixture: " + sumErr);
        assertTrue(minDiff > 0.05 * peak, "masks must be far from trivial");
    }

    /** A mono master through the stereo model stays mono and equals the Java pass with "other channel = self". */
    @Test
    void monoMasterStaysMono() throws Exception {
        UnmixConfig c = TrainingTest.TINY;
        UnmixNet net = randomNet(c, 9);
        ModelExport.write(net, 32, dir, "test");
        float[] m = SongFrames.downmix(new SyntheticSongs(1, 8000, 1.5, 6).song(0).mixture())[0];
        StemSet got;
        try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(dir.resolve("manifest.json")))) {
            got = sep.separate(new AudioClip(AudioFormat.of(8000, 1), new float[][] {m}));
        }
        assertEquals(1, got.channels());
        List<float[][]> want = javaSeparate(net, new float[][] {m}, 32, ModelExport.OVERLAP);
        double err = 0, peak = 0;
        for (float v : m) peak = Math.max(peak, Math.abs(v));
        for (int s = 0; s < c.stems().size(); s++) {
            float[] g = got.get(c.stems().get(s)).channel(0);
            for (int i = 0; i < g.length; i++) err = Math.max(err, Math.abs(g[i] - want.get(s)[0][i]));
        }
        System.out.printf("export mono: runner vs Java forward max error %.2e (peak %.3f)%n", err, peak);
        assertTrue(err < 2e-5 * peak, "mono: " + err);
    }

    /**
     * Plain-Java separation with the runner's framing: segments of {@code seg} frames every
     * {@code round(seg (1 - overlap))}, frames past the end zero, context clamped inside each segment (the
     * graph's edge padding), masks blended with the runner's triangle weights, mixture phase, inverse STFT.
     */
    static List<float[][]> javaSeparate(UnmixNet net, float[][] x, int seg, double overlap) {
        UnmixConfig c = net.config;
        int ch = x.length, st = c.stems().size(), bins = c.bins();
        Stft stft = new Stft(c.nFft(), c.hop(), Window.hann(c.nFft()));
        Spectrogram[] xs = new Spectrogram[ch];
        for (int k = 0; k < ch; k++) xs[k] = stft.analyze(x[k], Stft.Padding.ZERO);
        int frames = xs[0].frames();
        int stride = Math.max(1, (int) Math.round(seg * (1 - overlap)));
        double[] w = new double[seg];
        int half = seg / 2;
        for (int i = 0; i < seg; i++) w[i] = (i < half ? i + 1 : seg - i) / (float) Math.max(1, Math.max(half, seg - half));
        double[][][][] mask = new double[st][ch][frames][bins];
        double[] wsum = new double[frames];
        List<Integer> offsets = new ArrayList<>();
        for (int off = 0; ; off += stride) {
            offsets.add(off);
            if (off + seg >= frames) break;
        }
        // a mono master goes through the stereo model as two equal channels and the stems are averaged back
        int modelCh = 2;
        for (int off : offsets) {
            float[][][] mag = new float[modelCh][seg][bins];
            for (int k = 0; k < modelCh; k++) {
                Spectrogram s = xs[Math.min(k, ch - 1)];
                for (int t = 0; t < seg && off + t < frames; t++) {
                    for (int b = 0; b < bins; b++) mag[k][t][b] = (float) Math.hypot(s.re(off + t)[b], s.im(off + t)[b]);
                }
            }
            float[] row = new float[c.featureSize()];
            for (int t = 0; t < seg && off + t < frames; t++) {
                for (int k = 0; k < modelCh; k++) {
                    UnmixNet.gatherRow(c, mag, k, t, row, 0);
                    double[] m = net.forwardRow(row);
                    for (int s = 0; s < st; s++) {
                        for (int b = 0; b < bins; b++) mask[s][Math.min(k, ch - 1)][off + t][b] += w[t] * m[s * bins + b] / (ch == 1 ? 2 : 1);
                    }
                }
                wsum[off + t] += w[t];
            }
        }
        List<float[][]> out = new ArrayList<>();
        for (int s = 0; s < st; s++) {
            float[][] y = new float[ch][];
            for (int k = 0; k < ch; k++) {
                Spectrogram sp = new Spectrogram(frames, bins);
                for (int t = 0; t < frames; t++) {
                    for (int b = 0; b < bins; b++) {
                        double m = mask[s][k][t][b] / wsum[t];
                        sp.re(t)[b] = (float) (m * xs[k].re(t)[b]);
                        sp.im(t)[b] = (float) (m * xs[k].im(t)[b]);
                    }
                }
                y[k] = stft.synthesize(sp, x[k].length);
            }
            out.add(y);
        }
        return out;
    }
}
