package org.stemroom.presets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;
import org.stemroom.core.StemroomException;

final class StemroomAssert {
    private StemroomAssert() { }

    static void message(Executable e, String expectedPart) {
        StemroomException ex = assertThrows(StemroomException.class, e);
        assertTrue(ex.getMessage().contains(expectedPart), ex.getMessage());
    }
}
