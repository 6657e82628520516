package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher (./stemroom) copied into a scratch root beside an empty jar (so it builds nothing) and run as users run
 * it, with a stand-in `java` first on the PATH that records the arguments it was given: what the launcher hands the
 * JVM for a command line, without starting one.
 */
final class LauncherStandIn {
    private final Path root;
    private final Path bin;
    private final Path args;

    LauncherStandIn(Path tmp) throws IOException {
        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("workstation/target"));
        Files.copy(Path.of("..", "stemroom"), root.resolve("stemroom"));
        Files.createFile(root.resolve("workstation/target/stemroom.jar"));
        bin = Files.createDirectories(tmp.resolve("bin"));
        args = tmp.resolve("args.txt");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/bash\nprintf '%s\\n' \"$@\" > '" + args + "'\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The scratch root the launcher runs from. */
    Path root() {
        return root;
    }

    /** Every argument the launcher gave `java` for this command line, in order (the JVM's options before -jar). */
    List<String> run(String... commandLine) throws Exception {
        Files.deleteIfExists(args);
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("stemroom").toString()));
        cmd.addAll(List.of(commandLine));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("STEMROOM_JAVA_OPTS");
        pb.environment().put("PATH", bin + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(Files.exists(args), "the stand-in java was not run: " + out);
        return Files.readAllLines(args);
    }
}
