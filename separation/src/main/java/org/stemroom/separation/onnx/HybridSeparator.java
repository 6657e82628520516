package org.stemroom.separation.onnx;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.stream.IntStream;
import org.stemroom.core.AudioClip;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.Resampler;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.core.dsp.Window;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSet;

/**
 * A hybrid separator: the model-free recipe named by the manifest's {@code prior} separates the window first, and a
 * mask network refines its answer. The network reads the mixture's magnitudes (input {@code mag} [batch, 2, bins,
 * frames]) and the recipe's quantised stem ratios in the model's STFT ({@link ModelFreePrior}, input
 * {@code prior} [batch, stems, 2, bins, frames]) and returns softmax masks ({@code mask} [batch, stems, 2, bins,
 * frames]) applied to the mixture's complex spectrum: the masks sum to one, so the stems sum to the mixture.
 *
 * <p>It runs on the recipe's own window grid (1 s windows): the recipe then sees exactly the windows, and carries
 * exactly the window-to-window memory, it has when it runs alone, render and plugin alike; the network's frame
 * count is dynamic, so a window costs what its frames cost (no padding to a fixed segment). A mono master is fed as
 * two equal channels (each row's "other channel" is itself, as in training) and stays mono; input at another rate
 * is resampled to the model's and back.
 */
public final class HybridSeparator implements Separator, AutoCloseable {
    private final ModelManifest m;
    private final OnnxModel model;
    private final Separator recipe;
    /** The recipe's masks at the model's grid, for priors read from masks; null for the re-analysed kind. */
    private final ModelFreePrior.MaskSampler sampler;
    private final String magIn;
    private final String out;
    private final float[] window;
    /**
     * The network's input and output tensors, kept from window to window (windows run one after another: the recipe
     * carries memory between them) and handed to ONNX Runtime where they lie, so no tensor is copied on either side.
     */
    private FloatBuffer magBuf;
    private FloatBuffer priorBuf;
    private FloatBuffer maskBuf;

    public HybridSeparator(ModelManifest manifest) throws StemroomException {
        if (manifest.prior == null) throw new StemroomException(manifest.file + ": not a hybrid model (no 'prior')");
        if (manifest.channels != 2 || !manifest.outputKind.equals("mask") || manifest.binsKept != manifest.nFft / 2 + 1
                || !manifest.window.equals("hann") || !manifest.padding.equals("zero")) {
            throw new StemroomException(manifest.file + ": a hybrid model must be a stereo mask model on a full-band, "
                    + "zero-padded Hann STFT");
        }
        this.m = manifest;
        this.sampler = ModelFreePrior.fromMasks(manifest.prior)
                ? new ModelFreePrior.MaskSampler(manifest.prior, manifest.stems, manifest.nFft, manifest.hop) : null;
        this.recipe = sampler != null ? sampler.recipe() : ModelFreePrior.recipe(manifest.prior);
        if (!recipe.stemNames().containsAll(manifest.stems)) {
            throw new StemroomException(manifest.file + ": prior recipe '" + manifest.prior + "' gives " + recipe.stemNames()
                    + ", the model needs " + manifest.stems);
        }
        this.model = new OnnxModel(manifest.model, manifest.sha256, manifest.intraOpThreads, manifest.arena, manifest.file);
        try {
            this.magIn = manifest.inputName != null ? manifest.inputName : "mag";
            this.out = manifest.outputName != null ? manifest.outputName : model.firstOutput();
            int s = m.stems.size(), bins = m.binsKept;
            model.expectShape("input", magIn, new long[] {-1, 2, bins, -1}, "([batch, 2, bins=" + bins + ", frames])");
            model.expectShape("input", m.priorInput, new long[] {-1, s, 2, bins, -1}, "([batch, stems=" + s
                    + ", 2, bins, frames]: the prior's ratios)");
            model.expectShape("output", out, new long[] {-1, s, 2, bins, -1}, "([batch, stems=" + s + ", 2, bins, frames])");
        } catch (StemroomException e) {
            model.close();
            throw e;
        }
        this.window = Window.hann(m.nFft);
    }

    @Override
    public String name() { return "model:" + m.name; }

    @Override
    public List<String> stemNames() { return m.stems; }

    @Override
    public double maxChunkSeconds() { return recipe.maxChunkSeconds(); }

    @Override
    public double chunkOverlapSeconds() { return recipe.chunkOverlapSeconds(); }

    @Override
    public void reset() { recipe.reset(); }

    public ModelManifest manifest() { return m; }

    /** The session (for run-time statistics). */
    public OnnxModel model() { return model; }

    @Override
    public StemSet separate(AudioClip mixture) throws StemroomException {
        AudioClip x = mixture.sampleRate() == m.sampleRate ? mixture : Resampler.resample(mixture, m.sampleRate);
        int ch = x.channels(), len = x.frames(), st = m.stems.size();
        if (ch < 1 || ch > 2) throw new StemroomException(name() + ": takes mono or stereo input, not " + ch + " channels");
        // [channel][stem][frame][bin]: a mask prior is one for both channels
        byte[][][][] q;
        if (sampler != null) {
            byte[][][] one = sampler.window(x);
            q = ch == 1 ? new byte[][][][] {one} : new byte[][][][] {one, one};
        } else {
            q = ModelFreePrior.ratios(recipe.separate(x), m.stems, m.nFft, m.hop);
        }
        Spectrogram[] spec = new Spectrogram[ch];
        IntStream.range(0, ch).parallel().forEach(c ->
                spec[c] = new Stft(m.nFft, m.hop, window).analyze(x.channel(c), Stft.Padding.ZERO));
        int frames = spec[0].frames(), bins = spec[0].bins();
        FloatBuffer mag = magBuf = OnnxModel.directFloats(magBuf, 2 * bins * frames);
        FloatBuffer prior = priorBuf = OnnxModel.directFloats(priorBuf, st * 2 * bins * frames);
        FloatBuffer mask = maskBuf = OnnxModel.directFloats(maskBuf, st * 2 * bins * frames);
        // the model's [bins][frames] planes; a mono master fills both model channels with its one channel
        IntStream.range(0, 2).parallel().forEach(k -> {
            int src = ch == 1 ? 0 : k;
            for (int t = 0; t < frames; t++) {
                float[] re = spec[src].re(t), im = spec[src].im(t);
                for (int b = 0; b < bins; b++) {
                    mag.put((k * bins + b) * frames + t, (float) Math.sqrt((double) re[b] * re[b] + (double) im[b] * im[b]));
                }
                for (int s = 0; s < st; s++) {
                    byte[] row = q[src][s][t];
                    int base = (s * 2 + k) * bins * frames + t;
                    for (int b = 0; b < bins; b++) prior.put(base + b * frames, ModelFreePrior.value(row[b]));
                }
            }
        });
        // a model whose output is not [1, stems, 2, bins, frames] fails here with the shape the manifest implies
        model.runDirect(new String[] {magIn, m.priorInput}, new FloatBuffer[] {mag, prior},
                new long[][] {{1, 2, bins, frames}, {1, st, 2, bins, frames}}, out, mask, new long[] {1, st, 2, bins, frames});
        float[][][] stems = new float[st][ch][];
        IntStream.range(0, st * ch).parallel().forEach(job -> {
            int s = job / ch, c = job % ch;
            Spectrogram y = new Spectrogram(frames, bins);
            int base = (s * 2 + c) * bins * frames;
            for (int t = 0; t < frames; t++) {
                float[] xr = spec[c].re(t), xi = spec[c].im(t), yr = y.re(t), yi = y.im(t);
                for (int b = 0; b < bins; b++) {
                    float v = mask.get(base + b * frames + t);
                    yr[b] = v * xr[b];
                    yi[b] = v * xi[b];
                }
            }
            stems[s][c] = new Stft(m.nFft, m.hop, window).synthesize(y, len);
        });
        StemSet set = new StemSet(mixture.format(), mixture.frames());
        for (int s = 0; s < st; s++) {
            float[][] d = stems[s];
            if (x != mixture) {
                d = Resampler.resample(new AudioClip(x.format(), d), mixture.sampleRate()).samples();
                for (int c = 0; c < d.length; c++) d[c] = java.util.Arrays.copyOf(d[c], mixture.frames());
            }
            set.put(m.stems.get(s), d);
        }
        return set;
    }

    @Override
    public void close() {
        model.close();
        if (recipe instanceof AutoCloseable a) {
            try {
                a.close();
            } catch (Exception ignored) {
                // the recipe holds no session; nothing to report
            }
        }
    }
}
