package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The carried pan histogram's peak ({@link PanMemory#update}) and its hold ({@link PanMemory#hold}). */
class PanMemoryTest {

    /**
     * One window's histogram: each energy given in pairs (cell, energy) spread over its cell and two either side (1 2 3
     * 2 1, over 9), so that the five cells' smoothed sum peaks at that cell alone.
     */
    private static double[] hist(double... cellEnergy) {
        double[] h = new double[101];
        for (int i = 0; i + 1 < cellEnergy.length; i += 2) {
            for (int d = -2; d <= 2; d++) h[(int) cellEnergy[i] + d] += cellEnergy[i + 1] * (3 - Math.abs(d)) / 9;
        }
        return h;
    }

    @Test
    void withoutAHoldThePeakIsTheCarriedMaximumInEveryWindow() {
        PanMemory m = new PanMemory();
        assertEquals(0.55, m.update(hist(55, 10, 35, 9), 1), 1e-12);
        // the carried 35 cell: 9 e^-0.1 + 12 > 10 e^-0.1 + 10
        assertEquals(0.35, m.update(hist(55, 10, 35, 12), 1), 1e-12);
    }

    @Test
    void aHeldPeakMovesOnlyWhereAnotherCellExceedsItByTheRatio() {
        PanMemory m = new PanMemory().hold(1.5);
        assertEquals(0.55, m.update(hist(55, 10, 35, 9), 1), 1e-12);
        assertEquals(0.55, m.update(hist(55, 10, 35, 12), 1), 1e-12); // 20.1 against 19.0: held
        // 35: 20.1 e^-0.1 + 40 = 58.2; 55: 19.0 e^-0.1 + 10 = 27.2: more than 1.5 times
        assertEquals(0.35, m.update(hist(55, 10, 35, 40), 1), 1e-12);
        m.clear(); // a new song: the first window's peak, whatever was held
        assertEquals(0.70, m.update(hist(70, 5, 35, 1), 1), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new PanMemory().hold(0.9));
    }
}
