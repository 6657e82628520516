package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.MasterSettings;
import org.stemroom.presets.Preset;
import org.stemroom.presets.Presets;
import org.stemroom.presets.StemSettings;
import org.stemroom.spatial.LtRtFiles;
import org.stemroom.spatial.SpeakerLayout;
import org.stemroom.spatial.UpmixFiles;
import org.stemroom.workstation.render.RenderSettings;
import org.stemroom.workstation.render.StemPlacer;
import org.stemroom.workstation.render.StreamStats;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stemroom place}: stems that are already separated, placed in a speaker layout from a preset. */
@Command(name = "place", mixinStandardHelpOptions = true,
        description = {"Place already-separated stems in stereo, 5.1 or 7.1 from a preset (no separation; no room and"
                + " no master stage unless asked).",
                "Writes the sum of the placed stems as one WAV in the layout, aligned with the stems sample for"
                + " sample. A stem's name comes from its file name (vocals.wav -> vocals) or a"
                + " name=path pair; a stem the preset does not name takes the preset's 'default' placement. Stems"
                + " shorter than the longest are padded with silence at the end.",
                "Example: stemroom place vocals.wav drums.wav bass.wav other.wav --preset surround-in-the-band"
                        + " --layout 5.1 -o placed.wav"})
public final class PlaceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "STEM", arity = "1..*",
            description = "stem files (WAV, AIFF, FLAC; mono or stereo), as PATH or NAME=PATH")
    List<String> stems;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.wav", description = "output WAV")
    Path output;

    @Option(names = "--preset", paramLabel = "NAME|FILE.json", defaultValue = "surround-in-the-band",
            description = "built-in preset (stemroom presets list) or a preset file (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--layout", paramLabel = "stereo|5.1|7.1", description = "output layout (default: the preset's)")
    String layout;

    @Option(names = "--room", paramLabel = "NAME|IR.wav|preset|none", defaultValue = "none",
            description = "room: built-in name, impulse-response file or room.json, 'preset' for the preset's room,"
                    + " or none (default: ${DEFAULT-VALUE})")
    String room;

    @Option(names = "--bits", paramLabel = "16|24|32|float", defaultValue = "24",
            description = "sample format of the output (default: ${DEFAULT-VALUE}; 16/24 bit with TPDF dither)")
    String bits;

    @Option(names = "--master", paramLabel = "none|preset", defaultValue = "none",
            description = "master stage on the sum: 'preset' runs the preset's (loudness target, true-peak ceiling:"
                    + " the render's master stage), none leaves the sum as it is (default: ${DEFAULT-VALUE})")
    String master;

    @Option(names = "--loudness", paramLabel = "LUFS|none",
            description = "integrated-loudness target of the master stage (implies --master preset; default: the"
                    + " preset's)")
    String loudness;

    @Option(names = "--ceiling", paramLabel = "DBTP|none",
            description = "true-peak ceiling of the master stage's limiter (implies --master preset; default: the"
                    + " preset's)")
    String ceiling;

    @Option(names = "--ltrt", paramLabel = "LTRT.wav",
            description = "also write the Lt/Rt stereo matrix encode (90-degree surround network) of the placed mix;"
                    + " 5.1 and 7.1 only; reports its sample and true peak")
    Path ltRt;

    @Option(names = "--ltrt-trim", paramLabel = "dB", defaultValue = "0dB",
            description = "gain on the Lt/Rt encode, -24..0 dB: its peaks can exceed the mix's (default: ${DEFAULT-VALUE})")
    String ltRtTrim;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<StemPlacer.Stem> list = parseStems(stems);
        Preset p = Presets.resolve(preset);
        String layoutName = layout != null ? layout : p.layoutOrDefault();
        String roomSpec = room;
        if (roomSpec.trim().equalsIgnoreCase("preset")) {
            roomSpec = p.room() == null ? RenderSettings.NO_ROOM : p.room().name();
        }
        MasterSettings ms = masterSettings(p);
        UpmixFiles.LtRtOutput lt = ltRtOutput(layoutName); // refused before any work
        SampleFormat format = RenderCommand.parseFormat(bits, "--bits");
        Progress progress = ProgressBar.forTerminal(err, quiet);
        StemPlacer.Result r = StemPlacer.place(list, p, layoutName, roomSpec, ms, format, output,
                RenderSettings.DEFAULT_BLOCK, progress);
        LtRtFiles.Peaks ltPeaks = null;
        if (lt != null) {
            // encoded from the written mix, so the Lt/Rt is that file's encode, dither and master stage included
            List<Path> stemFiles = new ArrayList<>();
            for (StemPlacer.Stem s : list) stemFiles.add(s.file());
            ltPeaks = LtRtFiles.encode(output, lt, format, stemFiles, progress);
        }
        double secs = r.inputFrames / (double) r.sampleRate;
        out.printf(Locale.ROOT, "placed %d stems (%.1f s) -> %s (%s, preset %s, room %s) in %.1f s%n", list.size(), secs,
                output, r.layout.name(), p.name(), roomSpec, r.seconds);
        for (Map.Entry<String, StemSettings> e : r.placements.entrySet()) {
            StemSettings s = e.getValue();
            out.printf(Locale.ROOT, "  %-10s azimuth %6.1f  distance %4.2f m  width %5.1f  level %+5.1f dB%s%s%n",
                    e.getKey(), s.azimuth(), s.distance(), s.width(), s.levelDb(),
                    s.mute() ? "  muted" : "", r.byDefault.contains(e.getKey()) ? "  (preset's default)" : "");
        }
        if (!r.padded.isEmpty()) {
            out.println("  padded with silence to the longest stem: " + String.join(", ", r.padded));
        }
        if (r.master != null) {
            StreamStats o = r.outputStats;
            out.printf(Locale.ROOT, "  master stage: %s, ceiling %s; gain %+.2f dB, largest limiter reduction %.2f dB%n",
                    r.master.loudnessLufs() == null ? "no loudness target"
                            : String.format(Locale.ROOT, "target %.1f LUFS (sum measured %.2f LUFS)",
                            r.master.loudnessLufs(), r.premasterLufs),
                    r.master.truePeakDbtp() == null ? "off"
                            : String.format(Locale.ROOT, "%.1f dBTP", r.master.truePeakDbtp()),
                    r.masterGainDb, Math.max(0.0, -r.limiterMinGainDb));
            out.printf(Locale.ROOT, "  output: %.2f LUFS, true peak %.2f dBTP%n", o.integratedLufs(), o.truePeakDbtp());
        }
        out.printf(Locale.ROOT, "  peak %.1f dBFS%n", r.peakDbfs);
        if (ltPeaks != null) {
            UpmixCommand.reportLtRt(out, err, false, lt, ltPeaks.samplePeak, ltPeaks.truePeak, ltPeaks.clippedSamples);
        }
        if (r.clippedSamples > 0) {
            err.printf(Locale.ROOT, "stemroom: warning: %d samples clipped in %s (lower the stems' levels or use"
                    + " --bits float)%n", r.clippedSamples, output);
        }
        out.flush();
        err.flush();
        return 0;
    }

    /**
     * The Lt/Rt output asked for (null: none). Refused with a clear error when the layout has no surrounds to
     * matrix (stereo), when it would replace the mix, or for a bad trim.
     */
    UpmixFiles.LtRtOutput ltRtOutput(String layoutName) throws StemroomException {
        if (ltRt == null) return null;
        SpeakerLayout l = SpeakerLayout.byName(layoutName);
        if (!LtRtFiles.encodes(l)) {
            throw new StemroomException("--ltrt: the Lt/Rt encode matrixes a surround mix: use --layout 5.1 or 7.1 (the"
                    + " layout is " + l.name() + ")");
        }
        if (ltRt.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new StemroomException("-o and --ltrt name the same file: " + output);
        }
        try {
            return new UpmixFiles.LtRtOutput(ltRt, UpmixCommand.parseDb(ltRtTrim, "--ltrt-trim"));
        } catch (IllegalArgumentException e) {
            throw new StemroomException(e.getMessage().startsWith("--") ? e.getMessage() : "--ltrt-trim: " + e.getMessage());
        }
    }

    /** The preset's master stage with the command line's overrides, or null for none. */
    MasterSettings masterSettings(Preset p) throws StemroomException {
        boolean on;
        switch (master.trim().toLowerCase(Locale.ROOT)) {
            case "none": on = loudness != null || ceiling != null; break;
            case "preset": on = true; break;
            default: throw new StemroomException("--master: '" + master + "' (allowed: none, preset)");
        }
        if (!on) return null;
        MasterSettings ms = p.master();
        if (loudness != null) ms = ms.withLoudness(level(loudness, "--loudness", -70, 0));
        if (ceiling != null) ms = ms.withTruePeak(level(ceiling, "--ceiling", -20, 0));
        return ms;
    }

    /** A level in [lo, hi], or null for "none". */
    private static Double level(String v, String option, double lo, double hi) throws StemroomException {
        if (v.trim().equalsIgnoreCase("none")) return null;
        try {
            double d = Double.parseDouble(v.trim());
            if (d >= lo && d <= hi) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StemroomException(option + ": '" + v + "' (allowed: a number from " + (int) lo + " to " + (int) hi
                + ", or none)");
    }

    /** PATH (name from the file name, without extension, lower case) or NAME=PATH; names must be unique. */
    static List<StemPlacer.Stem> parseStems(List<String> args) throws StemroomException {
        List<StemPlacer.Stem> list = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String a : args) {
            String name;
            Path file;
            int eq = a.indexOf('=');
            if (eq > 0 && !Files.exists(Path.of(a))) {
                name = a.substring(0, eq).trim();
                file = Path.of(a.substring(eq + 1));
            } else {
                file = Path.of(a);
                String f = file.getFileName().toString();
                int dot = f.lastIndexOf('.');
                name = (dot > 0 ? f.substring(0, dot) : f).toLowerCase(Locale.ROOT);
            }
            if (name.isEmpty()) throw new StemroomException(a + ": empty stem name");
            if (!seen.add(name)) {
                throw new StemroomException(file + ": a second stem named '" + name + "'; give it another name with"
                        + " NAME=PATH");
            }
            list.add(new StemPlacer.Stem(name, file));
        }
        return list;
    }
}
