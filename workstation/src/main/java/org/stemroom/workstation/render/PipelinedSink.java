package org.stemroom.workstation.render;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.StemSink;

/**
 * Runs a {@link StemSink} on its own thread so separation (the producer) and placing/convolving/writing (the
 * consumer) use two cores. Blocks are handed over in order through a small bounded queue (memory stays bounded),
 * so the consumer sees exactly the calls it would have seen directly: the same bits.
 */
final class PipelinedSink implements StemSink {
    private static final Object END = new Object();

    /** Blocks queued at most; with the one the consumer writes and the one being filled, BLOCKS exist at most. */
    private static final int QUEUED = 2;
    private static final int BLOCKS = QUEUED + 2;

    private final StemSink inner;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED);
    /**
     * Blocks the consumer has written, for the producer to fill again: the hand-over copies (4 stereo stems, some
     * 90 MB over a one-minute render) are no longer fresh arrays for the collector to clear away.
     */
    private final BlockingQueue<Block> free = new ArrayBlockingQueue<>(BLOCKS);
    private int made;
    private Thread consumer;
    private volatile Throwable failure;
    /**
     * The separation's loops, offered to the consumer while it waits for its next block (the producer's thread
     * shares them: {@link #shareLoops}): in the stretches where the placing has caught up with the separation, the
     * consumer takes a share of the separation's current window instead of idling, so the window, and the block it
     * makes, ends sooner. No thread is added, and the blocks cannot wait on it: the next one comes only after the
     * producer's loop, which ends after every index the consumer took.
     */
    private final org.stemroom.separation.ParallelFor.Shared loops = new org.stemroom.separation.ParallelFor.Shared();
    private final java.util.function.BooleanSupplier queued = () -> !queue.isEmpty();

    PipelinedSink(StemSink inner) {
        this.inner = inner;
    }

    /**
     * The consumer's own {@code begin} (opening files, preparing the room's convolver) runs on its thread, while
     * separation starts on the first window; a failure there surfaces at the next {@link #write}.
     */
    /**
     * Offers the loops of the separation on the calling thread to the consumer (until {@code false}); the same
     * results whichever thread runs an index (ParallelFor's loops write disjoint data).
     */
    void shareLoops(boolean share) {
        org.stemroom.separation.ParallelFor.shareOnThisThread(share ? loops : null);
    }

    @Override
    public void begin(AudioFormat format, List<String> stemNames) throws IOException {
        List<String> names = List.copyOf(stemNames);
        consumer = new Thread(() -> consume(format, names), "stemroom-render");
        consumer.setDaemon(true);
        consumer.start();
    }

    /** One hand-over: {@code count} frames of every stem, from index 0 of arrays that may be longer. */
    private static final class Block {
        final List<float[][]> stems = new ArrayList<>();
        int count;
    }

    private void consume(AudioFormat format, List<String> names) {
        try {
            // a loop nested in an index taken from the producer runs on this thread alone, never on the helpers
            org.stemroom.separation.ParallelFor.aloneOnThisThread(true);
            inner.begin(format, names);
            while (true) {
                Object o = next();
                if (o == END) break;
                Block b = (Block) o;
                inner.write(b.stems, 0, b.count);
                free.offer(b);
            }
            inner.end();
        } catch (Throwable t) {
            failure = t;
            queue.clear(); // unblock the producer
        }
    }

    /** The next block (or END); while there is none, the producer's open loop's indices, else a park. */
    private Object next() throws InterruptedException {
        Object o;
        while ((o = queue.poll()) == null) {
            if (!loops.help()) loops.await(queued);
            if (Thread.interrupted()) throw new InterruptedException();
        }
        return o;
    }

    @Override
    public void write(List<float[][]> stems, int offset, int count) throws IOException {
        check();
        // A copy: the separator may reuse its arrays once this call returns.
        Block b = freeBlock();
        b.count = count;
        for (int k = 0; k < stems.size(); k++) {
            float[][] s = stems.get(k);
            if (b.stems.size() <= k) b.stems.add(new float[s.length][]);
            float[][] c = b.stems.get(k);
            if (c.length != s.length) b.stems.set(k, c = new float[s.length][]);
            for (int ch = 0; ch < s.length; ch++) {
                if (c[ch] == null || c[ch].length < count) c[ch] = new float[count];
                System.arraycopy(s[ch], offset, c[ch], 0, count);
            }
        }
        while (b.stems.size() > stems.size()) b.stems.remove(b.stems.size() - 1);
        put(b);
    }

    /** A written block to fill again, or a new one while fewer than {@link #BLOCKS} exist. */
    private Block freeBlock() throws IOException {
        Block b = free.poll();
        if (b != null) return b;
        if (made < BLOCKS) {
            made++;
            return new Block();
        }
        try {
            // every block is queued or being written: one comes back when the consumer finishes it
            while ((b = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)) == null) {
                check();
                if (!consumer.isAlive()) throw new IOException("the render's placing thread stopped");
            }
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void end() throws IOException {
        put(END);
        try {
            consumer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while finishing the render", e);
        }
        check();
    }

    private void put(Object o) throws IOException {
        try {
            while (failure == null && !queue.offer(o, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!consumer.isAlive()) break;
            }
            loops.wake();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        check();
    }

    private void check() throws IOException {
        Throwable t = failure;
        if (t == null) return;
        if (t instanceof IOException) throw (IOException) t;
        if (t instanceof StemroomException) throw new IOException(t.getMessage(), t);
        if (t instanceof RuntimeException) throw (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
        throw new IOException(t);
    }
}
