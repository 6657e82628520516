package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stemroom.core.AudioBuffer;

/**
 * Decoder paths that the reference encoder rarely emits, through {@link FlacTestEncoder}: variable block sizes,
 * escaped partitions, Rice2, all FIXED orders, LPC, wasted bits, 8/12/20/32-bit samples, every stereo mode.
 * Runs without the flac tool.
 */
class FlacSpecPathsTest {
    @TempDir
    Path dir;

    static long[][] signal(int ch, int n, int bps, int wasted, long seed) {
        Random r = new Random(seed);
        long max = (1L << (bps - 1)) - 1;
        long[][] s = new long[ch][n];
        for (int c = 0; c < ch; c++) {
            double ph = 0;
            for (int i = 0; i < n; i++) {
                ph += 0.01 + 0.002 * c;
                double v = 0.6 * Math.sin(ph) + 0.05 * r.nextGaussian();
                if (i % 997 < 40) v = 0.3; // constant stretches
                long q = Math.round(v * max);
                q = Math.max(-max - 1, Math.min(max, q));
                if (wasted > 0) q = (q >> wasted) << wasted;
                s[c][i] = q;
            }
        }
        // Exact extremes, which the side channel needs bps + 1 bits for.
        s[0][n / 2] = max;
        if (ch > 1) s[1][n / 2] = -max - 1;
        return s;
    }

    @ParameterizedTest(name = "{0}-bit {1} ch {2} Hz variable={3} wasted={4}")
    @CsvSource({"16,2,44100,false,0", "16,2,44100,true,0", "24,2,48000,true,0", "8,1,8000,false,0",
            "12,2,16000,true,0", "20,2,96000,false,0", "32,2,48000,false,0", "32,2,44100,true,0",
            "24,2,44100,false,8", "16,6,48000,true,3", "24,1,22050,false,0"})
    void decodesEveryPathExactly(int bps, int ch, int rate, boolean variable, int wasted) throws Exception {
        int n = 20_000;
        long[][] s = signal(ch, n, bps, wasted, bps * 31 + ch);
        int[] sizes = variable ? new int[] {1000, 4096, 37, 192, 2304, 256, 16} : new int[] {1152};
        Path f = dir.resolve("t.flac");
        Files.write(f, FlacTestEncoder.encode(s, bps, rate, sizes, variable));
        double scale = Math.scalb(1.0, bps - 1);
        try (AudioFileReader r = AudioFileReader.open(f)) {
            assertEquals(n, r.frames());
            assertEquals(rate, r.format().sampleRate());
            AudioBuffer b = new AudioBuffer(ch, 999);
            int at = 0, k;
            while ((k = r.read(b)) > 0) {
                for (int c = 0; c < ch; c++) {
                    for (int i = 0; i < k; i++) {
                        assertEquals((float) (s[c][at + i] / scale), b.get(c, i), "channel " + c + " sample " + (at + i));
                    }
                }
                at += k;
            }
            assertEquals(n, at);
            // Seek without a seek table (linear decode) both ways.
            for (long p : new long[] {15_000, 3, 19_999, 7_777}) {
                r.seek(p);
                assertEquals(1, r.read(new AudioBuffer(ch, 1)) );
            }
            r.seek(12_345);
            AudioBuffer one = new AudioBuffer(ch, 1);
            r.read(one);
            assertEquals((float) (s[ch - 1][12_345] / scale), one.get(ch - 1, 0));
        }
    }
}
