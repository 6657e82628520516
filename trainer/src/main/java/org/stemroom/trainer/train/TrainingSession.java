package org.stemroom.trainer.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stemroom.core.StemroomException;

/**
 * Training by inference: one ONNX Runtime session on the step graph of {@link TrainGraphs} (forward, loss,
 * backward, Adam), one {@code run} per step. Parameters and Adam moments stay inside ONNX Runtime as the previous
 * step's output tensors and are fed straight back in, so a step copies only the batch; they are copied out to Java
 * arrays only for checkpoints and export.
 */
public final class TrainingSession implements AutoCloseable {
    private final UnmixConfig config;
    private final int rows;
    private final OrtGraph stepGraph;
    private final OrtGraph lossGraph;
    private final OnnxTensor featMean;
    private final OnnxTensor featInvStd;
    private final float[] meanArr;
    private final float[] invStdArr;
    /** Current parameters and moments by input name (p, p.m, p.v); owned by {@link #held} or created here. */
    private Map<String, OnnxTensor> state = new LinkedHashMap<>();
    private OrtSession.Result held;
    private final Map<String, OnnxTensor> own = new HashMap<>();
    private long step;

    /** A batch of {@code rows} rows in the layout of {@link TrainGraphs}. */
    public record Batch(float[] mags, float[] mix, float[] target) { }

    public TrainingSession(UnmixNet net, Map<String, float[]> m, Map<String, float[]> v, long step, int rows, int threads)
            throws StemroomException {
        this.config = net.config;
        this.rows = rows;
        this.step = step;
        this.meanArr = net.featMean;
        this.invStdArr = net.featInvStd;
        this.stepGraph = new OrtGraph(TrainGraphs.build(config, rows, TrainGraphs.Kind.ADAM_STEP, false), threads);
        this.lossGraph = new OrtGraph(TrainGraphs.build(config, rows, TrainGraphs.Kind.LOSS, false), threads);
        featMean = tensor(net.featMean, config.featureSize());
        featInvStd = tensor(net.featInvStd, config.featureSize());
        for (UnmixConfig.ParamSpec p : config.params()) {
            putOwn(p.name(), net.params.get(p.name()), p.shape());
            putOwn(p.name() + ".m", m != null ? m.get(p.name()) : new float[p.size()], p.shape());
            putOwn(p.name() + ".v", v != null ? v.get(p.name()) : new float[p.size()], p.shape());
        }
    }

    private void putOwn(String name, float[] data, long[] shape) throws StemroomException {
        OnnxTensor t = tensor(data, shape);
        own.put(name, t);
        state.put(name, t);
    }

    private OnnxTensor tensor(float[] data, long... shape) throws StemroomException {
        try {
            return OnnxTensor.createTensor(stepGraph.env(), FloatBuffer.wrap(data), shape);
        } catch (OrtException e) {
            throw new StemroomException("cannot create tensor: " + e.getMessage());
        }
    }

    public int rows() { return rows; }

    /** Steps taken so far (Adam's t of the last step). */
    public long step() { return step; }

    /** One Adam step on a batch; returns the batch loss before the update. */
    public double step(Batch b, double lr) throws StemroomException {
        Map<String, OnnxTensor> in = new LinkedHashMap<>(state);
        Map<String, OnnxTensor> batch = batchTensors(b);
        in.putAll(batch);
        in.put("featMean", featMean);
        in.put("featInvStd", featInvStd);
        in.put("step", tensor(new float[] {step + 1}, 1));
        in.put("lr", tensor(new float[] {(float) lr}, 1));
        try {
            OrtSession.Result r = stepGraph.session().run(in);
            double loss = ((float[]) r.get("loss").get().getValue())[0];
            Map<String, OnnxTensor> next = new LinkedHashMap<>();
            for (UnmixConfig.ParamSpec p : config.params()) {
                next.put(p.name(), (OnnxTensor) r.get(p.name() + ".next").get());
                next.put(p.name() + ".m", (OnnxTensor) r.get(p.name() + ".m.next").get());
                next.put(p.name() + ".v", (OnnxTensor) r.get(p.name() + ".v.next").get());
            }
            releaseState();
            held = r;
            state = next;
            step++;
            if (!Double.isFinite(loss)) throw new StemroomException("training diverged: loss " + loss + " at step " + step);
            return loss;
        } catch (OrtException e) {
            throw new StemroomException("training step " + (step + 1) + " failed: " + e.getMessage());
        } finally {
            in.get("step").close();
            in.get("lr").close();
            for (OnnxTensor t : batch.values()) t.close();
        }
    }

    /** The loss of the current parameters on a batch (validation). */
    public double loss(Batch b) throws StemroomException {
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        for (UnmixConfig.ParamSpec p : config.params()) in.put(p.name(), state.get(p.name()));
        Map<String, OnnxTensor> batch = batchTensors(b);
        in.putAll(batch);
        in.put("featMean", featMean);
        in.put("featInvStd", featInvStd);
        try (OrtSession.Result r = lossGraph.session().run(in)) {
            return ((float[]) r.get("loss").get().getValue())[0];
        } catch (OrtException e) {
            throw new StemroomException("validation failed: " + e.getMessage());
        } finally {
            for (OnnxTensor t : batch.values()) t.close();
        }
    }

    /** The batch's own tensors (closed after the run); the shared normalisation tensors are added separately. */
    private Map<String, OnnxTensor> batchTensors(Batch b) throws StemroomException {
        int f = config.featureFrames(), bins = config.bins(), s = config.stems().size();
        Map<String, OnnxTensor> m = new LinkedHashMap<>();
        m.put("mags", tensor(b.mags(), rows, f, bins));
        m.put("mix", tensor(b.mix(), rows, s, bins));
        m.put("target", tensor(b.target(), rows, s, bins));
        return m;
    }

    /** Copies a state tensor ({@code p}, {@code p.m} or {@code p.v}) out to Java. */
    public float[] read(String name) {
        try {
            FloatBuffer fb = state.get(name).getFloatBuffer();
            float[] a = new float[fb.remaining()];
            fb.get(a);
            return a;
        } catch (RuntimeException e) {
            throw new IllegalStateException("no state tensor " + name, e);
        }
    }

    /** The network with the current parameters. */
    public UnmixNet net() {
        Map<String, float[]> p = new LinkedHashMap<>();
        for (UnmixConfig.ParamSpec s : config.params()) p.put(s.name(), read(s.name()));
        return new UnmixNet(config, p, meanArr, invStdArr);
    }

    public Map<String, float[]> moments(String which) {
        Map<String, float[]> p = new LinkedHashMap<>();
        for (UnmixConfig.ParamSpec s : config.params()) p.put(s.name(), read(s.name() + "." + which));
        return p;
    }

    private void releaseState() {
        if (held != null) {
            held.close();
            held = null;
        } else {
            for (OnnxTensor t : own.values()) t.close();
            own.clear();
        }
    }

    @Override
    public void close() {
        releaseState();
        featMean.close();
        featInvStd.close();
        stepGraph.close();
        lossGraph.close();
    }
}
