package org.stemroom.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;

/**
 * The shutdown hook that deletes temporary files is registered exactly while some writer's temporary file is live
 * (System.exit starts and waits for every registered hook: a process whose outputs are all committed exits without
 * one). {@link InterruptedWriteTest} checks that the hook still cleans up a killed writer.
 */
class CleanupHookTest {
    @TempDir
    Path dir;

    /** The hook is registered if and only if a temporary file is live (other tests' writers included). */
    private static void assertHookMatchesLiveTemps(String when) {
        assertEquals(AudioFileWriter.liveTemps() > 0, AudioFileWriter.cleanupHookRegistered(), when);
    }

    @Test
    void hookOnlyWhileATemporaryFileIsLive() throws Exception {
        int before = AudioFileWriter.liveTemps();
        assertHookMatchesLiveTemps("before");
        AudioBuffer b = new AudioBuffer(2, 480);
        AudioFileWriter first = AudioFileWriter.create(dir.resolve("a.wav"), AudioFormat.of(48000, 2), SampleFormat.PCM_24);
        assertTrue(AudioFileWriter.cleanupHookRegistered(), "registered with a live temporary file");
        AudioFileWriter second = AudioFileWriter.create(dir.resolve("b.wav"), AudioFormat.of(48000, 2), SampleFormat.FLOAT_32);
        assertEquals(before + 2, AudioFileWriter.liveTemps());
        first.write(b);
        first.commit();
        assertTrue(AudioFileWriter.cleanupHookRegistered(), "still registered: the second file is live");
        second.write(b);
        second.close(); // not committed: its temporary file is deleted
        assertEquals(before, AudioFileWriter.liveTemps());
        assertHookMatchesLiveTemps("after the commit and the close");
        if (before == 0) assertFalse(AudioFileWriter.cleanupHookRegistered(), "no live temporary file, no hook");
        assertTrue(Files.exists(dir.resolve("a.wav")));
        assertFalse(Files.exists(dir.resolve("b.wav")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the committed output is left");
        }
        // and again: a new writer registers the hook anew
        AudioFileWriter third = AudioFileWriter.create(dir.resolve("c.wav"), AudioFormat.of(48000, 2), SampleFormat.PCM_16);
        assertTrue(AudioFileWriter.cleanupHookRegistered());
        third.write(b);
        third.commit();
        assertHookMatchesLiveTemps("after the third writer");
    }
}
