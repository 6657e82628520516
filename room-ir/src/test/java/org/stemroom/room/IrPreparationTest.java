package org.stemroom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stemroom.core.ChannelLayout;

class IrPreparationTest {

    static final int RATE = 48000;

    static RoomImpulseResponse noiseIr(double rt, int delay, long seed) {
        float[] l = RoomAcousticsAnalysisTest.decayingNoise(rt, 1.6 * rt + 0.2, delay, -400, seed);
        float[] r = RoomAcousticsAnalysisTest.decayingNoise(rt, 1.6 * rt + 0.2, delay + 30, -400, seed + 1);
        return RoomImpulseResponse.stereoPair(l, r, RATE, RoomImpulseResponse.Metadata.named("noise"));
    }

    @Test
    void preDelayTrimKeepsTheRequestedGapAndInterchannelDelay() {
        RoomImpulseResponse rir = noiseIr(0.5, 2000, 1);
        assertEquals(2000, IrPreparation.onset(rir), 2);
        RoomImpulseResponse t = IrPreparation.trimPreDelay(rir, 0.010);
        assertEquals(480, IrPreparation.onset(t), 2);
        assertEquals(RoomAcousticsAnalysis.onset(t.ir(1, 1)) - RoomAcousticsAnalysis.onset(t.ir(0, 0)),
                RoomAcousticsAnalysis.onset(rir.ir(1, 1)) - RoomAcousticsAnalysis.onset(rir.ir(0, 0)));
    }

    @Test
    void splitSumsBackAndNormalizationHitsTargets() {
        RoomImpulseResponse rir = noiseIr(0.8, 100, 3);
        RoomImpulseResponse[] el = IrPreparation.splitEarlyLate(rir, 0.080, 0.010);
        for (int c = 0; c < 2; c++) {
            float[] h = rir.ir(c, c), e = el[0].ir(c, c), l = el[1].ir(c, c);
            for (int i = 0; i < h.length; i++) assertEquals(h[i], e[i] + l[i], 1e-6 * Math.abs(h[i]));
            assertEquals(0f, Math.abs(e[100 + (int) (0.1 * RATE)]));
            assertEquals(0f, Math.abs(l[100 + (int) (0.06 * RATE)]));
        }
        RoomImpulseResponse p = IrPreparation.normalize(rir, IrPreparation.Normalization.PEAK, -6);
        double peak = 0;
        for (int c = 0; c < 2; c++) for (float v : p.ir(c, c)) peak = Math.max(peak, Math.abs(v));
        assertEquals(-6, 20 * Math.log10(peak), 1e-4);
        RoomImpulseResponse e = IrPreparation.normalize(rir, IrPreparation.Normalization.ENERGY, 0);
        assertEquals(1.0, IrPreparation.meanSourceEnergy(e), 1e-4);
        RoomImpulseResponse f = IrPreparation.fadeOut(rir, 0.5, 0.1);
        assertEquals(RATE / 2, f.length());
        assertTrue(Math.abs(f.ir(0, 0)[RATE / 2 - 1]) < 1e-3);
    }

    @Test
    void decayReshapingScalesT30PerBand() {
        double rt = 1.0;
        double[][] cases = {{0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, {1.4, 1.3, 1.2, 1.0, 0.85, 0.75, 0.7}};
        for (double[] factors : cases) {
            // mean over 4 realisations: a single band-limited noise decay scatters by itself (see the analysis test)
            double[] sum = new double[factors.length];
            int n = 4;
            for (int seed = 0; seed < n; seed++) {
                RoomImpulseResponse rir = noiseIr(rt, 200, 10 + 2 * seed);
                RoomImpulseResponse out = IrPreparation.reshapeDecay(rir, factors);
                RoomAcousticsAnalysis.Result res = RoomAcousticsAnalysis.analyze(out.ir(0, 0), RATE);
                for (int b = 0; b < factors.length; b++) sum[b] += res.bands.get(b).t30 / n;
            }
            for (int b = 0; b < factors.length; b++) {
                double want = rt * factors[b];
                System.out.printf("reshape band %s: T30 %.3f, wanted %.3f (%+.1f %%)%n", RoomSynthesizer.bandLabel(b),
                        sum[b], want, 100 * (sum[b] / want - 1));
                if (b > 0) assertEquals(want, sum[b], 0.10 * want, "band " + RoomSynthesizer.bandLabel(b));
            }
        }
    }

    @Test
    void layoutIsKept() {
        RoomImpulseResponse rir = noiseIr(0.3, 10, 5);
        assertEquals(ChannelLayout.STEREO, IrPreparation.fadeOut(rir, 1, 0.1).outputLayout());
    }
}
