package org.stemroom.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read or written as audio: truncated, malformed, an unsupported codec or rate,
 * non-finite samples, or a refused target. The message is one line that starts with the file name and
 * says what is wrong, e.g. {@code "input.wav: truncated data chunk (expected 1048576 bytes, found 1000)"}.
 */
public class AudioFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public AudioFileException(String message) {
        super(message);
    }

    public AudioFileException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code "<file>: <problem>"}. */
    public static AudioFileException of(Path file, String problem) {
        return new AudioFileException(file + ": " + problem);
    }

    public static AudioFileException of(Path file, String problem, Throwable cause) {
        return new AudioFileException(file + ": " + problem, cause);
    }
}
