package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/** The one write-back of outputs (WriteBehind's files and the render's): when forces start, waiting for them. */
class WriteBackTest {
    @TempDir
    Path dir;

    private static final AudioFormat STEREO = new AudioFormat(48000, ChannelLayout.STEREO);

    /** An executor that holds the forces until the test runs them. */
    private static final class HeldForces implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> held = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) { held.add(r); }

        void runOne() { held.remove().run(); }
    }

    private static void writeFrames(AudioFileWriter w, int frames, int seed) throws IOException {
        AudioBuffer b = new AudioBuffer(2, frames);
        for (int c = 0; c < 2; c++) for (int i = 0; i < frames; i++) b.channel(c)[i] = (float) Math.sin(0.01 * (seed + i) * (c + 1));
        w.write(b);
    }

    @Test
    void aForceStartsEveryStretchAndNeverWhileOneIsUnderWay() throws IOException {
        HeldForces forces = new HeldForces();
        Path f = dir.resolve("out.wav");
        long stretch = 8L * 10_000; // 10 000 stereo float frames
        try (AudioFileWriter w = AudioFileWriter.create(f, STEREO, SampleFormat.FLOAT_32)) {
            WriteBack back = new WriteBack(w, stretch, forces);
            writeFrames(w, 9_999, 0);
            back.wrote();
            assertEquals(0, back.forcesStarted(), "less than a stretch written");
            writeFrames(w, 1, 9_999);
            back.wrote();
            assertEquals(1, back.forcesStarted(), "a stretch written");
            assertTrue(back.forceUnderWay());
            writeFrames(w, 25_000, 10_000); // 2.5 stretches more, but the first force has not run yet
            back.wrote();
            assertEquals(1, back.forcesStarted(), "none while one is under way");
            assertEquals(1, forces.held.size());
            forces.runOne();
            assertFalse(back.forceUnderWay());
            back.wrote(); // the next write asks again: 2.5 stretches since the last force started
            assertEquals(2, back.forcesStarted());
            forces.runOne();
            back.wrote(); // nothing written since
            assertEquals(2, back.forcesStarted());
            back.await();
            assertNull(back.failed());
            assertEquals(8L * 35_000, w.bytesWritten());
            w.commit();
        }
        assertTrue(Files.size(f) > 8L * 35_000);
    }

    @Test
    void awaitWaitsForTheForceUnderWay() throws Exception {
        Path f = dir.resolve("out.wav");
        try (AudioFileWriter w = AudioFileWriter.create(f, STEREO, SampleFormat.FLOAT_32)) {
            Thread[] ran = new Thread[1];
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            WriteBack back = new WriteBack(w, 8, r -> {
                ran[0] = new Thread(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    r.run();
                });
                ran[0].start();
            });
            writeFrames(w, 100, 0);
            back.wrote();
            Thread waiter = new Thread(() -> {
                try {
                    back.await();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            waiter.start();
            waiter.join(200);
            assertTrue(waiter.isAlive(), "await returned while the force was held");
            release.countDown();
            waiter.join(10_000);
            assertFalse(waiter.isAlive(), "await returned once the force ran");
            assertFalse(back.forceUnderWay());
            w.commit();
        }
    }

    @Test
    void aForceThatCannotStartIsNotWaitedFor() throws IOException {
        Path f = dir.resolve("out.wav");
        try (AudioFileWriter w = AudioFileWriter.create(f, STEREO, SampleFormat.FLOAT_32)) {
            WriteBack back = new WriteBack(w, 8, r -> { throw new RejectedExecutionException("shut down"); });
            writeFrames(w, 10, 0);
            assertThrows(RejectedExecutionException.class, back::wrote);
            assertFalse(back.forceUnderWay());
            back.await(); // returns at once
            w.commit();
        }
    }

    @Test
    void withoutAnExecutorEachForceRunsOnItsOwnThreadAndTheBytesAreTheSame() throws IOException {
        Path forced = dir.resolve("forced.wav");
        Path plain = dir.resolve("plain.wav");
        try (AudioFileWriter w = AudioFileWriter.create(forced, STEREO, SampleFormat.FLOAT_32);
             AudioFileWriter p = AudioFileWriter.create(plain, STEREO, SampleFormat.FLOAT_32)) {
            WriteBack back = new WriteBack(w, 8L * 4096, null);
            for (int k = 0; k < 20; k++) {
                writeFrames(w, 3000, 3000 * k);
                writeFrames(p, 3000, 3000 * k);
                back.wrote();
            }
            back.await();
            assertTrue(back.forcesStarted() >= 1, "forces: " + back.forcesStarted());
            w.commit();
            p.commit();
        }
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(forced));
    }
}
