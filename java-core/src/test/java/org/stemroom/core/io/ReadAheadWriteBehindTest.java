package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/** The I/O threads hand over exactly what the reader and writer would give on the caller's thread, errors included. */
class ReadAheadWriteBehindTest {
    @TempDir
    Path dir;

    private static final AudioFormat STEREO = new AudioFormat(48000, ChannelLayout.STEREO);

    private Path write(String name, float[][] x) throws IOException {
        Path f = dir.resolve(name);
        try (AudioFileWriter w = AudioFileWriter.create(f, STEREO, SampleFormat.FLOAT_32)) {
            w.write(AudioBuffer.wrap(x));
            w.commit();
        }
        return f;
    }

    private static float[][] noise(int frames, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[2][frames];
        for (float[] c : x) for (int i = 0; i < frames; i++) c[i] = (float) r.nextDouble(-1, 1);
        return x;
    }

    @Test
    void readAheadGivesTheReadersBlocksInOrder() throws IOException {
        float[][] x = noise(100_003, 1);
        Path f = write("in.wav", x);
        float[][] got = new float[2][x[0].length];
        int at = 0;
        try (AudioFileReader r = AudioFileReader.open(f); ReadAhead ahead = new ReadAhead(r, 4096, 2)) {
            for (AudioBuffer b = ahead.next(); b != null; b = ahead.next()) {
                assertEquals(Math.min(4096, x[0].length - at), b.frames());
                for (int c = 0; c < 2; c++) System.arraycopy(b.channel(c), 0, got[c], at, b.frames());
                at += b.frames();
            }
            assertNull(ahead.next(), "stays at the end");
        }
        assertEquals(x[0].length, at);
        assertArrayEquals(x[0], got[0]);
        assertArrayEquals(x[1], got[1]);
    }

    @Test
    void readAheadReportsAReadErrorAfterTheGoodBlocks() throws IOException {
        Path f = write("nan.wav", noise(50_000, 2));
        // a NaN in the file at frame 30000, channel 2: the reader refuses it when it reaches that block
        byte[] bytes = Files.readAllBytes(f);
        int data = bytes.length - 50_000 * 8;
        int p = data + (30_000 * 2 + 1) * 4;
        int nan = Float.floatToRawIntBits(Float.NaN);
        for (int k = 0; k < 4; k++) bytes[p + k] = (byte) (nan >>> (8 * k));
        Files.write(f, bytes);
        int good = 0;
        try (AudioFileReader r = AudioFileReader.open(f); ReadAhead ahead = new ReadAhead(r, 10_000, 3)) {
            AudioFileException e = assertThrows(AudioFileException.class, () -> {
                while (ahead.next() != null) { /* drain */ }
            });
            assertTrue(e.getMessage().contains("NaN sample at frame 30000, channel 2"), e.getMessage());
        }
        try (AudioFileReader r = AudioFileReader.open(f); ReadAhead ahead = new ReadAhead(r, 10_000, 3)) {
            try {
                while (ahead.next() != null) good++;
            } catch (AudioFileException expected) {
                // the three blocks before the bad one came first
            }
        }
        assertEquals(3, good);
    }

    @Test
    void closingEarlyStopsTheReadingThread() throws IOException {
        Path f = write("long.wav", noise(200_000, 3));
        try (AudioFileReader r = AudioFileReader.open(f)) {
            ReadAhead ahead = new ReadAhead(r, 1000, 2);
            ahead.next();
            ahead.close();
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.getName().equals("stemroom-read-ahead") && t.isAlive(), "reading thread still running");
        }
    }

    @Test
    void writeBehindWritesTheSameBytesAsTheWriter() throws IOException {
        float[][] x = noise(77_777, 4);
        Path direct = dir.resolve("direct.wav");
        Path behindFile = dir.resolve("behind.wav");
        int[] blocks = {1, 4096, 999, 4096, 17};
        for (Path f : new Path[] {direct, behindFile}) {
            try (AudioFileWriter w = AudioFileWriter.create(f, STEREO, SampleFormat.PCM_24);
                 WriteBehind behind = f == behindFile ? new WriteBehind(w, 4096, 2) : null) {
                int at = 0;
                for (int k = 0; at < x[0].length; k++) {
                    int n = Math.min(blocks[k % blocks.length], x[0].length - at);
                    AudioBuffer b = behind != null ? behind.buffer() : new AudioBuffer(2, n);
                    for (int c = 0; c < 2; c++) System.arraycopy(x[c], at, b.channel(c), 0, n);
                    b.setFrames(n);
                    if (behind != null) behind.submit(b);
                    else w.write(b);
                    at += n;
                }
                if (behind != null) behind.finish();
                w.commit();
            }
        }
        assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(behindFile)); // dither sequence included
    }

    @Test
    void writeBehindForcingTheDiskAsItGoesWritesTheSameBytes() throws IOException {
        // past two of its periodic forces to the disk (SYNC_BYTES), each one in the middle of a block
        int frames = (int) (2 * WriteBehind.SYNC_BYTES / 8 + 12_345);
        float[][] x = noise(frames, 5);
        Path direct = write("direct-long.wav", x);
        Path behindFile = dir.resolve("behind-long.wav");
        try (AudioFileWriter w = AudioFileWriter.create(behindFile, STEREO, SampleFormat.FLOAT_32);
             WriteBehind behind = new WriteBehind(w, 30_000, 2)) {
            for (int at = 0; at < frames; at += 30_000) {
                int n = Math.min(30_000, frames - at);
                AudioBuffer b = behind.buffer();
                for (int c = 0; c < 2; c++) System.arraycopy(x[c], at, b.channel(c), 0, n);
                b.setFrames(n);
                behind.submit(b);
            }
            behind.finish();
            assertEquals(8L * frames, w.bytesWritten());
            // the forces ran beside the writing thread, and finish() waited for the last one before the commit
            int asked = behind.writeBack.forcesStarted(); // written by the writing thread, which finish() joined
            assertTrue(asked >= 1 && asked <= 2, "forces asked: " + asked);
            assertFalse(behind.writeBack.forceUnderWay(), "a force still runs after finish()");
            w.commit();
            w.syncWritten(); // after the commit: nothing to do, no error
        }
        assertArrayEquals(Files.readAllBytes(direct), Files.readAllBytes(behindFile));
    }

    @Test
    void writeBehindShorterThanOneForceStartsNoSyncer() throws IOException {
        float[][] x = noise(50_000, 6);
        Path f = dir.resolve("short.wav");
        try (AudioFileWriter w = AudioFileWriter.create(f, STEREO, SampleFormat.FLOAT_32);
             WriteBehind behind = new WriteBehind(w, 10_000, 2)) {
            for (int at = 0; at < x[0].length; at += 10_000) {
                AudioBuffer b = behind.buffer();
                for (int c = 0; c < 2; c++) System.arraycopy(x[c], at, b.channel(c), 0, 10_000);
                behind.submit(b);
            }
            behind.finish();
            assertEquals(0, behind.writeBack.forcesStarted());
            w.commit();
        }
        assertArrayEquals(Files.readAllBytes(write("short-direct.wav", x)), Files.readAllBytes(f));
    }

    @Test
    void writeBehindReportsAWriteErrorAndLeavesNoFile() throws IOException {
        Path f = dir.resolve("bad.wav");
        try (AudioFileWriter w = AudioFileWriter.create(f, STEREO, SampleFormat.FLOAT_32);
             WriteBehind behind = new WriteBehind(w, 1000, 2)) {
            AudioFileException e = assertThrows(AudioFileException.class, () -> {
                for (int k = 0; k < 100; k++) {
                    AudioBuffer b = behind.buffer();
                    java.util.Arrays.fill(b.channel(0), 0.1f);
                    java.util.Arrays.fill(b.channel(1), 0.1f);
                    if (k == 5) b.channel(1)[10] = Float.POSITIVE_INFINITY;
                    behind.submit(b);
                }
                behind.finish();
            });
            assertTrue(e.getMessage().contains("infinite sample at frame 5010, channel 2"), e.getMessage());
        }
        assertTrue(Files.notExists(f));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "temporary file left behind");
        }
    }
}
