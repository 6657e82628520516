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
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.Progress;
import org.stemroom.separation.Separation;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.StreamingSeparator;
import org.stemroom.separation.modelfree.WienerRefinement;
import org.stemroom.separation.onnx.HybridSeparator;
import org.stemroom.separation.onnx.ModelFreePrior;
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
                if (e.getKey().startsWith("b")) v[i] = (float) r.nextDouble(-0.5, 0.5);
                else if (e.getKey().equals("w3")) v[i] = c.hasPrior() ? (float) r.nextDouble(-0.3, 0.3) : v[i] * 8;
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
     * A hybrid network (model-free prior) through {@link HybridSeparator}, stereo and mono, against the plain-Java
     * forward pass fed with the same recipe's ratios ({@link ModelFreePrior}, a fresh recipe instance), the frame
     * count dynamic (2.1 s: no segment); max error below 2e-5 of the peak, stems summing to the mixture within 1e-5.
     */
    @Test
    void hybridModelThroughItsSeparatorEqualsTheJavaForwardPass() throws Exception {
        for (String prior : ModelFreePrior.RECIPES) hybridEqualsJavaForwardPass(prior);
    }

    private void hybridEqualsJavaForwardPass(String prior) throws Exception {
        UnmixConfig c = TrainingTest.TINY.withPrior(prior);
        UnmixNet net = randomNet(c, 12);
        ModelExport.write(net, 32, dir, "test");
        float[][] stereo = new SyntheticSongs(1, 8000, 2.1, 13).song(0).mixture();
        for (float[][] x : List.of(stereo, SongFrames.downmix(stereo))) {
            AudioClip clip = new AudioClip(AudioFormat.of(8000, x.length), x);
            StemSet got;
            try (HybridSeparator sep = (HybridSeparator) OnnxSeparator.load(dir.resolve("manifest.json"))) {
                assertEquals(c.stems(), sep.stemNames());
                got = sep.separate(clip);
            }
            assertEquals(x.length, got.channels());
            byte[][][][] q;
            if (ModelFreePrior.fromMasks(prior)) {
                byte[][][] one = new ModelFreePrior.MaskSampler(prior, c.stems(), c.nFft(), c.hop()).window(clip);
                q = x.length == 1 ? new byte[][][][] {one} : new byte[][][][] {one, one};
            } else {
                q = ModelFreePrior.ratios(ModelFreePrior.recipe(prior).separate(clip), c.stems(), c.nFft(), c.hop());
            }
            List<float[][]> want = javaHybrid(net, x, q);
            double peak = 0, err = 0, sumErr = 0, minDiff = Double.MAX_VALUE;
            for (float[] ch : x) for (float v : ch) peak = Math.max(peak, Math.abs(v));
            for (int s = 0; s < c.stems().size(); s++) {
                double diffFromMix = 0;
                for (int ch = 0; ch < x.length; ch++) {
                    float[] g = got.get(c.stems().get(s)).channel(ch), w = want.get(s)[ch];
                    for (int i = 0; i < g.length; i++) {
                        err = Math.max(err, Math.abs(g[i] - w[i]));
                        diffFromMix = Math.max(diffFromMix, Math.abs(g[i] - x[ch][i]));
                    }
                }
                minDiff = Math.min(minDiff, diffFromMix);
            }
            for (int ch = 0; ch < x.length; ch++) {
                for (int i = 0; i < x[ch].length; i++) {
                    double sum = 0;
                    for (String s : c.stems()) sum += got.get(s).channel(ch)[i];
                    sumErr = Math.max(sumErr, Math.abs(sum - x[ch][i]));
                }
            }
            System.out.printf("hybrid export (%s, %d ch): runner vs Java forward max error %.2e (peak %.3f), stems sum error %.2e%n",
                    prior, x.length, err, peak, sumErr);
            assertTrue(err < 2e-5 * peak, "hybrid runner vs Java forward: " + err);
            assertTrue(sumErr < 1e-5, "stems must sum to the mixture: " + sumErr);
            assertTrue(minDiff > 0.05 * peak, "masks must be far from trivial");
        }
    }

    /**
     * The neural separator as shipped (hybrid model + one Wiener iteration) streams exactly as it renders: the
     * plugin's streaming worker on the recipe's 1 s grid gives the same bits as {@code Separation} for every frame,
     * stereo and mono, at a length that is not a whole number of hops.
     */
    @Test
    void hybridStreamsExactlyAsItRenders() throws Exception {
        UnmixConfig c = TrainingTest.TINY.withPrior(ModelFreePrior.RECIPE);
        ModelExport.write(randomNet(c, 14), 32, dir, "test");
        float[][] stereo = new SyntheticSongs(1, 8000, 3.37, 15).song(0).mixture();
        for (float[][] x : List.of(stereo, SongFrames.downmix(stereo))) {
            AudioClip clip = new AudioClip(AudioFormat.of(8000, x.length), x);
            try (WienerRefinement sep = new WienerRefinement("neural", OnnxSeparator.load(dir.resolve("manifest.json")), 1)) {
                Separation render = new Separation(sep);
                assertEquals(1.0, render.chunkSeconds(), "the hybrid runs on the recipe's 1 s windows");
                StemSet ref = render.separate(clip, Progress.NONE);
                try (StreamingSeparator ss = new StreamingSeparator(new Separation(sep), 0.2)) {
                    int block = 300, ch = x.length, n = clip.frames();
                    ss.prepare(clip.format(), block);
                    ss.offline(true);
                    int lat = ss.latencyFrames(), k = ss.stemNames().size();
                    float[][] out = new float[k * ch][n];
                    AudioBuffer in = new AudioBuffer(ch, block), o = new AudioBuffer(k * ch, block);
                    for (long pos = 0; pos < n + lat; pos += block) {
                        for (int cc = 0; cc < ch; cc++) {
                            for (int i = 0; i < block; i++) in.channel(cc)[i] = pos + i < n ? x[cc][(int) (pos + i)] : 0f;
                        }
                        in.setFrames(block);
                        ss.process(in, o);
                        for (int j = 0; j < k * ch; j++) {
                            for (int i = 0; i < block; i++) {
                                long p = pos + i - lat;
                                if (p >= 0 && p < n) out[j][(int) p] = o.channel(j)[i];
                            }
                        }
                    }
                    assertEquals(0, ss.lateBlocks());
                    for (int s = 0; s < k; s++) {
                        for (int cc = 0; cc < ch; cc++) {
                            float[] r = ref.get(ss.stemNames().get(s)).channel(cc);
                            for (int i = 0; i < n; i++) {
                                if (r[i] != out[s * ch + cc][i]) {
                                    throw new AssertionError("stem " + ss.stemNames().get(s) + " ch " + cc + " frame " + i
                                            + ": render " + r[i] + ", stream " + out[s * ch + cc][i]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** A network whose output layer is zero returns the recipe's ratios as its masks (up to the PRIOR_EPS floor). */
    @Test
    void zeroOutputLayerGivesBackThePrior() {
        UnmixConfig c = TrainingTest.TINY.withPrior(ModelFreePrior.RECIPE);
        UnmixNet net = UnmixNet.initialize(c, 5, new float[c.featureSize()], new float[c.featureSize()]);
        float[] row = new float[c.featureSize()];
        SplittableRandom r = new SplittableRandom(6);
        int bins = c.bins(), st = c.stems().size(), first = c.featureFrames() - c.priorFrames();
        for (int i = 0; i < first * bins; i++) row[i] = (float) r.nextDouble(0, 2);
        for (int b = 0; b < bins; b++) {
            double rest = 1;
            for (int s = 0; s < st; s++) {
                double v = s == st - 1 ? rest : rest * r.nextDouble();
                row[(first + s) * bins + b] = (float) v;
                rest -= v;
            }
        }
        double[] m = net.forwardRow(row);
        double worst = 0;
        for (int s = 0; s < st; s++) {
            for (int b = 0; b < bins; b++) {
                double want = (row[(first + s) * bins + b] + UnmixConfig.PRIOR_EPS) / (1 + st * UnmixConfig.PRIOR_EPS);
                worst = Math.max(worst, Math.abs(m[s * bins + b] - want));
            }
        }
        assertTrue(worst < 1e-6, "zero output layer must return the prior: " + worst);
    }

    /** Plain-Java hybrid separation of the whole clip: rows gathered with the prior, masks on the mixture's STFT. */
    static List<float[][]> javaHybrid(UnmixNet net, float[][] x, byte[][][][] q) {
        UnmixConfig c = net.config;
        int ch = x.length, st = c.stems().size(), bins = c.bins();
        Stft stft = new Stft(c.nFft(), c.hop(), Window.hann(c.nFft()));
        Spectrogram[] xs = new Spectrogram[ch];
        for (int k = 0; k < ch; k++) xs[k] = stft.analyze(x[k], Stft.Padding.ZERO);
        int frames = xs[0].frames();
        float[][][] mag = new float[2][frames][bins];
        byte[][][][] prior = new byte[2][][][];
        for (int k = 0; k < 2; k++) {
            Spectrogram s = xs[Math.min(k, ch - 1)];
            prior[k] = q[Math.min(k, ch - 1)];
            for (int t = 0; t < frames; t++) {
                for (int b = 0; b < bins; b++) mag[k][t][b] = (float) Math.hypot(s.re(t)[b], s.im(t)[b]);
            }
        }
        List<float[][]> out = new ArrayList<>();
        double[][][][] mask = new double[st][ch][frames][];
        float[] row = new float[c.featureSize()];
        for (int k = 0; k < ch; k++) {
            for (int t = 0; t < frames; t++) {
                UnmixNet.gatherRow(c, mag, prior, k, t, row, 0);
                double[] m = net.forwardRow(row);
                for (int s = 0; s < st; s++) mask[s][k][t] = java.util.Arrays.copyOfRange(m, s * bins, (s + 1) * bins);
            }
        }
        for (int s = 0; s < st; s++) {
            float[][] y = new float[ch][];
            for (int k = 0; k < ch; k++) {
                Spectrogram sp = new Spectrogram(frames, bins);
                for (int t = 0; t < frames; t++) {
                    for (int b = 0; b < bins; b++) {
                        sp.re(t)[b] = (float) (mask[s][k][t][b] * xs[k].re(t)[b]);
                        sp.im(t)[b] = (float) (mask[s][k][t][b] * xs[k].im(t)[b]);
                    }
                }
                y[k] = stft.synthesize(sp, x[k].length);
            }
            out.add(y);
        }
        return out;
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
                    UnmixNet.gatherRow(c, mag, null, k, t, row, 0);
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
