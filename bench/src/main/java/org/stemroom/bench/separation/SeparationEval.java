package org.stemroom.bench.separation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.core.dsp.BiquadCascade;
import org.stemroom.core.dsp.Butterworth;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.separation.Separation;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.separation.modelfree.SpectralMix;

/**
 * Separation evaluation: five songs from the corpus generator (MIDI rendered per stem with fluidsynth) as
 * ground-truth stems, mixed in balanced stereo and mono, runs the separators and prints SDR / SI-SDR per stem with the bounds (mixture, best-gain
 * mixture, oracle ideal ratio mask) and trivial baselines, the null-test error and the speed.
 *
 * <p>Usage: {@code SeparationEval [--work DIR] [--soundfont FILE] [--corpus DIR [--count N]] [--speed] [--only METHOD]
 * [--chunk WINDOW,OVERLAP]}; {@code --corpus} scores the songs of a corpus folder written by {@code stemroom dataset}
 * (such as neural-eval.sh's held-out set) instead of the five generated here.
 */
public final class SeparationEval {
    static final String[] STEMS = {"drums", "bass", "lead", "other"};
    static final int RATE = 44100;

    public static void main(String[] args) throws Exception {
        Path work = Paths.get("bench/target/separation-eval");
        Path sf = Paths.get("/usr/share/sounds/sf2/FluidR3_GM.sf2");
        boolean speed = false, speedOnly = false;
        String only = null;
        String corpus = null;
        int count = 12;
        double[] chunk = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--work": work = Paths.get(args[++i]); break;
                case "--soundfont": sf = Paths.get(args[++i]); break;
                case "--speed": speed = true; break;
                case "--speed-only": speedOnly = true; break;
                case "--only": only = args[++i]; break; // one method (the bounds are always printed)
                case "--corpus": corpus = args[++i]; break;
                case "--count": count = Integer.parseInt(args[++i]); break;
                case "--chunk": { // window,overlap seconds instead of each separator's own grid
                    String[] p = args[++i].split(",");
                    chunk = new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])};
                    break;
                }
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!Files.isRegularFile(sf)) {
            System.err.println("soundfont " + sf + " missing: run scripts/install-deps.sh bench");
            System.exit(2);
        }
        // the generated songs: scored unless a corpus is given, and the speed test's material
        List<Song> songs = corpus == null || speed || speedOnly ? evalSongs(work, sf, 5) : List.of();

        if (speedOnly) {
            speedTest(songs, chunk);
            return;
        }
        // the songs scored: the five generated above, or a corpus folder's (stereo items and their mono averages)
        List<NeuralEval.Item> stereoItems = new ArrayList<>(), monoItems = new ArrayList<>();
        String source;
        if (corpus != null) {
            source = HeldOutSongs.corpus(Paths.get(corpus), count, stereoItems, monoItems);
        } else {
            source = "five generated songs (FluidR3_GM, balanced stereo, 20 s)";
            for (Song song : songs) {
                stereoItems.add(new NeuralEval.Item(song.name, song.mix(true), song.stems(true)));
                monoItems.add(new NeuralEval.Item(song.name, song.mix(false), song.stems(false)));
            }
        }
        System.out.println("songs: " + source);
        Map<String, Separator> methods = new LinkedHashMap<>();
        methods.put("default", ModelFreeSeparators.defaultRecipe());
        ModelFreeSeparators.Settings w = new ModelFreeSeparators.Settings();
        w.wiener = 0;
        methods.put("default-no-wiener", ModelFreeSeparators.defaultRecipe(w));
        methods.put("hpss", ModelFreeSeparators.hpss());
        methods.put("spatial", ModelFreeSeparators.spatial());
        methods.put("repet", ModelFreeSeparators.repet());
        if (only != null) methods.keySet().retainAll(List.of(only));
        if (chunk != null) System.out.printf(Locale.ROOT, "grid: %.2f s windows, %.2f s cross-fade%n", chunk[0], chunk[1]);

        for (boolean stereo : new boolean[] {true, false}) {
            List<NeuralEval.Item> items = stereo ? stereoItems : monoItems;
            System.out.printf(Locale.ROOT, "%n=== %s mixes (%d songs, %.0f s each) ===%n", stereo ? "STEREO" : "MONO",
                    items.size(), items.get(0).mix().frames() / (double) RATE);
            Table table = new Table();
            for (NeuralEval.Item song : items) {
                AudioClip mix = song.mix();
                Map<String, float[][]> refs = song.refs();
                table.add(song.name(), "mixture", refs, mixtureAsEvery(mix), mix);
                Map<String, float[][]> bg = new LinkedHashMap<>();
                for (String s : STEMS) bg.put(s, SeparationMetrics.bestGain(refs.get(s), mix.samples()));
                table.add(song.name(), "best-gain mixture", refs, bg, mix);
                table.add(song.name(), "oracle IRM", refs, oracleIrm(mix, refs), mix);
                table.add(song.name(), "LP200 / mix-LP200", refs, lowPassBaseline(mix), mix);
                for (Map.Entry<String, Separator> m : methods.entrySet()) {
                    // Wiener filtering and panning positions need stereo
                    if ((m.getKey().equals("default-no-wiener") || m.getKey().equals("spatial")) && !stereo) continue;
                    Separation sep = new Separation(m.getValue());
                    if (chunk != null) sep.chunking(chunk[0], chunk[1]);
                    StemSet out = sep.separate(mix, Progress.NONE);
                    double nul = out.consistencyError(mix);
                    table.add(song.name(), m.getKey(), refs, mapStems(out), mix);
                    table.nullError(m.getKey(), nul);
                }
            }
            table.print();
        }
        if (speed) speedTest(songs, chunk);
    }

    static void speedTest(List<Song> songs, double[] chunk) throws Exception {
        // one minute of stereo: the songs' mixes back to back
        int n = 60 * RATE;
        float[][] x = new float[2][n];
        int at = 0;
        while (at < n) {
            for (Song s : songs) {
                AudioClip m = s.mix(true);
                int k = Math.min(m.frames(), n - at);
                for (int c = 0; c < 2; c++) System.arraycopy(m.channel(c), 0, x[c], at, k);
                at += k;
                if (at >= n) break;
            }
        }
        AudioClip clip = new AudioClip(AudioFormat.of(RATE, 2), x);
        Separation sep = new Separation(ModelFreeSeparators.defaultRecipe());
        if (chunk != null) sep.chunking(chunk[0], chunk[1]);
        sep.separate(clip, Progress.NONE); // warm-up
        int runs = 3;
        double best = Double.MAX_VALUE, bestCpu = Double.MAX_VALUE;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < runs; r++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            sep.separate(clip, Progress.NONE);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            bestCpu = Math.min(bestCpu, (os.getProcessCpuTime() - c0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%ncpu: %.2f CPU-seconds per minute of stereo; on 2 idle cores that is %.1fx real time%n",
                bestCpu, 60 / (bestCpu / 2));
        System.out.printf(Locale.ROOT, "%nspeed: default recipe, 60 s stereo 44.1 kHz: best of %d %.2f s = %.1fx real time "
                + "(%d available processors, shared machine)%n", runs, best, 60 / best, Runtime.getRuntime().availableProcessors());
    }

    static Map<String, float[][]> mapStems(StemSet out) {
        Map<String, float[][]> m = new LinkedHashMap<>();
        for (String n : out.names()) {
            String k = switch (n) {
                // the spatial separator's centre is its lead estimate (the vocal sits in the middle)
                case "vocals", "foreground", "centre" -> "lead";
                case "percussive" -> "drums";
                default -> n;
            };
            if (List.of(STEMS).contains(k)) m.put(k, out.get(n).samples());
        }
        return m;
    }

    static Map<String, float[][]> mixtureAsEvery(AudioClip mix) {
        Map<String, float[][]> m = new LinkedHashMap<>();
        for (String s : STEMS) m.put(s, mix.samples());
        return m;
    }

    /** Oracle ideal ratio mask |S_j| / sum_k |S_k| per channel with the recipe's STFT. */
    static Map<String, float[][]> oracleIrm(AudioClip mix, Map<String, float[][]> refs) {
        SpectralMix sm = SpectralMix.of(mix);
        Stft stft = sm.stft();
        int len = mix.frames();
        Map<String, float[][]> out = new LinkedHashMap<>();
        for (String s : STEMS) out.put(s, new float[mix.channels()][]);
        for (int c = 0; c < mix.channels(); c++) {
            Map<String, Spectrogram> specs = new LinkedHashMap<>();
            for (String s : STEMS) specs.put(s, stft.analyze(refs.get(s)[c]));
            Spectrogram x = sm.spectrum(c);
            for (String s : STEMS) {
                Spectrogram y = new Spectrogram(x.frames(), x.bins());
                for (int f = 0; f < x.frames(); f++) {
                    for (int b = 0; b < x.bins(); b++) {
                        double tot = 0;
                        for (Spectrogram sp : specs.values()) tot += Math.hypot(sp.re(f)[b], sp.im(f)[b]);
                        Spectrogram me = specs.get(s);
                        double m = tot > 0 ? Math.hypot(me.re(f)[b], me.im(f)[b]) / tot : 0.25;
                        y.re(f)[b] = (float) (x.re(f)[b] * m);
                        y.im(f)[b] = (float) (x.im(f)[b] * m);
                    }
                }
                out.get(s)[c] = stft.synthesize(y, len);
            }
        }
        return out;
    }

    /** Bass = zero-phase Butterworth low-pass at 200 Hz of the mixture; lead = mixture minus that. */
    static Map<String, float[][]> lowPassBaseline(AudioClip mix) {
        float[][] lp = new float[mix.channels()][];
        float[][] rest = new float[mix.channels()][];
        for (int c = 0; c < mix.channels(); c++) {
            // zero phase: a 4th-order Butterworth forwards, then backwards (SI-SDR punishes phase shifts)
            BiquadCascade f = Butterworth.lowPass(RATE, 200, 4);
            int n = mix.frames();
            float[] tmp = new float[n];
            f.process(mix.channel(c), 0, tmp, 0, n);
            float[] rev = new float[n];
            for (int i = 0; i < n; i++) rev[i] = tmp[n - 1 - i];
            f.reset();
            f.process(rev, 0, tmp, 0, n);
            lp[c] = new float[n];
            for (int i = 0; i < n; i++) lp[c][i] = tmp[n - 1 - i];
            rest[c] = new float[mix.frames()];
            for (int i = 0; i < mix.frames(); i++) rest[c][i] = mix.channel(c)[i] - lp[c][i];
        }
        Map<String, float[][]> m = new LinkedHashMap<>();
        m.put("bass", lp);
        m.put("lead", rest);
        return m;
    }

    /**
     * The evaluation set: {@code count} songs of 20 s from the project's corpus generator
     * ({@link org.stemroom.trainer.dataset.CorpusGenerator}, training split, corpus seed 2026), balanced stereo
     * placement, no rooms and no degradations, so the numbers measure separation alone; the mono items are the
     * channel averages. {@code soundFont} picks the soundfont (TimGM6mb gives held-out songs).
     */
    static List<Song> evalSongs(Path work, Path soundFont, int count) throws Exception {
        org.stemroom.trainer.dataset.SoundFont sf = null;
        for (org.stemroom.trainer.dataset.SoundFont k : org.stemroom.trainer.dataset.SoundFont.known()) {
            if (k.file().equals(soundFont)) sf = k;
        }
        if (sf == null) throw new IllegalArgumentException("unknown soundfont " + soundFont + " (known: "
                + org.stemroom.trainer.dataset.SoundFont.known().stream().map(k -> k.file().toString()).toList() + ")");
        org.stemroom.trainer.dataset.Split split = sf.heldOut() ? org.stemroom.trainer.dataset.Split.HELD_OUT
                : org.stemroom.trainer.dataset.Split.TRAIN;
        org.stemroom.trainer.dataset.CorpusSpec spec = org.stemroom.trainer.dataset.CorpusSpec.of(split, 2026, count)
                .withSeconds(20).withSoundFonts(List.of(sf)).withRooms(List.of(), 0)
                .withPlacementWeights(Map.of(org.stemroom.trainer.dataset.CorpusSpec.Placement.BALANCED, 1.0))
                .withDegradationChances(Map.of()).withCacheDir(work.resolve("corpus-cache"));
        List<Song> out = new ArrayList<>();
        new org.stemroom.trainer.dataset.CorpusGenerator(spec).generate(Progress.NONE, s -> out.add(new Song(
                "s" + (out.size() + 1) + "-" + s.info().style(), s)));
        return out;
    }

    /** Ground-truth stems of one generated song, keyed drums, bass, lead (the generator's "vocals"), other. */
    static final class Song {
        final String name;
        final Map<String, float[][]> stereo = new LinkedHashMap<>();
        final int frames;

        Song(String name, org.stemroom.trainer.dataset.Song s) {
            this.name = name;
            this.frames = s.frames();
            for (String stem : STEMS) {
                float[][] x = s.stem(stem.equals("lead") ? "vocals" : stem);
                stereo.put(stem, x.length == 2 ? x : new float[][] {x[0], x[0]});
            }
        }

        /** Stereo stems as generated, or their channel averages (which sum to the mono mixture). */
        Map<String, float[][]> stems(boolean st) {
            Map<String, float[][]> out = new LinkedHashMap<>();
            for (Map.Entry<String, float[][]> e : stereo.entrySet()) {
                if (st) {
                    out.put(e.getKey(), e.getValue());
                } else {
                    float[] m = new float[frames];
                    float[][] x = e.getValue();
                    for (int i = 0; i < frames; i++) m[i] = 0.5f * (x[0][i] + x[1][i]);
                    out.put(e.getKey(), new float[][] {m});
                }
            }
            return out;
        }

        AudioClip mix(boolean st) {
            Map<String, float[][]> s = stems(st);
            int ch = st ? 2 : 1;
            float[][] x = new float[ch][frames];
            for (float[][] v : s.values()) {
                for (int c = 0; c < ch; c++) for (int i = 0; i < frames; i++) x[c][i] += v[c][i];
            }
            return new AudioClip(AudioFormat.of(RATE, ch), x);
        }
    }

    /** Collects metrics and prints means, per-song improvements and worst cases. */
    static final class Table {
        // method -> stem -> list of {sdr, sisdr, mixSisdr, bestGainSdr}
        final Map<String, Map<String, List<double[]>>> rows = new LinkedHashMap<>();
        final Map<String, Double> nulls = new LinkedHashMap<>();
        final Map<String, Map<String, double[]>> mixRef = new LinkedHashMap<>(); // song -> stem -> {mix sisdr, bestgain sdr}

        void add(String song, String method, Map<String, float[][]> refs, Map<String, float[][]> est, AudioClip mix) {
            Map<String, double[]> mr = mixRef.computeIfAbsent(song, k -> new LinkedHashMap<>());
            for (String s : STEMS) {
                if (!mr.containsKey(s)) {
                    mr.put(s, new double[] {SeparationMetrics.siSdr(refs.get(s), mix.samples()),
                            SeparationMetrics.sdr(refs.get(s), SeparationMetrics.bestGain(refs.get(s), mix.samples()))});
                }
                float[][] e = est.get(s);
                if (e == null) continue;
                rows.computeIfAbsent(method, k -> new LinkedHashMap<>()).computeIfAbsent(s, k -> new ArrayList<>())
                        .add(new double[] {SeparationMetrics.sdr(refs.get(s), e), SeparationMetrics.siSdr(refs.get(s), e),
                                mr.get(s)[0], mr.get(s)[1]});
            }
        }

        void nullError(String method, double err) { nulls.merge(method, err, Math::max); }

        void print() {
            System.out.printf(Locale.ROOT, "%-20s %-6s %8s %8s %8s %9s %9s%n", "method", "stem", "SDR", "SI-SDR",
                    "SI-SDRi", "minSI-SDRi", "SDR-bgSDR");
            for (Map.Entry<String, Map<String, List<double[]>>> m : rows.entrySet()) {
                for (String s : STEMS) {
                    List<double[]> l = m.getValue().get(s);
                    if (l == null) continue;
                    double sdr = 0, si = 0, imp = 0, minImp = Double.MAX_VALUE, minVsBg = Double.MAX_VALUE;
                    for (double[] r : l) {
                        sdr += r[0]; si += r[1]; imp += r[1] - r[2];
                        minImp = Math.min(minImp, r[1] - r[2]);
                        minVsBg = Math.min(minVsBg, r[0] - r[3]);
                    }
                    int n = l.size();
                    System.out.printf(Locale.ROOT, "%-20s %-6s %8.2f %8.2f %8.2f %9.2f %9.2f%n", m.getKey(), s, sdr / n,
                            si / n, imp / n, minImp, minVsBg);
                }
                if (nulls.containsKey(m.getKey())) {
                    System.out.printf(Locale.ROOT, "%-20s null test: max |sum(stems) - mixture| = %.2e FS%n", m.getKey(),
                            nulls.get(m.getKey()));
                }
            }
            System.out.println("per-song SI-SDR improvement of 'default' (drums bass lead other):");
            List<String> songs = new ArrayList<>(mixRef.keySet());
            Map<String, List<double[]>> d = rows.get("default");
            for (int i = 0; i < songs.size(); i++) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-12s", songs.get(i)));
                for (String s : STEMS) {
                    double[] r = d.get(s).get(i);
                    sb.append(String.format(Locale.ROOT, " %7.2f", r[1] - r[2]));
                }
                System.out.println(sb);
            }
        }
    }
}
