package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

class WavRoundTripTest {
    @TempDir
    Path dir;

    /** Writes in uneven blocks and reads back in other uneven blocks. */
    private float[][] roundTrip(Path file, float[][] x, AudioFormat fmt, SampleFormat sf, AudioFileWriter.Options o)
            throws IOException {
        int frames = x[0].length;
        try (AudioFileWriter w = AudioFileWriter.create(file, fmt, sf, o)) {
            int at = 0;
            int step = 1000;
            while (at < frames) {
                int n = Math.min(step, frames - at);
                float[][] blk = new float[x.length][n];
                for (int c = 0; c < x.length; c++) System.arraycopy(x[c], at, blk[c], 0, n);
                w.write(AudioBuffer.wrap(blk));
                at += n;
                step = step == 1000 ? 777 : 1000;
            }
            w.commit();
        }
        try (AudioFileReader r = AudioFileReader.open(file)) {
            assertEquals(fmt, r.format());
            assertEquals(frames, r.frames());
            assertEquals(sf.bits(), r.bitsPerSample());
            float[][] y = new float[x.length][frames];
            AudioBuffer buf = new AudioBuffer(x.length, 613);
            int at = 0;
            int n;
            while ((n = r.read(buf)) > 0) {
                for (int c = 0; c < x.length; c++) System.arraycopy(buf.channel(c), 0, y[c], at, n);
                at += n;
            }
            assertEquals(frames, at);
            assertEquals(0, r.read(buf));
            return y;
        }
    }

    @ParameterizedTest
    @EnumSource(SampleFormat.class)
    void everySampleFormatRoundTrips(SampleFormat sf) throws IOException {
        float[][] x = TestFiles.noise(2, 10_001, 0.95f, 7);
        x[0][5] = 1.0f;
        x[1][6] = -1.0f;
        float[][] y = roundTrip(dir.resolve("rt.wav"), x, TestFiles.stereo48(), sf, AudioFileWriter.Options.defaults());
        double lsb = Math.scalb(1.0, 1 - sf.bits());
        // float: bit exact. PCM: rounding (0.5 LSB) + TPDF dither (< 1 LSB peak); 1.0 clips to full scale - 1 LSB.
        double tol = sf.isFloat() ? 0 : sf.reducesPrecision() ? 1.5 * lsb : 1.0 * lsb;
        double max = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < x[0].length; i++) max = Math.max(max, Math.abs(x[c][i] - y[c][i]));
        }
        assertTrue(max <= tol, sf + ": max error " + max + " > " + tol);
    }

    @ParameterizedTest
    @EnumSource(value = SampleFormat.class, names = {"PCM_16", "PCM_24"})
    void withoutDitherPcmValuesAreExact(SampleFormat sf) throws IOException {
        // Values on the integer grid survive exactly when dither is off.
        int frames = 5000;
        double scale = Math.scalb(1.0, sf.bits() - 1);
        float[][] x = new float[1][frames];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < frames; i++) x[0][i] = (float) ((r.nextInt((int) (2 * scale)) - scale) / scale);
        float[][] y = roundTrip(dir.resolve("grid.wav"), x, AudioFormat.of(44100, 1), sf,
                AudioFileWriter.Options.defaults().dither(false));
        assertArrayEquals(x[0], y[0]);
    }

    @Test
    void ditherIsDeterministicAndSeedDependent() throws IOException {
        float[][] x = TestFiles.noise(2, 4000, 0.5f, 11);
        AudioClip clip = new AudioClip(TestFiles.stereo48(), x);
        AudioFiles.write(dir.resolve("a.wav"), clip, SampleFormat.PCM_16);
        AudioFiles.write(dir.resolve("b.wav"), clip, SampleFormat.PCM_16);
        AudioFiles.write(dir.resolve("c.wav"), clip, SampleFormat.PCM_16,
                AudioFileWriter.Options.defaults().ditherSeed(42));
        byte[] a = Files.readAllBytes(dir.resolve("a.wav"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b.wav")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c.wav"))));
    }

    @Test
    void ditherIsTriangularOfOneLsbPeak() throws IOException {
        // A constant exactly between two codes: dithered output spreads over +-1 LSB around it with mean ~0.
        int n = 100_000;
        float[][] x = new float[1][n];
        java.util.Arrays.fill(x[0], 100.5f / 32768f);
        float[][] y = roundTrip(dir.resolve("d.wav"), x, AudioFormat.of(48000, 1), SampleFormat.PCM_16,
                AudioFileWriter.Options.defaults());
        double sum = 0;
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (float v : y[0]) {
            int code = Math.round(v * 32768f);
            lo = Math.min(lo, code);
            hi = Math.max(hi, code);
            sum += v * 32768.0 - 100.5;
        }
        assertEquals(100, lo);  // 100.5 + (-1, 1) rounds to 100 or 101 only... (plus 99.5..101.5 -> 99..102 edges)
        assertEquals(101, hi);
        assertEquals(0, sum / n, 0.01);
    }

    @Test
    void clippingIsCounted() throws IOException {
        float[][] x = {{0.5f, 1.5f, -2f, 1.0f, -1.0f, 0.99f}};
        try (AudioFileWriter w = AudioFileWriter.create(dir.resolve("clip.wav"), AudioFormat.of(48000, 1),
                SampleFormat.PCM_24)) {
            w.write(AudioBuffer.wrap(x));
            w.commit();
            assertEquals(2, w.clippedSamples());
        }
        AudioClip back = AudioFiles.readAll(dir.resolve("clip.wav"));
        assertEquals(1.0, back.channel(0)[1], 2.0 / 8388608);
        assertEquals(-1.0, back.channel(0)[2], 1e-9);
    }

    static Stream<Object[]> masks() {
        return Stream.of(new Object[] {ChannelLayout.SURROUND_5_1, 0x3F}, new Object[] {ChannelLayout.SURROUND_7_1, 0x63F},
                new Object[] {ChannelLayout.SURROUND_7_1_4, 0x2D63F}, new Object[] {ChannelLayout.QUAD, 0x33});
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("masks")
    void multichannelMaskInHeaderBytes(ChannelLayout layout, int mask) throws IOException {
        Path f = dir.resolve("mc.wav");
        AudioFormat fmt = new AudioFormat(48000, layout);
        AudioFiles.write(f, new AudioClip(fmt, TestFiles.noise(layout.channelCount(), 100, 0.5f, 1)), SampleFormat.PCM_24);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        int fmtAt = findChunk(b, "fmt ");
        assertEquals(40, b.getInt(fmtAt + 4));
        assertEquals(0xFFFE, b.getShort(fmtAt + 8) & 0xFFFF);
        assertEquals(layout.channelCount(), b.getShort(fmtAt + 10));
        assertEquals(24, b.getShort(fmtAt + 8 + 14));
        assertEquals(24, b.getShort(fmtAt + 8 + 18)); // valid bits
        assertEquals(mask, b.getInt(fmtAt + 8 + 20));
        assertEquals(1, b.getShort(fmtAt + 8 + 24)); // KSDATAFORMAT_SUBTYPE_PCM
        try (AudioFileReader r = AudioFileReader.open(f)) {
            assertEquals(layout, r.format().layout());
            assertEquals("WAV PCM 24-bit", r.encoding());
        }
    }

    @Test
    void plainStereo16UsesPcmTagAndFloatUsesExtensibleWithFact() throws IOException {
        AudioClip clip = new AudioClip(TestFiles.stereo48(), TestFiles.noise(2, 10, 0.5f, 1));
        AudioFiles.write(dir.resolve("s16.wav"), clip, SampleFormat.PCM_16);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("s16.wav"))).order(ByteOrder.LITTLE_ENDIAN);
        int f = findChunk(b, "fmt ");
        assertEquals(16, b.getInt(f + 4));
        assertEquals(1, b.getShort(f + 8));
        assertEquals(b.capacity() - 8, b.getInt(4));
        assertEquals(40, b.getInt(findChunk(b, "data") + 4));

        AudioFiles.write(dir.resolve("f32.wav"), clip, SampleFormat.FLOAT_32);
        b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("f32.wav"))).order(ByteOrder.LITTLE_ENDIAN);
        f = findChunk(b, "fmt ");
        assertEquals(0xFFFE, b.getShort(f + 8) & 0xFFFF);
        assertEquals(3, b.getShort(f + 8 + 24)); // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT
        assertEquals(3, b.getShort(f + 8 + 24));
        assertEquals(10, b.getInt(findChunk(b, "fact") + 8));
    }

    @Test
    void javaSoundReadsOurPcmIdentically() throws Exception {
        // An independent reader (the JDK's javax.sound) decodes our 16-bit file to the same sample values.
        Path f = dir.resolve("js.wav");
        float[][] x = TestFiles.noise(2, 3000, 0.8f, 5);
        AudioFiles.write(f, new AudioClip(TestFiles.stereo48(), x), SampleFormat.PCM_16);
        AudioClip ours = AudioFiles.readAll(f);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(f.toFile())) {
            assertEquals(48000f, in.getFormat().getSampleRate());
            byte[] pcm = in.readAllBytes();
            ByteBuffer b = ByteBuffer.wrap(pcm).order(in.getFormat().isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            assertEquals(3000 * 4, pcm.length);
            for (int i = 0; i < 3000; i++) {
                assertEquals(ours.channel(0)[i], b.getShort() / 32768f);
                assertEquals(ours.channel(1)[i], b.getShort() / 32768f);
            }
        }
    }

    @Test
    void oddSizedDataIsPaddedAndReadBack() throws IOException {
        Path f = dir.resolve("odd.wav");
        float[][] x = TestFiles.noise(1, 3, 0.5f, 2);
        AudioFiles.write(f, new AudioClip(AudioFormat.of(48000, 1), x), SampleFormat.PCM_24);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        int d = findChunk(b, "data");
        assertEquals(9, b.getInt(d + 4));
        assertEquals(d + 8 + 10, b.capacity());
        assertEquals(b.capacity() - 8, b.getInt(4));
        assertEquals(3, AudioFiles.readAll(f).frames());
    }

    @Test
    void rf64WhenOverTheRiffLimit() throws IOException {
        // The 4 GiB switch-over is tested with a tiny injected limit: same code path, kilobytes instead of gigabytes.
        Path f = dir.resolve("big.wav");
        float[][] x = TestFiles.noise(6, 2000, 0.5f, 9);
        AudioFormat fmt = new AudioFormat(48000, ChannelLayout.SURROUND_5_1);
        float[][] y = roundTrip(f, x, fmt, SampleFormat.FLOAT_32, AudioFileWriter.Options.defaults().riffLimit(10_000));
        for (int c = 0; c < 6; c++) assertArrayEquals(x[c], y[c]);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RF64", ascii(b, 0));
        assertEquals(0xFFFFFFFF, b.getInt(4));
        assertEquals("ds64", ascii(b, 12));
        assertEquals(28, b.getInt(16));
        assertEquals(b.capacity() - 8, b.getLong(20)); // RIFF size
        assertEquals(2000L * 6 * 4, b.getLong(28));   // data size
        assertEquals(2000L, b.getLong(36));           // sample count
        int d = findChunk(b, "data");
        assertEquals(0xFFFFFFFF, b.getInt(d + 4));
        assertEquals(0xFFFFFFFF, b.getInt(findChunk(b, "fact") + 8));
        try (AudioFileReader r = AudioFileReader.open(f)) {
            assertEquals("RF64 float 32-bit", r.encoding());
        }
        // Just under the limit it stays RIFF with a JUNK chunk in place of ds64.
        Path g = dir.resolve("small.wav");
        roundTrip(g, x, fmt, SampleFormat.FLOAT_32, AudioFileWriter.Options.defaults().riffLimit(1L << 20));
        b = ByteBuffer.wrap(Files.readAllBytes(g)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", ascii(b, 0));
        assertEquals("JUNK", ascii(b, 12));
    }

    /**
     * The checksum a writer takes while writing (Options.checksumFor) is the SHA-256 of the committed file, computed
     * here independently from the file's bytes; the option changes no byte, and a wrong expected length gives no
     * checksum (null) rather than a wrong one. Every sample format, odd-sized data (pad byte) and RF64.
     */
    @ParameterizedTest
    @EnumSource(SampleFormat.class)
    void checksumWhileWritingIsTheFilesSha256AndChangesNoByte(SampleFormat sf) throws Exception {
        AudioFormat stereo = TestFiles.stereo48();
        float[][] x = TestFiles.noise(2, 5000, 0.5f, 4);
        checksumCase(sf, stereo, x, AudioFileWriter.Options.defaults());
        // mono, 3 frames: odd-sized data for 8- and 24-bit samples (a pad byte follows the data)
        checksumCase(sf, AudioFormat.of(48000, 1), TestFiles.noise(1, 3, 0.5f, 2), AudioFileWriter.Options.defaults());
        // over an injected RIFF limit: the RF64 header, written final up front
        checksumCase(sf, stereo, x, AudioFileWriter.Options.defaults().riffLimit(10_000));
    }

    private void checksumCase(SampleFormat sf, AudioFormat fmt, float[][] x, AudioFileWriter.Options base)
            throws Exception {
        int frames = x[0].length;
        Path plain = dir.resolve("plain.wav");
        assertEquals(null, write(plain, fmt, sf, x, base));
        byte[] expected = Files.readAllBytes(plain);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(expected));
        for (long announced : new long[] {frames, frames - 1, frames + 1, 0}) {
            Path f = dir.resolve("sum-" + announced + ".wav");
            String got = write(f, fmt, sf, x, copy(base).checksumFor(announced));
            assertArrayEquals(expected, Files.readAllBytes(f), sf + ", announced " + announced + " of " + frames);
            assertEquals(announced == frames ? sha : null, got, sf + ", announced " + announced + " of " + frames);
        }
    }

    private static AudioFileWriter.Options copy(AudioFileWriter.Options o) {
        return AudioFileWriter.Options.defaults().riffLimit(o.riffLimit());
    }

    /** Writes x in uneven blocks; returns the writer's checksum after commit. */
    private static String write(Path f, AudioFormat fmt, SampleFormat sf, float[][] x, AudioFileWriter.Options o)
            throws IOException {
        try (AudioFileWriter w = AudioFileWriter.create(f, fmt, sf, o)) {
            int frames = x[0].length;
            for (int at = 0, step = 1; at < frames; at += step, step = step * 3 + 1) {
                int n = Math.min(step, frames - at);
                float[][] blk = new float[x.length][n];
                for (int c = 0; c < x.length; c++) System.arraycopy(x[c], at, blk[c], 0, n);
                w.write(AudioBuffer.wrap(blk));
            }
            w.commit();
            return w.sha256();
        }
    }

    @Test
    void failedWriteLeavesNoFileAndKeepsTheOldTarget() throws IOException {
        Path f = dir.resolve("out.wav");
        Files.write(f, new byte[] {1, 2, 3});
        float[][] x = TestFiles.noise(2, 100, 0.5f, 1);
        x[1][50] = Float.NaN;
        AudioFileException e;
        try (AudioFileWriter w = AudioFileWriter.create(f, TestFiles.stereo48(), SampleFormat.PCM_24)) {
            w.write(AudioBuffer.wrap(TestFiles.noise(2, 100, 0.5f, 2)));
            e = assertThrows(AudioFileException.class, () -> w.write(AudioBuffer.wrap(x)));
        }
        assertTrue(e.getMessage().startsWith(f + ": NaN sample at frame 150, channel 2"), e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "temporary file left behind");
        }
        // A writer closed without commit (e.g. by an exception elsewhere in the render) leaves nothing either.
        Path g = dir.resolve("never.wav");
        try (AudioFileWriter w = AudioFileWriter.create(g, TestFiles.stereo48(), SampleFormat.FLOAT_32)) {
            w.write(AudioBuffer.wrap(TestFiles.noise(2, 100, 0.5f, 2)));
        }
        assertFalse(Files.exists(g));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "temporary file left behind");
        }
    }

    @Test
    void refusesToOverwriteAnInput() throws IOException {
        Path in = dir.resolve("in.wav");
        AudioFiles.write(in, new AudioClip(TestFiles.stereo48(), TestFiles.noise(2, 10, 0.5f, 1)), SampleFormat.PCM_16);
        byte[] before = Files.readAllBytes(in);
        AudioFileException e = assertThrows(AudioFileException.class,
                () -> AudioFileWriter.create(in, TestFiles.stereo48(), SampleFormat.PCM_16, Set.of(in)));
        assertTrue(e.getMessage().contains("refusing to overwrite an input"), e.getMessage());
        // Another spelling of the same path, and a symbolic link to it, are the same file.
        Path other = dir.resolve("sub/../in.wav");
        Files.createDirectories(dir.resolve("sub"));
        assertThrows(AudioFileException.class,
                () -> AudioFileWriter.create(other, TestFiles.stereo48(), SampleFormat.PCM_16, Set.of(in)));
        Path link = dir.resolve("link.wav");
        Files.createSymbolicLink(link, in);
        assertThrows(AudioFileException.class,
                () -> AudioFileWriter.create(in, TestFiles.stereo48(), SampleFormat.PCM_16, Set.of(link)));
        assertArrayEquals(before, Files.readAllBytes(in));
    }

    @Test
    void readAllRefusesFilesAboveTheLimit() throws IOException {
        Path f = dir.resolve("long.wav");
        AudioFiles.write(f, new AudioClip(TestFiles.stereo48(), TestFiles.noise(2, 1000, 0.5f, 1)), SampleFormat.PCM_16);
        AudioFileException e = assertThrows(AudioFileException.class, () -> AudioFiles.readAll(f, 4000));
        assertTrue(e.getMessage().startsWith(f + ": too long to load into memory"), e.getMessage());
        assertEquals(1000, AudioFiles.readAll(f, 8000).frames());
    }

    @Test
    void seekIsExact() throws IOException {
        Path f = dir.resolve("seek.wav");
        float[][] x = TestFiles.noise(2, 5000, 0.5f, 1);
        AudioFiles.write(f, new AudioClip(TestFiles.stereo48(), x), SampleFormat.FLOAT_32);
        try (AudioFileReader r = AudioFileReader.open(f)) {
            AudioBuffer b = new AudioBuffer(2, 10);
            r.seek(4321);
            assertEquals(10, r.read(b));
            assertEquals(x[1][4321], b.get(1, 0));
            assertEquals(x[0][4330], b.get(0, 9));
            r.seek(4995);
            assertEquals(5, r.read(b));
            assertEquals(5, b.frames());
            assertEquals(0, r.read(b));
        }
    }

    static int findChunk(ByteBuffer b, String id) {
        for (int p = 12; p + 8 <= b.capacity(); ) {
            if (ascii(b, p).equals(id)) return p;
            long size = b.getInt(p + 4) & 0xFFFFFFFFL;
            if (ascii(b, p).equals("data")) break;
            p += 8 + size + (size & 1);
        }
        throw new AssertionError("no " + id + " chunk");
    }

    static String ascii(ByteBuffer b, int p) {
        return new String(new byte[] {b.get(p), b.get(p + 1), b.get(p + 2), b.get(p + 3)},
                java.nio.charset.StandardCharsets.US_ASCII);
    }
}
