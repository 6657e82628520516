package org.stemroom.workstation.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.spatial.FoldDown;
import org.stemroom.spatial.FoldDownCheck;
import org.stemroom.spatial.SpeakerLayout;

/**
 * The fold-down check of a surround render (spatializer's {@link FoldDownCheck}): the ITU-R BS.775 Lo/Ro fold-down
 * of the mix against the input (a mono input stands for a stereo reference with both sides equal), over the whole
 * programme: the check streams both files, so memory does not depend on their length.
 */
public final class FoldDownSection implements ReportWriter.Section {
    private final Path input;
    private final Path mix;
    private final ChannelLayout layout;

    public FoldDownSection(Path input, Path mix, ChannelLayout layout) {
        this.input = input;
        this.mix = mix;
        this.layout = layout;
    }

    @Override
    public String title() { return "Fold-down check (ITU-R BS.775 Lo/Ro against the input)"; }

    @Override
    public String html() throws IOException {
        FoldDownCheck.Report r;
        try (FoldDownCheck.Input ref = FoldDownCheck.of(AudioFileReader.open(input), true);
             FoldDownCheck.Input sur = FoldDownCheck.of(AudioFileReader.open(mix), false)) {
            r = FoldDownCheck.run(ref, input.getFileName().toString(), sur, mix.getFileName().toString(),
                    new FoldDown(SpeakerLayout.of(layout), FoldDown.Mode.LO_RO), FoldDownCheck.DEFAULT_TOLERANCE_DB);
        } catch (StemroomException e) {
            return "<p>The fold-down check could not run: " + ReportWriter.esc(e.getMessage()) + "</p>\n";
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<p>%.1f s compared at %d Hz (lag %d frames). Result: <b class=\"%s\">%s</b>"
                        + " (worst band %.2f dB, tolerance %.1f dB; a placement that moves stems away from the front "
                        + "changes the fold-down on purpose).</p>%n",
                r.seconds, r.sampleRate, r.lagFrames, r.pass() ? "ok" : "bad", r.pass() ? "PASS" : "FAIL",
                r.worstBandDb(), r.toleranceDb));
        s.append("<table><tr><th>octave band</th><th>left</th><th>right</th><th>both</th></tr>\n");
        for (int b = 0; b < r.bands.size(); b++) {
            s.append(String.format(Locale.ROOT, "<tr><td>%s Hz</td><td>%+.2f dB</td><td>%+.2f dB</td><td>%+.2f dB</td></tr>%n",
                    ReportWriter.esc(r.bands.get(b)), r.bandDiffDb[0][b], r.bandDiffDb[1][b], r.bandDiffDb[2][b]));
        }
        s.append("</table>\n<table>\n");
        s.append(String.format(Locale.ROOT, "<tr><th>correlation with the input</th><td>L %.4f, R %.4f</td></tr>%n",
                r.correlation[0], r.correlation[1]));
        s.append(String.format(Locale.ROOT, "<tr><th>loudness</th><td>input %.2f LUFS, fold-down %.2f LUFS (%+.2f LU)</td></tr>%n",
                r.referenceLufs, r.foldDownLufs, r.loudnessDiffLu()));
        s.append(String.format(Locale.ROOT, "<tr><th>fold-down peak</th><td>%.2f dBFS, %d samples beyond full scale</td></tr>%n",
                r.foldDownPeakDbfs, r.foldDownClipped));
        s.append(String.format(Locale.ROOT, "<tr><th>mono compatibility</th><td>L/R correlation %.3f (input %.3f), mono sum "
                + "%+.2f LU (input %+.2f)</td></tr>%n", r.foldDownLrCorrelation, r.referenceLrCorrelation,
                r.foldDownMonoLossDb, r.referenceMonoLossDb));
        s.append("</table>\n");
        return s.toString();
    }

}
