package org.stemroom.workstation.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.stemroom.workstation.CompileLogJvm;

/**
 * The launcher's entry for the limiter's per-stretch step ({@code ./stemroom}, render, batch and demo:
 * {@code CompileThresholdScaling} of {@link TruePeakLimiter}'s {@code detectSegment}) keeps that step out of C2 for
 * a minute of 5.1, where C2 had compiled it whole at its 5,000th call with all its loops inlined again (the bench
 * render's costliest compile): a fresh JVM with the render's JIT options and the entry, {@code -Xbatch} (each compile
 * done before the call that asked for it goes on), limiting a minute's worth of 5.1 stretches, compiles the step
 * with C2 (level 4) neither whole nor on-stack; the same JVM without the entry does (so the check says something).
 * Both limit to the same bits.
 */
class LimiterLauncherCompileTest {
    private static final Pattern C2_COMPILE = Pattern.compile(
            "(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+org\\.stemroom\\.workstation\\.master\\.TruePeakLimiter::detectSegment\\b");

    /**
     * Entry point of the fresh JVM below: eight passes of {@link TruePeakLimiterBoundTest#material} (8 s of 5.1:
     * 9,000 stretches a pass, a minute's worth in all) through a fresh limiter each, in 4096-frame blocks; prints a
     * checksum of the outputs' bits.
     */
    public static void main(String[] args) {
        float[][] x = TruePeakLimiterBoundTest.material(1);
        long sum = 0;
        for (int pass = 0; pass < 8; pass++) {
            sum = TruePeakLimiterBoundTest.limitInBlocks(TruePeakLimiterBoundTest.limiter(false), x, sum);
        }
        System.out.println("limited " + Long.toHexString(sum));
    }

    @Test
    void theLaunchersEntryKeepsTheStretchStepOutOfC2ForAMinuteOfSurround() throws Exception {
        Matcher m = Pattern.compile("-XX:CompileCommand=CompileThresholdScaling,"
                        + "org\\.stemroom\\.workstation\\.master\\.TruePeakLimiter::detectSegment,[0-9.]+")
                .matcher(Files.readString(Path.of("..", "stemroom")));
        assertTrue(m.find(), "the launcher has no entry for the limiter's detectSegment");
        String with = limit(List.of(m.group()));
        String without = limit(List.of());
        assertFalse(C2_COMPILE.matcher(with).find(), "C2 compiled detectSegment with the entry: " + with);
        assertTrue(C2_COMPILE.matcher(without).find(), "no C2 compile of detectSegment without the entry either: "
                + without);
        assertEquals(CompileLogJvm.lastLine(without), CompileLogJvm.lastLine(with));
        assertTrue(CompileLogJvm.lastLine(with).startsWith("limited "), with);
    }

    /** The output (the compile log, then the checksum line) of a fresh JVM running {@link #main}. */
    private String limit(List<String> entries) throws IOException, InterruptedException {
        return CompileLogJvm.run(getClass(), entries);
    }
}
