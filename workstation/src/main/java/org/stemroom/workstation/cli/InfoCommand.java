package org.stemroom.workstation.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.loudness.LoudnessMeter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stemroom info FILE...}: what a file holds and how loud it is. Streams each file once (memory does not
 * grow with length). A file that cannot be read gets a one-line error naming it; the others are still
 * reported and the exit code is 1.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show format, channel layout, duration, sample and true peak, integrated loudness, "
                + "loudness range and maximum momentary/short-term loudness (ITU-R BS.1770-4 / EBU R128) of audio files.",
                "Example: stemroom info master.wav mix-5.1.wav --json"})
public final class InfoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "WAV, RF64, AIFF, AIFF-C or FLAC files")
    List<Path> files;

    @Option(names = "--json", description = "print a JSON array, one object per file (for scripts)")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    /** What {@code info} reports about one file. */
    public static final class FileInfo {
        public final Path file;
        public final String container;
        public final String encoding;
        public final AudioFormat format;
        public final long frames;
        public final double samplePeakDbfs, truePeakDbtp, integratedLufs, loudnessRangeLu, maxMomentaryLufs, maxShortTermLufs;

        FileInfo(Path file, String container, String encoding, AudioFormat format, long frames, LoudnessMeter m) {
            this.file = file;
            this.container = container;
            this.encoding = encoding;
            this.format = format;
            this.frames = frames;
            this.samplePeakDbfs = m.samplePeakDbfs();
            this.truePeakDbtp = m.truePeakDbtp();
            this.integratedLufs = m.integratedLufs();
            this.loudnessRangeLu = m.loudnessRangeLu();
            this.maxMomentaryLufs = m.maxMomentaryLufs();
            this.maxShortTermLufs = m.maxShortTermLufs();
        }

        public double seconds() { return frames / (double) format.sampleRate(); }
    }

    /** Reads the whole file through the loudness meter. */
    public static FileInfo analyze(Path file, Progress progress) throws IOException {
        try (AudioFileReader r = AudioFileReader.open(file)) {
            AudioFormat f = r.format();
            LoudnessMeter meter = new LoudnessMeter(f);
            AudioBuffer buf = new AudioBuffer(f.channels(), 16_384);
            progress.begin(file.getFileName().toString(), r.frames());
            long total = 0;
            int n;
            while ((n = r.read(buf)) > 0) {
                meter.process(buf);
                total += n;
                progress.advance(n);
            }
            progress.done();
            String enc = r.encoding();
            int space = enc.indexOf(' ');
            String container = space > 0 ? enc.substring(0, space) : enc;
            String rest = space > 0 ? enc.substring(space + 1) : enc;
            return new FileInfo(file, container, rest, f, total, meter);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = ProgressBar.forTerminal(err, quiet || json && System.console() == null);
        List<Map<String, Object>> jsonItems = new ArrayList<>();
        boolean failed = false;
        boolean first = true;
        for (Path file : files) {
            FileInfo info;
            try {
                info = analyze(file, progress);
            } catch (IOException | RuntimeException e) {
                failed = true;
                String msg = e.getMessage() != null ? e.getMessage() : e.toString();
                if (!msg.contains(file.toString())) msg = file + ": " + msg;
                err.println("stemroom: error: " + msg);
                err.flush();
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("file", file.toString());
                    o.put("error", msg);
                    jsonItems.add(o);
                }
                continue;
            }
            if (json) {
                jsonItems.add(toJson(info));
            } else {
                if (!first) out.println();
                printTable(out, info);
                first = false;
            }
            out.flush();
        }
        if (json) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(jsonItems));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        out.flush();
        return failed ? StemroomCli.EXIT_PROCESSING : StemroomCli.EXIT_OK;
    }

    static void printTable(PrintWriter out, FileInfo i) {
        out.println(i.file);
        row(out, "format", i.container);
        row(out, "encoding", i.encoding);
        row(out, "sample rate", i.format.sampleRate() + " Hz");
        row(out, "channels", i.format.channels() + " (" + i.format.layout().name() + ": "
                + String.join(" ", i.format.layout().labels()) + ")");
        row(out, "duration", duration(i.seconds()) + " (" + i.frames + " frames)");
        row(out, "sample peak", db(i.samplePeakDbfs, "dBFS"));
        row(out, "true peak", db(i.truePeakDbtp, "dBTP"));
        row(out, "integrated", db(i.integratedLufs, "LUFS"));
        row(out, "loudness range", String.format(Locale.ROOT, "%.1f LU", i.loudnessRangeLu));
        row(out, "max momentary", db(i.maxMomentaryLufs, "LUFS"));
        row(out, "max short-term", db(i.maxShortTermLufs, "LUFS"));
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf(Locale.ROOT, "  %-15s %s%n", name, value);
    }

    private static String db(double v, String unit) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f %s", v, unit) : "-inf " + unit;
    }

    static String duration(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    static Map<String, Object> toJson(FileInfo i) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", i.file.toString());
        o.put("format", i.container);
        o.put("encoding", i.encoding);
        o.put("sampleRate", i.format.sampleRate());
        o.put("channels", i.format.channels());
        o.put("layout", i.format.layout().name());
        o.put("channelLabels", i.format.layout().labels());
        o.put("frames", i.frames);
        o.put("durationSeconds", round(i.seconds(), 6));
        o.put("samplePeakDbfs", finite(i.samplePeakDbfs));
        o.put("truePeakDbtp", finite(i.truePeakDbtp));
        o.put("integratedLufs", finite(i.integratedLufs));
        o.put("loudnessRangeLu", finite(i.loudnessRangeLu));
        o.put("maxMomentaryLufs", finite(i.maxMomentaryLufs));
        o.put("maxShortTermLufs", finite(i.maxShortTermLufs));
        return o;
    }

    /** JSON has no infinity: silence reads null. Two decimals are more than any meter's accuracy. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? round(v, 2) : null;
    }

    private static double round(double v, int decimals) {
        double s = Math.pow(10, decimals);
        return Math.round(v * s) / s;
    }
}
