package org.stemroom.core.io;

import java.io.IOException;
import org.stemroom.core.AudioBuffer;

/**
 * Encodes and writes blocks on its own thread, behind the producer, so that encoding and the write system calls
 * run on another core while the caller computes the next block. The writer receives exactly the blocks submitted,
 * in order, so the file's bytes do not change; memory stays at {@code depth + 1} blocks.
 *
 * <pre>{@code
 * try (AudioFileWriter w = AudioFileWriter.create(...); WriteBehind behind = new WriteBehind(w, 8192, 2)) {
 *     AudioBuffer b = behind.buffer();   // fill b (setFrames), then
 *     behind.submit(b);                  // ... as often as needed
 *     behind.finish();                   // everything written (or the write error thrown)
 *     w.commit();
 * }
 * }</pre>
 *
 * A write error comes out of the next {@link #buffer()}, {@link #submit} or {@link #finish()}. Close this before
 * the writer: {@link #close()} stops the threads, so an aborted render never writes after the writer is closed.
 */
public final class WriteBehind implements AutoCloseable {
    private static final AudioBuffer END = new AudioBuffer(1, 0);
    /**
     * Bytes written between forces to the disk ({@link WriteBack}, on its own thread). The commit's own force, on the
     * producer's thread, waits for what was written since the last one: 1 min stereo convolve (23 MB), 5 runs each
     * at load 10 (strace): 5.1-10.5 ms with 8 MiB, 2.6-6.5 ms with 4 MiB.
     */
    static final long SYNC_BYTES = 4L << 20;

    private final AudioFileWriter writer;
    private final HandOffQueue<AudioBuffer> free;
    private final HandOffQueue<AudioBuffer> queued;
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean done;
    /**
     * Forces the file to the disk beside the writing thread every {@link #SYNC_BYTES}: a force waits 5-30 ms for the
     * disk, and a writing thread waiting that long had the producer wait too once it had filled the other buffers
     * (each about a millisecond of a convolve's work). A thread per force, so an output shorter than one stretch
     * starts none.
     */
    final WriteBack writeBack;

    /** Starts a writing thread for {@code writer}, with blocks of up to {@code blockFrames}, at most {@code depth} queued. */
    public WriteBehind(AudioFileWriter writer, int blockFrames, int depth) {
        if (depth < 1) throw new IllegalArgumentException("depth must be >= 1: " + depth);
        this.writer = writer;
        this.writeBack = new WriteBack(writer, SYNC_BYTES, null);
        int buffers = depth + 1; // depth queued or being written, one being filled by the caller
        free = new HandOffQueue<>(buffers);
        queued = new HandOffQueue<>(buffers + 1); // + the end marker
        for (int i = 0; i < buffers; i++) free.add(new AudioBuffer(writer.format().channels(), blockFrames));
        // an inner class, not this::run: a command's first lambda bootstraps invokedynamic (~20 ms of CPU)
        thread = new Thread(new Runnable() {
            @Override
            public void run() { WriteBehind.this.run(); }
        }, "stemroom-write-behind");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                AudioBuffer b = queued.take();
                if (b == END) return;
                writer.write(b);
                free.put(b);
                writeBack.wrote();
            }
        } catch (InterruptedException e) {
            // closed by the producer: stop quietly
        } catch (Throwable t) {
            failure = t;
            free.offer(END); // wakes a producer waiting for a buffer; it then sees the failure
        } finally {
            done = true;
        }
    }

    /** A free buffer to fill (its channel count is the writer's); waits while every buffer is queued. */
    public AudioBuffer buffer() throws IOException {
        rethrow();
        AudioBuffer b;
        try {
            b = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing " + writer.target());
        }
        if (b == END) {
            free.offer(END);
            rethrow();
        }
        b.setFrames(b.capacity());
        return b;
    }

    /** Queues {@code b} (a buffer from {@link #buffer()}) to be written with its current frame count. */
    public void submit(AudioBuffer b) throws IOException {
        rethrow();
        queued.add(b);
    }

    /** Waits until every submitted block is written; throws the write error if one happened. */
    public void finish() throws IOException {
        if (!done) queued.add(END);
        IoThreads.joinUninterruptibly(thread);
        writeBack.awaitQuietly();
        rethrow();
    }

    /** The writing thread's failure, else a failed force's (the next force or the commit would fail the same way). */
    private void rethrow() throws IOException {
        IoThreads.rethrow(failure);
        IoThreads.rethrow(writeBack.failed());
    }

    /**
     * Stops the writing thread if it still runs (blocks not yet written are dropped) and waits for it, and for the
     * force under way.
     */
    @Override
    public void close() {
        if (thread.isAlive()) {
            thread.interrupt();
            IoThreads.joinUninterruptibly(thread);
        }
        writeBack.awaitQuietly();
    }
}
