package org.stemroom.core.io;

/**
 * A bounded first-in first-out queue of blocks between {@link ReadAhead}'s or {@link WriteBehind}'s thread and its
 * caller, on the object's monitor: the subset of {@code ArrayBlockingQueue} those two use, with the same semantics
 * ({@link #take} and {@link #put} wait and are interruptible, and throw at once when called with the interrupt flag
 * set; {@link #add} fails and {@link #offer} declines when full).
 *
 * <p>Why not {@code ArrayBlockingQueue}: its waits go through {@code AbstractQueuedSynchronizer}'s condition, which
 * in Java 17 blocks through {@code ForkJoinPool.managedBlock}. The first wait of the process therefore initialises
 * ForkJoinPool and the VarHandle machinery behind it: 43 classes and their static initialisers, about 13 ms of CPU
 * (a JVM handing one object over, 16 alternating runs, load 13), in every {@code convolve} and {@code upmix}, whose
 * reading thread is the first to wait. Monitors need none of it.
 */
final class HandOffQueue<T> {
    private final Object[] items;
    private int head;  // index of the oldest item
    private int count;

    HandOffQueue(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        items = new Object[capacity];
    }

    /** Appends {@code x}, waiting while the queue is full. */
    synchronized void put(T x) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        while (count == items.length) wait();
        enqueue(x);
    }

    /** Appends {@code x}; throws {@link IllegalStateException} when the queue is full. */
    synchronized void add(T x) {
        if (count == items.length) throw new IllegalStateException("queue full");
        enqueue(x);
    }

    /** Appends {@code x} unless the queue is full; returns whether it did. */
    synchronized boolean offer(T x) {
        if (count == items.length) return false;
        enqueue(x);
        return true;
    }

    /** Removes and returns the oldest item, waiting while the queue is empty. */
    synchronized T take() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        while (count == 0) wait();
        @SuppressWarnings("unchecked")
        T x = (T) items[head];
        items[head] = null;
        head = head + 1 == items.length ? 0 : head + 1;
        count--;
        notifyAll(); // a producer may wait for room
        return x;
    }

    synchronized int size() {
        return count;
    }

    private void enqueue(Object x) {
        if (x == null) throw new NullPointerException();
        int tail = head + count;
        items[tail >= items.length ? tail - items.length : tail] = x;
        count++;
        notifyAll(); // a consumer may wait for an item
    }
}
