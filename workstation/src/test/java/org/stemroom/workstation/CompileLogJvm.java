package org.stemroom.workstation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh JVM with the render's JIT options, {@code -Xbatch} (each compile done before the call that asked for it goes
 * on) and HotSpot's compile log, running a test's own {@code main}: what the tests of the render's compile-time
 * measures (a launcher entry, a warm-up, a class loaded early) read the compile log of.
 */
public final class CompileLogJvm {
    /** The render's global JIT options (./stemroom, render|batch|demo) that bear on when a method reaches C2. */
    public static final List<String> RENDER_JIT = List.of("-XX:Tier3MinInvocationThreshold=10",
            "-XX:Tier4MinInvocationThreshold=10", "-XX:CICompilerCount=3", "-XX:-UseProfiledLoopPredicate",
            "-XX:-PartialPeelLoop");

    private CompileLogJvm() {}

    /** The output (the compile log, then what {@code main} printed) of {@code main} run with {@code options} added. */
    public static String run(Class<?> main, List<String> options, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xbatch", "-XX:+UseSerialGC", "-XX:+PrintCompilation"));
        cmd.addAll(RENDER_JIT);
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** The output's last line (what {@code main} printed last). */
    public static String lastLine(String out) {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }
}
