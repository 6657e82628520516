package org.stemroom.separation.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.stemroom.core.StemroomException;

/**
 * One ONNX Runtime session, created once and reused for every run: the file checked against its SHA-256 first,
 * intra-op threads always set (ONNX Runtime would otherwise take every core), the CPU arena on or off as the
 * manifest says, sequential execution. Inputs and outputs are float32 tensors.
 */
public final class OnnxModel implements AutoCloseable {
    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private long runNanos;
    private long runCpuNanos;
    private long runs;

    public OnnxModel(Path file, String expectedSha256, int intraOpThreads, boolean arena, Path manifest)
            throws StemroomException {
        this.file = file;
        if (!Files.isRegularFile(file)) {
            throw new StemroomException(file + ": model file not found (named by manifest " + manifest + ")");
        }
        if (expectedSha256 != null && !expectedSha256.isBlank()) {
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(expectedSha256.trim())) {
                throw new StemroomException(file + ": SHA-256 is " + actual + " but manifest " + manifest
                        + " expects " + expectedSha256.trim() + " (wrong or corrupted model file)");
            }
        }
        try {
            env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(intraOpThreads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setCPUArenaAllocator(arena);
            // ONNX Runtime's intra-op threads otherwise busy-wait after each run, taking the cores from our own
            // pre/post-processing (and from everything else on a shared machine) between runs
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            o.setMemoryPatternOptimization(arena);
            session = env.createSession(file.toString(), o);
        } catch (OrtException e) {
            throw new StemroomException(file + ": ONNX Runtime cannot load the model: " + e.getMessage());
        }
    }

    public Path file() { return file; }

    /** Shape of a named input as the graph declares it (-1 for dynamic dimensions). */
    public long[] inputShape(String name) throws StemroomException {
        return shape(inputs(), name, "input");
    }

    public long[] outputShape(String name) throws StemroomException {
        return shape(outputs(), name, "output");
    }

    public String firstInput() throws StemroomException { return inputs().keySet().iterator().next(); }

    public String firstOutput() throws StemroomException { return outputs().keySet().iterator().next(); }

    public Map<String, NodeInfo> inputs() throws StemroomException {
        try {
            return session.getInputInfo();
        } catch (OrtException e) {
            throw new StemroomException(file + ": " + e.getMessage());
        }
    }

    public Map<String, NodeInfo> outputs() throws StemroomException {
        try {
            return session.getOutputInfo();
        } catch (OrtException e) {
            throw new StemroomException(file + ": " + e.getMessage());
        }
    }

    private long[] shape(Map<String, NodeInfo> infos, String name, String what) throws StemroomException {
        NodeInfo n = infos.get(name);
        if (n == null) {
            throw new StemroomException(file + ": the model has no " + what + " named '" + name + "' (it has "
                    + infos.keySet() + ")");
        }
        if (!(n.getInfo() instanceof TensorInfo)) throw new StemroomException(file + ": " + what + " '" + name + "' is not a tensor");
        return ((TensorInfo) n.getInfo()).getShape();
    }

    /**
     * Checks a declared shape against what the manifest implies; -1 in either means "any". The message states
     * both, so a user sees at once which manifest field is wrong.
     */
    public void expectShape(String what, String name, long[] expected, String meaning) throws StemroomException {
        long[] actual = what.equals("input") ? inputShape(name) : outputShape(name);
        boolean ok = actual.length == expected.length;
        for (int i = 0; ok && i < actual.length; i++) {
            ok = actual[i] < 0 || expected[i] < 0 || actual[i] == expected[i];
        }
        if (!ok) {
            throw new StemroomException(file + ": model " + what + " '" + name + "' has shape " + fmt(actual)
                    + " but the manifest expects " + fmt(expected) + " " + meaning);
        }
    }

    static String fmt(long[] s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            if (i > 0) b.append(", ");
            b.append(s[i] < 0 ? "?" : String.valueOf(s[i]));
        }
        return b.append(']').toString();
    }

    /** Runs the graph on named float inputs and returns the named outputs' data (copied out). */
    public Map<String, float[]> run(Map<String, float[]> data, Map<String, long[]> shapes) throws StemroomException {
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, float[]> e : data.entrySet()) {
                in.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), shapes.get(e.getKey())));
            }
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            try (OrtSession.Result r = session.run(in)) {
                runNanos += System.nanoTime() - t0;
                runCpuNanos += processCpuNanos() - cpu0;
                runs++;
                Map<String, float[]> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : r) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] a = new float[fb.remaining()];
                    fb.get(a);
                    out.put(e.getKey(), a);
                    shapes.put(e.getKey(), t.getInfo().getShape());
                }
                return out;
            }
        } catch (OrtException e) {
            throw new StemroomException(file + ": inference failed: " + e.getMessage());
        } finally {
            for (OnnxTensor t : in.values()) t.close();
        }
    }

    /**
     * Runs a one-input, one-output graph on direct buffers: ONNX Runtime reads the input where it lies and writes its
     * output straight into {@code output} (a pinned output), so no tensor is copied on either side and nothing is
     * allocated on the Java heap. Both buffers must be direct, in native byte order, positioned at 0 and limited to
     * their shapes' element counts (see {@link #directFloats}). A model whose output does not have {@code outShape}
     * fails with an error that names the shape the manifest implies.
     */
    public void runDirect(String inName, FloatBuffer input, long[] inShape, String outName, FloatBuffer output,
            long[] outShape) throws StemroomException {
        runDirect(new String[] {inName}, new FloatBuffer[] {input}, new long[][] {inShape}, outName, output, outShape);
    }

    /**
     * {@link #runDirect(String, FloatBuffer, long[], String, FloatBuffer, long[])} for a graph of several inputs (the
     * hybrid model reads the mixture's magnitudes and the recipe's prior): the same rules for every buffer.
     */
    public void runDirect(String[] inNames, FloatBuffer[] inputs, long[][] inShapes, String outName, FloatBuffer output,
            long[] outShape) throws StemroomException {
        OnnxTensor[] in = new OnnxTensor[inNames.length];
        OnnxTensor out = null;
        try {
            Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            for (int i = 0; i < in.length; i++) {
                in[i] = OnnxTensor.createTensor(env, inputs[i], inShapes[i]);
                feed.put(inNames[i], in[i]);
            }
            out = OnnxTensor.createTensor(env, output, outShape);
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            try (OrtSession.Result r = session.run(feed, Map.of(outName, out))) {
                runNanos += System.nanoTime() - t0;
                runCpuNanos += processCpuNanos() - cpu0;
                runs++;
            }
        } catch (OrtException e) {
            StringBuilder what = new StringBuilder();
            for (int i = 0; i < inNames.length; i++) {
                what.append(i == 0 ? "input '" : ", input '").append(inNames[i]).append("' ").append(fmt(inShapes[i]));
            }
            throw new StemroomException(file + ": inference failed (" + what + ", output '" + outName + "' expected as "
                    + fmt(outShape) + " from the manifest's stems, channels and segment settings): " + e.getMessage());
        } finally {
            for (OnnxTensor t : in) if (t != null) t.close();
            if (out != null) out.close();
        }
    }

    /**
     * A direct, native-order float buffer of {@code n} values for {@link #runDirect}, or {@code reuse} when it is
     * already large enough (positioned at 0 and limited to {@code n}).
     */
    public static FloatBuffer directFloats(FloatBuffer reuse, int n) {
        FloatBuffer b = reuse != null && reuse.capacity() >= n ? reuse
                : java.nio.ByteBuffer.allocateDirect(Math.multiplyExact(n, Float.BYTES))
                        .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        b.clear();
        b.limit(n);
        return b;
    }

    /** Time spent inside ONNX Runtime's run (for {@link #run}: the tensor copies in and out included), for overhead measurements. */
    public long runNanos() { return runNanos; }

    /**
     * CPU time of the whole process while inside ONNX Runtime's run (all its threads; our code waits meanwhile), for
     * overhead measurements that a loaded machine distorts less than wall time.
     */
    public long runCpuNanos() { return runCpuNanos; }

    /** CPU time used by this process so far (all threads), or 0 where the JVM cannot tell. */
    public static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
    }

    public long runs() { return runs; }

    public Optional<String> outputNamed(String name) throws StemroomException {
        return outputs().containsKey(name) ? Optional.of(name) : Optional.empty();
    }

    static String sha256(Path file) throws StemroomException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new StemroomException(file + ": cannot read model file: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session that failed is harmless; nothing to report to the user
        }
    }

    static long[] copy(long[] s) { return Arrays.copyOf(s, s.length); }
}
