package org.stemroom.workstation.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.spatial.StereoUpmixer;
import org.stemroom.spatial.UpmixFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code stemroom} command. Exit codes: 0 ok, 1 processing error (bad file, failed render), 2 usage error.
 * Messages go to stderr; results (tables, JSON) to stdout.
 */
@Command(name = "stemroom",
        mixinStandardHelpOptions = true,
        versionProvider = StemroomCli.Version.class,
        description = "Upmix and remaster workstation: separate a master into stems, place them in stereo or 5.1, "
                + "and put them back into a room.",
        subcommands = {
                CommandLine.HelpCommand.class,
                PresetsCommand.class,
                InfoCommand.class,
                RenderCommand.class,
                DemoCommand.class,
                BatchCommand.class,
                ConvolveCommand.class,
                IrCommand.class,
                UpmixCommand.class,
                CheckCommand.class,
                SeparateCommand.class,
                PlaceCommand.class,
                DatasetCommand.class,
                TrainCommand.class,
        })
public final class StemroomCli implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_PROCESSING = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Version.subcommandRequired(spec);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        int quick = executeQuick(args, new PrintWriter(System.err, true));
        return quick >= 0 ? quick : commandLineFor(args).execute(args);
    }

    /**
     * Runs {@code upmix} (and {@code convolve}, {@code render}) without picocli when its arguments are in the plain forms {@link QuickArgs} handles and its
     * settings are valid (no picocli class is loaded: about 0.25 s less start-up), else returns -1 and the caller
     * runs picocli, which gives the same result or the usual usage error. Failures while running are reported as
     * picocli's execution handler reports them.
     */
    static int executeQuick(String[] args, PrintWriter err) {
        return executeQuick(args, new PrintWriter(System.out, true), err);
    }

    /** {@link #executeQuick(String[], PrintWriter)} with the results ({@code render}'s) to {@code out}. */
    static int executeQuick(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length >= 2 && "render".equals(args[0])) {
            RenderCommand c = RenderCommand.quick(args);
            if (c == null) return -1;
            try {
                return c.run(out, err);
            } catch (Exception e) {
                return reportFailure(e, err);
            }
        }
        if (args.length >= 2 && "convolve".equals(args[0])) { // convolve's fast path (hook added by convolver)
            ConvolveCommand c = ConvolveCommand.quick(args);
            if (c == null) return -1;
            try {
                return c.run(err);
            } catch (Exception e) {
                return reportFailure(e, err);
            }
        }
        if (args.length < 2 || !"upmix".equals(args[0])) return -1;
        UpmixCommand c = UpmixCommand.quick(args);
        if (c == null) return -1;
        StereoUpmixer.Settings settings;
        SampleFormat format;
        UpmixFiles.LtRtOutput ltRt;
        try {
            settings = c.settings();
            format = UpmixCommand.parseSampleFormat(c.sampleFormat);
            ltRt = c.ltRtOutput();
        } catch (IllegalArgumentException | StemroomException e) {
            return -1; // a usage error: picocli prints it with the command's usage
        }
        try {
            return c.run(settings, format, ltRt, err);
        } catch (Exception e) {
            return reportFailure(e, err);
        }
    }

    /** The command tree that {@link #main} runs {@code args} with: only the named subcommand when there is one. */
    static CommandLine commandLineFor(String... args) {
        CommandLine lean = args.length > 0 ? forSubcommand(args[0]) : null;
        return lean != null ? lean : newCommandLine();
    }

    /** The full command tree (every subcommand's model built): for help listings and tests. */
    static CommandLine newCommandLine() {
        return configure(new CommandLine(new StemroomCli()));
    }

    /**
     * A command tree holding only the subcommand {@code name} (null when {@code name} is not a subcommand, or is
     * {@code help}, which needs the others). Building picocli's model of all subcommands reflects over every
     * option of every command: about 0.35 s of CPU at each start, more than a whole one-minute convolution takes.
     * Parsing, help, errors and exit codes of the subcommand are the same as in the full tree.
     */
    static CommandLine forSubcommand(String name) {
        Command root = StemroomCli.class.getAnnotation(Command.class);
        for (Class<?> c : root.subcommands()) {
            Command sub = c.getAnnotation(Command.class);
            if (sub == null || c == CommandLine.HelpCommand.class) continue;
            if (!name.equals(sub.name()) && !java.util.Arrays.asList(sub.aliases()).contains(name)) continue;
            CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.wrapWithoutInspection(new StemroomCli());
            spec.name(root.name());
            spec.mixinStandardHelpOptions(true);
            Version.install(spec);
            spec.usageMessage().description(root.description());
            CommandLine cl = new CommandLine(spec);
            cl.addSubcommand(sub.name(), c);
            return configure(cl);
        }
        return null;
    }

    private static CommandLine configure(CommandLine cl) {
        cl.setExitCodeExceptionMapper(StemroomCli::exitCodeFor);
        cl.setExecutionExceptionHandler(StemroomCli::handleExecutionException);
        cl.getCommandSpec().exitCodeOnUsageHelp(EXIT_OK);
        cl.getCommandSpec().exitCodeOnInvalidInput(EXIT_USAGE);
        installVersion(cl);
        return cl;
    }

    /**
     * picocli does not pass the root's version provider down: without this, {@code stemroom render --version}
     * printed nothing and exited 0. Every subcommand, at any depth, prints the root's version line.
     */
    private static void installVersion(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            if (spec.versionProvider() == null && spec.version().length == 0) Version.install(spec);
            installVersion(sub);
        }
    }

    private static int exitCodeFor(Throwable t) {
        return t instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_PROCESSING;
    }

    private static int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        return reportFailure(ex, cl.getErr());
    }

    private static int reportFailure(Exception ex, PrintWriter err) {
        Throwable t = ex;
        if (t instanceof UncheckedIOException && t.getCause() != null) t = t.getCause();
        if (t instanceof CommandLine.ParameterException) {
            err.println("stemroom: " + t.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        if (t instanceof StemroomException || t instanceof IOException || t instanceof IllegalArgumentException) {
            err.println("stemroom: error: " + t.getMessage());
        } else {
            // A bug, not a user error: say so plainly and keep the trace for the report.
            err.println("stemroom: internal error: " + t);
            t.printStackTrace(err);
        }
        err.flush();
        return EXIT_PROCESSING;
    }

    /**
     * Version from the jar manifest (set by the build), or "development" when run from classes.
     *
     * <p>Also holds the uses of picocli's types that the verifier checks by loading them ({@link #install}: a
     * Version passed as an IVersionProvider; {@link #subcommandRequired}, {@link #parameterError}: a ParameterException
     * thrown): in StemroomCli's (and RenderCommand's) own methods they made every start load three picocli classes from the jar, as the fast paths
     * run no picocli code but StemroomCli is verified whole. picocli's class files are Java 5 (version 49), which the
     * class-data archive cannot hold, so those loads opened and indexed the 91 MB jar (5688 entries, 25-97 ms of a
     * cold JVM at load 10) in every {@code convolve} and {@code upmix}. This class is loaded only where picocli runs.
     */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"stemroom " + version()};
        }

        static void install(CommandLine.Model.CommandSpec spec) {
            spec.versionProvider(new Version());
        }

        static RuntimeException subcommandRequired(CommandLine.Model.CommandSpec spec) {
            return parameterError(spec, "a subcommand is required");
        }

        /** A usage error of the command {@code spec}, as picocli reports it (exit code 2, the command's usage). */
        static RuntimeException parameterError(CommandLine.Model.CommandSpec spec, String message) {
            return new CommandLine.ParameterException(spec.commandLine(), message);
        }
    }

    public static String version() {
        String v = StemroomCli.class.getPackage().getImplementationVersion();
        return v != null ? v : "development";
    }
}
