package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import org.stemroom.core.Progress;

/** The command line's progress display: a bar on a terminal, nothing when stderr is redirected. */
final class CliProgress {
    private CliProgress() { }

    static Progress forTerminal(PrintWriter err) {
        // core-dsp's ProgressBar draws the bar; until it is on main, stay silent rather than write a second one.
        return Progress.NONE;
    }
}
