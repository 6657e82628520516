package org.stemroom.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;

/** Reads interleaved uncompressed samples (WAV, RF64, AIFF) with positional reads through a fixed-size buffer. */
final class PcmFileReader extends AudioFileReader {
    /** Bytes per read: few system calls per block (a 4096-frame float stereo block is 32 KiB). */
    private static final int IO_BYTES = 1 << 18;

    private final FileSource src;
    private final AudioFormat format;
    private final PcmLayout layout;
    private final long dataOffset;
    private final long frames;
    private final String encoding;
    private ByteBuffer io; // allocated by the first read
    private final int ioFrames;
    private long position;

    PcmFileReader(FileSource src, AudioFormat format, PcmLayout layout, long dataOffset, long frames, String encoding) {
        super(src.path);
        this.src = src;
        this.format = format;
        this.layout = layout;
        this.dataOffset = dataOffset;
        this.frames = frames;
        this.encoding = encoding;
        int block = layout.blockAlign();
        // no larger than the data: a short file (an IR) does not zero and touch a whole 256 KiB buffer
        this.ioFrames = (int) Math.max(1, Math.min(IO_BYTES / block, frames));
    }

    @Override public AudioFormat format() { return format; }
    @Override public long frames() { return frames; }
    @Override public String encoding() { return encoding; }
    @Override public int bitsPerSample() { return layout.validBits; }
    @Override public long position() { return position; }

    @Override
    public int read(AudioBuffer buf) throws IOException {
        checkBuffer(buf);
        int want = (int) Math.min(buf.capacity(), frames - position);
        int block = layout.blockAlign();
        if (io == null && want > 0) {
            // on the first read, not at open: a command that opens a file for its format only (convolve opens its
            // input twice) allocates nothing. Direct: the channel reads straight into it (into a heap buffer it
            // reads into a temporary direct buffer of its own and copies).
            io = ByteBuffer.allocateDirect(ioFrames * block + PcmLayout.SLACK).order(layout.order());
        }
        int done = 0;
        while (done < want) {
            int n = Math.min(want - done, ioFrames);
            io.clear().limit(n * block);
            src.readFully(dataOffset + position * block, io, "audio data");
            io.clear(); // absolute reads up to the capacity (the slack lies beyond the bytes just read)
            layout.decode(io, n, buf.data(), done, path, position);
            done += n;
            position += n;
        }
        buf.setFrames(done);
        return done;
    }

    @Override
    public void seek(long frame) {
        checkSeek(frame);
        position = frame;
    }

    @Override
    public void close() throws IOException {
        src.channel.close();
    }
}
