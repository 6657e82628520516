package org.stemroom.core.io;

import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * Forces what an {@link AudioFileWriter} has written to the disk while the writing goes on, one stretch at a time,
 * on another thread: the one way outputs are written back early ({@link WriteBehind}'s files: convolve, upmix; the
 * render's stems, placed stems, room and mix).
 *
 * <p>Why: the kernel keeps written pages in memory until they are 30 s old or a tenth of the memory is dirty, so
 * the force before an output's atomic rename (an output reported done survives a power cut) waited for the whole
 * file: a one-minute convolve 21-177 ms for 23 MB at load 12; a one-minute render to 5.1, ~460 MB in 10 files, 0.53 s
 * of fsync after the separation. Forced every stretch, the disk writes while the job computes and the final force
 * waits only for the last stretch. The forces never run on the writing thread: each waits 5-30 ms for the disk.
 *
 * <p>The writing thread calls {@link #wrote()} after each write; every {@code everyBytes} written a force of what is
 * written so far starts on the executor (or on a new daemon thread, {@code stemroom-sync}), unless the previous one
 * is still under way: then the next write asks again. The writer is committed or closed only after {@link #await()}
 * (no force runs on it then). A force is never interrupted: an interrupted {@code FileChannel.force} closes the
 * channel.
 */
public final class WriteBack {
    private final AudioFileWriter writer;
    private final long everyBytes;
    private final Executor executor;
    /** Bytes written when the last force started (the writing thread's own). */
    private long forcedTo;
    private final Object lock = new Object();
    /** A force asked for or under way; guarded by {@code lock}. */
    private boolean busy;
    /** The first failed force's error; guarded by {@code lock}. */
    private Throwable failure;
    /** Forces started so far (the writing thread's own). */
    private int forcesStarted;

    /**
     * Write-back of {@code writer} every {@code everyBytes}, the forces on {@code executor} (null: a new daemon thread
     * per force, a few per minute of audio).
     */
    public WriteBack(AudioFileWriter writer, long everyBytes, Executor executor) {
        if (everyBytes < 1) throw new IllegalArgumentException("everyBytes must be >= 1: " + everyBytes);
        this.writer = writer;
        this.everyBytes = everyBytes;
        this.executor = executor;
    }

    /**
     * Called by the writing thread after writing: starts a force when {@code everyBytes} more were written since the
     * last one started and that one has finished. Never waits.
     */
    public void wrote() {
        long n = writer.bytesWritten();
        if (n - forcedTo < everyBytes) return;
        synchronized (lock) {
            if (busy) return;
            busy = true;
        }
        forcedTo = n;
        forcesStarted++;
        // an inner class, not a lambda: a command's first lambda bootstraps invokedynamic (~20 ms of CPU)
        Runnable force = new Runnable() {
            @Override
            public void run() { force(); }
        };
        try {
            if (executor != null) {
                executor.execute(force);
            } else {
                Thread t = new Thread(force, "stemroom-sync");
                t.setDaemon(true);
                t.start();
            }
        } catch (RuntimeException | Error e) { // not started (a pool shut down, no thread): nothing to wait for
            synchronized (lock) {
                busy = false;
                lock.notifyAll();
            }
            throw e;
        }
    }

    private void force() {
        Throwable t = null;
        try {
            writer.syncWritten();
        } catch (Throwable e) {
            t = e;
        }
        synchronized (lock) {
            if (t != null && failure == null) failure = t;
            busy = false;
            lock.notifyAll();
        }
    }

    /** Waits (uninterruptibly) until no force runs on the writer; throws a failed force's error. */
    public void await() throws IOException {
        awaitQuietly();
        IoThreads.rethrow(failed());
    }

    /** Waits (uninterruptibly) until no force runs on the writer (an aborted job, before it closes the writer). */
    public void awaitQuietly() {
        boolean interrupted = false;
        synchronized (lock) {
            while (busy) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Forces started so far (read by the writing thread, or after it has ended). */
    public int forcesStarted() {
        return forcesStarted;
    }

    /** The first failed force's error, or null. */
    public Throwable failed() {
        synchronized (lock) {
            return failure;
        }
    }

    /** Whether a force is asked for or under way (tests). */
    boolean forceUnderWay() {
        synchronized (lock) {
            return busy;
        }
    }
}
