package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stemroom.core.AudioClip;
import org.stemroom.core.ChannelLayout;

/** Hand-assembled files in the formats we read but do not write: the reader against known sample values. */
class ReaderFormatsTest {
    @TempDir
    Path dir;

    private AudioClip read(byte[] bytes) throws IOException {
        Path f = dir.resolve("f.bin"); // extension deliberately meaningless: detection is by content
        Files.write(f, bytes);
        return AudioFiles.readAll(f);
    }

    @Test
    void wav8BitUnsigned() throws IOException {
        byte[] data = {(byte) 128, (byte) 255, 0, 64, (byte) 192};
        AudioClip c = read(TestFiles.riff("WAVE", TestFiles.chunk("fmt ", TestFiles.fmt(1, 1, 8000, 8)),
                TestFiles.chunk("data", data)));
        assertArrayEquals(new float[] {0f, 127 / 128f, -1f, -0.5f, 0.5f}, c.channel(0));
    }

    @Test
    void unknownAndOddSizedChunksAreSkipped() throws IOException {
        // LIST chunk of odd length (padded), a 'bext'-like chunk, fmt after them, then data, then trailing junk.
        short[] s = {1, -1, 32767, -32768};
        byte[] wav = TestFiles.riff("WAVE", TestFiles.chunk("LIST", new byte[] {'I', 'N', 'F', 'O', 'x'}),
                TestFiles.chunk("bext", new byte[602]), TestFiles.chunk("fmt ", TestFiles.fmt(1, 2, 44100, 16)),
                TestFiles.chunk("data", TestFiles.le16(s)), TestFiles.chunk("id3 ", new byte[7]));
        AudioClip c = read(wav);
        assertEquals(44100, c.sampleRate());
        assertArrayEquals(new float[] {1 / 32768f, 32767 / 32768f}, c.channel(0));
        assertArrayEquals(new float[] {-1 / 32768f, -1f}, c.channel(1));
    }

    @Test
    void fmtWithExtraBytesAndDataBeforeFmt() throws IOException {
        byte[] fmt18 = ByteBuffer.allocate(18).put(TestFiles.fmt(1, 1, 48000, 16)).array();
        byte[] wav = TestFiles.riff("WAVE", TestFiles.chunk("data", TestFiles.le16(new short[] {100, 200})),
                TestFiles.chunk("fmt ", fmt18));
        assertArrayEquals(new float[] {100 / 32768f, 200 / 32768f}, read(wav).channel(0));
    }

    @Test
    void extensibleFloatWith51Mask() throws IOException {
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) v[i] = i / 16f - 0.3f;
        byte[] wav = TestFiles.riff("WAVE", TestFiles.chunk("fmt ", TestFiles.fmtExtensible(3, 6, 96000, 32, 32, 0x3F)),
                TestFiles.chunk("data", TestFiles.le32f(v)));
        Path f = dir.resolve("x");
        Files.write(f, wav);
        try (AudioFileReader r = AudioFileReader.open(f)) {
            assertEquals(ChannelLayout.SURROUND_5_1, r.format().layout());
            assertEquals("WAV float 32-bit", r.encoding());
            assertEquals(2, r.frames());
        }
        AudioClip c = read(wav);
        assertEquals(v[3], c.channel(3)[0]);
        assertEquals(v[11], c.channel(5)[1]);
    }

    @Test
    void extensible20BitIn24AndMaskFallsBackWhenInconsistent() throws IOException {
        byte[] data = {0x00, 0x10, 0x00, 0x00, (byte) 0xF0, (byte) 0xFF}; // 0x001000, 0xFFF000 (20 valid bits)
        byte[] wav = TestFiles.riff("WAVE", TestFiles.chunk("fmt ", TestFiles.fmtExtensible(1, 2, 48000, 24, 20, 0x7)),
                TestFiles.chunk("data", data));
        Path f = dir.resolve("x");
        Files.write(f, wav);
        try (AudioFileReader r = AudioFileReader.open(f)) {
            assertEquals(20, r.bitsPerSample());
            assertEquals(ChannelLayout.STEREO, r.format().layout()); // 3 mask bits for 2 channels: ignored
        }
        AudioClip c = read(wav);
        assertEquals(4096 / 8388608f, c.channel(0)[0]);
        assertEquals(-4096 / 8388608f, c.channel(1)[0]);
    }

    @Test
    void wavFloat64() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).putDouble(-0.125)
                .putDouble(1e-3);
        AudioClip c = read(TestFiles.riff("WAVE", TestFiles.chunk("fmt ", TestFiles.fmt(3, 1, 48000, 64)),
                TestFiles.chunk("data", b.array())));
        assertArrayEquals(new float[] {0.25f, -0.125f, (float) 1e-3}, c.channel(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 22050, 44100, 48000, 88200, 96000, 192000, 384000})
    void aiffExtendedRates(int rate) throws IOException {
        assertEquals(rate, AiffParser.extendedToDouble(AiffParser.doubleToExtended(rate)));
        byte[] data = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putShort((short) 1000).putShort((short) -2).array();
        AudioClip c = read(TestFiles.aiff(false, null, 2, 1, 16, rate, data));
        assertEquals(rate, c.sampleRate());
        assertEquals(1000 / 32768f, c.channel(0)[0]);
        assertEquals(-2 / 32768f, c.channel(1)[0]);
    }

    @Test
    void aiffKnown44100Bytes() {
        // 44100 Hz as written by every AIFF encoder: 40 0E AC 44 00 00 00 00 00 00
        byte[] e = {0x40, 0x0E, (byte) 0xAC, 0x44, 0, 0, 0, 0, 0, 0};
        assertEquals(44100.0, AiffParser.extendedToDouble(e));
        assertArrayEquals(e, AiffParser.doubleToExtended(44100));
    }

    @Test
    void aiff8And24BitSigned() throws IOException {
        AudioClip c8 = read(TestFiles.aiff(false, null, 1, 3, 8, 8000, new byte[] {0, 127, (byte) 0x80}));
        assertArrayEquals(new float[] {0f, 127 / 128f, -1f}, c8.channel(0));
        AudioClip c24 = read(TestFiles.aiff(false, null, 1, 2, 24, 48000, new byte[] {0x40, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        assertArrayEquals(new float[] {0.5f, -1 / 8388608f}, c24.channel(0));
    }

    @Test
    void aifcCompressionTypes() throws IOException {
        byte[] be = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putShort((short) 300).putShort((short) -300).array();
        byte[] le = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 300).putShort((short) -300).array();
        float[] expect = {300 / 32768f, -300 / 32768f};
        assertArrayEquals(expect, read(TestFiles.aiff(true, "NONE", 1, 2, 16, 44100, be)).channel(0));
        assertArrayEquals(expect, read(TestFiles.aiff(true, "sowt", 1, 2, 16, 44100, le)).channel(0));
        byte[] f32 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(0.75f).putFloat(-0.5f).array();
        assertArrayEquals(new float[] {0.75f, -0.5f}, read(TestFiles.aiff(true, "fl32", 1, 2, 32, 44100, f32)).channel(0));
        byte[] f64 = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(0.1).putDouble(-0.2).array();
        assertArrayEquals(new float[] {0.1f, -0.2f}, read(TestFiles.aiff(true, "fl64", 1, 2, 64, 44100, f64)).channel(0));
        Path f = dir.resolve("enc");
        Files.write(f, TestFiles.aiff(true, "sowt", 2, 1, 16, 44100, le));
        try (AudioFileReader r = AudioFileReader.open(f)) {
            assertEquals("AIFF-C PCM 16-bit (sowt)", r.encoding());
        }
    }

    @Test
    void javaSoundWrittenAiffReadsBack() throws Exception {
        // An AIFF written by an independent writer (the JDK's javax.sound) decodes to the values it was given.
        short[] v = {0, 1000, -1000, 32767, -32768, 12345};
        byte[] pcm = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN).putShort(v[0]).putShort(v[1]).putShort(v[2])
                .putShort(v[3]).putShort(v[4]).putShort(v[5]).array();
        javax.sound.sampled.AudioFormat jf = new javax.sound.sampled.AudioFormat(22050f, 16, 2, true, true);
        Path f = dir.resolve("js.aiff");
        try (javax.sound.sampled.AudioInputStream in = new javax.sound.sampled.AudioInputStream(
                new java.io.ByteArrayInputStream(pcm), jf, 3)) {
            javax.sound.sampled.AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.AIFF, f.toFile());
        }
        AudioClip c = AudioFiles.readAll(f);
        assertEquals(22050, c.sampleRate());
        assertArrayEquals(new float[] {0f, -1000 / 32768f, -1f}, c.channel(0));
        assertArrayEquals(new float[] {1000 / 32768f, 32767 / 32768f, 12345 / 32768f}, c.channel(1));
    }
}
