package org.stemroom.trainer.train;

import java.util.Arrays;
import java.util.List;

/**
 * Shape of the frame-wise mask network. Each row of the network is one STFT frame of one channel; its input is
 * the log magnitudes of that channel at the frames {@code t + contextOffsets[i]} (edges repeated), followed by
 * the log magnitude of the other channel at frame {@code t} (the same channel again for mono), so a stereo
 * mixture's pan cues reach the network while a mono master is just the case "other = self". Two hidden ReLU
 * layers, then one softmax over the stems per bin: the masks sum to one, so the stems sum to the mixture.
 *
 * <p>A hybrid network ({@code prior} set) also reads, per row, the model-free recipe's opinion at frame {@code t}:
 * per stem the ratio {@code |S_k| / sum_j |S_j|} of the recipe's stem estimates in the model's STFT
 * ({@link org.stemroom.separation.onnx.ModelFreePrior}). Those ratios are extra feature frames, and their logarithm
 * is added to the network's output logits, so a network whose last layer is zero returns the recipe's masks: it
 * starts at the recipe's quality and learns corrections.
 *
 * @param sampleRate     the rate the model works at
 * @param nFft           STFT size (periodic Hann window)
 * @param hop            STFT hop
 * @param contextOffsets frame offsets of the own-channel context, e.g. {-6,-3,-1,0,1,3,6}
 * @param hidden         width of both hidden layers
 * @param stems          stem names, in output order
 * @param logEps         features are {@code log(|X| + logEps)}
 * @param prior          the model-free recipe whose ratios the network refines ({@link
 *                       org.stemroom.separation.onnx.ModelFreePrior#RECIPE}), or null for a plain magnitude network
 */
public record UnmixConfig(int sampleRate, int nFft, int hop, int[] contextOffsets, int hidden, List<String> stems,
                          double logEps, String prior) {

    /** Added to the prior ratio before its logarithm enters the logits: a stem the recipe gave nothing keeps a way back. */
    public static final double PRIOR_EPS = 0.01;

    /** A plain magnitude network (no prior). */
    public UnmixConfig(int sampleRate, int nFft, int hop, int[] contextOffsets, int hidden, List<String> stems, double logEps) {
        this(sampleRate, nFft, hop, contextOffsets, hidden, stems, logEps, null);
    }

    public boolean hasPrior() { return prior != null; }

    /** The same shape refining the model-free recipe's ratios. */
    public UnmixConfig withPrior(String recipe) {
        return new UnmixConfig(sampleRate, nFft, hop, contextOffsets, hidden, stems, logEps, recipe);
    }

    /**
     * The shipped model's shape: context frames t-6, t-3, t-1, t, t+1, t+3, t+6 (+-70 ms) and the other channel,
     * hidden layers of 128: 1.59 M parameters.
     */
    public static UnmixConfig standard() {
        return new UnmixConfig(44100, 2048, 512, new int[] {-6, -3, -1, 0, 1, 3, 6}, 128,
                List.of("vocals", "drums", "bass", "other"), 1e-3);
    }

    public int bins() { return nFft / 2 + 1; }

    /** Input frames per row: the context, the other channel, and with a prior one frame of ratios per stem. */
    public int featureFrames() { return contextOffsets.length + 1 + priorFrames(); }

    /** Feature frames holding the prior's ratios (the last ones of a row). */
    public int priorFrames() { return prior != null ? stems.size() : 0; }

    public int featureSize() { return featureFrames() * bins(); }

    public int outputSize() { return stems.size() * bins(); }

    public int maxContext() {
        int m = 0;
        for (int o : contextOffsets) m = Math.max(m, Math.abs(o));
        return m;
    }

    /** Parameter tensors in a fixed order: name and shape. */
    public List<ParamSpec> params() {
        int d = featureSize(), h = hidden, o = outputSize();
        return List.of(new ParamSpec("w1", new long[] {d, h}), new ParamSpec("b1", new long[] {h}),
                new ParamSpec("w2", new long[] {h, h}), new ParamSpec("b2", new long[] {h}),
                new ParamSpec("w3", new long[] {h, o}), new ParamSpec("b3", new long[] {o}));
    }

    public long parameterCount() {
        long n = 0;
        for (ParamSpec p : params()) n += p.size();
        return n;
    }

    /** A parameter tensor's name and shape. */
    public record ParamSpec(String name, long[] shape) {
        public int size() {
            long n = 1;
            for (long s : shape) n *= s;
            return (int) n;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnmixConfig c && c.sampleRate == sampleRate && c.nFft == nFft && c.hop == hop
                && Arrays.equals(c.contextOffsets(), contextOffsets) && c.hidden() == hidden && c.stems().equals(stems)
                && c.logEps() == logEps && java.util.Objects.equals(c.prior(), prior);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(contextOffsets) * 31 + hidden * 7 + nFft + stems.hashCode() + java.util.Objects.hashCode(prior);
    }

    @Override
    public String toString() {
        return "UnmixConfig[rate=" + sampleRate + ", nFft=" + nFft + ", hop=" + hop + ", context="
                + Arrays.toString(contextOffsets) + ", hidden=" + hidden + ", stems=" + stems + ", logEps=" + logEps + (prior != null ? ", prior=" + prior : "") + "]";
    }
}
