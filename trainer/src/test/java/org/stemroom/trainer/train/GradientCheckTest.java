package org.stemroom.trainer.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.stemroom.trainer.train.AutodiffGraph.Value;

/**
 * Every backward rule of {@link AutodiffGraph}, and the whole training loss for every parameter tensor, against
 * central finite differences. The graphs run in float64 in ONNX Runtime; step h = 1e-6, so the truncation error
 * is ~1e-12 and rounding ~1e-10: the worst error relative to the largest gradient entry must stay below 1e-6
 * (observed: ~1e-9).
 */
class GradientCheckTest {
    static final double H = 1e-6;
    static final double TOL = 1e-6;

    /** How a test fills its parameters. */
    enum Fill { ANY, POSITIVE, AWAY_FROM_ZERO }

    /**
     * Builds loss = sum(f(params) * R) with a fixed random R, runs its gradients, and compares each parameter's
     * gradient with central differences of the same float64 graph's loss. Returns the worst relative error.
     */
    static double check(String what, long[][] shapes, Fill fill, BiFunction<AutodiffGraph, List<Value>, Value> f)
            throws Exception {
        SplittableRandom r = new SplittableRandom(what.hashCode());
        byte[][] graphs = new byte[2][];
        List<String> names = new ArrayList<>();
        for (int kind = 0; kind < 2; kind++) {
            AutodiffGraph g = new AutodiffGraph(true);
            List<Value> ps = new ArrayList<>();
            for (int i = 0; i < shapes.length; i++) ps.add(g.param("p" + i, shapes[i]));
            Value y = f.apply(g, ps);
            SplittableRandom rr = new SplittableRandom(7);
            double[] w = new double[(int) y.size()];
            for (int i = 0; i < w.length; i++) w[i] = rr.nextDouble(-1, 1);
            Value loss = g.reduceSumAll(g.mul(y, g.constant("R", w, y.shape())));
            g.output(loss, "loss");
            if (kind == 1) {
                Map<Value, Value> gr = g.gradients(loss, ps);
                for (Map.Entry<Value, Value> e : gr.entrySet()) g.output(e.getValue(), e.getKey().name + ".grad");
            }
            graphs[kind] = g.build();
            if (kind == 0) for (Value p : ps) names.add(p.name);
        }
        Map<String, double[]> in = new LinkedHashMap<>();
        Map<String, long[]> sh = new HashMap<>();
        for (int i = 0; i < shapes.length; i++) {
            long n = 1;
            for (long d : shapes[i]) n *= d;
            double[] v = new double[(int) n];
            for (int k = 0; k < v.length; k++) {
                double x = r.nextDouble(-1, 1);
                v[k] = switch (fill) {
                    case ANY -> x;
                    case POSITIVE -> 0.2 + Math.abs(x);
                    case AWAY_FROM_ZERO -> Math.copySign(0.1 + Math.abs(x), x);
                };
            }
            in.put(names.get(i), v);
            sh.put(names.get(i), shapes[i]);
        }
        double worst = 0;
        try (OrtGraph lossG = new OrtGraph(graphs[0], 1, true); OrtGraph gradG = new OrtGraph(graphs[1], 1, true)) {
            Map<String, double[]> out = gradG.runDouble(in, sh);
            for (String name : names) {
                double[] analytic = out.get(name + ".grad");
                double[] v = in.get(name);
                double scale = 1e-3;
                double err = 0;
                for (int k = 0; k < v.length; k++) {
                    double keep = v[k];
                    v[k] = keep + H;
                    double lp = lossG.runDouble(in, sh).get("loss")[0];
                    v[k] = keep - H;
                    double lm = lossG.runDouble(in, sh).get("loss")[0];
                    v[k] = keep;
                    double fd = (lp - lm) / (2 * H);
                    scale = Math.max(scale, Math.abs(fd));
                    err = Math.max(err, Math.abs(fd - analytic[k]));
                }
                worst = Math.max(worst, err / scale);
            }
        }
        System.out.printf("gradient check %-34s worst relative error %.2e%n", what, worst);
        assertTrue(worst < TOL, what + ": gradient error " + worst);
        return worst;
    }

    static long[] s(long... d) { return d; }

    @Test
    void matmulRank2AndRank3() throws Exception {
        check("MatMul [3,4]x[4,5]", new long[][] {s(3, 4), s(4, 5)}, Fill.ANY, (g, p) -> g.matmul(p.get(0), p.get(1)));
        check("MatMul [2,3,4]x[4,2]", new long[][] {s(2, 3, 4), s(4, 2)}, Fill.ANY, (g, p) -> g.matmul(p.get(0), p.get(1)));
    }

    @Test
    void broadcastingArithmetic() throws Exception {
        check("Add bias [3,4]+[4]", new long[][] {s(3, 4), s(4)}, Fill.ANY, (g, p) -> g.add(p.get(0), p.get(1)));
        check("Sub [3,1,4]-[2,1]", new long[][] {s(3, 1, 4), s(2, 1)}, Fill.ANY, (g, p) -> g.sub(p.get(0), p.get(1)));
        check("Mul [3,2,4]*[3,1,4]", new long[][] {s(3, 2, 4), s(3, 1, 4)}, Fill.ANY, (g, p) -> g.mul(p.get(0), p.get(1)));
        check("Mul x*x (one input twice)", new long[][] {s(3, 4)}, Fill.ANY, (g, p) -> g.mul(p.get(0), p.get(0)));
        check("Div [3,4]/[1,4]", new long[][] {s(3, 4), s(1, 4)}, Fill.POSITIVE, (g, p) -> g.div(p.get(0), p.get(1)));
    }

    @Test
    void elementwise() throws Exception {
        check("Relu", new long[][] {s(4, 5)}, Fill.AWAY_FROM_ZERO, (g, p) -> g.relu(p.get(0)));
        check("Sigmoid", new long[][] {s(4, 5)}, Fill.ANY, (g, p) -> g.sigmoid(p.get(0)));
        check("Exp", new long[][] {s(4, 5)}, Fill.ANY, (g, p) -> g.exp(p.get(0)));
        check("Log", new long[][] {s(4, 5)}, Fill.POSITIVE, (g, p) -> g.log(p.get(0)));
        check("Sqrt", new long[][] {s(4, 5)}, Fill.POSITIVE, (g, p) -> g.sqrt(p.get(0)));
    }

    @Test
    void softmaxOverMiddleAndLastAxis() throws Exception {
        check("Softmax axis 1 of [2,4,3]", new long[][] {s(2, 4, 3)}, Fill.ANY, (g, p) -> g.softmax(p.get(0), 1));
        check("Softmax axis -1 of [3,5]", new long[][] {s(3, 5)}, Fill.ANY, (g, p) -> g.softmax(p.get(0), -1));
    }

    @Test
    void reductionsAndShapes() throws Exception {
        check("ReduceMean all", new long[][] {s(3, 4)}, Fill.ANY, (g, p) -> g.reduceMeanAll(p.get(0)));
        check("ReduceSum all", new long[][] {s(2, 3, 2)}, Fill.ANY, (g, p) -> g.reduceSumAll(p.get(0)));
        check("Reshape [2,6]->[3,0]->...", new long[][] {s(2, 6)}, Fill.ANY, (g, p) -> g.reshape(p.get(0), 3, 4));
        check("Transpose perm 2,0,1", new long[][] {s(2, 3, 4)}, Fill.ANY, (g, p) -> g.transpose(p.get(0), 2, 0, 1));
        check("Concat axis 1", new long[][] {s(2, 3), s(2, 2)}, Fill.ANY, (g, p) -> g.concat(1, p.get(0), p.get(1)));
    }

    /** The whole training loss (features, three layers, softmax masks, phase-sensitive MSE) for every parameter. */
    @Test
    void fullTrainingLossEveryParameter() throws Exception {
        fullLoss(new UnmixConfig(8000, 8, 2, new int[] {-1, 0, 2}, 5, java.util.List.of("a", "b", "c"), 1e-3));
    }

    /**
     * The same for a hybrid network: the prior's ratios are extra feature frames and their logarithm is added to
     * the logits (a path without parameters, but every parameter's gradient passes through the changed softmax).
     */
    @Test
    void fullTrainingLossWithPriorEveryParameter() throws Exception {
        fullLoss(new UnmixConfig(8000, 8, 2, new int[] {-1, 0, 2}, 5, java.util.List.of("a", "b", "c"), 1e-3, "test"));
    }

    private static void fullLoss(UnmixConfig c) throws Exception {
        int rows = 6;
        byte[] lossGraph = TrainGraphs.build(c, rows, TrainGraphs.Kind.LOSS, true);
        byte[] gradGraph = TrainGraphs.build(c, rows, TrainGraphs.Kind.GRADIENTS, true);
        SplittableRandom r = new SplittableRandom(3);
        Map<String, double[]> in = new LinkedHashMap<>();
        Map<String, long[]> sh = new HashMap<>();
        int f = c.featureFrames(), b = c.bins(), st = c.stems().size();
        put(in, sh, "mags", rand(r, rows * f * b, 0.01, 2), rows, f, b);
        put(in, sh, "mix", rand(r, rows * st * b, 0.01, 2), rows, st, b);
        put(in, sh, "target", rand(r, rows * st * b, -0.5, 1.5), rows, st, b);
        put(in, sh, "featMean", rand(r, c.featureSize(), -0.5, 0.5), c.featureSize());
        put(in, sh, "featInvStd", rand(r, c.featureSize(), 0.5, 2), c.featureSize());
        UnmixNet net = UnmixNet.initialize(c, 11, new float[c.featureSize()], new float[c.featureSize()]);
        for (UnmixConfig.ParamSpec p : c.params()) {
            double[] v = new double[p.size()];
            float[] init = net.params.get(p.name());
            // biases random too, so no ReLU sits at its kink and every rule sees non-trivial values; a hybrid's
            // zero-initialised output layer gets random weights, else no gradient would reach the layers below it
            for (int i = 0; i < v.length; i++) {
                v[i] = p.shape().length == 2 ? (init[i] != 0 ? 2 * init[i] : r.nextDouble(-0.5, 0.5)) : r.nextDouble(-0.3, 0.3);
            }
            put(in, sh, p.name(), v, p.shape());
        }
        try (OrtGraph lossG = new OrtGraph(lossGraph, 1, true); OrtGraph gradG = new OrtGraph(gradGraph, 1, true)) {
            Map<String, double[]> out = gradG.runDouble(in, sh);
            for (UnmixConfig.ParamSpec p : c.params()) {
                double[] a = out.get(p.name() + ".grad");
                double[] v = in.get(p.name());
                double err = 0, scale = 1e-6;
                for (int k = 0; k < v.length; k++) {
                    double keep = v[k];
                    v[k] = keep + H;
                    double lp = lossG.runDouble(in, sh).get("loss")[0];
                    v[k] = keep - H;
                    double lm = lossG.runDouble(in, sh).get("loss")[0];
                    v[k] = keep;
                    double fd = (lp - lm) / (2 * H);
                    scale = Math.max(scale, Math.abs(fd));
                    err = Math.max(err, Math.abs(fd - a[k]));
                }
                System.out.printf("gradient check network parameter %-4s %s worst relative error %.2e%n", p.name(),
                        java.util.Arrays.toString(p.shape()), err / scale);
                assertTrue(err / scale < TOL, p.name() + ": gradient error " + err / scale);
            }
        }
    }

    static double[] rand(SplittableRandom r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble(lo, hi);
        return v;
    }

    static void put(Map<String, double[]> in, Map<String, long[]> sh, String name, double[] v, long... shape) {
        in.put(name, v);
        sh.put(name, shape);
    }
}
