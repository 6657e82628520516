package org.stemroom.separation.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.dsp.Resampler;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.separation.StemSet;

/**
 * The runner against real pretrained graphs we did not write (../shared/models, see its NOTES.md): GTCRN (one
 * complex STFT frame per call, three cache tensors) and DTLN (two stages, LSTM states). Speech plus white noise at
 * 5 dB SNR must come out with a clearly higher SI-SDR. Skips with a reason where the folder is absent.
 */
class SharedModelsTest {
    static Path models;

    @TempDir
    Path dir;

    @BeforeAll
    static void find() {
        Path repo = Paths.get(System.getProperty("stemroom.repo", System.getProperty("user.dir")));
        Path p = repo.resolve("../shared/models").normalize();
        if (!Files.isDirectory(p)) p = repo.getParent() == null ? p : repo.getParent().resolve("shared/models");
        models = Files.isDirectory(p) ? p.toAbsolutePath() : null;
    }

    static void assumeModel(String file) {
        Assumptions.assumeTrue(models != null && Files.isRegularFile(models.resolve(file)),
                "../shared/models/" + file + " absent: real-model integration test skipped");
    }

    /** Speech from espeak-ng when installed, else a vowel-like harmonic synthesis with moving formants. */
    AudioClip speech() throws Exception {
        try {
            Path wav = dir.resolve("speech.wav");
            Process p = new ProcessBuilder("espeak-ng", "-s", "150", "-w", wav.toString(),
                    "Separation quality is measured on speech in noise. The model should remove the hiss "
                            + "and keep the voice clear and natural.").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                AudioClip c = Resampler.resample(AudioFiles.readAll(wav), 16000);
                float peak = c.asBuffer().peak();
                for (float[] ch : c.samples()) for (int i = 0; i < ch.length; i++) ch[i] *= 0.5f / peak;
                return c;
            }
        } catch (java.io.IOException e) {
            System.out.println("espeak-ng not available (" + e.getMessage() + "): using synthetic vowels");
        }
        int rate = 16000, n = 4 * rate;
        float[] x = new float[n];
        double phase = 0;
        double[][] vowels = {{730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240}, {530, 1840, 2480}};
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            double f0 = 120 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / rate;
            double[] v = vowels[(int) (t * 3) % 4];
            double env = Math.max(0, Math.sin(Math.PI * (t * 3 % 1)));
            double s = 0;
            for (int h = 1; h * f0 < 7000; h++) {
                double hz = h * f0, a = 0;
                for (double f : v) a += 1 / (1 + Math.pow((hz - f) / 90, 2));
                s += a * Math.sin(h * phase) / h;
            }
            x[i] = (float) (0.1 * env * s);
        }
        return new AudioClip(AudioFormat.of(rate, 1), new float[][] {x});
    }

    static AudioClip plusNoise(AudioClip s, double snrDb) {
        float[] x = s.channel(0);
        double e = 0;
        for (float v : x) e += v * v;
        double sigma = Math.sqrt(e / x.length / Math.pow(10, snrDb / 10));
        Random r = new Random(7);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) (x[i] + sigma * r.nextGaussian());
        return new AudioClip(s.format(), new float[][] {y});
    }

    static double siSdr(float[] ref, float[] est) {
        double ss = 0, se = 0;
        for (int i = 0; i < ref.length; i++) { ss += ref[i] * ref[i]; se += ref[i] * est[i]; }
        double a = se / ss, t = 0, e = 0;
        for (int i = 0; i < ref.length; i++) { double tv = a * ref[i]; t += tv * tv; e += (est[i] - tv) * (est[i] - tv); }
        return 10 * Math.log10(t / e);
    }

    void check(String manifestJson, String name) throws Exception {
        Path mf = dir.resolve(name + ".json");
        Files.writeString(mf, manifestJson);
        AudioClip clean = speech();
        AudioClip noisy = plusNoise(clean, 5);
        try (StatefulOnnxSeparator sep = new StatefulOnnxSeparator(ModelManifest.read(mf))) {
            StemSet out = sep.separate(noisy);
            assertEquals(noisy.frames(), out.frames());
            float[] y = out.get("speech").channel(0);
            double before = siSdr(clean.channel(0), noisy.channel(0));
            double after = siSdr(clean.channel(0), y);
            System.out.printf("%s: SI-SDR %.2f dB -> %.2f dB (%d model calls)%n", name, before, after, sep.framesRun());
            assertTrue(after > before + 3, name + " should improve speech in noise: " + before + " -> " + after);
            if (out.has("noise")) assertTrue(out.consistencyError(noisy) < 1e-5, "speech + noise = input");
        }
    }

    @Test
    void gtcrnStreamingFrameModel() throws Exception {
        assumeModel("gtcrn_simple.onnx");
        check("{\"name\":\"gtcrn\",\"family\":\"stateful\",\"sampleRate\":16000,\"channels\":1,\"stems\":[\"speech\"],"
                + "\"complementStem\":\"noise\",\"stft\":{\"nFft\":512,\"hop\":256,\"window\":\"sqrt-hann\"},"
                + "\"stages\":[{\"model\":\"" + models.resolve("gtcrn_simple.onnx") + "\","
                + "\"sha256\":\"b4718df6228e7bdf1a8a435cf98f838636eb2fd331acabf86ba87c5192ebcb87\","
                + "\"kind\":\"complex-frame\",\"input\":\"mix\",\"output\":\"enh\",\"states\":["
                + "{\"input\":\"conv_cache\",\"output\":\"conv_cache_out\",\"shape\":[2,1,16,16,33]},"
                + "{\"input\":\"tra_cache\",\"output\":\"tra_cache_out\",\"shape\":[2,3,1,1,16]},"
                + "{\"input\":\"inter_cache\",\"output\":\"inter_cache_out\",\"shape\":[2,1,33,16]}]}]}", "gtcrn");
    }

    @Test
    void dtlnTwoStageWithLstmStates() throws Exception {
        assumeModel("dtln_model_1.onnx");
        check("{\"name\":\"dtln\",\"family\":\"stateful\",\"sampleRate\":16000,\"channels\":1,\"stems\":[\"speech\"],"
                + "\"stft\":{\"nFft\":512,\"hop\":128,\"window\":\"rect\"},\"stages\":["
                + "{\"model\":\"" + models.resolve("dtln_model_1.onnx") + "\",\"kind\":\"magnitude-mask\","
                + "\"sha256\":\"22b91cae3855e5a0620e66a917ca6c82c58db0e842c770f58d86751c5e8d4ae3\","
                + "\"input\":\"input_2\",\"output\":\"activation_2\",\"states\":[{\"input\":\"input_3\","
                + "\"output\":\"tf_op_layer_stack_2\",\"shape\":[1,2,128,2]}]},"
                + "{\"model\":\"" + models.resolve("dtln_model_2.onnx") + "\",\"kind\":\"waveform-block\","
                + "\"sha256\":\"e20c92f9233fccf29cddf86970d0d0161a03aebccc26d6f4d5639c4d5ec2e639\","
                + "\"input\":\"input_4\",\"output\":\"conv1d_3\",\"states\":[{\"input\":\"input_5\","
                + "\"output\":\"tf_op_layer_stack_5\",\"shape\":[1,2,128,2]}]}]}", "dtln");
    }
}
