package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.core.loudness.TruePeakMeter;
import org.stemroom.spatial.LtRtEncoder;
import org.stemroom.spatial.SpeakerLayout;

/** {@code place --ltrt}: the Lt/Rt encode of the placed surround mix, its peak report, and what it refuses. */
class PlaceLtRtTest {
    /** Placements at the reference distance (no distance loss), one stem in each part of the matrix. */
    static final String PRESET = "{\"version\": 1, \"name\": \"ltrt-test\", \"defaultLayout\": \"5.1\", \"layouts\": {"
            + "\"5.1\": {\"stems\": {\"vocals\": {\"azimuth\": 0, \"distance\": 1.0},"
            + "  \"guitar\": {\"azimuth\": 30, \"distance\": 1.0},"
            + "  \"default\": {\"azimuth\": -110, \"distance\": 1.0}}},"
            + "\"7.1\": {\"stems\": {\"vocals\": {\"azimuth\": 0, \"distance\": 1.0},"
            + "  \"guitar\": {\"azimuth\": 30, \"distance\": 1.0},"
            + "  \"default\": {\"azimuth\": -135, \"distance\": 1.0}}},"
            + "\"stereo\": {\"stems\": {\"default\": {\"azimuth\": 0, \"distance\": 1.0}}}}}";

    @TempDir
    Path dir;

    Path preset() throws Exception {
        Path p = dir.resolve("preset.json");
        Files.writeString(p, PRESET);
        return p;
    }

    /** Three stems: a centred voice, a front-left guitar and a rear-right pad (sines so the peaks are known). */
    Path[] stems(int n, double amp) throws Exception {
        String[] names = {"vocals", "guitar", "pad"};
        double[] hz = {220, 331, 97};
        Path[] p = new Path[3];
        for (int s = 0; s < 3; s++) {
            float[][] x = new float[1][n];
            for (int i = 0; i < n; i++) x[0][i] = (float) (amp * Math.sin(2 * Math.PI * hz[s] * i / 48000.0 + s));
            p[s] = dir.resolve(names[s] + ".wav");
            AudioFiles.write(p[s], new AudioClip(new AudioFormat(48000, ChannelLayout.MONO), x), SampleFormat.FLOAT_32);
        }
        return p;
    }

    /** The independent reference: a fresh LtRtEncoder over the whole surround file in one block, times the trim. */
    static float[][] encode(AudioClip surround, double trimDb) {
        LtRtEncoder e = new LtRtEncoder(SpeakerLayout.of(surround.format().layout()));
        int n = (int) surround.frames();
        e.prepare(surround.format(), n);
        AudioBuffer in = new AudioBuffer(surround.format().channels(), n);
        for (int c = 0; c < surround.format().channels(); c++) {
            System.arraycopy(surround.channel(c), 0, in.channel(c), 0, n);
        }
        in.setFrames(n);
        AudioBuffer out = new AudioBuffer(2, n);
        e.process(in, out);
        float g = (float) Math.pow(10, trimDb / 20);
        float[][] y = new float[2][n];
        for (int c = 0; c < 2; c++) for (int i = 0; i < n; i++) y[c][i] = out.channel(c)[i] * g;
        return y;
    }

    static double reported(String text, String what) {
        Matcher m = Pattern.compile(what + " (-?[0-9.]+) dB").matcher(text);
        assertTrue(m.find(), text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void ltRtIsTheEncoderOverThePlacedMixWithItsPeaksReported() throws Exception {
        for (String layout : new String[] {"5.1", "7.1"}) {
            int n = 30011; // not a multiple of any block size
            Path[] s = stems(n, 0.3);
            Path mix = dir.resolve("mix-" + layout + ".wav");
            Path lt = dir.resolve("ltrt-" + layout + ".wav");
            CliRun r = CliRun.of("place", s[0].toString(), s[1].toString(), s[2].toString(), "--preset",
                    preset().toString(), "--layout", layout, "--bits", "float", "-q", "-o", mix.toString(),
                    "--ltrt", lt.toString(), "--ltrt-trim", "-2.5dB");
            assertEquals(0, r.code(), r.err());
            AudioClip surround = AudioFiles.readAll(mix);
            assertEquals(layout.equals("5.1") ? 6 : 8, surround.format().channels());
            AudioClip y = AudioFiles.readAll(lt);
            assertEquals(2, y.format().channels());
            assertEquals(surround.frames(), y.frames());
            float[][] want = encode(surround, -2.5);
            // float output: the same encoder and the same float trim give the same bits whatever the block split
            for (int c = 0; c < 2; c++) assertArrayEquals(want[c], y.channel(c), layout + " channel " + c);
            // the report: sample peak of the file, true peak on the BS.1770 meter, both after the trim (0.01 dB)
            double peak = 0;
            for (int c = 0; c < 2; c++) for (float v : want[c]) peak = Math.max(peak, Math.abs(v));
            TruePeakMeter tp = new TruePeakMeter(2, want[0].length);
            tp.process(want, 0, want[0].length);
            assertEquals(20 * Math.log10(peak), reported(r.out(), "sample peak"), 0.01, r.out());
            assertEquals(20 * Math.log10(tp.peak()), reported(r.out(), "true peak"), 0.01, r.out());
            assertTrue(r.out().contains("trim -2.5 dB"), r.out());
            assertFalse(r.err().contains("warning"), "well under -1 dBTP: " + r.err());
        }
    }

    @Test
    void theMatrixPutsTheCentreInBothAndTheRearInTheDifference() throws Exception {
        // a check of the wiring against the matrix itself: the centred voice alone reaches Lt and Rt equally (0.7071,
        // through the same all-pass), the rear pad alone reaches them with opposite signs of equal level
        int n = 48000;
        Path[] s = stems(n, 0.3);
        Path mixC = dir.resolve("c.wav");
        Path ltC = dir.resolve("c-ltrt.wav");
        assertEquals(0, CliRun.of("place", s[0].toString(), "--preset", preset().toString(), "--layout", "5.1",
                "--bits", "float", "-q", "-o", mixC.toString(), "--ltrt", ltC.toString()).code());
        AudioClip c = AudioFiles.readAll(ltC);
        assertArrayEquals(c.channel(0), c.channel(1), "a centred source is the same in Lt and Rt");
        double rmsIn = 0.3 / Math.sqrt(2);
        assertEquals(20 * Math.log10(Math.sqrt(0.5) * rmsIn), 20 * Math.log10(rms(c.channel(0), n / 2, n)), 0.05);

        Path mixS = dir.resolve("s.wav");
        Path ltS = dir.resolve("s-ltrt.wav");
        assertEquals(0, CliRun.of("place", s[2].toString(), "--preset", preset().toString(), "--layout", "5.1",
                "--bits", "float", "-q", "-o", mixS.toString(), "--ltrt", ltS.toString()).code());
        AudioClip a = AudioFiles.readAll(ltS);
        double sum = 0;
        for (int i = n / 2; i < n; i++) sum += Math.abs(a.channel(0)[i] + a.channel(1)[i]);
        assertTrue(sum / (n / 2) < 1e-6, "the surround cancels in Lt+Rt: " + sum / (n / 2));
        assertEquals(rms(a.channel(0), n / 2, n), rms(a.channel(1), n / 2, n), 1e-4);
    }

    static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += (double) x[i] * x[i];
        return Math.sqrt(s / (to - from));
    }

    @Test
    void aLoudEncodeWarnsEvenQuietAndNamesTheTrim() throws Exception {
        Path[] s = stems(24000, 0.9);
        Path mix = dir.resolve("loud.wav");
        Path lt = dir.resolve("loud-ltrt.wav");
        CliRun r = CliRun.of("place", s[0].toString(), s[1].toString(), s[2].toString(), "--preset",
                preset().toString(), "--layout", "5.1", "--bits", "float", "-q", "-o", mix.toString(), "--ltrt",
                lt.toString());
        assertEquals(0, r.code(), r.err());
        double tp = reported(r.out(), "true peak");
        assertTrue(tp > -1, r.out());
        String want = String.format(Locale.ROOT, "--ltrt-trim %.1fdB", -1 - tp);
        assertTrue(r.err().contains("warning") && r.err().contains(want), want + " in: " + r.err());
    }

    @Test
    void stereoAndBadOptionsAreRefusedBeforeAnyWork() throws Exception {
        Path[] s = stems(4800, 0.3);
        Path mix = dir.resolve("st.wav");
        Path lt = dir.resolve("st-ltrt.wav");
        CliRun r = CliRun.of("place", s[0].toString(), "--preset", preset().toString(), "--layout", "stereo", "-q",
                "-o", mix.toString(), "--ltrt", lt.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("--ltrt") && r.err().contains("5.1 or 7.1") && r.err().contains("stereo"), r.err());
        assertFalse(Files.exists(mix), "refused before placing");
        assertFalse(Files.exists(lt));

        r = CliRun.of("place", s[0].toString(), "--preset", preset().toString(), "--layout", "5.1", "-q",
                "-o", mix.toString(), "--ltrt", mix.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("same file"), r.err());
        assertFalse(Files.exists(mix));

        r = CliRun.of("place", s[0].toString(), "--preset", preset().toString(), "--layout", "5.1", "-q",
                "-o", mix.toString(), "--ltrt", lt.toString(), "--ltrt-trim", "+3dB");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("-24..0"), r.err());
        r = CliRun.of("place", s[0].toString(), "--preset", preset().toString(), "--layout", "5.1", "-q",
                "-o", mix.toString(), "--ltrt", lt.toString(), "--ltrt-trim", "loud");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("--ltrt-trim"), r.err());
        assertFalse(Files.exists(mix));
        assertFalse(Files.exists(lt));

        // an Lt/Rt path that is one of the stems: the stem stays as it was, and no Lt/Rt file takes its place
        byte[] before = Files.readAllBytes(s[0]);
        r = CliRun.of("place", s[0].toString(), "--preset", preset().toString(), "--layout", "5.1", "-q",
                "-o", mix.toString(), "--ltrt", s[0].toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("vocals.wav"), r.err());
        assertArrayEquals(before, Files.readAllBytes(s[0]));
    }
}
