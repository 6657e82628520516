package org.stemroom.workstation.report;

import java.io.IOException;
import java.util.Locale;
import org.stemroom.spatial.FoldDownCheck;

/**
 * The fold-down check of a surround render (spatializer's {@link FoldDownCheck}): the ITU-R BS.775 Lo/Ro fold-down
 * of the mix against the input (a mono input stands for a stereo reference with both sides equal), over the whole
 * programme, measured by the render as it writes the mix.
 */
public final class FoldDownSection implements ReportWriter.Section {
    private final FoldDownCheck.Report r;

    public FoldDownSection(FoldDownCheck.Report report) {
        this.r = report;
    }

    @Override
    public String title() { return "Fold-down check (ITU-R BS.775 Lo/Ro against the input)"; }

    @Override
    public String html() throws IOException {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<p>%.1f s compared at %d Hz (lag %d frames; the room's tail after the"
                        + " input's end is not compared). Result: <b class=\"%s\">%s</b>"
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
