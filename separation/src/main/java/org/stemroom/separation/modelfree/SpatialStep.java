package org.stemroom.separation.modelfree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Separation of a stereo mixture by panning position (Avendano 2003's panning index; Barry et al. 2004's azimuth
 * discrimination): every time-frequency bin has a panning angle (0 hard left, 0.5 centre, 1 hard right, the
 * constant-power angle of |R| against |L|), and each source claims the bins near its position with a Gaussian
 * weight of the given width. The weights are normalised over the sources plus a constant "elsewhere" weight, so
 * what lies between the positions stays available for later steps (or the rest stem).
 */
public final class SpatialStep implements MaskStep {
    private final LinkedHashMap<String, Double> positions;
    private final double width;
    private final double elsewhere;

    /**
     * @param positions stem name to panning position in 0..1
     * @param width     Gaussian standard deviation in the same units (0.05 is narrow, 0.15 broad)
     * @param elsewhere weight of "none of these" (0 gives every bin to the nearest positions)
     */
    public SpatialStep(Map<String, Double> positions, double width, double elsewhere) {
        if (positions.isEmpty() || !(width > 0) || !(elsewhere >= 0)) throw new IllegalArgumentException("bad spatial settings");
        for (double p : positions.values()) {
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("pan position " + p + " outside 0..1");
        }
        this.positions = new LinkedHashMap<>(positions);
        this.width = width;
        this.elsewhere = elsewhere;
    }

    @Override
    public List<String> stemNames() { return List.copyOf(positions.keySet()); }

    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        float[][] pan = mix.pan();
        if (pan == null) throw new IllegalArgumentException("spatial separation needs a stereo mixture");
        int frames = mix.frames(), bins = mix.bins(), n = positions.size();
        double[] pos = positions.values().stream().mapToDouble(Double::doubleValue).toArray();
        float[][][] masks = new float[n][frames][bins];
        double inv = 1 / (2 * width * width);
        double[] w = new double[n];
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) {
                double sum = elsewhere, p = pan[f][b];
                for (int k = 0; k < n; k++) {
                    double d = p - pos[k];
                    w[k] = Math.exp(-d * d * inv);
                    sum += w[k];
                }
                double a = available[f][b] / Math.max(sum, 1e-12);
                for (int k = 0; k < n; k++) masks[k][f][b] = (float) (w[k] * a);
            }
        }
        Map<String, float[][]> out = new LinkedHashMap<>();
        int k = 0;
        for (String name : positions.keySet()) out.put(name, masks[k++]);
        return out;
    }
}
