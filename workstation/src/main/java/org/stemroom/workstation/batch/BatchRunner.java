package org.stemroom.workstation.batch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.presets.Presets;
import org.stemroom.workstation.render.RenderEngine;
import org.stemroom.workstation.render.RenderManifest;
import org.stemroom.workstation.render.RenderSettings;
import org.stemroom.workstation.render.Sha256;

/**
 * Catalog work: many renders with a bounded pool of workers. One failing file never stops the others; a job whose
 * output folder already holds a render.json whose input and output checksums all verify is skipped, so an
 * interrupted batch resumes where it stopped. Each render runs on one thread, so the bits do not depend on the
 * pool size.
 */
public final class BatchRunner {
    /** Memory one render needs at most (separation chunks, convolution, file buffers), for sizing the pool. */
    public static final long BYTES_PER_JOB = 768L << 20;
    private static final Set<String> AUDIO = Set.of("wav", "wave", "aif", "aiff", "aifc", "flac", "rf64", "bwf");

    public enum Status { DONE, SKIPPED, FAILED }

    public record Outcome(BatchJob job, Status status, double seconds, double mixLufs, double mixTruePeak,
                          String message) { }

    private final String defaultPreset;
    private final String layout;
    private final String room;
    private final String separator;

    public BatchRunner(String defaultPreset, String layout, String room, String separator) {
        this.defaultPreset = defaultPreset;
        this.layout = layout;
        this.room = room;
        this.separator = separator;
    }

    /** Workers for this machine: one per core, fewer when memory is short. */
    public static int defaultWorkers() {
        int cores = Runtime.getRuntime().availableProcessors();
        long mem = Runtime.getRuntime().maxMemory();
        int byMemory = (int) Math.max(1, mem / BYTES_PER_JOB);
        return Math.max(1, Math.min(cores, byMemory));
    }

    /** The jobs of a folder (its audio files, sorted) or of a CSV file (see {@link #readCsv}). */
    public static List<BatchJob> jobs(Path source, Path outRoot) throws IOException, StemroomException {
        if (Files.isDirectory(source)) {
            List<BatchJob> jobs = new ArrayList<>();
            try (Stream<Path> s = Files.list(source)) {
                for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                    String n = p.getFileName().toString();
                    int dot = n.lastIndexOf('.');
                    if (dot <= 0 || !Files.isRegularFile(p)) continue;
                    if (!AUDIO.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT))) continue;
                    String name = n.substring(0, dot);
                    jobs.add(new BatchJob(name, p, outRoot.resolve(name), null, null, null, null));
                }
            }
            if (jobs.isEmpty()) throw new StemroomException(source + ": no WAV, AIFF or FLAC files in this folder");
            return uniqueNames(jobs);
        }
        if (!Files.isRegularFile(source)) throw new StemroomException(source + ": no such jobs file or folder");
        return uniqueNames(readCsv(source, outRoot));
    }

    /**
     * A jobs CSV: a header row naming the columns, {@code input} required, {@code preset}, {@code layout},
     * {@code room}, {@code separator}, {@code output} optional (empty cells take the batch's options). Relative
     * paths are relative to the CSV's folder; lines starting with # are comments.
     */
    public static List<BatchJob> readCsv(Path csv, Path outRoot) throws IOException, StemroomException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Path base = csv.toAbsolutePath().getParent();
        List<String> header = null;
        List<BatchJob> jobs = new ArrayList<>();
        int lineNo = 0;
        for (String line : lines) {
            lineNo++;
            if (line.isBlank() || line.trim().startsWith("#")) continue;
            List<String> cells = splitCsv(line);
            if (header == null) {
                header = new ArrayList<>();
                for (String c : cells) header.add(c.trim().toLowerCase(Locale.ROOT));
                for (String h : header) {
                    if (!List.of("input", "preset", "layout", "room", "separator", "output").contains(h)) {
                        throw new StemroomException(csv + ":" + lineNo + ": unknown column '" + h
                                + "' (allowed: input, preset, layout, room, separator, output)");
                    }
                }
                if (!header.contains("input")) throw new StemroomException(csv + ":" + lineNo + ": no 'input' column");
                continue;
            }
            String input = cell(header, cells, "input");
            if (input == null) throw new StemroomException(csv + ":" + lineNo + ": empty input");
            Path in = base.resolve(input).normalize();
            String fn = in.getFileName().toString();
            String name = fn.contains(".") ? fn.substring(0, fn.lastIndexOf('.')) : fn;
            String output = cell(header, cells, "output");
            Path out = output != null ? outRoot.resolve(output) : outRoot.resolve(name);
            jobs.add(new BatchJob(output != null ? output : name, in, out, cell(header, cells, "preset"),
                    cell(header, cells, "layout"), cell(header, cells, "room"), cell(header, cells, "separator")));
        }
        if (jobs.isEmpty()) throw new StemroomException(csv + ": no jobs");
        return jobs;
    }

    private static List<BatchJob> uniqueNames(List<BatchJob> jobs) throws StemroomException {
        Set<Path> outs = new HashSet<>();
        for (BatchJob j : jobs) {
            if (!outs.add(j.outDir().toAbsolutePath().normalize())) {
                throw new StemroomException("two jobs would write into " + j.outDir() + " (give them an 'output' column)");
            }
        }
        return jobs;
    }

    private static String cell(List<String> header, List<String> cells, String col) {
        int i = header.indexOf(col);
        if (i < 0 || i >= cells.size()) return null;
        String v = cells.get(i).trim();
        return v.isEmpty() ? null : v;
    }

    /** RFC 4180 fields: commas, double quotes around fields, "" inside quotes. */
    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (q) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { cur.append('"'); i++; }
                else if (ch == '"') q = false;
                else cur.append(ch);
            } else if (ch == '"') {
                q = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /**
     * Whether {@code job} finished earlier: its render.json exists, names the same input bytes, and every output
     * it lists is present with the recorded SHA-256.
     */
    public static boolean alreadyDone(BatchJob job) {
        Path manifest = job.outDir().resolve(RenderEngine.MANIFEST);
        if (!Files.isRegularFile(manifest)) return false;
        try {
            RenderManifest.Recorded rec = RenderManifest.read(manifest);
            if (!Sha256.of(job.input()).equals(rec.inputSha256())) return false;
            for (Map.Entry<String, String> e : rec.outputs().entrySet()) {
                Path f = job.outDir().resolve(e.getKey());
                if (!Files.isRegularFile(f) || !Sha256.of(f).equals(e.getValue())) return false;
            }
            return !rec.outputs().isEmpty();
        } catch (IOException | StemroomException | RuntimeException e) {
            return false;
        }
    }

    /** Runs every job with {@code workers} threads; {@code overall} advances by each finished job's frames. */
    public List<Outcome> run(List<BatchJob> jobs, int workers, Progress overall) throws InterruptedException {
        long total = 0;
        long[] frames = new long[jobs.size()];
        for (int i = 0; i < jobs.size(); i++) {
            frames[i] = framesOf(jobs.get(i).input());
            total += frames[i];
        }
        overall.begin("batch of " + jobs.size() + " files", total);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
            Thread t = new Thread(r, "stemroom-batch");
            t.setDaemon(true);
            return t;
        });
        List<Future<Outcome>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < jobs.size(); i++) {
                BatchJob job = jobs.get(i);
                long f = frames[i];
                futures.add(pool.submit(() -> {
                    Outcome o = runOne(job);
                    overall.advance(f);
                    return o;
                }));
            }
            List<Outcome> out = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    out.add(new Outcome(jobs.get(i), Status.FAILED, 0, Double.NaN, Double.NaN, String.valueOf(e.getCause())));
                }
            }
            overall.done();
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long framesOf(Path input) {
        try (AudioFileReader r = AudioFileReader.open(input)) {
            return Math.max(1, r.frames());
        } catch (IOException e) {
            return 1; // unreadable: the job fails with the reader's message
        }
    }

    Outcome runOne(BatchJob job) {
        long t0 = System.nanoTime();
        if (alreadyDone(job)) {
            return new Outcome(job, Status.SKIPPED, 0, Double.NaN, Double.NaN, "finished earlier; checksums verified");
        }
        try {
            RenderSettings s = RenderSettings.of(job.input(), Presets.resolve(job.preset() != null ? job.preset() : defaultPreset));
            String l = job.layout() != null ? job.layout() : layout;
            String r = job.room() != null ? job.room() : room;
            String sep = job.separator() != null ? job.separator() : separator;
            if (l != null) s = s.withLayout(l);
            if (r != null) s = s.withRoom(r);
            if (sep != null) s = s.withSeparator(sep);
            RenderEngine.RenderResult res = new RenderEngine(Progress.NONE).render(s, job.outDir());
            return new Outcome(job, Status.DONE, (System.nanoTime() - t0) * 1e-9, res.mixStats.integratedLufs(),
                    res.mixStats.truePeakDbtp(), "");
        } catch (StemroomException | IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            return new Outcome(job, Status.FAILED, (System.nanoTime() - t0) * 1e-9, Double.NaN, Double.NaN, msg);
        }
    }

    /** The summary table printed at the end of a batch. */
    public static void printSummary(List<Outcome> outcomes, PrintWriter out) {
        int w = 4;
        for (Outcome o : outcomes) w = Math.max(w, o.job().name().length());
        out.printf(Locale.ROOT, "%-" + w + "s  %-7s  %7s  %9s  %9s  %s%n", "file", "status", "time", "LUFS", "dBTP", "note");
        int done = 0, skipped = 0, failed = 0;
        for (Outcome o : outcomes) {
            switch (o.status()) {
                case DONE: done++; break;
                case SKIPPED: skipped++; break;
                default: failed++; break;
            }
            out.printf(Locale.ROOT, "%-" + w + "s  %-7s  %6.1fs  %9s  %9s  %s%n", o.job().name(),
                    o.status().name().toLowerCase(Locale.ROOT), o.seconds(), num(o.mixLufs()), num(o.mixTruePeak()),
                    o.message());
        }
        out.printf(Locale.ROOT, "%d rendered, %d skipped (already done), %d failed%n", done, skipped, failed);
        out.flush();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "-";
    }
}
