package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.Presets;
import org.stemroom.workstation.demo.DemoSong;
import org.stemroom.workstation.render.RenderEngine;
import org.stemroom.workstation.render.RenderSettings;
import org.stemroom.workstation.render.RoomLibrary;
import org.stemroom.workstation.render.SeparatorLibrary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stemroom demo}: the whole job on a song synthesized in code; no input, no download. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Synthesize a short song (drums, bass, chords, lead), mix it to mono like an old master, and "
                + "render it to stereo and 5.1 with a built-in room and preset; prints where the reports are.")
public final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "stemroom-demo",
            description = "output folder (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();
        DemoSong song = new DemoSong();
        Path master = outDir.resolve("old-mono-master.wav");
        Files.createDirectories(outDir);
        AudioFiles.write(master, song.oldMonoMaster(), SampleFormat.PCM_24);
        out.printf("demo: synthesized a %.0f s song (drums, bass, chords, lead) and mixed it to a mono master: %s%n",
                song.seconds(), master);
        // The two renders are independent and each runs on one thread: on a multi-core machine they run side by
        // side (each still gives the same bits as alone).
        String[][] jobs = {{"stereo", "mono-to-stereo"}, {"5.1", "surround-audience"}};
        List<RenderSettings> settings = new ArrayList<>();
        for (String[] job : jobs) {
            settings.add(withAvailable(RenderSettings.of(master, Presets.builtIn(job[1])).withLayout(job[0]), out));
        }
        int threads = Math.min(jobs.length, Runtime.getRuntime().availableProcessors());
        // Side by side: one progress line with a lane per render; one at a time: the usual bar.
        ProgressLanes lanes = threads > 1 ? ProgressLanes.forTerminal(err, quiet) : null;
        Progress single = threads > 1 ? Progress.NONE : ProgressBar.forTerminal(err, quiet);
        if (threads > 1) out.println("demo: rendering stereo and 5.1 side by side ...");
        out.flush();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<RenderEngine.RenderResult>> results = new ArrayList<>();
            for (int i = 0; i < jobs.length; i++) {
                RenderSettings s = settings.get(i);
                Path dir = outDir.resolve(jobs[i][0]);
                Progress progress = lanes != null ? lanes.lane(jobs[i][0]) : single;
                results.add(pool.submit(() -> new RenderEngine(progress).render(s, dir)));
            }
            List<RenderEngine.RenderResult> done = new ArrayList<>();
            for (int i = 0; i < jobs.length; i++) {
                try {
                    done.add(results.get(i).get());
                } catch (ExecutionException e) {
                    if (lanes != null) lanes.finish();
                    if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
                    throw e;
                }
            }
            if (lanes != null) lanes.finish();
            for (int i = 0; i < jobs.length; i++) {
                RenderEngine.RenderResult r = done.get(i);
                RenderSettings s = settings.get(i);
                out.printf("demo: %s render (preset %s, room %s, separator %s) in %.1f s%n", jobs[i][0], jobs[i][1],
                        s.effectiveRoom(), s.effectiveSeparator(), r.seconds);
                out.println("      mix:    " + r.mixFile());
                out.println("      report: " + r.outDir.resolve("report.html"));
            }
        } finally {
            pool.shutdownNow();
        }
        out.printf("demo: done in %.1f s%n", (System.nanoTime() - t0) * 1e-9);
        out.flush();
        return 0;
    }

    /** Falls back to what this build offers when a preset names a room or separator that is not available. */
    private static RenderSettings withAvailable(RenderSettings s, PrintWriter out) throws StemroomException {
        String room = s.effectiveRoom();
        if (!RenderSettings.NO_ROOM.equals(room) && !RoomLibrary.builtInNames().contains(room)) {
            String alt = RoomLibrary.builtInNames().isEmpty() ? RenderSettings.NO_ROOM : RoomLibrary.builtInNames().get(0);
            out.println("demo: note: room '" + room + "' is not available in this build; using " + alt);
            s = s.withRoom(alt);
        }
        String sep = s.effectiveSeparator();
        if (!SeparatorLibrary.names().contains(sep)) {
            out.println("demo: note: separator '" + sep + "' is not available in this build; using "
                    + SeparatorLibrary.NONE);
            s = s.withSeparator(SeparatorLibrary.NONE);
        }
        return s;
    }
}
