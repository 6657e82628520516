package org.stemroom.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/** Parses RIFF/WAVE, RF64 and BW64 headers (fmt, ds64, data; other chunks skipped) into a {@link PcmFileReader}. */
final class WavParser {
    static final int TAG_PCM = 0x0001;
    static final int TAG_FLOAT = 0x0003;
    static final int TAG_EXTENSIBLE = 0xFFFE;
    /** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID: xxxxxxxx-0000-0010-8000-00aa00389b71. */
    static final byte[] GUID_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00,
            0x38, (byte) 0x9B, 0x71};
    /**
     * Bytes 2..15 of the Ambisonic B-format sub-format GUIDs (xxxxxxxx-0721-11d3-8644-c8c1ca000000, PCM = 1,
     * float = 3) that libsndfile writes; the samples are plain PCM/float (e.g. guitarix's greathall.wav IR).
     */
    static final byte[] AMBISONIC_GUID_TAIL = {0x00, 0x00, 0x21, 0x07, (byte) 0xD3, 0x11, (byte) 0x86, 0x44,
            (byte) 0xC8, (byte) 0xC1, (byte) 0xCA, 0x00, 0x00, 0x00};
    static final int MAX_CHANNELS = 256;
    private static final int MAX_CHUNKS = 100_000;

    private WavParser() {}

    static AudioFileReader open(FileSource src, String magic) throws IOException {
        boolean rf64 = !magic.equals("RIFF");
        long ds64Data = -1;
        long ds64SampleCount = -1;
        Fmt fmt = null;
        long dataOffset = -1;
        long dataSize = -1;
        long pos = 12;
        int chunks = 0;
        while (pos + 8 <= src.size) {
            if (++chunks > MAX_CHUNKS) throw src.fail("more than " + MAX_CHUNKS + " chunks, not a sane WAV file");
            ByteBuffer h = src.read(pos, 8, ByteOrder.LITTLE_ENDIAN, "chunk header");
            int id = FileSource.fourCc(h);
            long size = h.getInt() & 0xFFFFFFFFL;
            long body = pos + 8;
            if (id == FileSource.cc("ds64")) {
                if (!rf64) throw src.fail("ds64 chunk in a plain RIFF file");
                if (size < 28) throw src.fail("ds64 chunk too short (" + size + " bytes, need 28)");
                ByteBuffer b = src.read(body, 28, ByteOrder.LITTLE_ENDIAN, "ds64 chunk");
                b.getLong(); // RIFF size: not needed, the file's real size bounds everything
                ds64Data = b.getLong();
                ds64SampleCount = b.getLong();
                if (ds64Data < 0) throw src.fail("ds64 data size out of range");
            } else if (id == FileSource.cc("fmt ")) {
                if (size < 16) throw src.fail("fmt chunk too short (" + size + " bytes, need at least 16)");
                int n = (int) Math.min(size, 40);
                fmt = parseFmt(src, src.read(body, n, ByteOrder.LITTLE_ENDIAN, "fmt chunk"), n);
            } else if (id == FileSource.cc("data")) {
                dataOffset = body;
                long available = src.size - body;
                if (rf64 && size == 0xFFFFFFFFL) {
                    if (ds64Data < 0) throw src.fail("RF64 file without a ds64 chunk before its data chunk");
                    size = ds64Data;
                } else if (!rf64 && size == 0xFFFFFFFFL) {
                    // Written by a streaming encoder that never came back to fill in the size: data runs to the end.
                    size = available;
                }
                dataSize = size;
                if (size > available) {
                    throw src.fail("truncated data chunk (expected " + size + " bytes, found " + available + ")");
                }
                if (fmt != null) break;
            } else if (id == 0) {
                // Zero padding at the end of some files: nothing more to find.
                if (dataOffset >= 0 && fmt != null) break;
            }
            long next = body + size + (size & 1);
            if (next <= pos) throw src.fail("chunk size overflow");
            pos = next;
        }
        if (fmt == null) throw src.fail("no fmt chunk, not a valid WAV file");
        if (dataOffset < 0) throw src.fail("no data chunk, not a valid WAV file");
        long frames = dataSize / fmt.layout.blockAlign();
        AudioFormat af;
        try {
            af = new AudioFormat((int) fmt.sampleRate, fmt.mask != 0 ? ChannelLayout.fromWaveMask(fmt.mask, fmt.layout.channels)
                    : ChannelLayout.defaultFor(fmt.layout.channels));
        } catch (IllegalArgumentException e) {
            throw src.fail(e.getMessage());
        }
        String enc = (rf64 ? magic : "WAV") + (fmt.layout.isFloat ? " float " : " PCM ") + fmt.layout.validBits + "-bit";
        return new PcmFileReader(src, af, fmt.layout, dataOffset, frames, enc);
    }

    private static final class Fmt {
        final PcmLayout layout;
        final long sampleRate;
        final int mask;

        Fmt(PcmLayout layout, long sampleRate, int mask) {
            this.layout = layout;
            this.sampleRate = sampleRate;
            this.mask = mask;
        }
    }

    private static Fmt parseFmt(FileSource src, ByteBuffer b, int n) throws AudioFileException {
        int tag = b.getShort() & 0xFFFF;
        int channels = b.getShort() & 0xFFFF;
        long rate = b.getInt() & 0xFFFFFFFFL;
        b.getInt(); // byte rate: derived, not trusted
        int blockAlign = b.getShort() & 0xFFFF;
        int bits = b.getShort() & 0xFFFF;
        int validBits = bits;
        int mask = 0;
        int code = tag;
        if (tag == TAG_EXTENSIBLE) {
            if (n < 40) throw src.fail("WAVE_FORMAT_EXTENSIBLE fmt chunk too short (" + n + " bytes, need 40)");
            b.getShort(); // cbSize
            validBits = b.getShort() & 0xFFFF;
            mask = b.getInt();
            code = b.getShort() & 0xFFFF;
            byte[] tail = new byte[14];
            b.get(tail);
            if (!java.util.Arrays.equals(tail, GUID_TAIL) && !java.util.Arrays.equals(tail, AMBISONIC_GUID_TAIL)) {
                throw src.fail("unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID (not PCM or IEEE float)");
            }
            if (validBits == 0) validBits = bits;
        }
        if (code != TAG_PCM && code != TAG_FLOAT) {
            throw src.fail("unsupported WAV codec " + codecName(code) + " (only PCM and IEEE float are supported)");
        }
        if (channels == 0) throw src.fail("zero channels");
        if (channels > MAX_CHANNELS) throw src.fail(channels + " channels (at most " + MAX_CHANNELS + " supported)");
        if (rate < AudioFormat.MIN_RATE || rate > AudioFormat.MAX_RATE) {
            throw src.fail("unsupported sample rate " + rate + " Hz (supported " + AudioFormat.MIN_RATE + " to "
                    + AudioFormat.MAX_RATE + " Hz)");
        }
        boolean isFloat = code == TAG_FLOAT;
        int bytes = (bits + 7) / 8;
        if (isFloat ? (bits != 32 && bits != 64) : (bits < 1 || bits > 32)) {
            throw src.fail("unsupported " + (isFloat ? "float" : "PCM") + " sample size " + bits + " bits");
        }
        if (blockAlign != channels * bytes) {
            throw src.fail("inconsistent fmt chunk: block align " + blockAlign + " for " + channels + " channels of "
                    + bits + " bits");
        }
        if (validBits > bits) throw src.fail("valid bits " + validBits + " exceed container " + bits);
        if (isFloat) validBits = bits;
        if (mask != 0 && Integer.bitCount(mask) != channels) mask = 0; // inconsistent mask: fall back to the default
        return new Fmt(new PcmLayout(channels, bytes, validBits, isFloat, false, bytes == 1), rate, mask);
    }

    static String codecName(int code) {
        String name;
        switch (code) {
            case 0x0002: name = "Microsoft ADPCM"; break;
            case 0x0006: name = "A-law"; break;
            case 0x0007: name = "mu-law"; break;
            case 0x0011: name = "IMA ADPCM"; break;
            case 0x0031: name = "GSM 6.10"; break;
            case 0x0050: name = "MPEG"; break;
            case 0x0055: name = "MPEG Layer 3"; break;
            case 0x00FF: name = "AAC"; break;
            case 0x0092: name = "Dolby AC-3 SPDIF"; break;
            case 0x2000: name = "Dolby AC-3"; break;
            case 0xF1AC: name = "FLAC"; break;
            default: name = null;
        }
        return String.format("0x%04X", code) + (name != null ? " (" + name + ")" : "");
    }
}
