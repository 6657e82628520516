package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.stemroom.workstation.batch.BatchJob;
import org.stemroom.workstation.batch.BatchRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stemroom batch}: render a folder or a jobs CSV, resumably, with a bounded pool of workers. */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Render many files: every WAV/AIFF/FLAC in a folder, or the rows of a jobs CSV (columns: input, "
                + "and optionally preset, layout, room, separator, output). Each file gets its own folder under the "
                + "output folder. A failing file never stops the batch; files whose render.json and outputs verify are "
                + "skipped, so an interrupted batch resumes by running the same command again."})
public final class BatchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "JOBS.csv|FOLDER")
    Path source;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR")
    Path outDir;

    @Option(names = "--preset", defaultValue = "mono-to-stereo", paramLabel = "NAME|FILE.json",
            description = "preset for jobs that name none (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--layout", paramLabel = "stereo|5.1|7.1")
    String layout;

    @Option(names = "--room", paramLabel = "NAME|IR.wav|none")
    String room;

    @Option(names = "--separator", paramLabel = "NAME")
    String separator;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "parallel renders (default: one per core, fewer if memory is short)")
    Integer workers;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<BatchJob> jobs = BatchRunner.jobs(source, outDir);
        int n = workers != null ? Math.max(1, workers) : BatchRunner.defaultWorkers();
        out.println("batch: " + jobs.size() + " files, " + n + " at a time, into " + outDir);
        out.flush();
        List<BatchRunner.Outcome> outcomes = new BatchRunner(preset, layout, room, separator)
                .run(jobs, n, ProgressBar.forTerminal(err, quiet));
        BatchRunner.printSummary(outcomes, out);
        boolean failed = outcomes.stream().anyMatch(o -> o.status() == BatchRunner.Status.FAILED);
        return failed ? StemroomCli.EXIT_PROCESSING : 0;
    }
}
