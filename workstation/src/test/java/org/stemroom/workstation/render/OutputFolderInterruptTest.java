package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shutdown hook (Ctrl-C) runs while the render's threads still write: whatever they do after or during it, no
 * file stays in the output folder. The hook is run in-process here (the child-process test is InterruptTest).
 */
class OutputFolderInterruptTest {
    @Test
    void nothingIsStagedAfterTheHookRan(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        OutputFolder folder = new OutputFolder(out, List.of());
        try {
            Files.write(folder.staged("stems/vocals.wav"), new byte[100]);
            Path held = folder.staged("stems-5.1/vocals.wav"); // taken before the signal, opened after it
            folder.interrupted();
            // a writer that starts late (e.g. the placing thread's first block) must not bring the folder back
            assertThrows(IOException.class, () -> folder.staged("stems/drums.wav"));
            assertThrows(IOException.class, () -> Files.write(held, new byte[100]));
            assertThrows(IOException.class, () -> folder.publish("render.json"));
            // checked before close: in a process being stopped, nothing cleans up after the hook
            assertEquals(List.of(), entries(out));
        } finally {
            folder.close();
        }
    }

    @Test
    void writersCreatingFilesWhileTheHookClearsLeaveNothing(@TempDir Path dir) throws Exception {
        for (int round = 0; round < 200; round++) {
            Path out = dir.resolve("out" + round);
            OutputFolder folder = new OutputFolder(out, List.of());
            Path stems = folder.staged("stems/x.wav").getParent();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(2);
            // one writer through paths it already holds, one asking for new ones, as the render's threads do
            Thread held = new Thread(() -> {
                started.countDown();
                for (int i = 0; !stop.get(); i++) {
                    try {
                        Files.write(stems.resolve("held" + i + ".wav"), new byte[16]);
                    } catch (IOException e) {
                        // the folder is gone: expected once the hook ran
                    }
                }
            });
            Thread asking = new Thread(() -> {
                started.countDown();
                for (int i = 0; !stop.get(); i++) {
                    try {
                        Files.write(folder.staged("stems-5.1/new" + i + ".wav"), new byte[16]);
                    } catch (IOException e) {
                        // refused or gone: expected once the hook ran
                    }
                }
            });
            held.start();
            asking.start();
            started.await();
            Thread.sleep(1);
            folder.interrupted();
            Thread.sleep(2); // the writers keep going after the hook, as they do until the JVM halts
            stop.set(true);
            held.join();
            asking.join();
            List<Path> left = entries(out); // before close: in a process being stopped, nothing cleans up after
            folder.close();                 // the hook
            assertEquals(List.of(), left, "round " + round);
        }
    }

    private static List<Path> entries(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(p -> !p.equals(out)).toList();
        }
    }
}
