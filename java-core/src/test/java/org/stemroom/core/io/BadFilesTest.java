package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A corpus of deliberately broken files, each with the one-line message a user should see. */
class BadFilesTest {
    @TempDir
    Path dir;

    private static byte[] wav(byte[] fmt, byte[] data) {
        return TestFiles.riff("WAVE", TestFiles.chunk("fmt ", fmt), TestFiles.chunk("data", data));
    }

    private static byte[] withDataSize(byte[] wav, int size) {
        ByteBuffer b = ByteBuffer.wrap(wav.clone()).order(ByteOrder.LITTLE_ENDIAN);
        int d = WavRoundTripTest.findChunk(b, "data");
        b.putInt(d + 4, size);
        return b.array();
    }

    static Stream<Arguments> corpus() {
        byte[] pcm = new byte[400];
        byte[] good = wav(TestFiles.fmt(1, 2, 48000, 16), pcm);
        byte[] fmtOnly = TestFiles.riff("WAVE", TestFiles.chunk("fmt ", TestFiles.fmt(1, 2, 48000, 16)));
        byte[] dataOnly = TestFiles.riff("WAVE", TestFiles.chunk("data", pcm));
        byte[] badAlign = TestFiles.fmt(1, 2, 48000, 16);
        ByteBuffer.wrap(badAlign).order(ByteOrder.LITTLE_ENDIAN).putShort(12, (short) 3);
        byte[] shortFmt = TestFiles.riff("WAVE", TestFiles.chunk("fmt ", new byte[10]), TestFiles.chunk("data", pcm));
        byte[] rf64NoDs64 = withDataSize(good, -1);
        System.arraycopy("RF64".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, rf64NoDs64, 0, 4);
        byte[] aiffShort = TestFiles.aiff(false, null, 2, 1000, 16, 44100, new byte[40]);
        byte[] flac;
        try {
            flac = FlacTestEncoder.encode(FlacSpecPathsTest.signal(1, 2000, 16, 0, 1), 16, 44100, new int[] {1000}, false);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        byte[] flacRate0 = flac.clone();
        flacRate0[18] = 0;
        flacRate0[19] = 0;
        flacRate0[20] &= 0x0F;
        byte[] flacShortInfo = flac.clone();
        flacShortInfo[7] = 10;
        byte[] flacNotFirst = flac.clone();
        flacNotFirst[4] = (byte) 0x84; // STREAMINFO's header now says VORBIS_COMMENT
        byte[] flacNoSync = flac.clone();
        flacNoSync[42] = 0x12;
        byte[] flacBlock8 = flac.clone();
        flacBlock8[10] = 0;
        flacBlock8[11] = 8;
        byte[] extBadGuid = TestFiles.fmtExtensible(1, 2, 48000, 16, 16, 3);
        extBadGuid[39] = 0x72;
        return Stream.of(
                Arguments.of("empty", new byte[0], "empty file, not audio"),
                Arguments.of("garbage", "hello, this is not audio at all".getBytes(), "not a WAV, RF64, AIFF or FLAC file"),
                Arguments.of("tiny", new byte[] {'R', 'I'}, "not a WAV, RF64, AIFF or FLAC file"),
                Arguments.of("truncated data", withDataSize(good, 1 << 20), "truncated data chunk (expected 1048576 bytes, found 400)"),
                Arguments.of("header only", TestFiles.riff("WAVE"), "no fmt chunk"),
                Arguments.of("missing data", fmtOnly, "no data chunk"),
                Arguments.of("missing fmt", dataOnly, "no fmt chunk"),
                Arguments.of("zero channels", wav(TestFiles.fmt(1, 0, 48000, 16), pcm), "zero channels"),
                Arguments.of("rate 1 Hz", wav(TestFiles.fmt(1, 2, 1, 16), pcm), "unsupported sample rate 1 Hz"),
                Arguments.of("rate 4 GHz", wav(TestFiles.fmt(1, 2, -5, 16), pcm), "unsupported sample rate 4294967291 Hz"),
                Arguments.of("rate 768k", wav(TestFiles.fmt(1, 2, 768000, 16), pcm), "unsupported sample rate 768000 Hz"),
                Arguments.of("mp3 in wav", wav(TestFiles.fmt(0x55, 2, 48000, 16), pcm), "unsupported WAV codec 0x0055 (MPEG Layer 3)"),
                Arguments.of("adpcm", wav(TestFiles.fmt(2, 2, 48000, 4), pcm), "unsupported WAV codec 0x0002 (Microsoft ADPCM)"),
                Arguments.of("ext guid", wav(extBadGuid, pcm), "unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID"),
                Arguments.of("float 24", wav(TestFiles.fmt(3, 2, 48000, 24), pcm), "unsupported float sample size 24 bits"),
                Arguments.of("pcm 48", wav(TestFiles.fmt(1, 1, 48000, 48), pcm), "unsupported PCM sample size 48 bits"),
                Arguments.of("block align", wav(badAlign, pcm), "inconsistent fmt chunk: block align 3"),
                Arguments.of("short fmt", shortFmt, "fmt chunk too short (10 bytes"),
                Arguments.of("1000 channels", wav(TestFiles.fmt(1, 1000, 48000, 16), pcm), "1000 channels (at most 256"),
                Arguments.of("rf64 without ds64", rf64NoDs64, "RF64 file without a ds64 chunk"),
                Arguments.of("aiff ulaw", TestFiles.aiff(true, "ulaw", 1, 2, 16, 44100, new byte[4]), "unsupported AIFF-C compression 'ulaw'"),
                Arguments.of("aiff truncated", aiffShort, "truncated SSND chunk (expected 4000 bytes, found 40)"),
                Arguments.of("aiff zero channels", TestFiles.aiff(false, null, 0, 1, 16, 44100, new byte[4]), "zero channels"),
                Arguments.of("aiff rate", TestFiles.aiff(false, null, 1, 1, 16, 1e9, new byte[4]), "unsupported sample rate 1000000000 Hz"),
                Arguments.of("aiff no comm", TestFiles.concat(new byte[] {'F', 'O', 'R', 'M', 0, 0, 0, 4, 'A', 'I', 'F', 'F'}), "no COMM chunk"),
                Arguments.of("flac marker only", new byte[] {'f', 'L', 'a', 'C'}, "truncated FLAC metadata block header"),
                Arguments.of("flac rate 0", flacRate0, "unsupported sample rate 0 Hz"),
                Arguments.of("flac short streaminfo", flacShortInfo, "FLAC STREAMINFO too short (10 bytes"),
                Arguments.of("flac without streaminfo", flacNotFirst, "no FLAC STREAMINFO block"),
                Arguments.of("flac lost sync", flacNoSync, "lost FLAC frame sync at offset 42"),
                Arguments.of("flac block size", flacBlock8, "invalid FLAC STREAMINFO block sizes (min 16, max 8)"),
                Arguments.of("flac truncated", java.util.Arrays.copyOf(flac, flac.length - 100), "truncated FLAC stream"),
                Arguments.of("rifx", new byte[] {'R', 'I', 'F', 'X', 0, 0, 0, 4, 'W', 'A', 'V', 'E'}, "big-endian RIFX"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void brokenFileGivesOneLineErrorNamingTheFile(String name, byte[] bytes, String expected) throws IOException {
        Path f = dir.resolve("input.wav");
        Files.write(f, bytes);
        AudioFileException e = assertThrows(AudioFileException.class, () -> AudioFiles.readAll(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": "), m);
        assertTrue(m.contains(expected), "'" + m + "' lacks '" + expected + "'");
        assertTrue(!m.contains("\n"), m);
    }

    @Test
    void truncatedDataChunkMessageExactly() throws IOException {
        Path f = dir.resolve("input.wav");
        Files.write(f, withDataSize(wav(TestFiles.fmt(1, 2, 48000, 16), new byte[1000]), 1048576));
        AudioFileException e = assertThrows(AudioFileException.class, () -> AudioFileReader.open(f));
        assertEquals(f + ": truncated data chunk (expected 1048576 bytes, found 1000)", e.getMessage());
    }

    @Test
    void nanAndInfinityInFloatFilesNameTheFrame() throws IOException {
        float[] v = {0.1f, 0.2f, 0.3f, Float.NaN, 0.5f, 0.6f};
        Path f = dir.resolve("nan.wav");
        Files.write(f, wav(TestFiles.fmt(3, 2, 48000, 32), TestFiles.le32f(v)));
        AudioFileException e = assertThrows(AudioFileException.class, () -> AudioFiles.readAll(f));
        assertEquals(f + ": NaN sample at frame 1, channel 2", e.getMessage());
        v[3] = 0.4f;
        v[4] = Float.NEGATIVE_INFINITY;
        Files.write(f, wav(TestFiles.fmt(3, 2, 48000, 32), TestFiles.le32f(v)));
        e = assertThrows(AudioFileException.class, () -> AudioFiles.readAll(f));
        assertTrue(e.getMessage().contains("infinite or out-of-range sample at frame 2, channel 1"), e.getMessage());
    }

    @Test
    void missingFileAndDirectory() {
        Path f = dir.resolve("nope.wav");
        assertEquals(f + ": no such file", assertThrows(AudioFileException.class, () -> AudioFileReader.open(f)).getMessage());
        assertEquals(dir + ": is a directory, not an audio file",
                assertThrows(AudioFileException.class, () -> AudioFileReader.open(dir)).getMessage());
    }

    @Test
    void streamedWavWithUnsetSizesReadsToTheEnd() throws IOException {
        // Streaming encoders that cannot seek back leave 0xFFFFFFFF as the data size: the data runs to the end.
        short[] s = {1, 2, 3, 4, 5, 6};
        Path f = dir.resolve("stream.wav");
        Files.write(f, withDataSize(wav(TestFiles.fmt(1, 2, 48000, 16), TestFiles.le16(s)), -1));
        assertEquals(3, AudioFiles.readAll(f).frames());
    }
}
