package org.stemroom.separation.modelfree;

/**
 * Smooth spectral crossovers: per-bin weights that go from 0 to 1 with a raised cosine over a band spread
 * evenly in log frequency around the split, so the low and high weights sum to exactly one everywhere.
 */
final class Crossover {
    private Crossover() { }

    /**
     * Weight of the high side per bin: 0 below {@code split/ratio}, 1 above {@code split*ratio}, raised cosine
     * in log frequency between.
     */
    static float[] highPass(SpectralMix mix, double splitHz, double ratio) {
        float[] w = mix.workspace().floats(mix.bins());
        double lo = Math.log(splitHz / ratio), hi = Math.log(splitHz * ratio);
        for (int b = 0; b < w.length; b++) {
            double hz = b * mix.binHz();
            if (hz <= 0) { w[b] = 0; continue; }
            double t = (Math.log(hz) - lo) / (hi - lo);
            w[b] = t <= 0 ? 0f : t >= 1 ? 1f : (float) (0.5 - 0.5 * Math.cos(Math.PI * t));
        }
        return w;
    }
}
