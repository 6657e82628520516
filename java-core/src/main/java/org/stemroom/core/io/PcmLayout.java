package org.stemroom.core.io;

import java.nio.ByteBuffer;
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

    /** Scratch of {@link #decode} for 32-bit float data: the buffer's words (a reader owns its layout). */
    private int[] words = new int[0];

    /**
     * Decodes {@code frames} interleaved frames from {@code src} (from byte 0, in {@link #order()}) into
     * {@code dst[c][off..]}.
     * For float data, non-finite values are reported with their frame number ({@code firstFrame} + index), so
     * every sample a reader returns is finite. {@code src} must hold {@link #SLACK} bytes beyond the last frame
     * within its limit:
     * 24-bit samples are read as 4-byte words (one load instead of three).
     *
     * <p>Channel by channel: the inner loop then writes one array contiguously and reads one sample per step with
     * the buffer's absolute getters (a single load per sample instead of assembling bytes), which the JIT compiles
     * to a tight loop; the frame-major loops this replaces cost about twice the CPU (JFR, ten-minute convolve).
     * Byte-array VarHandles would do the same, but their first use costs about 40 ms of start-up (method-handle
     * classes spun at run time), more than decoding a minute of audio.
     */
    void decode(ByteBuffer src, int frames, float[][] dst, int off, Path path, long firstFrame) throws AudioFileException {
        final int ch = channels;
        final int stride = ch * bytesPerSample;
        if (isFloat) {
            if (bytesPerSample == 4) {
                // One bulk copy of the buffer's 32-bit words into an int array (the byte swap, if any, included),
                // then a loop per channel over that array. Reading each sample with ByteBuffer.getInt is a virtual
                // call per sample in C1 code, which short jobs run (their read thread: about 2x the CPU).
                int n = frames * ch;
                if (words.length < n) words = new int[n];
                src.position(0).asIntBuffer().get(words, 0, n);
            }
            for (int c = 0; c < ch; c++) {
                float[] d = dst[c];
                int p = c * bytesPerSample;
                // sign bit of `bad` set when some sample's exponent is all ones (NaN or infinity)
                int bad = 0;
                if (bytesPerSample == 4) {
                    // from the words copied out in bulk (above): a plain array loop, no buffer call per sample
                    bad = FloatWords.toFloats(words, c, ch, d, off, frames);
                } else {
                    for (int f = 0; f < frames; f++, p += stride) {
                        float v = (float) Double.longBitsToDouble(src.getLong(p));
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
                        for (int f = 0, p = c; f < frames; f++, p += stride) d[off + f] = ((src.get(p) & 0xFF) - 128) * k;
                    } else {
                        for (int f = 0, p = c; f < frames; f++, p += stride) d[off + f] = src.get(p) * k;
                    }
                }
                break;
            }
            case 2: {
                final float k = 1f / 32768f;
                for (int c = 0; c < ch; c++) {
                    float[] d = dst[c];
                    for (int f = 0, p = 2 * c; f < frames; f++, p += stride) d[off + f] = src.getShort(p) * k;
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
                            d[off + f] = (src.getInt(p) >> 8) * k;
                        }
                    } else {
                        for (int f = 0, p = 3 * c; f < frames; f++, p += stride) {
                            d[off + f] = (src.getInt(p) << 8 >> 8) * k;
                        }
                    }
                }
                break;
            }
            case 4: {
                final double k = 1.0 / 2147483648.0;
                for (int c = 0; c < ch; c++) {
                    float[] d = dst[c];
                    for (int f = 0, p = 4 * c; f < frames; f++, p += stride) d[off + f] = (float) (src.getInt(p) * k);
                }
                break;
            }
            default:
                throw new IllegalStateException("unsupported container " + bytesPerSample);
        }
    }

    /** Bytes a decode buffer needs beyond its last frame (the 4-byte read of the last 24-bit sample). */
    static final int SLACK = 1;

    /** The byte order of this layout's samples, for the buffer {@link #decode} reads. */
    ByteOrder order() { return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN; }
}
