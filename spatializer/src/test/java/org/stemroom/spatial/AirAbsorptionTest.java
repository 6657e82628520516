package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;

/**
 * The panner's air-absorption filter against ISO 9613-1 (20 °C, 50 % RH, 101.325 kPa), with the standard's
 * attenuation coefficient computed here from its equations, independently of {@link AirAbsorption}.
 */
class AirAbsorptionTest {

    /** ISO 9613-1:1993 eqs. (3) to (5) and Annex B (molar concentration of water vapour), dB per metre. */
    static double isoDbPerMetre(double f, double celsius, double humidityPercent, double kPa) {
        double ta = celsius + 273.15;
        double pa = kPa / 101.325;               // pa / pr
        double tr = ta / 293.15;                 // T / T0
        double csat = -6.8346 * Math.pow(273.16 / ta, 1.261) + 4.6151;
        double h = humidityPercent * Math.pow(10, csat) / pa;
        double frO = pa * (24 + 4.04e4 * h * (0.02 + h) / (0.391 + h));
        double frN = pa / Math.sqrt(tr) * (9 + 280 * h * Math.exp(-4.170 * (Math.cbrt(1 / tr) - 1)));
        double oxygen = 0.01275 * Math.exp(-2239.1 / ta) / (frO + f * f / frO);
        double nitrogen = 0.1068 * Math.exp(-3352.0 / ta) / (frN + f * f / frN);
        return 8.686 * f * f * (1.84e-11 / pa * Math.sqrt(tr) + Math.pow(tr, -2.5) * (oxygen + nitrogen));
    }

    /** Third-octave centres 100 Hz .. 16 kHz (base 10, IEC 61260), those below 0.45 fs. */
    static double[] thirds(double fs) {
        double[] f = new double[23];
        int n = 0;
        for (int k = 20; k <= 42; k++) {
            double c = Math.pow(10, k / 10.0);
            if (c <= 0.45 * fs) f[n++] = c;
        }
        return java.util.Arrays.copyOf(f, n);
    }

    @Test
    void standardAirMatchesTheFormula() {
        for (double f : new double[] {125, 1000, 4000, 8000, 16000}) {
            assertEquals(isoDbPerMetre(f, 20, 50, 101.325), AirAbsorption.STANDARD.dbPerMetre(f),
                    1e-9 * isoDbPerMetre(f, 20, 50, 101.325), "alpha at " + f);
        }
    }

    /** The cascade's magnitude: within 1 dB of d·alpha(f) at every third-octave centre to 16 kHz, 0.1..50 m, 32..192 kHz. */
    @Test
    void cascadeFollowsIsoUpTo16kHz() {
        double worst = 0;
        double[] abc = new double[4];
        for (double fs : new double[] {32000, 44100, 48000, 96000, 192000}) {
            AirAbsorption.Fit fit = AirAbsorption.STANDARD.fit(fs);
            for (double d : new double[] {0.1, 0.5, 1, 2, 3.7, 5, 10, 13.3, 20, 30, 50}) {
                fit.sections(d, abc);
                for (double f : thirds(fs)) {
                    double want = -d * isoDbPerMetre(f, 20, 50, 101.325);
                    double got = AirAbsorption.responseDb(abc, f, fs);
                    assertEquals(want, got, 1.0, d + " m at " + f + " Hz, fs " + fs);
                    worst = Math.max(worst, Math.abs(got - want));
                }
                assertEquals(0, AirAbsorption.responseDb(abc, 20, fs), 0.05, "no loss at 20 Hz, " + d + " m");
                assertTrue(abc[0] >= 0 && abc[0] < 1 && Math.abs(abc[3]) < 1, "stable sections");
            }
        }
        // and 16 kHz at 50 m is a real loss: about 18 dB, which one first-order section matched at 8 kHz missed by 5 dB
        assertTrue(worst < 0.7, "worst deviation " + worst + " dB");
        double[] at50 = new double[4];
        AirAbsorption.STANDARD.fit(48000).sections(50, at50);
        assertEquals(-50 * isoDbPerMetre(16000, 20, 50, 101.325), AirAbsorption.responseDb(at50, 16000, 48000), 1.0);
        AirAbsorption.STANDARD.fit(48000).sections(0, at50);
        assertEquals(0, AirAbsorption.responseDb(at50, 16000, 48000), 1e-12, "no air, no loss");
    }

    /** End to end: sines through the panner at 21 m (20 m of air beyond the reference) lose what ISO says. */
    @Test
    void pannerAppliesTheLoss() {
        int fs = 48000;
        int n = fs / 2;
        double d = 21;
        for (double f : new double[] {1000, 4000, 8000, 12500, 16000}) {
            double[] levels = new double[2];
            for (int which = 0; which < 2; which++) {
                StemPanner p = new StemPanner(SpeakerLayout.STEREO);
                p.prepare(AudioFormat.of(fs, 1), n);
                p.setPlacement(StemPlacement.DEFAULT.withAzimuth(0).withDistance(which == 0 ? 1 : d));
                p.reset();
                AudioBuffer in = new AudioBuffer(1, n);
                for (int i = 0; i < n; i++) in.channel(0)[i] = (float) Math.sin(2 * Math.PI * f * i / fs);
                AudioBuffer out = new AudioBuffer(2, n);
                p.process(in, out);
                levels[which] = TestSignals.power(out.channel(0), n / 2, n);
            }
            double lossDb = -10 * Math.log10(levels[1] / levels[0]) - 20 * Math.log10(d); // minus the 1/r law
            assertEquals((d - 1) * isoDbPerMetre(f, 20, 50, 101.325), lossDb, 1.0, "air loss at " + f + " Hz");
        }
    }
}
