package org.stemroom.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/** Parses AIFF and AIFF-C (COMM with its 80-bit extended rate, SSND; other chunks skipped). */
final class AiffParser {
    private static final int MAX_CHUNKS = 100_000;

    private AiffParser() {}

    static AudioFileReader open(FileSource src, boolean aifc) throws IOException {
        long pos = 12;
        int chunks = 0;
        boolean haveComm = false;
        int channels = 0;
        long frames = 0;
        int bits = 0;
        double rate = 0;
        int compression = FileSource.cc("NONE");
        long ssndData = -1;
        long ssndSize = -1;
        while (pos + 8 <= src.size) {
            if (++chunks > MAX_CHUNKS) throw src.fail("more than " + MAX_CHUNKS + " chunks, not a sane AIFF file");
            ByteBuffer h = src.read(pos, 8, ByteOrder.BIG_ENDIAN, "chunk header");
            int id = FileSource.fourCc(h);
            long size = h.getInt() & 0xFFFFFFFFL;
            long body = pos + 8;
            if (id == FileSource.cc("COMM")) {
                int need = aifc ? 22 : 18;
                if (size < need) throw src.fail("COMM chunk too short (" + size + " bytes, need " + need + ")");
                ByteBuffer b = src.read(body, need, ByteOrder.BIG_ENDIAN, "COMM chunk");
                channels = b.getShort();
                frames = b.getInt() & 0xFFFFFFFFL;
                bits = b.getShort();
                byte[] ext = new byte[10];
                b.get(ext);
                rate = extendedToDouble(ext);
                if (aifc) compression = FileSource.fourCc(b);
                haveComm = true;
            } else if (id == FileSource.cc("SSND")) {
                if (size < 8) throw src.fail("SSND chunk too short (" + size + " bytes)");
                ByteBuffer b = src.read(body, 8, ByteOrder.BIG_ENDIAN, "SSND chunk");
                long offset = b.getInt() & 0xFFFFFFFFL;
                if (offset > size - 8) throw src.fail("SSND offset " + offset + " beyond its chunk");
                ssndData = body + 8 + offset;
                ssndSize = size - 8 - offset;
            }
            long next = body + size + (size & 1);
            if (next <= pos) throw src.fail("chunk size overflow");
            pos = next;
        }
        if (!haveComm) throw src.fail("no COMM chunk, not a valid AIFF file");
        boolean isFloat = false;
        boolean littleEndian = false;
        String cname = FileSource.fourCc(compression);
        switch (cname) {
            case "NONE": case "twos": break;
            case "sowt": littleEndian = true; break;
            case "fl32": case "FL32": isFloat = true; if (bits != 32) bits = 32; break;
            case "fl64": case "FL64": isFloat = true; if (bits != 64) bits = 64; break;
            default: throw src.fail("unsupported AIFF-C compression '" + cname + "'");
        }
        if (channels <= 0) throw src.fail(channels == 0 ? "zero channels" : "negative channel count " + channels);
        if (channels > WavParser.MAX_CHANNELS) {
            throw src.fail(channels + " channels (at most " + WavParser.MAX_CHANNELS + " supported)");
        }
        if (!(rate >= AudioFormat.MIN_RATE && rate <= AudioFormat.MAX_RATE)) {
            throw src.fail("unsupported sample rate " + (Double.isFinite(rate) ? String.valueOf(Math.round(rate)) : "(invalid)")
                    + " Hz (supported " + AudioFormat.MIN_RATE + " to " + AudioFormat.MAX_RATE + " Hz)");
        }
        if (!isFloat && (bits < 1 || bits > 32)) throw src.fail("unsupported PCM sample size " + bits + " bits");
        int bytes = (bits + 7) / 8;
        long need = frames * channels * bytes;
        if (frames > 0 && ssndData < 0) throw src.fail("no SSND chunk, not a valid AIFF file");
        if (frames > 0) {
            long available = src.size - ssndData;
            if (need > Math.min(available, ssndSize) ) {
                throw src.fail("truncated SSND chunk (expected " + need + " bytes, found " + Math.min(available, ssndSize) + ")");
            }
        }
        AudioFormat af = new AudioFormat((int) Math.round(rate), ChannelLayout.defaultFor(channels));
        PcmLayout layout = new PcmLayout(channels, bytes, bits, isFloat, !littleEndian, false);
        String enc = (aifc ? "AIFF-C" : "AIFF") + (isFloat ? " float " : " PCM ") + bits + "-bit"
                + (littleEndian ? " (sowt)" : "");
        return new PcmFileReader(src, af, layout, Math.max(ssndData, 0), frames, enc);
    }

    /** IEEE 754 80-bit extended (big-endian: sign+15-bit exponent, 64-bit mantissa with explicit integer bit). */
    static double extendedToDouble(byte[] e) {
        int sign = (e[0] & 0x80) != 0 ? -1 : 1;
        int exp = ((e[0] & 0x7F) << 8) | (e[1] & 0xFF);
        long mant = 0;
        for (int i = 2; i < 10; i++) mant = (mant << 8) | (e[i] & 0xFF);
        if (exp == 0 && mant == 0) return 0;
        if (exp == 0x7FFF) return Double.NaN;
        // mantissa as unsigned 64-bit, value = mant * 2^(exp - 16383 - 63)
        double m = (mant >>> 1) * 2.0 + (mant & 1);
        return sign * Math.scalb(m, exp - 16383 - 63);
    }

    /** The 80-bit extended encoding of a positive integer rate, for writing AIFF in tests. */
    static byte[] doubleToExtended(double v) {
        byte[] e = new byte[10];
        if (v == 0) return e;
        int exp = Math.getExponent(v);
        long mant = ((long) Math.scalb(v, 62 - exp)) << 1;
        int biased = exp + 16383;
        e[0] = (byte) (biased >> 8);
        e[1] = (byte) biased;
        for (int i = 0; i < 8; i++) e[2 + i] = (byte) (mant >>> (56 - 8 * i));
        return e;
    }
}
