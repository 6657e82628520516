package org.stemroom.separation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ForkJoinPool;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.modelfree.WienerRefinement;
import org.stemroom.separation.onnx.BuiltinModels;
import org.stemroom.separation.onnx.GeneratedMaskModel;
import org.stemroom.separation.onnx.ModelManifest;

/** The "neural" choice: built-in model lookup and extraction, Wiener refinement, fallback, determinism. */
class SeparatorsTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearOverride() {
        System.clearProperty(BuiltinModels.OVERRIDE_PROPERTY);
        System.clearProperty(BuiltinModels.CACHE_PROPERTY);
    }

    Path model(String sub, int threads) throws Exception {
        return GeneratedMaskModel.write(dir.resolve(sub), "test-unmix", Separators.STEMS, 2, 44100, 2048, 512, 64, 16,
                threads, 7);
    }

    static double maxDiff(StemSet a, StemSet b) {
        double w = 0;
        for (String n : a.names()) {
            for (int c = 0; c < a.channels(); c++) {
                float[] x = a.get(n).channel(c), y = b.get(n).channel(c);
                for (int i = 0; i < x.length; i++) w = Math.max(w, Math.abs(x[i] - y[i]));
            }
        }
        return w;
    }

    @Test
    void neuralRunsTheBuiltinModelWithWienerAndTheStemsSumToTheMixture() throws Exception {
        System.setProperty(BuiltinModels.OVERRIDE_PROPERTY, model("m", 1).toString());
        for (int ch : new int[] {2, 1}) {
            AudioClip x = TestSeparators.music(44100, ch, 3.3, 11);
            for (int it : new int[] {0, 1, 2}) {
                Separators.Opened o = Separators.neural(it);
                assertFalse(o.fellBack(), o.warning());
                try (WienerRefinement sep = (WienerRefinement) o.separator()) {
                    assertEquals("neural", sep.name());
                    assertEquals(it, sep.iterations());
                    StemSet s = new Separation(sep).separate(x, Progress.NONE);
                    assertEquals(Separators.STEMS.size(), s.size());
                    assertEquals(ch, s.channels(), "mono stays mono, stereo stays stereo");
                    assertEquals(x.frames(), s.frames());
                    assertTrue(s.consistencyError(x) <= 1e-5, "sum of stems vs mixture " + s.consistencyError(x));
                    // the raw estimates too where they are exact: softmax masks and mono Wiener masks sum to one
                    // (the stereo EM loads its covariance for stability, so there Separation's consistency step
                    // takes the small rest)
                    StemSet raw = sep.separate(x);
                    if (it == 0 || ch == 1) {
                        assertTrue(raw.consistencyError(x) <= 1e-5, it + " iterations: raw " + raw.consistencyError(x));
                    }
                    double e = 0;
                    for (String n : s.names()) e += s.get(n).channel(0)[x.frames() / 2] * s.get(n).channel(0)[x.frames() / 2];
                    assertTrue(e > 0, "stems are not silent");
                }
            }
        }
    }

    @Test
    void wienerRefinementChangesTheModelsStems() throws Exception {
        System.setProperty(BuiltinModels.OVERRIDE_PROPERTY, model("m", 1).toString());
        AudioClip x = TestSeparators.music(44100, 2, 2.0, 3);
        try (WienerRefinement a = (WienerRefinement) Separators.neural(0).separator();
             WienerRefinement b = (WienerRefinement) Separators.neural(1).separator()) {
            assertTrue(maxDiff(a.separate(x), b.separate(x)) > 1e-4, "one EM iteration re-estimates the stems");
        }
    }

    @Test
    void missingModelFallsBackToTheModelFreeRecipeWithTheReason() throws Exception {
        Path nowhere = dir.resolve("no-such-model/manifest.json");
        System.setProperty(BuiltinModels.OVERRIDE_PROPERTY, nowhere.toString());
        Separators.Opened o = Separators.open("neural", false);
        assertTrue(o.fellBack());
        assertTrue(o.warning().contains(nowhere.toString()) && o.warning().contains("model-free"), o.warning());
        assertEquals(Separators.STEMS, o.separator().stemNames());
        AudioClip x = TestSeparators.music(44100, 2, 2.0, 5);
        assertTrue(new Separation(o.separator()).separate(x, Progress.NONE).consistencyError(x) <= 1e-5);

        // a corrupted model file: its checksum no longer matches, the message says so
        Path mf = model("bad", 1);
        Files.write(mf.resolveSibling("model.onnx"), new byte[] {1, 2, 3});
        System.setProperty(BuiltinModels.OVERRIDE_PROPERTY, mf.toString());
        Separators.Opened bad = Separators.neural(1);
        assertTrue(bad.fellBack() && bad.warning().contains("SHA-256"), bad.warning());

        // a model with other stems than the four the entry points place
        Path other = GeneratedMaskModel.write(dir.resolve("two"), "two", java.util.List.of("a", "b"), 2, 44100, 1024,
                256, 32, 4, 1, 1);
        System.setProperty(BuiltinModels.OVERRIDE_PROPERTY, other.toString());
        Separators.Opened two = Separators.neural(1);
        assertTrue(two.fellBack() && two.warning().contains("expected"), two.warning());
    }

    @Test
    void aBuildWithoutTheModelNamesTheMissingResource() {
        ClassLoader empty = new URLClassLoader(new URL[0], null);
        StemroomException e = assertThrows(StemroomException.class,
                () -> BuiltinModels.manifest(BuiltinModels.STEMROOM_UNMIX, empty));
        assertTrue(e.getMessage().contains(BuiltinModels.RESOURCE_DIR + "stemroom-unmix/manifest.json"), e.getMessage());
    }

    @Test
    void aModelInsideAJarIsExtractedOnceIntoACacheKeyedByItsChecksum() throws Exception {
        Path mf = model("jar-src", 1);
        Path jar = dir.resolve("models.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String f : new String[] {"manifest.json", "model.onnx"}) {
                out.putNextEntry(new JarEntry(BuiltinModels.RESOURCE_DIR + "stemroom-unmix/" + f));
                out.write(Files.readAllBytes(mf.resolveSibling(f)));
                out.closeEntry();
            }
        }
        System.setProperty(BuiltinModels.CACHE_PROPERTY, dir.resolve("cache").toString());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Path got = BuiltinModels.manifest(BuiltinModels.STEMROOM_UNMIX, loader);
            assertTrue(got.startsWith(dir.resolve("cache")), got.toString());
            assertTrue(got.getParent().getFileName().toString().startsWith("stemroom-unmix-"));
            assertArrayEquals(Files.readAllBytes(mf.resolveSibling("model.onnx")),
                    Files.readAllBytes(got.resolveSibling("model.onnx")));
            long stamp = Files.getLastModifiedTime(got.resolveSibling("model.onnx")).toMillis();
            assertEquals(got, BuiltinModels.manifest(BuiltinModels.STEMROOM_UNMIX, loader), "same cache folder");
            assertEquals(stamp, Files.getLastModifiedTime(got.resolveSibling("model.onnx")).toMillis(), "not rewritten");
            // the extracted manifest still checks the model's SHA-256
            assertTrue(ModelManifest.read(got).sha256 != null);
            try (var sep = new org.stemroom.separation.onnx.OnnxSeparator(ModelManifest.read(got))) {
                assertEquals(Separators.STEMS, sep.stemNames());
            }
        }
    }

    @Test
    void sameBitsWithOneOrTwoThreads() throws Exception {
        AudioClip x = TestSeparators.music(44100, 2, 4.0, 9);
        StemSet[] out = new StemSet[2];
        for (int t = 1; t <= 2; t++) {
            System.setProperty(BuiltinModels.OVERRIDE_PROPERTY, model("t" + t, t).toString());
            ForkJoinPool pool = new ForkJoinPool(t);
            try (WienerRefinement sep = (WienerRefinement) Separators.neural(1).separator()) {
                out[t - 1] = pool.submit(() -> new Separation(sep).separate(x, Progress.NONE)).get();
            } finally {
                pool.shutdown();
            }
        }
        assertEquals(0.0, maxDiff(out[0], out[1]), "ONNX intra-op threads 1 vs 2, fork-join parallelism 1 vs 2");
    }

    @Test
    void namesResolve() throws Exception {
        assertEquals(Separators.DEFAULT, Separators.canonical("default"));
        assertEquals(Separators.MODEL_FREE, Separators.canonical("model-free"));
        Separators.Opened mf = Separators.open("modelfree", true);
        assertFalse(mf.fellBack());
        assertNotEquals(null, mf.separator());
        assertThrows(StemroomException.class, () -> Separators.open("nope", false));
    }

    @Test
    void theShippedModelLoadsFromTheClassPathAndItsStemsSumToTheMixture() throws Exception {
        Assumptions.assumeTrue(Separators.class.getClassLoader().getResource(BuiltinModels.RESOURCE_DIR
                + BuiltinModels.STEMROOM_UNMIX + "/manifest.json") != null, "no shipped model in this build");
        Separators.Opened o = Separators.neural(Separators.NEURAL_WIENER_ITERATIONS);
        assertFalse(o.fellBack(), o.warning());
        AudioClip x = TestSeparators.music(44100, 2, 3.0, 17);
        try (WienerRefinement sep = (WienerRefinement) o.separator()) {
            // the shipped model refines the model-free recipe, on the recipe's own streamable window grid
            assertTrue(sep.inner() instanceof org.stemroom.separation.onnx.HybridSeparator, sep.inner().getClass().getName());
            assertEquals(org.stemroom.separation.modelfree.ModelFreeSeparators.WINDOW_SECONDS, sep.maxChunkSeconds());
            StemSet s = new Separation(sep).separate(x, Progress.NONE);
            assertEquals(Separators.STEMS.size(), s.size());
            assertTrue(s.consistencyError(x) <= 1e-5, "sum of stems vs mixture " + s.consistencyError(x));
            StemSet mono = new Separation(sep).separate(new AudioClip(org.stemroom.core.AudioFormat.of(44100, 1),
                    new float[][] {x.channel(0)}), Progress.NONE);
            assertEquals(1, mono.channels(), "mono stays mono");
        }
    }
}
