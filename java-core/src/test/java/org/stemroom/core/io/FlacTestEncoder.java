package org.stemroom.core.io;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;

/**
 * A deliberately simple FLAC writer for tests, written from RFC 9639 to reach the decoder paths the reference
 * encoder rarely or never emits: variable block sizes, escaped residual partitions, Rice2 parameters, every
 * FIXED order, hand-chosen LPC coefficients, wasted bits and each stereo decorrelation mode. It cycles through
 * these "plans" frame by frame; compression is not a goal.
 */
final class FlacTestEncoder {
    private FlacTestEncoder() {}

    static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long acc;
        private int bits;

        void write(long v, int n) {
            for (int i = n - 1; i >= 0; i--) {
                acc = (acc << 1) | ((v >>> i) & 1);
                if (++bits == 8) {
                    out.write((int) acc);
                    acc = 0;
                    bits = 0;
                }
            }
        }

        void unary(long q) {
            for (long i = 0; i < q; i++) write(0, 1);
            write(1, 1);
        }

        void align() {
            while (bits != 0) write(0, 1);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static int crc8(byte[] b, int from, int to) {
        int c = 0;
        for (int i = from; i < to; i++) {
            c ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) c = (c & 0x80) != 0 ? ((c << 1) ^ 0x07) & 0xFF : (c << 1) & 0xFF;
        }
        return c;
    }

    static int crc16(byte[] b, int from, int to) {
        int c = 0;
        for (int i = from; i < to; i++) {
            c ^= (b[i] & 0xFF) << 8;
            for (int k = 0; k < 8; k++) c = (c & 0x8000) != 0 ? ((c << 1) ^ 0x8005) & 0xFFFF : (c << 1) & 0xFFFF;
        }
        return c;
    }

    /** Encodes {@code s[channel][sample]} (values within {@code bps} bits) into a complete FLAC file. */
    static byte[] encode(long[][] s, int bps, int rate, int[] blockSizes, boolean variable) throws Exception {
        int ch = s.length;
        int n = s[0].length;
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(new byte[] {'f', 'L', 'a', 'C'});
        int maxBlock = 16;
        for (int b : blockSizes) maxBlock = Math.max(maxBlock, b);
        BitWriter info = new BitWriter();
        info.write(16, 16);
        info.write(maxBlock, 16);
        info.write(0, 24);
        info.write(0, 24);
        info.write(rate, 20);
        info.write(ch - 1, 3);
        info.write(bps - 1, 5);
        info.write(n, 36);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        int bytes = (bps + 7) / 8;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < ch; c++) for (int k = 0; k < bytes; k++) md5.update((byte) (s[c][i] >> (8 * k)));
        }
        byte[] infoBytes = info.bytes();
        file.writeBytes(new byte[] {(byte) 0x80, 0, 0, 34});
        file.writeBytes(infoBytes);
        file.writeBytes(md5.digest());
        int at = 0;
        int frame = 0;
        while (at < n) {
            int bs = Math.min(blockSizes[frame % blockSizes.length], n - at);
            file.writeBytes(frame(s, at, bs, bps, rate, frame, variable));
            at += bs;
            frame++;
        }
        return file.toByteArray();
    }

    private static byte[] frame(long[][] s, int at, int bs, int bps, int rate, int frameNo, boolean variable) {
        int ch = s.length;
        int plan = frameNo % 8;
        int chCode = ch - 1;
        long[][] sub = new long[ch][];
        for (int c = 0; c < ch; c++) sub[c] = java.util.Arrays.copyOfRange(s[c], at, at + bs);
        if (ch == 2 && plan >= 5) {
            long[] l = sub[0], r = sub[1];
            long[] a = new long[bs], b = new long[bs];
            for (int i = 0; i < bs; i++) {
                switch (plan) {
                    case 5: a[i] = l[i]; b[i] = l[i] - r[i]; break;               // left/side
                    case 6: a[i] = l[i] - r[i]; b[i] = r[i]; break;               // side/right
                    default: a[i] = (l[i] + r[i]) >> 1; b[i] = l[i] - r[i]; break; // mid/side
                }
            }
            sub[0] = a;
            sub[1] = b;
            chCode = plan == 5 ? 8 : plan == 6 ? 9 : 10;
        }
        BitWriter w = new BitWriter();
        w.write(0x7FFC, 15);
        w.write(variable ? 1 : 0, 1);
        int bsCode = bs == 192 ? 1 : bs == 4096 ? 12 : bs <= 256 ? 6 : 7;
        w.write(bsCode, 4);
        int rateCode = rate == 44100 ? 9 : rate == 48000 ? 10 : rate % 1000 == 0 && rate / 1000 < 256 ? 12 : 13;
        w.write(rateCode, 4);
        w.write(chCode, 4);
        int sizeCode = bps == 8 ? 1 : bps == 12 ? 2 : bps == 16 ? 4 : bps == 20 ? 5 : bps == 24 ? 6 : bps == 32 ? 7 : 0;
        w.write(sizeCode, 3);
        w.write(0, 1);
        writeCoded(w, variable ? at : frameNo);
        if (bsCode == 6) w.write(bs - 1, 8);
        if (bsCode == 7) w.write(bs - 1, 16);
        if (rateCode == 12) w.write(rate / 1000, 8);
        if (rateCode == 13) w.write(rate, 16);
        byte[] head = w.bytes();
        w.write(crc8(head, 0, head.length), 8);
        for (int c = 0; c < ch; c++) {
            boolean side = (chCode == 8 && c == 1) || (chCode == 9 && c == 0) || (chCode == 10 && c == 1);
            subframe(w, sub[c], bps + (side ? 1 : 0), (plan + c) % 8);
        }
        w.align();
        byte[] body = w.bytes();
        w.write(crc16(body, 0, body.length), 16);
        return w.bytes();
    }

    private static void writeCoded(BitWriter w, long v) {
        if (v < 0x80) {
            w.write(v, 8);
            return;
        }
        int extra = v < 0x800 ? 1 : v < 0x10000 ? 2 : v < 0x200000 ? 3 : v < 0x4000000 ? 4 : v < 0x80000000L ? 5 : 6;
        int lead = (0xFF00 >> (extra + 1)) & 0xFF;
        w.write(lead | (v >>> (6 * extra)), 8);
        for (int i = extra - 1; i >= 0; i--) w.write(0x80 | ((v >>> (6 * i)) & 0x3F), 8);
    }

    private static void subframe(BitWriter w, long[] x, int sbps, int plan) {
        int n = x.length;
        boolean constant = true;
        for (long v : x) constant &= v == x[0];
        int wasted = 0;
        long or = 0;
        for (long v : x) or |= v;
        if (or != 0) wasted = Math.min(Long.numberOfTrailingZeros(or), sbps - 1);
        long[] y = x;
        if (wasted > 0) {
            y = new long[n];
            for (int i = 0; i < n; i++) y[i] = x[i] >> wasted;
        }
        int bits = sbps - wasted;
        if (constant) {
            w.write(0, 1);
            w.write(0, 6);
            writeWasted(w, wasted);
            w.write(y[0], bits);
            return;
        }
        if (plan == 0 || n < 8) { // VERBATIM
            w.write(0, 1);
            w.write(1, 6);
            writeWasted(w, wasted);
            for (long v : y) w.write(v, bits);
            return;
        }
        if (plan <= 4) { // FIXED of order plan - 1 (0..3) or 4
            int order = plan == 4 ? 4 : plan - 1;
            w.write(0, 1);
            w.write(8 + order, 6);
            writeWasted(w, wasted);
            for (int i = 0; i < order; i++) w.write(y[i], bits);
            long[] e = new long[n];
            for (int i = order; i < n; i++) {
                long p;
                switch (order) {
                    case 0: p = 0; break;
                    case 1: p = y[i - 1]; break;
                    case 2: p = 2 * y[i - 1] - y[i - 2]; break;
                    case 3: p = 3 * y[i - 1] - 3 * y[i - 2] + y[i - 3]; break;
                    default: p = 4 * y[i - 1] - 6 * y[i - 2] + 4 * y[i - 3] - y[i - 4]; break;
                }
                e[i] = y[i] - p;
            }
            residual(w, e, n, order, plan);
            return;
        }
        // LPC with fixed hand-picked coefficients: order 3, precision 12, shift 10.
        long[] coef = {1536, -717, 102};
        int order = 3;
        w.write(0, 1);
        w.write(32 + order - 1, 6);
        writeWasted(w, wasted);
        for (int i = 0; i < order; i++) w.write(y[i], bits);
        w.write(12 - 1, 4);
        w.write(10, 5);
        for (long c : coef) w.write(c, 12);
        long[] e = new long[n];
        for (int i = order; i < n; i++) {
            long sum = 0;
            for (int j = 0; j < order; j++) sum += coef[j] * y[i - 1 - j];
            e[i] = y[i] - (sum >> 10);
        }
        residual(w, e, n, order, plan);
    }

    private static void writeWasted(BitWriter w, int wasted) {
        if (wasted == 0) {
            w.write(0, 1);
        } else {
            w.write(1, 1);
            w.unary(wasted - 1);
        }
    }

    /** Partitioned residual: odd plans use Rice2, and every third partition is escaped (raw bits). */
    private static void residual(BitWriter w, long[] e, int n, int order, int plan) {
        int partOrder = 0;
        while (partOrder < 3 && (n % (2 << partOrder)) == 0 && (n >> (partOrder + 1)) >= order) partOrder++;
        long maxAll = 0;
        for (int i = order; i < n; i++) maxAll = Math.max(maxAll, Math.abs(e[i]));
        boolean rice2 = plan % 2 == 1 || maxAll > (1L << 18); // a 4-bit parameter would mean huge unary codes
        w.write(rice2 ? 1 : 0, 2);
        w.write(partOrder, 4);
        int parts = 1 << partOrder;
        int per = n >> partOrder;
        int paramBits = rice2 ? 5 : 4;
        for (int p = 0; p < parts; p++) {
            int from = p == 0 ? order : p * per;
            int to = (p + 1) * per;
            long maxAbs = 0;
            double mean = 0;
            for (int i = from; i < to; i++) {
                maxAbs = Math.max(maxAbs, Math.abs(e[i]));
                mean += Math.abs(e[i]);
            }
            mean /= Math.max(1, to - from);
            if (p % 3 == 2 && maxAbs < (1L << 30)) { // raw width is a 5-bit field: at most 31 bits
                int raw = maxAbs == 0 ? 0 : 65 - Long.numberOfLeadingZeros(maxAbs);
                w.write((1 << paramBits) - 1, paramBits);
                w.write(raw, 5);
                if (raw > 0) for (int i = from; i < to; i++) w.write(e[i], raw);
                continue;
            }
            int k = mean < 1 ? 0 : Math.min((1 << paramBits) - 2, 63 - Long.numberOfLeadingZeros((long) mean));
            w.write(k, paramBits);
            for (int i = from; i < to; i++) {
                long u = e[i] >= 0 ? e[i] << 1 : ((-e[i]) << 1) - 1;
                w.unary(u >>> k);
                w.write(u & ((1L << k) - 1), k);
            }
        }
    }
}
