package org.stemroom.core.io;

import java.io.IOException;
import org.stemroom.core.AudioBuffer;

/**
 * Reads a file block by block on its own thread, a few blocks ahead of the consumer, so that reading and
 * decoding run on another core while the caller processes the previous block. The blocks are exactly those
 * {@link AudioFileReader#read} returns, in order, so what the caller computes does not change; memory stays at
 * {@code depth + 2} blocks whatever the file's length.
 *
 * <pre>{@code
 * try (AudioFileReader r = AudioFileReader.open(path); ReadAhead ahead = new ReadAhead(r, 8192, 2)) {
 *     for (AudioBuffer b = ahead.next(); b != null; b = ahead.next()) { ... b.frames() frames ... }
 * }
 * }</pre>
 *
 * Errors of the reader (a truncated or corrupt file) come out of {@link #next()} as the reader threw them, after
 * every block read before the error. Close this before the reader.
 */
public final class ReadAhead implements AutoCloseable {
    private final AudioFileReader reader;
    private final HandOffQueue<AudioBuffer> free;
    private final HandOffQueue<AudioBuffer> filled;
    private final Thread thread;
    /** Set by the reading thread before it queues the end marker; read after taking the marker (queue = barrier). */
    private volatile Throwable failure;
    private AudioBuffer current;
    private boolean ended;

    /** Starts reading {@code reader} in blocks of up to {@code blockFrames}, at most {@code depth} (>= 1) blocks ahead. */
    public ReadAhead(AudioFileReader reader, int blockFrames, int depth) {
        if (depth < 1) throw new IllegalArgumentException("depth must be >= 1: " + depth);
        this.reader = reader;
        int channels = reader.format().channels();
        int buffers = depth + 2; // depth queued, one being filled, one held by the caller
        free = new HandOffQueue<>(buffers);
        filled = new HandOffQueue<>(buffers);
        for (int i = 0; i < buffers; i++) free.add(new AudioBuffer(channels, blockFrames));
        // an inner class, not this::run: a command's first lambda bootstraps invokedynamic (~20 ms of CPU)
        thread = new Thread(new Runnable() {
            @Override
            public void run() { ReadAhead.this.run(); }
        }, "stemroom-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                AudioBuffer b = free.take();
                b.setFrames(b.capacity());
                int n = reader.read(b);
                filled.put(b); // a block of 0 frames marks the end
                if (n <= 0) return;
            }
        } catch (InterruptedException e) {
            // closed by the consumer: stop quietly
        } catch (Throwable t) {
            failure = t;
            AudioBuffer end = new AudioBuffer(1, 0);
            filled.offer(end); // room guaranteed: the queue holds every buffer, and this one is extra only on failure
        }
    }

    /**
     * The next block (1 frame or more), or null at the end of the file. The buffer is valid until the next call;
     * the caller may change its samples.
     */
    public AudioBuffer next() throws IOException {
        if (current != null) {
            free.add(current);
            current = null;
        }
        if (ended) return null;
        AudioBuffer b;
        try {
            b = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading " + reader.path());
        }
        if (b.frames() > 0) {
            current = b;
            return b;
        }
        ended = true;
        IoThreads.rethrow(failure);
        return null;
    }

    /** Stops the reading thread (if it is still running) and waits for it; the reader stays open. */
    @Override
    public void close() {
        thread.interrupt();
        IoThreads.joinUninterruptibly(thread);
    }
}
