package org.stemroom.separation.onnx;

import java.util.List;
import java.util.stream.IntStream;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.separation.Separator;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.separation.StemSet;

/**
 * The model-free recipe's opinion as the second input of a hybrid network (manifest field {@code prior}): per
 * channel, stem, frame and bin the ratio {@code r_k = |S_k| / sum_j |S_j|} of the recipe's stem estimates analysed
 * with the model's STFT (bins where every stem is silent split evenly), quantised to {@link #LEVELS} steps.
 *
 * <p>The training cache stores these ratios as one byte each (a stereo minute of four stems would otherwise take
 * 170 MB as floats); quantising at inference as well keeps what the network sees in use identical to what it was
 * trained on. Training ({@code org.stemroom.trainer}) and {@link HybridSeparator} both compute the prior here, so
 * there is one definition of it.
 */
public final class ModelFreePrior {
    /** The model-free default recipe without its Wiener step (the network and the optional Wiener stage refine). */
    public static final String RECIPE = "modelfree-fast";
    /** Quantisation steps of a ratio: byte value {@code q} means {@code q / LEVELS}. */
    public static final int LEVELS = 255;

    private ModelFreePrior() { }

    /** A fresh instance of the recipe a manifest names (it carries window-to-window memory: one per separator). */
    public static Separator recipe(String name) throws StemroomException {
        if (!RECIPE.equals(name)) throw new StemroomException("unknown prior recipe '" + name + "' (known: " + RECIPE + ")");
        // pinned to the settings the shipped network was trained with (the default recipe's bass split moved from
        // 280 to 220 Hz afterwards): the prior must not change under a trained model
        ModelFreeSeparators.Settings s =
                new ModelFreeSeparators.Settings();
        s.wiener = 0;
        s.bassSplitHz = 280;
        // and to the soft-mask exponent and kick / bass decisions of then (the recipe's defaults moved later)
        s.softPower = 1.5;
        s.kickLines = 0;
        s.bassPanFloor = 1;
        s.bassHarmonicsHz = 0;
        return ModelFreeSeparators.defaultRecipe(s);
    }

    /** The ratio a stored byte stands for. */
    public static float value(byte q) {
        return (q & 0xFF) / (float) LEVELS;
    }

    /**
     * Quantised ratios {@code [channel][stem][frame][bin]} of the recipe's stems (time domain, the clip's channels,
     * all of {@code order} present) analysed with {@code nFft}/{@code hop} periodic Hann frames, centred, zero padded
     * (the model's STFT). Each (stem, channel) is analysed on its own task with its own STFT: the same bytes for any
     * thread count.
     */
    public static byte[][][][] ratios(StemSet stems, List<String> order, int nFft, int hop) throws StemroomException {
        for (String s : order) {
            if (!stems.has(s)) throw new StemroomException("the prior recipe gave no stem '" + s + "' (it gave " + stems.names() + ")");
        }
        int ch = stems.channels(), st = order.size();
        Spectrogram[][] spec = new Spectrogram[st][ch];
        float[] window = org.stemroom.core.dsp.Window.hann(nFft);
        IntStream.range(0, st * ch).parallel().forEach(job -> {
            int k = job / ch, c = job % ch;
            spec[k][c] = new Stft(nFft, hop, window).analyze(stems.get(order.get(k)).channel(c), Stft.Padding.ZERO);
        });
        int frames = spec[0][0].frames(), bins = spec[0][0].bins();
        byte[][][][] q = new byte[ch][st][frames][bins];
        IntStream.range(0, ch).parallel().forEach(c -> {
            double[] mag = new double[st];
            byte even = (byte) Math.round(LEVELS / (double) st);
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    double sum = 0;
                    for (int k = 0; k < st; k++) {
                        double re = spec[k][c].re(f)[b], im = spec[k][c].im(f)[b];
                        sum += mag[k] = Math.sqrt(re * re + im * im);
                    }
                    for (int k = 0; k < st; k++) {
                        q[c][k][f][b] = sum > 0 ? (byte) Math.round(LEVELS * mag[k] / sum) : even;
                    }
                }
            }
        });
        return q;
    }
}
