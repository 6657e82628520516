package org.stemroom.separation.modelfree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Harmonic-percussive separation by median filtering (Fitzgerald 2010): harmonic sounds are ridges along time,
 * percussive ones ridges along frequency, so a median along time enhances the former and one along frequency the
 * latter. Soft masks with power {@code p} and separation margin {@code beta} (Driedger, Müller &amp; Disch 2014):
 * {@code M_H = H^p / (H^p + (beta P)^p)}, {@code M_P = P^p / (P^p + (beta H)^p)}, and for {@code beta > 1}
 * the bins claimed by neither go to a residual ({@code 1 - M_H - M_P}).
 *
 * <p>In a cascade ({@link #percussiveOnly}) the step takes only the percussive mask, optionally plus everything
 * above a high split (cymbals and hats dominate there in pop mixes), and leaves the rest to later steps.
 */
public final class HpssStep implements MaskStep {
    private final double harmonicSeconds;
    private final double percussiveHz;
    private final double power;
    private final double margin;
    private final double highSplitHz; // 0: none
    private final boolean percussiveOnly;
    private final String percussiveName;

    private HpssStep(double harmonicSeconds, double percussiveHz, double power, double margin, double highSplitHz,
                     boolean percussiveOnly, String percussiveName) {
        if (!(harmonicSeconds > 0) || !(percussiveHz > 0) || !(power > 0) || !(margin >= 1)) {
            throw new IllegalArgumentException("bad HPSS settings");
        }
        this.harmonicSeconds = harmonicSeconds;
        this.percussiveHz = percussiveHz;
        this.power = power;
        this.margin = margin;
        this.highSplitHz = highSplitHz;
        this.percussiveOnly = percussiveOnly;
        this.percussiveName = percussiveName;
    }

    /** Three stems: harmonic, percussive, residual (empty when margin is 1). */
    public static HpssStep full(double harmonicSeconds, double percussiveHz, double power, double margin) {
        return new HpssStep(harmonicSeconds, percussiveHz, power, margin, 0, false, "percussive");
    }

    /** Takes only the percussive part (and everything above {@code highSplitHz} when &gt; 0) as one stem. */
    public static HpssStep percussiveOnly(String name, double harmonicSeconds, double percussiveHz, double power,
                                          double highSplitHz) {
        return new HpssStep(harmonicSeconds, percussiveHz, power, 1.0, highSplitHz, true, name);
    }

    @Override
    public List<String> stemNames() {
        return percussiveOnly ? List.of(percussiveName) : List.of("harmonic", "percussive", "residual");
    }

    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        float[][] mag = mix.magnitude();
        int frames = mix.frames(), bins = mix.bins();
        int tLen = odd(harmonicSeconds / mix.frameSeconds());
        int fLen = odd(percussiveHz / mix.binHz());
        float[][] h = MedianFilter.alongTime(mag, tLen);
        float[][] p = MedianFilter.alongFrequency(mag, fLen);
        float[][] mh = new float[frames][bins];
        float[][] mp = new float[frames][bins];
        float[][] mr = percussiveOnly ? null : new float[frames][bins];
        float[] high = highSplitHz > 0 ? Crossover.highPass(mix, highSplitHz, 1.25) : null;
        double beta = margin;
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) {
                double hp = Math.pow(h[f][b], power), pp = Math.pow(p[f][b], power);
                double bh = Math.pow(beta, power);
                double den1 = hp + bh * pp, den2 = pp + bh * hp;
                double a = available[f][b];
                double mH = den1 > 1e-30 ? hp / den1 : 0.5 / beta;
                double mP = den2 > 1e-30 ? pp / den2 : 0.5 / beta;
                if (high != null) mP = mP + (1 - mP) * high[b];
                mh[f][b] = (float) (a * mH);
                mp[f][b] = (float) (a * mP);
                if (mr != null) mr[f][b] = (float) Math.max(0, a * (1 - mH - mP));
            }
        }
        Map<String, float[][]> out = new LinkedHashMap<>();
        if (percussiveOnly) {
            out.put(percussiveName, mp);
        } else {
            out.put("harmonic", mh);
            out.put("percussive", mp);
            out.put("residual", mr);
        }
        return out;
    }

    static int odd(double x) {
        int n = (int) Math.round(x);
        return Math.max(1, n | 1);
    }
}
