package org.stemroom.bench;

import java.nio.file.Path;
import java.util.Random;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/**
 * A deterministic music-like test signal: a few detuned harmonic tones with slow tremolo over soft
 * low-passed noise, different in each channel, peaking around -6 dBFS. As a main it writes a 32-bit float WAV:
 * {@code java -cp bench/target/benchmarks.jar org.stemroom.bench.TestSignal OUT.wav [seconds] [rate] [channels]}.
 */
public final class TestSignal {
    private TestSignal() { }

    public static AudioClip music(int rate, int channels, double seconds) {
        int n = (int) Math.round(seconds * rate);
        float[][] x = new float[channels][n];
        Random rnd = new Random(20_260_101L);
        for (int c = 0; c < channels; c++) {
            double[] f = {110 * (1 + 0.002 * c), 220 * 1.5, 440 * 1.26, 880 * 1.12, 3520};
            double[] a = {0.15, 0.1, 0.07, 0.05, 0.02};
            double lp = 0;
            float[] y = x[c];
            for (int i = 0; i < n; i++) {
                double t = i / (double) rate;
                double s = 0;
                for (int k = 0; k < f.length; k++) {
                    s += a[k] * (0.75 + 0.25 * Math.sin(2 * Math.PI * (0.3 + 0.1 * k) * t)) * Math.sin(2 * Math.PI * f[k] * t);
                }
                lp += 0.05 * (rnd.nextGaussian() - lp);
                y[i] = (float) (s + 0.2 * lp);
            }
        }
        return new AudioClip(AudioFormat.of(rate, channels), x);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TestSignal OUT.wav [seconds=60] [rate=44100] [channels=2]");
            System.exit(2);
        }
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 60;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 44_100;
        int channels = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        AudioFiles.write(Path.of(args[0]), music(rate, channels, seconds), SampleFormat.FLOAT_32);
    }
}
