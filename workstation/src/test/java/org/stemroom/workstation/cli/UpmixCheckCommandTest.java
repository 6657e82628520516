package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import picocli.CommandLine;

class UpmixCheckCommandTest {
    private static final int FS = 48_000;

    @TempDir
    Path dir;

    /** Centred tone plus independent noise in each side, 3 s. */
    private Path stereo(String name) throws Exception {
        int n = 3 * FS;
        float[][] x = new float[2][n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            double v = 0.3 * Math.sin(2 * Math.PI * 330 * i / FS);
            x[0][i] = (float) (v + 0.2 * (r.nextDouble() - 0.5));
            x[1][i] = (float) (v + 0.2 * (r.nextDouble() - 0.5));
        }
        Path p = dir.resolve(name);
        AudioFiles.write(p, new AudioClip(new AudioFormat(FS, ChannelLayout.STEREO), x), SampleFormat.FLOAT_32);
        return p;
    }

    private static final class Run {
        final int code;
        final String out;
        final String err;

        Run(String... args) {
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            CommandLine cl = StemroomCli.newCommandLine();
            cl.setOut(new PrintWriter(o));
            cl.setErr(new PrintWriter(e));
            code = cl.execute(args);
            out = o.toString();
            err = e.toString();
        }
    }

    @Test
    void upmixThenCheckExactFoldDown() throws Exception {
        Path in = stereo("mix.wav");
        Path out = dir.resolve("mix51.wav");
        Run up = new Run("upmix", in.toString(), "--exact-folddown", "--centre", "0.8", "--surround", "-6dB", "-o", out.toString());
        assertEquals(0, up.code, up.err);
        try (AudioFileReader r = AudioFileReader.open(out)) {
            assertEquals(6, r.format().channels());
            assertEquals(0x3F, r.format().layout().waveMask());
            assertEquals(3 * FS, r.frames(), "same length as the input, latency removed");
        }
        Run check = new Run("check", "--reference", in.toString(), out.toString(), "--json", "--plot", dir.resolve("d.png").toString());
        assertEquals(0, check.code, check.err + check.out);
        JsonNode j = new ObjectMapper().readTree(check.out);
        assertEquals(0, j.get("lagFrames").asInt(), "the upmix output lines up with its input");
        // 7.1.4: twelve channels with the 7.1.4 mask, and its exact fold-down passes the same check
        Path out714 = dir.resolve("mix714.wav");
        Run up714 = new Run("upmix", in.toString(), "--exact-folddown", "--layout", "7.1.4", "-o", out714.toString());
        assertEquals(0, up714.code, up714.err);
        try (AudioFileReader r = AudioFileReader.open(out714)) {
            assertEquals(12, r.format().channels());
            assertEquals(0x2D63F, r.format().layout().waveMask());
        }
        Run check714 = new Run("check", "--reference", in.toString(), out714.toString(), "--json");
        assertEquals(0, check714.code, check714.err + check714.out);
        assertTrue(new ObjectMapper().readTree(check714.out).get("worstBandDb").asDouble() < 1e-3, check714.out);
        assertTrue(j.get("worstBandDb").asDouble() < 1e-3, check.out);
        assertTrue(j.get("correlationLeft").asDouble() > 0.999999, check.out);
        assertTrue(Math.abs(j.get("loudnessDiffLu").asDouble()) < 0.001, check.out);
        assertTrue(j.get("pass").asBoolean());
        assertEquals(900, ImageIO.read(dir.resolve("d.png").toFile()).getWidth());

        Run table = new Run("check", "-r", in.toString(), out.toString());
        assertTrue(table.out.contains("worst band") && table.out.contains("PASS"), table.out);
    }

    @Test
    void checkFindsADelayAndFailsABadFoldDown() throws Exception {
        Path in = stereo("ref.wav");
        AudioClip ref = AudioFiles.readAll(in);
        int n = ref.frames();
        int lag = 480;
        float[][] s = new float[6][n];
        for (int i = lag; i < n; i++) {
            s[0][i] = ref.channel(0)[i - lag];
            s[1][i] = 0.5f * ref.channel(1)[i - lag]; // right side 6 dB low
        }
        Path sur = dir.resolve("bad51.wav");
        AudioFiles.write(sur, new AudioClip(new AudioFormat(FS, ChannelLayout.SURROUND_5_1), s), SampleFormat.FLOAT_32);
        Run check = new Run("check", "-r", in.toString(), sur.toString(), "--json");
        assertEquals(CheckCommand.EXIT_CHECK_FAILED, check.code, check.err);
        JsonNode j = new ObjectMapper().readTree(check.out);
        assertEquals(lag, j.get("lagFrames").asInt());
        assertFalse(j.get("pass").asBoolean());
        for (JsonNode b : j.get("bands")) {
            if (b.get("band").asText().equals("31.5")) continue; // little energy there; filter edges
            assertEquals(0, b.get("leftDb").asDouble(), 0.05, b.toString());
            assertEquals(-6.02, b.get("rightDb").asDouble(), 0.05, b.toString());
        }
    }

    /**
     * {@code check --fold ltrt} runs the real encode (90-degree network): a 5.1 whose fronts are the reference and
     * whose other channels are silent encodes to the reference through the fronts' all-pass, which the check
     * applies to the reference too: correlation 1 and no band difference. Compared without that all-pass (the
     * front path is far from linear phase at low frequencies) the correlation would fall well below.
     */
    @Test
    void checkFoldLtRtComparesTheRealEncode() throws Exception {
        Path in = stereo("ref.wav");
        AudioClip ref = AudioFiles.readAll(in);
        int n = ref.frames();
        float[][] s = new float[6][n];
        s[0] = ref.channel(0).clone();
        s[1] = ref.channel(1).clone();
        Path sur = dir.resolve("fronts51.wav");
        AudioFiles.write(sur, new AudioClip(new AudioFormat(FS, ChannelLayout.SURROUND_5_1), s), SampleFormat.FLOAT_32);
        Run check = new Run("check", "-r", in.toString(), sur.toString(), "--fold", "ltrt", "--json");
        assertEquals(0, check.code, check.err + check.out);
        JsonNode j = new ObjectMapper().readTree(check.out);
        assertEquals("LT/RT encoded", j.get("mode").asText());
        assertEquals(0, j.get("lagFrames").asInt());
        // the fronts compare through the encoder's all-pass; the reference's levels are measured before it (the
        // input's own), so a band of the encode holds back what the all-pass still holds at the file's end: below
        // the reference, within 0.03 dB over these 3 s (measured 0.016 dB at 63 Hz; FoldDownCheckSharedReferenceTest)
        assertTrue(j.get("worstBandDb").asDouble() < 0.03, check.out);
        for (JsonNode b : j.get("bands")) {
            for (String side : new String[] {"leftDb", "rightDb", "bothDb"}) {
                assertTrue(b.get(side).asDouble() <= 1e-6, "the encode above the reference: " + b);
            }
        }
        assertTrue(j.get("correlationLeft").asDouble() > 0.99999, check.out);
        assertTrue(j.get("correlationRight").asDouble() > 0.99999, check.out);
    }

    /** --ltrt alone writes only the Lt/Rt stereo and reports its peaks; a hot encode warns with the trim to use. */
    @Test
    void upmixWritesLtRtWithPeakReport() throws Exception {
        Path in = stereo("mix.wav");
        Path lt = dir.resolve("ltrt.wav");
        Run up = new Run("upmix", in.toString(), "--ltrt", lt.toString(), "--ltrt-trim", "-3dB");
        assertEquals(0, up.code, up.err);
        assertTrue(up.err.contains("Lt/Rt " + lt + " (trim -3.0 dB): sample peak "), up.err);
        assertTrue(up.err.contains("dBTP"), up.err);
        assertFalse(up.err.contains("warning"), up.err);
        try (AudioFileReader r = AudioFileReader.open(lt)) {
            assertEquals(2, r.format().channels());
            assertEquals(3 * FS, r.frames());
        }
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "the input and the Lt/Rt: no surround file without -o");
        }
        // a loud input: the encode goes over -1 dBTP, and even --quiet says so, with the trim that fixes it
        int n = FS;
        float[][] x = new float[2][n];
        for (int i = 0; i < n; i++) {
            x[0][i] = (float) (0.95 * Math.sin(2 * Math.PI * 200 * i / FS));
            x[1][i] = (float) (0.95 * Math.sin(2 * Math.PI * 200 * i / FS + 2.0));
        }
        Path loud = dir.resolve("loud.wav");
        AudioFiles.write(loud, new AudioClip(new AudioFormat(FS, ChannelLayout.STEREO), x), SampleFormat.FLOAT_32);
        Path hot = dir.resolve("hot.wav");
        Run q = new Run("upmix", loud.toString(), "-q", "--ltrt", hot.toString(), "-o", dir.resolve("hot51.wav").toString());
        assertEquals(0, q.code, q.err);
        assertTrue(q.err.contains("warning: the Lt/Rt encode is above -1.0 dBTP; --ltrt-trim -"), q.err);
        // usage errors: no output at all, or both outputs on one file
        assertEquals(2, new Run("upmix", in.toString()).code);
        assertEquals(2, new Run("upmix", in.toString(), "-o", lt.toString(), "--ltrt", lt.toString()).code);
        assertEquals(2, new Run("upmix", in.toString(), "--ltrt", lt.toString(), "--ltrt-trim", "+3dB").code);
    }

    @Test
    void errorsNameTheFileAndLeaveNothingBehind() throws Exception {
        Path in = stereo("in.wav");
        Run self = new Run("upmix", in.toString(), "-o", in.toString());
        assertEquals(1, self.code);
        assertTrue(self.err.contains("in.wav"), self.err);
        Path junk = dir.resolve("junk.wav");
        Files.writeString(junk, "not audio");
        Path out = dir.resolve("o.wav");
        Run bad = new Run("upmix", junk.toString(), "-o", out.toString());
        assertEquals(1, bad.code);
        assertTrue(bad.err.contains("junk.wav"), bad.err);
        assertFalse(Files.exists(out));
        Run usage = new Run("upmix", in.toString(), "-o", out.toString(), "--centre", "3");
        assertEquals(2, usage.code);
        Run layout = new Run("upmix", in.toString(), "-o", out.toString(), "--layout", "quad");
        assertEquals(2, layout.code, layout.err);
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "only the two inputs remain: no partial outputs");
        }
    }
}
