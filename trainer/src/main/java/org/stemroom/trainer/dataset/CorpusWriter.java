package org.stemroom.trainer.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/**
 * Writes a corpus to a folder: per song {@code song-NNNNNN/} with {@code mixture.wav}, {@code vocals.wav},
 * {@code drums.wav}, {@code bass.wav}, {@code other.wav} (32-bit float WAV) and {@code song.mid} (the
 * arrangement, all parts at once), then {@code corpus.json} with the spec, the soundfonts and their licences,
 * the stem convention, every song's metadata and coverage counts. Each song folder appears atomically (written
 * under a hidden temporary name, then renamed), and corpus.json is written last, also atomically, so a folder
 * with a corpus.json is complete.
 */
public final class CorpusWriter {
    /** Statement of how the targets relate to the mixture, repeated in corpus.json. */
    public static final String STEM_CONVENTION = "mixture = vocals + drums + bass + other for every sample (the mixture is "
            + "the sum of the final stems rounded once to float, |error| <= 1e-6). vocals = the lead melody (GM voice, "
            + "choir, sax, brass, reed, synth lead or string programs as the vocal stand-in). Wow/flutter and band-limiting "
            + "are applied identically to every stem; saturation is applied per stem; hiss and hum are part of 'other'.";

    private CorpusWriter() { }

    /** What was written. */
    public record Summary(int songs, double audioSeconds, double wallSeconds, Path corpusJson) { }

    /** Writes 32-bit float WAV files. */
    public static Summary write(CorpusSpec spec, Path outDir, Progress progress) throws IOException, StemroomException {
        return write(spec, outDir, SampleFormat.FLOAT_32, progress);
    }

    /**
     * Writes WAV files in {@code format}: {@link SampleFormat#FLOAT_32}, or {@link SampleFormat#PCM_24} /
     * {@link SampleFormat#PCM_16} to save disk (2.4 and 1.6 GB per hour instead of 3.2). For integer formats each
     * stem is rounded to the format's grid without dither and the mixture is written as the sum of the rounded
     * stems, so the files sum to the mixture exactly (the mixture peak stays at or below -1 dBFS, far from
     * overflow).
     */
    public static Summary write(CorpusSpec spec, Path outDir, SampleFormat format, Progress progress)
            throws IOException, StemroomException {
        if (format != SampleFormat.FLOAT_32 && format != SampleFormat.PCM_24 && format != SampleFormat.PCM_16) {
            throw new StemroomException("corpus sample format must be float32, 24 or 16 bit, not " + format);
        }
        long t0 = System.nanoTime();
        Files.createDirectories(outDir);
        CorpusGenerator gen = new CorpusGenerator(spec);
        List<SongInfo> infos = new ArrayList<>();
        gen.generate(progress, song -> {
            long index = spec.firstIndex + song.info().index();
            String name = String.format("song-%06d", index);
            Path dir = outDir.resolve(name);
            Path tmp = outDir.resolve("." + name + ".tmp-" + ProcessHandle.current().pid());
            deleteTree(tmp);
            Files.createDirectories(tmp);
            try {
                Song out = format == SampleFormat.FLOAT_32 ? song : quantized(song, format == SampleFormat.PCM_16 ? 32768 : 8388608);
                AudioFileWriter.Options exact = AudioFileWriter.Options.defaults().dither(false);
                AudioFiles.write(tmp.resolve("mixture.wav"), out.mixtureClip(), format, exact);
                for (String s : Song.STEM_NAMES) AudioFiles.write(tmp.resolve(s + ".wav"), out.stemClip(s), format, exact);
                Files.write(tmp.resolve("song.mid"), MidiFiles.song(gen.arrangement(song.info().index())));
                deleteTree(dir);
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteTree(tmp);
            }
            infos.add(song.info());
        });
        double wall = (System.nanoTime() - t0) / 1e9;
        Path json = outDir.resolve("corpus.json");
        Path tmpJson = outDir.resolve(".corpus.json.tmp-" + ProcessHandle.current().pid());
        try {
            Files.write(tmpJson, toJson(spec, infos, wall, format).getBytes(StandardCharsets.UTF_8));
            Files.move(tmpJson, json, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmpJson);
        }
        return new Summary(infos.size(), infos.size() * spec.seconds, wall, json);
    }

    /** corpus.json text. */
    static String toJson(CorpusSpec spec, List<SongInfo> songs, double wallSeconds, SampleFormat format) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = om.createObjectNode();
        root.put("generator", "stemroom dataset");
        root.put("generatorVersion", CorpusGenerator.VERSION);
        root.put("split", spec.split.label());
        root.put("seed", spec.seed);
        root.put("firstIndex", spec.firstIndex);
        root.put("songs", songs.size());
        root.put("secondsPerSong", spec.seconds);
        root.put("sampleRate", spec.sampleRate);
        root.put("channels", spec.channels);
        root.put("sampleFormat", format == SampleFormat.FLOAT_32 ? "float32" : format == SampleFormat.PCM_24 ? "pcm24" : "pcm16");
        root.put("stems", om.valueToTree(Song.STEM_NAMES));
        root.put("stemConvention", STEM_CONVENTION);
        ArrayNode sfs = root.putArray("soundFonts");
        for (SoundFont sf : spec.soundFonts) {
            ObjectNode o = sfs.addObject();
            o.put("id", sf.id());
            o.put("file", sf.file().toString());
            o.put("debianPackage", sf.debianPackage());
            o.put("licence", sf.licence());
            o.put("copyright", sf.copyright());
            o.put("copyrightFile", sf.copyrightFile().toString());
            o.put("heldOut", sf.heldOut());
        }
        root.set("rooms", om.valueToTree(spec.rooms));
        root.put("roomScale", spec.roomScale);
        root.put("mixesPerSong", spec.mixesPerSong);
        root.set("placementWeights", om.valueToTree(new TreeMap<>(spec.placementWeights)));
        root.set("degradationChances", om.valueToTree(new TreeMap<>(spec.degradationChances)));
        root.put("wallSeconds", Math.round(wallSeconds * 10) / 10.0);
        root.set("coverage", om.valueToTree(coverage(songs)));
        root.set("songList", om.valueToTree(songs));
        return om.writeValueAsString(root) + "\n";
    }

    /** Counts per style, meter, placement, soundfont, degradation and program (by stem), for corpus.json. */
    public static Map<String, Map<String, Integer>> coverage(List<SongInfo> songs) {
        Map<String, Map<String, Integer>> c = new TreeMap<>();
        for (SongInfo s : songs) {
            c.computeIfAbsent("style", k -> new TreeMap<>()).merge(s.style(), 1, Integer::sum);
            c.computeIfAbsent("meter", k -> new TreeMap<>()).merge(s.meter(), 1, Integer::sum);
            c.computeIfAbsent("mode", k -> new TreeMap<>()).merge(s.key().substring(s.key().indexOf(' ') + 1), 1, Integer::sum);
            c.computeIfAbsent("placement", k -> new TreeMap<>()).merge(s.placement(), 1, Integer::sum);
            c.computeIfAbsent("soundFont", k -> new TreeMap<>()).merge(s.soundFont(), 1, Integer::sum);
            for (String d : s.degradations().applied()) c.computeIfAbsent("degradation", k -> new TreeMap<>()).merge(d, 1, Integer::sum);
            for (SongInfo.StemInfo st : s.stems()) {
                for (String i : st.instruments()) c.computeIfAbsent("instruments-" + st.stem(), k -> new TreeMap<>()).merge(i, 1, Integer::sum);
                if (!st.room().equals("none")) c.computeIfAbsent("room", k -> new TreeMap<>()).merge(st.room(), 1, Integer::sum);
            }
        }
        return c;
    }

    /** The song with every stem rounded to {@code 1/scale} steps and the mixture the exact sum of them. */
    static Song quantized(Song s, int scale) {
        java.util.LinkedHashMap<String, float[][]> stems = new java.util.LinkedHashMap<>();
        int ch = s.channels(), n = s.frames();
        int[][] sum = new int[ch][n];
        for (Map.Entry<String, float[][]> e : s.stems().entrySet()) {
            float[][] q = new float[ch][n];
            for (int c = 0; c < ch; c++) {
                float[] x = e.getValue()[c];
                for (int i = 0; i < n; i++) {
                    int v = (int) Math.max(-scale, Math.min(scale - 1, Math.floor(x[i] * (double) scale + 0.5)));
                    q[c][i] = v / (float) scale;
                    sum[c][i] += v;
                }
            }
            stems.put(e.getKey(), q);
        }
        float[][] mix = new float[ch][n];
        for (int c = 0; c < ch; c++) {
            for (int i = 0; i < n; i++) mix[c][i] = Math.max(-scale, Math.min(scale - 1, sum[c][i])) / (float) scale;
        }
        return new Song(s.info(), mix, stems);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
