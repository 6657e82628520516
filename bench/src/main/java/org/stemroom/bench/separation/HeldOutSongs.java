package org.stemroom.bench.separation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

/**
 * The songs {@link NeuralEval} scores: each as a stereo item and a mono item (every stem and the mixture averaged
 * over the channels, so the mono stems still sum to the mono mixture). Stems are keyed drums, bass, lead (the
 * vocal stand-in), other.
 */
final class HeldOutSongs {
    private HeldOutSongs() { }

    /** Fills {@code stereo} and {@code mono}; returns a description of the source. */
    static String load(String which, int count, double seconds, Path work, List<NeuralEval.Item> stereo,
                       List<NeuralEval.Item> mono) throws Exception {
        if (which.equals("midi")) return midi(count, work, stereo, mono);
        Path dir = Paths.get(which);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--songs takes 'midi' or a corpus folder written by 'stemroom dataset' ("
                    + dir + " is neither)");
        }
        return corpus(dir, count, stereo, mono);
    }

    /**
     * A corpus folder written by {@code stemroom dataset} (read as the trainer reads it), first {@code count} songs;
     * the mono items are the channel averages, as the trainer's mono examples are.
     */
    static String corpus(Path dir, int count, List<NeuralEval.Item> stereo, List<NeuralEval.Item> mono) throws Exception {
        List<String> names = List.of("vocals", "drums", "bass", "other");
        org.stemroom.trainer.train.CorpusFolder f = org.stemroom.trainer.train.CorpusFolder.open(dir, names, 44100);
        int n = Math.min(count, f.size());
        for (int i = 0; i < n; i++) {
            org.stemroom.trainer.train.Song s = f.song(i);
            Map<String, float[][]> refs = new LinkedHashMap<>();
            for (String k : NeuralEval.STEMS) refs.put(k, s.stems().get(k.equals("lead") ? "vocals" : k));
            AudioClip mix = new AudioClip(AudioFormat.of(44100, s.mixture().length), s.mixture());
            NeuralEval.Item st = new NeuralEval.Item(s.id(), mix, refs);
            stereo.add(st);
            mono.add(monoOf(st));
        }
        String split = "";
        Path info = dir.resolve("corpus.json");
        try {
            com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(info.toFile());
            if (j.has("split")) split = " split " + j.get("split").asText();
            if (j.has("soundFonts")) split += ", soundfonts " + j.get("soundFonts");
        } catch (java.io.IOException e) {
            split = " (corpus.json unreadable: " + e.getMessage() + ")";
        }
        return "corpus " + dir + split + ", first " + n + " songs";
    }

    /** separation-eval's five generated songs (FluidR3, balanced stereo, no rooms or degradations). */
    static String midi(int count, Path work, List<NeuralEval.Item> stereo, List<NeuralEval.Item> mono) throws Exception {
        Path sf = Paths.get("/usr/share/sounds/sf2/FluidR3_GM.sf2");
        if (!Files.isRegularFile(sf)) throw new IllegalStateException(sf + " missing: run scripts/install-deps.sh bench");
        for (SeparationEval.Song song : SeparationEval.evalSongs(work, sf, Math.min(count, 5))) {
            stereo.add(new NeuralEval.Item(song.name, song.mix(true), song.stems(true)));
            mono.add(new NeuralEval.Item(song.name, song.mix(false), song.stems(false)));
        }
        return "separation-eval MIDI songs (FluidR3_GM; not a held-out split)";
    }

    /** The channel average of a stereo item, stems and mixture alike. */
    static NeuralEval.Item monoOf(NeuralEval.Item st) {
        Map<String, float[][]> refs = new LinkedHashMap<>();
        for (Map.Entry<String, float[][]> e : st.refs().entrySet()) refs.put(e.getKey(), new float[][] {average(e.getValue())});
        AudioClip mix = new AudioClip(AudioFormat.of(st.mix().sampleRate(), 1), new float[][] {average(st.mix().samples())});
        return new NeuralEval.Item(st.name(), mix, refs);
    }

    static float[] average(float[][] x) {
        float[] m = new float[x[0].length];
        for (float[] c : x) for (int i = 0; i < m.length; i++) m[i] += c[i] / x.length;
        return m;
    }
}
