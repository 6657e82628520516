package org.stemroom.separation.modelfree;

/**
 * Smooth spectral crossovers: per-bin weights that go from 0 to 1 with a raised cosine over a band spread
 * evenly in log frequency around the split, so the low and high weights sum to exactly one everywhere.
 *
 * <p>An instance keeps the last weights it computed: a step asks for the same crossover at every window (same bins,
 * bin width, split and ratio), and the weights (a log and a cosine per bin) were computed anew each time, three
 * crossovers per window in the default recipe. The same doubles in the same order as before, so the same bits.
 */
final class Crossover {
    private int bins = -1;
    private double binHz, splitHz, ratio;
    private float[] weights;

    /**
     * Weight of the high side per bin for this mix's bins: 0 below {@code split/ratio}, 1 above {@code split*ratio},
     * raised cosine in log frequency between. The same array as the last call's when the bins, their width, the
     * split and the ratio are the same: callers read it and never write it.
     */
    float[] highPass(SpectralMix mix, double splitHz, double ratio) {
        int n = mix.bins();
        double hzPerBin = mix.binHz();
        if (weights == null || n != bins || Double.compare(hzPerBin, binHz) != 0
                || Double.compare(splitHz, this.splitHz) != 0 || Double.compare(ratio, this.ratio) != 0) {
            weights = highPass(n, hzPerBin, splitHz, ratio);
            bins = n;
            binHz = hzPerBin;
            this.splitHz = splitHz;
            this.ratio = ratio;
        }
        return weights;
    }

    /** The high side's weights for {@code bins} bins {@code binHz} apart, in a new array. */
    static float[] highPass(int bins, double binHz, double splitHz, double ratio) {
        float[] w = new float[bins];
        double lo = Math.log(splitHz / ratio), hi = Math.log(splitHz * ratio);
        for (int b = 0; b < w.length; b++) {
            double hz = b * binHz;
            if (hz <= 0) { w[b] = 0; continue; }
            double t = (Math.log(hz) - lo) / (hi - lo);
            w[b] = t <= 0 ? 0f : t >= 1 ? 1f : (float) (0.5 - 0.5 * Math.cos(Math.PI * t));
        }
        return w;
    }
}
