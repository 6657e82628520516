package org.stemroom.workstation.render;

import java.io.IOException;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.separation.AudioSource;

/** An audio file as a separation source, read block by block (memory independent of the file's length). */
final class FileAudioSource implements AudioSource {
    private final AudioFileReader reader;
    private final AudioBuffer buf;
    private final FrameListener listener;

    /** Frames per read from the file: the largest block a {@link FrameListener} sees. */
    static final int BLOCK = 8192;

    /** Sees every block read (the render measures the input on the way). */
    interface FrameListener {
        void frames(AudioBuffer block) throws IOException;
    }

    FileAudioSource(AudioFileReader reader, FrameListener listener) {
        this.reader = reader;
        this.buf = new AudioBuffer(reader.format().channels(), BLOCK);
        this.listener = listener;
    }

    @Override public AudioFormat format() { return reader.format(); }
    @Override public long frames() { return reader.frames(); }

    @Override
    public int read(float[][] dst, int offset, int count) throws IOException {
        int total = 0;
        while (total < count) {
            int want = Math.min(buf.capacity(), count - total);
            AudioBuffer b = buf;
            if (want < buf.capacity()) {
                // read exactly `want` frames: a view on the same arrays with a smaller capacity is not possible,
                // so read into a trimmed wrapper
                float[][] tmp = new float[buf.channels()][want];
                b = AudioBuffer.wrap(tmp);
            }
            int n = reader.read(b);
            if (n <= 0) break;
            for (int c = 0; c < dst.length; c++) System.arraycopy(b.channel(c), 0, dst[c], offset + total, n);
            if (listener != null) listener.frames(b);
            total += n;
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
