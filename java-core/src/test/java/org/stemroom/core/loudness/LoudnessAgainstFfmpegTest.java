package org.stemroom.core.loudness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/**
 * Cross-check against an independent implementation, ffmpeg's {@code ebur128} filter, on music-like material
 * with level changes (stereo and 5.1). Skips with a reason when ffmpeg is not installed
 * ({@code scripts/install-deps.sh test} installs it).
 */
class LoudnessAgainstFfmpegTest {
    @TempDir
    Path dir;

    static boolean ffmpegAvailable() {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Harmonic tones and noise, each channel different, with a level that steps every few seconds. */
    static AudioClip material(ChannelLayout layout, int rate, double seconds, long seed) {
        int n = (int) (seconds * rate), ch = layout.channelCount();
        float[][] x = new float[ch][n];
        Random rnd = new Random(seed);
        double[] steps = {-18, -24, -12, -30, -20, -16, -26};
        for (int c = 0; c < ch; c++) {
            double f0 = 55 * (1 + c) * (1 + 0.01 * rnd.nextDouble());
            double lp = 0;
            double channelGain = Math.pow(10, -2.0 * c / 20);
            double[] gains = new double[steps.length];
            for (int k = 0; k < steps.length; k++) gains[k] = Math.pow(10, steps[k] / 20);
            for (int i = 0; i < n; i++) {
                double t = i / (double) rate;
                double g = gains[(int) (t / 3) % steps.length] * channelGain;
                double s = 0.6 * Math.sin(2 * Math.PI * f0 * t) + 0.3 * Math.sin(2 * Math.PI * f0 * 3.01 * t + c)
                        + 0.2 * Math.sin(2 * Math.PI * 2500 * (1 + 0.1 * c) * t);
                lp += 0.2 * (rnd.nextGaussian() - lp);
                x[c][i] = (float) (g * (s + 0.5 * lp));
            }
        }
        return new AudioClip(new AudioFormat(rate, layout), x);
    }

    static double[] ffmpegEbur128(Path wav) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", wav.toString(),
                "-af", "ebur128=peak=true+sample", "-f", "null", "-").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        String summary = out.substring(out.lastIndexOf("Summary:"));
        return new double[] {find(summary, "I:\\s+(-?[\\d.]+) LUFS"), find(summary, "LRA:\\s+(-?[\\d.]+) LU"),
                find(summary, "True peak:\\s+Peak:\\s+(-?[\\d.]+) dBFS"), find(summary, "Sample peak:\\s+Peak:\\s+(-?[\\d.]+) dBFS")};
    }

    static double find(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        if (!m.find()) throw new AssertionError("no " + regex + " in ffmpeg output:\n" + s);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void agreesWithFfmpegOnStereoAnd51() throws Exception {
        Assumptions.assumeTrue(ffmpegAvailable(), "ffmpeg not installed: skipping the cross-check against ebur128");
        for (ChannelLayout layout : new ChannelLayout[] {ChannelLayout.STEREO, ChannelLayout.SURROUND_5_1}) {
            AudioClip clip = material(layout, 48_000, 24, layout.channelCount());
            Path wav = dir.resolve(layout.name() + ".wav");
            AudioFiles.write(wav, clip, SampleFormat.FLOAT_32);
            double[] ref = ffmpegEbur128(wav);
            LoudnessMeter m = LoudnessMeter.measure(clip);
            System.out.printf("%s: stemroom I %.2f LRA %.2f TP %.2f SP %.2f | ffmpeg I %.1f LRA %.1f TP %.1f SP %.1f%n",
                    layout.name(), m.integratedLufs(), m.loudnessRangeLu(), m.truePeakDbtp(), m.samplePeakDbfs(),
                    ref[0], ref[1], ref[2], ref[3]);
            assertEquals(ref[0], m.integratedLufs(), 0.1 + 0.05, layout + " integrated"); // ffmpeg prints 0.1 steps
            assertEquals(ref[1], m.loudnessRangeLu(), 0.5, layout + " loudness range");
            assertEquals(ref[3], m.samplePeakDbfs(), 0.06, layout + " sample peak");
            assertEquals(ref[2], m.truePeakDbtp(), 0.3, layout + " true peak");
        }
    }
}
