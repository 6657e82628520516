package org.stemroom.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Positional, bounds-checked reads from an open file for header parsing. Every read has a small caller-chosen
 * length, never one taken from a size field, so a corrupt header cannot make us allocate much.
 */
final class FileSource {
    final Path path;
    final FileChannel channel;
    final long size;

    FileSource(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
    }

    /** Exactly {@code n} bytes at {@code pos}, or an AudioFileException naming {@code what} as truncated. */
    ByteBuffer read(long pos, int n, ByteOrder order, String what) throws IOException {
        if (n < 0 || pos < 0 || pos > size || size - pos < n) {
            throw fail("truncated " + what + " (expected " + n + " bytes at offset " + pos + ", found "
                    + Math.max(0, size - Math.max(0, pos)) + ")");
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(order);
        readFully(pos, b, what);
        b.flip();
        return b;
    }

    /** Fills {@code b} from {@code pos}; the file ending first is reported as truncation of {@code what}. */
    void readFully(long pos, ByteBuffer b, String what) throws IOException {
        int want = b.remaining();
        long p = pos;
        while (b.hasRemaining()) {
            int r = channel.read(b, p);
            if (r < 0) {
                throw fail("truncated " + what + " (expected " + want + " bytes at offset " + pos + ", found "
                        + (p - pos) + ")");
            }
            p += r;
        }
    }

    AudioFileException fail(String problem) {
        return AudioFileException.of(path, problem);
    }

    static String fourCc(int v) {
        StringBuilder sb = new StringBuilder(4);
        for (int s = 24; s >= 0; s -= 8) {
            int c = (v >>> s) & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return sb.toString();
    }

    /** Reads a big-endian four-character code as an int (so 'RIFF' == 0x52494646 regardless of file order). */
    static int fourCc(ByteBuffer b) {
        return ((b.get() & 0xFF) << 24) | ((b.get() & 0xFF) << 16) | ((b.get() & 0xFF) << 8) | (b.get() & 0xFF);
    }

    static int cc(String s) {
        return (s.charAt(0) << 24) | (s.charAt(1) << 16) | (s.charAt(2) << 8) | s.charAt(3);
    }
}
