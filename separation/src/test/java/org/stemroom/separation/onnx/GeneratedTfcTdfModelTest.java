package org.stemroom.separation.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.separation.StemSet;

/**
 * The generated MDX-Net-sized network: its counted parameters and FLOPs against the architecture's closed form, and
 * a scaled-down instance that ONNX Runtime loads and runs through the complex-family separator.
 */
class GeneratedTfcTdfModelTest {
    @TempDir
    Path dir;

    /** Parameters and FLOPs of the TFC-TDF U-Net written out level by level from the architecture's description. */
    static double[] closedForm(GeneratedTfcTdfModel.Config c) {
        int g = c.growth(), l = c.layers(), k = c.kernel(), bn = c.tdfBottleneck(), levels = c.blocks() / 2;
        double params = 4 * g + g + g * 4 + 4; // first and final 1x1 convolutions with biases
        double flops = 2.0 * 4 * g * c.dimF() * c.dimT() * 2;
        int ch = g;
        long f = c.dimF(), t = c.dimT();
        for (int lev = 0; lev <= levels; lev++) {
            int blocks = lev < levels ? 2 : 1; // an encoder and a decoder block per level, one bottleneck
            double tfcTdfParams = l * ((double) ch * ch * k * k + ch) + 2.0 * f * (f / bn) + 4.0 * ch;
            double tfcTdfFlops = l * 2.0 * ch * ch * k * k * f * t + 2 * 2.0 * ch * t * f * (f / bn);
            params += blocks * tfcTdfParams;
            flops += blocks * tfcTdfFlops;
            if (lev < levels) {
                int next = ch + g;
                // down: 2x2 stride-2 conv ch -> next; up: 2x2 stride-2 transposed conv next -> ch; each with a bias
                params += (4.0 * ch * next + next) + (4.0 * next * ch + ch);
                flops += 2.0 * next * ch * 4 * (f / 2) * (t / 2) + 2.0 * next * ch * f * t;
                ch = next;
                f /= 2;
                t /= 2;
            }
        }
        return new double[] {params, flops};
    }

    @Test
    void countsMatchTheArchitecturesClosedFormAtFullDepth() {
        // the published depth (11 blocks, 3 convs per TFC, bn 8) at small widths, so the test stays fast; the
        // benchmark prints the counts at the published size (OnnxOverhead)
        GeneratedTfcTdfModel.Config deep = new GeneratedTfcTdfModel.Config(256, 64, 11, 3, 8, 3, 8);
        GeneratedTfcTdfModel.Built built = GeneratedTfcTdfModel.build(deep, 1);
        double[] expected = closedForm(deep);
        assertEquals((long) expected[0], built.parameters());
        assertEquals(expected[1], built.flops(), 1e-9 * expected[1]);
        GeneratedTfcTdfModel.Config published = GeneratedTfcTdfModel.Config.kuielabVocals(3072);
        assertEquals(new GeneratedTfcTdfModel.Config(3072, 256, 11, 3, 32, 3, 8), published);
        // at the published size: about 11 M parameters and 371 GFLOP a segment (tens of MB of weights, as UVR's files)
        double[] real = closedForm(published);
        assertTrue(real[0] > 10e6 && real[0] < 12e6 && real[1] > 3.6e11 && real[1] < 3.8e11, real[0] + " " + real[1]);
        assertThrows(IllegalArgumentException.class, () -> new GeneratedTfcTdfModel.Config(3000, 256, 11, 3, 32, 3, 8));
    }

    @Test
    void aScaledDownInstanceRunsThroughTheComplexFamily() throws Exception {
        GeneratedTfcTdfModel.Config small = new GeneratedTfcTdfModel.Config(128, 32, 5, 2, 4, 3, 4);
        GeneratedTfcTdfModel.Built built = GeneratedTfcTdfModel.build(small, 3);
        double[] expected = closedForm(small);
        assertEquals((long) expected[0], built.parameters());
        assertEquals(expected[1], built.flops(), 1e-9 * expected[1]);
        Path mf = GeneratedTfcTdfModel.write(dir, built, small, 1);
        try (OnnxModel m = new OnnxModel(dir.resolve("model.onnx"), null, 1, true, mf)) {
            float[] in = new float[4 * 128 * 32];
            Random r = new Random(5);
            for (int i = 0; i < in.length; i++) in[i] = (float) r.nextGaussian();
            Map<String, float[]> data = new LinkedHashMap<>();
            data.put("spec", in);
            Map<String, long[]> shapes = new HashMap<>();
            shapes.put("spec", new long[] {1, 4, 128, 32});
            float[] y = m.run(data, shapes).get("out");
            assertArrayEquals(new long[] {1, 4, 128, 32}, shapes.get("out"));
            double sq = 0;
            for (float v : y) sq += (double) v * v;
            assertTrue(Double.isFinite(sq) && sq > 0, "output energy " + sq);
        }
        // through the separator: 6144-point STFT, 128 bins kept, 32-frame segments; the complement restores the mixture
        int n = 3 * 44100;
        float[][] x = new float[2][n];
        Random r = new Random(9);
        for (int c = 0; c < 2; c++) for (int i = 0; i < n; i++) x[c][i] = (float) (0.1 * r.nextGaussian());
        AudioClip clip = new AudioClip(AudioFormat.of(44100, 2), x);
        try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(mf))) {
            StemSet s = sep.separate(clip);
            assertEquals(java.util.List.of("vocals", "instrumental"), s.names());
            // random weights give stems of arbitrary size: the complement restores the mixture to their float rounding
            double peak = 0;
            for (int c = 0; c < 2; c++) for (float v : s.get("vocals").channel(c)) peak = Math.max(peak, Math.abs(v));
            assertTrue(Double.isFinite(peak) && peak > 0, "vocals peak " + peak);
            assertTrue(s.consistencyError(clip) <= 1e-6 * Math.max(1, peak), "stems sum to the mixture: "
                    + s.consistencyError(clip) + " (vocals peak " + peak + ")");
        }
    }
}
