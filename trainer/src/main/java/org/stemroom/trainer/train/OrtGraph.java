package org.stemroom.trainer.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stemroom.core.StemroomException;

/**
 * An ONNX Runtime session on a graph held in memory, with a fixed number of intra-op threads and sequential
 * execution (the same settings as {@link org.stemroom.separation.onnx.OnnxModel}), so runs are deterministic for
 * a given thread count.
 */
public final class OrtGraph implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OrtGraph(byte[] model, int threads) throws StemroomException {
        this(model, threads, false);
    }

    /**
     * @param float64 the graph is float64: ONNX Runtime's extended fusions (FusedMatMul) exist for float32 only,
     *                so only the basic graph optimisations run
     */
    public OrtGraph(byte[] model, int threads, boolean float64) throws StemroomException {
        try {
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(float64 ? OrtSession.SessionOptions.OptLevel.BASIC_OPT
                    : OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model, o);
        } catch (OrtException e) {
            throw new StemroomException("training graph rejected by ONNX Runtime: " + e.getMessage());
        }
    }

    public OrtEnvironment env() { return env; }

    public OrtSession session() { return session; }

    /** Runs a float64 graph. */
    public Map<String, double[]> runDouble(Map<String, double[]> in, Map<String, long[]> shapes) throws StemroomException {
        Map<String, OnnxTensor> t = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, double[]> e : in.entrySet()) {
                t.put(e.getKey(), OnnxTensor.createTensor(env, DoubleBuffer.wrap(e.getValue()), shapes.get(e.getKey())));
            }
            try (OrtSession.Result r = session.run(t)) {
                Map<String, double[]> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : r) {
                    DoubleBuffer b = ((OnnxTensor) e.getValue()).getDoubleBuffer();
                    double[] a = new double[b.remaining()];
                    b.get(a);
                    out.put(e.getKey(), a);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new StemroomException("training graph failed: " + e.getMessage());
        } finally {
            for (OnnxTensor x : t.values()) x.close();
        }
    }

    /** Runs a float32 graph. */
    public Map<String, float[]> runFloat(Map<String, float[]> in, Map<String, long[]> shapes) throws StemroomException {
        Map<String, OnnxTensor> t = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, float[]> e : in.entrySet()) {
                t.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), shapes.get(e.getKey())));
            }
            try (OrtSession.Result r = session.run(t)) {
                Map<String, float[]> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : r) {
                    FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
                    float[] a = new float[b.remaining()];
                    b.get(a);
                    out.put(e.getKey(), a);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new StemroomException("training graph failed: " + e.getMessage());
        } finally {
            for (OnnxTensor x : t.values()) x.close();
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing to report: the session is gone either way
        }
    }
}
