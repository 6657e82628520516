package org.stemroom.core.io;

import java.io.IOException;

/** What {@link ReadAhead} and {@link WriteBehind} share about their background thread. */
final class IoThreads {
    private IoThreads() { }

    /**
     * Waits for {@code t} to end even if this thread is interrupted meanwhile (the interrupt is kept for the caller):
     * the background thread still touches the reader or writer, which the caller closes next.
     */
    static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Throws the background thread's failure on the caller's thread as it was (I/O or unchecked), if there is one. */
    static void rethrow(Throwable t) throws IOException {
        if (t == null) return;
        if (t instanceof IOException) throw (IOException) t;
        if (t instanceof RuntimeException) throw (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
        throw new IOException(t);
    }
}
