package org.stemroom.bench.separation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.separation.onnx.ModelManifest;
import org.stemroom.separation.onnx.OnnxGraphBuilder;
import org.stemroom.separation.onnx.OnnxSeparator;

/**
 * How much of a neural separation our own pre- and post-processing costs (STFT, cropping, tensor packing,
 * overlap blending, inverse STFT), against the time inside ONNX Runtime, with a generated MDX-shaped model of
 * realistic size: n_fft 6144, hop 1024, 3072 bins kept, 256 frames a segment, input [1, 4, 3072, 256], three 3x3
 * convolutions 4 -> 32 -> 32 -> 4 (about 12 GFLOP per segment, the order of a small MDX-Net).
 */
public final class OnnxOverhead {
    public static void main(String[] args) throws Exception {
        int bins = 3072, frames = 256, hidden = 32;
        Random r = new Random(1);
        OnnxGraphBuilder g = new OnnxGraphBuilder().input("spec", -1, 4, bins, frames);
        g.constant("w1", randoms(r, hidden * 4 * 9, 0.05f), hidden, 4, 3, 3);
        g.constant("w2", randoms(r, hidden * hidden * 9, 0.02f), hidden, hidden, 3, 3);
        g.constant("w3", randoms(r, 4 * hidden * 9, 0.02f), 4, hidden, 3, 3);
        byte[][] conv = {OnnxGraphBuilder.intsAttr("kernel_shape", 3, 3), OnnxGraphBuilder.intsAttr("pads", 1, 1, 1, 1)};
        g.node("Conv", new String[] {"spec", "w1"}, new String[] {"h1"}, conv);
        g.node("Relu", new String[] {"h1"}, new String[] {"a1"});
        g.node("Conv", new String[] {"a1", "w2"}, new String[] {"h2"}, conv);
        g.node("Relu", new String[] {"h2"}, new String[] {"a2"});
        g.node("Conv", new String[] {"a2", "w3"}, new String[] {"out"}, conv);
        g.output("out", -1, 4, bins, frames);
        Path dir = Files.createTempDirectory("stemroom-onnx-overhead");
        Files.write(dir.resolve("mdx-like.onnx"), g.build());
        Path mf = dir.resolve("mdx-like.json");
        Files.writeString(mf, "{\"family\":\"complex\",\"model\":\"mdx-like.onnx\",\"sampleRate\":44100,\"channels\":2,"
                + "\"stems\":[\"vocals\"],\"complementStem\":\"instrumental\",\"stft\":{\"nFft\":6144,\"hop\":1024,"
                + "\"window\":\"hann\",\"padding\":\"reflect\",\"binsKept\":3072},\"segmentFrames\":256,\"overlap\":0.25,"
                + "\"batch\":1,\"session\":{\"intraOpThreads\":2}}");
        int n = 30 * 44100;
        float[][] x = new float[2][n];
        for (int c = 0; c < 2; c++) for (int i = 0; i < n; i++) x[c][i] = (float) (0.1 * r.nextGaussian());
        AudioClip clip = new AudioClip(AudioFormat.of(44100, 2), x);
        try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(mf))) {
            sep.separate(new AudioClip(clip.format(), new float[][] {java.util.Arrays.copyOf(x[0], 44100 * 5),
                    java.util.Arrays.copyOf(x[1], 44100 * 5)})); // warm-up
            for (int round = 0; round < 3; round++) {
                long run0 = sep.model().runNanos(), runCpu0 = sep.model().runCpuNanos();
                long cpu0 = org.stemroom.separation.onnx.OnnxModel.processCpuNanos();
                long t0 = System.nanoTime();
                sep.separate(clip);
                long total = System.nanoTime() - t0;
                long totalCpu = org.stemroom.separation.onnx.OnnxModel.processCpuNanos() - cpu0;
                long inRuntime = sep.model().runNanos() - run0, inRuntimeCpu = sep.model().runCpuNanos() - runCpu0;
                System.out.printf(Locale.ROOT, "ONNX path, 30 s stereo, MDX-shaped model [1,4,3072,256]: wall: total %.2f s, "
                        + "inside ONNX Runtime %.2f s, our pre/post-processing %.2f s = %.1f%% of the total; CPU: total "
                        + "%.2f s, ONNX Runtime %.2f s, ours %.2f s = %.1f%% (target < 10%%; load %.1f)%n",
                        total / 1e9, inRuntime / 1e9, (total - inRuntime) / 1e9, 100.0 * (total - inRuntime) / total,
                        totalCpu / 1e9, inRuntimeCpu / 1e9, (totalCpu - inRuntimeCpu) / 1e9,
                        100.0 * (totalCpu - inRuntimeCpu) / totalCpu,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
        for (Path p : new Path[] {dir.resolve("mdx-like.onnx"), mf, dir}) Files.deleteIfExists(p);
    }

    static float[] randoms(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (scale * r.nextGaussian());
        return a;
    }
}
