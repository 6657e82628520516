package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StemroomCliTest {
    @Test
    void exitCodes() {
        assertEquals(0, StemroomCli.execute("--help"));
        assertEquals(0, StemroomCli.execute("--version"));
        assertEquals(2, StemroomCli.execute("--no-such-option"));
        assertEquals(2, StemroomCli.execute());
    }
}
