package org.stemroom.bench.separation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.onnx.GeneratedTfcTdfModel;
import org.stemroom.separation.onnx.ModelManifest;
import org.stemroom.separation.onnx.OnnxModel;
import org.stemroom.separation.onnx.OnnxGraphBuilder;
import org.stemroom.separation.onnx.OnnxSeparator;

/**
 * How much of a neural separation our own pre- and post-processing costs (STFT, cropping, tensor packing,
 * overlap blending, inverse STFT), against the time inside ONNX Runtime, on 30 s of stereo 44.1 kHz through the
 * complex (MDX-Net) family: n_fft 6144, hop 1024, 3072 bins kept, 256 frames a segment, input [1, 4, 3072, 256].
 * Two generated models:
 * <ul>
 *   <li>{@code tiny}: three 3x3 convolutions 4 -&gt; 32 -&gt; 32 -&gt; 4 (about 18 GFLOP a segment), far smaller than any
 *       real model: ONNX Runtime finishes it quickly, so the share measures our own code;</li>
 *   <li>{@code tfc-tdf}: a real-sized MDX-Net, the TFC-TDF U-Net at KUIELab's published sizes
 *       ({@link GeneratedTfcTdfModel}); its parameter count and FLOPs per segment are printed. The target
 *       (our share under 10 %) is about a model of this size.</li>
 * </ul>
 * Usage: {@code OnnxOverhead [tiny|tfc-tdf|both]} (default both). CPU seconds are the process's (all threads),
 * split at ONNX Runtime's run calls; the load average is printed with each round.
 */
public final class OnnxOverhead {
    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        if (!which.equals("tiny") && !which.equals("tfc-tdf") && !which.equals("both")) {
            System.err.println("usage: OnnxOverhead [tiny|tfc-tdf|both]");
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("stemroom-onnx-overhead");
        try {
            if (!which.equals("tfc-tdf")) {
                measure("tiny model (3 convs 4-32-32-4)", tinyModel(dir.resolve("tiny")), 3);
            }
            if (!which.equals("tiny")) {
                GeneratedTfcTdfModel.Config cfg = GeneratedTfcTdfModel.Config.kuielabVocals(3072);
                GeneratedTfcTdfModel.Built built = GeneratedTfcTdfModel.build(cfg, 1);
                System.out.printf(Locale.ROOT, "real-sized model: %s; %.2f M parameters (%.1f MB of float32 weights), "
                        + "%.1f GFLOP per segment (%.2f s of audio)%n", built.description(), built.parameters() / 1e6,
                        built.parameters() * 4 / 1e6, built.flops() / 1e9, (256 - 1) * 1024 / 44100.0);
                Path mf = GeneratedTfcTdfModel.write(dir.resolve("tfc-tdf"), built, cfg, 2);
                double gflop = built.flops() / 1e9;
                measure(String.format(Locale.ROOT, "real-sized TFC-TDF U-Net (%.0f GFLOP/segment)", gflop), mf, 2);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Warm-up on 5 s, then {@code rounds} separations of 30 s, each printed with its wall and CPU split. */
    static void measure(String label, Path manifest, int rounds) throws Exception {
        Random r = new Random(1);
        int n = 30 * 44100;
        float[][] x = new float[2][n];
        for (int c = 0; c < 2; c++) for (int i = 0; i < n; i++) x[c][i] = (float) (0.1 * r.nextGaussian());
        AudioClip clip = new AudioClip(AudioFormat.of(44100, 2), x);
        try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(manifest))) {
            sep.separate(new AudioClip(clip.format(), new float[][] {java.util.Arrays.copyOf(x[0], 44100 * 5),
                    java.util.Arrays.copyOf(x[1], 44100 * 5)})); // warm-up
            for (int round = 0; round < rounds; round++) {
                long run0 = sep.model().runNanos(), runCpu0 = sep.model().runCpuNanos(), runs0 = sep.model().runs();
                long cpu0 = OnnxModel.processCpuNanos();
                long t0 = System.nanoTime();
                StemSet stems = sep.separate(clip);
                long total = System.nanoTime() - t0;
                long totalCpu = OnnxModel.processCpuNanos() - cpu0;
                long inRuntime = sep.model().runNanos() - run0, inRuntimeCpu = sep.model().runCpuNanos() - runCpu0;
                System.out.printf(Locale.ROOT, "ONNX path, 30 s stereo, %s, %d segments: wall: total %.2f s, inside ONNX "
                        + "Runtime %.2f s, our pre/post-processing %.2f s = %.1f%% of the total; CPU: total %.2f s, ONNX "
                        + "Runtime %.2f s, ours %.2f s = %.1f%% (target < 10%%; load %.1f; stems rms %.3g)%n", label,
                        sep.model().runs() - runs0, total / 1e9, inRuntime / 1e9, (total - inRuntime) / 1e9,
                        100.0 * (total - inRuntime) / total, totalCpu / 1e9, inRuntimeCpu / 1e9,
                        (totalCpu - inRuntimeCpu) / 1e9, 100.0 * (totalCpu - inRuntimeCpu) / totalCpu,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        rms(stems.get(sep.stemNames().get(0)).channel(0)));
            }
        }
    }

    /** The session-5 benchmark graph, unchanged so that its figures compare across sessions. */
    static Path tinyModel(Path dir) throws Exception {
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
        Files.createDirectories(dir);
        Files.write(dir.resolve("mdx-like.onnx"), g.build());
        Path mf = dir.resolve("mdx-like.json");
        Files.writeString(mf, "{\"family\":\"complex\",\"model\":\"mdx-like.onnx\",\"sampleRate\":44100,\"channels\":2,"
                + "\"stems\":[\"vocals\"],\"complementStem\":\"instrumental\",\"stft\":{\"nFft\":6144,\"hop\":1024,"
                + "\"window\":\"hann\",\"padding\":\"reflect\",\"binsKept\":3072},\"segmentFrames\":256,\"overlap\":0.25,"
                + "\"batch\":1,\"session\":{\"intraOpThreads\":2}}");
        return mf;
    }

    static double rms(float[] a) {
        double s = 0;
        for (float v : a) s += (double) v * v;
        return Math.sqrt(s / Math.max(1, a.length));
    }

    static float[] randoms(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (scale * r.nextGaussian());
        return a;
    }
}
