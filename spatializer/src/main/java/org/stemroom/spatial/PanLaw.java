package org.stemroom.spatial;

import java.util.Locale;

/**
 * The level of a source panned half-way between two loudspeakers, relative to the source on one speaker.
 * VBAP gains are normalised with a p-norm ({@code sum |g|^p = 1}): p = 2 is the constant-power -3 dB law
 * (total acoustic power independent of position, the default), p = 1 the constant-amplitude -6 dB law
 * (coherent summation at the sweet spot, the usual choice for mono-compatible broadcast), and -4.5 dB the
 * compromise between them.
 */
public enum PanLaw {
    MINUS_3_DB(-3.0103),
    MINUS_4_5_DB(-4.5),
    MINUS_6_DB(-6.0206);

    private final double centreDb;
    private final double p;

    PanLaw(double centreDb) {
        this.centreDb = centreDb;
        // Two equal gains g with 2 g^p = 1 give g = 2^(-1/p) = 10^(centreDb/20).
        this.p = -Math.log(2) / Math.log(Math.pow(10, centreDb / 20));
    }

    /** Level of each of two speakers for a source half-way between them, in dB. */
    public double centreDb() { return centreDb; }

    /** The exponent of the gain normalisation. */
    public double exponent() { return p; }

    /** Scales {@code g[0..n)} so that {@code sum |g|^p == 1} (no change when all are zero). */
    void normalise(double[] g, int n) {
        double s = 0;
        if (this == MINUS_3_DB) {
            for (int i = 0; i < n; i++) s += g[i] * g[i];
            s = Math.sqrt(s);
        } else if (this == MINUS_6_DB) {
            for (int i = 0; i < n; i++) s += Math.abs(g[i]);
        } else {
            for (int i = 0; i < n; i++) s += Math.pow(Math.abs(g[i]), p);
            s = Math.pow(s, 1 / p);
        }
        if (s > 0) for (int i = 0; i < n; i++) g[i] /= s;
    }

    /** Parses "-3", "-3dB", "-4.5 dB", "-6". */
    public static PanLaw parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("db", "").trim();
        switch (t) {
            case "-3": case "3": return MINUS_3_DB;
            case "-4.5": case "4.5": return MINUS_4_5_DB;
            case "-6": case "6": return MINUS_6_DB;
            default: throw new IllegalArgumentException("unknown pan law '" + text + "' (use -3, -4.5 or -6 dB)");
        }
    }
}
