package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;

/**
 * Reading streams: the heap allocated while reading a whole file does not depend on its length. Measured with the
 * JVM's per-thread allocation counter, which is exact where heap snapshots are noisy.
 */
class StreamingMemoryTest {
    @TempDir
    Path dir;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void twoHundredMegabyteWavReadsInBoundedMemory() throws Exception {
        // A 200 MB 24-bit stereo WAV (sparse: the data is zeros, so the test costs no disk).
        long dataBytes = 200L << 20;
        dataBytes -= dataBytes % 6;
        Path f = dir.resolve("long.wav");
        byte[] header = TestFiles.concat(TestFiles.riff("WAVE", TestFiles.chunk("fmt ", TestFiles.fmt(1, 2, 48000, 24))),
                new byte[] {'d', 'a', 't', 'a', (byte) dataBytes, (byte) (dataBytes >> 8), (byte) (dataBytes >> 16),
                        (byte) (dataBytes >> 24)});
        java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, (int) (header.length - 8 + dataBytes));
        Files.write(f, header);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(header.length + dataBytes);
        }
        AudioBuffer buf = new AudioBuffer(2, 8192);
        long before = allocated();
        long frames = 0;
        try (AudioFileReader r = AudioFileReader.open(f)) {
            assertEquals(dataBytes / 6, r.frames());
            int n;
            while ((n = r.read(buf)) > 0) frames += n;
        }
        long used = allocated() - before;
        assertEquals(dataBytes / 6, frames);
        assertTrue(used < 1 << 20, "allocated " + used + " bytes while streaming 200 MB");
    }

    @Test
    void flacAllocationDoesNotGrowWithLength() throws Exception {
        long shortRun = flacReadAllocation(20_000);
        long longRun = flacReadAllocation(200_000);
        // Per-file set-up (frame buffers sized by STREAMINFO's max block) is the same; decoding adds nothing per frame.
        assertTrue(longRun < shortRun + (64 << 10), "short " + shortRun + " B, 10x longer " + longRun + " B");
    }

    private long flacReadAllocation(int n) throws Exception {
        Path f = dir.resolve("s" + n + ".flac");
        Files.write(f, FlacTestEncoder.encode(FlacSpecPathsTest.signal(2, n, 16, 0, 1), 16, 44100, new int[] {4096}, false));
        AudioBuffer buf = new AudioBuffer(2, 4096);
        long before = allocated();
        long frames = 0;
        try (AudioFileReader r = AudioFileReader.open(f)) {
            int k;
            while ((k = r.read(buf)) > 0) frames += k;
        }
        long used = allocated() - before;
        assertEquals(n, frames);
        return used;
    }

    @Test
    void writerAllocationDoesNotGrowWithLength() throws Exception {
        AudioBuffer buf = new AudioBuffer(2, 4096);
        buf.data()[0][7] = 0.5f;
        long before = allocated();
        try (AudioFileWriter w = AudioFileWriter.create(dir.resolve("w.wav"), AudioFormat.of(48000, 2), SampleFormat.PCM_24)) {
            for (int i = 0; i < 1000; i++) w.write(buf); // 4.1 M frames, 25 MB
            w.commit();
        }
        long used = allocated() - before;
        assertTrue(used < 1 << 20, "allocated " + used + " bytes while writing 25 MB");
    }
}
