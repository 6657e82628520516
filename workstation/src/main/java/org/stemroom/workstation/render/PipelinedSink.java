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

    private final StemSink inner;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
    private Thread consumer;
    private volatile Throwable failure;

    PipelinedSink(StemSink inner) {
        this.inner = inner;
    }

    /**
     * The consumer's own {@code begin} (opening files, preparing the room's convolver) runs on its thread, while
     * separation starts on the first window; a failure there surfaces at the next {@link #write}.
     */
    @Override
    public void begin(AudioFormat format, List<String> stemNames) throws IOException {
        List<String> names = List.copyOf(stemNames);
        consumer = new Thread(() -> consume(format, names), "stemroom-render");
        consumer.setDaemon(true);
        consumer.start();
    }

    private record Block(List<float[][]> stems, int count) { }

    private void consume(AudioFormat format, List<String> names) {
        try {
            inner.begin(format, names);
            while (true) {
                Object o = queue.take();
                if (o == END) break;
                Block b = (Block) o;
                inner.write(b.stems, 0, b.count);
            }
            inner.end();
        } catch (Throwable t) {
            failure = t;
            queue.clear(); // unblock the producer
        }
    }

    @Override
    public void write(List<float[][]> stems, int offset, int count) throws IOException {
        check();
        // A copy: the separator may reuse its arrays once this call returns.
        List<float[][]> copy = new ArrayList<>(stems.size());
        for (float[][] s : stems) {
            float[][] c = new float[s.length][];
            for (int ch = 0; ch < s.length; ch++) c[ch] = java.util.Arrays.copyOfRange(s[ch], offset, offset + count);
            copy.add(c);
        }
        put(new Block(copy, count));
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
