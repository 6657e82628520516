package org.stemroom.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;

/** Signals and hand-assembled file bytes for the io tests (independent of the writer under test). */
final class TestFiles {
    private TestFiles() {}

    /** Band-limited-ish noise in [-amp, amp], seeded. */
    static float[][] noise(int channels, int frames, float amp, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < frames; i++) x[c][i] = (float) ((r.nextDouble() * 2 - 1) * amp);
        }
        return x;
    }

    /** A RIFF chunk: id, little-endian size, body, pad byte when odd. */
    static byte[] chunk(String id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body);
        return b.array();
    }

    static byte[] beChunk(String id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.BIG_ENDIAN);
        b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    static byte[] riff(String form, byte[]... chunks) {
        byte[] body = concat(chunks);
        ByteBuffer b = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length)
                .put(form.getBytes(StandardCharsets.US_ASCII)).put(body);
        return b.array();
    }

    /** A plain (non-extensible) fmt body. */
    static byte[] fmt(int tag, int channels, int rate, int bits) {
        int block = channels * ((bits + 7) / 8);
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) tag).putShort((short) channels)
                .putInt(rate).putInt(rate * block).putShort((short) block).putShort((short) bits).array();
    }

    static byte[] fmtExtensible(int subTag, int channels, int rate, int bits, int validBits, int mask) {
        int block = channels * ((bits + 7) / 8);
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xFFFE)
                .putShort((short) channels).putInt(rate).putInt(rate * block).putShort((short) block)
                .putShort((short) bits).putShort((short) 22).putShort((short) validBits).putInt(mask)
                .putShort((short) subTag);
        b.put(WavParser.GUID_TAIL);
        return b.array();
    }

    static byte[] le16(short[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : v) b.putShort(s);
        return b.array();
    }

    static byte[] le32f(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : v) b.putFloat(s);
        return b.array();
    }

    /** AIFF / AIFF-C: FORM, COMM (with compression for AIFC), SSND. */
    static byte[] aiff(boolean aifc, String compression, int channels, long frames, int bits, double rate, byte[] data) {
        ByteBuffer comm = ByteBuffer.allocate(aifc ? 24 : 18).order(ByteOrder.BIG_ENDIAN);
        comm.putShort((short) channels).putInt((int) frames).putShort((short) bits)
                .put(AiffParser.doubleToExtended(rate));
        if (aifc) comm.put(compression.getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 0);
        ByteBuffer ssnd = ByteBuffer.allocate(8 + data.length).order(ByteOrder.BIG_ENDIAN);
        ssnd.putInt(0).putInt(0).put(data);
        byte[] body = concat(aifc ? beChunk("FVER", new byte[] {(byte) 0xA2, (byte) 0x80, 0x51, 0x40}) : new byte[0],
                beChunk("COMM", comm.array()), beChunk("SSND", ssnd.array()));
        ByteBuffer b = ByteBuffer.allocate(12 + body.length).order(ByteOrder.BIG_ENDIAN);
        b.put("FORM".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length)
                .put((aifc ? "AIFC" : "AIFF").getBytes(StandardCharsets.US_ASCII)).put(body);
        return b.array();
    }

    static AudioBuffer buffer(float[][] x) {
        return AudioBuffer.wrap(x);
    }

    static AudioFormat stereo48() {
        return AudioFormat.of(48000, 2);
    }
}
