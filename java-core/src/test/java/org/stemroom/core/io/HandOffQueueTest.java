package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue keeps ArrayBlockingQueue's order, bounds, blocking and interrupt behaviour for what the I/O threads use. */
class HandOffQueueTest {

    @Test
    void firstInFirstOutAcrossTheWrapAndBounded() throws Exception {
        HandOffQueue<Integer> q = new HandOffQueue<>(3);
        ArrayBlockingQueue<Integer> ref = new ArrayBlockingQueue<>(3);
        // an interleaving that wraps the ring several times, mirrored on the JDK queue
        int next = 0;
        for (int step = 0; step < 50; step++) {
            int adds = step % 3 + 1;
            for (int i = 0; i < adds && q.size() < 3; i++, next++) {
                q.add(next);
                ref.add(next);
            }
            int takes = (step * 7) % 3 + 1;
            for (int i = 0; i < takes && !ref.isEmpty(); i++) assertEquals(ref.take(), q.take());
            assertEquals(ref.size(), q.size());
        }
        while (q.size() < 3) q.add(-1);
        assertFalse(q.offer(99), "offer declines when full");
        assertThrows(IllegalStateException.class, () -> q.add(99));
        assertThrows(NullPointerException.class, () -> new HandOffQueue<Integer>(2).add(null));
    }

    @Test
    void takeWaitsForAProducerAndPutWaitsForRoom() throws Exception {
        HandOffQueue<Integer> q = new HandOffQueue<>(2);
        List<Integer> got = new ArrayList<>();
        Thread consumer = new Thread(() -> {
            try {
                for (int i = 0; i < 1000; i++) got.add(q.take());
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        consumer.start();
        for (int i = 0; i < 1000; i++) q.put(i); // blocks whenever the consumer is two behind
        consumer.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse(consumer.isAlive());
        assertEquals(1000, got.size());
        for (int i = 0; i < 1000; i++) assertEquals(i, got.get(i));
    }

    @Test
    void interruptStopsAWaitAndAPendingInterruptThrowsAtOnce() throws Exception {
        HandOffQueue<Integer> q = new HandOffQueue<>(1);
        boolean[] interrupted = new boolean[1];
        Thread waiter = new Thread(() -> {
            try {
                q.take(); // empty: waits until interrupted
            } catch (InterruptedException e) {
                interrupted[0] = true;
            }
        });
        waiter.start();
        waiter.interrupt();
        waiter.join(TimeUnit.SECONDS.toMillis(60));
        assertTrue(interrupted[0]);
        // as ArrayBlockingQueue: with the flag set, take and put throw even when they would not wait
        q.add(1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, q::take);
        assertFalse(Thread.interrupted(), "the flag is cleared by the exception");
        assertEquals(1, q.size());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> new HandOffQueue<Integer>(2).put(5));
        assertFalse(Thread.interrupted());
    }
}
