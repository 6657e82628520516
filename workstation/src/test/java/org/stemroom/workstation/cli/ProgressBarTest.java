package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.stemroom.core.Progress;

class ProgressBarTest {

    @Test
    void drawsPercentRateAndEtaAtMostTenTimesASecond() {
        StringWriter sw = new StringWriter();
        AtomicLong now = new AtomicLong(0);
        ProgressBar bar = new ProgressBar(new PrintWriter(sw), now::get);
        bar.begin("song.wav", 1_000_000);
        // 1000 advances over 2 simulated seconds: at most 21 draws (one per 100 ms, plus the first)
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(2_000_000);
            bar.advance(500);
        }
        String s = sw.toString();
        long draws = s.chars().filter(c -> c == '\r').count();
        assertTrue(draws >= 19 && draws <= 21, "draws: " + draws);
        // the last draw is within 100 ms of the end (2 s, half done at 250k units/s): 46..50%, ETA 0:02
        String last = s.substring(s.lastIndexOf('\r') + 1);
        assertTrue(last.startsWith("song.wav ["), last);
        int pct = Integer.parseInt(last.replaceAll(".*\\]\\s+(\\d+)%.*", "$1"));
        assertTrue(pct >= 46 && pct <= 50, last);
        assertTrue(last.contains("250.0k/s"), last);
        assertTrue(last.contains("ETA 0:02"), last);
        bar.done();
        assertTrue(sw.toString().endsWith("\n"));
    }

    @Test
    void unknownTotalShowsCountAndRate() {
        ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), () -> 0);
        bar.begin("render", 0);
        String line = bar.render(1_500_000, 3_000_000_000L, false);
        assertEquals("render 1.5M  500.0k/s  0:03", line);
    }

    @Test
    void silentWhenQuietOrNotATerminal() {
        StringWriter sw = new StringWriter();
        assertEquals(Progress.NONE, ProgressBar.forTerminal(new PrintWriter(sw), true));
        // surefire runs without a console
        if (System.console() == null) assertEquals(Progress.NONE, ProgressBar.forTerminal(new PrintWriter(sw), false));
    }
}
