package org.stemroom.trainer.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.trainer.train.AutodiffGraph.Value;

/**
 * The ONNX graphs of training: one step (forward, loss, backward, Adam), the loss alone (validation), the loss
 * with gradients (gradient checks), and the exported inference model.
 *
 * <p>Training-graph inputs, for a batch of {@code n} rows (one row = one frame of one channel):
 * <ul>
 *   <li>{@code mags} [n, featureFrames, bins]: raw STFT magnitudes of the row's context frames and other channel;</li>
 *   <li>{@code mix} [n, stems, bins]: the mixture magnitude at the row's frame, scaled by the song's loss scale
 *       and by the stem's loss weight ({@link Trainer.Options#stemWeighting()});</li>
 *   <li>{@code target} [n, stems, bins]: per stem {@code Re(conj(X) S) / |X|} with the same scales, so that
 *       {@code (m |X| - target)^2} is, up to a term without the mask, the squared error of the complex estimate
 *       {@code m X} against the stem's complex spectrum {@code S} (the phase-sensitive loss): by Parseval that is
 *       the time-domain error the SI-SDR measures;</li>
 *   <li>{@code featMean}, {@code featInvStd} [featureSize]: feature normalisation (fixed data statistics);</li>
 *   <li>the parameters by name, and for the step graph {@code <p>.m}, {@code <p>.v} (Adam moments), {@code step} [1]
 *       (1 for the first step) and {@code lr} [1].</li>
 * </ul>
 * Outputs: {@code loss} [1] = mean over rows, stems and bins of {@code (m |X| - target)^2}; the step graph adds
 * {@code <p>.next}, {@code <p>.m.next}, {@code <p>.v.next}; the gradient graph adds {@code <p>.grad}.
 */
public final class TrainGraphs {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPS = 1e-8;

    private TrainGraphs() { }

    /** What a training graph computes after the loss. */
    public enum Kind { LOSS, GRADIENTS, ADAM_STEP }

    public static byte[] build(UnmixConfig c, int rows, Kind kind, boolean float64) {
        AutodiffGraph g = new AutodiffGraph(float64).graphName("stemroom_unmix_train");
        int f = c.featureFrames(), b = c.bins(), s = c.stems().size();
        Value mags = g.input("mags", rows, f, b);
        Value mix = g.input("mix", rows, s, b);
        Value target = g.input("target", rows, s, b);
        Value mean = g.input("featMean", c.featureSize());
        Value invStd = g.input("featInvStd", c.featureSize());
        Map<String, Value> p = new LinkedHashMap<>();
        List<Value> plist = new ArrayList<>();
        for (UnmixConfig.ParamSpec ps : c.params()) {
            Value v = kind == Kind.LOSS ? g.input(ps.name(), ps.shape()) : g.param(ps.name(), ps.shape());
            p.put(ps.name(), v);
            plist.add(v);
        }
        Value masks = UnmixNet.masks(g, c, mags, p, mean, invStd);
        Value loss = loss(g, masks, mix, target);
        g.output(loss, "loss");
        if (kind == Kind.LOSS) return g.build();
        Map<Value, Value> grads = g.gradients(loss, plist);
        if (kind == Kind.GRADIENTS) {
            for (Map.Entry<Value, Value> e : grads.entrySet()) g.output(e.getValue(), e.getKey().name + ".grad");
            return g.build();
        }
        Value step = g.input("step", 1);
        Value lr = g.input("lr", 1);
        adam(g, grads, step, lr);
        return g.build();
    }

    /** Mean squared error of the masked mixture magnitude against the target (see the class comment). */
    static Value loss(AutodiffGraph g, Value masks, Value mix, Value target) {
        Value d = g.sub(g.mul(masks, mix), target);
        return g.reduceMeanAll(g.mul(d, d));
    }

    /**
     * Appends Adam (Kingma and Ba 2015, algorithm 1) for each parameter: {@code m = b1 m + (1-b1) g},
     * {@code v = b2 v + (1-b2) g^2}, {@code p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}. Moment
     * inputs are named {@code <p>.m}, {@code <p>.v}; outputs {@code <p>.next}, {@code <p>.m.next}, {@code <p>.v.next}.
     */
    public static void adam(AutodiffGraph g, Map<Value, Value> grads, Value step, Value lr) {
        Value c1 = g.raw("Sub", g.scalar(1), g.raw("Pow", g.scalar(BETA1), step));
        Value c2 = g.raw("Sub", g.scalar(1), g.raw("Pow", g.scalar(BETA2), step));
        for (Map.Entry<Value, Value> e : grads.entrySet()) {
            Value p = e.getKey(), gr = e.getValue();
            Value m = g.input(p.name + ".m", p.shape());
            Value v = g.input(p.name + ".v", p.shape());
            Value m2 = g.raw("Add", g.raw("Mul", m, g.scalar(BETA1)), g.raw("Mul", gr, g.scalar(1 - BETA1)));
            Value v2 = g.raw("Add", g.raw("Mul", v, g.scalar(BETA2)), g.raw("Mul", g.raw("Mul", gr, gr), g.scalar(1 - BETA2)));
            Value mh = g.raw("Div", m2, c1);
            Value vh = g.raw("Div", v2, c2);
            Value upd = g.raw("Div", g.raw("Mul", mh, lr), g.raw("Add", g.raw("Sqrt", vh), g.scalar(EPS)));
            g.output(g.raw("Sub", p, upd), p.name + ".next");
            g.output(m2, p.name + ".m.next");
            g.output(v2, p.name + ".v.next");
        }
    }

    /**
     * The exported inference model, fitting {@link org.stemroom.separation.onnx.OnnxSeparator}'s magnitude family:
     * input {@code mag} [batch, 2, bins, frames] (stereo magnitudes), output {@code mask} [batch, stems, 2, bins,
     * frames]. The context frames are gathered inside the graph (edge padding, slices, concatenation), so the
     * runner feeds plain magnitudes. {@code frames} &lt; 0 leaves the frame count dynamic (the hybrid separator runs
     * whatever its window holds); a network with a prior also takes {@code prior} [batch, stems, 2, bins, frames],
     * the recipe's ratios ({@link org.stemroom.separation.onnx.ModelFreePrior}).
     */
    public static byte[] inference(UnmixNet net, int frames) {
        UnmixConfig c = net.config;
        AutodiffGraph g = new AutodiffGraph(false).graphName("stemroom_unmix");
        int b = c.bins(), ctx = c.maxContext(), st = c.stems().size();
        long fr = frames < 0 ? -1 : frames;
        Value in = g.input("mag", -1, 2, b, fr);
        Value x = g.transpose(in, 0, 1, 3, 2); // [batch, 2, frames, bins]
        Value padded = g.padEdge(x, 2, ctx, ctx);
        List<Value> parts = new ArrayList<>();
        for (int o : c.contextOffsets()) {
            // frames t + o of the padded axis: start ctx + o, and the end counted from the back so that any frame
            // count works (ONNX Slice clamps an end past the axis)
            long end = ctx - o == 0 ? Long.MAX_VALUE : o - ctx;
            parts.add(g.unsqueeze(frames < 0 ? g.slice(padded, 2, ctx + o, end)
                    : g.slice(padded, 2, ctx + o, ctx + o + frames), 3));
        }
        Value other = g.concat(1, g.slice(x, 1, 1, 2), g.slice(x, 1, 0, 1));
        parts.add(g.unsqueeze(other, 3));
        if (c.hasPrior()) {
            Value prior = g.input("prior", -1, st, 2, b, fr);
            parts.add(g.transpose(prior, 0, 2, 4, 1, 3)); // [batch, 2, frames, stems, bins]
        }
        Value mags = g.concat(3, parts.toArray(new Value[0])); // [batch, 2, frames, featureFrames, bins]
        Value mean = g.constant("featMean", net.featMean, c.featureSize());
        Value invStd = g.constant("featInvStd", net.featInvStd, c.featureSize());
        Value masks = UnmixNet.masks(g, c, mags, net.constants(g), mean, invStd); // [batch, 2, frames, stems, bins]
        g.output(g.transpose(masks, 0, 3, 1, 4, 2), "mask");
        return g.build();
    }
}
