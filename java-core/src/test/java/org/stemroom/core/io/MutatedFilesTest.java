package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/**
 * Randomized robustness: valid WAV / RF64 / AIFF / AIFF-C / FLAC files with bytes of their headers (and, for FLAC,
 * frames) mutated and cut at random points, with fixed seeds. Every case must either read to the end or fail with
 * an {@link AudioFileException}, never another exception type, and never hang.
 */
class MutatedFilesTest {
    static final int CASES = 300; // x 10 base files = 3000 cases

    @TempDir
    Path dir;

    private byte[] base(String kind) throws Exception {
        Path f = dir.resolve("base");
        float[][] x2 = TestFiles.noise(2, 400, 0.7f, 1);
        AudioFormat st = AudioFormat.of(44100, 2);
        switch (kind) {
            case "wav16":
                AudioFiles.write(f, new AudioClip(st, x2), SampleFormat.PCM_16);
                break;
            case "wav24-5.1":
                AudioFiles.write(f, new AudioClip(new AudioFormat(48000, ChannelLayout.SURROUND_5_1),
                        TestFiles.noise(6, 200, 0.7f, 2)), SampleFormat.PCM_24);
                break;
            case "wavf32":
                AudioFiles.write(f, new AudioClip(st, x2), SampleFormat.FLOAT_32);
                break;
            case "rf64f64":
                AudioFiles.write(f, new AudioClip(AudioFormat.of(48000, 1), TestFiles.noise(1, 300, 0.7f, 3)),
                        SampleFormat.FLOAT_64, AudioFileWriter.Options.defaults().riffLimit(100));
                break;
            case "wav8":
                return TestFiles.riff("WAVE", TestFiles.chunk("LIST", new byte[] {'I', 'N', 'F', 'O', 'x'}),
                        TestFiles.chunk("fmt ", TestFiles.fmt(1, 1, 8000, 8)), TestFiles.chunk("data", new byte[301]));
            case "aiff16":
                return TestFiles.aiff(false, null, 2, 200, 16, 44100, new byte[800]);
            case "aifc-sowt":
                return TestFiles.aiff(true, "sowt", 2, 200, 16, 44100, new byte[800]);
            case "aifc-fl32": {
                ByteBuffer b = ByteBuffer.allocate(800).order(ByteOrder.BIG_ENDIAN);
                for (int i = 0; i < 200; i++) b.putFloat((float) Math.sin(i * 0.1));
                return TestFiles.aiff(true, "fl32", 1, 200, 32, 48000, b.array());
            }
            case "flac-spec":
                return FlacTestEncoder.encode(FlacSpecPathsTest.signal(2, 3000, 16, 0, 5), 16, 44100,
                        new int[] {500, 192, 1000, 37}, true);
            case "flac-ref": {
                Assumptions.assumeTrue(FlacDecoderTest.FlacTool.available(), "the 'flac' command is not installed");
                Path wav = dir.resolve("ref.wav");
                AudioFiles.write(wav, new AudioClip(st, FlacDecoderTest.program(2, 3000, 16, 4)), SampleFormat.PCM_16);
                FlacDecoderTest.FlacTool.encode(wav, f, "-5", "-b", "576");
                break;
            }
            default:
                throw new IllegalArgumentException(kind);
        }
        return Files.readAllBytes(f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wav16", "wav24-5.1", "wavf32", "rf64f64", "wav8", "aiff16", "aifc-sowt", "aifc-fl32",
            "flac-spec", "flac-ref"})
    void mutatedFilesReadOrFailCleanly(String kind) throws Exception {
        byte[] good = base(kind);
        boolean flac = kind.startsWith("flac");
        Path f = dir.resolve("case.bin");
        List<String> failures = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            for (int k = 0; k < CASES; k++) {
                Random r = new Random(kind.hashCode() * 1_000_003L + k);
                byte[] b = mutate(good, r, flac);
                Files.write(f, b);
                long t0 = System.nanoTime();
                try {
                    readEverything(f, r);
                } catch (AudioFileException expected) {
                    assertTrue(expected.getMessage().startsWith(f.toString()), expected.getMessage());
                    assertTrue(!expected.getMessage().contains("\n"), expected.getMessage());
                } catch (Throwable t) {
                    if (failures.size() < 5) failures.add("case " + k + ": " + t + " at " + Arrays.toString(
                            Arrays.copyOf(t.getStackTrace(), Math.min(3, t.getStackTrace().length))));
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (ms > 5000) failures.add("case " + k + " took " + ms + " ms");
            }
        });
        assertTrue(failures.isEmpty(), kind + ": " + String.join("\n", failures));
    }

    static void readEverything(Path f, Random r) throws Exception {
        try (AudioFileReader rd = AudioFileReader.open(f)) {
            AudioBuffer buf = new AudioBuffer(rd.format().channels(), 1 + r.nextInt(700));
            long total = 0;
            int n;
            while ((n = rd.read(buf)) > 0) total += n;
            if (total != rd.frames()) throw new AssertionError("read " + total + " of " + rd.frames() + " frames");
            if (rd.frames() > 0 && r.nextInt(4) == 0) {
                rd.seek(r.nextInt((int) Math.min(Integer.MAX_VALUE, rd.frames())));
                rd.read(buf);
            }
        }
    }

    static byte[] mutate(byte[] good, Random r, boolean flac) {
        byte[] b = good.clone();
        int header = Math.min(b.length, flac ? 160 : 120);
        int kind = r.nextInt(flac ? 6 : 5);
        switch (kind) {
            case 0: { // flip a few header bytes
                int m = 1 + r.nextInt(4);
                for (int i = 0; i < m; i++) b[r.nextInt(header)] ^= (byte) (1 + r.nextInt(255));
                return b;
            }
            case 1: // truncate anywhere
                return Arrays.copyOf(b, r.nextInt(b.length));
            case 2: { // an extreme value into a 16- or 32-bit field of the header
                int at = r.nextInt(Math.max(1, header - 4)) & ~1;
                long[] extremes = {0, 0xFFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, 1, 0xFFFF, 0x8000, 0x10000};
                long v = extremes[r.nextInt(extremes.length)];
                int width = r.nextBoolean() ? 2 : 4;
                for (int i = 0; i < width && at + i < b.length; i++) b[at + i] = (byte) (v >>> (8 * i));
                return b;
            }
            case 3: { // flip and truncate
                b[r.nextInt(header)] = (byte) r.nextInt(256);
                return Arrays.copyOf(b, header + r.nextInt(b.length - header + 1));
            }
            case 4: { // one random byte anywhere in the header set to a random value
                b[r.nextInt(header)] = (byte) r.nextInt(256);
                return b;
            }
            default: { // FLAC: damage inside the frames
                int m = 1 + r.nextInt(3);
                for (int i = 0; i < m; i++) b[header + r.nextInt(b.length - header)] ^= (byte) (1 << r.nextInt(8));
                return b;
            }
        }
    }
}
