package org.stemroom.trainer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.stemroom.core.AudioClip;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFiles;

/**
 * A corpus folder as {@code stemroom dataset} writes it: {@code corpus.json} (present only when the folder is
 * complete) and one {@code song-NNNNNN/} folder per song holding {@code mixture.wav} and one WAV per stem. Songs
 * are listed in name order and read on demand (one song in memory at a time per request). A sub-list view serves
 * to hold songs back for validation.
 */
public final class CorpusFolder implements SongSource {
    private final Path dir;
    private final List<Path> songs;
    private final List<String> stems;
    private final int sampleRate;

    private CorpusFolder(Path dir, List<Path> songs, List<String> stems, int sampleRate) {
        this.dir = dir;
        this.songs = songs;
        this.stems = stems;
        this.sampleRate = sampleRate;
    }

    public static CorpusFolder open(Path dir, List<String> stems, int sampleRate) throws StemroomException {
        if (!Files.isDirectory(dir)) throw new StemroomException(dir + ": corpus folder not found");
        if (!Files.isRegularFile(dir.resolve("corpus.json"))) {
            throw new StemroomException(dir + ": no corpus.json (not a corpus written by 'stemroom dataset', or still "
                    + "being written)");
        }
        List<Path> list = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("song-")).sorted().forEach(list::add);
        } catch (IOException e) {
            throw new StemroomException(dir + ": cannot list the corpus: " + e.getMessage());
        }
        if (list.isEmpty()) throw new StemroomException(dir + ": the corpus has no song-* folders");
        return new CorpusFolder(dir, List.copyOf(list), List.copyOf(stems), sampleRate);
    }

    /** Songs {@code [from, to)} of this corpus. */
    public CorpusFolder range(int from, int to) {
        return new CorpusFolder(dir, songs.subList(from, to), stems, sampleRate);
    }

    public Path dir() { return dir; }

    @Override
    public int size() { return songs.size(); }

    @Override
    public Song song(int index) throws StemroomException {
        Path d = songs.get(index);
        float[][] mix = read(d.resolve("mixture.wav"));
        Map<String, float[][]> st = new LinkedHashMap<>();
        for (String s : stems) {
            float[][] x = read(d.resolve(s + ".wav"));
            if (x.length != mix.length || x[0].length != mix[0].length) {
                throw new StemroomException(d.resolve(s + ".wav") + ": length or channels differ from mixture.wav");
            }
            st.put(s, x);
        }
        return new Song(d.getFileName().toString(), mix, st);
    }

    private float[][] read(Path f) throws StemroomException {
        try {
            AudioClip c = AudioFiles.readAll(f);
            if (c.sampleRate() != sampleRate) {
                throw new StemroomException(f + ": sample rate " + c.sampleRate() + " Hz, the model trains at " + sampleRate);
            }
            return c.samples();
        } catch (IOException e) {
            throw new StemroomException(f + ": " + e.getMessage());
        }
    }
}
