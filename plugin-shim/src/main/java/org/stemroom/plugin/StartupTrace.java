package org.stemroom.plugin;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Start-up phases of the plugin (state restore, room, separator, chains, warm-up), printed to stderr with their
 * wall and thread-CPU milliseconds when the environment variable {@code STEMROOM_TRACE} is set, as the shim's own
 * start-up lines are. The CPU time is the kernel's count for the thread ({@code /proc/thread-self/schedstat}, in
 * nanoseconds), not the management beans: initialising those costs 50-180 ms at start (measured), which would
 * inflate the very start-up being traced. {@code STEMROOM_TRACE=2} adds the bytes each phase allocated (which
 * decide how often start-up collects garbage), through the HotSpot thread bean, at that price. Control thread only:
 * it prints, so it must never be used on the audio thread. Off (the default), {@link #mark} is a field test.
 */
final class StartupTrace {
    static final boolean ON = System.getenv("STEMROOM_TRACE") != null;
    private static final boolean ALLOCATION = "2".equals(System.getenv("STEMROOM_TRACE"));
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    private long wall, cpu, bytes;

    /** Starts timing on the calling thread. */
    static StartupTrace start() {
        StartupTrace t = new StartupTrace();
        if (ON) t.restart();
        return t;
    }

    private void restart() {
        wall = System.nanoTime();
        cpu = threadCpuNanos();
        bytes = allocated();
    }

    /** The calling thread's CPU time in nanoseconds, from the kernel (-1 where it cannot be read). */
    static long threadCpuNanos() {
        try {
            String s = Files.readString(SCHEDSTAT);
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Bytes this thread has allocated so far (STEMROOM_TRACE=2 on HotSpot; -1 otherwise). */
    private static long allocated() {
        return ALLOCATION && ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                ? t.getCurrentThreadAllocatedBytes() : -1;
    }

    /** Prints the time since the last mark (or the start) under {@code phase}, and starts the next phase. */
    void mark(String phase) {
        if (!ON) return;
        long w = System.nanoTime(), c = threadCpuNanos(), b = allocated();
        Runtime rt = Runtime.getRuntime(); // heap in use: a start must fit the young generation (no collection)
        System.err.printf("stemroom: java %s: %.1f ms wall, %.1f ms CPU, heap %d MB%s%n", phase, (w - wall) / 1e6,
                (c - cpu) / 1e6, (rt.totalMemory() - rt.freeMemory()) >> 20,
                ALLOCATION ? String.format(", %.1f MB allocated", (b - bytes) / 1e6) : "");
        wall = w;
        cpu = c;
        bytes = b;
    }
}
