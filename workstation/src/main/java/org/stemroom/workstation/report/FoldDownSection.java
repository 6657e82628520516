package org.stemroom.workstation.report;

import java.io.IOException;
import java.util.Locale;
import org.stemroom.spatial.FoldDownCheck;

/**
 * A fold-down check of a surround render (spatializer's {@link FoldDownCheck}) against the input (a mono input
 * stands for a stereo reference with both sides equal), over the whole programme, measured by the render as it
 * writes the mix: the ITU-R BS.775 Lo/Ro fold-down ({@link #FoldDownSection}), or the Lt/Rt matrix encode with its
 * 90-degree network and the encode's sample and true peak ({@link #ltRt}).
 */
public final class FoldDownSection implements ReportWriter.Section {
    /** The usual delivery ceiling for true peak (EBU R128 / AES streaming recommendations), as upmix --ltrt warns. */
    static final double LTRT_TRUE_PEAK_CEILING_DB = -1.0;

    private final FoldDownCheck.Report r;
    private final String title;
    private final double ltRtSamplePeak;
    private final double ltRtTruePeak;

    /** The Lo/Ro check. */
    public FoldDownSection(FoldDownCheck.Report report) {
        this(report, "Fold-down check (ITU-R BS.775 Lo/Ro against the input)", Double.NaN, Double.NaN);
    }

    private FoldDownSection(FoldDownCheck.Report report, String title, double samplePeak, double truePeak) {
        this.r = report;
        this.title = title;
        this.ltRtSamplePeak = samplePeak;
        this.ltRtTruePeak = truePeak;
    }

    /** The Lt/Rt check, with the linear sample and true peak of the encode of the whole mix. */
    public static FoldDownSection ltRt(FoldDownCheck.Report report, double samplePeak, double truePeak) {
        return new FoldDownSection(report, "Lt/Rt encode check (matrix encode with its 90-degree network against the"
                + " input)", samplePeak, truePeak);
    }

    @Override
    public String title() { return title; }

    @Override
    public String html() throws IOException {
        StringBuilder s = new StringBuilder();
        boolean ltRt = !Double.isNaN(ltRtTruePeak);
        if (ltRt) {
            s.append("<p>The input goes through the encoder's front all-pass, so what sits in the front speakers compares "
                    + "sample by sample; the surrounds, 90 degrees away in the encode, lower the correlation and cancel in "
                    + "the mono sum on purpose.</p>\n");
        }
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
        if (ltRt) {
            double tp = db(ltRtTruePeak);
            boolean over = tp > LTRT_TRUE_PEAK_CEILING_DB;
            s.append(String.format(Locale.ROOT, "<tr><th>Lt/Rt peak (whole mix, room tail included)</th><td>sample peak"
                    + " %.2f dBFS, true peak <b class=\"%s\">%.2f dBTP</b>%s</td></tr>%n", db(ltRtSamplePeak),
                    over ? "bad" : "ok", tp, over ? String.format(Locale.ROOT, " (above %.1f dBTP: trim the encode by "
                    + "%.1f dB, e.g. <code>stemroom upmix --ltrt</code>/<code>place --ltrt</code> with --ltrt-trim)",
                    LTRT_TRUE_PEAK_CEILING_DB, LTRT_TRUE_PEAK_CEILING_DB - tp) : ""));
        } else {
            s.append(String.format(Locale.ROOT, "<tr><th>fold-down peak</th><td>%.2f dBFS, %d samples beyond full scale</td></tr>%n",
                    r.foldDownPeakDbfs, r.foldDownClipped));
        }
        s.append(String.format(Locale.ROOT, "<tr><th>mono compatibility</th><td>L/R correlation %.3f (input %.3f), mono sum "
                + "%+.2f LU (input %+.2f)</td></tr>%n", r.foldDownLrCorrelation, r.referenceLrCorrelation,
                r.foldDownMonoLossDb, r.referenceMonoLossDb));
        s.append("</table>\n");
        return s.toString();
    }

    private static double db(double linear) {
        return 20 * Math.log10(Math.max(linear, 1e-10));
    }
}
