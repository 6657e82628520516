package org.stemroom.separation;

import java.io.IOException;
import java.util.List;
import org.stemroom.core.AudioFormat;

/** Receives separated stems block after block, in order (a set of WAV writers, a test collector). */
public interface StemSink {
    /** Called once before the first block with the stem names that will follow. */
    void begin(AudioFormat format, List<String> stemNames) throws IOException;

    /** Frames {@code [offset, offset+count)} of each stem's channels, continuing where the last call ended. */
    void write(List<float[][]> stems, int offset, int count) throws IOException;

    default void end() throws IOException { }
}
