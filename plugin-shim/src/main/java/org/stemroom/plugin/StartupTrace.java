package org.stemroom.plugin;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Start-up phases of the plugin (state restore, room, separator, chains, warm-up), printed to stderr with their
 * wall and thread-CPU milliseconds and the bytes the thread allocated (which decide how often start-up collects
 * garbage) when the environment variable {@code STEMROOM_TRACE} is set, as the shim's own start-up lines are. Control thread only: it prints, so it must never be used on the audio thread. Off (the
 * default), {@link #mark} is a field test and nothing is loaded.
 */
final class StartupTrace {
    static final boolean ON = System.getenv("STEMROOM_TRACE") != null;
    private static final ThreadMXBean THREADS = ON ? ManagementFactory.getThreadMXBean() : null;

    private long wall, cpu, bytes;

    /** Starts timing on the calling thread. */
    static StartupTrace start() {
        StartupTrace t = new StartupTrace();
        if (ON) t.restart();
        return t;
    }

    private void restart() {
        wall = System.nanoTime();
        cpu = THREADS.getCurrentThreadCpuTime();
        bytes = allocated();
    }

    /** Bytes this thread has allocated so far (HotSpot's extension of the MXBean; -1 elsewhere). */
    private static long allocated() {
        return THREADS instanceof com.sun.management.ThreadMXBean t ? t.getCurrentThreadAllocatedBytes() : -1;
    }

    /** Prints the time since the last mark (or the start) under {@code phase}, and starts the next phase. */
    void mark(String phase) {
        if (!ON) return;
        long w = System.nanoTime(), c = THREADS.getCurrentThreadCpuTime(), b = allocated();
        System.err.printf("stemroom: java %s: %.1f ms wall, %.1f ms CPU, %.1f MB allocated%n", phase, (w - wall) / 1e6,
                (c - cpu) / 1e6, (b - bytes) / 1e6);
        wall = w;
        cpu = c;
        bytes = b;
    }
}
