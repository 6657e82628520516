package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.workstation.render.RenderEngineTest;

/** A render streams: a 4-minute input renders to 7.1 (368 MB as float) in a JVM with a 128 MB heap. */
class LongFileMemoryTest {
    @Test
    void fourMinutesRenderTo71InA128MegabyteHeap(@TempDir Path dir) throws Exception {
        Path in = RenderEngineTest.writeTone(dir, "long.wav", 1, 240.0, 0.5); // 46 MB of float samples
        Path out = dir.resolve("out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "-Djava.awt.headless=true", StemroomCli.class.getName(), "render", in.toString(), "--preset",
                "surround-audience", "--layout", "7.1", "--room", "none", "--separator", "none", "-q", "-o",
                out.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "finished");
        String log = Files.readString(dir.resolve("log.txt"));
        assertEquals(0, p.exitValue(), log);
        try (AudioFileReader r = AudioFileReader.open(out.resolve("mix-7.1.wav"))) {
            assertEquals(ChannelLayout.SURROUND_7_1, r.format().layout());
            assertEquals(0x63F, r.format().layout().waveMask());
            assertEquals(240L * 48_000, r.frames());
        }
    }
}
