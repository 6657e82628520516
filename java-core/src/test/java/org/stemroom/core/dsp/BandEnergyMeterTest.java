package org.stemroom.core.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The meter (Parseval over blocks, ring-out taken off) against the independent reference: the bank's filters run
 * over the whole signal ({@link BandEnergy#bandEnergies}, each band's 6th-order cascade from rest, squares summed).
 * Bounds: every band within 2e-8 of the signal's energy of the reference, and within {@value #TOLERANCE_DB} dB of it
 * wherever the band holds more than 1e-7 of the signal's energy (70 dB below it). Measured when written: at most
 * 9.6e-9 of the signal's energy (a 1 kHz tone in its own band: the reference's float rounding between sections) and
 * 0.00017 dB (the 31.5 Hz band of 100 frames of pink noise, 1.3e-6 of their energy; 7e-6 dB elsewhere).
 */
class BandEnergyMeterTest {
    private static final double TOLERANCE_DB = 0.001;

    private static void assertMatchesFilters(float[] x, double fs, String what) {
        OctaveBandFilterBank bank = new OctaveBandFilterBank(fs, OctaveBandFilterBank.Resolution.OCTAVE);
        double[] want = BandEnergy.bandEnergies(x, bank);
        BandEnergyMeter m = new BandEnergyMeter(bank);
        m.process(x, 0, x.length);
        double[] got = m.energies();
        double total = BandEnergy.energy(x);
        for (int b = 0; b < bank.size(); b++) {
            String band = what + ", " + bank.bands().get(b) + ": filters " + want[b] + ", meter " + got[b];
            assertEquals(want[b], got[b], 2e-8 * total, band);
            if (want[b] > 1e-7 * total) {
                assertEquals(0, 10 * Math.log10(got[b] / want[b]), TOLERANCE_DB, band);
            }
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
                // 2.3 s: several blocks and a part-filled last one; a tone cut off mid-cycle rings out at the end
                assertMatchesFilters(Signals.sine(f, fs, 110_000, 0.5, 0.3), fs, "tone " + f + " Hz");
            }
        }
    }

    @Test
    void pinkNoiseAtThreeRates() {
        for (double fs : new double[] {44_100, 48_000, 96_000}) {
            assertMatchesFilters(pink((int) (3.7 * fs), 5), fs, "pink noise at " + fs);
        }
    }

    @Test
    void musicLikeSignalWithSilenceAndAnAbruptEnd() {
        double fs = 48_000;
        int n = 250_000;
        float[] x = new float[n];
        Random r = new Random(9);
        double lp = 0;
        for (int i = 0; i < n; i++) {
            double t = i / fs;
            double env = Math.exp(-6 * (t % 0.5)); // a note every half second, decaying
            double s = 0.3 * env * Math.sin(2 * Math.PI * 55 * t) + 0.1 * env * Math.sin(2 * Math.PI * 660 * t + 3 * Math.sin(7 * t));
            lp += 0.2 * (r.nextGaussian() - lp);
            s += 0.02 * lp + (i % 12_000 == 0 ? 0.8 : 0); // soft noise and clicks
            x[i] = i > 60_000 && i < 90_000 ? 0f : (float) s; // a stretch of digital silence
        }
        assertMatchesFilters(x, fs, "music-like");
    }

    @Test
    void shortSignalsAndSilence() {
        double fs = 48_000;
        assertMatchesFilters(pink(100, 1), fs, "100 frames");
        assertMatchesFilters(pink(5_000, 2), fs, "5000 frames");
        OctaveBandFilterBank bank = new OctaveBandFilterBank(fs, OctaveBandFilterBank.Resolution.OCTAVE);
        BandEnergyMeter m = new BandEnergyMeter(bank);
        assertArrayEquals(new double[bank.size()], m.energies(), 0.0, "nothing fed");
        m.process(new float[70_000], 0, 70_000);
        assertArrayEquals(new double[bank.size()], m.energies(), 0.0, "silence");
    }

    /** Blocks are cut at fixed frames: any feeding, and asking for the energies on the way, gives the same bits. */
    @Test
    void anyFeedingGivesTheSameBits() {
        double fs = 44_100;
        float[] x = pink(200_000, 3);
        OctaveBandFilterBank bank = new OctaveBandFilterBank(fs, OctaveBandFilterBank.Resolution.OCTAVE);
        BandEnergyMeter whole = new BandEnergyMeter(bank);
        whole.process(x, 0, x.length);
        BandEnergyMeter pieces = new BandEnergyMeter(bank);
        Random r = new Random(7);
        for (int off = 0; off < x.length; ) {
            int len = Math.min(x.length - off, 1 + r.nextInt(20_000));
            pieces.process(x, off, len);
            if (r.nextInt(4) == 0) assertTrue(pieces.energy(0) >= 0);
            off += len;
        }
        assertArrayEquals(whole.energies(), pieces.energies(), 0.0);
    }

    @Test
    void processDoesNotAllocate() {
        OctaveBandFilterBank bank = new OctaveBandFilterBank(48_000, OctaveBandFilterBank.Resolution.OCTAVE);
        BandEnergyMeter m = new BandEnergyMeter(bank);
        float[] x = pink(4096, 4);
        assertEquals(0, AllocationMeter.measure(() -> m.process(x, 0, x.length), 50));
    }
}
