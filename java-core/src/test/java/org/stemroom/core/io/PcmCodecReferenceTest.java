package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/**
 * The bulk sample codecs (byte-array views, channel by channel) against per-sample references written here with
 * {@link ByteBuffer}'s own getters and putters: every container, byte order and channel count gives the same floats
 * and the same bytes, bit for bit, including the last sample of a buffer (24-bit samples are read and written as
 * 4-byte words).
 */
class PcmCodecReferenceTest {
    @TempDir
    Path dir;

    /** The value the reader must return for sample {@code i} of {@code b}, decoded the slow, obvious way. */
    private static float reference(ByteBuffer b, int at, int bytes, boolean isFloat, boolean unsigned8) {
        if (isFloat) return bytes == 4 ? b.getFloat(at) : (float) b.getDouble(at);
        switch (bytes) {
            case 1: return (unsigned8 ? (b.get(at) & 0xFF) - 128 : b.get(at)) / 128f;
            case 2: return b.getShort(at) / 32768f;
            case 3: {
                int b0 = b.get(at) & 0xFF, b1 = b.get(at + 1) & 0xFF, b2 = b.get(at + 2) & 0xFF;
                int v = b.order() == ByteOrder.BIG_ENDIAN ? (b0 << 16) | (b1 << 8) | b2 : (b2 << 16) | (b1 << 8) | b0;
                if ((v & 0x800000) != 0) v -= 1 << 24;
                return v / 8388608f;
            }
            default: return (float) (b.getInt(at) / 2147483648.0);
        }
    }

    @Test
    void decodeMatchesPerSampleReferenceForEveryLayout() throws AudioFileException {
        SplittableRandom rnd = new SplittableRandom(7);
        int[][] containers = {{1, 0}, {2, 0}, {3, 0}, {4, 0}, {4, 1}, {8, 1}}; // bytes, float
        for (int[] k : containers) {
            int bytes = k[0];
            boolean isFloat = k[1] == 1;
            for (boolean big : new boolean[] {false, true}) {
                for (boolean unsigned8 : bytes == 1 ? new boolean[] {false, true} : new boolean[] {false}) {
                    for (int ch = 1; ch <= 8; ch++) {
                        int frames = 1 + rnd.nextInt(300);
                        PcmLayout layout = new PcmLayout(ch, bytes, bytes * 8, isFloat, big, unsigned8);
                        byte[] src = new byte[frames * ch * bytes + PcmLayout.SLACK];
                        ByteBuffer b = ByteBuffer.wrap(src).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < frames * ch; i++) {
                            if (isFloat && bytes == 4) b.putFloat(i * 4, (float) rnd.nextGaussian());
                            else if (isFloat) b.putDouble(i * 8, rnd.nextGaussian());
                            else for (int j = 0; j < bytes; j++) src[i * bytes + j] = (byte) rnd.nextInt(256);
                        }
                        src[src.length - 1] = (byte) 0xA5; // slack: must not leak into the last sample
                        int off = 5;
                        float[][] dst = new float[ch][off + frames];
                        layout.decode(ByteBuffer.wrap(src).order(layout.order()), frames, dst, off, dir, 0);
                        for (int c = 0; c < ch; c++) {
                            for (int f = 0; f < frames; f++) {
                                float want = reference(b, (f * ch + c) * bytes, bytes, isFloat, unsigned8);
                                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(dst[c][off + f]),
                                        bytes + " bytes float=" + isFloat + " big=" + big + " u8=" + unsigned8 + " ch="
                                                + ch + " frame " + f + " channel " + c);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void decodeNamesTheFirstNonFiniteSampleOfEachChannel() {
        for (int bytes : new int[] {4, 8}) {
            int ch = 3, frames = 50;
            byte[] src = new byte[frames * ch * bytes + PcmLayout.SLACK];
            ByteBuffer b = ByteBuffer.wrap(src).order(ByteOrder.LITTLE_ENDIAN);
            int at = (17 * ch + 2) * bytes; // frame 17, channel 3
            if (bytes == 4) b.putFloat(at, Float.POSITIVE_INFINITY);
            else b.putDouble(at, 1e300); // beyond float range: infinite as a float
            PcmLayout layout = new PcmLayout(ch, bytes, bytes * 8, true, false, false);
            AudioFileException e = assertThrows(AudioFileException.class,
                    () -> layout.decode(ByteBuffer.wrap(src).order(layout.order()), frames, new float[ch][frames], 0,
                            dir.resolve("x.wav"), 1000));
            assertTrue(e.getMessage().contains("sample at frame 1017, channel 3"), e.getMessage());
        }
    }

    /** The bytes the writer must produce for one sample (no dither), the slow, obvious way. */
    private static void put(ByteBuffer b, float s, SampleFormat sf) {
        switch (sf) {
            case FLOAT_32: b.putFloat(s); break;
            case FLOAT_64: b.putDouble(s); break;
            case PCM_32: b.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(s * 2147483648.0)))); break;
            default: {
                float scale = sf == SampleFormat.PCM_16 ? 32768f : 8388608f;
                int v = (int) Math.max(-scale, Math.min(scale - 1, Math.floor(s * scale + 0.5f)));
                b.put((byte) v).put((byte) (v >> 8));
                if (sf == SampleFormat.PCM_24) b.put((byte) (v >> 16));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SampleFormat.class)
    void writerBytesMatchPerSampleReferenceAndPeakIsTheLargestMagnitude(SampleFormat sf) throws IOException {
        for (ChannelLayout layout : new ChannelLayout[] {ChannelLayout.MONO, ChannelLayout.STEREO, ChannelLayout.SURROUND_5_1}) {
            int ch = layout.channelCount();
            SplittableRandom rnd = new SplittableRandom(ch);
            int frames = 70_001; // several write chunks, odd length
            float[][] x = new float[ch][frames];
            float peak = 0;
            for (int c = 0; c < ch; c++) {
                for (int i = 0; i < frames; i++) {
                    x[c][i] = (float) (rnd.nextDouble(-1.2, 1.2));
                    peak = Math.max(peak, Math.abs(x[c][i]));
                }
            }
            Path f = dir.resolve("w-" + sf + "-" + ch + ".wav");
            try (AudioFileWriter w = AudioFileWriter.create(f, new AudioFormat(48000, layout), sf,
                    AudioFileWriter.Options.defaults().dither(false))) {
                w.write(AudioBuffer.wrap(x));
                assertEquals(peak, w.peak());
                w.commit();
            }
            ByteBuffer want = ByteBuffer.allocate(frames * ch * sf.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < frames; i++) for (int c = 0; c < ch; c++) put(want, x[c][i], sf);
            byte[] file = Files.readAllBytes(f);
            int data = file.length - want.capacity() - (want.capacity() & 1);
            assertTrue(Arrays.equals(want.array(), Arrays.copyOfRange(file, data, data + want.capacity())),
                    sf + " " + layout.name());
        }
    }

    /**
     * The dither the writer adds, the slow, obvious way: one SplitMix64 step per sample in file order, the
     * difference of the two uniform variates taken as floats.
     */
    private static final class ReferenceDither {
        private long state;

        ReferenceDither(long seed) { state = seed; }

        float next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            float u1 = (z >>> 40) * 0x1p-24f;
            float u2 = (z & 0xFFFFFF) * 0x1p-24f;
            return u1 - u2;
        }
    }

    @Test
    void triangularDitherIsTheFloatDifferenceOfTheTwoVariatesBitForBit() {
        ReferenceDither ref = new ReferenceDither(AudioFileWriter.DEFAULT_DITHER_SEED);
        long state = AudioFileWriter.DEFAULT_DITHER_SEED;
        for (int i = 0; i < 3_000_000; i++) {
            float want = ref.next();
            float got = AudioFileWriter.triangular(state += AudioFileWriter.DITHER_GAMMA);
            if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got)) {
                throw new AssertionError("sample " + i + ": " + want + " against " + got);
            }
        }
        // mixed values chosen, the states found by inverting the mix: equal variates (the difference +0), the
        // extremes (+-(1 - 2^-24)), one variate zero
        SplittableRandom rnd = new SplittableRandom(11);
        long[] mixed = {0L, -1L, 0xFFFFFF0000000000L, 0x0000000000FFFFFFL, 0x1234560000123456L, 0xABCDEF7777ABCDEFL,
                0x0000017777000001L, 0xFFFFFF7777FFFFFEL};
        for (int i = 0; i < 1_000_000; i++) {
            long z = i < mixed.length ? mixed[i] : i < 1000 ? (rnd.nextLong() & ~0xFFFFFFL) | (rnd.nextLong() >>> 40) : rnd.nextLong();
            long s = unmix(z);
            ReferenceDither r = new ReferenceDither(s - AudioFileWriter.DITHER_GAMMA);
            float want = r.next();
            if (i < 1000) assertEquals(((z >>> 40) - (z & 0xFFFFFF)) * 0x1p-24, want, 0, "the mix inverted");
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(AudioFileWriter.triangular(s)));
        }
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(AudioFileWriter.triangular(unmix(0x1234560000123456L))));
    }

    /** The state whose SplitMix64 mix is {@code z} (each xor-shift and odd multiply undone). */
    private static long unmix(long z) {
        z = z ^ (z >>> 31) ^ (z >>> 62);
        z *= inverse(0x94D049BB133111EBL);
        z = z ^ (z >>> 27) ^ (z >>> 54);
        z *= inverse(0xBF58476D1CE4E5B9L);
        z = z ^ (z >>> 30) ^ (z >>> 60);
        return z;
    }

    /** The inverse of odd {@code a} modulo 2^64 (Newton's iteration, each step doubling the correct bits). */
    private static long inverse(long a) {
        long x = a;
        for (int i = 0; i < 6; i++) x *= 2 - a * x;
        return x;
    }

    @ParameterizedTest
    @EnumSource(value = SampleFormat.class, names = {"PCM_16", "PCM_24"})
    void ditheredWriterBytesMatchPerSampleReferenceAcrossWrites(SampleFormat sf) throws IOException {
        for (ChannelLayout layout : new ChannelLayout[] {ChannelLayout.MONO, ChannelLayout.STEREO, ChannelLayout.SURROUND_5_1}) {
            int ch = layout.channelCount();
            SplittableRandom rnd = new SplittableRandom(100 + ch);
            int frames = 150_007; // several writes of uneven length, some longer than one encode chunk
            float[][] x = new float[ch][frames];
            for (int c = 0; c < ch; c++) for (int i = 0; i < frames; i++) x[c][i] = (float) rnd.nextDouble(-1.1, 1.1);
            x[0][5] = 0f;
            x[ch - 1][6] = -0f;
            Path f = dir.resolve("d-" + sf + "-" + ch + ".wav");
            long seed = 0x1234_5678_9ABCL * ch;
            try (AudioFileWriter w = AudioFileWriter.create(f, new AudioFormat(48000, layout), sf,
                    AudioFileWriter.Options.defaults().ditherSeed(seed))) {
                for (int at = 0; at < frames; ) {
                    int n = Math.min(frames - at, 1 + rnd.nextInt(at == 0 ? 3 : 90_000));
                    float[][] part = new float[ch][];
                    for (int c = 0; c < ch; c++) part[c] = Arrays.copyOfRange(x[c], at, at + n);
                    w.write(AudioBuffer.wrap(part));
                    at += n;
                }
                w.commit();
            }
            ReferenceDither dither = new ReferenceDither(seed);
            float scale = sf == SampleFormat.PCM_16 ? 32768f : 8388608f;
            ByteBuffer want = ByteBuffer.allocate(frames * ch * sf.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < frames; i++) {
                for (int c = 0; c < ch; c++) {
                    float v = x[c][i] * scale;
                    v += dither.next();
                    int q = (int) Math.max(-scale, Math.min(scale - 1, Math.floor(v + 0.5f)));
                    want.put((byte) q).put((byte) (q >> 8));
                    if (sf == SampleFormat.PCM_24) want.put((byte) (q >> 16));
                }
            }
            byte[] file = Files.readAllBytes(f);
            int data = file.length - want.capacity() - (want.capacity() & 1);
            assertTrue(Arrays.equals(want.array(), Arrays.copyOfRange(file, data, data + want.capacity())),
                    sf + " " + layout.name());
        }
    }

    /**
     * Float files whose channels are +0 in some writes and not in others (the writer does not store a +0 channel
     * again where its staging slots already hold +0): the bytes of a per-sample reference and the largest
     * magnitude, over writes of 1-20,000 frames (longer ones grow the staging array), channels that turn from +0
     * to -0 or to sound in the first, a middle or the last frame, and back.
     */
    @Test
    void floatWriterBytesMatchPerSampleReferenceWithZeroChannels() throws IOException {
        for (ChannelLayout layout : new ChannelLayout[] {ChannelLayout.MONO, ChannelLayout.STEREO, ChannelLayout.SURROUND_5_1}) {
            int ch = layout.channelCount();
            SplittableRandom rnd = new SplittableRandom(200 + ch);
            int frames = 400_009;
            float[][] x = new float[ch][frames];
            Path f = dir.resolve("z-" + ch + ".wav");
            float peak = 0;
            try (AudioFileWriter w = AudioFileWriter.create(f, new AudioFormat(48000, layout), SampleFormat.FLOAT_32)) {
                for (int at = 0, k = 0; at < frames; k++) {
                    int n = Math.min(frames - at, 1 + rnd.nextInt(k % 4 == 0 ? 20_000 : k % 4 == 1 ? 4 : 4096));
                    for (int c = 0; c < ch; c++) {
                        switch (rnd.nextInt(6)) {
                            case 0: x[c][at + rnd.nextInt(n)] = -0f; break; // one -0 in +0
                            case 1: x[c][at + n - 1] = (float) rnd.nextDouble(-1, 1); break; // sound in the last frame
                            case 2: x[c][at] = (float) rnd.nextDouble(-1, 1); break; // in the first
                            case 3: for (int i = at; i < at + n; i++) x[c][i] = (float) rnd.nextDouble(-0.5, 0.5); break;
                            default: break; // +0 throughout
                        }
                        for (int i = at; i < at + n; i++) peak = Math.max(peak, Math.abs(x[c][i]));
                    }
                    float[][] part = new float[ch][];
                    for (int c = 0; c < ch; c++) part[c] = Arrays.copyOfRange(x[c], at, at + n);
                    w.write(AudioBuffer.wrap(part));
                    assertEquals(Float.floatToRawIntBits(peak), Float.floatToRawIntBits(w.peak()), "write " + k);
                    at += n;
                }
                w.commit();
            }
            ByteBuffer want = ByteBuffer.allocate(frames * ch * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < frames; i++) for (int c = 0; c < ch; c++) want.putFloat(x[c][i]);
            byte[] file = Files.readAllBytes(f);
            int data = file.length - want.capacity();
            assertTrue(Arrays.equals(want.array(), Arrays.copyOfRange(file, data, data + want.capacity())), layout.name());
        }
    }

    @Test
    void writerRefusesANonFiniteSampleInALaterChunkAndLeavesNoFile() throws IOException {
        float[][] x = new float[2][100_000];
        x[1][90_000] = Float.NaN;
        Path f = dir.resolve("nan.wav");
        try (AudioFileWriter w = AudioFileWriter.create(f, new AudioFormat(48000, ChannelLayout.STEREO), SampleFormat.FLOAT_32)) {
            w.write(AudioBuffer.wrap(new float[2][10]));
            AudioFileException e = assertThrows(AudioFileException.class, () -> w.write(AudioBuffer.wrap(x)));
            assertTrue(e.getMessage().contains("NaN sample at frame 90010, channel 2"), e.getMessage());
            assertThrows(AudioFileException.class, w::commit);
        }
        assertTrue(Files.notExists(f));
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "temporary file left behind");
        }
    }

    @Test
    void readerReturnsTheFileSamplesAcrossReadBoundaries() throws IOException {
        // 24-bit stereo longer than one read buffer: the last sample of every buffer is read as a 4-byte word
        int frames = 100_003;
        SplittableRandom rnd = new SplittableRandom(3);
        byte[] data = new byte[frames * 6];
        for (int i = 0; i < data.length; i++) data[i] = (byte) rnd.nextInt(256);
        Path f = dir.resolve("p24.wav");
        Files.write(f, TestFiles.riff("WAVE", TestFiles.chunk("fmt ", TestFiles.fmt(1, 2, 48000, 24)),
                TestFiles.chunk("data", data)));
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        try (AudioFileReader r = AudioFileReader.open(f)) {
            AudioBuffer buf = new AudioBuffer(2, 9999);
            int at = 0, n;
            while ((n = r.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < 2; c++) {
                        assertEquals(reference(b, ((at + i) * 2 + c) * 3, 3, false, false), buf.get(c, i));
                    }
                }
                at += n;
            }
            assertEquals(frames, at);
        }
    }

    @Test
    void temporaryFilesAreExclusiveAndLeftoversAreSteppedOver() throws IOException {
        Path target = dir.resolve("t.wav");
        AudioFormat fmt = new AudioFormat(48000, ChannelLayout.STEREO);
        try (AudioFileWriter a = AudioFileWriter.create(target, fmt, SampleFormat.FLOAT_32)) {
            String name;
            try (var s = Files.list(dir)) {
                name = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).findFirst().orElseThrow();
            }
            // .t.wav.<pid>-<n>.part: plant leftovers where the next three names would go
            int dash = name.lastIndexOf('-');
            long n = Long.parseLong(name.substring(dash + 1, name.length() - ".part".length()));
            for (long k = n + 1; k <= n + 3; k++) {
                Files.writeString(dir.resolve(name.substring(0, dash + 1) + k + ".part"), "keep");
            }
            try (AudioFileWriter b = AudioFileWriter.create(target, fmt, SampleFormat.FLOAT_32)) {
                b.write(AudioBuffer.wrap(new float[][] {{0.5f}, {0.25f}}));
                b.commit();
            }
            for (long k = n + 1; k <= n + 3; k++) {
                assertEquals("keep", Files.readString(dir.resolve(name.substring(0, dash + 1) + k + ".part")));
            }
            a.write(AudioBuffer.wrap(new float[][] {{0.1f, 0.2f}, {0.3f, 0.4f}}));
            a.commit();
        }
        try (AudioFileReader r = AudioFileReader.open(target)) {
            assertEquals(2, r.frames()); // the last commit wins, and it is whole
        }
    }
}
