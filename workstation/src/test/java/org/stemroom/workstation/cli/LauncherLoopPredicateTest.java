package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher (./stemroom) runs render, batch and demo without C2's profiled loop predicates
 * ({@code -XX:-UseProfiledLoopPredicate}): C2 hoists the range check of an array read that runs on a branch inside a
 * loop to the loop's entry when the profile says the branch is taken often, and a later call whose loop runs past
 * that array (the branch not taken there) fails the hoisted check: the compiled code is thrown away and compiled
 * again (a "profile_predicate" trap; in a render the separation's `HpssStep.maskFrame`,
 * `BassPartialsStep.noteBackgrounds` and `.cap`, `KickTemplate.excess`, and the report's `PngEncoder.filter`).
 *
 * <p>Checked in a fresh JVM with the JIT options the launcher gives a render (read from a stand-in {@code java}),
 * {@code -Xbatch}, on such a loop: its C2 code stays after the call that changes the loop's range, and with the
 * same options less that one it is compiled again (so the probe says something about the option).
 */
class LauncherLoopPredicateTest {
    private static final String OFF = "-XX:-UseProfiledLoopPredicate";

    @TempDir
    Path tmp;

    private LauncherStandIn launcher;

    /** The probe: a loop that reads {@code k[b]} only while {@code b < klen}. */
    static float kernel(float[] a, float[] k, int klen, int n) {
        float s = 0;
        for (int b = 0; b < n; b++) {
            s += a[b];
            if (b < klen) s += k[b];
        }
        return s;
    }

    /** Entry point of the fresh JVM: the loop compiled over k's length, then run past it. */
    public static void main(String[] args) {
        float[] a = new float[4096], k = new float[2048];
        for (int i = 0; i < a.length; i++) a[i] = i % 7;
        for (int i = 0; i < k.length; i++) k[i] = i % 5;
        float t = 0;
        // the branch is taken in all but the last 16 turns: both its sides are compiled, and the hoisted check
        // (the loop's last index within k) holds
        for (int r = 0; r < 20000; r++) t += kernel(a, k, k.length - 16, k.length);
        System.out.println("probe: range changes");
        // the same branch pattern, but the loop now runs past k (the branch not taken there): the hoisted check fails
        for (int r = 0; r < 20000; r++) t += kernel(a, k, k.length, a.length);
        System.out.println("probe: done " + t);
    }

    @Test
    void renderBatchAndDemoRunWithoutProfiledLoopPredicates() throws Exception {
        List<String> render = launcherOptions("render", tmp.resolve("missing.wav").toString());
        assertTrue(render.contains(OFF), "render: " + render);
        assertTrue(launcherOptions("batch", tmp.resolve("jobs.csv").toString()).contains(OFF), "batch");
        assertTrue(launcherOptions("demo").contains(OFF), "demo");
        assertFalse(launcherOptions("separate", tmp.resolve("missing.wav").toString()).contains(OFF),
                "separate keeps the JVM's defaults");
        // and no partial peeling (C2 time, measured in docs/render-speed-history.md, session 22); what it does to
        // the code is not observable from outside the compiler's own logs, so its presence is what is checked
        assertTrue(render.contains("-XX:-PartialPeelLoop"), "render: " + render);

        List<String> jit = new ArrayList<>();
        for (String o : render) if (o.startsWith("-XX:") || o.startsWith("-Xmx")) jit.add(o);
        Pattern recompiled = Pattern.compile("\\s4\\s+" + Pattern.quote(getClass().getName()) + "::kernel \\(\\d+ bytes\\)\\s+made not entrant");
        String with = probe(jit);
        assertFalse(recompiled.matcher(after(with)).find(), "the launcher's options: C2's code was thrown away:\n" + with);
        List<String> without = new ArrayList<>(jit);
        without.remove(OFF);
        String other = probe(without);
        assertTrue(recompiled.matcher(after(other)).find(), "without the option the probe shows no trap:\n" + other);
    }

    private static String after(String log) {
        int i = log.indexOf("probe: range changes");
        assertTrue(i >= 0 && log.contains("probe: done"), log);
        return log.substring(i);
    }

    private String probe(List<String> options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xbatch", "-XX:+PrintCompilation"));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), getClass().getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** The options the launcher gives java for this command line (a stand-in java records them). */
    private List<String> launcherOptions(String... commandLine) throws Exception {
        if (launcher == null) launcher = new LauncherStandIn(tmp);
        List<String> got = launcher.run(commandLine);
        int jar = got.indexOf("-jar");
        return jar >= 0 ? got.subList(0, jar) : got;
    }
}
