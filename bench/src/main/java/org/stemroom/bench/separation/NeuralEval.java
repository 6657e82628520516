package org.stemroom.bench.separation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.separation.Separation;
import org.stemroom.separation.Separator;
import org.stemroom.separation.Separators;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.StreamingSeparator;
import org.stemroom.separation.modelfree.WienerRefinement;
import org.stemroom.separation.onnx.BuiltinModels;
import org.stemroom.separation.onnx.OnnxSeparator;

/**
 * Held-out evaluation of the project's neural separator against the model-free recipe, the trivial baselines and
 * the oracle ideal ratio mask, on stereo and mono mixes: SI-SDR improvement per stem (as {@link SeparationEval}
 * computes it, through its {@link SeparationEval.Table}), the neural-minus-model-free delta with the +3 dB target,
 * mixture consistency and speed; then {@code bench/target/neural-eval/results.{md,json}}. The long-file memory
 * check runs in its own JVM ({@link NeuralLongStream}).
 *
 * <p>Usage: {@code NeuralEval [--songs CORPUS_DIR|midi] [--count N] [--seconds S] [--model MANIFEST] [--no-speed]
 * [--out DIR] [--generated HIDDEN] [--wiener2] [--speed-only]}
 */
public final class NeuralEval {
    static final String[] STEMS = SeparationEval.STEMS; // drums, bass, lead, other
    static final String MODEL_FREE = "model-free", NEURAL = "neural", NEURAL_W1 = "neural+wiener1",
            NEURAL_W2 = "neural+wiener2";

    /** One evaluation item: a mixture and its reference stems keyed drums/bass/lead/other. */
    record Item(String name, AudioClip mix, Map<String, float[][]> refs) { }

    public static void main(String[] args) throws Exception {
        String songs = "midi";
        int count = 12;
        double seconds = 24;
        Path model = null;
        Path out = Paths.get("bench/target/neural-eval");
        boolean speed = true, speedOnly = false, wiener2 = false;
        int generated = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--songs": songs = args[++i]; break;
                case "--count": count = Integer.parseInt(args[++i]); break;
                case "--seconds": seconds = Double.parseDouble(args[++i]); break;
                case "--model": model = Paths.get(args[++i]); break;
                case "--out": out = Paths.get(args[++i]); break;
                case "--no-speed": speed = false; break;
                case "--speed-only": speedOnly = true; break;
                case "--wiener2": wiener2 = true; break;
                case "--generated": generated = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(out);
        long t0 = System.nanoTime();
        List<Item> stereo = new ArrayList<>(), mono = new ArrayList<>();
        String source = HeldOutSongs.load(songs, count, seconds, out.resolve("work"), stereo, mono);
        System.out.printf(Locale.ROOT, "songs: %s, %d songs of %.1f s, loaded in %.1f s%n", source, stereo.size(),
                stereo.get(0).mix().durationSeconds(), (System.nanoTime() - t0) / 1e9);

        Path manifest = null;
        String modelNote;
        if (generated > 0) {
            // random weights: checks the plumbing and measures speed at a realistic size before a trained model exists
            model = org.stemroom.separation.onnx.GeneratedMaskModel.write(out.resolve("generated-model"), "generated",
                    Separators.STEMS, 2, 44100, 2048, 512, 256, generated, 1, 1);
            System.out.println("model: generated random-weight mask net, hidden " + generated + " (NOT a trained model)");
        }
        try {
            manifest = model != null ? model : BuiltinModels.manifest(BuiltinModels.STEMROOM_UNMIX);
            modelNote = generated > 0 ? "generated random-weight mask net (hidden " + generated + "), not trained"
                    : manifest.toString();
        } catch (Exception e) {
            modelNote = "no model: " + e.getMessage();
            System.out.println("neural rows skipped: " + e.getMessage());
        }

        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("songs", source);
        json.put("songCount", stereo.size());
        json.put("songSeconds", stereo.get(0).mix().durationSeconds());
        json.put("model", modelNote);
        json.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# Neural separator, held-out evaluation%n%nSongs: %s, %d songs of %.1f s. "
                + "Model: %s. SI-SDRi = SI-SDR improvement over the mixture's own SI-SDR, dB, mean over songs "
                + "(min = the worst song). Every separator runs through `Separation` (stems made to sum to the "
                + "mixture), as users get it.%n", source, stereo.size(), stereo.get(0).mix().durationSeconds(),
                modelNote));

        // model-independent rows (baselines, oracle, model-free recipe) per corpus song, kept between runs
        Path cacheFile = out.resolve("baseline-cache.json");
        ObjectNode cache = Files.isRegularFile(cacheFile)
                ? (ObjectNode) new ObjectMapper().readTree(cacheFile.toFile()) : new ObjectMapper().createObjectNode();
        for (boolean st : speedOnly ? new boolean[0] : new boolean[] {true, false}) {
            List<Item> items = st ? stereo : mono;
            String label = st ? "stereo" : "mono";
            Map<String, Separator> methods = methods(manifest, wiener2);
            SeparationEval.Table table = new SeparationEval.Table();
            Map<String, double[]> cost = new LinkedHashMap<>(); // method -> {cpu s, wall s, audio s}
            int done = 0;
            for (Item it : items) {
                System.out.printf(Locale.ROOT, "  %s %d/%d %s%n", label, ++done, items.size(), it.name());
                table.add(it.name(), "mixture", it.refs(), SeparationEval.mixtureAsEvery(it.mix()), it.mix());
                // the model-independent rows come from the cache when this corpus was scored before
                String key = songs + "|" + label + "|" + it.name();
                if (!cache.has(key)) {
                    ObjectNode c = cache.putObject(key);
                    SeparationEval.Table one = new SeparationEval.Table();
                    Map<String, float[][]> bg = new LinkedHashMap<>();
                    for (String s : STEMS) bg.put(s, SeparationMetrics.bestGain(it.refs().get(s), it.mix().samples()));
                    one.add(it.name(), "best-gain mixture", it.refs(), bg, it.mix());
                    one.add(it.name(), "LP200 / mix-LP200", it.refs(), SeparationEval.lowPassBaseline(it.mix()), it.mix());
                    one.add(it.name(), "oracle IRM", it.refs(), SeparationEval.oracleIrm(it.mix(), it.refs()), it.mix());
                    double[] k = new double[3];
                    StemSet res = run(Separators.modelFree(false), it, k);
                    one.add(it.name(), MODEL_FREE, it.refs(), SeparationEval.mapStems(res), it.mix());
                    for (Map.Entry<String, Map<String, List<double[]>>> m : one.rows.entrySet()) {
                        ObjectNode mo = c.putObject(m.getKey());
                        for (Map.Entry<String, List<double[]>> e : m.getValue().entrySet()) {
                            var arr = mo.putArray(e.getKey());
                            for (double v : e.getValue().get(0)) arr.add(v);
                        }
                    }
                    c.put("modelFreeNull", res.consistencyError(it.mix()));
                    var ka = c.putArray("modelFreeCost");
                    for (double v : k) ka.add(v);
                    Files.writeString(cacheFile, new ObjectMapper().writeValueAsString(cache));
                }
                com.fasterxml.jackson.databind.JsonNode c = cache.get(key);
                for (java.util.Iterator<String> mi = c.fieldNames(); mi.hasNext(); ) {
                    String m = mi.next();
                    if (m.startsWith("modelFree")) continue;
                    for (java.util.Iterator<String> si = c.get(m).fieldNames(); si.hasNext(); ) {
                        String stem = si.next();
                        double[] row = new double[4];
                        for (int i = 0; i < 4; i++) row[i] = c.get(m).get(stem).get(i).asDouble();
                        table.rows.computeIfAbsent(m, x -> new LinkedHashMap<>())
                                .computeIfAbsent(stem, x -> new ArrayList<>()).add(row);
                    }
                }
                table.nullError(MODEL_FREE, c.get("modelFreeNull").asDouble());
                double[] mk = cost.computeIfAbsent(MODEL_FREE, x -> new double[3]);
                for (int i = 0; i < 3; i++) mk[i] += c.get("modelFreeCost").get(i).asDouble();
                for (Map.Entry<String, Separator> m : methods.entrySet()) {
                    StemSet res = run(m.getValue(), it, cost.computeIfAbsent(m.getKey(), x -> new double[3]));
                    table.nullError(m.getKey(), res.consistencyError(it.mix()));
                    table.add(it.name(), m.getKey(), it.refs(), SeparationEval.mapStems(res), it.mix());
                }
            }
            for (Separator s : methods.values()) if (s instanceof AutoCloseable) ((AutoCloseable) s).close();
            report(label, table, cost, md, json.putObject(label));
            Files.writeString(out.resolve("results.md"), md.toString()); // partial results survive an interrupted run
        }
        if (speed && manifest != null) speed(manifest, stereo, md, json.putObject("speed"));
        Files.writeString(out.resolve("results.md"), md.toString());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), json);
        System.out.printf(Locale.ROOT, "%nwrote %s and %s (%.0f s in all)%n", out.resolve("results.md"),
                out.resolve("results.json"), (System.nanoTime() - t0) / 1e9);
    }

    /** The neural separators compared: the network alone and with 1 (or 2) Wiener EM steps. */
    static Map<String, Separator> methods(Path manifest, boolean wiener2) throws Exception {
        Map<String, Separator> m = new LinkedHashMap<>();
        if (manifest != null) {
            m.put(NEURAL, new WienerRefinement(NEURAL, OnnxSeparator.load(manifest), 0));
            m.put(NEURAL_W1, new WienerRefinement(NEURAL_W1, OnnxSeparator.load(manifest), 1));
            if (wiener2) m.put(NEURAL_W2, new WienerRefinement(NEURAL_W2, OnnxSeparator.load(manifest), 2));
        }
        return m;
    }

    /** Separates one item as users get it (through Separation), adding {cpu s, wall s, audio s} to {@code cost}. */
    static StemSet run(Separator sep, Item it, double[] cost) throws Exception {
        double c0 = cpuSeconds();
        long w0 = System.nanoTime();
        StemSet res = new Separation(sep).separate(it.mix(), Progress.NONE);
        cost[0] += cpuSeconds() - c0;
        cost[1] += (System.nanoTime() - w0) / 1e9;
        cost[2] += it.mix().durationSeconds();
        return res;
    }

    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** Prints and records one table (stereo or mono) with the deltas against the model-free recipe. */
    static void report(String label, SeparationEval.Table t, Map<String, double[]> cost, StringBuilder md, ObjectNode j) {
        System.out.printf(Locale.ROOT, "%n=== %s: SI-SDR improvement (dB), mean over songs [worst song] ===%n",
                label.toUpperCase(Locale.ROOT));
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-20s", "method"));
        for (String s : STEMS) head.append(String.format(Locale.ROOT, " %15s", s));
        head.append(String.format(Locale.ROOT, " %10s %9s", "max|sum-x|", "x realtime"));
        System.out.println(head);
        md.append(String.format(Locale.ROOT, "%n## %s mixes%n%n| method | drums | bass | lead | other | max abs(sum - mix) "
                + "| x real time on 2 cores (from CPU time) |%n|---|---|---|---|---|---|---|%n", label));
        ObjectNode rows = j.putObject("siSdrImprovementDb");
        for (Map.Entry<String, Map<String, List<double[]>>> m : t.rows.entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s", m.getKey()));
            StringBuilder mdl = new StringBuilder("| " + m.getKey() + " |");
            ObjectNode r = rows.putObject(m.getKey());
            for (String s : STEMS) {
                if (m.getValue().get(s) == null) {
                    line.append(String.format(Locale.ROOT, " %15s", "-"));
                    mdl.append(" - |");
                    continue;
                }
                double[] v = meanMin(m.getValue().get(s));
                line.append(String.format(Locale.ROOT, " %7.2f [%5.1f]", v[0], v[1]));
                mdl.append(String.format(Locale.ROOT, " %.2f (min %.1f) |", v[0], v[1]));
                ObjectNode o = r.putObject(s);
                o.put("mean", round(v[0]));
                o.put("min", round(v[1]));
                o.put("meanSiSdr", round(v[2]));
                o.put("meanSdr", round(v[3]));
            }
            Double nul = t.nulls.get(m.getKey());
            double[] k = cost.get(m.getKey());
            double rt = k == null ? Double.NaN : k[2] / (k[0] / 2); // on 2 idle cores
            line.append(nul == null ? String.format(Locale.ROOT, " %10s", "-") : String.format(Locale.ROOT, " %10.1e", nul));
            line.append(k == null ? "" : String.format(Locale.ROOT, " %8.1fx", rt));
            mdl.append(nul == null ? " - |" : String.format(Locale.ROOT, " %.1e |", nul));
            mdl.append(k == null ? " - |" : String.format(Locale.ROOT, " %.1fx |", rt));
            if (nul != null) r.put("maxConsistencyError", nul);
            if (k != null) {
                r.put("cpuSeconds", round(k[0]));
                r.put("wallSeconds", round(k[1]));
                r.put("xRealTimeCpu", round(rt));
            }
            System.out.println(line);
            md.append(mdl).append('\n');
        }
        // the target: neural (alone and refined) beats the model-free recipe by >= 3 dB on drums, bass and lead
        Map<String, List<double[]>> base = t.rows.get(MODEL_FREE);
        ObjectNode deltas = j.putObject("deltaVsModelFreeDb");
        for (String n : new String[] {NEURAL, NEURAL_W1, NEURAL_W2}) {
            Map<String, List<double[]>> nr = t.rows.get(n);
            if (nr == null || base == null) continue;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s", n + " - model-free"));
            StringBuilder mdl = new StringBuilder("| **" + n + " minus model-free** |");
            ObjectNode d = deltas.putObject(n);
            boolean all = true;
            for (String s : STEMS) {
                double delta = meanMin(nr.get(s))[0] - meanMin(base.get(s))[0];
                boolean target = !s.equals("other");
                boolean pass = delta >= 3.0;
                if (target) all &= pass;
                String verdict = target ? (pass ? "PASS" : "FAIL") : "";
                line.append(String.format(Locale.ROOT, " %+7.2f %-7s", delta, verdict));
                mdl.append(String.format(Locale.ROOT, " %+.2f %s |", delta, target ? (pass ? "pass" : "**fail**") : ""));
                ObjectNode o = d.putObject(s);
                o.put("delta", round(delta));
                if (target) o.put("pass", pass);
            }
            d.put("allTargetsPass", all);
            line.append(all ? "  target +3 dB on drums/bass/lead: MET" : "  target +3 dB on drums/bass/lead: NOT MET");
            mdl.append(all ? " target met |" : " target **not met** |").append(" |\n");
            System.out.println(line);
            md.append(mdl);
        }
    }

    /** {mean SI-SDRi, min SI-SDRi, mean SI-SDR, mean SDR} of one method's stem over songs. */
    static double[] meanMin(List<double[]> l) {
        double imp = 0, min = Double.MAX_VALUE, si = 0, sdr = 0;
        for (double[] r : l) {
            imp += r[1] - r[2];
            min = Math.min(min, r[1] - r[2]);
            si += r[1];
            sdr += r[0];
        }
        int n = l.size();
        return new double[] {imp / n, min, si / n, sdr / n};
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /**
     * Speed on one minute of stereo 44.1 kHz (the held-out mixes back to back): the model alone and with its
     * Wiener step, CPU seconds and wall time; and the plugin's streaming separator in offline mode (its worker
     * separates 1 s windows), which must run faster than real time to keep up in a DAW.
     */
    static void speed(Path manifest, List<Item> songs, StringBuilder md, ObjectNode j) throws Exception {
        int rate = songs.get(0).mix().sampleRate(), n = 60 * rate;
        float[][] x = new float[2][n];
        for (int at = 0; at < n; ) {
            for (Item s : songs) {
                int k = Math.min(s.mix().frames(), n - at);
                for (int c = 0; c < 2; c++) System.arraycopy(s.mix().channel(c), 0, x[c], at, k);
                at += k;
                if (at >= n) break;
            }
        }
        AudioClip clip = new AudioClip(AudioFormat.of(rate, 2), x);
        System.out.printf(Locale.ROOT, "%n=== speed: 60 s stereo %d Hz, %d available processors (shared machine) ===%n",
                rate, Runtime.getRuntime().availableProcessors());
        md.append(String.format(Locale.ROOT, "%n## Speed (60 s stereo %d Hz, %d available processors, shared machine: "
                + "other work was running)%n%n| separator | CPU s | wall s | x real time (wall) | x real time on 2 cores "
                + "(CPU) |%n|---|---|---|---|---|%n", rate, Runtime.getRuntime().availableProcessors()));
        Map<String, Separator> seps = new LinkedHashMap<>();
        seps.put(NEURAL, new WienerRefinement(NEURAL, OnnxSeparator.load(manifest), 0));
        seps.put(NEURAL_W1, new WienerRefinement(NEURAL_W1, OnnxSeparator.load(manifest), 1));
        seps.put(MODEL_FREE, Separators.modelFree(false));
        for (Map.Entry<String, Separator> e : seps.entrySet()) {
            Separation sep = new Separation(e.getValue());
            sep.separate(new AudioClip(clip.format(), new float[][] {java.util.Arrays.copyOf(x[0], 10 * rate),
                    java.util.Arrays.copyOf(x[1], 10 * rate)}), Progress.NONE); // warm-up
            double bestWall = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
            for (int r = 0; r < 1; r++) {
                double c0 = cpuSeconds();
                long w0 = System.nanoTime();
                sep.separate(clip, Progress.NONE);
                bestWall = Math.min(bestWall, (System.nanoTime() - w0) / 1e9);
                bestCpu = Math.min(bestCpu, cpuSeconds() - c0);
            }
            report(e.getKey(), bestCpu, bestWall, md, j);
            if (e.getValue() instanceof AutoCloseable) ((AutoCloseable) e.getValue()).close();
        }
        // the plugin's path: StreamingSeparator, offline mode (the audio thread waits for the worker)
        // as the plugin runs `neural`: the shipped number of Wiener iterations
        int it = Separators.NEURAL_WIENER_ITERATIONS;
        try (WienerRefinement s = new WienerRefinement("neural", OnnxSeparator.load(manifest), it)) {
            StreamingSeparator ss = new StreamingSeparator(new Separation(s).chunking(1.0, 0.25), 0.25);
            int block = 512;
            ss.prepare(clip.format(), block);
            ss.offline(true);
            AudioBuffer in = new AudioBuffer(2, block), o = new AudioBuffer(2 * ss.stemNames().size(), block);
            double c0 = cpuSeconds();
            long w0 = System.nanoTime();
            for (int pos = 0; pos + block <= n; pos += block) {
                in.setFrames(block);
                o.setFrames(block);
                for (int c = 0; c < 2; c++) System.arraycopy(x[c], pos, in.channel(c), 0, block);
                ss.process(in, o);
            }
            double wall = (System.nanoTime() - w0) / 1e9, cpu = cpuSeconds() - c0;
            ss.close();
            report("plugin streaming (neural" + (it > 0 ? "+wiener" + it : "") + ", 1 s windows)", cpu, wall, md, j);
        }
    }

    static void report(String name, double cpu, double wall, StringBuilder md, ObjectNode j) {
        double rtWall = 60 / wall, rtCpu = 60 / (cpu / 2);
        System.out.printf(Locale.ROOT, "%-48s CPU %6.2f s  wall %6.2f s  = %5.1fx real time (wall), %5.1fx on 2 idle "
                + "cores (CPU)%n", name, cpu, wall, rtWall, rtCpu);
        md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.1fx | %.1fx |%n", name, cpu, wall, rtWall, rtCpu));
        ObjectNode o = j.putObject(name);
        o.put("cpuSeconds", round(cpu));
        o.put("wallSeconds", round(wall));
        o.put("xRealTimeWall", round(rtWall));
        o.put("xRealTimeTwoCoresCpu", round(rtCpu));
    }
}
