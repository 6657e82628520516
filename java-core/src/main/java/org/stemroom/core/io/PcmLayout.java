package org.stemroom.core.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
     * For float data, non-finite values are reported with their frame number ({@code firstFrame} + index), so
     * every sample a reader returns is finite. {@code src} must hold {@link #SLACK} bytes beyond the last frame:
     * 24-bit samples are read as 4-byte words (one load instead of three).
     *
     * <p>Channel by channel: the inner loop then writes one array contiguously and reads one sample per step
     * through a byte-array view (a single load per sample instead of assembling bytes), which the JIT compiles to
     * a tight loop; the frame-major loops this replaces cost about twice the CPU (JFR, ten-minute convolve).
     */
    void decode(byte[] src, int frames, float[][] dst, int off, Path path, long firstFrame) throws AudioFileException {
        final int ch = channels;
        final int stride = ch * bytesPerSample;
        if (isFloat) {
            for (int c = 0; c < ch; c++) {
                float[] d = dst[c];
                int p = c * bytesPerSample;
                // sign bit of `bad` set when some sample's exponent is all ones (NaN or infinity)
                int bad = 0;
                if (bytesPerSample == 4) {
                    VarHandle h = bigEndian ? BE_INT : LE_INT;
                    for (int f = 0; f < frames; f++, p += stride) {
                        int bits = (int) h.get(src, p);
                        bad |= (bits & 0x7F800000) + 0x00800000;
                        d[off + f] = Float.intBitsToFloat(bits);
                    }
                } else {
                    VarHandle h = bigEndian ? BE_LONG : LE_LONG;
                    for (int f = 0; f < frames; f++, p += stride) {
                        float v = (float) Double.longBitsToDouble((long) h.get(src, p));
                        bad |= (Float.floatToRawIntBits(v) & 0x7F800000) + 0x00800000;
                        d[off + f] = v;
                    }
                }
                if (bad < 0) {
                    for (int f = 0; f < frames; f++) {
                        float v = d[off + f];
                        if (!Float.isFinite(v)) {
                            throw AudioFileException.of(path, (Float.isNaN(v) ? "NaN" : "infinite or out-of-range")
                                    + " sample at frame " + (firstFrame + f) + ", channel " + (c + 1));
                        }
                    }
                }
            }
            return;
        }
        switch (bytesPerSample) {
            case 1: {
                final float k = 1f / 128f;
                for (int c = 0; c < ch; c++) {
                    float[] d = dst[c];
                    if (unsigned8) {
                        for (int f = 0, p = c; f < frames; f++, p += stride) d[off + f] = ((src[p] & 0xFF) - 128) * k;
                    } else {
                        for (int f = 0, p = c; f < frames; f++, p += stride) d[off + f] = src[p] * k;
                    }
                }
                break;
            }
            case 2: {
                final float k = 1f / 32768f;
                VarHandle h = bigEndian ? BE_SHORT : LE_SHORT;
                for (int c = 0; c < ch; c++) {
                    float[] d = dst[c];
                    for (int f = 0, p = 2 * c; f < frames; f++, p += stride) d[off + f] = (short) h.get(src, p) * k;
                }
                break;
            }
            case 3: {
                // the 4-byte word at the sample's first byte: little-endian holds the sample in its low 24 bits,
                // big-endian in its high 24; the arithmetic shifts sign-extend
                final float k = 1f / 8388608f;
                for (int c = 0; c < ch; c++) {
                    float[] d = dst[c];
                    if (bigEndian) {
                        for (int f = 0, p = 3 * c; f < frames; f++, p += stride) {
                            d[off + f] = ((int) BE_INT.get(src, p) >> 8) * k;
                        }
                    } else {
                        for (int f = 0, p = 3 * c; f < frames; f++, p += stride) {
                            d[off + f] = ((int) LE_INT.get(src, p) << 8 >> 8) * k;
                        }
                    }
                }
                break;
            }
            case 4: {
                final double k = 1.0 / 2147483648.0;
                VarHandle h = bigEndian ? BE_INT : LE_INT;
                for (int c = 0; c < ch; c++) {
                    float[] d = dst[c];
                    for (int f = 0, p = 4 * c; f < frames; f++, p += stride) d[off + f] = (float) ((int) h.get(src, p) * k);
                }
                break;
            }
            default:
                throw new IllegalStateException("unsupported container " + bytesPerSample);
        }
    }

    /** Bytes a decode buffer needs beyond its last frame (the 4-byte read of the last 24-bit sample). */
    static final int SLACK = 1;

    private static final VarHandle LE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
}
