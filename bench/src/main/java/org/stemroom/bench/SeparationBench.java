package org.stemroom.bench;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.Workspace;
import org.stemroom.separation.modelfree.MaskCascade;
import org.stemroom.separation.modelfree.MedianFilter;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.separation.modelfree.SpectralMix;

/**
 * Kernels of the model-free default recipe on one window of its grid (1 s of stereo 44.1 kHz: 45 frames x 2049
 * bins at n_fft 4096 / hop 1024): the HPSS medians (sliding, and the per-window selection they replaced), the STFT
 * analysis, the cascade's masks, the synthesis of the stems, and the whole window with and without Wiener EM.
 * 60 s of audio is 80 such windows (hop 0.75 s), so x real time = 0.75 s / (time per window).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SeparationBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SeparationBench {
    private AudioClip window;
    private float[][] magnitude;
    private int timeLen, freqLen;
    private Workspace ws;
    private MaskCascade recipe;
    private MaskCascade recipeNoWiener;
    private SpectralMix mix;
    private Map<String, float[][]> masks;

    @Setup
    public void setup() {
        int rate = 44100;
        Random r = new Random(5);
        float[][] x = new float[2][rate];
        for (int i = 0; i < rate; i++) {
            double t = i / (double) rate;
            double tone = 0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.1 * Math.sin(2 * Math.PI * 330 * t);
            double hit = (i % 11025) < 400 ? r.nextGaussian() * 0.3 : 0;
            double noise = 0.02 * r.nextGaussian();
            x[0][i] = (float) (0.8 * tone + 0.3 * hit + noise);
            x[1][i] = (float) (0.4 * tone + 0.9 * hit + noise);
        }
        window = new AudioClip(AudioFormat.of(rate, 2), x);
        ws = new Workspace();
        recipe = ModelFreeSeparators.defaultRecipe();
        ModelFreeSeparators.Settings s = new ModelFreeSeparators.Settings();
        s.wiener = 0;
        recipeNoWiener = ModelFreeSeparators.defaultRecipe(s);
        mix = SpectralMix.of(window); // one-off memory: masks() and maskedSynthesis() allocate as they go
        magnitude = mix.magnitude();
        // the default recipe's HPSS: 0.4 s along time, 250 Hz along frequency
        timeLen = (int) Math.round(0.4 / mix.frameSeconds()) | 1;
        freqLen = (int) Math.round(250 / mix.binHz()) | 1;
        masks = recipeNoWiener.masks(mix);
    }

    @Benchmark
    public float[][] medianAlongTime() {
        ws.rewind();
        return MedianFilter.alongTime(magnitude, timeLen, ws);
    }

    @Benchmark
    public float[][] medianAlongTimeBySelection() {
        return MedianFilter.bySelection(magnitude, timeLen, true);
    }

    @Benchmark
    public float[][] medianAlongFrequency() {
        ws.rewind();
        return MedianFilter.alongFrequency(magnitude, freqLen, ws);
    }

    @Benchmark
    public float[][] medianAlongFrequencyBySelection() {
        return MedianFilter.bySelection(magnitude, freqLen, false);
    }

    /** STFT of both channels, channel-averaged magnitude and pan per bin. */
    @Benchmark
    public SpectralMix stftAnalysis() {
        ws.rewind();
        return SpectralMix.of(window, ws);
    }

    /** All steps' masks (HPSS with kick-versus-bass, bass, pitch-tracked lead, soft masks) on a ready spectrum. */
    @Benchmark
    public Map<String, float[][]> masks() {
        return recipeNoWiener.masks(mix);
    }

    /** Masks applied and the four stereo stems synthesised (inverse STFT). */
    @Benchmark
    public StemSet maskedSynthesis() {
        return mix.apply(masks);
    }

    /** One whole window of the default recipe (with one Wiener EM iteration). */
    @Benchmark
    public StemSet defaultRecipeWindow() {
        return recipe.separate(window);
    }

    @Benchmark
    public StemSet defaultRecipeWindowNoWiener() {
        return recipeNoWiener.separate(window);
    }
}
