package org.stemroom.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one way a finished temporary file takes its final name. Readers of {@code target} see the old file or the
 * complete new one, never a part: so a file system that cannot rename atomically is an error that names the
 * file, not a silent fall back to a copy.
 */
public final class AtomicFiles {
    private AtomicFiles() { }

    /** Renames {@code tmp} (written completely, in the same folder) onto {@code target}, replacing it. */
    public static void replace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(target + ": the file system cannot rename atomically in this folder", e);
        }
    }
}
