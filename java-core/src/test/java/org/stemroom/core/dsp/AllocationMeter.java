package org.stemroom.core.dsp;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread (HotSpot's com.sun.management.ThreadMXBean), for real-time rule tests. */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean BEAN =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationMeter() { }

    public static long allocatedBytes() {
        return BEAN.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Bytes allocated by {@code r}, after running it {@code warmups} times so the JIT has settled. */
    public static long measure(Runnable r, int warmups) {
        for (int i = 0; i < warmups; i++) r.run();
        long before = allocatedBytes();
        r.run();
        return allocatedBytes() - before;
    }
}
