package org.stemroom.core.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The meter (numerators first, all-pole sections in double, gains last) against two independent references, the
 * bank's own filters run over the whole signal from rest and their squares summed:
 * <ul>
 *   <li>the cascades in double ({@link BiquadCascade#process(double)}, transposed direct form II): every band
 *       within {@value #DOUBLE_OF_TOTAL} of the signal's energy, and within {@value #DOUBLE_RELATIVE} of its own
 *       energy wherever it holds more than 1e-7 of the signal's (70 dB below). Measured when written: 6.2e-12 and
 *       7.3e-8 (double rounding in the low bands' recursions, whose poles sit close to z = 1, in either form);</li>
 *   <li>the cascades as they filter float arrays (each section's output rounded to float, as the bank's
 *       {@link OctaveBandFilterBank#filter} and, before this meter, the fold-down check did): within
 *       {@value #FLOAT_OF_TOTAL} of the signal's energy, and within {@value #FLOAT_DB} dB wherever a band holds
 *       more than 1e-7 of it. Measured: 9.6e-9 and 3.0e-7 dB, the float cascade's own rounding (it is as far from
 *       the cascades in double).</li>
 * </ul>
 * Signals: tones at every band's centre and edges, pink noise at three rates, a music-like signal with silence,
 * clicks and an abrupt end, short signals; octave and third-octave banks.
 */
class BandEnergyMeterTest {
    private static final double DOUBLE_OF_TOTAL = 1e-10;
    private static final double DOUBLE_RELATIVE = 1e-6;
    private static final double FLOAT_OF_TOTAL = 1e-7;
    private static final double FLOAT_DB = 3e-6;

    private static void assertMatchesFilters(float[] x, double fs, OctaveBandFilterBank.Resolution res, String what) {
        OctaveBandFilterBank bank = new OctaveBandFilterBank(fs, res);
        BandEnergyMeter m = new BandEnergyMeter(bank);
        m.process(x, 0, x.length);
        double[] got = m.energies();
        double total = BandEnergy.energy(x);
        for (int b = 0; b < bank.size(); b++) {
            BiquadCascade inDouble = bank.newFilter(b);
            double want = 0;
            for (float v : x) {
                double y = inDouble.process(v);
                want += y * y;
            }
            double wantFloat = BandEnergy.energy(bank.filter(b, x));
            String band = what + ", " + bank.bands().get(b) + ": double " + want + ", float " + wantFloat + ", meter " + got[b];
            assertEquals(want, got[b], DOUBLE_OF_TOTAL * total, band);
            if (want > 1e-7 * total) assertEquals(want, got[b], DOUBLE_RELATIVE * want, band);
            assertEquals(wantFloat, got[b], FLOAT_OF_TOTAL * total, band);
            if (wantFloat > 1e-7 * total) assertEquals(0, 10 * Math.log10(got[b] / wantFloat), FLOAT_DB, band);
        }
    }

    private static float[] pink(int n, long seed) {
        // Kellet's economy pink filter on white noise: within 0.5 dB of -3 dB/octave above 10 Hz at 48 kHz
        Random r = new Random(seed);
        float[] x = new float[n];
        double b0 = 0, b1 = 0, b2 = 0;
        for (int i = 0; i < n; i++) {
            double w = r.nextGaussian();
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            x[i] = (float) (0.05 * (b0 + b1 + b2 + w * 0.1848));
        }
        return x;
    }

    @Test
    void tonesAtBandCentresAndEdges() {
        double fs = 48_000;
        OctaveBandFilterBank bank = new OctaveBandFilterBank(fs, OctaveBandFilterBank.Resolution.OCTAVE);
        for (OctaveBandFilterBank.Band b : bank.bands()) {
            for (double f : new double[] {b.centre(), b.lower(), b.upper() * 0.999}) {
                // a tone cut off mid-cycle: the filters' state at the end is not at rest
                assertMatchesFilters(Signals.sine(f, fs, 30_000, 0.5, 0.3), fs, OctaveBandFilterBank.Resolution.OCTAVE,
                        "tone " + f + " Hz");
            }
        }
    }

    @Test
    void pinkNoiseAtThreeRatesInOctavesAndThirds() {
        for (double fs : new double[] {44_100, 48_000, 96_000}) {
            assertMatchesFilters(pink((int) (1.5 * fs), 5), fs, OctaveBandFilterBank.Resolution.OCTAVE, "pink noise at " + fs);
        }
        assertMatchesFilters(pink(60_000, 6), 48_000, OctaveBandFilterBank.Resolution.THIRD_OCTAVE, "pink noise, thirds");
    }

    @Test
    void musicLikeSignalWithSilenceAndAnAbruptEnd() {
        double fs = 48_000;
        int n = 100_000;
        float[] x = new float[n];
        Random r = new Random(9);
        double lp = 0;
        for (int i = 0; i < n; i++) {
            double t = i / fs;
            double env = Math.exp(-6 * (t % 0.5)); // a note every half second, decaying
            double s = 0.3 * env * Math.sin(2 * Math.PI * 55 * t) + 0.1 * env * Math.sin(2 * Math.PI * 660 * t + 3 * Math.sin(7 * t));
            lp += 0.2 * (r.nextGaussian() - lp);
            s += 0.02 * lp + (i % 12_000 == 0 ? 0.8 : 0); // soft noise and clicks
            x[i] = i > 40_000 && i < 70_000 ? 0f : (float) s; // a stretch of digital silence
        }
        assertMatchesFilters(x, fs, OctaveBandFilterBank.Resolution.OCTAVE, "music-like");
    }

    @Test
    void shortSignalsAndSilence() {
        double fs = 48_000;
        assertMatchesFilters(pink(7, 1), fs, OctaveBandFilterBank.Resolution.OCTAVE, "7 frames");
        assertMatchesFilters(pink(5_000, 2), fs, OctaveBandFilterBank.Resolution.OCTAVE, "5000 frames");
        OctaveBandFilterBank bank = new OctaveBandFilterBank(fs, OctaveBandFilterBank.Resolution.OCTAVE);
        BandEnergyMeter m = new BandEnergyMeter(bank);
        assertArrayEquals(new double[bank.size()], m.energies(), 0.0, "nothing fed");
        m.process(new float[5_000], 0, 5_000);
        assertArrayEquals(new double[bank.size()], m.energies(), 0.0, "silence");
    }

    /** Any feeding, and asking for the energies on the way, gives the same bits as one call over the whole signal. */
    @Test
    void anyFeedingGivesTheSameBits() {
        double fs = 44_100;
        float[] x = pink(100_000, 3);
        OctaveBandFilterBank bank = new OctaveBandFilterBank(fs, OctaveBandFilterBank.Resolution.OCTAVE);
        BandEnergyMeter whole = new BandEnergyMeter(bank);
        whole.process(x, 0, x.length);
        BandEnergyMeter pieces = new BandEnergyMeter(bank);
        Random r = new Random(7);
        for (int off = 0; off < x.length; ) {
            int len = Math.min(x.length - off, r.nextInt(3000));
            pieces.process(x, off, len);
            if (r.nextInt(4) == 0) pieces.energies();
            off += len;
        }
        assertArrayEquals(whole.energies(), pieces.energies(), 0.0);
        assertArrayEquals(whole.energies(), BandEnergy.bandEnergies(x, bank), 0.0);
    }
}
