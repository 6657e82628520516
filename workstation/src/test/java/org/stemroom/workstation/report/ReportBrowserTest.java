package org.stemroom.workstation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.Presets;
import org.stemroom.workstation.render.RenderEngine;
import org.stemroom.workstation.render.RenderEngineTest;
import org.stemroom.workstation.render.RenderSettings;

/** Opens a real render's report.html in headless Chromium and checks that every picture decodes. */
class ReportBrowserTest {

    static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
                File f = new File(dir, name);
                if (f.canExecute()) return f.getAbsolutePath();
            }
        }
        return null;
    }

    @Test
    void reportIsSelfContainedAndItsImagesLoadInABrowser(@TempDir Path dir) throws Exception {
        Path in = RenderEngineTest.writeTone(dir, "in.wav", 2, 2.0, 0.6);
        RenderSettings s = RenderSettings.of(in, Presets.builtIn("surround-audience")).withRoom("none")
                .withSeparator("none").withFormats(SampleFormat.PCM_24, SampleFormat.FLOAT_32);
        RenderEngine.RenderResult r = new RenderEngine(null).render(s, dir.resolve("out"));
        Path report = r.outDir.resolve(ReportWriter.FILE);
        String html = Files.readString(report);
        // Self-contained: no external references of any kind.
        assertFalse(Pattern.compile("(src|href)=\"(?!data:)").matcher(html).find(), "only data: URIs");
        int images = count(html, "<img ");
        assertTrue(images >= 4, "speaker diagram, input, stem and mix pictures: " + images);
        assertTrue(html.contains("Mixture consistency"));

        String browser = chromium();
        Assumptions.assumeTrue(browser != null,
                "SKIPPED: Chromium is not installed (scripts/install-deps.sh test installs it from Debian's packages)");
        // A copy of the report with a script that marks, after load, how many images decoded.
        Path probe = dir.resolve("probe.html");
        Files.writeString(probe, html.replace("</body>", "<script>window.addEventListener('load',function(){"
                + "var im=document.images,ok=0;for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0)ok++;}"
                + "document.body.setAttribute('data-images',im.length+'/'+ok);});</script></body>"));
        List<String> cmd = new ArrayList<>(List.of(browser, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + dir.resolve("chrome-profile"), "--virtual-time-budget=5000", "--dump-dom",
                probe.toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chrome.err").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        Matcher m = Pattern.compile("data-images=\"(\\d+)/(\\d+)\"").matcher(dom);
        assertTrue(m.find(), "the probe ran in the browser; stderr: " + Files.readString(dir.resolve("chrome.err")));
        assertEquals(images, Integer.parseInt(m.group(1)));
        assertEquals(images, Integer.parseInt(m.group(2)), "every image decoded (naturalWidth > 0)");
        System.out.println("report in Chromium: " + m.group(2) + " of " + m.group(1) + " images decoded");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
