package org.stemroom.separation.modelfree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * REPET-SIM (Rafii &amp; Pardo 2012): the repeating background is modelled, frame by frame, as the median of the
 * frames most similar to it (cosine similarity of magnitude spectra, at least {@code minDistanceSeconds} apart);
 * the background mask is {@code min(model, |X|) / |X|}, the foreground the rest. Similarities are computed on
 * spectra pooled into bands below 5 kHz to keep the cost at O(frames^2 x bands).
 */
public final class RepetSimStep implements MaskStep {
    private final String foreground;
    private final String background;
    private final int neighbours;
    private final double minDistanceSeconds;
    private final double minSimilarity;

    public RepetSimStep(String foreground, String background, int neighbours, double minDistanceSeconds,
                        double minSimilarity) {
        this.foreground = foreground;
        this.background = background;
        this.neighbours = neighbours;
        this.minDistanceSeconds = minDistanceSeconds;
        this.minSimilarity = minSimilarity;
    }

    @Override
    public List<String> stemNames() { return List.of(foreground, background); }

    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        int frames = mix.frames(), bins = mix.bins();
        float[][] mag = mix.magnitude();
        int top = Math.min(bins, mix.bin(5000));
        int bands = 96;
        float[][] pooled = new float[frames][bands];
        for (int f = 0; f < frames; f++) {
            double norm = 0;
            for (int b = 1; b < top; b++) {
                // log-spaced bands
                int band = (int) (bands * Math.log(b) / Math.log(top));
                double v = mag[f][b] * available[f][b];
                pooled[f][Math.min(bands - 1, band)] += (float) v;
            }
            for (float v : pooled[f]) norm += v * v;
            float inv = (float) (1 / Math.sqrt(norm + 1e-20));
            for (int i = 0; i < bands; i++) pooled[f][i] *= inv;
        }
        int minDist = (int) Math.round(minDistanceSeconds / mix.frameSeconds());
        float[][] fg = new float[frames][bins];
        float[][] bg = new float[frames][bins];
        int[] idx = new int[neighbours];
        float[] sim = new float[neighbours];
        float[] vals = new float[neighbours + 1];
        for (int f = 0; f < frames; f++) {
            int count = 0;
            java.util.Arrays.fill(sim, -1);
            for (int g = 0; g < frames; g++) {
                if (Math.abs(g - f) < minDist) continue;
                double s = 0;
                for (int i = 0; i < bands; i++) s += pooled[f][i] * pooled[g][i];
                if (s < minSimilarity) continue;
                // keep the best `neighbours` (insertion into a small sorted list)
                int pos = Math.min(count, neighbours);
                if (pos == neighbours && s <= sim[neighbours - 1]) continue;
                if (pos == neighbours) pos--;
                while (pos > 0 && sim[pos - 1] < s) { sim[pos] = sim[pos - 1]; idx[pos] = idx[pos - 1]; pos--; }
                sim[pos] = (float) s;
                idx[pos] = g;
                count = Math.min(count + 1, neighbours);
            }
            for (int b = 0; b < bins; b++) {
                double a = available[f][b];
                double x = mag[f][b] * a;
                double model;
                if (count == 0) {
                    model = 0;
                } else {
                    vals[0] = (float) x;
                    for (int i = 0; i < count; i++) vals[i + 1] = mag[idx[i]][b] * available[idx[i]][b];
                    model = MedianFilter.select(vals, count + 1);
                }
                double m = x > 1e-20 ? Math.min(model, x) / x : 0.5;
                bg[f][b] = (float) (a * m);
                fg[f][b] = (float) (a * (1 - m));
            }
        }
        Map<String, float[][]> out = new LinkedHashMap<>();
        out.put(foreground, fg);
        out.put(background, bg);
        return out;
    }
}
