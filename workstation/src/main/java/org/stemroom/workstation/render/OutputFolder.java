package org.stemroom.workstation.render;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileWriter;

/**
 * Makes a render's outputs appear all at once. Everything is written into a hidden staging folder inside the
 * output folder; {@link #publish} renames the files into place (same file system, atomic per file) with the
 * manifest last, so a folder with a render.json always holds a complete render. If the process is interrupted
 * (Ctrl-C) before publishing, a shutdown hook removes the staging folder and says so.
 *
 * <p>Shutdown hooks run while the render's threads still run, so the hook shuts the door before it clears: from then
 * on {@link #staged} refuses (it would otherwise create the staging folder again, and the file written into it would
 * outlive the process), and the staging folder is renamed away before it is deleted, so a writer that already holds
 * a staged path can no longer create a file under it, and a file it already opened goes with the renamed folder.
 */
public final class OutputFolder implements AutoCloseable {
    private final Path dir;
    private final Thread hook;
    private final Object lock = new Object();
    private Path staging; // null only until the constructor made it (the hook may run before that)
    private boolean published;
    private boolean closed;
    private boolean stopped; // the shutdown hook ran: nothing more is staged

    public OutputFolder(Path dir, List<Path> inputs) throws IOException, StemroomException {
        this.dir = dir.toAbsolutePath().normalize();
        for (Path in : inputs) {
            Path a = in.toAbsolutePath().normalize();
            if (a.equals(this.dir)) throw new StemroomException(dir + ": the output folder is an input file");
        }
        Files.createDirectories(this.dir);
        removeAbandonedStaging(this.dir);
        // the hook before the staging folder: a signal between the two would otherwise leave the folder behind
        this.hook = new Thread(this::interrupted, "stemroom-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        synchronized (lock) {
            try {
                if (stopped) throw new IOException(this.dir + ": interrupted before the render started");
                this.staging = createStaging(this.dir);
            } catch (IOException e) {
                closed = true;
                removeHook();
                throw e;
            }
        }
    }

    static final String PREFIX = ".stemroom-partial-";

    /**
     * A new staging folder, {@link #PREFIX} + this process's id + "-" + a number, created exclusively (a leftover of
     * an earlier process that had the same id is stepped over). Not Files.createTempDirectory: its random names come
     * from SecureRandom, whose providers' set-up (and ProcessHandle's, for the id) ran on the render's main thread
     * before separation's first window, about 25 ms at load 1.3 (class-load log of the bench render, session 27).
     */
    private static Path createStaging(Path dir) throws IOException {
        String prefix = PREFIX + AudioFileWriter.processId() + "-";
        for (int n = 1; ; n++) {
            try {
                return Files.createDirectory(dir.resolve(prefix + n));
            } catch (FileAlreadyExistsException e) {
                if (n >= 1000) throw e;
            }
        }
    }

    public Path dir() { return dir; }

    /** Staging folders left by a render that was killed outright (its process no longer runs) are removed. */
    private static void removeAbandonedStaging(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : s) {
                String rest = p.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash > 0 ? rest.substring(0, dash) : rest);
                } catch (NumberFormatException e) {
                    continue; // not ours
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                deleteTree(p);
            }
        }
    }

    /** Where to write a file that will appear as {@code dir/relative} on {@link #publish}. */
    public Path staged(String relative) throws IOException {
        synchronized (lock) {
            if (stopped) throw new IOException(dir + ": interrupted; nothing more is written");
            Path p = staging.resolve(relative);
            Files.createDirectories(p.getParent());
            return p;
        }
    }

    /** Moves every staged file into place; {@code manifest} (relative) goes last. */
    public void publish(String manifest) throws IOException {
        synchronized (lock) {
            if (stopped) throw new IOException(dir + ": interrupted; the render is not published");
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.walk(staging)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
            Path last = staging.resolve(manifest);
            files.remove(last);
            if (Files.exists(last)) files.add(last);
            // A manifest from an earlier render in this folder goes first, so no stale manifest describes new files.
            Files.deleteIfExists(dir.resolve(manifest));
            for (Path f : files) {
                Path target = dir.resolve(staging.relativize(f).toString());
                Files.createDirectories(target.getParent());
                try {
                    Files.move(f, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException(target + ": the file system cannot rename atomically", e);
                }
            }
            published = true;
            deleteTree(staging);
        }
    }

    /** The shutdown hook's work (package-private so that a test can run it while writers are at work). */
    void interrupted() {
        synchronized (lock) {
            if (published || closed) return;
            stopped = true;
            if (staging != null) removeStaging();
            System.err.println("stemroom: interrupted: the render was stopped before it finished; no partial files"
                    + " were left in " + dir);
        }
    }

    /** Removes the staging folder if the render did not publish (an error). */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            if (!published) deleteTree(staging);
        }
        removeHook();
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook runs (and finds us closed)
        }
    }

    /**
     * Renames the staging folder away, then deletes it: after the rename no path a writer holds leads into it. The
     * new name keeps this process's prefix, so a later render here removes it if this process dies before it has.
     */
    private void removeStaging() {
        Path away = staging.resolveSibling(staging.getFileName() + "-stopped");
        try {
            Files.move(staging, away, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            away = staging; // cannot rename: deleting in place is the best left
        }
        deleteTree(away);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a file still open elsewhere is removed with the JVM
                }
            });
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

}
