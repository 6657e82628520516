package org.stemroom.workstation.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.spatial.FoldDown;
import org.stemroom.spatial.FoldDownCheck;
import org.stemroom.spatial.FoldDownPlot;
import org.stemroom.spatial.LtRtEncoder;
import org.stemroom.spatial.SpeakerLayout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stemroom check}: does a surround render fold down to its stereo reference? */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Fold a surround file down (ITU-R BS.775 Lo/Ro by default) and compare it with the stereo reference:",
                "level difference per octave band, correlation, BS.1770 loudness, clipping, mono compatibility.",
                "Exit status 3 when a band is off by more than the tolerance or the fold-down clips.",
                "Example: stemroom check --reference mix.wav mix51.wav --plot diff.png"})
public final class CheckCommand implements Callable<Integer> {
    public static final int EXIT_CHECK_FAILED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-r", "--reference"}, required = true, paramLabel = "STEREO", description = "the stereo reference")
    Path reference;

    @Parameters(index = "0", paramLabel = "SURROUND", description = "the multichannel file to check")
    Path surround;

    @Option(names = "--layout", paramLabel = "NAME|FILE.json",
            description = "layout of the surround file (default: from its channel mask or count)")
    String layout;

    @Option(names = "--fold", defaultValue = "loro", description = "loro (BS.775 Lo/Ro) or ltrt (Dolby-Surround-style matrix encode, surrounds 90 degrees shifted; the reference goes through the same all-pass as the fronts) (default ${DEFAULT-VALUE})")
    String fold;

    @Option(names = "--include-lfe", description = "add the LFE to the fold-down (+10 dB playback gain, -3 dB per side)")
    boolean includeLfe;

    @Option(names = "--tolerance", defaultValue = "1.0", description = "largest per-band difference that passes, dB (default ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--json", description = "print the report as JSON instead of a table")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "also draw the per-band differences into a PNG")
    Path plot;

    @Override
    public Integer call() throws Exception {
        FoldDown.Mode mode;
        try {
            mode = FoldDown.Mode.parse(fold);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (mode == FoldDown.Mode.MONO) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fold: the check compares stereo (loro or ltrt)");
        }
        FoldDownCheck.Report r;
        // Both files stream (two passes, blocks of a few thousand frames): memory does not grow with their length.
        try (FoldDownCheck.Input ref = FoldDownCheck.of(AudioFileReader.open(reference), false);
             FoldDownCheck.Input sur = FoldDownCheck.of(AudioFileReader.open(surround), false)) {
            SpeakerLayout sl;
            if (layout != null) {
                sl = SpeakerLayout.byName(layout);
            } else {
                try {
                    sl = SpeakerLayout.of(sur.format().layout());
                } catch (IllegalArgumentException e) {
                    throw new StemroomException(surround + ": cannot tell its speaker layout ("
                            + sur.format().channels() + " channels without a channel mask); give --layout");
                }
            }
            FoldDown fd = new FoldDown(sl, mode, FoldDown.MINUS_3_DB, FoldDown.MINUS_3_DB, includeLfe);
            // ltrt: the real encode with its 90-degree network (peaks, mono sum and correlation as a decoder gets them)
            r = mode == FoldDown.Mode.LT_RT
                    ? FoldDownCheck.run(ref, reference.toString(), sur, surround.toString(), new LtRtEncoder(fd), tolerance)
                    : FoldDownCheck.run(ref, reference.toString(), sur, surround.toString(), fd, tolerance);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.toMap()));
        } else {
            out.print(r.toTable());
        }
        out.flush();
        if (plot != null) FoldDownPlot.write(r, plot);
        return r.pass() ? 0 : EXIT_CHECK_FAILED;
    }
}
