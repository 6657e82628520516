package org.stemroom.trainer.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test material until the corpus is used: four clearly different synthetic stems per song (a vibrato tone with
 * harmonics as "vocals", decaying noise bursts as "drums", a low sine as "bass", a two-note chord as "other"),
 * panned at random, seeded. Not a corpus generator: tests only.
 */
final class SyntheticSongs implements SongSource {
    private final int count;
    private final int rate;
    private final double seconds;
    private final long seed;

    SyntheticSongs(int count, int rate, double seconds, long seed) {
        this.count = count;
        this.rate = rate;
        this.seconds = seconds;
        this.seed = seed;
    }

    @Override
    public int size() { return count; }

    @Override
    public Song song(int index) {
        SplittableRandom r = new SplittableRandom(seed * 1000 + index);
        int n = (int) (seconds * rate);
        Map<String, float[][]> stems = new LinkedHashMap<>();
        double f0 = 220 + 220 * r.nextDouble(), fb = 50 + 40 * r.nextDouble();
        double c1 = 300 + 500 * r.nextDouble(), c2 = c1 * 1.26;
        float[] v = new float[n], d = new float[n], b = new float[n], o = new float[n];
        double ph = 0;
        int period = (int) (rate * (0.15 + 0.2 * r.nextDouble()));
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            ph += 2 * Math.PI * f0 * (1 + 0.01 * Math.sin(2 * Math.PI * 5 * t)) / rate;
            v[i] = (float) (0.2 * (Math.sin(ph) + 0.5 * Math.sin(2 * ph) + 0.25 * Math.sin(3 * ph)));
            int k = i % period;
            d[i] = (float) (0.4 * Math.exp(-k / (0.01 * rate)) * (r.nextDouble() * 2 - 1));
            b[i] = (float) (0.3 * Math.sin(2 * Math.PI * fb * t));
            o[i] = (float) (0.1 * (Math.sin(2 * Math.PI * c1 * t) + Math.sin(2 * Math.PI * c2 * t)));
        }
        float[][] mix = new float[2][n];
        String[] names = {"vocals", "drums", "bass", "other"};
        float[][] mono = {v, d, b, o};
        for (int s = 0; s < 4; s++) {
            double pan = r.nextDouble();
            float gl = (float) Math.cos(pan * Math.PI / 2), gr = (float) Math.sin(pan * Math.PI / 2);
            float[][] st = new float[2][n];
            for (int i = 0; i < n; i++) {
                st[0][i] = gl * mono[s][i];
                st[1][i] = gr * mono[s][i];
                mix[0][i] += st[0][i];
                mix[1][i] += st[1][i];
            }
            stems.put(names[s], st);
        }
        return new Song("synthetic-" + index, mix, stems);
    }
}
