package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.spatial.SpeakerLayout;
import org.stemroom.spatial.StereoUpmixer;
import org.stemroom.spatial.UpmixFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stemroom upmix}: the direct stereo to 5.1 / 7.1 / 7.1.4 upmix (no separation). */
@Command(name = "upmix", mixinStandardHelpOptions = true,
        description = {"Upmix a stereo file to 5.1, 7.1 or 7.1.4 in the frequency domain: centred sound to C (and out of L/R),",
                "diffuse sound to the surrounds, bass to the LFE. The output lines up with the input sample for sample.",
                "Example: stemroom upmix mix.wav --layout 5.1 --centre 0.7 --surround -3dB -o mix51.wav --ltrt mix-ltrt.wav"})
public final class UpmixCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "stereo input (WAV, AIFF, FLAC)")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.wav", description = "surround output WAV (5.1, 7.1 or 7.1.4)")
    Path output;

    @Option(names = "--ltrt", paramLabel = "LTRT.wav",
            description = "also (or, without -o, only) write the Lt/Rt stereo matrix encode of the upmix (90-degree surround network)")
    Path ltRt;

    @Option(names = "--ltrt-trim", paramLabel = "dB",
            description = "gain on the Lt/Rt encode, -24..0 dB: its peaks can exceed the input's; the run reports the true peak (default ${DEFAULT-VALUE})")
    String ltRtTrim = "0dB";

    @Option(names = "--layout", description = "5.1, 7.1 or 7.1.4 (heights from the ambience) (default ${DEFAULT-VALUE})")
    String layout = "5.1";

    @Option(names = "--centre",
            description = "share of the content common to L and R moved to C, 0..1 (default ${DEFAULT-VALUE})")
    double centre = 1.0;

    @Option(names = "--front-width",
            description = "1: C takes the common part of every front source; lower keeps off-centre sources in L/R (0.05..1, default ${DEFAULT-VALUE})")
    double frontWidth = 1.0;

    @Option(names = "--surround", description = "level of the diffuse sound in the surrounds (default ${DEFAULT-VALUE})")
    String surround = "-3dB";

    @Option(names = "--surround-delay", description = "surround delay, 0..50 ms (default ${DEFAULT-VALUE}; 0 with --exact-folddown)")
    String surroundDelay = "10ms";

    @Option(names = "--lfe-crossover", description = "LFE low-pass (Linkwitz-Riley 24 dB/oct), Hz (default ${DEFAULT-VALUE})")
    double lfeCrossover = 120;

    @Option(names = "--lfe-level", description = "LFE in-band playback level re the mains; recorded 10 dB lower (default ${DEFAULT-VALUE})")
    String lfeLevel = "0dB";

    @Option(names = "--no-lfe", description = "leave the LFE channel silent")
    boolean noLfe;

    @Option(names = "--highpass-mains", description = "high-pass the mains at the LFE crossover (bass only in the LFE)")
    boolean highPassMains;

    @Option(names = "--exact-folddown", description = "make the ITU-R BS.775 fold-down of the output equal the input (to float rounding)")
    boolean exact;

    @Option(names = "--sample-format", description = "float (32-bit), 24 or 16 (default ${DEFAULT-VALUE})")
    String sampleFormat = "float";

    @Option(names = {"-q", "--quiet"}, description = "no progress or summary on stderr")
    boolean quiet;

    /** The options {@link #quick} parses: the same names as the annotations above (checked by UpmixQuickArgsTest). */
    private static final QuickArgs.Spec[] QUICK = {
            new QuickArgs.Spec(false, "--output", "-o"),
            new QuickArgs.Spec(false, "--ltrt"),
            new QuickArgs.Spec(false, "--ltrt-trim"),
            new QuickArgs.Spec(false, "--layout"),
            new QuickArgs.Spec(false, "--centre"),
            new QuickArgs.Spec(false, "--front-width"),
            new QuickArgs.Spec(false, "--surround"),
            new QuickArgs.Spec(false, "--surround-delay"),
            new QuickArgs.Spec(false, "--lfe-crossover"),
            new QuickArgs.Spec(false, "--lfe-level"),
            new QuickArgs.Spec(true, "--no-lfe"),
            new QuickArgs.Spec(true, "--highpass-mains"),
            new QuickArgs.Spec(true, "--exact-folddown"),
            new QuickArgs.Spec(false, "--sample-format"),
            new QuickArgs.Spec(true, "--quiet", "-q"),
    };

    /**
     * The command for {@code args} ({@code args[0]} is "upmix") parsed without picocli, or null when picocli must
     * parse them (see {@link QuickArgs}): the same field values as picocli gives, defaults from the field initialisers.
     */
    static UpmixCommand quick(String[] args) {
        QuickArgs q = QuickArgs.parse(args, 1, QUICK);
        if (q == null || q.positionals.size() != 1) return null;
        UpmixCommand c = new UpmixCommand();
        try {
            c.input = Paths.get(q.positionals.get(0));
            String o = q.options.get("--output");
            c.output = o == null ? null : Paths.get(o);
            String lt = q.options.get("--ltrt");
            c.ltRt = lt == null ? null : Paths.get(lt);
            c.ltRtTrim = q.get("--ltrt-trim", c.ltRtTrim);
            c.layout = q.get("--layout", c.layout);
            c.centre = Double.parseDouble(q.get("--centre", Double.toString(c.centre)));
            c.frontWidth = Double.parseDouble(q.get("--front-width", Double.toString(c.frontWidth)));
            c.surround = q.get("--surround", c.surround);
            c.surroundDelay = q.get("--surround-delay", c.surroundDelay);
            c.lfeCrossover = Double.parseDouble(q.get("--lfe-crossover", Double.toString(c.lfeCrossover)));
            c.lfeLevel = q.get("--lfe-level", c.lfeLevel);
            c.noLfe = q.options.containsKey("--no-lfe");
            c.highPassMains = q.options.containsKey("--highpass-mains");
            c.exact = q.options.containsKey("--exact-folddown");
            c.sampleFormat = q.get("--sample-format", c.sampleFormat);
            c.quiet = q.options.containsKey("--quiet");
        } catch (NumberFormatException | InvalidPathException e) {
            return null; // picocli words the error
        }
        return c;
    }

    @Override
    public Integer call() throws Exception {
        StereoUpmixer.Settings s;
        SampleFormat format;
        UpmixFiles.LtRtOutput lt;
        try {
            s = settings();
            format = parseSampleFormat(sampleFormat);
            lt = ltRtOutput();
        } catch (IllegalArgumentException | StemroomException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return run(s, format, lt, spec.commandLine().getErr());
    }

    /** The Lt/Rt output asked for (null: none); IllegalArgumentException when there is no output at all or a bad trim. */
    UpmixFiles.LtRtOutput ltRtOutput() {
        if (output == null && ltRt == null) {
            throw new IllegalArgumentException("give the surround output (-o OUT.wav), the Lt/Rt output (--ltrt LTRT.wav) or both");
        }
        if (output != null && ltRt != null && output.toAbsolutePath().normalize().equals(ltRt.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("-o and --ltrt name the same file: " + output);
        }
        return ltRt == null ? null : new UpmixFiles.LtRtOutput(ltRt, parseDb(ltRtTrim, "--ltrt-trim"));
    }

    /** The upmixer's settings from the options; IllegalArgumentException or StemroomException for a bad value. */
    StereoUpmixer.Settings settings() throws StemroomException {
        return StereoUpmixer.Settings.defaults()
                .withLayout(SpeakerLayout.byName(layout))
                .withCentre(centre)
                .withFrontWidth(frontWidth)
                .withSurroundDb(parseDb(surround, "--surround"))
                .withSurroundDelayMs(parseMs(surroundDelay))
                .withLfe(!noLfe)
                .withLfeCrossoverHz(lfeCrossover)
                .withLfeLevelDb(parseDb(lfeLevel, "--lfe-level"))
                .withExactFoldDown(exact)
                .withHighPassMains(highPassMains);
    }

    /** Runs the upmix with settings already checked; messages to {@code err}. */
    int run(StereoUpmixer.Settings s, SampleFormat format, UpmixFiles.LtRtOutput lt, PrintWriter err) throws Exception {
        Progress progress = ProgressBar.forTerminal(err, quiet);
        UpmixFiles.Result r = UpmixFiles.upmix(input, output, lt, s, format, progress);
        if (lt != null) reportLtRt(err, err, quiet, lt, r.ltRtSamplePeak, r.ltRtTruePeak, r.ltRtClippedSamples);
        if (!quiet) {
            err.printf(Locale.ROOT, "stemroom: upmixed %s (%.1f s) to %s in %.1f s (%.0fx real time): %s%n", input,
                    r.frames / (double) r.sampleRate, output != null ? output : lt.path, r.seconds,
                    r.frames / (double) r.sampleRate / r.seconds, s);
            if (r.centreLimitedSamples > 0) {
                err.printf(Locale.ROOT, "stemroom: the centre limiter worked on %d samples%s%n", r.centreLimitedSamples,
                        s.exactFoldDown ? " (their excess stays in L/R: the fold-down is still exact)" : "");
            }
            if (r.clippedSamples > 0) err.printf(Locale.ROOT, "stemroom: warning: %d samples clipped%n", r.clippedSamples);
            err.flush();
        }
        return 0;
    }

    /**
     * The Lt/Rt file's peaks on {@code info}; they come even with --quiet when the encode went over the ceiling (a
     * delivery must not clip), with a warning on {@code err} that names the trim that brings it under. Shared by
     * {@code upmix --ltrt} and {@code place --ltrt}.
     */
    static void reportLtRt(PrintWriter info, PrintWriter err, boolean quiet, UpmixFiles.LtRtOutput lt, double samplePeak,
                           double truePeak, long clipped) {
        double tp = 20 * Math.log10(Math.max(truePeak, 1e-10));
        double sp = 20 * Math.log10(Math.max(samplePeak, 1e-10));
        boolean over = tp > LTRT_TRUE_PEAK_CEILING_DB;
        if (!quiet || over) {
            info.printf(Locale.ROOT, "stemroom: Lt/Rt %s (trim %.1f dB): sample peak %.2f dBFS, true peak %.2f dBTP%s%n",
                    lt.path, lt.trimDb, sp, tp, clipped > 0 ? ", " + clipped + " samples clipped" : "");
        }
        if (over) {
            err.printf(Locale.ROOT, "stemroom: warning: the Lt/Rt encode is above %.1f dBTP; --ltrt-trim %.1fdB brings it to %.1f dBTP%n",
                    LTRT_TRUE_PEAK_CEILING_DB, Math.max(-24, lt.trimDb + LTRT_TRUE_PEAK_CEILING_DB - tp),
                    LTRT_TRUE_PEAK_CEILING_DB);
        }
    }

    /** The usual delivery ceiling for true peak (EBU R128 / AES streaming recommendations: -1 dBTP). */
    static final double LTRT_TRUE_PEAK_CEILING_DB = -1.0;

    static double parseDb(String text, String option) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("db")) t = t.substring(0, t.length() - 2).trim();
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a level in dB: '" + text + "'");
        }
    }

    static double parseMs(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) t = t.substring(0, t.length() - 2).trim();
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--surround-delay: not a time in ms: '" + text + "'");
        }
    }

    static SampleFormat parseSampleFormat(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "float": case "f32": case "32f": return SampleFormat.FLOAT_32;
            case "24": return SampleFormat.PCM_24;
            case "16": return SampleFormat.PCM_16;
            default: throw new IllegalArgumentException("--sample-format: use float, 24 or 16, not '" + s + "'");
        }
    }
}
