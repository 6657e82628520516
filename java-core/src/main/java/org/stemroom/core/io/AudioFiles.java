package org.stemroom.core.io;

import java.io.IOException;
import java.nio.file.Path;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;

/** Whole-file convenience on top of {@link AudioFileReader} and {@link AudioFileWriter}, for short material. */
public final class AudioFiles {
    /** Default limit of {@link #readAll(Path)}: 1 GiB of float samples (about 47 minutes of 48 kHz stereo). */
    public static final long DEFAULT_MAX_READ_ALL_BYTES = 1L << 30;
    private static final int BLOCK = 1 << 14;

    private AudioFiles() {}

    /** Reads a whole file into memory, refusing files whose samples would take more than 1 GiB as float. */
    public static AudioClip readAll(Path path) throws IOException {
        return readAll(path, DEFAULT_MAX_READ_ALL_BYTES);
    }

    /** Reads a whole file into memory, refusing files whose float samples would exceed {@code maxBytes}. */
    public static AudioClip readAll(Path path, long maxBytes) throws IOException {
        try (AudioFileReader r = AudioFileReader.open(path)) {
            int ch = r.format().channels();
            long frames = r.frames();
            long bytes = frames * ch * 4L;
            if (bytes > maxBytes || frames > Integer.MAX_VALUE - 16) {
                throw AudioFileException.of(path, String.format(java.util.Locale.ROOT,
                        "too long to load into memory (%d frames, %.1f MiB as float; limit %.1f MiB)", frames,
                        bytes / 1048576.0, maxBytes / 1048576.0));
            }
            // Grow as data arrives instead of trusting the header's length: a corrupt FLAC STREAMINFO may
            // claim billions of frames in a tiny file.
            float[][] data = new float[ch][(int) Math.min(frames, 1 << 20)];
            AudioBuffer buf = new AudioBuffer(ch, (int) Math.min(BLOCK, Math.max(1, frames)));
            int at = 0;
            int n;
            while (at < frames && (n = r.read(buf)) > 0) {
                if (at + n > data[0].length) {
                    int cap = (int) Math.min(frames, Math.max((long) at + n, 2L * data[0].length));
                    for (int c = 0; c < ch; c++) data[c] = java.util.Arrays.copyOf(data[c], cap);
                }
                for (int c = 0; c < ch; c++) System.arraycopy(buf.channel(c), 0, data[c], at, n);
                at += n;
            }
            if (at != frames) {
                throw AudioFileException.of(path, "ended after " + at + " of " + frames + " frames");
            }
            return new AudioClip(r.format(), data);
        }
    }

    /** Writes a clip to a WAV file atomically (dither on for 16/24 bit). */
    public static void write(Path path, AudioClip clip, SampleFormat sampleFormat) throws IOException {
        write(path, clip, sampleFormat, AudioFileWriter.Options.defaults());
    }

    public static void write(Path path, AudioClip clip, SampleFormat sampleFormat, AudioFileWriter.Options options)
            throws IOException {
        try (AudioFileWriter w = AudioFileWriter.create(path, clip.format(), sampleFormat, options)) {
            int ch = clip.channels();
            int total = clip.frames();
            float[][] block = new float[ch][Math.min(BLOCK, Math.max(1, total))];
            AudioBuffer buf = AudioBuffer.wrap(block);
            for (int at = 0; at < total; at += BLOCK) {
                int n = Math.min(BLOCK, total - at);
                for (int c = 0; c < ch; c++) System.arraycopy(clip.channel(c), at, block[c], 0, n);
                buf.setFrames(n);
                w.write(buf);
            }
            w.commit();
        }
    }
}
