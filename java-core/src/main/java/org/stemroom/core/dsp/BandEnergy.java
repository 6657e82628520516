package org.stemroom.core.dsp;

import org.stemroom.core.AudioClip;

/**
 * Energy and level of signals and of their octave or third-octave bands. Levels are in dB relative to a
 * full-scale DC signal (mean square 1): a full-scale sine reads -3.01 dB, as in AES17 "dB FS RMS" minus 3.01.
 */
public final class BandEnergy {
    private BandEnergy() { }

    /** Sum of squares, in double. */
    public static double energy(float[] x, int off, int len) {
        double e = 0;
        for (int i = off; i < off + len; i++) e += (double) x[i] * x[i];
        return e;
    }

    public static double energy(float[] x) {
        return energy(x, 0, x.length);
    }

    /** Mean-square level in dB ({@code 10 log10(mean(x^2))}); -infinity for silence. */
    public static double levelDb(float[] x) {
        return x.length == 0 ? Double.NEGATIVE_INFINITY : toDb(energy(x) / x.length);
    }

    /**
     * Energy of each band of {@code bank} in {@code x} (filters start from rest; the whole filtered signal counts),
     * by {@link BandEnergyMeter}: the same bits as that meter fed the signal in any blocks.
     */
    public static double[] bandEnergies(float[] x, OctaveBandFilterBank bank) {
        BandEnergyMeter m = new BandEnergyMeter(bank);
        m.process(x, 0, x.length);
        return m.energies();
    }

    /** Mean-square level of each band of {@code bank} in {@code x}, in dB. */
    public static double[] bandLevelsDb(float[] x, OctaveBandFilterBank bank) {
        double[] e = bandEnergies(x, bank);
        for (int b = 0; b < e.length; b++) e[b] = x.length == 0 ? Double.NEGATIVE_INFINITY : toDb(e[b] / x.length);
        return e;
    }

    /** Band levels per channel of a clip: {@code [channel][band]} in dB. */
    public static double[][] bandLevelsDb(AudioClip clip, OctaveBandFilterBank bank) {
        if (clip.sampleRate() != (int) Math.round(bank.sampleRate())) {
            throw new IllegalArgumentException("clip rate " + clip.sampleRate() + " Hz != filter bank rate "
                    + bank.sampleRate() + " Hz");
        }
        double[][] l = new double[clip.channels()][];
        for (int c = 0; c < l.length; c++) l[c] = bandLevelsDb(clip.channel(c), bank);
        return l;
    }

    public static double toDb(double meanSquare) {
        return meanSquare > 0 ? 10 * Math.log10(meanSquare) : Double.NEGATIVE_INFINITY;
    }
}
