package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.stemroom.core.Progress;

/** The demo's progress line: one lane per render, each with its own task and fraction; throttled redraws. */
class ProgressLanesTest {
    @Test
    void showsEveryLaneAndRedrawsAtMostTenTimesASecond() {
        AtomicLong now = new AtomicLong(0);
        StringWriter sw = new StringWriter();
        ProgressLanes lanes = new ProgressLanes(new PrintWriter(sw), now::get);
        Progress stereo = lanes.lane("stereo");
        Progress surround = lanes.lane("5.1");
        assertEquals("stereo: waiting ... | 5.1: waiting ...  0:00", lanes.render());

        stereo.begin("separating", 1000);
        stereo.advance(250);
        surround.begin("writing the report", 0);
        now.set(7_000_000_000L);
        assertEquals("stereo: separating [###.......]  25% | 5.1: writing the report ...  0:07", lanes.render());
        surround.done();
        assertEquals("stereo: separating [###.......]  25% | 5.1: writing the report (done)  0:07", lanes.render());

        // Many advances within 100 ms draw once; the next one after 100 ms draws again.
        int before = sw.toString().split("\r", -1).length;
        for (int i = 0; i < 100; i++) stereo.advance(1);
        int mid = sw.toString().split("\r", -1).length;
        now.addAndGet(ProgressBar.REDRAW_NANOS);
        stereo.advance(1);
        int after = sw.toString().split("\r", -1).length;
        assertTrue(mid - before <= 1, "throttled: " + (mid - before) + " redraws");
        assertEquals(1, after - mid);

        lanes.finish();
        assertTrue(sw.toString().endsWith("\n"), "the line is ended");
        assertTrue(sw.toString().contains("stereo: separating [####......]  35%"), sw.toString());
    }
}
