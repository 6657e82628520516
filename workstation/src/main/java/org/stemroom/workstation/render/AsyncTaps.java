package org.stemroom.workstation.render;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs a stream's taps (meters, the report's picture, the fold-down checks) on a thread of their own, so the thread
 * that writes the stream (the mix) or reads it (the input, on the separation thread) is not held up by measuring it. Each block is copied into one of a few
 * recycled buffers (memory stays bounded, nothing is allocated per block) and the taps see the blocks in the order
 * written, one after another on the one worker: exactly the calls they would have seen on the writer's thread, so
 * the same results to the bit.
 *
 * <p>A failing tap is reported at the next {@link #add} or at {@link #finish}; the worker goes on taking blocks
 * (without running the taps) so the writer never waits on it. If the render fails elsewhere, shutting the executor
 * down interrupts the worker.
 */
final class AsyncTaps implements AlignedWriter.Tap {
    /**
     * Buffers, so blocks the worker has not measured yet: the writer waits only when this many are queued. Sixteen,
     * not four: the separation thread reads the input a window at a time (several 8192-frame blocks at once) and
     * waited, on the render's critical path, until the worker had had a core to measure the window's first blocks
     * (JFR of the bench render, load 5.5: 20 waits, 271 ms; load 12: 28 waits, 671 ms); the placing thread waited
     * for the mix's meters the same way (16 waits, 301 ms, load 12). With sixteen the measuring waits for a free
     * core instead (docs/render-speed-history.md, session 35). At most 16 blocks: 1 MB of stereo input, 1.5 MB of a
     * 5.1 mix.
     */
    static final int BUFFERS = 16;

    private final List<AlignedWriter.Tap> taps;
    /** The measured stream, for messages ("the mix", "the input"). */
    private final String stream;
    private final BlockingQueue<Block> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Block> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final Block end = new Block(0, 0);
    private final Future<?> worker;
    private volatile Throwable failure;

    private static final class Block {
        final float[][] data;
        int frames;

        Block(int channels, int maxFrames) {
            data = new float[channels][maxFrames];
        }
    }

    /**
     * Starts the worker on {@code executor}; blocks of at most {@code maxFrames} frames of {@code channels};
     * {@code stream} names the measured stream in messages ("the mix").
     */
    AsyncTaps(String stream, List<AlignedWriter.Tap> taps, int channels, int maxFrames, ExecutorService executor) {
        this.stream = stream;
        this.taps = List.copyOf(taps);
        for (int i = 0; i < BUFFERS; i++) free.add(new Block(channels, maxFrames));
        this.worker = executor.submit(this::run);
    }

    private Void run() throws InterruptedException {
        while (true) {
            Block b = full.take();
            if (b == end) return null;
            if (failure == null) {
                try {
                    for (AlignedWriter.Tap t : taps) t.add(b.data, 0, b.frames);
                } catch (Throwable t) {
                    failure = t;
                }
            }
            free.put(b);
        }
    }

    @Override
    public void add(float[][] data, int off, int n) throws IOException {
        check();
        Block b = takeFree();
        for (int c = 0; c < b.data.length; c++) System.arraycopy(data[c], off, b.data[c], 0, n);
        b.frames = n;
        put(b);
    }

    /** Waits until the taps have seen every block; their results can be read after this returns. */
    void finish() throws IOException {
        put(end);
        try {
            worker.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while measuring " + stream, e);
        } catch (ExecutionException e) {
            failure = e.getCause();
        }
        check();
    }

    /** A recycled buffer; fails instead of waiting forever when the worker has stopped. */
    private Block takeFree() throws IOException {
        try {
            while (true) {
                Block b = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (b != null) return b;
                if (worker.isDone()) {
                    check();
                    throw new IOException("the meters of " + stream + " stopped before its last block");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while measuring " + stream, e);
        }
    }

    private void put(Block b) throws IOException {
        try {
            full.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while measuring " + stream, e);
        }
    }

    private void check() throws IOException {
        Throwable t = failure;
        if (t == null) return;
        if (t instanceof IOException) throw (IOException) t;
        if (t instanceof RuntimeException) throw (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
        throw new IOException(t);
    }
}
