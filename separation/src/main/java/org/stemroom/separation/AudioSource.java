package org.stemroom.separation;

import java.io.Closeable;
import java.io.IOException;
import org.stemroom.core.AudioFormat;

/** A mixture read block by block (a file reader, a generator), so long inputs never sit in memory whole. */
public interface AudioSource extends Closeable {
    AudioFormat format();

    /** Total frames, or -1 when unknown. */
    long frames();

    /**
     * Reads up to {@code count} frames into {@code dst[c][offset..]}; returns the number read, 0 only at the end.
     */
    int read(float[][] dst, int offset, int count) throws IOException;

    @Override
    default void close() throws IOException { }
}
