package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

/**
 * The FLAC decoder against files encoded by the reference encoder ({@code flac}, Debian package flac, installed by
 * scripts/install-deps.sh test): the decoded samples must equal, bit for bit, those of the WAV the encoder was given.
 */
class FlacDecoderTest {
    @TempDir
    static Path dir;

    static boolean haveFlac;

    @BeforeAll
    static void findFlac() {
        haveFlac = FlacTool.available();
    }

    static void assumeFlac() {
        Assumptions.assumeTrue(haveFlac, "the 'flac' command is not installed (scripts/install-deps.sh test); skipping");
    }

    /**
     * Material that makes the encoder use every subframe type: tones and decaying notes (LPC, FIXED), digital
     * silence (CONSTANT), a full-scale white noise burst (VERBATIM), and for stereo, correlated channels
     * (mid/side, left/side, right/side).
     */
    static float[][] program(int channels, int frames, int bits, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[channels][frames];
        for (int c = 0; c < channels; c++) {
            double f1 = 110 * (c + 1), f2 = 1375.5 + 31 * c;
            for (int i = 0; i < frames; i++) {
                double t = i / 44100.0;
                double env = Math.exp(-3 * (t % 0.5));
                double v = 0.45 * env * Math.sin(2 * Math.PI * f1 * t) + 0.2 * Math.sin(2 * Math.PI * f2 * t)
                        + 0.01 * r.nextGaussian();
                if (i > frames / 3 && i < frames / 3 + 6000) v = 0; // silence
                if (i > frames / 2 && i < frames / 2 + 3000) v = r.nextDouble() * 2 - 1; // full-scale noise
                if (c == 1 && channels == 2 && i < frames / 4) v = x[0][i] * 0.9; // strongly correlated stereo
                x[c][i] = (float) Math.max(-1, Math.min(1 - 1.0 / (1L << (bits - 1)), v));
            }
        }
        return x;
    }

    static Stream<Arguments> encodings() {
        List<Arguments> a = new ArrayList<>();
        // bits, channels, rate, flac options
        a.add(Arguments.of(16, 2, 44100, "-0"));
        a.add(Arguments.of(16, 2, 44100, "-5"));
        a.add(Arguments.of(16, 2, 48000, "-8"));
        a.add(Arguments.of(16, 1, 22050, "-5"));
        a.add(Arguments.of(16, 6, 48000, "-5"));
        a.add(Arguments.of(24, 2, 96000, "-5"));
        a.add(Arguments.of(24, 2, 44100, "-8 -b 4608"));
        a.add(Arguments.of(24, 1, 48000, "-0 -b 192"));
        a.add(Arguments.of(24, 6, 48000, "-8"));
        a.add(Arguments.of(16, 2, 44100, "-5 -b 576"));
        a.add(Arguments.of(16, 2, 32000, "--lax -b 1000 -l 32"));   // 16-bit block size field, order-32 LPC
        a.add(Arguments.of(16, 1, 11025, "--lax -b 100"));          // 8-bit block size field, rate in Hz
        a.add(Arguments.of(24, 2, 192000, "-8 --lax -b 16384"));
        a.add(Arguments.of(32, 2, 48000, "-5"));
        a.add(Arguments.of(16, 2, 44100, "-8 -p -e -r 8"));         // exhaustive: high partition orders
        return a.stream();
    }

    @ParameterizedTest(name = "{0}-bit {1} ch {2} Hz flac {3}")
    @MethodSource("encodings")
    void decodesReferenceEncoderOutputExactly(int bits, int channels, int rate, String options) throws Exception {
        assumeFlac();
        SampleFormat sf = bits == 16 ? SampleFormat.PCM_16 : bits == 24 ? SampleFormat.PCM_24 : SampleFormat.PCM_32;
        int frames = 40_000 + 77;
        String name = bits + "_" + channels + "_" + rate + "_" + options.replaceAll("[^a-z0-9]", "");
        Path wav = dir.resolve(name + ".wav");
        AudioFiles.write(wav, new AudioClip(AudioFormat.of(rate, channels), program(channels, frames, bits, bits + channels)),
                sf, AudioFileWriter.Options.defaults().dither(false));
        Path flac = dir.resolve(name + ".flac");
        FlacTool.encode(wav, flac, options.split(" "));
        AudioClip expected = AudioFiles.readAll(wav);
        try (AudioFileReader r = AudioFileReader.open(flac)) {
            assertEquals("FLAC " + bits + "-bit", r.encoding());
            assertEquals(bits, r.bitsPerSample());
            assertEquals(expected.format(), r.format());
            assertEquals(frames, r.frames());
        }
        AudioClip got = readInOddBlocks(flac, channels);
        for (int c = 0; c < channels; c++) assertArrayEquals(expected.channel(c), got.channel(c), "channel " + c);
    }

    static AudioClip readInOddBlocks(Path f, int channels) throws IOException {
        try (AudioFileReader r = AudioFileReader.open(f)) {
            float[][] y = new float[channels][(int) r.frames()];
            AudioBuffer b = new AudioBuffer(channels, 1237);
            int at = 0, n;
            while ((n = r.read(b)) > 0) {
                for (int c = 0; c < channels; c++) System.arraycopy(b.channel(c), 0, y[c], at, n);
                at += n;
            }
            assertEquals(r.frames(), at);
            return new AudioClip(r.format(), y);
        }
    }

    @Test
    void wastedBitsAndSeekTable() throws Exception {
        assumeFlac();
        // 16-bit content in a 24-bit file: every subframe has 8 wasted bits.
        int frames = 30_000;
        float[][] x = program(2, frames, 16, 3);
        for (float[] c : x) for (int i = 0; i < frames; i++) c[i] = Math.round(c[i] * 32768f) / 32768f;
        Path wav = dir.resolve("wasted.wav");
        AudioFiles.write(wav, new AudioClip(AudioFormat.of(44100, 2), x), SampleFormat.PCM_24,
                AudioFileWriter.Options.defaults().dither(false));
        Path flac = dir.resolve("wasted.flac");
        FlacTool.encode(wav, flac, "-5", "-S", "1000x");
        AudioClip got = readInOddBlocks(flac, 2);
        assertArrayEquals(x[0], got.channel(0));
        assertArrayEquals(x[1], got.channel(1));
        // Seeks forward and back, via the seek table, land on the exact sample.
        try (AudioFileReader r = AudioFileReader.open(flac)) {
            AudioBuffer b = new AudioBuffer(2, 5);
            for (long at : new long[] {25_000, 123, 29_998, 4096, 4095, 0, 17_777}) {
                r.seek(at);
                assertEquals(at, r.position());
                int n = r.read(b);
                assertEquals(Math.min(5, frames - at), n);
                for (int i = 0; i < n; i++) assertEquals(x[1][(int) at + i], b.get(1, i), "seek " + at);
            }
        }
    }

    @Test
    void corruptFrameIsAnErrorNotWrongAudio() throws Exception {
        assumeFlac();
        Path wav = dir.resolve("crc.wav");
        AudioFiles.write(wav, new AudioClip(AudioFormat.of(44100, 2), program(2, 20_000, 16, 9)), SampleFormat.PCM_16);
        Path flac = dir.resolve("crc.flac");
        FlacTool.encode(wav, flac, "-5");
        byte[] b = Files.readAllBytes(flac);
        b[b.length - 3000] ^= 0x10; // inside the audio of a late frame
        Path bad = dir.resolve("bad.flac");
        Files.write(bad, b);
        AudioFileException e = assertThrows(AudioFileException.class, () -> AudioFiles.readAll(bad));
        assertTrue(e.getMessage().startsWith(bad + ": corrupt FLAC frame") || e.getMessage().contains("MD5"),
                e.getMessage());
        Files.write(bad, java.util.Arrays.copyOf(Files.readAllBytes(flac), b.length - 1000));
        e = assertThrows(AudioFileException.class, () -> AudioFiles.readAll(bad));
        assertTrue(e.getMessage().startsWith(bad + ": truncated FLAC stream"), e.getMessage());
    }

    @Test
    void channelMaskTagGivesTheLayout() throws Exception {
        assumeFlac();
        // L R C LFE (mask 0x0F) is not FLAC's default 4-channel order: flac keeps it in a Vorbis comment tag.
        org.stemroom.core.ChannelLayout l31 = org.stemroom.core.ChannelLayout.ofSpeakers("3.1", List.of(
                org.stemroom.core.Speaker.L, org.stemroom.core.Speaker.R, org.stemroom.core.Speaker.C,
                org.stemroom.core.Speaker.LFE));
        Path wav = dir.resolve("l31.wav");
        AudioFiles.write(wav, new AudioClip(new AudioFormat(48000, l31), program(4, 3000, 16, 1)), SampleFormat.PCM_16);
        Path flac = dir.resolve("l31.flac");
        FlacTool.encode(wav, flac, "--channel-map=none");
        try (AudioFileReader r = AudioFileReader.open(flac)) {
            assertEquals(0x0F, r.format().layout().waveMask());
        }
        // Without the tag, 7 channels follow FLAC's 6.1 order L R C LFE Cs Lss Rss.
        Path seven = dir.resolve("seven.flac");
        Files.write(seven, FlacTestEncoder.encode(FlacSpecPathsTest.signal(7, 500, 16, 0, 1), 16, 48000,
                new int[] {256}, false));
        try (AudioFileReader r = AudioFileReader.open(seven)) {
            assertEquals(0x70F, r.format().layout().waveMask());
        }
    }

    /** Runs the reference encoder. */
    static final class FlacTool {
        static boolean available() {
            try {
                Process p = new ProcessBuilder("flac", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }

        static void encode(Path wav, Path flac, String... options) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("flac", "-s", "-f"));
            for (String o : options) if (!o.isEmpty()) cmd.add(o);
            cmd.add("-o");
            cmd.add(flac.toString());
            cmd.add(wav.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "flac hung");
            assertEquals(0, p.exitValue(), "flac " + cmd + ": " + out);
        }
    }
}
