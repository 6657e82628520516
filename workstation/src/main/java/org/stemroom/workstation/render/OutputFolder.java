package org.stemroom.workstation.render;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.stemroom.core.StemroomException;

/**
 * Makes a render's outputs appear all at once. Everything is written into a hidden staging folder inside the
 * output folder; {@link #publish} renames the files into place (same file system, atomic per file) with the
 * manifest last, so a folder with a render.json always holds a complete render. If the process is interrupted
 * (Ctrl-C) before publishing, a shutdown hook removes the staging folder and says so.
 */
public final class OutputFolder implements AutoCloseable {
    private final Path dir;
    private final Path staging;
    private final Thread hook;
    private final Object lock = new Object();
    private boolean published;
    private boolean closed;

    public OutputFolder(Path dir, List<Path> inputs) throws IOException, StemroomException {
        this.dir = dir.toAbsolutePath().normalize();
        for (Path in : inputs) {
            Path a = in.toAbsolutePath().normalize();
            if (a.equals(this.dir)) throw new StemroomException(dir + ": the output folder is an input file");
        }
        Files.createDirectories(this.dir);
        removeAbandonedStaging(this.dir);
        this.staging = Files.createTempDirectory(this.dir, PREFIX + ProcessHandle.current().pid() + "-");
        this.hook = new Thread(this::interrupted, "stemroom-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static final String PREFIX = ".stemroom-partial-";

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
        Path p = staging.resolve(relative);
        Files.createDirectories(p.getParent());
        return p;
    }

    /** Moves every staged file into place; {@code manifest} (relative) goes last. */
    public void publish(String manifest) throws IOException {
        synchronized (lock) {
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

    private void interrupted() {
        synchronized (lock) {
            if (published || closed) return;
            deleteTree(staging);
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
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook runs (and finds us closed)
        }
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
