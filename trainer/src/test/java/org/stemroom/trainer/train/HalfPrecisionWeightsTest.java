package org.stemroom.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.onnx.ModelManifest;
import org.stemroom.separation.onnx.OnnxSeparator;

class HalfPrecisionWeightsTest {
    @TempDir
    Path dir;

    /** Bit patterns from IEEE 754-2008 binary16, rounding to nearest with ties to even. */
    @Test
    void roundsToNearestEvenHalf() {
        assertEquals(0x3C00, bits(1f));
        assertEquals(0xC000, bits(-2f));
        assertEquals(0x7BFF, bits(65504f));          // largest finite half
        assertEquals(0x7C00, bits(65520f));          // halfway to the next step: ties to even = infinity
        assertEquals(0x3555, bits(1f / 3));
        assertEquals(0x2E66, bits(0.1f));
        assertEquals(0x0001, bits(0x1p-24f));        // smallest subnormal
        assertEquals(0x0000, bits(0x1p-25f));        // tie between 0 and 2^-24: even = 0
        assertEquals(0x0002, bits(3 * 0x1p-25f));    // tie between 1 and 2 ulps: even = 2
        assertEquals(0x0400, bits(0x1p-14f));        // smallest normal
        assertEquals(0x3C00, bits(1 + 0x1p-11f));    // tie: 1.0 (even mantissa)
        assertEquals(0x3C02, bits(1 + 3 * 0x1p-11f)); // tie: up to the even neighbour
        assertEquals(0xFC00, bits(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(HalfPrecisionWeights.toFloat(HalfPrecisionWeights.toHalf(Float.NaN))));
        // every finite half survives float and back
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 0x7C00) == 0x7C00) continue;
            float f = HalfPrecisionWeights.toFloat((short) h);
            assertEquals(h, bits(f), "half " + Integer.toHexString(h));
        }
    }

    /**
     * A model exported with half-precision weights: about half the file (0.57 for this tiny model), and its stems through the runner within
     * 3e-3 of the mixture's peak of the float model's (weights rounded by at most 2^-11 relative); stems still
     * sum to the mixture within 1e-5.
     */
    @Test
    void halfWeightsHalveTheFileAndKeepTheStems() throws Exception {
        UnmixNet net = ExportTest.randomNet(TrainingTest.TINY, 4);
        Path full = dir.resolve("float"), half = dir.resolve("half");
        ModelExport.write(net, 32, full, "test");
        ModelExport.write(net, 32, half, "test", true);
        long a = Files.size(full.resolve("model.onnx")), b = Files.size(half.resolve("model.onnx"));
        Song song = new SyntheticSongs(1, 8000, 2.0, 5).song(0);
        AudioClip mix = new AudioClip(AudioFormat.of(8000, 2), song.mixture());
        StemSet f, h;
        try (OnnxSeparator s = new OnnxSeparator(ModelManifest.read(full.resolve("manifest.json")))) {
            f = s.separate(mix);
        }
        try (OnnxSeparator s = new OnnxSeparator(ModelManifest.read(half.resolve("manifest.json")))) {
            h = s.separate(mix);
        }
        double peak = 0, err = 0, sumErr = 0;
        for (float[] ch : song.mixture()) for (float v : ch) peak = Math.max(peak, Math.abs(v));
        for (int ch = 0; ch < 2; ch++) {
            for (int i = 0; i < mix.frames(); i++) {
                double sum = 0;
                for (String s : TrainingTest.TINY.stems()) {
                    err = Math.max(err, Math.abs(f.get(s).channel(ch)[i] - h.get(s).channel(ch)[i]));
                    sum += h.get(s).channel(ch)[i];
                }
                sumErr = Math.max(sumErr, Math.abs(sum - song.mixture()[ch][i]));
            }
        }
        System.out.printf("half weights: %d -> %d bytes, stems differ by %.2e (peak %.3f), sum error %.2e%n",
                a, b, err, peak, sumErr);
        // the tiny test model keeps its biases (under 1024 elements) in float, so a little over half here
        assertTrue(b < 0.6 * a, "half-precision file should be about half: " + a + " -> " + b);
        assertTrue(err > 0, "the weights must really have been rounded");
        assertTrue(err < 3e-3 * peak, "half vs float weights: " + err);
        assertTrue(sumErr < 1e-5, "stems must sum to the mixture: " + sumErr);
    }

    private static int bits(float f) {
        return HalfPrecisionWeights.toHalf(f) & 0xFFFF;
    }
}
