package org.stemroom.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lanes meter against {@link BandEnergyMeter} (whose own bounds against the bank's filters BandEnergyMeterTest
 * states), one meter per channel fed the same signal: every energy equal to the bit, for 1 to 6 channels, at the
 * rates a render meets (their octave banks have 8 to 10 bands; six channels of 10 take 60 of the 64 lanes), in
 * blocks of many shapes (odd lengths take the one-sample path; lengths across the 64-row fill and the 1024-sample
 * numerator pass), on noise of several levels with silence, a click and a full-scale stretch in it.
 */
class BandEnergyLanesTest {
    private static float[][] signal(int channels, int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[channels][n];
        for (int c = 0; c < channels; c++) {
            double level = Math.pow(10, -r.nextInt(60) / 20.0);
            for (int i = 0; i < n; i++) x[c][i] = (float) (level * 0.3 * r.nextGaussian());
            int quiet = r.nextInt(n / 2);
            for (int i = quiet; i < quiet + n / 8; i++) x[c][i] = 0;
            x[c][r.nextInt(n)] = 1f;
            int loud = r.nextInt(n / 2);
            for (int i = loud; i < loud + 300; i++) x[c][i] = (i & 1) == 0 ? 1f : -1f;
        }
        return x;
    }

    private static void assertSameAsMeters(double fs, int channels, int n, int[] blocks, long seed) {
        OctaveBandFilterBank bank = new OctaveBandFilterBank(fs, OctaveBandFilterBank.Resolution.OCTAVE);
        float[][] x = signal(channels, n, seed);
        BandEnergyLanes lanes = new BandEnergyLanes(bank, channels);
        BandEnergyMeter[] meters = new BandEnergyMeter[channels];
        for (int c = 0; c < channels; c++) {
            meters[c] = new BandEnergyMeter(bank);
            meters[c].process(x[c], 0, n);
        }
        for (int off = 0, k = 0; off < n; k++) {
            int len = Math.min(blocks[k % blocks.length], n - off);
            lanes.process(x, off, len);
            off += len;
        }
        for (int c = 0; c < channels; c++) {
            for (int b = 0; b < bank.size(); b++) {
                assertEquals(Double.doubleToRawLongBits(meters[c].energy(b)), Double.doubleToRawLongBits(lanes.energy(c, b)),
                        fs + " Hz, " + channels + " channels, channel " + c + ", " + bank.bands().get(b) + ": meter "
                                + meters[c].energy(b) + ", lanes " + lanes.energy(c, b));
            }
        }
    }

    @Test
    void everyEnergyIsTheMetersToTheBit() {
        int[][] blockShapes = {{8192}, {4096}, {1}, {63, 64, 65}, {1023, 1, 1025, 2}, {3, 7, 4097}, {200_000}};
        long seed = 1;
        for (double fs : new double[] {22_050, 32_000, 44_100, 48_000, 88_200, 96_000, 192_000}) {
            for (int channels = 1; channels <= 6; channels++) {
                for (int[] blocks : blockShapes) assertSameAsMeters(fs, channels, 30_011, blocks, seed++);
            }
        }
    }

    @Test
    void aMinuteInTheRendersBlocks() {
        assertSameAsMeters(48_000, 6, 48_000 * 60, new int[] {4096}, 99);
    }

    @Test
    void moreLanesThanTheLoopHasAreRefused() {
        OctaveBandFilterBank bank = new OctaveBandFilterBank(48_000, OctaveBandFilterBank.Resolution.OCTAVE);
        assertThrows(IllegalArgumentException.class, () -> new BandEnergyLanes(bank, 7));
        assertThrows(IllegalArgumentException.class, () -> new BandEnergyLanes(bank, 0));
        new BandEnergyLanes(bank, 6);
        BandEnergyLanes four = new BandEnergyLanes(bank, 4);
        assertThrows(IllegalArgumentException.class, () -> four.process(new float[3][16], 0, 16));
    }
}
