package org.stemroom.bench.separation;

/** Whole-signal separation metrics over all channels and samples (as the MDX challenges compute SDR). */
public final class SeparationMetrics {
    private SeparationMetrics() { }

    /** SDR = 10 log10(|s|^2 / |s - e|^2), with a tiny epsilon as in the MDX evaluation. */
    public static double sdr(float[][] ref, float[][] est) {
        double num = 1e-9, den = 1e-9;
        for (int c = 0; c < ref.length; c++) {
            for (int i = 0; i < ref[c].length; i++) {
                double s = ref[c][i], d = s - est[c][i];
                num += s * s;
                den += d * d;
            }
        }
        return 10 * Math.log10(num / den);
    }

    /** Scale-invariant SDR (Le Roux et al. 2019): the estimate projected onto the reference. */
    public static double siSdr(float[][] ref, float[][] est) {
        double ss = 0, se = 0;
        for (int c = 0; c < ref.length; c++) {
            for (int i = 0; i < ref[c].length; i++) {
                ss += (double) ref[c][i] * ref[c][i];
                se += (double) ref[c][i] * est[c][i];
            }
        }
        double a = se / Math.max(ss, 1e-20);
        double t = 0, e = 0;
        for (int c = 0; c < ref.length; c++) {
            for (int i = 0; i < ref[c].length; i++) {
                double tv = a * ref[c][i], ev = est[c][i] - tv;
                t += tv * tv;
                e += ev * ev;
            }
        }
        return 10 * Math.log10((t + 1e-20) / (e + 1e-20));
    }

    /** The mixture scaled by the least-squares gain for this stem. */
    public static float[][] bestGain(float[][] ref, float[][] mix) {
        double mm = 0, ms = 0;
        for (int c = 0; c < ref.length; c++) {
            for (int i = 0; i < ref[c].length; i++) {
                mm += (double) mix[c][i] * mix[c][i];
                ms += (double) mix[c][i] * ref[c][i];
            }
        }
        double g = ms / Math.max(mm, 1e-20);
        float[][] out = new float[mix.length][];
        for (int c = 0; c < mix.length; c++) {
            out[c] = new float[mix[c].length];
            for (int i = 0; i < mix[c].length; i++) out[c][i] = (float) (g * mix[c][i]);
        }
        return out;
    }
}
