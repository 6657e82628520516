package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

class InfoCommandTest {
    @TempDir
    Path dir;

    /** 1 kHz stereo sine at -23 dBFS per channel: -23 LUFS by BS.1770's definition (EBU Tech 3341 case 1). */
    static AudioClip minus23(int seconds) {
        int fs = 48_000, n = fs * seconds;
        float[][] x = new float[2][n];
        double a = Math.pow(10, -23 / 20.0);
        for (int i = 0; i < n; i++) x[0][i] = x[1][i] = (float) (a * Math.sin(2 * Math.PI * 1000 * i / fs));
        return new AudioClip(AudioFormat.of(fs, 2), x);
    }

    @Test
    void reportsLoudnessOfAGeneratedMinus23LufsFile() throws Exception {
        Path wav = dir.resolve("tone.wav");
        AudioFiles.write(wav, minus23(10), SampleFormat.PCM_24);
        CliRun r = CliRun.of("info", wav.toString(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("-23.0 LUFS"), r.out());
        assertTrue(r.out().contains("stereo: L R"), r.out());
        assertTrue(r.out().contains("0:00:10.000"), r.out());
        assertTrue(r.out().contains("-23.0 dBFS"), r.out());
        assertTrue(r.out().contains("WAV"), r.out());
        assertEquals("", r.err());

        CliRun j = CliRun.of("info", wav.toString(), "--json");
        assertEquals(0, j.code(), j.err());
        JsonNode arr = new ObjectMapper().readTree(j.out());
        assertEquals(1, arr.size());
        JsonNode o = arr.get(0);
        assertEquals(-23.0, o.get("integratedLufs").asDouble(), 0.1);
        assertEquals(-23.0, o.get("samplePeakDbfs").asDouble(), 0.05);
        assertEquals(-23.0, o.get("truePeakDbtp").asDouble(), 0.05);
        assertEquals(0.0, o.get("loudnessRangeLu").asDouble(), 0.1);
        assertEquals(-23.0, o.get("maxMomentaryLufs").asDouble(), 0.1);
        assertEquals(-23.0, o.get("maxShortTermLufs").asDouble(), 0.1);
        assertEquals(48_000, o.get("sampleRate").asInt());
        assertEquals(480_000, o.get("frames").asLong());
        assertEquals("R", o.get("channelLabels").get(1).asText());
    }

    @Test
    void truncatedFileGivesOneLineErrorExitOneAndOtherFilesStillReport() throws Exception {
        Path good = dir.resolve("good.wav");
        AudioFiles.write(good, minus23(4), SampleFormat.PCM_16);
        Path bad = dir.resolve("cut.wav");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 2 + 1));
        Path missing = dir.resolve("nothing.wav");

        CliRun r = CliRun.of("info", bad.toString(), good.toString(), missing.toString(), "-q");
        assertEquals(1, r.code());
        String[] errLines = r.err().strip().split("\n");
        assertEquals(2, errLines.length, r.err());
        assertTrue(errLines[0].startsWith("stemroom: error: ") && errLines[0].contains("cut.wav"), r.err());
        assertTrue(errLines[1].contains("nothing.wav"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(r.out().contains("good.wav") && r.out().contains("-23.0 LUFS"), r.out());

        CliRun j = CliRun.of("info", "--json", bad.toString(), good.toString());
        assertEquals(1, j.code());
        JsonNode arr = new ObjectMapper().readTree(j.out());
        assertEquals(2, arr.size());
        assertTrue(arr.get(0).has("error"));
        assertEquals(-23.0, arr.get(1).get("integratedLufs").asDouble(), 0.1);
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, CliRun.of("info").code());
        assertEquals(0, CliRun.of("info", "--help").code());
    }
}
