package org.stemroom.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.stemroom.core.dsp.Spectrogram;

class WorkspaceTest {

    @Test
    void spectrogramsComeBackZeroedUnlessTakenToOverwrite() {
        Workspace ws = new Workspace();
        Spectrogram a = ws.spectrogram(3, 5);
        Spectrogram b = ws.spectrogramToOverwrite(3, 5); // same shelf: a second one
        assertNotSame(a, b);
        a.re(2)[4] = 7f;
        b.im(1)[3] = -2f;
        ws.rewind();
        Spectrogram a2 = ws.spectrogramToOverwrite(3, 5);
        assertSame(a, a2);
        assertEquals(7f, a2.re(2)[4], "taken to overwrite: as the previous call left it");
        Spectrogram b2 = ws.spectrogram(3, 5);
        assertSame(b, b2);
        assertEquals(0f, b2.im(1)[3], "taken plainly: zeroed");
        assertNotSame(a, ws.spectrogram(3, 5)); // the shelf is used up: a new one
    }

    @Test
    void arraysComeBackZeroedUnlessTakenToOverwrite() {
        Workspace ws = new Workspace();
        float[][] m = ws.floats(2, 3);
        int[][] k = ws.ints(2, 3);
        float[] v = ws.floats(4);
        m[1][2] = 5f;
        k[0][1] = 9;
        v[3] = -1f;
        ws.rewind();
        float[][] m2 = ws.floatsToOverwrite(2, 3);
        int[][] k2 = ws.intsToOverwrite(2, 3);
        float[] v2 = ws.floatsToOverwrite(4);
        assertSame(m, m2);
        assertSame(k, k2);
        assertSame(v, v2);
        assertEquals(5f, m2[1][2], "taken to overwrite: as the previous call left it");
        assertEquals(9, k2[0][1]);
        assertEquals(-1f, v2[3]);
        ws.rewind();
        assertEquals(0f, ws.floats(2, 3)[1][2], "taken plainly: zeroed");
        assertEquals(0, ws.ints(2, 3)[0][1]);
        assertEquals(0f, ws.floats(4)[3]);
        assertNotSame(m, ws.floatsToOverwrite(2, 3)); // the shelf is used up: a new one
    }
}
