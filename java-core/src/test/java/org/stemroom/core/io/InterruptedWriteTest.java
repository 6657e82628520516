package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;

/**
 * A render killed in the middle (SIGTERM, as from Ctrl-C or a job scheduler) leaves neither a partial output nor
 * a temporary file: the JVM's shutdown hook removes the temporary files of uncommitted writers.
 */
class InterruptedWriteTest {
    @TempDir
    Path dir;

    /** The child process: starts a render, says so, and keeps writing until killed. */
    public static final class Render {
        public static void main(String[] args) throws Exception {
            AudioFileWriter w = AudioFileWriter.create(Path.of(args[0]), AudioFormat.of(48000, 2), SampleFormat.PCM_24);
            AudioBuffer b = new AudioBuffer(2, 4800);
            w.write(b);
            System.out.println("writing");
            System.out.flush();
            while (true) {
                w.write(b);
                Thread.sleep(10);
            }
        }
    }

    @Test
    void killedRenderLeavesNothing() throws Exception {
        Path target = dir.resolve("render.wav");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Render.class.getName(),
                target.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            assertEquals("writing", out.readLine());
            List<String> during = list();
            assertEquals(1, during.size(), "one temporary file while writing: " + during);
            assertTrue(during.get(0).startsWith(".render.wav.") && during.get(0).endsWith(".part"), during.get(0));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(), list(), "files left after the render was killed");
    }

    private List<String> list() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).collect(Collectors.toList());
        }
    }
}
