package org.stemroom.separation.modelfree;

import java.util.List;
import java.util.Map;

/**
 * Bass as the part still available below a settable split, with a smooth raised-cosine crossover in log
 * frequency ({@code ratio} either side of the split). Placed after the percussive step, this is the harmonic
 * low band: the kick has already gone to the drums.
 */
public final class BassStep implements MaskStep {
    private final String name;
    private final double splitHz;
    private final double ratio;
    private final List<String> names;
    /** What {@link #take} returns, reused (replacing the value allocates nothing). */
    private final Map<String, float[][]> out = new java.util.HashMap<>();

    public BassStep(String name, double splitHz, double ratio) {
        if (!(splitHz > 0) || !(ratio > 1)) throw new IllegalArgumentException("bad bass split");
        this.name = name;
        this.splitHz = splitHz;
        this.ratio = ratio;
        this.names = List.of(name);
    }

    @Override
    public List<String> stemNames() { return names; }

    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        float[] high = Crossover.highPass(mix, splitHz, ratio);
        float[][] m = mix.workspace().floats(mix.frames(), mix.bins());
        for (int f = 0; f < m.length; f++) {
            for (int b = 0; b < m[f].length; b++) m[f][b] = available[f][b] * (1f - high[b]);
        }
        out.put(name, m);
        return out;
    }
}
