package org.stemroom.workstation.render;

import java.io.IOException;
import java.nio.file.Path;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.spatial.FoldDown;
import org.stemroom.spatial.FoldDownCheck;
import org.stemroom.spatial.SpeakerLayout;

/**
 * The report's fold-down check of a surround render, fed by the mix as it is written (spatializer's
 * {@link FoldDownCheck#stream}): the render's mix is aligned with its input by construction, so the input is read
 * along with it, frame for frame (a mono input stands for a stereo reference with both sides equal), and no file is
 * read again after the render. The room's tail after the input's end is not part of the comparison.
 */
final class FoldDownTap implements AlignedWriter.Tap, AutoCloseable {
    private final FoldDownCheck.Stream check;
    private final AudioFileReader input;
    private final StemPlacer.BlockFiller reader;
    private final long inputFrames;
    private final float[][] reference = new float[2][];
    private final int block;
    private long pos;

    FoldDownTap(Path inputFile, ChannelLayout layout, int block) throws IOException {
        this.input = AudioFileReader.open(inputFile);
        this.reader = new StemPlacer.BlockFiller(input, block);
        this.inputFrames = input.frames();
        this.block = block;
        this.check = FoldDownCheck.stream(new FoldDown(SpeakerLayout.of(layout), FoldDown.Mode.LO_RO),
                input.format().sampleRate(), FoldDownCheck.DEFAULT_TOLERANCE_DB);
    }

    @Override
    public void add(float[][] mix, int off, int n) throws IOException {
        for (int done = 0; done < n && pos < inputFrames; ) {
            int m = (int) Math.min(Math.min(n - done, block), inputFrames - pos);
            AudioBuffer in = reader.next(m);
            // the check copies what it keeps, so the reader's channels are passed as they are
            for (int c = 0; c < 2; c++) reference[c] = in.channel(Math.min(c, in.channels() - 1));
            check.add(reference, 0, mix, off + done, m);
            pos += m;
            done += m;
        }
    }

    /** The check of everything compared. */
    FoldDownCheck.Report report() {
        return check.report();
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
