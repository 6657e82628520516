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
        switch (which) {
            case "midi": return midi(count, work, stereo, mono);
            default: throw new IllegalArgumentException("unknown song source '" + which + "' (heldout, midi)");
        }
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
