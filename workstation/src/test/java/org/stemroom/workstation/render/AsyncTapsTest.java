package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncTaps}: the writer runs up to {@link AsyncTaps#BUFFERS} blocks ahead of a worker that has not had a core
 * (here: whose tap is held), waits for the next one, and the taps see every block in order.
 */
class AsyncTapsTest {
    @Test
    void theWriterRunsBuffersBlocksAheadOfAHeldWorker() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Float> seen = new ArrayList<>();
        AlignedWriter.Tap held = (data, off, n) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.add(data[0][off]);
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            AsyncTaps taps = new AsyncTaps("the test", List.of(held), 1, 8, pool);
            for (int i = 0; i < AsyncTaps.BUFFERS; i++) taps.add(new float[][] {{i}}, 0, 1);
            // every buffer is queued or held by the worker: the next block waits until the tap lets one go
            Future<?> next = pool.submit(() -> {
                taps.add(new float[][] {{AsyncTaps.BUFFERS}}, 0, 1);
                return null;
            });
            Thread.sleep(200);
            assertFalse(next.isDone(), "a block beyond the buffers did not wait");
            release.countDown();
            next.get(10, TimeUnit.SECONDS);
            taps.finish();
            assertEquals(AsyncTaps.BUFFERS + 1, seen.size());
            for (int i = 0; i < seen.size(); i++) assertEquals(i, seen.get(i), 0f, "block " + i);
            assertTrue(AsyncTaps.BUFFERS >= 16, "the input's window of 8192-frame blocks fits: " + AsyncTaps.BUFFERS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
