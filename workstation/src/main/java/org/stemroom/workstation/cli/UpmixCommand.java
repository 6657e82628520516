package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
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
                "Example: stemroom upmix mix.wav --layout 5.1 --centre 0.7 --surround -3dB -o mix51.wav"})
public final class UpmixCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "stereo input (WAV, AIFF, FLAC)")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.wav", description = "output WAV")
    Path output;

    @Option(names = "--layout", defaultValue = "5.1", description = "5.1, 7.1 or 7.1.4 (heights from the ambience) (default ${DEFAULT-VALUE})")
    String layout;

    @Option(names = "--centre", defaultValue = "1.0",
            description = "share of the content common to L and R moved to C, 0..1 (default ${DEFAULT-VALUE})")
    double centre;

    @Option(names = "--front-width", defaultValue = "1.0",
            description = "1: C takes the common part of every front source; lower keeps off-centre sources in L/R (0.05..1, default ${DEFAULT-VALUE})")
    double frontWidth;

    @Option(names = "--surround", defaultValue = "-3dB", description = "level of the diffuse sound in the surrounds (default ${DEFAULT-VALUE})")
    String surround;

    @Option(names = "--surround-delay", defaultValue = "10ms", description = "surround delay, 0..50 ms (default ${DEFAULT-VALUE}; 0 with --exact-folddown)")
    String surroundDelay;

    @Option(names = "--lfe-crossover", defaultValue = "120", description = "LFE low-pass (Linkwitz-Riley 24 dB/oct), Hz (default ${DEFAULT-VALUE})")
    double lfeCrossover;

    @Option(names = "--lfe-level", defaultValue = "0dB", description = "LFE in-band playback level re the mains; recorded 10 dB lower (default ${DEFAULT-VALUE})")
    String lfeLevel;

    @Option(names = "--no-lfe", description = "leave the LFE channel silent")
    boolean noLfe;

    @Option(names = "--highpass-mains", description = "high-pass the mains at the LFE crossover (bass only in the LFE)")
    boolean highPassMains;

    @Option(names = "--exact-folddown", description = "make the ITU-R BS.775 fold-down of the output equal the input (to float rounding)")
    boolean exact;

    @Option(names = "--sample-format", defaultValue = "float", description = "float (32-bit), 24 or 16 (default ${DEFAULT-VALUE})")
    String sampleFormat;

    @Option(names = {"-q", "--quiet"}, description = "no progress or summary on stderr")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        StereoUpmixer.Settings s;
        try {
            s = StereoUpmixer.Settings.defaults()
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
        } catch (IllegalArgumentException | StemroomException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Progress progress = ProgressBar.forTerminal(spec.commandLine().getErr(), quiet);
        UpmixFiles.Result r = UpmixFiles.upmix(input, output, s, parseSampleFormat(sampleFormat), progress);
        if (!quiet) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "stemroom: upmixed %s (%.1f s) to %s in %.1f s (%.0fx real time): %s%n", input,
                    r.frames / (double) r.sampleRate, output, r.seconds, r.frames / (double) r.sampleRate / r.seconds, s);
            if (r.centreLimitedSamples > 0) {
                err.printf(Locale.ROOT, "stemroom: the centre limiter worked on %d samples%s%n", r.centreLimitedSamples,
                        s.exactFoldDown ? " (their excess stays in L/R: the fold-down is still exact)" : "");
            }
            if (r.clippedSamples > 0) err.printf(Locale.ROOT, "stemroom: warning: %d samples clipped%n", r.clippedSamples);
            err.flush();
        }
        return 0;
    }

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
