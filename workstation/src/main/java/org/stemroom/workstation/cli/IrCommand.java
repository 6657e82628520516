package org.stemroom.workstation.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.room.BuiltInRooms;
import org.stemroom.room.DecayPlot;
import org.stemroom.room.RoomAcousticsAnalysis;
import org.stemroom.room.RoomImpulseResponse;
import org.stemroom.room.RoomSynthesizer;
import org.stemroom.room.SineSweep;
import org.stemroom.room.SweepDeconvolver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code stemroom ir}: analyse, measure and synthesize room impulse responses. */
@Command(name = "ir", mixinStandardHelpOptions = true,
        description = "Room impulse responses: analyse (ISO 3382-1), measure with a sine sweep, list and export built-in rooms.",
        subcommands = {IrCommand.Info.class, IrCommand.Sweep.class, IrCommand.Extract.class, IrCommand.Rooms.class,
                IrCommand.Synth.class})
public final class IrCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required (info, sweep, extract, rooms, synth)");
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = {"ISO 3382-1 parameters per octave band (125 Hz to 8 kHz) and broadband, for every channel: "
                    + "EDT, T20, T30 (Schroeder integration, Lundeby noise-floor handling), C50, C80, D50, centre time Ts, "
                    + "direct-to-reverberant ratio.", "Example: stemroom ir info hall.wav --plot decay.png"})
    static final class Info implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "IR", description = "impulse response (WAV, AIFF, FLAC)") Path ir;
        @Option(names = "--json", description = "print JSON instead of a table") boolean json;
        @Option(names = "--plot", paramLabel = "PNG", description = "write the decay curves of one channel as PNG") Path plot;
        @Option(names = "--channel", defaultValue = "1", description = "channel plotted (1-based, default ${DEFAULT-VALUE})") int channel;

        @Override
        public Integer call() throws IOException, StemroomException {
            AudioClip clip = AudioFiles.readAll(ir);
            if (clip.frames() == 0) throw new StemroomException(ir + ": the IR is empty");
            if (clip.durationSeconds() > RoomImpulseResponse.MAX_SECONDS) {
                throw new StemroomException(ir + ": longer than " + (int) RoomImpulseResponse.MAX_SECONDS + " s, not an impulse response");
            }
            if (channel < 1 || channel > clip.channels()) throw new StemroomException("--channel must be 1.." + clip.channels());
            PrintWriter out = spec.commandLine().getOut();
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = om.createObjectNode();
            root.put("file", ir.toString());
            root.put("sampleRate", clip.sampleRate());
            root.put("seconds", clip.durationSeconds());
            ArrayNode chans = root.putArray("channels");
            RoomAcousticsAnalysis.Result plotted = null;
            for (int c = 0; c < clip.channels(); c++) {
                float[] h = clip.channel(c);
                double peak = 0;
                for (float v : h) {
                    if (!Float.isFinite(v)) throw new StemroomException(ir + ": NaN or infinite samples in channel " + (c + 1));
                    peak = Math.max(peak, Math.abs(v));
                }
                String label = clip.format().layout().label(c);
                if (peak == 0) {
                    if (!json) out.printf("channel %d (%s): silent%n", c + 1, label);
                    continue;
                }
                RoomAcousticsAnalysis.Result res = RoomAcousticsAnalysis.analyze(h, clip.sampleRate());
                if (c == channel - 1) plotted = res;
                if (json) {
                    ObjectNode ch = chans.addObject();
                    ch.put("channel", c + 1);
                    ch.put("label", label);
                    ch.put("onsetSeconds", res.onsetSeconds);
                    ArrayNode bands = ch.putArray("bands");
                    for (RoomAcousticsAnalysis.BandResult b : res.bands) bandJson(bands.addObject(), b);
                    bandJson(ch.putObject("broadband"), res.broadband);
                } else {
                    out.printf(Locale.ROOT, "%s channel %d (%s): %.3f s at %d Hz, direct sound at %.1f ms%n", ir.getFileName(),
                            c + 1, label, clip.durationSeconds(), clip.sampleRate(), 1000 * res.onsetSeconds);
                    out.printf("  band      EDT     T20     T30    C50    C80   D50    Ts    DRR  peak/noise%n");
                    out.printf("   (Hz)     (s)     (s)     (s)   (dB)   (dB)   (%%)  (ms)   (dB)   (dB)%n");
                    for (RoomAcousticsAnalysis.BandResult b : res.bands) row(out, b);
                    row(out, res.broadband);
                }
            }
            if (json) out.println(om.writeValueAsString(root));
            out.flush();
            if (plot != null) {
                if (plotted == null) throw new StemroomException("channel " + channel + " of " + ir + " is silent: nothing to plot");
                DecayPlot.write(plotted, ir.getFileName() + " channel " + channel + ": Schroeder decay per octave band", plot);
                if (!json) out.println("decay curves written to " + plot);
            }
            return 0;
        }

        private static void row(PrintWriter out, RoomAcousticsAnalysis.BandResult b) {
            out.printf(Locale.ROOT, "  %-6s %6s  %6s  %6s %6.1f %6.1f %5.0f %5.0f %6.1f %6.1f%n", b.band == 0 ? "all" : b.label,
                    fmt(b.edt), fmt(b.t20), fmt(b.t30), b.c50, b.c80, 100 * b.d50, 1000 * b.ts, b.drr, b.peakToNoiseDb);
        }

        private static String fmt(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
        }

        private static void bandJson(ObjectNode n, RoomAcousticsAnalysis.BandResult b) {
            n.put("band", b.band == 0 ? "broadband" : b.label);
            if (b.band > 0) n.put("centreHz", b.band);
            put(n, "edt", b.edt);
            put(n, "t20", b.t20);
            put(n, "t30", b.t30);
            put(n, "c50", b.c50);
            put(n, "c80", b.c80);
            put(n, "d50", b.d50);
            put(n, "ts", b.ts);
            put(n, "drr", b.drr);
            put(n, "noiseFloorDb", b.noiseFloorDb);
            put(n, "crossPointSeconds", b.crossPoint);
        }

        private static void put(ObjectNode n, String k, double v) {
            if (Double.isFinite(v)) n.put(k, v);
            else n.putNull(k);
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = {"Write an exponential sine sweep (Farina 2000) with fades, and its inverse filter. Play the sweep "
                    + "in the room, record it (any number of microphones), then run 'stemroom ir extract'.",
                    "Example: stemroom ir sweep --f1 20 --f2 20000 --length 10 --rate 48000 -o sweep.wav"})
    static final class Sweep implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "SWEEP.wav") Path output;
        @Option(names = "--inverse", paramLabel = "INVERSE.wav", description = "inverse filter (default: <output>-inverse.wav)") Path inverse;
        @Option(names = "--f1", defaultValue = "20", description = "start frequency, Hz (default ${DEFAULT-VALUE})") double f1;
        @Option(names = "--f2", description = "end frequency, Hz (default 20000 or 0.45 x rate)") Double f2;
        @Option(names = "--length", defaultValue = "10", description = "sweep length, s (default ${DEFAULT-VALUE})") double length;
        @Option(names = "--rate", defaultValue = "48000", description = "sample rate (default ${DEFAULT-VALUE})") int rate;
        @Option(names = "--fade-in", defaultValue = "0.05", description = "fade-in, s (default ${DEFAULT-VALUE})") double fadeIn;
        @Option(names = "--fade-out", defaultValue = "0.01", description = "fade-out, s (default ${DEFAULT-VALUE})") double fadeOut;
        @Option(names = "--level", defaultValue = "-3", description = "peak level, dBFS (default ${DEFAULT-VALUE})") double level;
        @Option(names = "--silence", defaultValue = "3", description = "silence after the sweep for the decay, s (default ${DEFAULT-VALUE})") double silence;

        @Override
        public Integer call() throws IOException, StemroomException {
            SineSweep s;
            try {
                new AudioFormat(rate, ChannelLayout.MONO);
                s = new SineSweep(f1, f2 != null ? f2 : Math.min(20000, 0.45 * rate), length, rate, fadeIn, fadeOut,
                        Math.pow(10, level / 20));
            } catch (IllegalArgumentException e) {
                throw new StemroomException("sweep: " + e.getMessage());
            }
            if (!(silence >= 0 && silence <= 60)) throw new StemroomException("--silence must be 0..60 s");
            float[] x = s.signal();
            float[] padded = java.util.Arrays.copyOf(x, x.length + (int) Math.round(silence * rate));
            Path inv = inverse != null ? inverse : sibling(output, "-inverse.wav");
            AudioFileWriter.Options noDither = AudioFileWriter.Options.defaults().dither(false);
            AudioFiles.write(output, new AudioClip(AudioFormat.of(rate, 1), new float[][] {padded}), SampleFormat.FLOAT_32, noDither);
            AudioFiles.write(inv, new AudioClip(AudioFormat.of(rate, 1), new float[][] {s.inverseFilter()}), SampleFormat.FLOAT_32, noDither);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "sweep %.0f Hz to %.0f Hz, %.1f s + %.1f s silence at %d Hz, peak %.1f dBFS -> %s%n"
                    + "inverse filter -> %s%nharmonic distortion lands %.0f ms (2nd) and %.0f ms (3rd) before the linear response%n",
                    s.f1, s.f2, s.seconds, silence, rate, level, output, inv, 1000 * s.harmonicAdvance(2), 1000 * s.harmonicAdvance(3));
            out.flush();
            return 0;
        }
    }

    @Command(name = "extract", mixinStandardHelpOptions = true,
            description = {"Deconvolve a recording of a sweep (any number of channels) into an impulse response: harmonic "
                    + "distortion products before the linear response are discarded, the IR is trimmed at the noise floor "
                    + "and normalized.", "Example: stemroom ir extract --sweep sweep.wav --recorded take1.wav -o room.wav"})
    static final class Extract implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--sweep", required = true, paramLabel = "SWEEP.wav", description = "the sweep that was played") Path sweep;
        @Option(names = "--recorded", required = true, paramLabel = "REC.wav", description = "the recording of it") Path recorded;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "IR.wav") Path output;
        @Option(names = "--f1", defaultValue = "20", description = "sweep start frequency, Hz (default ${DEFAULT-VALUE})") double f1;
        @Option(names = "--f2", description = "sweep end frequency, Hz (default 20000 or 0.45 x rate)") Double f2;
        @Option(names = "--predelay", defaultValue = "0.001", description = "seconds kept before the direct sound (default ${DEFAULT-VALUE})") double predelay;
        @Option(names = "--max-length", defaultValue = "10", description = "longest IR kept, s (default ${DEFAULT-VALUE})") double maxLength;
        @Option(names = "--no-trim", description = "keep --max-length instead of trimming at the noise floor") boolean noTrim;
        @Option(names = "--normalize", defaultValue = "peak", description = "peak (to -1 dBFS) or none (default ${DEFAULT-VALUE})") String normalize;

        @Override
        public Integer call() throws IOException, StemroomException {
            AudioClip sw = AudioFiles.readAll(sweep);
            AudioClip rec = AudioFiles.readAll(recorded);
            if (sw.sampleRate() != rec.sampleRate()) {
                throw new StemroomException(recorded + ": recorded at " + rec.sampleRate() + " Hz but the sweep " + sweep
                        + " is at " + sw.sampleRate() + " Hz");
            }
            if (sw.channels() != 1) throw new StemroomException(sweep + ": the sweep must be mono (it has " + sw.channels() + " channels)");
            float[] x = sw.channel(0);
            int end = x.length;
            while (end > 0 && x[end - 1] == 0f) end--; // drop the silence written after the sweep
            if (end == 0) throw new StemroomException(sweep + ": the sweep file is silent");
            x = java.util.Arrays.copyOf(x, end);
            int rate = sw.sampleRate();
            SineSweep s;
            try {
                s = new SineSweep(f1, f2 != null ? f2 : Math.min(20000, 0.45 * rate), end / (double) rate, rate, 0, 0, 1);
            } catch (IllegalArgumentException e) {
                throw new StemroomException("extract: " + e.getMessage());
            }
            for (float[] c : rec.samples()) for (float v : c) if (!Float.isFinite(v)) throw new StemroomException(recorded + ": NaN or infinite samples");
            SweepDeconvolver.Options o = new SweepDeconvolver.Options();
            o.preDelay = predelay;
            o.maxSeconds = maxLength;
            o.trimAtNoise = !noTrim;
            SweepDeconvolver.Result r;
            try {
                r = SweepDeconvolver.extract(s, x, rec.samples(), o);
            } catch (IllegalArgumentException e) {
                throw new StemroomException(recorded + ": " + e.getMessage());
            }
            float[][] irs = r.irs;
            if (normalize.equalsIgnoreCase("peak")) {
                float peak = 0;
                for (float[] c : irs) for (float v : c) peak = Math.max(peak, Math.abs(v));
                float g = (float) (Math.pow(10, -1 / 20.0) / peak);
                for (float[] c : irs) for (int i = 0; i < c.length; i++) c[i] *= g;
            } else if (!normalize.equalsIgnoreCase("none")) {
                throw new StemroomException("--normalize must be peak or none");
            }
            AudioFiles.write(output, new AudioClip(rec.format(), irs), SampleFormat.FLOAT_32,
                    AudioFileWriter.Options.defaults().inputsNotToOverwrite(List.of(sweep, recorded)));
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s: %d channel(s), %.3f s, direct sound at %.1f ms in the recording, peak-to-noise %.0f dB -> %s%n",
                    recorded.getFileName(), irs.length, irs[0].length / (double) rate, 1000.0 * r.start / rate,
                    r.peakToNoiseDb, output);
            out.flush();
            return 0;
        }
    }

    @Command(name = "rooms", mixinStandardHelpOptions = true, description = "List the built-in rooms with their modelled RT60 per octave band.")
    static final class Rooms implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (BuiltInRooms.Room r : BuiltInRooms.all()) {
                out.printf("%-14s %s%n", r.name, r.description);
                double[] rt = r.shoebox.eyringRt60();
                StringBuilder sb = new StringBuilder("               RT60 (Eyring):");
                for (int b = 0; b < rt.length; b++) {
                    sb.append(String.format(Locale.ROOT, " %s %.2f s", b == 0 ? "125" : b == 1 ? "250" : b == 2 ? "500"
                            : b == 3 ? "1k" : b == 4 ? "2k" : b == 5 ? "4k" : "8k", rt[b]));
                }
                out.println(sb);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Write a built-in room's synthesized IR set as a WAV: one source into the output layout's "
                    + "channels (cardioids aimed at each speaker), or true stereo (LL LR RL RR) with --input stereo.",
                    "Example: stemroom ir synth --room scoring-stage --layout 5.1 -o stage-51.wav"})
    static final class Synth implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--room", required = true, description = "built-in room (stemroom ir rooms)") String room;
        @Option(names = "--layout", defaultValue = "stereo", description = "output layout (default ${DEFAULT-VALUE})") String layout;
        @Option(names = "--input", defaultValue = "mono", description = "source layout: mono or stereo (default ${DEFAULT-VALUE})") String input;
        @Option(names = "--rate", defaultValue = "48000", description = "sample rate (default ${DEFAULT-VALUE})") int rate;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.wav") Path output;

        @Override
        public Integer call() throws IOException, StemroomException {
            ChannelLayout outL;
            ChannelLayout inL;
            try {
                outL = ChannelLayout.byName(layout);
                inL = ChannelLayout.byName(input);
                new AudioFormat(rate, outL);
            } catch (IllegalArgumentException e) {
                throw new StemroomException(e.getMessage());
            }
            RoomImpulseResponse rir = BuiltInRooms.load(room, inL, outL, rate);
            AudioClip clip;
            if (rir.sources() == 1) {
                float[][] d = new float[rir.outputs()][];
                for (int o = 0; o < d.length; o++) d[o] = rir.ir(0, o) != null ? rir.ir(0, o) : new float[rir.length()];
                clip = new AudioClip(new AudioFormat(rate, outL), d);
            } else if (rir.sources() == 2 && rir.outputs() == 2) {
                clip = new AudioClip(new AudioFormat(rate, ChannelLayout.named("true stereo", "LL", "LR", "RL", "RR")),
                        new float[][] {rir.ir(0, 0), rir.ir(0, 1), rir.ir(1, 0), rir.ir(1, 1)});
            } else {
                throw new StemroomException("a WAV holds one source into N outputs, or true stereo (2 x 2); "
                        + rir.sources() + " x " + rir.outputs() + " is not exportable");
            }
            AudioFiles.write(output, clip, SampleFormat.FLOAT_32);
            double[] rt = RoomSynthesizer.predictedRt60(BuiltInRooms.byName(room).setup(inL, outL, rate));
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d channel(s), %.2f s at %d Hz, modelled RT60 at 1 kHz %.2f s -> %s%n",
                    room, clip.channels(), clip.durationSeconds(), rate, rt[3], output);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    static Path sibling(Path p, String suffix) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String stem = dot > 0 ? n.substring(0, dot) : n;
        Path dir = p.toAbsolutePath().getParent();
        return dir.resolve(stem + suffix);
    }
}
