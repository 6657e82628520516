package org.stemroom.separation;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A parallel loop that allocates nothing per call, for the separators' per-window work (the plugin's worker
 * separates window after window and must not churn the heap; parallel streams allocate spliterators, tasks and the
 * capturing lambdas on every call). The caller and a fixed set of helper threads (one fewer than the processors)
 * take indices {@code 0..n-1} from a shared counter; each index runs exactly once, on some thread.
 *
 * <p>Deterministic whatever the split: callers use it only for iterations that write disjoint data. Bodies are
 * long-lived objects whose fields carry the loop's inputs (a capturing lambda would allocate at every call site).
 * One loop runs on the helpers at a time; a caller that finds them busy (another separation, or a nested loop)
 * runs its loop alone on its own thread, with the same result.
 */
public final class ParallelFor {
    /** One iteration of a loop. */
    public interface Body {
        void run(int index);
    }

    private static final ParallelFor SHARED = new ParallelFor(Math.max(0, Runtime.getRuntime().availableProcessors() - 1));

    private final Thread[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile int generation;
    private volatile Body body;
    private volatile int count;
    private volatile Thread caller;
    private volatile Throwable failure;

    private ParallelFor(int helperCount) {
        helpers = new Thread[helperCount];
        for (int i = 0; i < helperCount; i++) {
            Thread t = new Thread(this::help, "stemroom-parallel-" + i);
            t.setDaemon(true);
            helpers[i] = t;
            t.start();
        }
    }

    /** The helper threads (for allocation and CPU accounting in tests and benchmarks). */
    public static Thread[] helperThreads() { return SHARED.helpers.clone(); }

    /** Runs {@code body.run(i)} for every {@code i} in {@code [0, n)}, spread over the cores; returns when all ran. */
    public static void run(int n, Body body) {
        SHARED.loop(n, body);
    }

    private static final ThreadLocal<Boolean> ALONE = new ThreadLocal<>();

    /**
     * Whether loops started on the calling thread run on it alone (same results: only the split changes). For a
     * thread whose process keeps the other cores busy anyway, such as a render's separation beside its placing,
     * writing and measuring threads: there the helpers add no throughput, only their hand-over costs.
     */
    public static void aloneOnThisThread(boolean alone) {
        if (alone) ALONE.set(Boolean.TRUE); else ALONE.remove();
    }

    private void loop(int n, Body b) {
        if (n <= 1 || helpers.length == 0 || ALONE.get() != null || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < n; i++) b.run(i);
            return;
        }
        try {
            body = b;
            count = n;
            failure = null;
            caller = Thread.currentThread();
            next.set(0);
            running.set(helpers.length);
            generation = generation + 1; // single writer: the holder of `busy`
            for (Thread h : helpers) LockSupport.unpark(h);
            try {
                work(b, n);
            } catch (RuntimeException | Error t) {
                failure = t;
                next.set(Integer.MAX_VALUE / 2); // the helpers stop taking indices; wait for them all the same
            }
            // The last helper to finish unparks this thread; a permit left by an earlier loop only costs one more
            // check. Waiting in timed slices instead (50 us) woke this thread some 20,000 times a second whenever a
            // helper was preempted, which on a busy machine (a render's other threads) is much of every loop.
            while (running.get() > 0) LockSupport.parkNanos(this, 10_000_000L);
            body = null;
            Throwable f = failure;
            if (f instanceof RuntimeException) throw (RuntimeException) f;
            if (f instanceof Error) throw (Error) f;
        } finally {
            busy.set(false);
        }
    }

    private void work(Body b, int n) {
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) b.run(i);
    }

    private void help() {
        int seen = 0;
        while (true) {
            int g = generation;
            if (g == seen) {
                LockSupport.park(this);
                continue;
            }
            seen = g;
            try {
                work(body, count);
            } catch (Throwable t) {
                failure = t;
                next.set(Integer.MAX_VALUE / 2); // the others stop taking indices
            } finally {
                if (running.decrementAndGet() == 0) LockSupport.unpark(caller);
            }
        }
    }
}
