package org.stemroom.room;

import java.util.Arrays;
import java.util.Locale;

/**
 * A rectangular room: dimensions, absorption per surface and octave band, and the air in it. Coordinates in
 * metres: x across (to the listener's right), y along (to the front), z up; the origin is a corner.
 * Bands are {@link #BANDS}: 125 Hz to 8 kHz octaves.
 */
public final class ShoeboxRoom {

    public static final double[] BANDS = RoomAcousticsAnalysis.BANDS;
    /** Speed of sound at 20 °C, m/s. */
    public static final double C = 343.0;
    /**
     * Energy attenuation of air, m^-1, at 20 °C and 50 % relative humidity per octave band (ISO 9613-1 values of
     * 0.44, 1.3, 2.7, 4.7, 9.9, 29, 105 dB/km divided by 10 log10(e) x 1000).
     */
    static final double[] AIR = {1.0e-4, 3.0e-4, 6.2e-4, 1.08e-3, 2.28e-3, 6.68e-3, 2.42e-2};

    /** Surfaces in the order of {@link #absorption}: the walls at x=0, x=Lx, y=0 (back), y=Ly (front), floor, ceiling. */
    public static final String[] SURFACES = {"left wall", "right wall", "back wall", "front wall", "floor", "ceiling"};

    private final double lx, ly, lz;
    private final double[][] absorption; // [surface][band], 0..1 random-incidence absorption coefficient

    public ShoeboxRoom(double lx, double ly, double lz, double[][] absorption) {
        if (!(lx > 0.5 && ly > 0.5 && lz > 0.5 && lx < 500 && ly < 500 && lz < 200)) {
            throw new IllegalArgumentException("room dimensions out of range: " + lx + " x " + ly + " x " + lz);
        }
        if (absorption.length != 6) throw new IllegalArgumentException("need absorption for 6 surfaces");
        for (double[] a : absorption) {
            if (a.length != BANDS.length) throw new IllegalArgumentException("need absorption for " + BANDS.length + " bands");
            for (double v : a) if (!(v > 0 && v < 1)) throw new IllegalArgumentException("absorption must be in (0, 1): " + v);
        }
        this.lx = lx;
        this.ly = ly;
        this.lz = lz;
        this.absorption = new double[6][];
        for (int i = 0; i < 6; i++) this.absorption[i] = absorption[i].clone();
    }

    /** Same absorption on walls, a separate one for floor and ceiling. */
    public static ShoeboxRoom of(double lx, double ly, double lz, double[] walls, double[] floor, double[] ceiling) {
        return new ShoeboxRoom(lx, ly, lz, new double[][] {walls, walls, walls, walls, floor, ceiling});
    }

    public double lx() { return lx; }
    public double ly() { return ly; }
    public double lz() { return lz; }
    public double volume() { return lx * ly * lz; }
    public double surfaceArea() { return 2 * (lx * ly + lx * lz + ly * lz); }
    public double absorption(int surface, int band) { return absorption[surface][band]; }

    private double[] areas() {
        return new double[] {ly * lz, ly * lz, lx * lz, lx * lz, lx * ly, lx * ly};
    }

    /** Area-weighted mean absorption coefficient of band {@code b}. */
    public double meanAbsorption(int b) {
        double[] s = areas();
        double sum = 0;
        for (int i = 0; i < 6; i++) sum += s[i] * absorption[i][b];
        return sum / surfaceArea();
    }

    /** Sabine: T = 0.161 V / (sum S_i a_i + 4 m V), seconds, per band. */
    public double[] sabineRt60() {
        double[] t = new double[BANDS.length];
        double[] s = areas();
        for (int b = 0; b < t.length; b++) {
            double a = 0;
            for (int i = 0; i < 6; i++) a += s[i] * absorption[i][b];
            t[b] = 0.161 * volume() / (a + 4 * AIR[b] * volume());
        }
        return t;
    }

    /** Eyring: T = 0.161 V / (-S ln(1 - mean a) + 4 m V), seconds, per band; better than Sabine for absorbent rooms. */
    public double[] eyringRt60() {
        double[] t = new double[BANDS.length];
        for (int b = 0; b < t.length; b++) {
            t[b] = 0.161 * volume() / (-surfaceArea() * Math.log(1 - meanAbsorption(b)) + 4 * AIR[b] * volume());
        }
        return t;
    }

    /** Mixing time after Polack: about sqrt(V) milliseconds. */
    public double mixingTimeSeconds() {
        return Math.sqrt(volume()) / 1000.0;
    }

    /** Canonical text of every parameter (cache keys). */
    public String canonical() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "shoebox %.4f %.4f %.4f", lx, ly, lz));
        for (double[] a : absorption) sb.append(' ').append(Arrays.toString(a));
        return sb.toString();
    }
}
