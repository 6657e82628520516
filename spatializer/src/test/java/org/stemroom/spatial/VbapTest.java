package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VbapTest {

    @Test
    void sourceOnASpeakerPlaysOnlyFromIt() {
        for (SpeakerLayout l : SpeakerLayout.standardLayouts()) {
            Vbap v = new Vbap(l, PanLaw.MINUS_3_DB);
            double[] g = new double[l.channelCount()];
            for (int s = 0; s < l.channelCount(); s++) {
                SpeakerLayout.Position p = l.position(s);
                if (p.isLfe()) continue;
                v.gains(p.azimuthDegrees(), p.elevationDegrees(), g);
                for (int c = 0; c < g.length; c++) {
                    assertEquals(c == s ? 1.0 : 0.0, g[c], 1e-9, l.name() + " speaker " + p + " channel " + c);
                }
            }
        }
    }

    @Test
    void panLawsSetTheLevelHalfWay() {
        double[] g = new double[2];
        new Vbap(SpeakerLayout.STEREO, PanLaw.MINUS_3_DB).gains(0, 0, g);
        assertEquals(Math.sqrt(0.5), g[0], 1e-12);
        assertEquals(Math.sqrt(0.5), g[1], 1e-12);
        new Vbap(SpeakerLayout.STEREO, PanLaw.MINUS_6_DB).gains(0, 0, g);
        assertEquals(0.5, g[0], 1e-12);
        new Vbap(SpeakerLayout.STEREO, PanLaw.MINUS_4_5_DB).gains(0, 0, g);
        assertEquals(Math.pow(10, -4.5 / 20), g[0], 1e-12);
        assertEquals(g[0], g[1], 1e-12);
        // tangent law of a symmetric pair (Bennett et al. / Pulkki 1997): (g1-g2)/(g1+g2) = tan(az)/tan(30)
        new Vbap(SpeakerLayout.STEREO, PanLaw.MINUS_3_DB).gains(12, 0, g);
        assertEquals(Math.tan(Math.toRadians(12)) / Math.tan(Math.toRadians(30)), (g[0] - g[1]) / (g[0] + g[1]), 1e-9);
    }

    @Test
    void constantPowerAroundTheCircleInEveryLayout() {
        for (SpeakerLayout l : SpeakerLayout.standardLayouts()) {
            Vbap v = new Vbap(l, PanLaw.MINUS_3_DB);
            double[] g = new double[l.channelCount()];
            double[] prev = new double[l.channelCount()];
            for (int el = 0; el <= (l.hasHeight() ? 90 : 0); el += 15) {
                for (int az = -180; az <= 180; az++) {
                    v.gains(az, el, g);
                    double p = 0;
                    for (double x : g) {
                        assertTrue(x >= 0, "negative gain");
                        p += x * x;
                    }
                    assertEquals(1.0, p, 1e-9, l.name() + " az " + az + " el " + el);
                    if (l.lfeIndex() >= 0) assertEquals(0, g[l.lfeIndex()]);
                    // continuity along the circle (no jumps between triangles/pairs) where the layout surrounds us
                    if (az > -180 && l.channelCount() >= 4) {
                        double d = 0;
                        for (int c = 0; c < g.length; c++) d = Math.max(d, Math.abs(g[c] - prev[c]));
                        assertTrue(d < 0.06, l.name() + " jump " + d + " at az " + az + " el " + el);
                    }
                    System.arraycopy(g, 0, prev, 0, g.length);
                }
            }
        }
    }

    @Test
    void heightLayoutUsesTripletsAndTheZenith() {
        Vbap v = new Vbap(SpeakerLayout.SURROUND_7_1_4, PanLaw.MINUS_3_DB);
        double[] g = new double[12];
        v.gains(0, 90, g);
        // straight up: the four height speakers equally, nothing else
        for (int c = 0; c < 12; c++) {
            boolean top = SpeakerLayout.SURROUND_7_1_4.position(c).elevationDegrees() > 0;
            assertEquals(top ? 0.5 : 0.0, g[c], 1e-9, "channel " + c);
        }
        // half-way up between C/L and Ltf: a triplet with a height speaker and ear-level speakers
        v.gains(30, 22, g);
        int used = 0;
        for (double x : g) if (x > 1e-6) used++;
        assertTrue(used >= 2 && used <= 3, "triplet expected, used " + used);
        assertTrue(g[SpeakerLayout.SURROUND_7_1_4.indexOf("Ltf")] > 0.3);
        // below the ring: projected onto the ear-level ring
        double[] h = new double[12];
        v.gains(30, -40, h);
        assertEquals(1.0, h[0], 1e-9);
        assertTrue(v.triangles().length >= 14);
    }

    @Test
    void frontOnlyLayoutsMirrorRearSourcesToTheFront() {
        double[] g = new double[2];
        Vbap v = new Vbap(SpeakerLayout.STEREO, PanLaw.MINUS_3_DB);
        double[] front = new double[2];
        v.gains(170, 0, g);
        v.gains(10, 0, front);
        assertEquals(front[0], g[0], 1e-12);
        v.gains(90, 0, g);
        assertEquals(1.0, g[0], 1e-12);
        v.gains(-100, 0, g);
        assertEquals(1.0, g[1], 1e-12);
        double[] m = new double[1];
        new Vbap(SpeakerLayout.MONO, PanLaw.MINUS_3_DB).gains(123, 0, m);
        assertEquals(1.0, m[0]);
    }

    /**
     * Elevation on horizontal layouts (5.1, 7.1, stereo, quad): the azimuth's pair keeps cos²(el) of the power and
     * sin²(el) is shared evenly by every main speaker (reference computed here from the elevation-0 gains);
     * constant power at every elevation; straight overhead all mains play at 1/sqrt(N) whatever the azimuth; the
     * LFE stays silent; below the horizon is symmetric to above.
     */
    @Test
    void elevationOnHorizontalLayoutsSpreadsOverTheMainsAtConstantPower() {
        for (SpeakerLayout l : new SpeakerLayout[] {SpeakerLayout.STEREO, SpeakerLayout.SURROUND_5_1,
                SpeakerLayout.SURROUND_7_1}) {
            Vbap v = new Vbap(l, PanLaw.MINUS_3_DB);
            int n = l.channelCount();
            int mains = l.lfeIndex() >= 0 ? n - 1 : n;
            double[] flat = new double[n];
            double[] g = new double[n];
            double[] below = new double[n];
            for (int az = -180; az <= 180; az += 7) {
                v.gains(az, 0, flat);
                for (int el = 10; el <= 90; el += 20) {
                    v.gains(az, el, g);
                    v.gains(az, -el, below);
                    double s2 = Math.pow(Math.sin(Math.toRadians(el)), 2);
                    double p = 0;
                    for (int c = 0; c < n; c++) {
                        double want = c == l.lfeIndex() ? 0 : Math.sqrt((1 - s2) * flat[c] * flat[c] + s2 / mains);
                        assertEquals(want, g[c], 1e-12, l.name() + " az " + az + " el " + el + " channel " + c);
                        assertEquals(g[c], below[c], 1e-12, "below = above");
                        p += g[c] * g[c];
                    }
                    assertEquals(1.0, p, 1e-12, "constant power");
                }
                v.gains(az, 90, g);
                for (int c = 0; c < n; c++) {
                    assertEquals(c == l.lfeIndex() ? 0 : 1 / Math.sqrt(mains), g[c], 1e-12, "overhead: every main equal");
                }
            }
        }
        // the -6 dB law keeps its own normalisation: gains sum to 1 at any elevation
        Vbap v6 = new Vbap(SpeakerLayout.SURROUND_5_1, PanLaw.MINUS_6_DB);
        double[] g = new double[6];
        v6.gains(20, 45, g);
        double sum = 0;
        for (double x : g) sum += x;
        assertEquals(1.0, sum, 1e-12);
    }
}
