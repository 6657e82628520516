package org.stemroom.separation.modelfree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSet;

/**
 * Cascades {@link MaskCascade}s that each work at their own STFT resolution, in the time domain: a stage takes its
 * stems (all of its cascade's stems but the rest) from what the previous stages left, and passes the time-domain
 * remainder {@code input - sum(taken)} on. Drums want a short window (sharp onsets), bass and lead a long one
 * (resolved partials); the stems still sum to the mixture exactly, whatever the resolutions.
 */
public final class ResolutionCascade implements Separator {
    /** One stage: a cascade (its rest stem is the remainder passed on) and its FFT size at 44.1 kHz. */
    public record Stage(MaskCascade cascade, int nFftAt44k) { }

    private final String name;
    private final List<Stage> stages;
    private final String restName;

    public ResolutionCascade(String name, List<Stage> stages, String restName) {
        this.name = name;
        this.stages = List.copyOf(stages);
        this.restName = restName;
    }

    @Override
    public String name() { return name; }

    @Override
    public void reset() {
        // by index: no iterator allocated on the streaming worker (see MaskCascade.reset)
        for (int i = 0; i < stages.size(); i++) stages.get(i).cascade().reset();
    }

    @Override
    public double maxChunkSeconds() { return ModelFreeSeparators.WINDOW_SECONDS; }

    @Override
    public double chunkOverlapSeconds() { return ModelFreeSeparators.OVERLAP_SECONDS; }

    @Override
    public List<String> stemNames() {
        List<String> out = new ArrayList<>();
        for (Stage s : stages) {
            List<String> n = s.cascade().stemNames();
            out.addAll(n.subList(0, n.size() - 1));
        }
        out.add(restName);
        return out;
    }

    @Override
    public StemSet separate(AudioClip mixture) {
        StemSet out = new StemSet(mixture.format(), mixture.frames());
        AudioClip rest = mixture;
        for (Stage st : stages) {
            SpectralMix mix = SpectralMix.ofSize(rest, st.nFftAt44k());
            Map<String, float[][]> masks = st.cascade().masks(mix);
            List<String> names = new ArrayList<>(masks.keySet());
            masks.remove(names.get(names.size() - 1));
            StemSet taken = mix.apply(masks);
            float[][] r = new float[rest.channels()][];
            for (int c = 0; c < r.length; c++) r[c] = rest.channel(c).clone();
            for (String n : taken.names()) {
                out.put(n, taken.get(n).samples());
                for (int c = 0; c < r.length; c++) {
                    float[] x = taken.get(n).channel(c);
                    for (int i = 0; i < x.length; i++) r[c][i] -= x[i];
                }
            }
            rest = new AudioClip(mixture.format(), r);
        }
        out.put(restName, rest.samples());
        return out;
    }
}
