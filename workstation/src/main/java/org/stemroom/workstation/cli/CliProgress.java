package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import org.stemroom.core.Progress;

/** Kept for commands written against it: the terminal {@link ProgressBar} (nothing when stderr is redirected). */
final class CliProgress {
    private CliProgress() { }

    static Progress forTerminal(PrintWriter err) {
        return ProgressBar.forTerminal(err, false);
    }
}
