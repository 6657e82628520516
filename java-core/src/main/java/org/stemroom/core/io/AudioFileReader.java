package org.stemroom.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;

/**
 * Streams audio from a WAV, RF64/BW64, AIFF, AIFF-C or FLAC file, block by block into planar float
 * {@link AudioBuffer}s. The container is recognised by its content, not its extension. Memory use does not
 * depend on the file's length, and no size field in the file is trusted for allocation.
 *
 * <pre>{@code
 * try (AudioFileReader r = AudioFileReader.open(path)) {
 *     AudioBuffer buf = new AudioBuffer(r.format().channels(), 4096);
 *     while (r.read(buf) > 0) { ... buf.frames() frames ... }
 * }
 * }</pre>
 *
 * Every problem with the file is an {@link AudioFileException} whose one-line message names the file.
 */
public abstract class AudioFileReader implements AutoCloseable {
    protected final Path path;

    AudioFileReader(Path path) {
        this.path = path;
    }

    /** Opens {@code path}, detecting WAV, RF64/BW64, AIFF, AIFF-C or FLAC from the first bytes. */
    public static AudioFileReader open(Path path) throws AudioFileException {
        if (Files.isDirectory(path)) throw AudioFileException.of(path, "is a directory, not an audio file");
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw AudioFileException.of(path, "no such file");
        } catch (AccessDeniedException e) {
            throw AudioFileException.of(path, "permission denied");
        } catch (IOException | SecurityException e) {
            throw AudioFileException.of(path, "cannot open: " + e.getMessage(), e);
        }
        try {
            FileSource src = new FileSource(path, ch);
            if (src.size == 0) throw src.fail("empty file, not audio");
            int n = (int) Math.min(12, src.size);
            ByteBuffer head = src.read(0, n, java.nio.ByteOrder.BIG_ENDIAN, "header");
            byte[] h = new byte[n];
            head.get(h);
            String magic = n >= 4 ? ascii(h, 0, 4) : "";
            String form = n >= 12 ? ascii(h, 8, 4) : "";
            AudioFileReader r;
            if ((magic.equals("RIFF") || magic.equals("RF64") || magic.equals("BW64")) && form.equals("WAVE")) {
                r = WavParser.open(src, magic);
            } else if (magic.equals("RIFX") && form.equals("WAVE")) {
                throw src.fail("big-endian RIFX WAV files are not supported");
            } else if (magic.equals("FORM") && (form.equals("AIFF") || form.equals("AIFC"))) {
                r = AiffParser.open(src, form.equals("AIFC"));
            } else if (magic.equals("fLaC") || (n >= 3 && ascii(h, 0, 3).equals("ID3"))) {
                r = FlacFileReader.open(src);
            } else {
                throw src.fail("not a WAV, RF64, AIFF or FLAC file (starts with " + hex(h) + ")");
            }
            return r;
        } catch (AudioFileException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException e) {
            closeQuietly(ch);
            throw AudioFileException.of(path, "read error: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** The file this reader reads. */
    public Path path() { return path; }

    /** Sample rate and channel layout (from the WAV channel mask when present, else the default for the count). */
    public abstract AudioFormat format();

    /** Total length in frames. */
    public abstract long frames();

    /** Human-readable encoding, e.g. "WAV PCM 24-bit", "AIFF-C float 32-bit", "FLAC 16-bit". */
    public abstract String encoding();

    /** Significant bits per sample in the file (e.g. 16, 24, 32 for float, 64 for double). */
    public abstract int bitsPerSample();

    /**
     * Reads the next up to {@code buf.capacity()} frames into {@code buf}, sets {@code buf.frames()} and returns
     * the count; 0 at the end of the file. The buffer must have {@link #format()}'s channel count. Every sample
     * returned is finite: a NaN or infinite sample in a float file is an {@link AudioFileException} naming its
     * frame and channel.
     */
    public abstract int read(AudioBuffer buf) throws IOException;

    /** The index of the next frame {@link #read} returns. */
    public abstract long position();

    /** Moves to {@code frame} (0..frames()). Constant time for uncompressed files; FLAC decodes forward. */
    public abstract void seek(long frame) throws IOException;

    @Override
    public abstract void close() throws IOException;

    void checkBuffer(AudioBuffer buf) {
        if (buf.channels() != format().channels()) {
            throw new IllegalArgumentException("buffer has " + buf.channels() + " channels, file " + path + " has "
                    + format().channels());
        }
    }

    void checkSeek(long frame) {
        if (frame < 0 || frame > frames()) {
            throw new IllegalArgumentException("seek to frame " + frame + " outside 0.." + frames() + " of " + path);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing; the first error is the one to report
        }
    }

    private static String ascii(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = off; i < off + len; i++) sb.append((char) (b[i] & 0xFF));
        return sb.toString();
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 8); i++) {
            if (i > 0) sb.append(' ');
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
