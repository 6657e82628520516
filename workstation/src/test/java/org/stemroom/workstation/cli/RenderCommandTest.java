package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.workstation.render.RenderEngineTest;

class RenderCommandTest {
    @Test
    void fullPipelineRenderAndBitIdenticalReplay(@TempDir Path dir) throws Exception {
        Path in = RenderEngineTest.writeTone(dir, "master.wav", 2, 4.0, 0.7);
        long t0 = System.nanoTime();
        CliRun r = CliRun.of("render", in.toString(), "--preset", "surround-in-the-band", "--layout", "5.1",
                "--room", "live-room", "-o", dir.resolve("a").toString());
        System.out.printf("full render of 4 s stereo to 5.1 (default separator, live-room): %.1f s%n",
                (System.nanoTime() - t0) * 1e-9);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("report.html"), r.out());
        JsonNode m = new ObjectMapper().readTree(dir.resolve("a/render.json").toFile());
        // "default" is recorded as what it resolved to, so replays survive a change of the default separator
        assertEquals(org.stemroom.separation.Separators.DEFAULT, m.path("settings").path("separator").asText());
        assertEquals("live-room", m.path("settings").path("room").asText());
        assertEquals(4 * 2 + 2, m.path("outputs").size(), "4 stems, 4 placed stems, the room return, the mix");
        assertTrue(m.path("measurements").path("mix").path("truePeakDbtp").asDouble() <= -1.0);
        try (AudioFileReader rd = AudioFileReader.open(dir.resolve("a/mix-5.1.wav"))) {
            assertEquals(ChannelLayout.SURROUND_5_1, rd.format().layout());
            assertEquals(0x3F, rd.format().layout().waveMask());
        }

        CliRun again = CliRun.of("render", "--replay", dir.resolve("a/render.json").toString(), "-o",
                dir.resolve("b").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("bit-identical"), again.out());
        for (String f : new String[] {"mix-5.1.wav", "stems/vocals.wav", "stems-5.1/drums.wav", "stems-5.1/room.wav"}) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a").resolve(f)),
                    Files.readAllBytes(dir.resolve("b").resolve(f))), f);
        }

        // Replaying against a different input is refused, naming the file.
        Path other = RenderEngineTest.writeTone(dir, "other.wav", 2, 1.0, 0.2);
        CliRun bad = CliRun.of("render", other.toString(), "--replay", dir.resolve("a/render.json").toString(), "-o",
                dir.resolve("c").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("other.wav") && bad.err().contains("SHA-256"), bad.err());
    }

    @Test
    void badInputsGiveClearErrors(@TempDir Path dir) throws Exception {
        Path in = RenderEngineTest.writeTone(dir, "m.wav", 1, 0.5, 0.5);
        CliRun noFile = CliRun.of("render", dir.resolve("missing.wav").toString(), "-o", dir.resolve("o").toString());
        assertEquals(1, noFile.code());
        assertTrue(noFile.err().contains("missing.wav"), noFile.err());
        CliRun badLayout = CliRun.of("render", in.toString(), "--preset", "room-restoration", "--layout", "5.1",
                "-o", dir.resolve("o").toString());
        assertEquals(1, badLayout.code());
        assertTrue(badLayout.err().contains("no placement for layout '5.1'"), badLayout.err());
        CliRun badRoom = CliRun.of("render", in.toString(), "--room", "cathedral", "-o", dir.resolve("o").toString());
        assertEquals(1, badRoom.code());
        assertTrue(badRoom.err().contains("cathedral") && badRoom.err().contains("live-room"), badRoom.err());
        CliRun badSep = CliRun.of("render", in.toString(), "--separator", "magic", "-o", dir.resolve("o").toString());
        assertEquals(1, badSep.code());
        assertTrue(badSep.err().contains("magic") && badSep.err().contains("hpss"), badSep.err());
        CliRun intoInput = CliRun.of("render", in.toString(), "--room", "none", "-o", in.toString());
        assertEquals(1, intoInput.code());
        assertTrue(Files.size(in) > 1000, "the input is untouched");
    }
}
