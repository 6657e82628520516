package org.stemroom.separation.modelfree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSet;

/**
 * Any separator's stems refined by Wiener filtering, as Open-Unmix post-processes its network's estimates: the
 * stems are analysed with the model-free recipe's STFT ({@link SpectralMix}), turned into magnitude-ratio masks
 * (summed over channels, so they add up to one in every bin) and re-estimated from the mixture:
 * <ul>
 *   <li>stereo: the multichannel EM of {@link WienerFilter} (per-source power and 2x2 spatial covariance);</li>
 *   <li>mono: the single-channel EM, where each iteration sets {@code v_j = |y_j|^2} and
 *       {@code y_j = v_j / sum_k v_k * x}; with ratio masks as the start that is the mask raised to the power
 *       {@code 2^iterations}, renormalised.</li>
 * </ul>
 * With zero iterations the wrapped separator's stems come back unchanged (the wrapper then only names it).
 */
public final class WienerRefinement implements Separator, AutoCloseable {
    /** Closes a wrapped ONNX session that its owner dropped without closing (a plugin engine replaced, say). */
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    private final String name;
    private final Separator inner;
    private final int iterations;
    private final java.lang.ref.Cleaner.Cleanable cleanable;

    public WienerRefinement(String name, Separator inner, int iterations) {
        if (iterations < 0 || iterations > 3) throw new IllegalArgumentException("Wiener iterations 0..3, got " + iterations);
        this.name = name;
        this.inner = inner;
        this.iterations = iterations;
        this.cleanable = CLEANER.register(this, () -> closeQuietly(inner));
    }

    public Separator inner() { return inner; }

    public int iterations() { return iterations; }

    @Override public String name() { return name; }
    @Override public List<String> stemNames() { return inner.stemNames(); }
    /** At most 30 s a chunk: the model's spectra, the stems' and the Wiener step's together must fit a 1 GiB heap. */
    @Override public double maxChunkSeconds() { return Math.min(inner.maxChunkSeconds(), MAX_CHUNK_SECONDS); }

    static final double MAX_CHUNK_SECONDS = 30;
    @Override public double chunkOverlapSeconds() { return inner.chunkOverlapSeconds(); }
    @Override public void reset() { inner.reset(); }

    @Override
    public StemSet separate(AudioClip mixture) throws StemroomException {
        StemSet raw = inner.separate(mixture);
        if (iterations == 0) return raw;
        SpectralMix mix = SpectralMix.of(mixture);
        Map<String, float[][]> masks = ratioMasks(mix, raw);
        if (mix.channels() == 2) return WienerFilter.refine(mix, masks, iterations);
        List<float[][]> ms = List.copyOf(masks.values());
        int frames = mix.frames(), bins = mix.bins();
        double[] p = new double[ms.size()];
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) {
                double sum = 0;
                for (int k = 0; k < p.length; k++) {
                    double v = ms.get(k)[f][b];
                    for (int i = 0; i < iterations; i++) v *= v; // m^(2^iterations)
                    p[k] = v;
                    sum += v;
                }
                for (int k = 0; k < p.length; k++) ms.get(k)[f][b] = sum > 0 ? (float) (p[k] / sum) : 1f / p.length;
            }
        }
        return mix.apply(masks);
    }

    /** |Y_j| / sum_k |Y_k| per bin, magnitudes summed over channels; bins where every stem is silent split evenly. */
    static Map<String, float[][]> ratioMasks(SpectralMix mix, StemSet stems) {
        List<String> names = stems.names();
        int frames = mix.frames(), bins = mix.bins(), ch = mix.channels();
        float[][][] mag = new float[names.size()][frames][bins];
        // stems are independent: one task per stem, each with its own STFT (same result whatever the split)
        java.util.stream.IntStream.range(0, names.size()).parallel().forEach(k -> {
            Stft stft = new Stft(mix.stft().nFft(), mix.stft().hop(), mix.stft().window());
            for (int c = 0; c < ch; c++) {
                Spectrogram s = stft.analyze(stems.get(names.get(k)).channel(c));
                for (int f = 0; f < frames; f++) {
                    float[] re = s.re(f), im = s.im(f), row = mag[k][f];
                    for (int b = 0; b < bins; b++) row[b] += (float) Math.sqrt(re[b] * re[b] + im[b] * im[b]);
                }
            }
        });
        float even = 1f / names.size();
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) {
                double sum = 0;
                for (float[][] x : mag) sum += x[f][b];
                for (float[][] x : mag) x[f][b] = sum > 1e-20 ? (float) (x[f][b] / sum) : even;
            }
        }
        Map<String, float[][]> masks = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) masks.put(names.get(k), mag[k]);
        return masks;
    }

    /** Closes the wrapped separator (once, whether here or when this wrapper is garbage collected). */
    @Override
    public void close() {
        cleanable.clean();
    }

    private static void closeQuietly(Separator s) {
        if (s instanceof AutoCloseable) {
            try {
                ((AutoCloseable) s).close();
            } catch (Exception e) {
                // releasing a session cannot fail in a way the user could act on
            }
        }
    }
}
