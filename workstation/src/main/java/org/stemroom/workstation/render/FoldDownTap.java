package org.stemroom.workstation.render;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.loudness.TruePeakMeter;
import org.stemroom.spatial.FoldDown;
import org.stemroom.spatial.FoldDownCheck;
import org.stemroom.spatial.LtRtEncoder;
import org.stemroom.spatial.LtRtFiles;
import org.stemroom.spatial.SpeakerLayout;

/**
 * The report's fold-down checks of a surround render, fed by the mix as it is written (spatializer's
 * {@link FoldDownCheck#stream}): the render's mix is aligned with its input by construction, so the input is read
 * along with it, frame for frame (a mono input stands for a stereo reference with both sides equal), and no file is
 * read again after the render. The room's tail after the input's end is not part of the comparison.
 *
 * <p>Two checks: the ITU-R BS.775 Lo/Ro fold-down, and for layouts a matrix encode takes (5.1, 7.1) the real Lt/Rt
 * encode ({@link LtRtEncoder}, 90-degree network included) against the input passed through the encoder's front
 * path. The Lt/Rt encode of the whole mix (room tail included) also gets its sample and true peak: the encode adds
 * the centre and the shifted surrounds into each side, so it can pass full scale where the mix and Lo/Ro do not.
 */
final class FoldDownTap implements AlignedWriter.Tap, AutoCloseable {
    /**
     * The checks and the Lt/Rt encode's meters, built on the render's side pool: their filter designs (the band
     * meters' Butterworth sections through commons-math, whose classes the class-data archive cannot hold) took
     * 17-25 ms of the render's own thread before it could start separating; the first mix block, which needs them,
     * comes seconds later.
     */
    private final Future<Checks> checks;
    private Checks built;
    private float[][] encoded = new float[2][0];
    private double ltRtSamplePeak;
    private final AudioFileReader input;
    private final StemPlacer.BlockFiller reader;
    private final long inputFrames;
    private final float[][] reference = new float[2][];
    private final int block;
    private long pos;

    /** The Lo/Ro check, and for a layout the matrix encode takes the encoder, its check and its true-peak meter. */
    private record Checks(FoldDownCheck.Stream check, FoldDownCheck.Stream ltRtCheck, LtRtEncoder ltRt,
                          TruePeakMeter ltRtTruePeak) {
        static Checks of(SpeakerLayout speakers, int fs, int block) {
            FoldDownCheck.Stream check = FoldDownCheck.stream(new FoldDown(speakers, FoldDown.Mode.LO_RO), fs,
                    FoldDownCheck.DEFAULT_TOLERANCE_DB);
            if (!LtRtFiles.encodes(speakers)) return new Checks(check, null, null, null);
            LtRtEncoder ltRt = new LtRtEncoder(speakers);
            // one encode of the mix serves both the peaks (whole mix) and the check (fed the encoded frames); the
            // input's levels, the same in both checks, are measured once, by the Lo/Ro check (fed the same frames)
            return new Checks(check, FoldDownCheck.stream(ltRt, fs, FoldDownCheck.DEFAULT_TOLERANCE_DB, check), ltRt,
                    new TruePeakMeter(2, block));
        }
    }

    /** Opens the input here; the checks are built on {@code pool} (see {@link #checks}). */
    FoldDownTap(Path inputFile, ChannelLayout layout, int block, ExecutorService pool) throws IOException {
        this.input = AudioFileReader.open(inputFile);
        this.reader = new StemPlacer.BlockFiller(input, block);
        this.inputFrames = input.frames();
        this.block = block;
        int fs = input.format().sampleRate();
        SpeakerLayout speakers = SpeakerLayout.of(layout);
        this.checks = pool.submit(() -> Checks.of(speakers, fs, block));
    }

    /** The checks, once built (their construction's failure as this thread's). */
    private Checks checks() throws IOException {
        if (built == null) built = RenderEngine.get(checks, "setting up the fold-down check");
        return built;
    }

    @Override
    public void add(float[][] mix, int off, int n) throws IOException {
        Checks k = checks();
        FoldDownCheck.Stream check = k.check();
        FoldDownCheck.Stream ltRtCheck = k.ltRtCheck();
        if (k.ltRt() != null) ltRtPeaks(k, mix, off, n);
        for (int done = 0; done < n && pos < inputFrames; ) {
            int m = (int) Math.min(Math.min(n - done, block), inputFrames - pos);
            AudioBuffer in = reader.next(m);
            // the checks copy what they keep, so the reader's channels are passed as they are
            for (int c = 0; c < 2; c++) reference[c] = in.channel(Math.min(c, in.channels() - 1));
            // with an encode, both checks in one pass (their band meters share one loop)
            if (ltRtCheck != null) check.addWithEncode(reference, 0, mix, off + done, encoded, off + done, m);
            else check.add(reference, 0, mix, off + done, m);
            pos += m;
            done += m;
        }
    }

    /** Encodes frames [off, off+n) of the mix to Lt/Rt (the encoder writes frame t to frame t) and meters them. */
    private void ltRtPeaks(Checks k, float[][] mix, int off, int n) {
        if (encoded[0].length < off + n) encoded = new float[2][off + n]; // once: the writer's blocks are bounded
        k.ltRt().process(mix, encoded, off, n);
        // the float peak is the same number as a running maximum in double, in a loop C2 vectorizes (StreamStats)
        for (int c = 0; c < 2; c++) ltRtSamplePeak = Math.max(ltRtSamplePeak, AudioBuffer.peak(encoded[c], off, off + n));
        k.ltRtTruePeak().process(encoded, off, n);
    }

    /** The Lo/Ro check of everything compared. */
    FoldDownCheck.Report report() throws IOException {
        return checks().check().report();
    }

    /** The Lt/Rt check of everything compared; null when the layout has no Lt/Rt encode. */
    FoldDownCheck.Report ltRtReport() throws IOException {
        return checks().ltRtCheck() == null ? null : checks().ltRtCheck().report();
    }

    /** Linear sample peak of the Lt/Rt encode of the whole mix (NaN without an encode). */
    double ltRtSamplePeak() throws IOException {
        return checks().ltRt() == null ? Double.NaN : ltRtSamplePeak;
    }

    /** Linear true peak (BS.1770 4x) of the Lt/Rt encode of the whole mix (NaN without an encode). */
    double ltRtTruePeak() throws IOException {
        return checks().ltRt() == null ? Double.NaN : checks().ltRtTruePeak().peak();
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
