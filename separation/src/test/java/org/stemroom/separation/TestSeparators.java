package org.stemroom.separation;

import java.util.List;
import java.util.Random;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

/** Small separators and signals for contract tests. */
final class TestSeparators {
    private TestSeparators() { }

    /** Returns the mixture itself as its only stem. */
    static Separator identity(double chunkSec, double overlapSec) {
        return new Separator() {
            @Override public String name() { return "identity"; }
            @Override public List<String> stemNames() { return List.of("all"); }
            @Override public StemSet separate(AudioClip m) {
                return new StemSet(m.format(), m.frames()).put("all", m.copy());
            }
            @Override public double maxChunkSeconds() { return chunkSec; }
            @Override public double chunkOverlapSeconds() { return overlapSec; }
        };
    }

    /**
     * A deliberately inconsistent separator: "low" = a one-pole low-pass of the mixture at 0.7 gain, "high" = the
     * mixture minus its low-pass at 0.5 gain, so the stems miss a good part of the mixture.
     */
    static Separator lossy() {
        return new Separator() {
            @Override public String name() { return "lossy"; }
            @Override public List<String> stemNames() { return List.of("low", "high"); }
            @Override public StemSet separate(AudioClip m) {
                float[][] lo = new float[m.channels()][m.frames()];
                float[][] hi = new float[m.channels()][m.frames()];
                for (int c = 0; c < m.channels(); c++) {
                    float y = 0;
                    float[] x = m.channel(c);
                    for (int i = 0; i < x.length; i++) {
                        y += 0.05f * (x[i] - y);
                        lo[c][i] = 0.7f * y;
                        hi[c][i] = 0.5f * (x[i] - y);
                    }
                }
                return new StemSet(m.format(), m.frames()).put("low", lo).put("high", hi);
            }
        };
    }

    /** Seeded noise plus a few sines, peak near 0.5. */
    static AudioClip music(int rate, int channels, double seconds, long seed) {
        int n = (int) Math.round(seconds * rate);
        Random rnd = new Random(seed);
        float[][] x = new float[channels][n];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < n; i++) {
                double t = i / (double) rate;
                x[c][i] = (float) (0.15 * Math.sin(2 * Math.PI * 110 * t) + 0.1 * Math.sin(2 * Math.PI * (440 + 3 * c) * t)
                        + 0.1 * rnd.nextGaussian());
            }
        }
        return new AudioClip(AudioFormat.of(rate, channels), x);
    }
}
