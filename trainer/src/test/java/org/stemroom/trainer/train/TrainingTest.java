package org.stemroom.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.Progress;
import org.stemroom.trainer.train.AutodiffGraph.Value;

/** Adam against a Java reference, the loss falling over a few steps, and resume = uninterrupted run. */
class TrainingTest {
    @TempDir
    Path dir;

    static final UnmixConfig TINY = new UnmixConfig(8000, 256, 64, new int[] {-2, 0, 1}, 16,
            List.of("vocals", "drums", "bass", "other"), 1e-3);

    /**
     * Least squares {@code mean((X w - y)^2)} optimised by the graph's Adam (gradient by our backward rules) and by
     * a plain-Java Adam with the analytic gradient {@code 2/n X^T (X w - y)}, 60 steps in float64 with a
     * varying learning rate: parameters and moments agree to 1e-10 relative.
     */
    @Test
    void adamMatchesJavaReference() throws Exception {
        int n = 8, d = 5;
        AutodiffGraph g = new AutodiffGraph(true);
        Value x = g.input("x", n, d);
        Value y = g.input("y", n, 1);
        Value w = g.param("w", d, 1);
        Value diff = g.sub(g.matmul(x, w), y);
        Value loss = g.reduceMeanAll(g.mul(diff, diff));
        g.output(loss, "loss");
        Map<Value, Value> grads = g.gradients(loss, List.of(w));
        TrainGraphs.adam(g, grads, g.input("step", 1), g.input("lr", 1));
        SplittableRandom r = new SplittableRandom(5);
        double[] xs = new double[n * d], ys = new double[n];
        for (int i = 0; i < xs.length; i++) xs[i] = r.nextDouble(-1, 1);
        for (int i = 0; i < n; i++) ys[i] = r.nextDouble(-1, 1);
        double[] wg = new double[d], mg = new double[d], vg = new double[d];
        double[] wj = new double[d], mj = new double[d], vj = new double[d];
        for (int i = 0; i < d; i++) wg[i] = wj[i] = r.nextDouble(-1, 1);
        double firstLoss = 0, lastLoss = 0;
        try (OrtGraph og = new OrtGraph(g.build(), 1, true)) {
            for (int t = 1; t <= 60; t++) {
                double lr = 0.05 / Math.sqrt(t);
                Map<String, double[]> in = new LinkedHashMap<>();
                Map<String, long[]> sh = new HashMap<>();
                in.put("x", xs); sh.put("x", new long[] {n, d});
                in.put("y", ys); sh.put("y", new long[] {n, 1});
                in.put("w", wg); sh.put("w", new long[] {d, 1});
                in.put("w.m", mg); sh.put("w.m", new long[] {d, 1});
                in.put("w.v", vg); sh.put("w.v", new long[] {d, 1});
                in.put("step", new double[] {t}); sh.put("step", new long[] {1});
                in.put("lr", new double[] {lr}); sh.put("lr", new long[] {1});
                Map<String, double[]> out = og.runDouble(in, sh);
                if (t == 1) firstLoss = out.get("loss")[0];
                lastLoss = out.get("loss")[0];
                wg = out.get("w.next");
                mg = out.get("w.m.next");
                vg = out.get("w.v.next");
                // reference Adam (Kingma & Ba 2015, algorithm 1)
                double[] res = new double[n];
                for (int i = 0; i < n; i++) {
                    double s = -ys[i];
                    for (int k = 0; k < d; k++) s += xs[i * d + k] * wj[k];
                    res[i] = s;
                }
                for (int k = 0; k < d; k++) {
                    double grad = 0;
                    for (int i = 0; i < n; i++) grad += 2.0 / n * xs[i * d + k] * res[i];
                    mj[k] = 0.9 * mj[k] + 0.1 * grad;
                    vj[k] = 0.999 * vj[k] + 0.001 * grad * grad;
                    double mh = mj[k] / (1 - Math.pow(0.9, t)), vh = vj[k] / (1 - Math.pow(0.999, t));
                    wj[k] -= lr * mh / (Math.sqrt(vh) + 1e-8);
                }
                for (int k = 0; k < d; k++) {
                    assertEquals(wj[k], wg[k], 1e-10 * Math.max(1, Math.abs(wj[k])), "w after step " + t);
                    assertEquals(mj[k], mg[k], 1e-10 * Math.max(1e-3, Math.abs(mj[k])), "m after step " + t);
                    assertEquals(vj[k], vg[k], 1e-10 * Math.max(1e-6, Math.abs(vj[k])), "v after step " + t);
                }
            }
        }
        assertTrue(lastLoss < 0.5 * firstLoss, "Adam reduces the toy loss: " + firstLoss + " -> " + lastLoss);
    }

    /** float32 training on synthetic stems, 3 epochs of 22-24 steps: the validation loss falls well below the start. */
    @Test
    void lossFallsOverAFewSteps() throws Exception {
        Trainer.Options o = new Trainer.Options(TINY, 128, 3, 7, 3e-3, 4, 0.25, 1, 0, 32);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Checkpoint ck = new Trainer(o, new SyntheticSongs(8, 8000, 2.0, 1), new SyntheticSongs(2, 8000, 2.0, 99),
                dir, new PrintStream(log, true), Progress.NONE).run(false);
        List<Double> curve = ck.stepCurve;
        System.out.println(log);
        System.out.println("loss every 50 steps: " + curve);
        assertTrue(ck.step >= 60, "steps " + ck.step);
        double start = initialValidationLoss(o);
        double end = ck.history.get(2).validLoss();
        System.out.printf("validation loss untrained %.5f, after %d steps %.5f%n", start, ck.step, end);
        assertTrue(end < 0.7 * start, "validation loss must fall by 30 %: " + start + " -> " + end);
        assertTrue(Files.size(dir.resolve("loss.png")) > 1000);
        assertTrue(Files.exists(dir.resolve("export/model.onnx")));
    }

    private double initialValidationLoss(Trainer.Options o) throws Exception {
        Trainer t = new Trainer(o, new SyntheticSongs(8, 8000, 2.0, 1), new SyntheticSongs(2, 8000, 2.0, 99),
                dir.resolve("probe"), new PrintStream(new ByteArrayOutputStream()), Progress.NONE);
        float[][] norm = t.normalisation();
        UnmixNet net = UnmixNet.initialize(TINY, o.seed(), norm[0], norm[1]);
        try (TrainingSession s = new TrainingSession(net, null, null, 0, o.rows(), 1)) {
            return t.validate(s);
        }
    }

    /** Two epochs straight, and one epoch, "interrupted", then resumed: the same bits. */
    @Test
    void resumeGivesTheSameResultAsAnUninterruptedRun() throws Exception {
        Trainer.Options two = new Trainer.Options(TINY, 128, 2, 3, 2e-3, 3, 0.3, 1, 0, 32);
        SyntheticSongs train = new SyntheticSongs(5, 8000, 1.0, 2), valid = new SyntheticSongs(1, 8000, 1.0, 77);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Checkpoint straight = new Trainer(two, train, valid, dir.resolve("a"), quiet, Progress.NONE).run(false);
        Checkpoint partial = new Trainer(two, train, valid, dir.resolve("b"), quiet, Progress.NONE).runUntil(false, 1);
        assertEquals(1, partial.epoch);
        Checkpoint resumed = new Trainer(two, train, valid, dir.resolve("b"), quiet, Progress.NONE).run(true);
        assertEquals(2, resumed.epoch);
        assertEquals(straight.step, resumed.step);
        for (String p : straight.net.paramNames()) {
            assertArrayEquals(straight.net.params.get(p), resumed.net.params.get(p), 0f, p + " differs after resume");
            assertArrayEquals(straight.m.get(p), resumed.m.get(p), 0f);
            assertArrayEquals(straight.v.get(p), resumed.v.get(p), 0f);
        }
        assertEquals(straight.history.get(1).validLoss(), resumed.history.get(1).validLoss(), 0.0);
    }
}
