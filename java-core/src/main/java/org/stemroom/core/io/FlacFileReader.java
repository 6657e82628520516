package org.stemroom.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Speaker;

/**
 * A FLAC decoder written from the format specification (RFC 9639): STREAMINFO and SEEKTABLE, frame headers with
 * CRC-8, CONSTANT / VERBATIM / FIXED / LPC subframes, Rice and Rice2 residuals with escape partitions, wasted bits,
 * left/side, right/side and mid/side decorrelation, and the CRC-16 of every frame. It decodes one frame at a time,
 * so memory is bounded by the largest block (at most 65535 frames). A corrupt frame is an error, never silently
 * wrong audio. When the whole stream is read from the start, the STREAMINFO MD5 of the samples is checked too.
 *
 * <p>No maintained, licence-clean FLAC decoder exists on Maven Central (jFLAC is LGPL and unmaintained since 2016),
 * hence this one.
 */
final class FlacFileReader extends AudioFileReader {
    private final FileSource src;
    private final FlacBitReader in;
    private final AudioFormat format;
    private final int channels;
    private final int bps;
    private final int maxBlock;
    private final int streamRate;
    private final long firstFrameOffset;
    private final long[] seekSamples;
    private final long[] seekOffsets;
    private final byte[] md5Expected;
    private long totalFrames;

    private final long[][] block;   // decoded samples of the current frame, per channel
    private final long[] residual;
    private final long[] coef = new long[32];
    private int blockLen;           // samples in the current frame
    private int blockPos;           // next unread sample of the current frame
    private long position;          // next frame index to return to the caller
    private long framesDecoded;     // sample index at the start of the next FLAC frame to decode
    private long frameCount;        // FLAC frames decoded (for messages)
    private long lastCodedNumber;
    private boolean lastVariable;
    private MessageDigest md5;      // non-null while a from-the-start pass can be verified
    private byte[] md5Buf;

    private FlacFileReader(FileSource src, long firstFrameOffset, int rate, int channels, int bps, int maxBlock,
            long total, long[] seekSamples, long[] seekOffsets, byte[] md5, int channelMask) throws IOException {
        super(src.path);
        this.src = src;
        this.firstFrameOffset = firstFrameOffset;
        this.streamRate = rate;
        this.channels = channels;
        this.bps = bps;
        this.maxBlock = maxBlock;
        this.totalFrames = total;
        this.seekSamples = seekSamples;
        this.seekOffsets = seekOffsets;
        this.md5Expected = md5;
        this.in = new FlacBitReader(src, firstFrameOffset);
        this.block = new long[channels][maxBlock];
        this.residual = new long[maxBlock];
        try {
            this.format = new AudioFormat(rate, layoutFor(channels, channelMask));
        } catch (IllegalArgumentException e) {
            throw src.fail(e.getMessage());
        }
        if (total == 0) totalFrames = countFrames();
        startMd5();
    }

    static AudioFileReader open(FileSource src) throws IOException {
        long pos = 0;
        ByteBuffer h = src.read(0, 4, ByteOrder.BIG_ENDIAN, "header");
        if (h.get(0) == 'I' && h.get(1) == 'D' && h.get(2) == '3') {
            ByteBuffer id3 = src.read(0, 10, ByteOrder.BIG_ENDIAN, "ID3 tag");
            int flags = id3.get(5);
            int size = ((id3.get(6) & 0x7F) << 21) | ((id3.get(7) & 0x7F) << 14) | ((id3.get(8) & 0x7F) << 7)
                    | (id3.get(9) & 0x7F);
            pos = 10L + size + ((flags & 0x10) != 0 ? 10 : 0);
            h = src.read(pos, 4, ByteOrder.BIG_ENDIAN, "header after ID3 tag");
        }
        if (FileSource.fourCc(h) != FileSource.cc("fLaC")) throw src.fail("not a FLAC file (no fLaC marker)");
        pos += 4;
        boolean haveInfo = false;
        int rate = 0, ch = 0, bits = 0, maxBlock = 0, minBlock = 0;
        long total = 0;
        byte[] md5 = new byte[16];
        long[] seekSamples = new long[0];
        long[] seekOffsets = new long[0];
        int channelMask = 0;
        boolean last = false;
        int blocks = 0;
        while (!last) {
            if (++blocks > 100_000) throw src.fail("too many FLAC metadata blocks");
            ByteBuffer mh = src.read(pos, 4, ByteOrder.BIG_ENDIAN, "FLAC metadata block header");
            int t = mh.get() & 0xFF;
            last = (t & 0x80) != 0;
            int type = t & 0x7F;
            int len = ((mh.get() & 0xFF) << 16) | ((mh.get() & 0xFF) << 8) | (mh.get() & 0xFF);
            long body = pos + 4;
            if (body + len > src.size) {
                throw src.fail("truncated FLAC metadata block (expected " + len + " bytes, found " + (src.size - body) + ")");
            }
            if (type == 0) {
                if (blocks != 1) throw src.fail("FLAC STREAMINFO is not the first metadata block");
                if (len < 34) throw src.fail("FLAC STREAMINFO too short (" + len + " bytes, need 34)");
                ByteBuffer b = src.read(body, 34, ByteOrder.BIG_ENDIAN, "FLAC STREAMINFO");
                minBlock = b.getShort() & 0xFFFF;
                maxBlock = b.getShort() & 0xFFFF;
                b.getShort();
                b.get();
                b.getShort();
                b.get(); // min/max frame size (24 bits each): hints only
                long packed = b.getLong();
                rate = (int) (packed >>> 44);
                ch = (int) ((packed >>> 41) & 0x7) + 1;
                bits = (int) ((packed >>> 36) & 0x1F) + 1;
                total = packed & 0xFFFFFFFFFL;
                b.get(md5);
                haveInfo = true;
            } else if (type == 3) {
                int n = len / 18;
                ByteBuffer b = src.read(body, n * 18, ByteOrder.BIG_ENDIAN, "FLAC SEEKTABLE");
                long[] s = new long[n];
                long[] o = new long[n];
                int k = 0;
                for (int i = 0; i < n; i++) {
                    long sample = b.getLong();
                    long off = b.getLong();
                    b.getShort();
                    if (sample == -1L) continue; // placeholder point
                    if (k > 0 && (sample <= s[k - 1] || off < o[k - 1])) continue; // out of order: ignore
                    s[k] = sample;
                    o[k] = off;
                    k++;
                }
                seekSamples = Arrays.copyOf(s, k);
                seekOffsets = Arrays.copyOf(o, k);
            } else if (type == 4 && len <= (1 << 20)) {
                ByteBuffer b = src.read(body, len, ByteOrder.LITTLE_ENDIAN, "FLAC VORBIS_COMMENT");
                channelMask = channelMaskTag(b);
            } else if (type == 127) {
                throw src.fail("invalid FLAC metadata block type 127");
            } else if (!haveInfo) {
                throw src.fail("FLAC STREAMINFO is not the first metadata block");
            }
            pos = body + len;
        }
        if (!haveInfo) throw src.fail("no FLAC STREAMINFO block");
        if (rate < AudioFormat.MIN_RATE || rate > AudioFormat.MAX_RATE) {
            throw src.fail("unsupported sample rate " + rate + " Hz (supported " + AudioFormat.MIN_RATE + " to "
                    + AudioFormat.MAX_RATE + " Hz)");
        }
        if (bits < 4) throw src.fail("unsupported FLAC sample size " + bits + " bits");
        if (maxBlock < 16 || minBlock > maxBlock) {
            throw src.fail("invalid FLAC STREAMINFO block sizes (min " + minBlock + ", max " + maxBlock + ")");
        }
        return new FlacFileReader(src, pos, rate, ch, bits, maxBlock, total, seekSamples, seekOffsets,
                allZero(md5) ? null : md5, channelMask);
    }

    @Override public AudioFormat format() { return format; }
    @Override public long frames() { return totalFrames; }
    @Override public String encoding() { return "FLAC " + bps + "-bit"; }
    @Override public int bitsPerSample() { return bps; }
    @Override public long position() { return position; }

    @Override
    public int read(AudioBuffer buf) throws IOException {
        checkBuffer(buf);
        int want = (int) Math.min(buf.capacity(), totalFrames - position);
        int done = 0;
        float[][] out = buf.data();
        final double scale = 1.0 / (1L << (bps - 1));
        while (done < want) {
            if (blockPos == blockLen) {
                if (!decodeFrame()) {
                    throw src.fail("truncated FLAC stream (" + position + " of " + totalFrames + " frames decoded)");
                }
            }
            int n = Math.min(want - done, blockLen - blockPos);
            for (int c = 0; c < channels; c++) {
                long[] s = block[c];
                float[] o = out[c];
                for (int i = 0; i < n; i++) o[done + i] = (float) (s[blockPos + i] * scale);
            }
            blockPos += n;
            done += n;
            position += n;
        }
        buf.setFrames(done);
        if (position == totalFrames) finishMd5();
        return done;
    }

    @Override
    public void seek(long frame) throws IOException {
        checkSeek(frame);
        md5 = null; // the MD5 check needs one uninterrupted pass from the start
        long curStart = framesDecoded - blockLen;
        if (blockLen > 0 && frame >= curStart && frame < framesDecoded) {
            blockPos = (int) (frame - curStart);
            position = frame;
            return;
        }
        if (frame == totalFrames) {
            position = frame;
            return;
        }
        long best = 0;
        long bestOffset = firstFrameOffset;
        for (int i = 0; i < seekSamples.length; i++) {
            if (seekSamples[i] <= frame && firstFrameOffset + seekOffsets[i] < src.size) {
                best = seekSamples[i];
                bestOffset = firstFrameOffset + seekOffsets[i];
            }
        }
        if (frame < curStart || best > framesDecoded) {
            restartAt(bestOffset, best);
            if (best > 0 && !decodeFrameAt(best)) restartAt(firstFrameOffset, 0); // seek table lied: go linear
        }
        while (framesDecoded <= frame) {
            if (!decodeFrame()) throw src.fail("truncated FLAC stream while seeking to frame " + frame);
        }
        blockPos = (int) (frame - (framesDecoded - blockLen));
        position = frame;
    }

    private void restartAt(long offset, long sample) {
        in.seek(offset);
        framesDecoded = sample;
        blockLen = 0;
        blockPos = 0;
    }

    /** Decodes the frame at the current offset and checks that its header says it starts at {@code sample}. */
    private boolean decodeFrameAt(long sample) {
        try {
            if (!decodeFrame()) return false;
        } catch (IOException e) {
            return false;
        }
        long start = lastVariable ? lastCodedNumber : lastCodedNumber * blockLen;
        return start == sample;
    }

    @Override
    public void close() throws IOException {
        src.channel.close();
    }

    /** Decodes the next frame into {@link #block}; false at the end of the file. */
    private boolean decodeFrame() throws IOException {
        if (in.atEnd()) return false;
        long frameOffset = in.offset();
        in.resetCrc();
        int sync = in.readUInt(15);
        if (sync != 0x7FFC) {
            throw src.fail("lost FLAC frame sync at offset " + frameOffset + " (corrupt file)");
        }
        lastVariable = in.readBits(1) == 1;
        int bsCode = in.readUInt(4);
        int rateCode = in.readUInt(4);
        int chCode = in.readUInt(4);
        int sizeCode = in.readUInt(3);
        if (in.readBits(1) != 0) throw frameError(frameOffset, "reserved bit set in frame header");
        readCodedNumber(frameOffset);
        int blockSize;
        if (bsCode == 0) throw frameError(frameOffset, "reserved block size code");
        else if (bsCode == 1) blockSize = 192;
        else if (bsCode <= 5) blockSize = 576 << (bsCode - 2);
        else if (bsCode == 6) blockSize = in.readUInt(8) + 1;
        else if (bsCode == 7) blockSize = in.readUInt(16) + 1;
        else blockSize = 256 << (bsCode - 8);
        int rate;
        switch (rateCode) {
            case 0: rate = streamRate; break;
            case 1: rate = 88200; break;
            case 2: rate = 176400; break;
            case 3: rate = 192000; break;
            case 4: rate = 8000; break;
            case 5: rate = 16000; break;
            case 6: rate = 22050; break;
            case 7: rate = 24000; break;
            case 8: rate = 32000; break;
            case 9: rate = 44100; break;
            case 10: rate = 48000; break;
            case 11: rate = 96000; break;
            case 12: rate = in.readUInt(8) * 1000; break;
            case 13: rate = in.readUInt(16); break;
            case 14: rate = in.readUInt(16) * 10; break;
            default: throw frameError(frameOffset, "invalid sample rate code");
        }
        int frameBps;
        switch (sizeCode) {
            case 0: frameBps = bps; break;
            case 1: frameBps = 8; break;
            case 2: frameBps = 12; break;
            case 4: frameBps = 16; break;
            case 5: frameBps = 20; break;
            case 6: frameBps = 24; break;
            case 7: frameBps = 32; break;
            default: throw frameError(frameOffset, "reserved sample size code");
        }
        int expectCrc8 = in.crc8;
        in.endCrc8();
        int crc8 = in.readUInt(8);
        if (crc8 != expectCrc8) throw frameError(frameOffset, "frame header CRC-8 mismatch");
        if (rate != streamRate) throw frameError(frameOffset, "sample rate " + rate + " differs from STREAMINFO " + streamRate);
        if (frameBps != bps) throw frameError(frameOffset, "sample size " + frameBps + " differs from STREAMINFO " + bps);
        if (blockSize > maxBlock) {
            throw frameError(frameOffset, "block size " + blockSize + " exceeds STREAMINFO maximum " + maxBlock);
        }
        int frameChannels = chCode < 8 ? chCode + 1 : chCode <= 10 ? 2 : -1;
        if (frameChannels < 0) throw frameError(frameOffset, "reserved channel assignment " + chCode);
        if (frameChannels != channels) {
            throw frameError(frameOffset, frameChannels + " channels differ from STREAMINFO " + channels);
        }
        for (int c = 0; c < channels; c++) {
            boolean side = (chCode == 8 && c == 1) || (chCode == 9 && c == 0) || (chCode == 10 && c == 1);
            decodeSubframe(block[c], blockSize, bps + (side ? 1 : 0), frameOffset);
        }
        in.alignToByte();
        int expectCrc16 = in.crc16;
        int crc16 = in.readUInt(16);
        if (crc16 != expectCrc16) throw frameError(frameOffset, "frame CRC-16 mismatch");
        long[] a = block[0];
        long[] b = channels > 1 ? block[1] : null;
        switch (chCode) {
            case 8: // left, side
                for (int i = 0; i < blockSize; i++) b[i] = a[i] - b[i];
                break;
            case 9: // side, right
                for (int i = 0; i < blockSize; i++) a[i] += b[i];
                break;
            case 10: // mid, side
                for (int i = 0; i < blockSize; i++) {
                    long side = b[i];
                    long mid = (a[i] << 1) | (side & 1);
                    a[i] = (mid + side) >> 1;
                    b[i] = (mid - side) >> 1;
                }
                break;
            default:
                break;
        }
        blockLen = blockSize;
        blockPos = 0;
        framesDecoded += blockSize;
        frameCount++;
        if (md5 != null) updateMd5(blockSize);
        return true;
    }

    private void readCodedNumber(long frameOffset) throws IOException {
        int first = in.readUInt(8);
        int extra;
        if ((first & 0x80) == 0) extra = 0;
        else if ((first & 0xE0) == 0xC0) extra = 1;
        else if ((first & 0xF0) == 0xE0) extra = 2;
        else if ((first & 0xF8) == 0xF0) extra = 3;
        else if ((first & 0xFC) == 0xF8) extra = 4;
        else if ((first & 0xFE) == 0xFC) extra = 5;
        else if (first == 0xFE) extra = 6;
        else throw frameError(frameOffset, "invalid coded frame number");
        long v = extra == 0 ? first : first & (0x3F >> extra);
        for (int i = 0; i < extra; i++) {
            int b = in.readUInt(8);
            if ((b & 0xC0) != 0x80) throw frameError(frameOffset, "invalid coded frame number");
            v = (v << 6) | (b & 0x3F);
        }
        lastCodedNumber = v;
    }

    private void decodeSubframe(long[] out, int n, int sbps, long frameOffset) throws IOException {
        if (in.readBits(1) != 0) throw frameError(frameOffset, "subframe padding bit set");
        int type = in.readUInt(6);
        int wasted = 0;
        if (in.readBits(1) == 1) {
            wasted = in.readUnary(sbps) + 1;
            if (wasted >= sbps) throw frameError(frameOffset, "wasted bits " + wasted + " not below sample size " + sbps);
            sbps -= wasted;
        }
        if (type == 0) {
            long v = in.readSigned(sbps);
            Arrays.fill(out, 0, n, v);
        } else if (type == 1) {
            for (int i = 0; i < n; i++) out[i] = in.readSigned(sbps);
        } else if (type >= 8 && type <= 12) {
            int order = type - 8;
            if (order > n) throw frameError(frameOffset, "predictor order " + order + " above block size " + n);
            for (int i = 0; i < order; i++) out[i] = in.readSigned(sbps);
            readResidual(n, order, frameOffset);
            restoreFixed(out, n, order);
        } else if (type >= 32) {
            int order = type - 31;
            if (order > n) throw frameError(frameOffset, "predictor order " + order + " above block size " + n);
            for (int i = 0; i < order; i++) out[i] = in.readSigned(sbps);
            int precision = in.readUInt(4) + 1;
            if (precision == 16) throw frameError(frameOffset, "invalid LPC coefficient precision");
            int shift = (int) in.readSigned(5);
            if (shift < 0) throw frameError(frameOffset, "negative LPC shift");
            for (int i = 0; i < order; i++) coef[i] = in.readSigned(precision);
            readResidual(n, order, frameOffset);
            restoreLpc(out, n, order, shift);
        } else {
            throw frameError(frameOffset, "reserved subframe type " + type);
        }
        if (wasted > 0) {
            for (int i = 0; i < n; i++) out[i] <<= wasted;
        }
    }

    private void readResidual(int n, int order, long frameOffset) throws IOException {
        int method = in.readUInt(2);
        if (method > 1) throw frameError(frameOffset, "reserved residual coding method");
        int paramBits = method == 0 ? 4 : 5;
        int escape = (1 << paramBits) - 1;
        int partOrder = in.readUInt(4);
        int parts = 1 << partOrder;
        if ((n & (parts - 1)) != 0 || (n >> partOrder) < order) {
            throw frameError(frameOffset, "invalid residual partition order " + partOrder + " for block size " + n);
        }
        int perPart = n >> partOrder;
        int at = order;
        for (int p = 0; p < parts; p++) {
            int end = (p + 1) * perPart;
            int k = in.readUInt(paramBits);
            if (k == escape) {
                int raw = in.readUInt(5);
                if (raw == 0) {
                    Arrays.fill(residual, at, end, 0);
                } else {
                    for (int i = at; i < end; i++) residual[i] = in.readSigned(raw);
                }
            } else {
                in.readRice(residual, at, end, k);
            }
            at = end;
        }
    }

    private void restoreFixed(long[] s, int n, int order) {
        long[] r = residual;
        switch (order) {
            case 0:
                System.arraycopy(r, 0, s, 0, n);
                break;
            case 1:
                for (int i = 1; i < n; i++) s[i] = r[i] + s[i - 1];
                break;
            case 2:
                for (int i = 2; i < n; i++) s[i] = r[i] + 2 * s[i - 1] - s[i - 2];
                break;
            case 3:
                for (int i = 3; i < n; i++) s[i] = r[i] + 3 * s[i - 1] - 3 * s[i - 2] + s[i - 3];
                break;
            default:
                for (int i = 4; i < n; i++) s[i] = r[i] + 4 * s[i - 1] - 6 * s[i - 2] + 4 * s[i - 3] - s[i - 4];
                break;
        }
    }

    private void restoreLpc(long[] s, int n, int order, int shift) {
        long[] r = residual;
        long[] c = this.coef;
        for (int i = order; i < n; i++) {
            long sum = 0;
            for (int j = 0; j < order; j++) sum += c[j] * s[i - 1 - j];
            s[i] = r[i] + (sum >> shift);
        }
    }

    private AudioFileException frameError(long offset, String what) {
        return src.fail("corrupt FLAC frame " + frameCount + " at offset " + offset + ": " + what);
    }

    /** For streams whose STREAMINFO leaves the total unset: decode once to count, then start over. */
    private long countFrames() throws IOException {
        while (decodeFrame()) {
            // counting only
        }
        long n = framesDecoded;
        in.seek(firstFrameOffset);
        framesDecoded = 0;
        frameCount = 0;
        blockLen = 0;
        blockPos = 0;
        return n;
    }

    private void startMd5() {
        if (md5Expected == null) return;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            md5 = null;
            return;
        }
        md5Buf = new byte[maxBlock * channels * ((bps + 7) / 8)];
    }

    private void updateMd5(int n) {
        int bytes = (bps + 7) / 8;
        int p = 0;
        byte[] a = md5Buf;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                long v = block[c][i];
                for (int k = 0; k < bytes; k++) a[p++] = (byte) (v >> (8 * k));
            }
        }
        md5.update(a, 0, p);
    }

    private void finishMd5() throws AudioFileException {
        if (md5 == null) return;
        byte[] got = md5.digest();
        md5 = null;
        if (framesDecoded == totalFrames && !Arrays.equals(got, md5Expected)) {
            throw src.fail("FLAC MD5 signature mismatch: the decoded audio differs from what was encoded");
        }
    }

    /**
     * The FLAC channel order (RFC 9639 section 9.1.3) for a count, unless a WAVEFORMATEXTENSIBLE_CHANNEL_MASK tag
     * says otherwise; it matches the WAV order of the same speakers, so WAV layouts apply.
     */
    static ChannelLayout layoutFor(int channels, int mask) {
        if (mask != 0 && Integer.bitCount(mask) == channels) return ChannelLayout.fromWaveMask(mask, channels);
        if (channels == 7) return SIX_ONE;
        return ChannelLayout.defaultFor(channels);
    }

    private static final ChannelLayout SIX_ONE = ChannelLayout.ofSpeakers("6.1", java.util.List.of(Speaker.L, Speaker.R,
            Speaker.C, Speaker.LFE, Speaker.BC, Speaker.LSS, Speaker.RSS));

    /** WAVEFORMATEXTENSIBLE_CHANNEL_MASK=0x... from a VORBIS_COMMENT block (little-endian lengths), or 0. */
    static int channelMaskTag(ByteBuffer b) {
        try {
            long vendor = b.getInt() & 0xFFFFFFFFL;
            if (vendor > b.remaining()) return 0;
            b.position(b.position() + (int) vendor);
            long count = b.getInt() & 0xFFFFFFFFL;
            for (long i = 0; i < count && b.remaining() >= 4; i++) {
                long len = b.getInt() & 0xFFFFFFFFL;
                if (len > b.remaining()) return 0;
                byte[] c = new byte[(int) len];
                b.get(c);
                String tag = new String(c, java.nio.charset.StandardCharsets.UTF_8);
                int eq = tag.indexOf('=');
                if (eq > 0 && tag.substring(0, eq).equalsIgnoreCase("WAVEFORMATEXTENSIBLE_CHANNEL_MASK")) {
                    String v = tag.substring(eq + 1).trim().toLowerCase(java.util.Locale.ROOT);
                    return (int) Long.parseLong(v.startsWith("0x") ? v.substring(2) : v, v.startsWith("0x") ? 16 : 10);
                }
            }
        } catch (RuntimeException malformed) {
            // a broken tag block only loses the tag; the audio is still decodable
        }
        return 0;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }
}
