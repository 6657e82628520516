package org.stemroom.workstation.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.stemroom.workstation.CompileLogJvm;

/**
 * {@link TruePeakLimiter#warmUpGainComputer}: in a fresh JVM with the render's JIT options and {@code -Xbatch} (each
 * compile done before the call that asked for it goes on), limiting music whose first reduction comes seconds in,
 * after C2 has compiled the gain computer, makes C2 throw that code away (a trap at the first limited sample: "made
 * not entrant" in the compile log) without the warm-up, and not with it; the limited bits are the same either way.
 */
class LimiterWarmUpTest {
    /** C2's code of the gain computer (level 4, whole or on-stack) thrown away. */
    private static final Pattern C2_UNDONE = Pattern.compile(
            "(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+org\\.stemroom\\.workstation\\.master\\.TruePeakLimiter::gainPerSample\\b.*made not entrant");
    private static final Pattern C2_MADE = Pattern.compile(
            "(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+org\\.stemroom\\.workstation\\.master\\.TruePeakLimiter::gainPerSample\\b");

    /**
     * Entry point of the fresh JVM below: the warm-up if {@code args[0]} is "warm", then {@link
     * TruePeakLimiterBoundTest#material} (8 s of 5.1 rising from -16 dB: its first reduction seconds in) through a
     * fresh limiter in 4096-frame blocks; prints a checksum of the output's bits and the smallest gain.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args[0].equals("warm")) TruePeakLimiter.warmUpGainComputer();
        TruePeakLimiter lim = TruePeakLimiterBoundTest.limiter(false);
        long sum = TruePeakLimiterBoundTest.limitInBlocks(lim, TruePeakLimiterBoundTest.material(1), 0);
        System.out.println("limited " + Long.toHexString(sum) + " min gain " + lim.minGain());
    }

    @Test
    void theWarmUpSparesTheGainComputersC2CodeAtTheFirstReduction() throws Exception {
        String cold = limit("cold");
        String warm = limit("warm");
        assertTrue(C2_MADE.matcher(cold).find(), "C2 never compiled the gain computer: " + cold);
        assertTrue(C2_UNDONE.matcher(cold).find(), "no trap without the warm-up either (the check says nothing): "
                + cold);
        assertTrue(C2_MADE.matcher(warm).find(), "C2 never compiled the gain computer: " + warm);
        assertFalse(C2_UNDONE.matcher(warm).find(), "C2's code of the gain computer thrown away after the warm-up: "
                + warm);
        String limited = CompileLogJvm.lastLine(cold);
        assertTrue(limited.startsWith("limited ") && !limited.endsWith(" min gain 1.0"), limited);
        assertEquals(limited, CompileLogJvm.lastLine(warm));
    }

    /** The output (the compile log, then the checksum line) of a fresh JVM running {@link #main}. */
    private String limit(String mode) throws IOException, InterruptedException {
        return CompileLogJvm.run(getClass(), List.of(), mode);
    }
}
