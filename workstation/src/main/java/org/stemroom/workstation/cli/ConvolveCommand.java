package org.stemroom.workstation.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.room.BuiltInRooms;
import org.stemroom.room.ConvolutionRender;
import org.stemroom.room.EngineWarmUp;
import org.stemroom.room.IrPreparation;
import org.stemroom.room.RoomImpulseResponse;
import org.stemroom.room.RoomIrLoader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code stemroom convolve}: a file through a recorded IR set or a built-in room. */
@Command(name = "convolve", mixinStandardHelpOptions = true,
        description = {"Put audio into a room: convolve it with an impulse response (WAV/AIFF/FLAC, or a room .json "
                + "descriptor) or a built-in room, mix wet and dry, and write the result with the whole decay.",
                "Example: stemroom convolve vocals.wav --room live-room --wet 0.3 --dry 1.0 --predelay 10ms -o vocals-room.wav"})
public final class ConvolveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "audio file (WAV, RF64, AIFF, FLAC)")
    Path input;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--ir", paramLabel = "FILE", description = "impulse response file or room .json descriptor")
        Path ir;

        @Option(names = "--room", paramLabel = "NAME", description = "built-in room: ${COMPLETION-CANDIDATES}",
                completionCandidates = RoomNames.class)
        String room;
    }

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.wav", description = "output WAV (written atomically)")
    Path output;

    // initial values = the picocli defaults, for the fast path (ConvolveQuickArgsTest compares both parses)
    @Option(names = "--wet", defaultValue = "0.3", description = "wet (room) level, linear (default ${DEFAULT-VALUE})")
    double wet = 0.3;

    @Option(names = "--dry", defaultValue = "1.0", description = "dry level, linear (default ${DEFAULT-VALUE})")
    double dry = 1.0;

    @Option(names = "--predelay", paramLabel = "TIME", description = "trim the IR's initial gap to this pre-delay "
            + "(e.g. 10ms, 0.02s); default: keep the IR as it is")
    String predelay;

    @Option(names = "--ir-layout", defaultValue = "auto", paramLabel = "MODE", description = "how an IR file's channels "
            + "map to sources and outputs: auto (1 mono, 2 stereo pair, 4 true stereo LL LR RL RR, N one source into N), "
            + "one-source, paired, true-stereo (default ${DEFAULT-VALUE})")
    String irLayout = "auto";

    @Option(names = "--layout", paramLabel = "LAYOUT", description = "output layout for --room (stereo, 5.1, 7.1, ...); "
            + "default: the input's layout, stereo for a mono input")
    String layout;

    @Option(names = "--normalize", defaultValue = "energy", paramLabel = "MODE", description = "IR normalization: energy "
            + "(unit energy per source, so --wet means the same in every room), peak (0 dBFS), none (default ${DEFAULT-VALUE})")
    String normalize = "energy";

    @Option(names = "--tail", paramLabel = "SECONDS", description = "length of the output after the input ends "
            + "(default: the IR's length, the whole decay)")
    Double tail;

    @Option(names = "--format", defaultValue = "float32", paramLabel = "FMT", description = "output samples: 16, 24, 32, "
            + "float32 (default ${DEFAULT-VALUE})")
    String format = "float32";

    @Option(names = "--threads", defaultValue = "1", description = "threads at most (the output is bit-identical for any count; inputs under 2 minutes use one, where a second costs more than it saves)")
    int threads = 1;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar or summary")
    boolean quiet;

    /** Names for the help text and shell completion. */
    static final class RoomNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() { return BuiltInRooms.names().iterator(); }
    }

    private static final QuickArgs.Spec[] QUICK = {
            new QuickArgs.Spec(false, "--output", "-o"),
            new QuickArgs.Spec(false, "--ir"),
            new QuickArgs.Spec(false, "--room"),
            new QuickArgs.Spec(false, "--wet"),
            new QuickArgs.Spec(false, "--dry"),
            new QuickArgs.Spec(false, "--predelay"),
            new QuickArgs.Spec(false, "--ir-layout"),
            new QuickArgs.Spec(false, "--layout"),
            new QuickArgs.Spec(false, "--normalize"),
            new QuickArgs.Spec(false, "--tail"),
            new QuickArgs.Spec(false, "--format"),
            new QuickArgs.Spec(false, "--threads"),
            new QuickArgs.Spec(true, "--quiet", "-q"),
    };

    /**
     * The start-up fast path ({@link QuickArgs}: no picocli class loaded): {@code args} (args[0] = "convolve")
     * parsed into a command, or null when picocli must parse them (help, an unknown or malformed option, a missing
     * input, output or IR source), which then words the error as always.
     */
    static ConvolveCommand quick(String[] args) {
        QuickArgs q = QuickArgs.parse(args, 1, QUICK);
        if (q == null || q.positionals.size() != 1) return null;
        String o = q.options.get("--output");
        String ir = q.options.get("--ir");
        String room = q.options.get("--room");
        if (o == null || (ir == null) == (room == null)) return null;
        ConvolveCommand c = new ConvolveCommand();
        try {
            c.input = Paths.get(q.positionals.get(0));
            c.output = Paths.get(o);
            c.source = new Source();
            c.source.ir = ir == null ? null : Paths.get(ir);
            c.source.room = room;
            c.wet = Double.parseDouble(q.get("--wet", "0.3"));
            c.dry = Double.parseDouble(q.get("--dry", "1.0"));
            c.predelay = q.options.get("--predelay");
            c.irLayout = q.get("--ir-layout", c.irLayout);
            c.layout = q.options.get("--layout");
            c.normalize = q.get("--normalize", c.normalize);
            String tail = q.options.get("--tail");
            c.tail = tail == null ? null : Double.valueOf(tail);
            c.format = q.get("--format", c.format);
            c.threads = Integer.parseInt(q.get("--threads", "1"));
            c.quiet = q.options.containsKey("--quiet");
        } catch (NumberFormatException | InvalidPathException e) {
            return null; // picocli words the error
        }
        return c;
    }

    @Override
    public Integer call() throws IOException, StemroomException {
        return run(spec.commandLine().getErr());
    }

    /** Runs the command, reporting progress and the summary to {@code err}. */
    int run(PrintWriter err) throws IOException, StemroomException {
        if (threads < 1 || threads > 64) throw new StemroomException("--threads must be 1..64");
        if (!(wet >= 0 && dry >= 0 && wet <= 100 && dry <= 100)) throw new StemroomException("--wet and --dry must be 0..100");
        // where the launcher has C2 compile the engine's loops, their compiles are queued now, beside the file reading
        if (EngineWarmUp.requested()) EngineWarmUp.start(true, dry != 0);
        SampleFormat sf = SampleFormat.parse(format);
        int rate;
        ChannelLayout inLayout;
        try (AudioFileReader r = AudioFileReader.open(input)) {
            rate = r.format().sampleRate();
            inLayout = r.format().layout();
        }
        RoomImpulseResponse rir;
        String what;
        if (source.ir != null) {
            rir = RoomIrLoader.load(source.ir, RoomIrLoader.Interpretation.parse(irLayout), rate);
            what = source.ir.getFileName().toString();
        } else {
            ChannelLayout out = layout != null ? ChannelLayout.byName(layout)
                    : inLayout.channelCount() == 1 ? ChannelLayout.STEREO : inLayout;
            rir = BuiltInRooms.load(source.room, inLayout, out, rate);
            what = "room " + source.room;
        }
        rir = RoomIrLoader.adaptToInput(rir, inLayout.channelCount());
        if (predelay != null) rir = IrPreparation.trimPreDelay(rir, parseSeconds(predelay));
        switch (normalize.toLowerCase(Locale.ROOT)) {
            case "energy": rir = IrPreparation.normalize(rir, IrPreparation.Normalization.ENERGY, 0); break;
            case "peak": rir = IrPreparation.normalize(rir, IrPreparation.Normalization.PEAK, 0); break;
            case "none": break;
            default: throw new StemroomException("--normalize must be energy, peak or none: " + normalize);
        }
        ConvolutionRender.Settings st = new ConvolutionRender.Settings();
        st.wet = wet;
        st.dry = dry;
        st.threads = threads;
        st.sampleFormat = sf;
        st.tailSeconds = tail == null ? -1 : tail;
        ConvolutionRender.Result res = ConvolutionRender.render(input, rir, st, output,
                ProgressBar.forTerminal(err, quiet));
        if (!quiet) {
            double secs = res.outputFrames / (double) rate;
            err.printf(Locale.ROOT, "stemroom: %s -> %s: %s (%d source(s) x %d output(s), %.2f s IR), %.2f s of audio "
                            + "in %.2f s (%.0fx real time), peak %.1f dBFS%s%n", input.getFileName(), output, what,
                    rir.sources(), rir.outputs(), rir.durationSeconds(), secs, res.seconds, secs / res.seconds,
                    20 * Math.log10(Math.max(res.peak, 1e-12)),
                    res.clippedSamples > 0 ? ", " + res.clippedSamples + " samples clipped (use --format float32 or lower --wet/--dry)" : "");
            if (res.threads < Math.min(threads, Math.max(rir.sources(), rir.outputs()))) {
                err.printf(Locale.ROOT, "stemroom: computed on %d thread(s): helpers pay from %.0f s of input%n", res.threads,
                        ConvolutionRender.HELPERS_FROM_SECONDS);
            }
            err.flush();
        }
        return 0;
    }

    /** "10ms", "0.01s", "0.01" (seconds). */
    static double parseSeconds(String s) throws StemroomException {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            double v;
            if (t.endsWith("ms")) v = Double.parseDouble(t.substring(0, t.length() - 2)) / 1000;
            else if (t.endsWith("s")) v = Double.parseDouble(t.substring(0, t.length() - 1));
            else v = Double.parseDouble(t);
            if (!(v >= 0 && v <= 1)) throw new StemroomException("pre-delay must be between 0 and 1 s: " + s);
            return v;
        } catch (NumberFormatException e) {
            throw new StemroomException("cannot read the time '" + s + "' (use e.g. 10ms or 0.01s)");
        }
    }
}
