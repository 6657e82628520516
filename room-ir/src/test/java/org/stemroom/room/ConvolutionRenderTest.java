package org.stemroom.room;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Progress;
import org.stemroom.core.io.AudioFileException;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/**
 * The file render (reading ahead, convolving, mixing, writing behind): against direct convolution in double, and the
 * same bytes for any call size and thread count.
 */
class ConvolutionRenderTest {
    @TempDir
    Path dir;

    private static final int RATE = 48000;

    private static float[][] noise(int channels, int frames, long seed, double decayFrames) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[channels][frames];
        for (float[] c : x) {
            for (int i = 0; i < frames; i++) c[i] = (float) (r.nextDouble(-0.5, 0.5) * Math.exp(-i / decayFrames));
        }
        return x;
    }

    private Path input(float[][] x) throws IOException {
        Path f = dir.resolve("in.wav");
        try (AudioFileWriter w = AudioFileWriter.create(f, new AudioFormat(RATE, ChannelLayout.STEREO), SampleFormat.FLOAT_32)) {
            w.write(AudioBuffer.wrap(x));
            w.commit();
        }
        return f;
    }

    @Test
    void matchesDirectConvolutionAndIsTheSameForAnyBlockAndThreadCount() throws Exception {
        float[][] x = noise(2, 20_000, 1, Double.POSITIVE_INFINITY);
        float[][] h = noise(2, 8000, 2, 2000);
        RoomImpulseResponse rir = RoomImpulseResponse.stereoPair(h[0], h[1], RATE, RoomImpulseResponse.Metadata.named("t"));
        Path in = input(x);
        double wet = 0.5, dry = 0.8;
        byte[] first = null;
        for (int[] bt : new int[][] {{8192, 1}, {1000, 1}, {77, 2}, {4096, 2}}) {
            ConvolutionRender.Settings st = new ConvolutionRender.Settings();
            st.wet = wet;
            st.dry = dry;
            st.blockFrames = bt[0];
            st.threads = bt[1];
            st.helpersFromSeconds = 0; // the helpers on this short input too
            Path out = dir.resolve("out-" + bt[0] + "-" + bt[1] + ".wav");
            ConvolutionRender.Result res = ConvolutionRender.render(in, rir, st, out, Progress.NONE);
            assertEquals(x[0].length, res.inputFrames);
            assertEquals(bt[1], res.threads);
            assertEquals(x[0].length + h[0].length - 1, res.outputFrames);
            byte[] bytes = Files.readAllBytes(out);
            if (first == null) {
                first = bytes;
                AudioClip y = AudioFiles.readAll(out);
                float peak = 0;
                for (int c = 0; c < 2; c++) {
                    double err = 0, ref = 0;
                    for (int n = 0; n < y.frames(); n++) {
                        double s = n < x[c].length ? dry * x[c][n] : 0;
                        for (int k = Math.max(0, n - x[c].length + 1); k <= Math.min(n, h[c].length - 1); k++) {
                            s += wet * (double) h[c][k] * x[c][n - k];
                        }
                        double e = y.channel(c)[n] - s;
                        err += e * e;
                        ref += s * s;
                        peak = Math.max(peak, Math.abs(y.channel(c)[n]));
                    }
                    double rel = Math.sqrt(err / ref);
                    assertTrue(rel <= 1e-5, "channel " + c + ": relative RMS error " + rel);
                }
                assertEquals(peak, res.peak, "peak of the written samples");
            } else {
                assertArrayEquals(first, bytes, "block " + bt[0] + ", threads " + bt[1]);
            }
        }
        // by default an input this short renders on one thread whatever --threads says, with the same bytes
        ConvolutionRender.Settings st = new ConvolutionRender.Settings();
        st.wet = wet;
        st.dry = dry;
        st.threads = 2;
        Path out = dir.resolve("out-default-2.wav");
        assertEquals(1, ConvolutionRender.render(in, rir, st, out, Progress.NONE).threads);
        assertArrayEquals(first, Files.readAllBytes(out));
    }

    @Test
    void aNonFiniteInputSampleStopsWithTheReadersMessageAndWritesNothing() throws Exception {
        float[][] x = noise(2, 50_000, 3, Double.POSITIVE_INFINITY);
        // the writer refuses NaN: write a finite file, then patch the sample in
        Path in = input(x);
        byte[] b = Files.readAllBytes(in);
        int at = b.length - 50_000 * 8 + (40_000 * 2 + 1) * 4;
        int nan = Float.floatToRawIntBits(Float.NaN);
        for (int k = 0; k < 4; k++) b[at + k] = (byte) (nan >>> (8 * k));
        Files.write(in, b);
        float[][] h = noise(2, 5000, 4, 1000);
        RoomImpulseResponse rir = RoomImpulseResponse.stereoPair(h[0], h[1], RATE, RoomImpulseResponse.Metadata.named("t"));
        Path out = dir.resolve("out.wav");
        AudioFileException e = assertThrows(AudioFileException.class,
                () -> ConvolutionRender.render(in, rir, new ConvolutionRender.Settings(), out, Progress.NONE));
        assertTrue(e.getMessage().contains("in.wav") && e.getMessage().contains("NaN sample at frame 40000, channel 2"),
                e.getMessage());
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the input is left");
        }
    }
}
