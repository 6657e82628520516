package org.stemroom.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.dsp.AllocationMeter;

class BlockStageTimesTest {

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void eachStageGetsTheTimeSpentBeforeItsMarkAndTheBlockStartIsTheWallClock(@TempDir Path dir) throws Exception {
        BlockStageTimes t = new BlockStageTimes(List.of("a", "b", "c"), 16);
        long before = System.currentTimeMillis();
        t.begin();
        t.mark();
        spin(3_000_000); // 3 ms in stage b
        t.mark();
        t.mark();
        long total = System.currentTimeMillis() - before;
        Path f = dir.resolve("stages.txt");
        t.write(f);
        List<String> lines = Files.readAllLines(f);
        assertEquals("# index start_epoch_ms a_ms b_ms c_ms", lines.get(0));
        assertEquals(2, lines.size());
        String[] v = lines.get(1).split(" ");
        assertEquals("0", v[0]);
        // the start is within the millisecond-rounded offset of the wall clock read around it
        double start = Double.parseDouble(v[1]);
        assertTrue(start >= before - 2 && start <= before + total + 2, "start " + start + " vs " + before);
        double a = Double.parseDouble(v[2]), b = Double.parseDouble(v[3]), c = Double.parseDouble(v[4]);
        assertTrue(b >= 3.0 && b < 3.0 + total, "b " + b);
        assertTrue(a < 1 && c < 1, "a " + a + " c " + c);
    }

    @Test
    void marksOutsideABlockAndPastTheLastStageAreIgnored(@TempDir Path dir) throws Exception {
        BlockStageTimes t = new BlockStageTimes(List.of("a", "b"), 16);
        t.mark(); // a warm-up twin sharing the marked code: no block begun
        assertEquals(0, t.blocks());
        t.begin();
        t.mark();
        t.mark();
        t.mark(); // past the last stage
        assertEquals(1, t.blocks());
        Path f = dir.resolve("s.txt");
        t.write(f);
        assertEquals(2, Files.readAllLines(f).size());
    }

    @Test
    void clearForgetsTheWarmUpsBlocksAndAHalfMarkedOne(@TempDir Path dir) throws Exception {
        BlockStageTimes t = new BlockStageTimes(List.of("a", "b"), 16);
        for (int b = 0; b < 5; b++) {
            t.begin();
            t.mark();
            t.mark();
        }
        t.begin();
        t.mark(); // a block half marked when the warm-up ends
        t.clear();
        assertEquals(0, t.blocks());
        t.mark(); // outside a block again: ignored
        assertEquals(0, t.blocks());
        t.begin();
        spin(200_000);
        t.mark();
        t.mark();
        assertEquals(1, t.blocks());
        Path f = dir.resolve("s.txt");
        t.write(f);
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size(), "the header and the one block after the clear");
        String[] v = lines.get(1).split(" ");
        assertEquals("0", v[0]);
        assertTrue(Double.parseDouble(v[2]) >= 0.2, "its first stage took the 0.2 ms spun: " + v[2]);
    }

    @Test
    void theRingKeepsTheLastBlocksInOrder(@TempDir Path dir) throws Exception {
        BlockStageTimes t = new BlockStageTimes(List.of("only"), 4);
        for (int b = 0; b < 10; b++) {
            t.begin();
            t.mark();
        }
        Path f = dir.resolve("s.txt");
        t.write(f);
        List<String> lines = Files.readAllLines(f);
        assertEquals(5, lines.size());
        double previous = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] v = lines.get(i).split(" ");
            assertEquals(String.valueOf(5 + i), v[0]);
            double start = Double.parseDouble(v[1]);
            assertTrue(start >= previous, "starts in order");
            previous = start;
        }
    }

    @Test
    void timingABlockAllocatesNothing() {
        BlockStageTimes t = new BlockStageTimes(List.of("a", "b", "c", "d"), 1000);
        Runnable block = () -> {
            t.begin();
            t.mark();
            t.mark();
            t.mark();
            t.mark();
        };
        assertEquals(0, AllocationMeter.measure(block, 5000));
    }

    @Test
    void timesMadeDirectlyBelongToNoFile() {
        assertEquals(null, new BlockStageTimes(List.of("a"), 1).file());
    }

    @Test
    void refusesNoStagesOrNoCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new BlockStageTimes(List.of(), 4));
        assertThrows(IllegalArgumentException.class, () -> new BlockStageTimes(List.of("a"), 0));
    }
}
