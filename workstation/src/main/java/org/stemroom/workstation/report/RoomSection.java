package org.stemroom.workstation.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stemroom.room.RoomAcousticsAnalysis;
import org.stemroom.room.RoomImpulseResponse;

/** The room used: ISO 3382-1 figures per octave band and the energy decay curves (room-ir's analysis). */
public final class RoomSection implements ReportWriter.Section {
    private final String name;
    private final RoomImpulseResponse ir;

    public RoomSection(String name, RoomImpulseResponse ir) {
        this.name = name;
        this.ir = ir;
    }

    @Override
    public String title() { return "Room: " + name; }

    @Override
    public String html() throws IOException {
        // The first source into the first output that has a path: the front-left view of the room.
        float[] h = null;
        for (int o = 0; o < ir.outputs() && h == null; o++) h = ir.ir(0, o);
        if (h == null) return "<p>The room has no impulse response to analyse.</p>\n";
        RoomAcousticsAnalysis.Result a = RoomAcousticsAnalysis.analyze(h, ir.sampleRate());
        StringBuilder s = new StringBuilder();
        if (ir.metadata().room != null && !ir.metadata().room.isEmpty()) {
            s.append("<p>").append(ReportWriter.esc(ir.metadata().room)).append("</p>\n");
        }
        List<String> labels = new ArrayList<>();
        List<float[]> curves = new ArrayList<>();
        double step = 0;
        s.append("<table><tr><th>band</th><th>EDT</th><th>T20</th><th>T30</th><th>C80</th><th>D50</th></tr>\n");
        List<RoomAcousticsAnalysis.BandResult> rows = new ArrayList<>(a.bands);
        rows.add(a.broadband);
        for (RoomAcousticsAnalysis.BandResult b : rows) {
            s.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.2f s</td><td>%.2f s</td><td>%.2f s</td>"
                    + "<td>%.1f dB</td><td>%.2f</td></tr>%n", ReportWriter.esc(b.label), b.edt, b.t20, b.t30, b.c80, b.d50));
            if (b.edcDb != null && b.band > 0) {
                labels.add(b.label);
                curves.add(b.edcDb);
                step = b.edcStep;
            }
        }
        s.append("</table>\n");
        if (!curves.isEmpty()) {
            StringBuilder img = new StringBuilder();
            ReportWriter.img(img, Plots.decayCurves(labels, curves, step, "energy decay curves (Schroeder), " + name),
                    "decay curves");
            s.append(img);
        }
        return s.toString();
    }
}
