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

    private static final ThreadLocal<Shared> SHARING = new ThreadLocal<>();

    /**
     * Loops started on the calling thread run on it and offer their indices to one other thread through
     * {@code shared} ({@link Shared#help}), instead of to the helpers; {@code null} ends it. For a render's separation,
     * whose placing thread waits for the next block in the stretches where the separation alone runs: there it takes
     * a share of the window instead of idling, and no thread is added. Same results: only the split changes.
     */
    public static void shareOnThisThread(Shared shared) {
        if (shared == null) {
            SHARING.remove();
        } else {
            shared.owner = Thread.currentThread();
            SHARING.set(shared);
        }
    }

    private void loop(int n, Body b) {
        Shared shared = n > 1 ? SHARING.get() : null;
        if (shared != null && !shared.inLoop) {
            shared.loop(n, b);
            return;
        }
        if (n <= 1 || helpers.length == 0 || ALONE.get() != null || shared != null
                || !busy.compareAndSet(false, true)) {
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

    /**
     * One thread's loops offered to one guest thread (see {@link #shareOnThisThread}). Its loop publishes a ticket,
     * one 64-bit word: the loop's generation, its count and the next index, so an index is taken by one compare-and-set
     * and a guest that read an earlier loop's ticket takes nothing from a later one. The owner returns from a loop
     * only when no guest is inside it, so a guest that took an index reads the body of that index's loop. Allocates
     * nothing per loop or per index.
     */
    public static final class Shared {
        private static final int BITS = 20;
        private static final long MASK = (1L << BITS) - 1;

        private final java.util.concurrent.atomic.AtomicLong ticket = new java.util.concurrent.atomic.AtomicLong();
        /** Guests between their check of the ticket and the end of the index they took. */
        private final AtomicInteger inside = new AtomicInteger();
        private volatile Body body;
        private volatile Throwable failure;
        private volatile Thread owner;
        private volatile boolean ownerWaits;
        private volatile Thread waitingGuest;
        private long generation;
        /** The owner runs a loop (a loop nested in one of its indices runs alone). Owner thread only. */
        private boolean inLoop;

        private void loop(int n, Body b) {
            if (n > MASK) {
                for (int i = 0; i < n; i++) b.run(i);
                return;
            }
            inLoop = true;
            try {
                body = b;
                failure = null;
                generation = (generation + 1) & ((1L << (64 - 2 * BITS)) - 1);
                long base = (generation << (2 * BITS)) | ((long) n << BITS);
                ticket.set(base);
                Thread g = waitingGuest;
                if (g != null) LockSupport.unpark(g);
                try {
                    for (long t = ticket.get(); (int) (t & MASK) < n; t = ticket.get()) {
                        if (ticket.compareAndSet(t, t + 1)) b.run((int) (t & MASK));
                    }
                } catch (RuntimeException | Error e) {
                    failure = e;
                    ticket.set(base | n); // nothing more is taken; the guest's index in progress ends first
                }
                if (inside.get() > 0) {
                    ownerWaits = true;
                    while (inside.get() > 0) LockSupport.park(this);
                    ownerWaits = false;
                }
                body = null;
                Throwable f = failure;
                if (f instanceof RuntimeException) throw (RuntimeException) f;
                if (f instanceof Error) throw (Error) f;
            } finally {
                inLoop = false;
            }
        }

        /** Whether a loop has an index left to take. */
        public boolean open() {
            long t = ticket.get();
            return (t & MASK) < ((t >>> BITS) & MASK);
        }

        /**
         * Runs indices of the owner's loop on the calling thread until none is left to take (a failure is the
         * owner's to throw); true when it ran at least one.
         */
        public boolean help() {
            boolean ran = false;
            while (true) {
                inside.incrementAndGet();
                try {
                    long t = ticket.get();
                    int i = (int) (t & MASK);
                    if (i >= (int) ((t >>> BITS) & MASK)) return ran;
                    if (ticket.compareAndSet(t, t + 1)) {
                        ran = true;
                        try {
                            body.run(i);
                        } catch (Throwable e) {
                            failure = e;
                            ticket.set(t | MASK); // past any count: nothing more is taken
                        }
                    }
                } finally {
                    if (inside.decrementAndGet() == 0 && ownerWaits) LockSupport.unpark(owner);
                }
            }
        }

        /**
         * The calling (guest) thread parks until a loop opens, {@link #wake} is called, or {@code more} already says
         * there is other work: checked after the guest is known to wait, so a wake-up is not lost.
         */
        public void await(java.util.function.BooleanSupplier more) {
            waitingGuest = Thread.currentThread();
            try {
                if (!open() && !more.getAsBoolean()) LockSupport.park(this);
            } finally {
                waitingGuest = null;
            }
        }

        /** Wakes the guest if it waits in {@link #await} (for work of its own, such as a block handed over). */
        public void wake() {
            Thread g = waitingGuest;
            if (g != null) LockSupport.unpark(g);
        }
    }
}
