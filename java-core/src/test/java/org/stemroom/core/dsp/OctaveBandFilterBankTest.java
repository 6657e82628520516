package org.stemroom.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OctaveBandFilterBankTest {

    @Test
    void iecMidbandFrequenciesAndLabels() {
        OctaveBandFilterBank oct = new OctaveBandFilterBank(48_000, OctaveBandFilterBank.Resolution.OCTAVE);
        List<OctaveBandFilterBank.Band> b = oct.bands();
        assertEquals(10, b.size());
        assertEquals("31.5", b.get(0).label());
        assertEquals("16k", b.get(9).label());
        assertEquals(31.623, b.get(0).centre(), 1e-3);
        assertEquals(1000, b.get(5).centre(), 1e-9);
        assertEquals(707.946, b.get(5).lower(), 1e-3);   // 1000 * 10^(-0.15)
        assertEquals(1412.538, b.get(5).upper(), 1e-3);
        OctaveBandFilterBank third = new OctaveBandFilterBank(48_000, OctaveBandFilterBank.Resolution.THIRD_OCTAVE);
        assertEquals(28, third.size());
        assertEquals("31.5", third.bands().get(0).label());
        assertEquals("12.5k", third.bands().get(26).label());
        assertEquals(891.251, third.bands().get(15).lower(), 1e-3);
        // 44.1 kHz cannot hold the 16 kHz octave (upper edge 22.4 kHz)
        assertEquals(9, new OctaveBandFilterBank(44_100, OctaveBandFilterBank.Resolution.OCTAVE).size());
    }

    /** Each band, measured with sines through the time-domain filter: -3 dB at its edges, 0 dB at mid-band. */
    @Test
    void bandEdgesAreMinus3dB() {
        for (OctaveBandFilterBank.Resolution res : OctaveBandFilterBank.Resolution.values()) {
            OctaveBandFilterBank bank = new OctaveBandFilterBank(48_000, res);
            for (int i = 0; i < bank.size(); i += res == OctaveBandFilterBank.Resolution.OCTAVE ? 1 : 4) {
                OctaveBandFilterBank.Band band = bank.bands().get(i);
                int idx = i;
                assertEquals(-3.0103, Signals.sineGainDb(x -> bank.newFilter(idx).process(x, 0, x.length),
                        band.lower(), 48_000), 0.05, band + " lower edge");
                assertEquals(-3.0103, Signals.sineGainDb(x -> bank.newFilter(idx).process(x, 0, x.length),
                        band.upper(), 48_000), 0.05, band + " upper edge");
                assertEquals(0, Signals.sineGainDb(x -> bank.newFilter(idx).process(x, 0, x.length),
                        band.centre(), 48_000), 0.05, band + " mid-band");
                // analytic response agrees
                assertEquals(-3.0103, bank.newFilter(i).magnitudeDb(band.upper(), 48_000), 1e-6);
                // an octave beyond the edge (IEC class 1 wants well over 30 dB two octaves out for octave bands)
                if (band.upper() * 2 < 20_000) {
                    assertTrue(bank.newFilter(i).magnitudeDb(band.centre() * 4, 48_000) < -30, band + " stopband");
                }
            }
        }
    }

    /** White noise: band powers of adjacent -3 dB-crossing bands add up to the noise power inside their span. */
    @Test
    void bandEnergiesOfWhiteNoiseFollowBandwidth() {
        double fs = 48_000;
        Random r = new Random(4);
        float[] x = new float[(int) fs * 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 0.1f;
        OctaveBandFilterBank bank = new OctaveBandFilterBank(fs, OctaveBandFilterBank.Resolution.OCTAVE);
        double[] levels = BandEnergy.bandLevelsDb(x, bank);
        double total = BandEnergy.levelDb(x);
        for (int i = 3; i < bank.size(); i++) { // low bands are too narrow for 2 s of noise to be steady
            OctaveBandFilterBank.Band b = bank.bands().get(i);
            // a Butterworth band's noise bandwidth is its -3 dB bandwidth times (pi/6)/sin(pi/6) for order 3
            double noiseBw = (b.upper() - b.lower()) * (Math.PI / 6) / Math.sin(Math.PI / 6);
            double expected = total + 10 * Math.log10(noiseBw / (fs / 2));
            assertEquals(expected, levels[i], 0.5, b + " band level");
        }
        assertEquals(20 * Math.log10(0.1), total, 0.05);
    }
}
