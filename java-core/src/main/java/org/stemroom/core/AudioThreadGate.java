package org.stemroom.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A courtesy gate between a real-time audio thread and the background work that feeds it (the plugin's separator
 * worker): the audio thread marks the start and end of each block ({@link #enter}, {@link #exit}), and the worker,
 * at {@linkplain #checkpoint() checkpoints} placed through its code (the STFT's frame loops, the separation's
 * parallel loops, its window loop), holds still while a block is in flight. Measured on a 16-core machine (session
 * 21, README): the audio thread's slowest blocks were the ones during which its own worker ran beside it (every
 * stage of the block slower at once: memory traffic on shared caches, not the audio code's own work); between the
 * worker's runs the same blocks stayed under 2.3 ms.
 *
 * <p>The audio thread's side is two volatile writes per block: no allocation, no lock, no system call. The worker's
 * side spins ({@link Thread#onSpinWait}) while the block it found in flight is still in flight, at most
 * {@link #maxHold} per block (a block that long is slow for another reason; a stuck or vanished audio thread
 * must not stop the worker for good). A gate can be opened for good ({@link #enabled}: off in a host's offline
 * export, where the audio thread waits for the worker, not the other way round).
 *
 * <p>Which gate a thread obeys is bound per thread ({@link #bind}): the worker binds its separator's gate, and the
 * separation's parallel helpers bind their caller's for the length of a loop; a thread with no gate bound (the
 * render's, a test's) passes every checkpoint at the cost of a thread-local read. The work done is the same whatever
 * the gate does: it changes when the worker runs, never what it computes.
 */
public final class AudioThreadGate {
    private static final ThreadLocal<AudioThreadGate> BOUND = new ThreadLocal<>();

    /** Odd while the audio thread is inside a block. One writer: the audio thread. */
    private volatile long sequence;
    private volatile boolean enabled = true;
    private volatile long maxHoldNanos;
    /** The block ({@link #sequence}) a worker stopped waiting on after the {@link #maxHold} time. */
    private volatile long gaveUpOn = -1;
    // the bound threads' accounts (a worker and its parallel helpers may hold at once; read by tests and benches)
    private final AtomicLong holds = new AtomicLong();
    private final AtomicLong heldNanos = new AtomicLong();
    private final AtomicInteger holding = new AtomicInteger();

    /** @param maxHoldNanos the longest a worker waits on one block (then it goes on, the block still in flight) */
    public AudioThreadGate(long maxHoldNanos) {
        maxHold(maxHoldNanos);
    }

    /** Sets the longest wait on one block, in nanoseconds (say half a block period: see the class comment). */
    public void maxHold(long nanos) {
        if (nanos < 0) throw new IllegalArgumentException("negative hold " + nanos + " ns");
        maxHoldNanos = nanos;
    }

    /** Opens the gate for good (false) or closes it again while blocks are in flight (true, the default). */
    public void enabled(boolean on) {
        enabled = on;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The audio thread starts a block: bound workers hold at their next checkpoint until {@link #exit}. */
    public void enter() {
        long s = sequence;
        if ((s & 1) == 0) sequence = s + 1; // single writer; a second enter without exit changes nothing
    }

    /** The audio thread's block is done: the held workers go on. */
    public void exit() {
        long s = sequence;
        if ((s & 1) != 0) sequence = s + 1;
    }

    /** Whether a block is in flight (the audio thread is between {@link #enter} and {@link #exit}). */
    public boolean inFlight() {
        return (sequence & 1) != 0;
    }

    /** Times a bound thread held at a checkpoint. */
    public long holds() {
        return holds.get();
    }

    /** Nanoseconds bound threads spent holding. */
    public long heldNanos() {
        return heldNanos.get();
    }

    /** Bound threads holding at a checkpoint right now. */
    public int holding() {
        return holding.get();
    }

    /** Binds {@code gate} to the calling thread (null: none); its checkpoints obey it from now on. */
    public static void bind(AudioThreadGate gate) {
        BOUND.set(gate); // set, never remove: the thread's entry is kept, and later binds allocate nothing
    }

    /** The gate bound to the calling thread, or null. */
    public static AudioThreadGate bound() {
        return BOUND.get();
    }

    /**
     * A point in background work where the calling thread may hold: if its bound gate has a block in flight, it
     * waits until that block ends (or the {@link #maxHold} time passed). Call it between pieces of work no longer than a
     * tenth of a millisecond or so apart: the audio thread shares the machine with the rest of a piece.
     */
    public static void checkpoint() {
        AudioThreadGate g = BOUND.get();
        if (g != null) g.hold();
    }

    /** {@link #checkpoint} on this gate, whichever is bound. */
    public void hold() {
        long s = sequence;
        if ((s & 1) == 0 || !enabled || s == gaveUpOn) return;
        holding.incrementAndGet();
        long start = System.nanoTime();
        long limit = maxHoldNanos;
        int spins = 0;
        while (sequence == s && enabled) {
            Thread.onSpinWait();
            if ((++spins & 63) == 0 && System.nanoTime() - start > limit) {
                gaveUpOn = s; // this block is slow for some other reason: the worker goes on until it ends
                break;
            }
        }
        heldNanos.addAndGet(System.nanoTime() - start);
        holds.incrementAndGet();
        holding.decrementAndGet();
    }
}
