package org.stemroom.core.dsp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Octave and one-third-octave band-pass filters per IEC 61260-1:2014, base-10 system: octave ratio
 * {@code G = 10^(3/10)}, exact mid-band frequencies {@code fm = 1000 * G^(x/b)} Hz (b = 1 or 3), band edges
 * {@code fm * G^(-1/(2b))} and {@code fm * G^(1/(2b))}. The bands run from nominal 31.5 Hz to 16 kHz; a band whose
 * upper edge is not below 0.95 times the Nyquist frequency cannot be realised as a band pass and is left out
 * (at 44.1 kHz that drops the 16 kHz octave; at 48 kHz and above all bands are present).
 *
 * <p>Each band is a 6th-order Butterworth band pass (3rd-order prototype, three biquads), -3.01 dB at its
 * exact band edges, 0 dB at mid-band; adjacent bands cross at -3 dB so their powers sum to about the input's.
 * {@link #newFilter(int)} gives a fresh filter per band and channel.
 */
public final class OctaveBandFilterBank {

    /** Octave or one-third octave. */
    public enum Resolution {
        OCTAVE(1, -5, 4), THIRD_OCTAVE(3, -15, 12);

        final int fraction, firstIndex, lastIndex;

        Resolution(int fraction, int firstIndex, int lastIndex) {
            this.fraction = fraction;
            this.firstIndex = firstIndex;
            this.lastIndex = lastIndex;
        }

        /** 1 for octaves, 3 for third octaves. */
        public int fraction() { return fraction; }
    }

    /** One band: its nominal label frequency, exact mid-band frequency and exact edges, in Hz. */
    public static final class Band {
        private final double nominal, centre, lower, upper;

        Band(double nominal, double centre, double lower, double upper) {
            this.nominal = nominal;
            this.centre = centre;
            this.lower = lower;
            this.upper = upper;
        }

        public double nominal() { return nominal; }
        public double centre() { return centre; }
        public double lower() { return lower; }
        public double upper() { return upper; }

        /** "31.5", "125", "1k", "12.5k". */
        public String label() {
            if (nominal >= 1000) {
                double k = nominal / 1000;
                return (k == Math.rint(k) ? String.valueOf((long) k) : String.valueOf(k)) + "k";
            }
            return nominal == Math.rint(nominal) ? String.valueOf((long) nominal) : String.valueOf(nominal);
        }

        @Override public String toString() { return label() + " Hz"; }
    }

    /** IEC 61260-1 Annex E nominal mid-band frequencies, one-third octaves 25 Hz to 20 kHz (octaves are every third). */
    private static final double[] NOMINAL_THIRDS = {
        25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000,
        2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000};

    public static final double G = Math.pow(10, 0.3);

    private final double sampleRate;
    private final Resolution resolution;
    private final List<Band> bands;
    private final List<BiquadCascade> prototypes;

    public OctaveBandFilterBank(double sampleRate, Resolution resolution) {
        this.sampleRate = sampleRate;
        this.resolution = resolution;
        List<Band> b = new ArrayList<>();
        List<BiquadCascade> f = new ArrayList<>();
        int frac = resolution.fraction;
        for (int x = resolution.firstIndex; x <= resolution.lastIndex; x++) {
            int xThird = x * (3 / frac);
            double fm = 1000 * Math.pow(G, x / (double) frac);
            double lo = fm * Math.pow(G, -1 / (2.0 * frac));
            double hi = fm * Math.pow(G, 1 / (2.0 * frac));
            if (hi >= 0.95 * sampleRate / 2) continue;
            double nominal = NOMINAL_THIRDS[xThird + 16];
            b.add(new Band(nominal, fm, lo, hi));
            f.add(Butterworth.bandPass(sampleRate, lo, hi, 3));
        }
        this.bands = Collections.unmodifiableList(b);
        this.prototypes = f;
    }

    public double sampleRate() { return sampleRate; }
    public Resolution resolution() { return resolution; }
    public List<Band> bands() { return bands; }
    public int size() { return bands.size(); }

    /** A fresh filter (zero state) for band {@code i}. */
    public BiquadCascade newFilter(int i) {
        return prototypes.get(i).copy();
    }

    /** Band {@code i} of a whole signal (a new array; the filter starts from rest). */
    public float[] filter(int i, float[] signal) {
        float[] out = new float[signal.length];
        newFilter(i).process(signal, 0, out, 0, signal.length);
        return out;
    }
}
