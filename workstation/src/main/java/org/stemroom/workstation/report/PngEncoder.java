package org.stemroom.workstation.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A minimal PNG encoder for the report's pictures: 8-bit RGB (colour type 2), no interlace, each row filtered
 * with None, Sub or Up (whichever leaves the smallest differences), one zlib stream in one IDAT chunk (PNG
 * specification, ISO/IEC 15948). It exists for speed: the JDK's ImageIO writer costs a render about 0.8 s of C2
 * compile time alone (its generic pass and filter code), for pictures this simple. Alpha is dropped (the plots
 * are opaque).
 */
public final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte FILTER_NONE = 0, FILTER_SUB = 1, FILTER_UP = 2;

    private PngEncoder() { }

    /** The image as a PNG file's bytes. */
    public static byte[] encode(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        byte[] raw = filteredRows(img, w, h);
        byte[] idat = deflate(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.length + 64);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type: truecolour
        ihdr[10] = 0; // compression: deflate
        ihdr[11] = 0; // filter method 0 (adaptive, per-row filter byte)
        ihdr[12] = 0; // no interlace
        chunk(out, "IHDR", ihdr, ihdr.length);
        chunk(out, "IDAT", idat, idat.length);
        chunk(out, "IEND", new byte[0], 0);
        return out.toByteArray();
    }

    /**
     * Every row as its filter byte and the filtered R, G, B bytes: of None, Sub (difference to the pixel on the left)
     * and Up (to the pixel above), the one with the smallest sum of absolute differences, the specification's
     * suggested heuristic (flat areas become zeros; the spectrograms' vertical structure favours Up).
     */
    private static byte[] filteredRows(BufferedImage img, int w, int h) {
        int stride = 1 + 3 * w;
        byte[] raw = new byte[stride * h];
        int[] row = new int[w];
        byte[] cur = new byte[3 * w], prev = new byte[3 * w], sub = new byte[3 * w], up = new byte[3 * w];
        // packed 0x(AA)RRGGBB rows straight from the raster for the int RGB types (getRGB converts pixel by pixel)
        boolean packed = img.getType() == BufferedImage.TYPE_INT_RGB || img.getType() == BufferedImage.TYPE_INT_ARGB;
        java.awt.image.WritableRaster raster = img.getRaster();
        for (int y = 0; y < h; y++) {
            if (packed) raster.getDataElements(0, y, w, 1, row);
            else img.getRGB(0, y, w, 1, row, 0, w);
            unpack(row, w, cur);
            long sNone = filter(cur, prev, sub, up);
            long sSub = sumAbs(sub), sUp = sumAbs(up);
            int o = y * stride;
            if (sSub <= sUp && sSub < sNone) {
                raw[o] = FILTER_SUB;
                System.arraycopy(sub, 0, raw, o + 1, sub.length);
            } else if (sUp < sNone) {
                raw[o] = FILTER_UP;
                System.arraycopy(up, 0, raw, o + 1, up.length);
            } else {
                raw[o] = FILTER_NONE;
                System.arraycopy(cur, 0, raw, o + 1, cur.length);
            }
            byte[] t = prev; prev = cur; cur = t;
        }
        return raw;
    }

    private static void unpack(int[] row, int w, byte[] rgb) {
        for (int x = 0, o = 0; x < w; x++) {
            int p = row[x];
            rgb[o++] = (byte) (p >>> 16);
            rgb[o++] = (byte) (p >>> 8);
            rgb[o++] = (byte) p;
        }
    }

    /** The Sub and Up filtered rows (bytes, modulo 256); returns the unfiltered row's sum of absolute values. */
    private static long filter(byte[] cur, byte[] prev, byte[] sub, byte[] up) {
        long none = 0;
        for (int i = 0; i < cur.length; i++) {
            int left = i >= 3 ? cur[i - 3] & 0xff : 0;
            int c = cur[i] & 0xff;
            sub[i] = (byte) (c - left);
            up[i] = (byte) (c - (prev[i] & 0xff));
            none += Math.abs(cur[i]);
        }
        return none;
    }

    /** Sum of the bytes taken as signed values, the usual estimate of how well a filtered row compresses. */
    private static long sumAbs(byte[] b) {
        long s = 0;
        for (byte v : b) s += Math.abs(v);
        return s;
    }

    private static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 8 + 64);
            byte[] buf = new byte[64 * 1024];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /** A chunk: length, type, data, and the CRC-32 of type and data. */
    private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int n) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        byte[] len = new byte[4];
        putInt(len, 0, n);
        out.writeBytes(len);
        out.writeBytes(t);
        out.write(data, 0, n);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, 0, n);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
