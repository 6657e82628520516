package org.stemroom.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Big-endian bit reader over a file through a fixed 64 KiB buffer, keeping the FLAC CRC-8 (poly 0x07) and
 * CRC-16 (poly 0x8005) of every byte it has consumed. Bytes are pulled into the bit accumulator only when a read
 * needs them, so at a byte boundary the CRCs cover exactly the bytes read so far.
 */
final class FlacBitReader {
    private static final int[] CRC8 = new int[256];
    private static final int[] CRC16 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) c = (c & 0x80) != 0 ? ((c << 1) ^ 0x07) & 0xFF : (c << 1) & 0xFF;
            CRC8[i] = c;
            int d = i << 8;
            for (int k = 0; k < 8; k++) d = (d & 0x8000) != 0 ? ((d << 1) ^ 0x8005) & 0xFFFF : (d << 1) & 0xFFFF;
            CRC16[i] = d;
        }
    }

    private final FileSource src;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    private final byte[] a = buf.array();
    private long bufStart; // file offset of a[0]
    private int pos;
    private int limit;
    private long acc;
    private int bits; // valid bits in the low end of acc
    int crc8;
    int crc16;
    /** The CRC-8 only covers frame headers: it is kept from {@link #resetCrc()} until {@link #endCrc8()}. */
    private boolean crc8On;

    FlacBitReader(FileSource src, long offset) {
        this.src = src;
        this.bufStart = offset;
    }

    /** File offset of the next unread byte (meaningful when byte-aligned). */
    long offset() {
        return bufStart + pos - (bits / 8);
    }

    boolean atEnd() {
        return bits == 0 && bufStart + pos >= src.size;
    }

    /** Jumps to a byte offset, discarding buffered bits. */
    void seek(long offset) {
        if (offset >= bufStart && offset <= bufStart + limit) {
            pos = (int) (offset - bufStart);
        } else {
            bufStart = offset;
            pos = 0;
            limit = 0;
        }
        bits = 0;
        acc = 0;
    }

    void resetCrc() {
        crc8 = 0;
        crc16 = 0;
        crc8On = true;
    }

    void endCrc8() {
        crc8On = false;
    }

    private int nextByte() throws IOException {
        if (pos == limit) refill();
        int b = a[pos++] & 0xFF;
        if (crc8On) crc8 = CRC8[crc8 ^ b];
        crc16 = ((crc16 << 8) & 0xFFFF) ^ CRC16[(crc16 >>> 8) ^ b];
        return b;
    }

    private void refill() throws IOException {
        bufStart += limit;
        pos = 0;
        limit = 0;
        buf.clear();
        while (buf.hasRemaining()) {
            int r = src.channel.read(buf, bufStart + buf.position());
            if (r < 0) break;
        }
        limit = buf.position();
        if (limit == 0) throw src.fail("truncated FLAC stream (file ends inside a frame at offset " + bufStart + ")");
    }

    /** Unsigned read of 0..32 bits. */
    long readBits(int n) throws IOException {
        if (n == 0) return 0;
        while (bits < n) {
            acc = (acc << 8) | nextByte();
            bits += 8;
        }
        bits -= n;
        return (acc >>> bits) & ((1L << n) - 1);
    }

    int readUInt(int n) throws IOException {
        return (int) readBits(n);
    }

    /** Two's-complement signed read of 1..33 bits. */
    long readSigned(int n) throws IOException {
        if (n == 0) return 0;
        long v;
        if (n > 32) {
            long hi = readBits(n - 32);
            v = (hi << 32) | readBits(32);
        } else {
            v = readBits(n);
        }
        return (v << (64 - n)) >> (64 - n);
    }

    /** Counts 0 bits up to the next 1 bit (consumed); fails beyond {@code max} zeros. */
    int readUnary(int max) throws IOException {
        int q = 0;
        while (true) {
            if (bits == 0) {
                acc = nextByte();
                bits = 8;
            }
            long v = acc & ((1L << bits) - 1);
            if (v == 0) {
                q += bits;
                bits = 0;
                if (q > max) throw src.fail("corrupt FLAC stream (runaway unary code)");
                continue;
            }
            int lz = Long.numberOfLeadingZeros(v) - (64 - bits);
            q += lz;
            bits -= lz + 1;
            if (q > max) throw src.fail("corrupt FLAC stream (runaway unary code)");
            return q;
        }
    }

    /** Rice-coded signed residuals into {@code out[from..to)} with parameter {@code k}. */
    void readRice(long[] out, int from, int to, int k) throws IOException {
        for (int i = from; i < to; i++) {
            long q = readUnary(1 << 24);
            long u = (q << k) | readBits(k);
            out[i] = (u >>> 1) ^ -(u & 1);
        }
    }

    /** Discards bits up to the next byte boundary. */
    void alignToByte() {
        bits -= bits % 8;
    }

    boolean aligned() {
        return bits % 8 == 0;
    }
}
