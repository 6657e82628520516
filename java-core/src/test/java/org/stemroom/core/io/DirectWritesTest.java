package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/**
 * {@link AudioFileWriter.Options#pastPageCache}: the same file bytes and checksum as a writer through the page cache,
 * and, where the folder's file system takes direct writes, every whole 4 KiB block of the file written directly (the
 * unaligned tail and the header's final rewrite through the page cache).
 */
class DirectWritesTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SampleFormat.class)
    void sameBytesAndChecksumWithTheWholeBlocksWrittenDirectly(SampleFormat sf) throws Exception {
        assumeDirectWrites();
        AudioFormat surround = new AudioFormat(48_000, ChannelLayout.SURROUND_5_1);
        // 2.9 s of 5.1: several megabyte stretches and an unaligned tail, in uneven blocks
        check(sf, surround, TestFiles.noise(6, 140_001, 0.9f, 7), AudioFileWriter.Options.defaults());
        // mono, 3 frames: no whole block at all (and a pad byte for 8- and 24-bit samples)
        check(sf, AudioFormat.of(48000, 1), TestFiles.noise(1, 3, 0.5f, 2), AudioFileWriter.Options.defaults());
        // over an injected RIFF limit: the RF64 header, written final up front with the first stretch
        check(sf, surround, TestFiles.noise(6, 60_000, 0.5f, 3), AudioFileWriter.Options.defaults().riffLimit(10_000));
    }

    @Test
    void aHeaderFinishedAtTheCommitIsTheSameToo() throws Exception {
        assumeDirectWrites();
        float[][] x = TestFiles.noise(2, 300_000, 0.5f, 5);
        byte[] plain = Files.readAllBytes(write(dir.resolve("plain.wav"), x, AudioFileWriter.Options.defaults()));
        // no announced length: the header written with the first stretch has no sizes yet, the commit puts them in
        Path f = dir.resolve("direct.wav");
        long direct = directBytes(f, x, AudioFileWriter.Options.defaults().pastPageCache(true));
        assertArrayEquals(plain, Files.readAllBytes(f));
        assertEquals(plain.length / 4096 * 4096, direct);
    }

    @Test
    void closedWithoutCommitLeavesNothing() throws Exception {
        Path f = dir.resolve("never.wav");
        try (AudioFileWriter w = AudioFileWriter.create(f, TestFiles.stereo48(), SampleFormat.FLOAT_32,
                AudioFileWriter.Options.defaults().pastPageCache(true))) {
            w.write(AudioBuffer.wrap(TestFiles.noise(2, 200_000, 0.5f, 2)));
        }
        assertFalse(Files.exists(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "temporary file left behind");
        }
    }

    private void check(SampleFormat sf, AudioFormat fmt, float[][] x, AudioFileWriter.Options base) throws Exception {
        long frames = x[0].length;
        Path plain = dir.resolve("plain.wav");
        String plainSum;
        try (AudioFileWriter w = AudioFileWriter.create(plain, fmt, sf, copy(base).checksumFor(frames))) {
            writeBlocks(w, x);
            w.commit();
            plainSum = w.sha256();
        }
        byte[] expected = Files.readAllBytes(plain);
        Path f = dir.resolve("direct.wav");
        AudioFileWriter.Options direct = copy(base).checksumFor(frames).pastPageCache(true);
        try (AudioFileWriter w = AudioFileWriter.create(f, fmt, sf, direct)) {
            writeBlocks(w, x);
            w.commit();
            assertEquals(plainSum, w.sha256(), sf + " " + fmt);
            assertEquals(expected.length / 4096 * 4096, w.directBytes(), sf + " " + fmt + ": bytes written directly");
        }
        assertArrayEquals(expected, Files.readAllBytes(f), sf + " " + fmt);
        assertTrue(plainSum != null);
    }

    private static AudioFileWriter.Options copy(AudioFileWriter.Options o) {
        return AudioFileWriter.Options.defaults().riffLimit(o.riffLimit());
    }

    private static Path write(Path f, float[][] x, AudioFileWriter.Options o) throws IOException {
        try (AudioFileWriter w = AudioFileWriter.create(f, TestFiles.stereo48(), SampleFormat.PCM_24, o)) {
            writeBlocks(w, x);
            w.commit();
        }
        return f;
    }

    private static long directBytes(Path f, float[][] x, AudioFileWriter.Options o) throws IOException {
        try (AudioFileWriter w = AudioFileWriter.create(f, TestFiles.stereo48(), SampleFormat.PCM_24, o)) {
            writeBlocks(w, x);
            w.commit();
            return w.directBytes();
        }
    }

    /** Uneven blocks, up to 40,000 frames (more than one encode chunk of 256 KiB for 5.1 float). */
    private static void writeBlocks(AudioFileWriter w, float[][] x) throws IOException {
        int frames = x[0].length;
        for (int at = 0, step = 1; at < frames; at += step, step = Math.min(step * 3 + 1, 40_000)) {
            int n = Math.min(step, frames - at);
            float[][] blk = new float[x.length][n];
            for (int c = 0; c < x.length; c++) System.arraycopy(x[c], at, blk[c], 0, n);
            w.write(AudioBuffer.wrap(blk));
        }
    }

    /** Skips (with the reason) where the temporary folder's file system does not take direct writes. */
    private void assumeDirectWrites() throws IOException {
        Path probe = Files.createFile(dir.resolve("probe"));
        FileChannel ch = DirectWrites.open(probe);
        Assumptions.assumeTrue(ch != null, "the file system of " + dir + " does not take direct writes (O_DIRECT)");
        ch.close();
        Files.delete(probe);
    }
}
