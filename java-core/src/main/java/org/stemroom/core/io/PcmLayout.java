package org.stemroom.core.io;

import java.nio.file.Path;

/**
 * How interleaved uncompressed samples sit in a file (WAV, RF64, AIFF): bytes per sample, integer or float,
 * byte order, and whether 8-bit data is unsigned (WAV) or signed (AIFF). Converts blocks of bytes to planar float.
 */
final class PcmLayout {
    final int channels;
    final int bytesPerSample;
    final int validBits;
    final boolean isFloat;
    final boolean bigEndian;
    final boolean unsigned8;

    PcmLayout(int channels, int bytesPerSample, int validBits, boolean isFloat, boolean bigEndian, boolean unsigned8) {
        this.channels = channels;
        this.bytesPerSample = bytesPerSample;
        this.validBits = validBits;
        this.isFloat = isFloat;
        this.bigEndian = bigEndian;
        this.unsigned8 = unsigned8;
    }

    int blockAlign() { return channels * bytesPerSample; }

    /**
     * Decodes {@code frames} interleaved frames from {@code src} (starting at byte 0) into {@code dst[c][off..]}.
     * For float data, non-finite values are reported with their frame number ({@code firstFrame} + index).
     */
    void decode(byte[] src, int frames, float[][] dst, int off, Path path, long firstFrame) throws AudioFileException {
        final int ch = channels;
        if (isFloat) {
            if (bytesPerSample == 4) {
                for (int f = 0, p = 0; f < frames; f++) {
                    for (int c = 0; c < ch; c++, p += 4) {
                        dst[c][off + f] = Float.intBitsToFloat(bigEndian ? be32(src, p) : le32(src, p));
                    }
                }
            } else {
                for (int f = 0, p = 0; f < frames; f++) {
                    for (int c = 0; c < ch; c++, p += 8) {
                        long bits = bigEndian
                                ? ((long) be32(src, p) << 32) | (be32(src, p + 4) & 0xFFFFFFFFL)
                                : ((long) le32(src, p + 4) << 32) | (le32(src, p) & 0xFFFFFFFFL);
                        dst[c][off + f] = (float) Double.longBitsToDouble(bits);
                    }
                }
            }
            for (int c = 0; c < ch; c++) {
                float[] d = dst[c];
                for (int f = 0; f < frames; f++) {
                    float v = d[off + f];
                    if (!Float.isFinite(v)) {
                        throw AudioFileException.of(path, (Float.isNaN(v) ? "NaN" : "infinite or out-of-range")
                                + " sample at frame " + (firstFrame + f) + ", channel " + (c + 1));
                    }
                }
            }
            return;
        }
        switch (bytesPerSample) {
            case 1: {
                final float k = 1f / 128f;
                for (int f = 0, p = 0; f < frames; f++) {
                    for (int c = 0; c < ch; c++, p++) {
                        int v = unsigned8 ? (src[p] & 0xFF) - 128 : src[p];
                        dst[c][off + f] = v * k;
                    }
                }
                break;
            }
            case 2: {
                final float k = 1f / 32768f;
                if (ch == 2 && !bigEndian) {
                    float[] l = dst[0], r = dst[1];
                    for (int f = 0, p = 0; f < frames; f++, p += 4) {
                        l[off + f] = (short) ((src[p] & 0xFF) | (src[p + 1] << 8)) * k;
                        r[off + f] = (short) ((src[p + 2] & 0xFF) | (src[p + 3] << 8)) * k;
                    }
                } else {
                    for (int f = 0, p = 0; f < frames; f++) {
                        for (int c = 0; c < ch; c++, p += 2) {
                            int v = bigEndian ? (short) ((src[p] << 8) | (src[p + 1] & 0xFF))
                                    : (short) ((src[p] & 0xFF) | (src[p + 1] << 8));
                            dst[c][off + f] = v * k;
                        }
                    }
                }
                break;
            }
            case 3: {
                final float k = 1f / 8388608f;
                for (int f = 0, p = 0; f < frames; f++) {
                    for (int c = 0; c < ch; c++, p += 3) {
                        int v = bigEndian
                                ? (src[p] << 16) | ((src[p + 1] & 0xFF) << 8) | (src[p + 2] & 0xFF)
                                : (src[p + 2] << 16) | ((src[p + 1] & 0xFF) << 8) | (src[p] & 0xFF);
                        dst[c][off + f] = v * k;
                    }
                }
                break;
            }
            case 4: {
                final double k = 1.0 / 2147483648.0;
                for (int f = 0, p = 0; f < frames; f++) {
                    for (int c = 0; c < ch; c++, p += 4) {
                        int v = bigEndian ? be32(src, p) : le32(src, p);
                        dst[c][off + f] = (float) (v * k);
                    }
                }
                break;
            }
            default:
                throw new IllegalStateException("unsupported container " + bytesPerSample);
        }
    }

    static int le32(byte[] b, int p) {
        return (b[p] & 0xFF) | ((b[p + 1] & 0xFF) << 8) | ((b[p + 2] & 0xFF) << 16) | (b[p + 3] << 24);
    }

    static int be32(byte[] b, int p) {
        return (b[p] << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
