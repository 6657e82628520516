package org.stemroom.core;

/**
 * Receives progress of long work. Implementations must be cheap and thread-safe; the command line draws a bar,
 * the plugin and tests ignore it.
 */
public interface Progress {
    Progress NONE = new Progress() {
        @Override public void begin(String task, long totalUnits) { }
        @Override public void advance(long units) { }
        @Override public void done() { }
    };

    /** Starts a task of {@code totalUnits} (frames, files, ...); {@code totalUnits <= 0} when unknown. */
    void begin(String task, long totalUnits);

    /** Reports that {@code units} more units are finished. */
    void advance(long units);

    /** Ends the current task. */
    void done();
}
