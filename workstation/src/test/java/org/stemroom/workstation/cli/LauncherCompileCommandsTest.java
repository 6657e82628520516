package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.workstation.render.Sha256;

/**
 * Every class and method that the launcher (./stemroom) names in a {@code -XX:CompileCommand} exists: ours, and the
 * JDK's (the SHA-256 kernels, the file channel's write) in the JDK the tests run on. The JVM ignores an entry whose
 * method is gone without a word, so a rename (ours, or the JDK's in an update) would silently undo a measured JIT
 * setting.
 */
class LauncherCompileCommandsTest {
    /**
     * A named method of ours in an entry: {@code org.stemroom.pkg.Class::method} ({@code \$} for nested classes); a
     * package pattern such as {@code org.stemroom.*::*} names no class and does not match.
     */
    private static final Pattern ENTRY = Pattern.compile("(org\\.stemroom\\.[A-Za-z0-9_.\\\\$]+)::([A-Za-z0-9_*]+)");
    /** A named method of the JDK's: {@code sun.pkg.Class::method} (or java., jdk.). */
    private static final Pattern JDK_ENTRY = Pattern.compile("(?<![A-Za-z0-9_.$])((?:sun|java|jdk)\\.[A-Za-z0-9_.\\\\$]+)::([A-Za-z0-9_*]+)");
    /** The launcher's loop over methods of one package: {@code for m in A::b C::d; do} then {@code pkg.$m}. */
    private static final Pattern LOOP = Pattern.compile("^\\s*for m in ([^;]+); do\\s*$");
    private static final Pattern LOOP_BODY = Pattern.compile("(org\\.stemroom\\.[A-Za-z0-9_.]+)\\.\\$m\\b");

    @Test
    void everyClassAndMethodNamedInTheLaunchersCompileCommandsExists() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "stemroom"));
        List<String> named = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher loop = LOOP.matcher(line);
            if (loop.matches() && i + 1 < lines.size()) {
                Matcher body = LOOP_BODY.matcher(lines.get(i + 1));
                if (body.find() && lines.get(i + 1).contains("CompileCommand")) {
                    for (String m : loop.group(1).trim().split("\\s+")) named.add(body.group(1) + "." + m);
                }
            }
            if (!line.contains("CompileCommand")) continue;
            Matcher e = ENTRY.matcher(line);
            while (e.find()) named.add(e.group(1) + "::" + e.group(2));
            Matcher j = JDK_ENTRY.matcher(line);
            while (j.find()) named.add(j.group(1) + "::" + j.group(2));
        }
        // the launcher's render branch names 4 separation steps in its loop and the room engine's loops; fewer found
        // means this parser lost track of the launcher's form, not that the entries are right
        assertTrue(named.size() >= 10, "entries found: " + named);
        assertTrue(named.contains("org.stemroom.separation.modelfree.PanPrior::apply"), "loop entries: " + named);
        assertTrue(named.contains("sun.security.provider.SHA2::implCompress"), "JDK entries: " + named);
        for (String entry : named) {
            int sep = entry.indexOf("::");
            String cls = entry.substring(0, sep).replace("\\$", "$"), method = entry.substring(sep + 2);
            Class<?> c;
            try {
                c = Class.forName(cls, false, getClass().getClassLoader());
            } catch (ClassNotFoundException ex) {
                fail("./stemroom names " + entry + ": no class " + cls);
                return;
            }
            if (method.equals("*")) continue;
            assertFalse(Arrays.stream(c.getDeclaredMethods()).noneMatch(m -> m.getName().equals(method)),
                    "./stemroom names " + entry + ": " + cls + " has no method " + method);
        }
    }

    /** The render's global JIT options (./stemroom, render|batch|demo) that bear on when a method reaches C2. */
    private static final List<String> RENDER_JIT = List.of("-XX:Tier3MinInvocationThreshold=10",
            "-XX:Tier4MinInvocationThreshold=10", "-XX:CICompilerCount=3", "-XX:CompileCommand=quiet");

    /** Entry point of the fresh JVM below: the input's checksum as a render takes it. */
    public static void main(String[] args) throws IOException {
        System.out.println("sha256 " + Sha256.of(Path.of(args[0])));
    }

    /**
     * The launcher's SHA-256 entries have C2 compile the callers of the JDK's two SHA-256 kernels, where C2 puts the
     * CPU's SHA instructions (an intrinsic) in place of the kernels' calls: a fresh JVM with the render's options and
     * those entries, {@code -Xbatch} (each compile done before the call that asked for it goes on), hashing 16 MB
     * in 64 KiB reads as the render hashes its input, must compile the multi-block kernel's call as the intrinsic
     * (HotSpot's inlining log: "(intrinsic"). The same JVM without the entries does not within those 16 MB (so the
     * check says something about them), nor with the entries that named the kernels themselves (the launcher's
     * until session 19: a kernel compiled on its own is Java code, and its callers waited for C2's own thresholds).
     */
    @Test
    void theLaunchersSha256EntriesHaveC2HashOnTheShaInstructions(@TempDir Path dir) throws Exception {
        assumeTrue(Boolean.parseBoolean(java.lang.management.ManagementFactory.getPlatformMXBean(
                        com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("UseSHA").getValue()),
                "this JVM has no SHA intrinsics on this CPU (UseSHA false): nothing to check");
        List<String> entries = new ArrayList<>();
        Matcher m = Pattern.compile("-XX:CompileCommand=CompileThresholdScaling,sun\\.security\\.provider\\.[^\"\\s]+")
                .matcher(Files.readString(Path.of("..", "stemroom")));
        while (m.find()) entries.add(m.group());
        assertEquals(2, entries.size(), "the launcher's SHA-256 entries: " + entries);
        byte[] data = new byte[16 << 20];
        new java.util.Random(7).nextBytes(data);
        Path file = dir.resolve("data.bin");
        Files.write(file, data);
        String expected = "sha256 " + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(data));

        Pattern multiBlock = Pattern.compile("DigestBase::implCompressMultiBlock0 \\(\\d+ bytes\\)\\s+\\(intrinsic");
        String withEntries = hash(entries, file);
        assertTrue(withEntries.contains(expected), withEntries);
        assertTrue(multiBlock.matcher(withEntries).find(), "no C2 code of the multi-block kernel's call: " + withEntries);
        String without = hash(List.of(), file);
        assertTrue(without.contains(expected), without);
        assertFalse(multiBlock.matcher(without).find(), "the JVM's own thresholds already do it: " + without);
        String kernels = hash(List.of(
                "-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.DigestBase::implCompressMultiBlock0,0.01",
                "-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.SHA2::implCompress0,0.01"), file);
        assertFalse(multiBlock.matcher(kernels).find(), "the kernels named: " + kernels);
    }

    /** The output (compile and inlining logs, then the checksum line) of a fresh JVM hashing {@code file}. */
    private String hash(List<String> entries, Path file) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xbatch", "-XX:+UseSerialGC", "-XX:+UnlockDiagnosticVMOptions",
                "-XX:+PrintCompilation", "-XX:+PrintInlining"));
        cmd.addAll(RENDER_JIT);
        cmd.addAll(entries);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), getClass().getName(), file.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
