package org.stemroom.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opening a file for direct writes ({@code O_DIRECT}: from the caller's buffer to the disk, past the page cache), for
 * {@link AudioFileWriter.Options#pastPageCache}. Apart from the writer so that the JDK's option for it (in the
 * {@code jdk.unsupported} module, which a java.base-only runtime lacks) is looked up only when asked for.
 */
final class DirectWrites {
    /**
     * Bytes gathered before a direct write: one write per megabyte. Direct writes pay only in large stretches (a
     * writer of 496 MB with an fdatasync at its end, 2 runs each, session 25: 1 MiB direct writes 0.04-0.05 system
     * CPU-s, 96 KiB direct writes 0.29-0.32, 96 KiB writes through the page cache 0.31), each waits for the disk.
     */
    static final int STRETCH = 1 << 20;
    /**
     * The alignment of a direct write's buffer address, length and file position: the page size, a multiple of the
     * usual file system blocks (the JDK checks them against the file system's block size and refuses a direct write
     * that does not fit it; the writer then writes through the page cache).
     */
    static final int ALIGN = 4096;

    private DirectWrites() { }

    /** {@code file} (existing) opened again for direct writes, or null where its file system does not take them. */
    static FileChannel open(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
        } catch (IOException | UnsupportedOperationException | LinkageError e) {
            return null;
        }
    }
}
