package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

/**
 * FLAC frames with damaged bits: with the CRC-8 of each header, the CRC-16 of each frame and the stream's MD5,
 * a damaged file must either fail with an {@link AudioFileException} or decode to exactly the original samples
 * (when the damage hits bits that do not carry audio). Wrong audio must never come out silently.
 */
class FlacFrameFuzzTest {
    static final int CASES = 300;

    @TempDir
    Path dir;

    private static int metadataEnd(byte[] flac) {
        int p = 4;
        while (true) {
            boolean last = (flac[p] & 0x80) != 0;
            int len = ((flac[p + 1] & 0xFF) << 16) | ((flac[p + 2] & 0xFF) << 8) | (flac[p + 3] & 0xFF);
            p += 4 + len;
            if (last) return p;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"spec", "ref"})
    void damagedFramesFailOrDecodeExactly(String kind) throws Exception {
        byte[] good;
        if (kind.equals("ref")) {
            Assumptions.assumeTrue(FlacDecoderTest.FlacTool.available(), "the 'flac' command is not installed");
            Path wav = dir.resolve("ref.wav");
            AudioFiles.write(wav, new AudioClip(AudioFormat.of(44100, 2), FlacDecoderTest.program(2, 6000, 16, 8)),
                    SampleFormat.PCM_16);
            Path f = dir.resolve("ref.flac");
            FlacDecoderTest.FlacTool.encode(wav, f, "-8", "-b", "1152");
            good = Files.readAllBytes(f);
        } else {
            good = FlacTestEncoder.encode(FlacSpecPathsTest.signal(2, 6000, 24, 0, 2), 24, 48000,
                    new int[] {1000, 4096, 37, 192}, true);
        }
        Path f = dir.resolve("good.flac");
        Files.write(f, good);
        AudioClip expected = AudioFiles.readAll(f);
        int from = metadataEnd(good);
        Path bad = dir.resolve("bad.flac");
        List<String> failures = new ArrayList<>();
        int[] outcome = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            for (int k = 0; k < CASES; k++) {
                Random r = new Random(kind.hashCode() * 7919L + k);
                byte[] b = good.clone();
                int m = 1 + r.nextInt(3);
                for (int i = 0; i < m; i++) {
                    int at = from + r.nextInt(b.length - from);
                    if (r.nextBoolean()) b[at] ^= (byte) (1 << r.nextInt(8));
                    else b[at] = (byte) r.nextInt(256);
                }
                Files.write(bad, b);
                try {
                    AudioClip got = AudioFiles.readAll(bad);
                    for (int c = 0; c < got.channels(); c++) {
                        if (!Arrays.equals(expected.channel(c), got.channel(c))) {
                            failures.add("case " + k + ": decoded wrong audio without an error");
                            break;
                        }
                    }
                    outcome[0]++;
                } catch (AudioFileException e) {
                    outcome[1]++;
                    assertTrue(e.getMessage().startsWith(bad.toString()), e.getMessage());
                } catch (Throwable t) {
                    if (failures.size() < 5) failures.add("case " + k + ": " + t);
                }
            }
        });
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(outcome[1] > CASES / 2, "most damage must be detected: " + Arrays.toString(outcome));
    }

    @Test
    void id3PrefixAndUnknownTotalLength() throws Exception {
        long[][] s = FlacSpecPathsTest.signal(1, 5000, 16, 0, 3);
        byte[] flac = FlacTestEncoder.encode(s, 16, 44100, new int[] {1024}, false);
        // STREAMINFO total samples = 0 ("unknown"): the reader counts by decoding once.
        byte[] unknown = flac.clone();
        unknown[8 + 13] &= (byte) 0xF0;
        for (int i = 8 + 14; i < 8 + 18; i++) unknown[i] = 0;
        // An ID3v2 tag in front (10-byte header + 20 bytes of body, synchsafe size).
        byte[] id3 = new byte[30];
        id3[0] = 'I';
        id3[1] = 'D';
        id3[2] = '3';
        id3[3] = 4;
        id3[9] = 20;
        Path f = dir.resolve("tagged.flac");
        Files.write(f, TestFiles.concat(id3, unknown));
        AudioClip c = AudioFiles.readAll(f);
        assertEquals(5000, c.frames());
        float[] want = new float[5000];
        for (int i = 0; i < 5000; i++) want[i] = (float) (s[0][i] / 32768.0);
        assertArrayEquals(want, c.channel(0));
    }
}
