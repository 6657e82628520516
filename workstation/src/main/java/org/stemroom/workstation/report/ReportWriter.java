package org.stemroom.workstation.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.stemroom.core.ChannelLayout;
import org.stemroom.presets.StemSettings;
import org.stemroom.workstation.cli.StemroomCli;
import org.stemroom.workstation.render.RenderEngine.RenderResult;
import org.stemroom.workstation.render.StreamStats;

/**
 * report.html: one self-contained page (every picture a base64 PNG data URI, no script, no network) with what a
 * mastering engineer checks before signing a render off.
 */
public final class ReportWriter {
    public static final String FILE = "report.html";
    /** Width of the waveform and spectrogram pictures, in columns (one spectrum each). */
    public static final int COLUMNS = 720;
    /** The input's picture in {@link RenderResult#thumbnails} (the others go by their output file's name). */
    public static final String INPUT_PICTURE = "input";

    /** Extra sections other stages contribute (room analysis, fold-down check), already as HTML. */
    public interface Section {
        String title();

        String html() throws IOException;
    }

    private ReportWriter() { }

    /**
     * Writes the page from what the render measured on its streams ({@link RenderResult#thumbnails},
     * {@link RenderResult#mixtureError}, the levels) and the {@code extra} sections.
     */
    public static void write(RenderResult r, Path target, ChannelLayout layout, List<Section> extra)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            start(r, layout, extra, pool).write(target);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Starts the slow parts on {@code pool} (the sections, first: the fold-down check reads files and is the longest;
     * the pictures' drawing and PNG coding), so that other work (the output checksums) can share the pool meanwhile;
     * {@link Pending#write} then puts the page together in a fixed order. Parts already started with
     * {@link #startEarly} are not started again.
     */
    public static Pending start(RenderResult r, ChannelLayout layout, List<Section> extra, ExecutorService pool) {
        Map<String, double[]> taskSeconds = r.reportTaskSeconds;
        Future<String> diagram = startSpeakerDiagramEarly(r, layout, pool);
        List<Future<String>> sections = new ArrayList<>();
        for (Section sec : extra) sections.add(startOnce(r, sec.title(), sec::html, pool));
        List<Future<String>> pictures = new ArrayList<>();
        pictures.add(startOnce(r, INPUT_TASK, () -> inputPicture(r), pool));
        List<Future<String>> stems = startStemPictures(r, pool);
        pictures.addAll(stems);
        int stemCount = stems.size();
        for (String name : r.outputs.keySet()) {
            if (!name.startsWith("mix-")) continue;
            pictures.add(pool.submit(timed(taskSeconds, "picture " + name, () -> img(Plots.waveAndSpectrogram(
                    thumbnail(r, name), "mix (" + layout.name() + ", channels averaged)",
                    new Color(0xe8, 0xd1, 0x4f)), "mix"))));
        }
        return new Pending(r, layout, extra, diagram, sections, pictures, stemCount, taskSeconds);
    }

    /** The task name of the speaker diagram (for {@link #startSpeakerDiagramEarly}). */
    public static final String DIAGRAM_TASK = "picture speaker diagram";

    /**
     * {@link #startEarly} of the speaker diagram, once {@link RenderResult#placements} holds every stem (the render
     * starts it half-way through: drawn at the end, it was about 50 ms of the render's last, single-threaded stretch).
     */
    public static Future<String> startSpeakerDiagramEarly(RenderResult r, ChannelLayout layout, ExecutorService pool) {
        return startOnce(r, DIAGRAM_TASK, () -> speakerDiagram(r, layout), pool);
    }

    /** The speaker diagram with each stem's position, as the page's img element. */
    private static String speakerDiagram(RenderResult r, ChannelLayout layout) throws IOException {
        List<Plots.StemMark> marks = new ArrayList<>();
        double maxD = 2;
        for (Map.Entry<String, StemSettings> e : r.placements.entrySet()) {
            StemSettings s = e.getValue();
            marks.add(new Plots.StemMark(e.getKey(), s.azimuth(), s.distance(), s.width(), s.mute()));
            maxD = Math.max(maxD, s.distance());
        }
        return img(Plots.speakerDiagram(layout, marks, maxD), "speaker diagram");
    }

    /** The task name of the input's picture (for {@link #startEarly}). */
    public static final String INPUT_TASK = "picture input";

    /**
     * Starts one part of the report while the render is still running, as soon as what it shows is known: a
     * {@link Section} by its {@link Section#title()} (the room's analysis, half-way through), or the input's picture by
     * {@link #INPUT_TASK} once the input has been read ({@link RenderResult#thumbnails} must hold it by then).
     * {@link #start} then takes the part as it is instead of starting it again.
     */
    public static void startEarly(RenderResult r, Section section, ExecutorService pool) {
        startOnce(r, section.title(), section::html, pool);
    }

    /**
     * {@link #startEarly} of the separated stems' pictures, once {@link RenderResult#thumbnails} holds them all (a
     * render has them when the input ends, before the room's tail is rendered).
     */
    public static void startStemPicturesEarly(RenderResult r, ExecutorService pool) {
        startStemPictures(r, pool);
    }

    /** The pictures of the separated stems (outputs under stems/), in output order, each started once. */
    private static List<Future<String>> startStemPictures(RenderResult r, ExecutorService pool) {
        List<Future<String>> pictures = new ArrayList<>();
        int k = 0;
        for (String name : r.outputs.keySet()) {
            if (!name.startsWith("stems/")) continue;
            String stem = name.substring("stems/".length(), name.length() - 4);
            Color color = Plots.PALETTE[k++ % Plots.PALETTE.length];
            pictures.add(startOnce(r, "picture " + name, () -> img(Plots.waveAndSpectrogram(thumbnail(r, name),
                    "stem: " + stem, color), "stem " + stem), pool));
        }
        return pictures;
    }

    /** {@link #startEarly} of the input's picture. */
    public static void startInputPictureEarly(RenderResult r, ExecutorService pool) {
        startOnce(r, INPUT_TASK, () -> inputPicture(r), pool);
    }

    private static Future<String> startOnce(RenderResult r, String task, java.util.concurrent.Callable<String> html,
                                            ExecutorService pool) {
        return r.reportParts.computeIfAbsent(task, t -> pool.submit(timed(r.reportTaskSeconds, t, html)));
    }

    private static String inputPicture(RenderResult r) throws IOException {
        return img(Plots.waveAndSpectrogram(thumbnail(r, INPUT_PICTURE), "input", new Color(0xd8, 0xdd, 0xe6)), "input");
    }

    /** A report whose slow parts are under way. */
    public static final class Pending {
        private final RenderResult r;
        private final ChannelLayout layout;
        private final List<Section> extra;
        private final Future<String> diagram;
        private final List<Future<String>> sections;
        private final List<Future<String>> pictures;
        private final int stemCount;
        private final Map<String, double[]> taskSeconds;

        private Pending(RenderResult r, ChannelLayout layout, List<Section> extra, Future<String> diagram,
                        List<Future<String>> sections, List<Future<String>> pictures, int stemCount,
                        Map<String, double[]> taskSeconds) {
            this.r = r;
            this.layout = layout;
            this.extra = extra;
            this.diagram = diagram;
            this.sections = sections;
            this.pictures = pictures;
            this.stemCount = stemCount;
            this.taskSeconds = taskSeconds;
        }

        /** Waits for the slow parts and writes the page (the outputs' checksums must be in the result by now). */
        public void write(Path target) throws IOException {
            page(r, target, layout, extra, diagram, sections, pictures, stemCount, taskSeconds);
        }
    }

    /**
     * Puts the page together. Its text goes into {@code h}, and the parts made on the pool (pictures, sections) are
     * added to the page's bytes as they are ({@link #part}): the text holds a few characters beyond Latin-1 (a dash,
     * degree signs), which made one builder of the whole page (about 1.2 MB, mostly the pictures' base64) hold two
     * bytes a character, every picture widened into it, and its UTF-8 taken character by character at the end (the
     * render's last, single-threaded stretch). The bytes are the same: UTF-8 of a concatenation is the concatenation
     * of the parts' UTF-8.
     */
    private static void page(RenderResult r, Path target, ChannelLayout layout, List<Section> extra,
                             Future<String> diagram, List<Future<String>> sections, List<Future<String>> pictures,
                             int stemCount, Map<String, double[]> taskSeconds) throws IOException {

        java.io.ByteArrayOutputStream page = new java.io.ByteArrayOutputStream(1 << 21);
        StringBuilder h = new StringBuilder(1 << 14);
        String title = "stemroom render: " + r.settings.input().getFileName();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;background:#0f1218;color:#d8dde6;margin:24px;max-width:1100px}\n")
                .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #333a48}\n")
                .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #333a48;padding:3px 8px;text-align:left}\n")
                .append("th{background:#1b2029}code{color:#f2c27b}img{display:block;margin:8px 0;max-width:100%}\n")
                .append(".ok{color:#7cc65a}.bad{color:#e06c6c}\n</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n");

        // Settings
        h.append("<h2>Render</h2>\n<table>\n");
        row(h, "input", r.settings.input().toAbsolutePath().toString());
        row(h, "input SHA-256", r.inputSha256);
        row(h, "input format", r.inputFormat + String.format(Locale.ROOT, ", %.2f s",
                r.inputFrames / (double) r.inputFormat.sampleRate()));
        row(h, "preset", r.settings.preset().name() + " — " + r.settings.preset().description());
        row(h, "output layout", layout.name() + " (WAV channel mask 0x" + Integer.toHexString(layout.waveMask()).toUpperCase(Locale.ROOT) + ")");
        row(h, "room", r.settings.effectiveRoom());
        row(h, "separator", r.settings.effectiveSeparator());
        row(h, "latency compensated", r.latencyFrames + " frames");
        row(h, "room tail added", String.format(Locale.ROOT, "%.2f s", r.tailFrames / (double) r.inputFormat.sampleRate()));
        row(h, "stemroom", StemroomCli.version());
        row(h, "render time", String.format(Locale.ROOT, "%.1f s", r.seconds));
        h.append("</table>\n");

        // Levels
        h.append("<h2>Loudness and peaks</h2>\n<table><tr><th></th><th>integrated loudness</th><th>loudness range</th>"
                + "<th>true peak</th><th>sample peak</th><th>RMS</th></tr>\n");
        levels(h, "input", r.inputStats);
        for (Map.Entry<String, StreamStats> e : r.stemStats.entrySet()) levels(h, "stem " + e.getKey() + " (placed)", e.getValue());
        levels(h, "mix (after the master stage)", r.mixStats);
        h.append("</table>\n<p>Master stage: gain ").append(fmt(r.masterGainDb)).append(" dB");
        h.append(r.loudnessTarget == null ? " (no loudness target)" : " (loudness target " + fmt(r.loudnessTarget)
                + " LUFS, pre-master measured " + db(r.premasterLufs) + " LUFS)");
        h.append(", limiter ceiling ");
        Double ceil = r.settings.preset().master().truePeakDbtp();
        h.append(ceil == null ? "off" : fmt(ceil) + " dBTP").append(", largest gain reduction ")
                .append(fmt(Math.max(0.0, -r.limiterMinGainDb))).append(" dB.</p>\n");

        // Separation
        h.append("<h2>Separation</h2>\n");
        double err = r.mixtureError;
        boolean ok = err <= 1e-5;
        h.append("<p>Mixture consistency: the ").append(stemCount).append(" separated stems sum back to the input"
                + " with a largest sample error of <span class=\"").append(ok ? "ok" : "bad").append("\">")
                .append(String.format(Locale.ROOT, "%.2e", err)).append("</span> of full scale (")
                .append(String.format(Locale.ROOT, "%.1f dBFS", 20 * Math.log10(Math.max(err, 1e-12))))
                .append("; the target is at most 1e-5), measured on the stems as the separator gave them");
        h.append(r.settings.stemFormat().isFloat() ? ", which the float stem files hold exactly.</p>\n"
                : "; the " + r.settings.stemFormat().bits() + "-bit stem files add their rounding and dither to"
                + " that.</p>\n");

        // Placement
        h.append("<h2>Placement</h2>\n");
        part(h, page, get(diagram));
        h.append("<table><tr><th>stem</th><th>azimuth</th><th>elevation</th><th>distance</th><th>width</th>"
                + "<th>level</th><th>LFE send</th><th>room send</th></tr>\n");
        for (Map.Entry<String, StemSettings> e : r.placements.entrySet()) {
            StemSettings s = e.getValue();
            h.append("<tr><td>").append(esc(e.getKey())).append(s.mute() ? " (muted)" : "").append("</td><td>")
                    .append(fmt(s.azimuth())).append("°</td><td>").append(fmt(s.elevation())).append("°</td><td>")
                    .append(fmt(s.distance())).append(" m</td><td>").append(fmt(s.width())).append("°</td><td>")
                    .append(fmt(s.levelDb())).append(" dB</td><td>")
                    .append(s.lfeSendDb() == null ? "off" : fmt(s.lfeSendDb()) + " dB").append("</td><td>")
                    .append(fmt(s.roomSendDb())).append(" dB</td></tr>\n");
        }
        h.append("</table>\n");

        for (int i = 0; i < extra.size(); i++) {
            h.append("<h2>").append(esc(extra.get(i).title())).append("</h2>\n");
            part(h, page, get(sections.get(i)));
        }

        // Pictures of the input, each stem and the mix
        h.append("<h2>Waveforms and spectrograms</h2>\n");
        for (Future<String> p : pictures) part(h, page, get(p));

        // Files
        h.append("<h2>Files</h2>\n<table><tr><th>file</th><th>SHA-256</th></tr>\n");
        for (Map.Entry<String, String> e : r.outputs.entrySet()) {
            h.append("<tr><td><code>").append(esc(e.getKey())).append("</code></td><td><code>")
                    .append(e.getValue() == null ? "" : e.getValue()).append("</code></td></tr>\n");
        }
        h.append("</table>\n<p>Every setting is in <code>render.json</code>; <code>stemroom render --replay render.json"
                + " -o DIR</code> renders the same bits again.</p>\n</body></html>\n");
        part(h, page, "");
        Files.write(target, page.toByteArray());
        new java.util.TreeMap<>(taskSeconds).forEach((task, v) -> r.stageSeconds.put("  report task: " + task, v));
    }

    /** A task that notes how long it ran, wall clock and its thread's CPU time (for render --timings). */
    private static <T> java.util.concurrent.Callable<T> timed(Map<String, double[]> seconds, String name,
                                                             java.util.concurrent.Callable<T> task) {
        return () -> {
            java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
            long t0 = System.nanoTime();
            long c0 = tm.getCurrentThreadCpuTime();
            try {
                return task.call();
            } finally {
                seconds.put(name, new double[] {(System.nanoTime() - t0) * 1e-9,
                        (tm.getCurrentThreadCpuTime() - c0) * 1e-9});
            }
        };
    }

    private static <T> T get(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the report", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException) throw (IOException) c;
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            throw new IOException(c);
        }
    }

    /** A picture the render took from its streams; an error names the one missing (a bug, never bad input). */
    private static AudioThumbnail thumbnail(RenderResult r, String name) {
        AudioThumbnail t = r.thumbnails.get(name);
        if (t == null) throw new IllegalStateException("the render took no picture of " + name);
        return t;
    }

    /** Appends the page's text so far and then {@code made} (a part made on the pool) to its bytes, in UTF-8. */
    private static void part(StringBuilder h, java.io.ByteArrayOutputStream page, String made) {
        page.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
        h.setLength(0);
        page.writeBytes(made.getBytes(StandardCharsets.UTF_8));
    }

    private static String img(BufferedImage img, String alt) throws IOException {
        StringBuilder h = new StringBuilder();
        img(h, img, alt);
        return h.toString();
    }

    static void img(StringBuilder h, BufferedImage img, String alt) throws IOException {
        h.append("<img alt=\"").append(esc(alt)).append("\" width=\"").append(img.getWidth()).append("\" height=\"")
                .append(img.getHeight()).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(Plots.png(img))).append("\">\n");
    }

    private static void levels(StringBuilder h, String what, StreamStats s) {
        if (s == null) return;
        h.append("<tr><td>").append(esc(what)).append("</td><td>");
        if (s.hasLoudness()) {
            h.append(db(s.integratedLufs())).append(" LUFS</td><td>").append(db(s.loudnessRangeLu())).append(" LU</td><td>")
                    .append(db(s.truePeakDbtp())).append(" dBTP</td><td>");
        } else {
            h.append("</td><td></td><td></td><td>");
        }
        h.append(db(s.peakDbfs())).append(" dBFS</td><td>").append(db(s.rmsDbfs())).append(" dBFS</td></tr>\n");
    }

    private static String db(double v) {
        return Double.isFinite(v) ? fmt(v) : "-inf";
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
