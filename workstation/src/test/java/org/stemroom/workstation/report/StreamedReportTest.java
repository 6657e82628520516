package org.stemroom.workstation.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.core.dsp.Window;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/** The report's pictures and mixture check taken from streams, against plain whole-signal references. */
public class StreamedReportTest {

    private static float[][] noise(int channels, int frames, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) {
                x[c][i] = (float) (0.3 * rnd.nextGaussian() * Math.sin(i * 0.0007) + 0.2 * Math.sin(i * 0.05 * (c + 1)));
            }
        }
        return x;
    }

    /**
     * The reference: the whole signal at once. Column {@code c} holds the samples with
     * {@code floor(p * columns / frames) == c}; its spectrum is a Hann-windowed 2048-point frame centred on the
     * column's first sample (zeros outside the signal), in dB of the amplitude a full-scale sine reads as 0.
     */
    private static AudioThumbnail reference(float[][] x, int columns, int rate) throws Exception {
        int n = x[0].length;
        int ch = x.length;
        float[] mono = new float[n];
        for (int i = 0; i < n; i++) {
            float v = 0;
            for (int c = 0; c < ch; c++) v += x[c][i];
            mono[i] = v * (1f / ch);
        }
        Path dir = java.nio.file.Files.createTempDirectory("thumb");
        // min/max and spectra of the reference, computed here directly
        float[] min = new float[columns];
        float[] max = new float[columns];
        java.util.Arrays.fill(min, Float.MAX_VALUE);
        java.util.Arrays.fill(max, -Float.MAX_VALUE);
        for (int p = 0; p < n; p++) {
            int c = (int) ((long) p * columns / n);
            min[c] = Math.min(min[c], mono[p]);
            max[c] = Math.max(max[c], mono[p]);
        }
        for (int c = 0; c < columns; c++) {
            if (min[c] > max[c]) { min[c] = 0; max[c] = 0; } // a column with no sample (more columns than samples)
        }
        int fftN = AudioThumbnail.FFT;
        RealFft fft = new RealFft(fftN);
        float[] w = Window.hann(fftN, true);
        double wsum = 0;
        for (float v : w) wsum += v;
        float[][] spec = new float[columns][];
        for (int c = 0; c < columns; c++) {
            long centre = (long) c * n / columns;
            // the frame ends at the centre + FFT/2 (the stream takes it once that sample arrived); columns whose
            // frame would reach past the end are all drawn from the frame centred on the end (zeros beyond it)
            long last = centre + fftN / 2 <= n - 1 ? centre + fftN / 2 : n - 1 + fftN / 2;
            float[] f = new float[fftN];
            for (int j = 0; j < fftN; j++) {
                long p = last - fftN + 1 + j;
                f[j] = p >= 0 && p < n ? mono[(int) p] * w[j] : 0f;
            }
            float[] re = new float[fftN / 2 + 1];
            float[] im = new float[fftN / 2 + 1];
            fft.forward(f, re, im);
            spec[c] = new float[re.length];
            for (int k = 0; k < re.length; k++) {
                spec[c][k] = (float) (20 * Math.log10(Math.hypot(re[k], im[k]) * (2.0 / wsum) + 1e-9));
            }
        }
        AudioThumbnail t = AudioThumbnail.of(write(dir, x, rate), columns);
        for (int c = 0; c < columns; c++) {
            assertEquals(min[c], t.min[c], "min of column " + c);
            assertEquals(max[c], t.max[c], "max of column " + c);
            assertArrayEquals(spec[c], t.spectrum(c), "spectrum of column " + c);
        }
        return t;
    }

    private static Path write(Path dir, float[][] x, int rate) throws Exception {
        Path p = dir.resolve("x.wav");
        AudioFiles.write(p, new AudioClip(AudioFormat.of(rate, x.length), x), SampleFormat.FLOAT_32);
        return p;
    }

    @Test
    void thumbnailFromAStreamInAnyBlockSizesIsTheWholeSignalsPicture() throws Exception {
        for (int[] shape : new int[][] {{2, 100_000, 720}, {6, 37_003, 720}, {1, 500, 720}, {1, 3000, 7}, {2, 400_000, 50}}) {
            // the last: columns of 8000 frames, so stretches between spectra longer than the ring (FFT frames)
            int ch = shape[0], n = shape[1], columns = shape[2];
            float[][] x = noise(ch, n, n);
            AudioThumbnail ref = reference(x, columns, 48_000);
            Random rnd = new Random(7);
            AudioThumbnail.Builder b = new AudioThumbnail.Builder(columns, 48_000, n, ch);
            for (int pos = 0; pos < n; ) {
                int k = Math.min(n - pos, 1 + rnd.nextInt(n > 200_000 ? 20_000 : 5000));
                float[][] block = new float[ch][k + 3];
                for (int c = 0; c < ch; c++) System.arraycopy(x[c], pos, block[c], 3, k);
                b.add(block, 3, k);
                pos += k;
            }
            AudioThumbnail t = b.finish();
            assertEquals(n, t.frames);
            for (int c = 0; c < columns; c++) {
                assertEquals(ref.min[c], t.min[c]);
                assertEquals(ref.max[c], t.max[c]);
                assertArrayEquals(ref.spectrum(c), t.spectrum(c), "columns " + columns + ", column " + c);
            }
        }
    }

    /** A NaN sample never enters a column's extremes (a column of NaN alone reads 0, 0, as an empty one). */
    @Test
    void extremesSkipNaN() {
        float nan = Float.NaN;
        float[][] cases = {{nan, 0.25f, -0.5f, nan}, {0.125f, nan}, {nan, nan}};
        float[][] expected = {{-0.5f, 0.25f}, {0.125f, 0.125f}, {0f, 0f}}; // min, max
        for (int k = 0; k < cases.length; k++) {
            AudioThumbnail.Builder b = new AudioThumbnail.Builder(1, 48_000, cases[k].length, 1);
            b.add(new float[][] {cases[k]}, 0, cases[k].length);
            AudioThumbnail t = b.finish();
            assertEquals(expected[k][0], t.min[0], "min of case " + k);
            assertEquals(expected[k][1], t.max[0], "max of case " + k);
        }
    }

    /** The check as it was done from the files: input and stem files read back, stems summed in double. */
    private static double fromFiles(Path input, List<Path> stems) throws Exception {
        AudioClip in = AudioFiles.readAll(input);
        List<AudioClip> s = new ArrayList<>();
        for (Path p : stems) s.add(AudioFiles.readAll(p));
        double worst = 0;
        for (int c = 0; c < in.channels(); c++) {
            for (int i = 0; i < in.frames(); i++) {
                double sum = 0;
                for (AudioClip k : s) sum += k.channel(c)[i];
                worst = Math.max(worst, Math.abs(sum - in.channel(c)[i]));
            }
        }
        return worst;
    }

    @Test
    void mixtureCheckOnTheStreamEqualsTheCheckOfTheFloatFiles(@TempDir Path dir) throws Exception {
        int n = 300_000;
        float[][] in = noise(2, n, 3);
        // three stems: fixed shares of the input plus a deliberate error of known size in one place
        List<float[][]> stems = new ArrayList<>();
        float[] share = {0.25f, 0.6f, 0.15f};
        for (float g : share) {
            float[][] s = new float[2][n];
            for (int c = 0; c < 2; c++) for (int i = 0; i < n; i++) s[c][i] = in[c][i] * g;
            stems.add(s);
        }
        stems.get(1)[1][123_456] += 3e-4f;
        Path inFile = dir.resolve("in.wav");
        AudioFiles.write(inFile, new AudioClip(AudioFormat.of(48_000, 2), in), SampleFormat.FLOAT_32);
        List<Path> stemFiles = new ArrayList<>();
        for (int k = 0; k < stems.size(); k++) {
            Path p = dir.resolve("s" + k + ".wav");
            AudioFiles.write(p, new AudioClip(AudioFormat.of(48_000, 2), stems.get(k)), SampleFormat.FLOAT_32);
            stemFiles.add(p);
        }
        double expected = fromFiles(inFile, stemFiles);
        assertTrue(expected > 2.9e-4 && expected < 3.1e-4, "the planted error: " + expected);

        // the input runs up to 200,000 frames ahead of the stems (more than the first buffer holds), in odd blocks
        MixtureCheck m = new MixtureCheck(2);
        Random rnd = new Random(11);
        int inPos = 0, stemPos = 0;
        while (stemPos < n) {
            if (inPos < n && (inPos - stemPos < 200_000 || rnd.nextBoolean())) {
                int k = Math.min(n - inPos, 1 + rnd.nextInt(9000));
                m.input(slice(in, inPos, k), 0, k);
                inPos += k;
            } else if (inPos > stemPos) {
                int k = Math.min(inPos - stemPos, 1 + rnd.nextInt(9000));
                List<float[][]> part = new ArrayList<>();
                for (float[][] s : stems) part.add(s);
                m.stems(part, stemPos, k);
                stemPos += k;
            }
        }
        assertEquals(expected, m.maxError());
    }

    @Test
    void mixtureCheckRefusesStemsAheadOfTheInputAndReportsAShortStream() {
        MixtureCheck m = new MixtureCheck(1);
        m.input(new float[][] {{0.5f, 0.5f}}, 0, 2);
        assertThrows(IllegalStateException.class, () -> m.stems(List.<float[][]>of(new float[][] {{0.5f, 0.5f, 0.5f}}), 0, 3));
        m.stems(List.<float[][]>of(new float[][] {{0.25f}}), 0, 1);
        assertTrue(Double.isNaN(m.maxError()), "one input frame has no stems yet");
        m.stems(List.<float[][]>of(new float[][] {{0.5f}}), 0, 1);
        assertEquals(0.25, m.maxError());
    }

    private static float[][] slice(float[][] x, int from, int n) {
        float[][] s = new float[x.length][];
        for (int c = 0; c < x.length; c++) s[c] = java.util.Arrays.copyOfRange(x[c], from, from + n);
        return s;
    }
}
