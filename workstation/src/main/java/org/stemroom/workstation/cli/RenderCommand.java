package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.Preset;
import org.stemroom.presets.Presets;
import org.stemroom.room.EngineWarmUp;
import org.stemroom.workstation.master.TruePeakLimiter;
import org.stemroom.workstation.render.RenderEngine;
import org.stemroom.workstation.render.RenderManifest;
import org.stemroom.workstation.render.RenderSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stemroom render}: a master in, stems, stems placed in the layout, the mix, render.json and the report out. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Separate a mono or stereo master into stems, place them in stereo, 5.1 or 7.1, put them into a "
                + "room, master the mix, and write stems, placed stems, the mix, render.json and report.html into "
                + "the output folder (all at once, when the render has finished).",
                "Replay: 'stemroom render --replay out/render.json -o again/' renders the same bits again."})
public final class RenderCommand implements Callable<Integer> {
    static final String DEFAULT_PRESET = "mono-to-stereo";
    static final String DEFAULT_BITS = "24";
    static final String DEFAULT_STEM_BITS = "float";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "INPUT", arity = "0..1", description = "the master (WAV, AIFF or FLAC; mono or stereo)")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "output folder")
    Path outDir;

    @Option(names = "--preset", paramLabel = "NAME|FILE.json", defaultValue = DEFAULT_PRESET,
            description = "built-in preset (stemroom presets list) or a preset file (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--layout", paramLabel = "stereo|5.1|7.1", description = "output layout (default: the preset's)")
    String layout;

    @Option(names = "--room", paramLabel = "NAME|IR.wav|none", description = "room: built-in name, impulse-response "
            + "file, or none (default: the preset's)")
    String room;

    @Option(names = "--separator", paramLabel = "NAME", description = "separator (default: the preset's)")
    String separator;

    @Option(names = "--bits", paramLabel = "16|24|32|float", defaultValue = DEFAULT_BITS,
            description = "sample format of the mix (default: ${DEFAULT-VALUE}; 16/24 bit with TPDF dither)")
    String bits;

    @Option(names = "--stem-bits", paramLabel = "16|24|32|float", defaultValue = DEFAULT_STEM_BITS,
            description = "sample format of the stems (default: ${DEFAULT-VALUE})")
    String stemBits;

    @Option(names = "--replay", paramLabel = "RENDER.json",
            description = "render again with every setting of an earlier render and check the bits are the same")
    Path replay;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Option(names = "--timings", description = "print how long each stage took (wall clock)")
    boolean timings;

    private static final QuickArgs.Spec[] QUICK = {
            new QuickArgs.Spec(false, "--output", "-o"),
            new QuickArgs.Spec(false, "--preset"),
            new QuickArgs.Spec(false, "--layout"),
            new QuickArgs.Spec(false, "--room"),
            new QuickArgs.Spec(false, "--separator"),
            new QuickArgs.Spec(false, "--bits"),
            new QuickArgs.Spec(false, "--stem-bits"),
            new QuickArgs.Spec(false, "--replay"),
            new QuickArgs.Spec(true, "--quiet", "-q"),
            new QuickArgs.Spec(true, "--timings"),
    };

    /**
     * The command from {@code args} (args[0] = "render") without picocli ({@link QuickArgs}; {@link StemroomCli}'s
     * fast path), or null when picocli has to parse them or word the mistake: help, an unknown or repeated option,
     * no output folder, neither an input nor --replay, two inputs.
     */
    static RenderCommand quick(String[] args) {
        QuickArgs q = QuickArgs.parse(args, 1, QUICK);
        if (q == null || q.positionals.size() > 1) return null;
        String o = q.options.get("--output");
        String replay = q.options.get("--replay");
        if (o == null || (q.positionals.isEmpty() && replay == null)) return null;
        RenderCommand c = new RenderCommand();
        try {
            c.input = q.positionals.isEmpty() ? null : Paths.get(q.positionals.get(0));
            c.outDir = Paths.get(o);
            c.replay = replay == null ? null : Paths.get(replay);
        } catch (InvalidPathException e) {
            return null; // picocli words the error
        }
        c.preset = q.get("--preset", DEFAULT_PRESET);
        c.layout = q.options.get("--layout");
        c.room = q.options.get("--room");
        c.separator = q.options.get("--separator");
        c.bits = q.get("--bits", DEFAULT_BITS);
        c.stemBits = q.get("--stem-bits", DEFAULT_STEM_BITS);
        c.quiet = q.options.containsKey("--quiet");
        c.timings = q.options.containsKey("--timings");
        return c;
    }

    @Override
    public Integer call() throws Exception {
        if (replay == null && input == null) {
            throw StemroomCli.Version.parameterError(spec, "an INPUT file (or --replay) is required");
        }
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs the render (an input or --replay given), the result to {@code out}, progress to {@code err}. */
    int run(PrintWriter out, PrintWriter err) throws Exception {
        RenderSettings s;
        Map<String, String> expected = null;
        if (replay != null) {
            RenderManifest.Recorded rec = RenderManifest.read(replay);
            s = rec.settings();
            if (input != null) s = s.withInput(input);
            String sha = org.stemroom.workstation.render.Sha256.of(s.input());
            if (!sha.equals(rec.inputSha256())) {
                throw new StemroomException(s.input() + ": input differs from the one " + replay + " was rendered from"
                        + " (SHA-256 " + sha + ", recorded " + rec.inputSha256() + ")");
            }
            expected = rec.outputs();
        } else {
            Preset p = Presets.resolve(preset);
            s = RenderSettings.of(input, p);
            if (layout != null) s = s.withLayout(layout);
            if (room != null) s = s.withRoom(room);
            if (separator != null) s = s.withSeparator(separator);
            s = s.withFormats(parseFormat(bits, "--bits"), parseFormat(stemBits, "--stem-bits"));
        }
        // where the launcher has C2 compile the room engine's loops early (render), their compiles are queued now, on a
        // thread of their own, before the room's first block instead of on-stack in its first long loops
        if (EngineWarmUp.requested() && !RenderSettings.NO_ROOM.equalsIgnoreCase(s.effectiveRoom().trim())) {
            EngineWarmUp.start(false, false);
        }
        // and the limiter's gain computer gets a profile with limited and unlimited peaks before the master stage runs
        // (TruePeakLimiter.warmUpGainComputer: one C2 compile of it instead of up to four)
        if (EngineWarmUp.requested() && s.preset().master().truePeakDbtp() != null) {
            Thread t = new Thread(() -> {
                try {
                    TruePeakLimiter.warmUpGainComputer();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stemroom-warm-up-limiter");
            t.setDaemon(true);
            t.start();
        }
        Progress progress = ProgressBar.forTerminal(err, quiet);
        RenderEngine engine = new RenderEngine(progress);
        if (timings) engine.measureStageCpu();
        RenderEngine.RenderResult r = engine.render(s, outDir);
        out.println("rendered " + s.input() + " -> " + r.outDir + " (" + s.layout() + ", preset "
                + s.preset().name() + ", room " + s.effectiveRoom() + ", separator " + s.effectiveSeparator() + ") in "
                + String.format("%.1f s", r.seconds));
        out.println("  mix:    " + r.mixFile());
        out.println("  report: " + r.outDir.resolve("report.html"));
        if (timings) {
            out.println(String.format(java.util.Locale.ROOT, "  %-60s %8s %8s", "stage", "wall s", "CPU s"));
            r.stageSeconds.forEach((k, v) -> out.println(String.format(java.util.Locale.ROOT, "  %-60s %8.2f %8.2f",
                    k, v[0], v[1])));
        }
        if (expected != null) {
            List<String> differ = new ArrayList<>();
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String got = r.outputs.get(e.getKey());
                if (!e.getValue().equals(got)) differ.add(e.getKey());
            }
            if (!differ.isEmpty() || expected.size() != r.outputs.size()) {
                throw new StemroomException("replay of " + replay + " is NOT bit-identical: " + differ.size()
                        + " of " + expected.size() + " outputs differ " + differ);
            }
            out.println("replay: all " + expected.size() + " outputs bit-identical to " + replay);
        }
        out.flush();
        return 0;
    }

    static SampleFormat parseFormat(String v, String option) throws StemroomException {
        try {
            return SampleFormat.parse(v);
        } catch (IllegalArgumentException e) {
            throw new StemroomException(option + " " + v + ": " + e.getMessage());
        }
    }
}
