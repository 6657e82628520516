package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher (./stemroom) gives `render` a young generation of a fixed 32 MB ({@code -Xmn32m}): its eden is filled
 * and collected again and again on the same pages, instead of a young generation of a third of the initial heap
 * (121 MB on the 24 GB machine of the bench) whose eden a one-minute render fills about once, so that nearly every
 * page it allocates in is one the process touches for the first time. On this VM a fresh page costs the kernel's
 * clearing and the host's backing (freed memory is handed back to the host), which the render paid as system time.
 *
 * <p>Checked in a fresh JVM with the collector and heap options the launcher gives a render (read from a stand-in
 * {@code java}) and an initial heap of 768 MB, so that the default young generation does not depend on the test
 * machine's memory: 400 MB of short-lived arrays make the process's resident memory grow by well under 64 MB, and
 * with the same options less {@code -Xmn32m} by more than 128 MB (so the probe says something about the option).
 */
class LauncherYoungGenTest {
    private static final String YOUNG = "-Xmn32m";
    private static final Pattern RSS = Pattern.compile("probe: rss grew (\\d+) kB");

    @TempDir
    Path tmp;

    private LauncherStandIn launcher;

    /** Entry point of the fresh JVM: 400 MB of 64 KiB arrays, 16 of them alive at a time; prints the RSS growth. */
    public static void main(String[] args) throws Exception {
        long before = rssKb();
        float[][] ring = new float[16][];
        float sum = 0;
        for (int i = 0; i < 400 * 16; i++) {
            float[] a = new float[16 * 1024];
            a[i & 1023] = i;
            ring[i & 15] = a;
            sum += ring[(i + 1) & 15] == null ? 0 : ring[(i + 1) & 15][0];
        }
        System.out.println("probe: rss grew " + (rssKb() - before) + " kB (" + sum + ")");
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void renderRunsOnASmallYoungGenerationThatItReuses() throws Exception {
        List<String> render = launcherOptions("render", tmp.resolve("missing.wav").toString());
        assertTrue(render.contains(YOUNG), "render: " + render);
        assertFalse(launcherOptions("separate", tmp.resolve("missing.wav").toString()).contains(YOUNG),
                "separate keeps the JVM's defaults");
        assertFalse(launcherOptions("batch", tmp.resolve("jobs.csv").toString()).contains(YOUNG),
                "batch (several renders at once) keeps the default young generation: not measured");

        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc/self/status here");
        List<String> heap = new ArrayList<>();
        for (String o : render) {
            if (o.startsWith("-Xm") || o.equals("-XX:+UseParallelGC") || o.equals("-XX:+UseTransparentHugePages")) {
                heap.add(o);
            }
        }
        heap.add("-Xms768m");
        long with = probe(heap);
        assertTrue(with < 64 * 1024, "the launcher's options: the resident memory grew by " + with + " kB");
        List<String> without = new ArrayList<>(heap);
        without.remove(YOUNG);
        long other = probe(without);
        assertTrue(other > 128 * 1024, "without " + YOUNG + " the resident memory grew by only " + other + " kB");
    }

    private long probe(List<String> options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), getClass().getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Matcher m = RSS.matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    /** The options the launcher gives java for this command line (a stand-in java records them). */
    private List<String> launcherOptions(String... commandLine) throws Exception {
        if (launcher == null) launcher = new LauncherStandIn(tmp);
        List<String> got = launcher.run(commandLine);
        int jar = got.indexOf("-jar");
        return jar >= 0 ? got.subList(0, jar) : got;
    }
}
