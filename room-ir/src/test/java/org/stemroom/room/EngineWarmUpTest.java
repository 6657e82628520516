package org.stemroom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineWarmUp}: it runs through (its calls' arguments fit the loops' contracts; an exception would end its
 * daemon thread unseen in a real job), and under the launcher's JIT settings for a long convolve, and for a render,
 * it gets every loop the job runs compiled by C2, which is its purpose. The second runs a fresh JVM with those settings and
 * {@code -Xbatch} (each compile finishes before the call that asked for it returns, so the outcome does not depend
 * on the machine's speed) and reads {@code -XX:+PrintCompilation}.
 */
class EngineWarmUpTest {

    /** The loops a convolve job runs; addScaled only when it mixes the dry signal in. */
    private static final Set<String> JOB_LOOPS = Set.of("sumDifference", "rotate", "transpose4", "deinterleave",
            "reversed", "splitRe", "splitIm", "deinterleaveRing", "multiply", "multiplyAdd", "mergeRe", "mergeIm",
            "interleaveAddRing", "clear", "scale");

    /** The loops a render's room runs: a convolve's but the wet mix's scale (and the dry mix's addScaled). */
    private static final Set<String> RENDER_LOOPS = Set.of("sumDifference", "rotate", "transpose4", "deinterleave",
            "reversed", "splitRe", "splitIm", "deinterleaveRing", "multiply", "multiplyAdd", "mergeRe", "mergeIm",
            "interleaveAddRing", "clear");

    /** The JIT options of the launcher's convolve branch for a WAV of 20 s or more (see ./stemroom). */
    private static final List<String> CONVOLVE_JIT = List.of("-XX:Tier4InvocationThreshold=10000",
            "-XX:Tier4MinInvocationThreshold=10000", "-XX:Tier4CompileThreshold=2000000000",
            "-XX:Tier4BackEdgeThreshold=2000000000", "-XX:Tier3InvokeNotifyFreqLog=25", "-XX:Tier3BackedgeNotifyFreqLog=25",
            "-XX:Tier2InvokeNotifyFreqLog=25", "-XX:Tier2BackedgeNotifyFreqLog=25", "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=dontinline,org.stemroom.room.EngineLoops::*",
            "-XX:CompileCommand=CompileThresholdScaling,org.stemroom.room.EngineLoops::*,0.0002",
            "-XX:Tier23InlineeNotifyFreqLog=25", "-XX:Tier0InvokeNotifyFreqLog=10", "-XX:Tier0BackedgeNotifyFreqLog=13");

    /** The JIT options of the launcher's render branch that bear on the engine's loops (full tiered compilation). */
    private static final List<String> RENDER_JIT = List.of("-XX:Tier3MinInvocationThreshold=10",
            "-XX:Tier4MinInvocationThreshold=10", "-XX:CICompilerCount=3", "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=dontinline,org.stemroom.room.EngineLoops::*",
            "-XX:CompileCommand=CompileThresholdScaling,org.stemroom.room.EngineLoops::*,0.0002");

    @Test
    void runsThroughWithAndWithoutTheWetAndDryMixes() throws InterruptedException {
        new EngineWarmUp(true, false).run();
        new EngineWarmUp(true, true).run();
        new EngineWarmUp(false, false).run();
        Thread t = new Thread(new EngineWarmUp(true, true));
        Throwable[] failed = new Throwable[1];
        t.setUncaughtExceptionHandler((th, e) -> failed[0] = e);
        t.start();
        t.join();
        assertEquals(null, failed[0]);
    }

    @Test
    void requestedOnlyByTheProperty() {
        String before = System.getProperty(EngineWarmUp.PROPERTY);
        try {
            System.clearProperty(EngineWarmUp.PROPERTY);
            assertTrue(!EngineWarmUp.requested());
            System.setProperty(EngineWarmUp.PROPERTY, "true");
            assertTrue(EngineWarmUp.requested());
        } finally {
            if (before == null) System.clearProperty(EngineWarmUp.PROPERTY);
            else System.setProperty(EngineWarmUp.PROPERTY, before);
        }
    }

    /** Entry point of the fresh JVM below: the warm-up alone, on this thread. */
    public static void main(String[] args) {
        new EngineWarmUp(Boolean.parseBoolean(args[0]), Boolean.parseBoolean(args[1])).run();
    }

    @Test
    void getsEveryLoopOfTheJobCompiledByC2UnderTheLaunchersSettings() throws IOException, InterruptedException {
        assertEquals(JOB_LOOPS, c2Compiled(CONVOLVE_JIT, true, false));
        Set<String> withDry = new TreeSet<>(JOB_LOOPS);
        withDry.add("addScaled");
        assertEquals(withDry, c2Compiled(CONVOLVE_JIT, true, true));
    }

    /**
     * The render's warm-up (no wet or dry mix) under the render's full tiered compilation with the launcher's scaled
     * thresholds for the engine's loops: every loop a render's room runs is compiled by C2, and the mixes' loops are
     * not (a render never runs them).
     */
    @Test
    void getsEveryLoopOfARendersRoomCompiledByC2UnderTheRenderSettings() throws IOException, InterruptedException {
        assertEquals(RENDER_LOOPS, c2Compiled(RENDER_JIT, false, false));
    }

    /** The EngineLoops methods compiled at level 4 in a fresh JVM with {@code jit} that runs only the warm-up. */
    private static Set<String> c2Compiled(List<String> jit, boolean wetMix, boolean dryMix)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xbatch", "-XX:+UseSerialGC", "-XX:+PrintCompilation"));
        cmd.addAll(jit);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), EngineWarmUpTest.class.getName(),
                Boolean.toString(wetMix), Boolean.toString(dryMix)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        // PrintCompilation: "<time> <id> <flags> <level> org.stemroom.room.EngineLoops::<name> (<n> bytes)"
        Matcher m = Pattern.compile("(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*?\\s4\\s+org\\.stemroom\\.room\\.EngineLoops::(\\w+) ")
                .matcher(out);
        Set<String> compiled = new TreeSet<>();
        while (m.find()) compiled.add(m.group(1));
        return compiled;
    }
}
