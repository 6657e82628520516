package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/**
 * Interoperability with an independent implementation, ffmpeg (Debian package ffmpeg, installed by
 * scripts/install-deps.sh test): files ffmpeg writes in every container and encoding we read decode to the same
 * samples, and ffmpeg reads our multichannel files with the right layout and the same samples.
 */
class FfmpegInteropTest {
    @TempDir
    static Path dir;
    static boolean haveFfmpeg;
    static Path source;
    static AudioClip sourceClip;

    @BeforeAll
    static void setUp() throws IOException {
        haveFfmpeg = run(List.of("ffmpeg", "-version")) != null && run(List.of("ffprobe", "-version")) != null;
        source = dir.resolve("src16.wav");
        AudioFiles.write(source, new AudioClip(AudioFormat.of(44100, 2), FlacDecoderTest.program(2, 9000, 16, 3)),
                SampleFormat.PCM_16, AudioFileWriter.Options.defaults().dither(false));
        sourceClip = AudioFiles.readAll(source);
    }

    static void assumeFfmpeg() {
        Assumptions.assumeTrue(haveFfmpeg, "ffmpeg/ffprobe not installed (scripts/install-deps.sh test); skipping");
    }

    /** Runs a command; its stdout, or null when it could not run or failed. */
    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"wav,pcm_u8,", "wav,pcm_s16le,", "wav,pcm_s24le,", "wav,pcm_s32le,", "wav,pcm_f32le,",
            "wav,pcm_f64le,", "wav,pcm_s24le,-rf64 always", "aiff,pcm_s16be,", "aiff,pcm_s24be,", "aiff,pcm_s16le,",
            "aiff,pcm_f32be,", "aiff,pcm_f64be,", "flac,flac,-compression_level 8"})
    void readsWhatFfmpegWrites(String container, String codec, String extra) throws IOException {
        assumeFfmpeg();
        Path out = dir.resolve("ff_" + codec + (extra == null ? "" : "_x") + ".bin");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i",
                source.toString(), "-c:a", codec));
        if (extra != null) cmd.addAll(List.of(extra.split(" ")));
        cmd.addAll(List.of("-f", container, out.toString()));
        assertTrue(run(cmd) != null, "ffmpeg failed: " + cmd);
        AudioClip got = AudioFiles.readAll(out);
        assertEquals(sourceClip.format(), got.format());
        assertEquals(sourceClip.frames(), got.frames());
        float tol = codec.equals("pcm_u8") ? 1f / 128 : 0f; // u8 keeps the top 8 bits only
        for (int c = 0; c < 2; c++) {
            if (tol == 0) {
                assertArrayEquals(sourceClip.channel(c), got.channel(c), codec + " channel " + c);
            } else {
                for (int i = 0; i < got.frames(); i++) {
                    assertEquals(sourceClip.channel(c)[i], got.channel(c)[i], tol, codec + " sample " + i);
                }
            }
        }
        if (extra != null && extra.contains("rf64")) {
            try (AudioFileReader r = AudioFileReader.open(out)) {
                assertEquals("RF64 PCM 24-bit", r.encoding());
            }
        }
    }

    @Test
    void ffmpegReadsOurMultichannelFilesWithTheirLayout() throws IOException {
        assumeFfmpeg();
        for (ChannelLayout layout : new ChannelLayout[] {ChannelLayout.SURROUND_5_1, ChannelLayout.SURROUND_7_1}) {
            int ch = layout.channelCount();
            Path f = dir.resolve("ours_" + layout.name() + ".wav");
            AudioClip clip = new AudioClip(new AudioFormat(48000, layout), TestFiles.noise(ch, 3000, 0.8f, ch));
            AudioFiles.write(f, clip, SampleFormat.PCM_24);
            String probe = run(List.of("ffprobe", "-v", "error", "-show_entries", "stream=channel_layout,channels,bits_per_sample",
                    "-of", "default=nw=1", f.toString()));
            assertTrue(probe != null && probe.contains("channel_layout=" + layout.name() + "\n"), layout + ": " + probe);
            AudioClip ours = AudioFiles.readAll(f);
            Path raw = dir.resolve("ours_" + layout.name() + ".f32");
            assertTrue(run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", f.toString(), "-f",
                    "f32le", "-c:a", "pcm_f32le", raw.toString())) != null);
            ByteBuffer b = ByteBuffer.wrap(java.nio.file.Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(3000 * ch * 4, b.capacity());
            for (int i = 0; i < 3000; i++) {
                for (int c = 0; c < ch; c++) assertEquals(ours.channel(c)[i], b.getFloat(), layout + " ch " + c + " @" + i);
            }
        }
    }
}
