package org.stemroom.separation.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes a small frame-wise mask network of the magnitude family with seeded random weights, and its manifest:
 * the same tensor contract and kind of graph as the project's trained separator (log-magnitude in, one hidden
 * layer, a softmax across the stems so the masks sum to one), at any size. Tests use it to run the "neural" path
 * end to end without the trained model; benchmarks use it at realistic size for speed. Its output is meaningless
 * as separation, but it is deterministic and exercises every step a real model goes through.
 *
 * <p>Graph: {@code mag [B, C, bins, T]} -&gt; transpose to {@code [B, T, C*bins]} -&gt; {@code log(1 + x)} -&gt;
 * {@code MatMul + bias, Relu} -&gt; {@code MatMul + bias} -&gt; {@code [B, T, S, C, bins]} -&gt; softmax over S -&gt;
 * {@code mask [B, S, C, bins, T]}.
 */
public final class GeneratedMaskModel {
    private GeneratedMaskModel() { }

    /**
     * Writes {@code model.onnx} and {@code manifest.json} (with the model's SHA-256) into {@code dir}.
     *
     * @return the manifest
     */
    public static Path write(Path dir, String name, List<String> stems, int channels, int sampleRate, int nFft,
            int hop, int segmentFrames, int hidden, int intraOpThreads, long seed) throws IOException {
        int bins = nFft / 2 + 1, s = stems.size(), in = channels * bins, out = s * channels * bins;
        Random rnd = new Random(seed);
        float[] w1 = gaussian(rnd, in * hidden, 1 / Math.sqrt(in));
        float[] b1 = gaussian(rnd, hidden, 0.1);
        float[] w2 = gaussian(rnd, hidden * out, 1 / Math.sqrt(hidden));
        float[] b2 = gaussian(rnd, out, 0.1);
        byte[] model = new OnnxGraphBuilder()
                .input("mag", -1, channels, bins, segmentFrames)
                .constant("one", new float[] {1f}, 1)
                .constant("w1", w1, in, hidden)
                .constant("b1", b1, hidden)
                .constant("w2", w2, hidden, out)
                .constant("b2", b2, out)
                .constantLong("flat", new long[] {0, 0, -1}, 3)
                .constantLong("split", new long[] {0, 0, s, channels, bins}, 5)
                .node("Transpose", new String[] {"mag"}, new String[] {"t"}, OnnxGraphBuilder.intsAttr("perm", 0, 3, 1, 2))
                .node("Reshape", new String[] {"t", "flat"}, new String[] {"x"})
                .node("Add", new String[] {"x", "one"}, new String[] {"x1"})
                .node("Log", new String[] {"x1"}, new String[] {"lx"})
                .node("MatMul", new String[] {"lx", "w1"}, new String[] {"h0"})
                .node("Add", new String[] {"h0", "b1"}, new String[] {"h1"})
                .node("Relu", new String[] {"h1"}, new String[] {"h"})
                .node("MatMul", new String[] {"h", "w2"}, new String[] {"o0"})
                .node("Add", new String[] {"o0", "b2"}, new String[] {"o1"})
                .node("Reshape", new String[] {"o1", "split"}, new String[] {"o"})
                .node("Softmax", new String[] {"o"}, new String[] {"m"}, OnnxGraphBuilder.intAttr("axis", 2))
                .node("Transpose", new String[] {"m"}, new String[] {"mask"},
                        OnnxGraphBuilder.intsAttr("perm", 0, 2, 3, 4, 1))
                .output("mask", -1, s, channels, bins, segmentFrames)
                .build();
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), model);
        StringBuilder st = new StringBuilder();
        for (String x : stems) st.append(st.length() == 0 ? "" : ",").append('"').append(x).append('"');
        String json = String.format(Locale.ROOT, "{%n  \"name\": \"%s\",%n  \"family\": \"magnitude\",%n"
                + "  \"model\": \"model.onnx\",%n  \"sha256\": \"%s\",%n  \"sampleRate\": %d,%n  \"channels\": %d,%n"
                + "  \"stems\": [%s],%n  \"outputKind\": \"mask\",%n"
                + "  \"stft\": {\"nFft\": %d, \"hop\": %d, \"window\": \"hann\", \"padding\": \"reflect\"},%n"
                + "  \"segmentFrames\": %d,%n  \"overlap\": 0.25,%n  \"batch\": 1,%n"
                + "  \"session\": {\"intraOpThreads\": %d}%n}%n",
                name, BuiltinModels.sha256(model), sampleRate, channels, st, nFft, hop, segmentFrames, intraOpThreads);
        Path mf = dir.resolve("manifest.json");
        Files.writeString(mf, json);
        return mf;
    }

    private static float[] gaussian(Random rnd, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextGaussian() * scale);
        return a;
    }
}
