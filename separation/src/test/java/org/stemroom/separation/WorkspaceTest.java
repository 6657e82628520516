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
}
