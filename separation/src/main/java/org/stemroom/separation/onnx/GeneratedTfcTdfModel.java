package org.stemroom.separation.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Writes an MDX-Net-sized separation network with seeded random weights: the TFC-TDF U-Net of KUIELab's MDX-Net
 * (Kim, Choi, Chung, Lee &amp; Jung, "KUIELab-MDX-Net", MDX Challenge 2021; the U-Net with TFC-TDF blocks of Choi
 * et al., ISMIR 2020), the architecture the UVR MDX-Net models share, at the published sizes (KUIELab's
 * {@code ConvTDFNet_vocals} configuration: 11 blocks = 5 encoder levels, a bottleneck and 5 decoder levels; 3
 * convolutions of 3x3 per TFC block; channels growing by 32 per level, 32 to 192; TDF bottleneck factor 8; n_fft
 * 6144, hop 1024, 256 frames a segment, 4 input planes L.re L.im R.re R.im). Its output means nothing as separation;
 * it exists so that benchmarks time our pre- and post-processing against the inference cost of a model of the
 * size users run, not against a toy graph.
 *
 * <p>The graph is the network's inference form, with batch normalisation folded away: each convolution carries a
 * bias, each batch norm that follows a TDF linear layer becomes a per-channel scale and shift.
 * <pre>
 * spec [B, 4, F, T] -&gt; 1x1 conv 4-&gt;g, ReLU -&gt; transpose to [B, g, T, F]
 * 5 x { TFC-TDF(c, f) -&gt; keep as skip -&gt; 2x2 conv stride 2, c -&gt; c+g, ReLU }     (f and T halve, c grows by g)
 * TFC-TDF(c, f)                                                                      (bottleneck)
 * 5 x { 2x2 transposed conv stride 2, c -&gt; c-g, ReLU -&gt; times the skip -&gt; TFC-TDF(c, f) }
 * transpose back -&gt; 1x1 conv g-&gt;4 -&gt; out [B, 4, F, T]
 * TFC-TDF(c, f): x = 3 x (kxk conv c-&gt;c, ReLU); x + ReLU(affine(ReLU(affine(x W1)) W2)), W1 [f, f/bn], W2 [f/bn, f]
 * </pre>
 * {@link Built#parameters} and {@link Built#flops} are counted while the graph is built, layer by layer.
 */
public final class GeneratedTfcTdfModel {
    private GeneratedTfcTdfModel() { }

    /**
     * The architecture's size parameters, named as KUIELab's configuration names them: {@code dimF} bins kept,
     * {@code dimT} frames, {@code blocks} TFC-TDF blocks ({@code blocks / 2} levels down and up), {@code layers}
     * convolutions per TFC ({@code l}), {@code growth} channels added per level ({@code g}), {@code kernel}
     * ({@code k}), {@code tdfBottleneck} ({@code bn}).
     */
    public record Config(int dimF, int dimT, int blocks, int layers, int growth, int kernel, int tdfBottleneck) {
        public Config {
            int levels = blocks / 2;
            if (dimF % (1 << levels) != 0 || dimT % (1 << levels) != 0 || (dimF >> levels) / tdfBottleneck < 1) {
                throw new IllegalArgumentException("dimF and dimT must halve " + levels + " times (and dimF/2^levels >= bn): "
                        + this);
            }
        }

        /** KUIELab's {@code ConvTDFNet_vocals}: 11 blocks, l 3, g 32, k 3, bn 8, 256 frames, with {@code dimF} bins. */
        public static Config kuielabVocals(int dimF) {
            return new Config(dimF, 256, 11, 3, 32, 3, 8);
        }

        String describe() {
            return String.format(Locale.ROOT, "TFC-TDF U-Net (KUIELab MDX-Net ConvTDFNet): input [1, 4, %d, %d], %d blocks, "
                    + "%d convs %dx%d per TFC, channels %d..%d, TDF bottleneck f/%d", dimF, dimT, blocks, layers, kernel,
                    kernel, growth, growth * (blocks / 2 + 1), tdfBottleneck);
        }
    }

    /** A built model: its bytes, parameter count and floating-point operations per segment (multiply-add = 2). */
    public record Built(byte[] model, long parameters, double flops, String description) { }

    /** Builds the graph with weights drawn from {@code seed}. */
    public static Built build(Config cfg, long seed) {
        return new Builder(cfg, seed).build();
    }

    /**
     * Writes {@code model.onnx} and a complex-family {@code manifest.json} (n_fft 6144, hop 1024, Hann, reflect
     * padding, 25 % segment overlap, batch 1, one stem "vocals" and its complement "instrumental") into {@code dir}.
     *
     * @return the manifest
     */
    public static Path write(Path dir, Built built, Config cfg, int intraOpThreads) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("model.onnx"), built.model());
        Path mf = dir.resolve("manifest.json");
        Files.writeString(mf, String.format(Locale.ROOT, "{\"name\":\"generated-tfc-tdf\",\"family\":\"complex\","
                + "\"model\":\"model.onnx\",\"sha256\":\"%s\",\"sampleRate\":44100,\"channels\":2,\"stems\":[\"vocals\"],"
                + "\"complementStem\":\"instrumental\",\"stft\":{\"nFft\":6144,\"hop\":1024,\"window\":\"hann\","
                + "\"padding\":\"reflect\",\"binsKept\":%d},\"segmentFrames\":%d,\"overlap\":0.25,\"batch\":1,"
                + "\"session\":{\"intraOpThreads\":%d}}", BuiltinModels.sha256(built.model()), cfg.dimF(), cfg.dimT(),
                intraOpThreads));
        return mf;
    }

    private static final class Builder {
        private final Config cfg;
        private final Random rnd;
        private final OnnxGraphBuilder g = new OnnxGraphBuilder().graphName("generated_tfc_tdf_unet");
        private long params;
        private double flops;
        private int names;

        Builder(Config cfg, long seed) {
            this.cfg = cfg;
            this.rnd = new Random(seed);
        }

        Built build() {
            int f = cfg.dimF(), t = cfg.dimT(), c = cfg.growth(), levels = cfg.blocks() / 2;
            g.input("spec", -1, 4, f, t);
            String x = conv("spec", 4, c, 1, 1, f, t);
            x = relu(x);
            x = node("Transpose", new String[] {x}, OnnxGraphBuilder.intsAttr("perm", 0, 1, 3, 2)); // [B, c, T, F]
            String[] skips = new String[levels];
            for (int i = 0; i < levels; i++) {
                x = tfcTdf(x, c, f, t);
                skips[i] = x;
                x = relu(conv(x, c, c + cfg.growth(), 2, 2, t / 2, f / 2));
                c += cfg.growth();
                f /= 2;
                t /= 2;
            }
            x = tfcTdf(x, c, f, t);
            for (int i = 0; i < levels; i++) {
                x = relu(convTranspose(x, c, c - cfg.growth(), t * 2, f * 2));
                c -= cfg.growth();
                f *= 2;
                t *= 2;
                x = node("Mul", new String[] {x, skips[levels - 1 - i]});
                x = tfcTdf(x, c, f, t);
            }
            x = node("Transpose", new String[] {x}, OnnxGraphBuilder.intsAttr("perm", 0, 1, 3, 2)); // [B, c, F, T]
            String out = conv(x, c, 4, 1, 1, f, t);
            g.node("Identity", new String[] {out}, new String[] {"out"});
            g.output("out", -1, 4, cfg.dimF(), cfg.dimT());
            return new Built(g.build(), params, flops, cfg.describe());
        }

        /** TFC (l convolutions kxk, ReLU) then the TDF residual over the frequency axis (the last one here). */
        private String tfcTdf(String x, int c, int f, int t) {
            for (int i = 0; i < cfg.layers(); i++) x = relu(conv(x, c, c, cfg.kernel(), 1, t, f));
            int hidden = f / cfg.tdfBottleneck();
            String h = relu(affine(matMul(x, f, hidden, (double) c * t), c));
            h = relu(affine(matMul(h, hidden, f, (double) c * t), c));
            return node("Add", new String[] {x, h});
        }

        /**
         * Convolution with bias (a folded batch norm), square kernel {@code k}, stride {@code stride} (padding k/2 at
         * stride 1, none for the stride-2 downsampling); {@code outH x outW} is the output's spatial size, for FLOPs.
         */
        private String conv(String x, int cin, int cout, int k, int stride, int outH, int outW) {
            String w = weight(new long[] {cout, cin, k, k}, cin * k * k);
            String b = bias(cout);
            int pad = stride == 1 ? k / 2 : 0;
            flops += 2.0 * cout * cin * k * k * outH * outW;
            return node("Conv", new String[] {x, w, b}, OnnxGraphBuilder.intsAttr("kernel_shape", k, k),
                    OnnxGraphBuilder.intsAttr("strides", stride, stride), OnnxGraphBuilder.intsAttr("pads", pad, pad, pad, pad));
        }

        /** 2x2 transposed convolution, stride 2, with bias. */
        private String convTranspose(String x, int cin, int cout, int outH, int outW) {
            String w = weight(new long[] {cin, cout, 2, 2}, cin);
            String b = bias(cout);
            flops += 2.0 * cin * cout * outH * outW; // each output pixel receives one kernel tap from each input channel
            return node("ConvTranspose", new String[] {x, w, b}, OnnxGraphBuilder.intsAttr("kernel_shape", 2, 2),
                    OnnxGraphBuilder.intsAttr("strides", 2, 2));
        }

        private String matMul(String x, int in, int out, double rows) {
            String w = weight(new long[] {in, out}, in);
            flops += 2.0 * rows * in * out;
            return node("MatMul", new String[] {x, w});
        }

        /** A batch norm in inference form over the channel axis of [B, c, T, f]: x * scale + shift. */
        private String affine(String x, int c) {
            String scale = name("scale");
            String shift = name("shift");
            float[] a = new float[c], b = new float[c];
            for (int i = 0; i < c; i++) {
                a[i] = (float) (1 + 0.1 * rnd.nextGaussian());
                b[i] = (float) (0.05 * rnd.nextGaussian());
            }
            g.constant(scale, a, c, 1, 1);
            g.constant(shift, b, c, 1, 1);
            params += 2L * c;
            return node("Add", new String[] {node("Mul", new String[] {x, scale}), shift});
        }

        private String relu(String x) {
            return node("Relu", new String[] {x});
        }

        /** Gaussian weights scaled by sqrt(2 / fan-in), so that activations keep their size through the ReLUs. */
        private String weight(long[] dims, int fanIn) {
            int n = 1;
            for (long d : dims) n = Math.multiplyExact(n, (int) d);
            float[] w = new float[n];
            double s = Math.sqrt(2.0 / fanIn);
            for (int i = 0; i < n; i++) w[i] = (float) (s * rnd.nextGaussian());
            String name = name("w");
            g.constant(name, w, dims);
            params += n;
            return name;
        }

        private String bias(int n) {
            float[] b = new float[n];
            for (int i = 0; i < n; i++) b[i] = (float) (0.05 * rnd.nextGaussian());
            String name = name("b");
            g.constant(name, b, n);
            params += n;
            return name;
        }

        private String node(String op, String[] in, byte[]... attrs) {
            String out = name(op.toLowerCase(Locale.ROOT));
            g.node(op, in, new String[] {out}, attrs);
            return out;
        }

        private String name(String prefix) {
            return prefix + "_" + (names++);
        }
    }
}
