package org.stemroom.trainer.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.stemroom.separation.onnx.ModelFreePrior;
import org.stemroom.trainer.train.AutodiffGraph.Value;

/**
 * The mask network ({@link UnmixConfig}): its parameters, its graph (written once, used by the training step and
 * by the exported inference model), and a plain-Java forward pass that the exported model is tested against.
 *
 * <p>Features: {@code f = (log(|X| + eps) - mean) * invStd}, with {@code mean} and {@code invStd} per feature
 * measured on training data before the first step and then fixed. Then {@code h1 = relu(f W1 + b1)},
 * {@code h2 = relu(h1 W2 + b2)}, {@code z = h2 W3 + b3} reshaped to [stems, bins], masks = softmax over stems.
 * With a prior ({@link UnmixConfig#hasPrior()}) the logits are {@code z + log(r + PRIOR_EPS)}, {@code r} the
 * prior's ratios (the row's last feature frames), so a zero output layer gives back the recipe's masks.
 */
public final class UnmixNet {
    public final UnmixConfig config;
    /** Parameters by name, in {@link UnmixConfig#params()} order; row-major as the shapes say. */
    public final Map<String, float[]> params;
    public final float[] featMean;
    public final float[] featInvStd;

    public UnmixNet(UnmixConfig config, Map<String, float[]> params, float[] featMean, float[] featInvStd) {
        this.config = config;
        this.params = params;
        this.featMean = featMean;
        this.featInvStd = featInvStd;
        for (UnmixConfig.ParamSpec p : config.params()) {
            float[] v = params.get(p.name());
            if (v == null || v.length != p.size()) throw new IllegalArgumentException("parameter " + p.name() + " missing or wrong size");
        }
        if (featMean.length != config.featureSize() || featInvStd.length != config.featureSize()) {
            throw new IllegalArgumentException("feature normalisation must have " + config.featureSize() + " values");
        }
    }

    /**
     * He-initialised hidden layers, a small output layer and zero biases (so every mask starts near 1/stems),
     * from a seed. A network with a prior starts with a zero output layer: exactly the recipe's masks (renormalised
     * after the {@code PRIOR_EPS} floor), which training then corrects.
     */
    public static UnmixNet initialize(UnmixConfig c, long seed, float[] featMean, float[] featInvStd) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, float[]> p = new LinkedHashMap<>();
        for (UnmixConfig.ParamSpec s : c.params()) {
            float[] v = new float[s.size()];
            if (s.shape().length == 2) {
                double fanIn = s.shape()[0];
                double std = s.name().equals("w3") ? (c.hasPrior() ? 0 : 0.5 / Math.sqrt(fanIn)) : Math.sqrt(2.0 / fanIn);
                for (int i = 0; i < v.length; i++) v[i] = (float) (std * gaussian(r));
            }
            p.put(s.name(), v);
        }
        return new UnmixNet(c, p, featMean, featInvStd);
    }

    static double gaussian(SplittableRandom r) {
        // Box-Muller, so the sequence is fixed by the seed on every JVM
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    public UnmixNet withParams(Map<String, float[]> p) {
        return new UnmixNet(config, p, featMean, featInvStd);
    }

    /**
     * The network in {@code g}: {@code mags} has shape [..., featureFrames, bins] (raw magnitudes), the result
     * [..., stems, bins] (masks summing to one over the stems).
     */
    public static Value masks(AutodiffGraph g, UnmixConfig c, Value mags, Map<String, Value> p, Value mean, Value invStd) {
        long[] s = mags.shape();
        int r = s.length;
        long[] flat = new long[r - 1];
        for (int i = 0; i < r - 2; i++) flat[i] = 0;
        flat[r - 2] = c.featureSize();
        Value f = g.log(g.add(mags, g.scalar(c.logEps())));
        f = g.reshape(f, flat);
        f = g.mul(g.sub(f, mean), invStd);
        Value h = g.relu(g.add(g.matmul(f, p.get("w1")), p.get("b1")));
        h = g.relu(g.add(g.matmul(h, p.get("w2")), p.get("b2")));
        Value z = g.add(g.matmul(h, p.get("w3")), p.get("b3"));
        long[] out = new long[r];
        for (int i = 0; i < r - 2; i++) out[i] = 0;
        out[r - 2] = c.stems().size();
        out[r - 1] = c.bins();
        Value logits = g.reshape(z, out);
        if (c.hasPrior()) {
            int ff = c.featureFrames();
            Value ratios = g.slice(mags, r - 2, ff - c.priorFrames(), ff); // [..., stems, bins]: data, no gradient
            logits = g.add(logits, g.log(g.add(ratios, g.scalar(UnmixConfig.PRIOR_EPS))));
        }
        return g.softmax(logits, r - 2);
    }

    /** The network as constants of {@code g} (the exported model). */
    public Map<String, Value> constants(AutodiffGraph g) {
        Map<String, Value> m = new LinkedHashMap<>();
        for (UnmixConfig.ParamSpec s : config.params()) m.put(s.name(), g.constant(s.name(), params.get(s.name()), s.shape()));
        return m;
    }

    // ------------------------------------------------------------------ plain Java forward pass

    /**
     * Masks of one row: {@code mags} holds featureFrames x bins raw magnitudes (row-major), the result
     * stems x bins. Computed in double, independently of ONNX Runtime.
     */
    public double[] forwardRow(float[] mags) {
        UnmixConfig c = config;
        int d = c.featureSize(), h = c.hidden(), o = c.outputSize(), bins = c.bins(), st = c.stems().size();
        double[] f = new double[d];
        for (int i = 0; i < d; i++) f[i] = (Math.log(mags[i] + c.logEps()) - featMean[i]) * featInvStd[i];
        double[] h1 = dense(f, params.get("w1"), params.get("b1"), h, true);
        double[] h2 = dense(h1, params.get("w2"), params.get("b2"), h, true);
        double[] z = dense(h2, params.get("w3"), params.get("b3"), o, false);
        if (c.hasPrior()) {
            int first = (c.featureFrames() - c.priorFrames()) * bins;
            for (int i = 0; i < o; i++) z[i] += Math.log(mags[first + i] + UnmixConfig.PRIOR_EPS);
        }
        double[] m = new double[o];
        for (int b = 0; b < bins; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < st; k++) max = Math.max(max, z[k * bins + b]);
            double sum = 0;
            for (int k = 0; k < st; k++) sum += m[k * bins + b] = Math.exp(z[k * bins + b] - max);
            for (int k = 0; k < st; k++) m[k * bins + b] /= sum;
        }
        return m;
    }

    private static double[] dense(double[] x, float[] w, float[] bias, int out, boolean relu) {
        double[] y = new double[out];
        for (int j = 0; j < out; j++) y[j] = bias[j];
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            if (xi == 0) continue;
            int base = i * out;
            for (int j = 0; j < out; j++) y[j] += xi * w[base + j];
        }
        if (relu) for (int j = 0; j < out; j++) if (y[j] < 0) y[j] = 0;
        return y;
    }

    /**
     * Gathers the input row of channel {@code ch} at frame {@code t} from per-channel magnitude frames
     * {@code mag[channel][frame][bin]}: the context frames (clamped at the edges, as the exported graph's edge
     * padding does), the other channel (itself when mono), and with a prior the channel's quantised ratios
     * {@code prior[channel][stem][frame][bin]} at frame {@code t} ({@link ModelFreePrior}).
     */
    public static void gatherRow(UnmixConfig c, float[][][] mag, byte[][][][] prior, int ch, int t, float[] dst, int off) {
        int frames = mag[ch].length, bins = c.bins();
        int k = 0;
        for (int o : c.contextOffsets()) {
            int f = Math.min(frames - 1, Math.max(0, t + o));
            System.arraycopy(mag[ch][f], 0, dst, off + (k++) * bins, bins);
        }
        int other = mag.length == 1 ? ch : 1 - ch;
        System.arraycopy(mag[other][t], 0, dst, off + (k++) * bins, bins);
        if (c.hasPrior()) {
            for (int s = 0; s < c.priorFrames(); s++, k++) {
                byte[] q = prior[ch][s][t];
                int base = off + k * bins;
                for (int b = 0; b < bins; b++) dst[base + b] = ModelFreePrior.value(q[b]);
            }
        }
    }

    /** Parameter names in order. */
    public List<String> paramNames() {
        List<String> n = new ArrayList<>();
        for (UnmixConfig.ParamSpec s : config.params()) n.add(s.name());
        return n;
    }
}
