package org.stemroom.workstation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.ChannelLayout;
import org.stemroom.presets.Presets;
import org.stemroom.presets.StemSettings;
import org.stemroom.workstation.render.RenderEngine;
import org.stemroom.workstation.render.RenderEngineTest;
import org.stemroom.workstation.render.RenderSettings;

/**
 * The report page as a render writes it: its text parts and the parts made on the pool (pictures, sections) joined as
 * bytes. The page must be valid UTF-8 throughout (the text's characters beyond Latin-1 encoded as such, not dropped
 * or written as Latin-1), and the speaker diagram that the render starts half-way through must be the diagram of
 * the render's placements, drawn afresh here, in its place in the page.
 */
class ReportPageTest {

    @Test
    void pageIsUtf8AndHoldsTheSpeakerDiagramOfThePlacementsInItsPlace(@TempDir Path dir) throws Exception {
        Path in = RenderEngineTest.writeTone(dir, "in.wav", 2, 1.5, 0.5);
        RenderSettings s = RenderSettings.of(in, Presets.builtIn("surround-audience")).withRoom("vocal-booth");
        RenderEngine.RenderResult r = new RenderEngine(null, true).render(s, dir.resolve("o"));
        byte[] bytes = Files.readAllBytes(r.outDir.resolve(ReportWriter.FILE));
        String html = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        // the same characters back: the text's dash and degree signs, and nothing else turned into something else
        assertTrue(html.contains(" \u2014 "), "the preset row's dash");
        assertTrue(html.contains("\u00b0</td>"), "the placement table's degree signs");
        assertEquals(bytes.length, html.getBytes(StandardCharsets.UTF_8).length);

        List<Plots.StemMark> marks = new ArrayList<>();
        double maxD = 2;
        for (Map.Entry<String, StemSettings> e : r.placements.entrySet()) {
            StemSettings p = e.getValue();
            marks.add(new Plots.StemMark(e.getKey(), p.azimuth(), p.distance(), p.width(), p.mute()));
            maxD = Math.max(maxD, p.distance());
        }
        assertEquals(4, marks.size(), "the default separator's four stems: " + marks);
        String diagram = Base64.getEncoder().encodeToString(Plots.png(Plots.speakerDiagram(ChannelLayout.SURROUND_5_1,
                marks, maxD)));
        int at = html.indexOf("<img alt=\"speaker diagram\"");
        assertTrue(at > html.indexOf("<h2>Placement</h2>"), "after the placement heading");
        assertTrue(at < html.indexOf("<table><tr><th>stem</th><th>azimuth</th>"), "before the placement table");
        assertTrue(html.startsWith("src=\"data:image/png;base64," + diagram + "\">\n",
                html.indexOf("src=", at)), "the diagram of the placements");
    }
}
