package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.stemroom.workstation.CompileLogJvm;

/**
 * {@link RenderEngine#loadSecondImplementations} and {@link AsyncTaps}: in a fresh JVM with the render's JIT options
 * and {@code -Xbatch}, the C2 code of the wait for a free buffer ({@code takeFree}, which asks the worker's
 * {@code Future} whether it is done when its wait times out) is thrown away ("made not entrant") when a second
 * {@code Future} class ({@code ForkJoinTask}, which {@code Arrays.sort}'s parallel sorter brings in a render's last
 * seconds) is first loaded after it was compiled, and is not when the render's start loaded it first.
 */
class TakeFreeFutureTest {
    private static final Pattern TAKE_FREE_C2 = Pattern.compile(
            "(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+org\\.stemroom\\.workstation\\.render\\.AsyncTaps::takeFree\\b");
    private static final Pattern TAKE_FREE_C2_UNDONE = Pattern.compile(
            "(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+org\\.stemroom\\.workstation\\.render\\.AsyncTaps::takeFree\\b"
                    + ".*made not entrant");

    /**
     * Entry point of the fresh JVM below: {@link RenderEngine#loadSecondImplementations} if {@code args[0]} is
     * "early"; then 8,000 one-frame blocks through the taps, whose worker stalls twice for longer than the writer's
     * wait (so the profiled code has asked the worker whether it is done); then a second {@code Future} class loaded,
     * as the report's sort loads it.
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("early")) RenderEngine.loadSecondImplementations();
        int[] seen = new int[1];
        double[] sum = new double[1];
        AlignedWriter.Tap tap = (data, off, n) -> {
            if (++seen[0] == 1_000 || seen[0] == 2_000) sleep();
            sum[0] += data[0][off];
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AsyncTaps taps = new AsyncTaps("the test stream", List.of(tap), 1, 1, pool);
            float[][] block = {{0.5f}};
            for (int k = 0; k < 8_000; k++) taps.add(block, 0, 1);
            taps.finish();
        } finally {
            pool.shutdown();
        }
        System.out.println("second future " + java.util.concurrent.ForkJoinTask.class.getSimpleName() + " " + seen[0]
                + " " + sum[0]);
    }

    private static void sleep() {
        try {
            Thread.sleep(150);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void loadingTheSecondFutureFirstSparesTheWaitsC2Code() throws Exception {
        String late = CompileLogJvm.run(getClass(), List.of(), "late");
        String early = CompileLogJvm.run(getClass(), List.of(), "early");
        assertTrue(TAKE_FREE_C2.matcher(late).find(), "C2 never compiled takeFree: " + late);
        assertTrue(TAKE_FREE_C2_UNDONE.matcher(late).find(), "no C2 code thrown away without the early load either: "
                + late);
        assertTrue(TAKE_FREE_C2.matcher(early).find(), "C2 never compiled takeFree: " + early);
        assertFalse(TAKE_FREE_C2_UNDONE.matcher(early).find(), "takeFree's C2 code thrown away: " + early);
        assertEquals("second future ForkJoinTask 8000 4000.0", CompileLogJvm.lastLine(early));
        assertEquals(CompileLogJvm.lastLine(late), CompileLogJvm.lastLine(early));
    }
}
