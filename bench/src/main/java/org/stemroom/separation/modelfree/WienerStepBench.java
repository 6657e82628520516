package org.stemroom.separation.modelfree;

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
import org.stemroom.separation.ParallelFor;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.Workspace;

/**
 * The Wiener step alone ({@link WienerFilter#refine}: one EM iteration, its share of the residual and the synthesis of
 * the stems; with the analysis before it, {@link #analysisOnly} alone) on one window of the default grid (1 s of stereo 44.1 kHz, 45 frames x 2049 bins), with the default
 * recipe's masks and its Wiener settings (the bass's tied image, the pooled images of all four stems with their
 * blends and power, the drums' rank-one image), the statistics carried from window to window as in a song. On the
 * calling thread alone, as the render separates. In this package (a split package on the class path) because the
 * step is package-private; to compare two builds, put each one's classes first on the class path:
 * {@code java -cp "OLD.jar:bench/target/benchmarks.jar" org.openjdk.jmh.Main WienerStepBench}.
 * 60 s of audio is 80 such windows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WienerStepBench {
    private AudioClip window;
    private final Workspace ws = new Workspace();
    private String[] names;
    private float[][][] masks;
    private final WienerFilter.Memory memory = new WienerFilter.Memory();

    @Setup
    public void setup() {
        int rate = 44100;
        Random r = new Random(5);
        float[][] x = new float[2][rate];
        for (int i = 0; i < rate; i++) {
            double t = i / (double) rate;
            double tone = 0.2 * Math.sin(2 * Math.PI * 220 * t) + 0.1 * Math.sin(2 * Math.PI * 330 * t);
            double bass = 0.3 * Math.sin(2 * Math.PI * 55 * t);
            double hit = (i % 11025) < 400 ? r.nextGaussian() * 0.3 : 0;
            double noise = 0.02 * r.nextGaussian();
            x[0][i] = (float) (0.8 * tone + 0.6 * bass + 0.3 * hit + noise);
            x[1][i] = (float) (0.4 * tone + 0.5 * bass + 0.9 * hit + noise);
        }
        window = new AudioClip(AudioFormat.of(rate, 2), x);
        ModelFreeSeparators.Settings s = new ModelFreeSeparators.Settings();
        s.wiener = 0;
        SpectralMix mix = SpectralMix.of(window);
        Map<String, float[][]> m = ModelFreeSeparators.defaultRecipe(s).masks(mix);
        names = m.keySet().toArray(new String[0]);
        masks = new float[names.length][][];
        for (int k = 0; k < names.length; k++) masks[k] = m.get(names[k]);
        // the default recipe's Wiener settings (ModelFreeSeparators.defaultRecipe)
        memory.tieImage("bass", s.bassSplitHz / 1.25, s.bassWienerImageFromHz, s.bassWienerImageHz);
        memory.imageBlend(new String[] {"drums", "other", "vocals", "bass"}, new double[] {s.wienerImageDrums,
                s.wienerImageOther, s.wienerImageLead, s.wienerImageBass}, s.wienerImagePower);
        memory.rankOneImage("drums", s.wienerImageDrumsRankOneHz);
        ParallelFor.aloneOnThisThread(true);
    }

    /**
     * One window's analysis and Wiener step, the last stem the remainder, on working memory reused from window to
     * window (as the default cascade runs them); {@link #analysisOnly} is the part of the analysis.
     */
    @Benchmark
    public StemSet refineWindow() {
        ws.rewind();
        SpectralMix mix = SpectralMix.of(window, ws);
        return WienerFilter.refine(mix, names, masks, names.length, 1, memory, true);
    }

    @Benchmark
    public SpectralMix analysisOnly() {
        ws.rewind();
        return SpectralMix.of(window, ws);
    }
}
