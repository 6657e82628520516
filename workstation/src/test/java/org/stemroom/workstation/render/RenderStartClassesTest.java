package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.workstation.report.AudioThumbnail;
import org.stemroom.workstation.report.SpectrogramRows;

/**
 * What the render's main thread does before separation's first window loads none of the JDK's costly set-ups it
 * does not need there: the staging folder ({@link OutputFolder}) without SecureRandom, the stages' laps
 * ({@link RenderEngine.Stopwatch}) without the management beans' operating-system bean, the input's picture
 * ({@link AudioThumbnail.Builder} with {@link SpectrogramRows#bins}) without java.awt. A fresh JVM's class-load log
 * tells; the same JVM doing the former calls (Files.createTempDirectory, a stopwatch of process CPU, the bins through
 * the report's Plots) loads each, so the log would show them.
 */
class RenderStartClassesTest {
    private static final List<String> COSTLY = List.of("java.security.SecureRandom", "sun.management.BaseOperatingSystemImpl",
            "java.awt.Color");

    /** Entry point of the fresh JVM: in folder {@code args[0]}, the render's start ("render") or the former calls. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean render = args[1].equals("render");
        if (render) {
            try (OutputFolder out = new OutputFolder(dir, List.of())) {
                Files.writeString(out.staged("x.txt"), "x");
                out.publish("x.txt");
            }
        } else {
            Files.createTempDirectory(dir, ".x-");
        }
        RenderEngine.Stopwatch clock = new RenderEngine.Stopwatch(!render);
        clock.lap("start");
        // the bins came from the report's Plots, whose colours start java.awt when the class is initialised
        if (!render) Class.forName("org.stemroom.workstation.report.Plots");
        int[] bins = SpectrogramRows.bins(48_000);
        new AudioThumbnail.Builder(720, 48_000, 48_000, 2, bins).add(new float[2][4096], 0, 4096);
        System.out.println("done " + clock.laps().get("start").length);
    }

    @Test
    void theRendersStartLoadsNeitherSecureRandomNorTheOperatingSystemBeanNorAwt(@TempDir Path dir) throws Exception {
        String start = run(dir.resolve("a"), "render");
        String former = run(dir.resolve("b"), "former");
        for (String c : COSTLY) {
            assertFalse(start.contains(" " + c + " "), c + " loaded by the render's start");
            assertTrue(former.contains(" " + c + " "), c + " not loaded by the former calls either: the log shows nothing");
        }
        assertTrue(Files.isRegularFile(dir.resolve("a").resolve("x.txt")), "the staged file published");
        try (var s = Files.list(dir.resolve("a"))) {
            assertEquals(List.of("x.txt"), s.map(p -> p.getFileName().toString()).toList(), "no staging folder left");
        }
    }

    /** The class-load log and the output of {@link #main} in a fresh JVM. */
    private String run(Path dir, String mode) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-Xlog:class+load=info:stdout", "-cp",
                System.getProperty("java.class.path"), getClass().getName(), dir.toString(), mode)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("\ndone 2\n"), out);
        return out;
    }
}
