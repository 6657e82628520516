package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Progress;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/**
 * {@link UpmixFiles}: the file streams (read ahead and written behind on their own threads) give exactly the
 * upmixer's output with its latency cut, for lengths shorter than a block, than the latency, and many blocks long;
 * a bad sample in the input stops the run with the file named and no output left behind.
 */
class UpmixFilesTest {
    private static final int FS = 48_000;

    @TempDir
    Path dir;

    private Path stereo(String name, float[][] x) throws Exception {
        Path p = dir.resolve(name);
        AudioFiles.write(p, new AudioClip(new AudioFormat(FS, ChannelLayout.STEREO), x), SampleFormat.FLOAT_32);
        return p;
    }

    private static float[][] mix(int n) {
        float[] l = TestSignals.whiteNoise(n, 21, 0.1);
        float[] r = TestSignals.whiteNoise(n, 22, 0.1);
        for (int i = 0; i < n; i++) {
            float c = (float) (0.3 * Math.sin(2 * Math.PI * 330 * i / FS));
            l[i] += c;
            r[i] += c;
        }
        return new float[][] {l, r};
    }

    /** The reference: the upmixer in memory, one block for everything plus the latency's flush, head cut off. */
    private static float[][] inMemory(StereoUpmixer.Settings s, float[][] x) {
        int n = x[0].length;
        StereoUpmixer u = new StereoUpmixer(s);
        u.prepare(new AudioFormat(FS, ChannelLayout.STEREO), n + 2 * FS);
        int lat = u.latencyFrames();
        AudioBuffer in = new AudioBuffer(2, n + lat);
        System.arraycopy(x[0], 0, in.channel(0), 0, n);
        System.arraycopy(x[1], 0, in.channel(1), 0, n);
        in.setFrames(n + lat);
        AudioBuffer out = new AudioBuffer(s.layout.channelCount(), n + lat);
        u.process(in, out);
        float[][] y = new float[out.channels()][n];
        for (int c = 0; c < y.length; c++) System.arraycopy(out.channel(c), lat, y[c], 0, n);
        return y;
    }

    @Test
    void theFileIsTheUpmixerOutputAlignedWithTheInputForAnyLength() throws Exception {
        StereoUpmixer.Settings s = StereoUpmixer.Settings.defaults().withLayout(SpeakerLayout.SURROUND_7_1);
        // shorter than the latency (4096), than one block (8192), and several blocks with a ragged end
        for (int n : new int[] {1000, 6000, 3 * UpmixFiles.BLOCK + 123}) {
            float[][] x = mix(n);
            Path in = stereo("in" + n + ".wav", x);
            Path out = dir.resolve("out" + n + ".wav");
            UpmixFiles.Result r = UpmixFiles.upmix(in, out, s, SampleFormat.FLOAT_32, Progress.NONE);
            assertEquals(n, r.frames);
            AudioClip y = AudioFiles.readAll(out);
            assertEquals(8, y.format().channels());
            assertEquals(n, y.frames());
            float[][] want = inMemory(s, x);
            for (int c = 0; c < 8; c++) assertArrayEquals(want[c], y.channel(c), "length " + n + ", channel " + c);
        }
    }

    @Test
    void aNotANumberInTheInputStopsTheRunNamingTheFileAndLeavesNoOutput() throws Exception {
        float[][] x = mix(5 * UpmixFiles.BLOCK);
        // after several blocks were already upmixed and written; the writer refuses NaN, so a marker value is
        // written and its bytes replaced by a NaN's
        x[1][3 * UpmixFiles.BLOCK + 17] = 12345.5f;
        Path in = stereo("nan.wav", x);
        byte[] b = Files.readAllBytes(in);
        int marker = Float.floatToRawIntBits(12345.5f);
        int nan = Float.floatToRawIntBits(Float.NaN);
        int found = 0;
        for (int i = 0; i + 4 <= b.length; i++) {
            int v = (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
            if (v == marker) {
                for (int k = 0; k < 4; k++) b[i + k] = (byte) (nan >>> (8 * k));
                found++;
            }
        }
        assertEquals(1, found);
        Files.write(in, b);
        Path out = dir.resolve("up.wav");
        Path lt = dir.resolve("lt.wav");
        IOException e = assertThrows(IOException.class, () -> UpmixFiles.upmix(in, out,
                new UpmixFiles.LtRtOutput(lt, 0), StereoUpmixer.Settings.defaults(), SampleFormat.FLOAT_32, Progress.NONE));
        assertTrue(e.getMessage().contains("nan.wav"), e.getMessage());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(lt));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left beside the input");
        }
    }
}
