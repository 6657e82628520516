package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.presets.Presets;

class PresetsCommandTest {
    @Test
    void listShowValidate(@TempDir Path dir) throws Exception {
        CliRun list = CliRun.of("presets", "list");
        assertEquals(0, list.code());
        for (String n : Presets.BUILTIN_NAMES) assertTrue(list.out().contains(n), list.out());

        CliRun show = CliRun.of("presets", "show", "surround-audience");
        assertEquals(0, show.code(), show.err());
        Path good = dir.resolve("mine.json");
        Files.writeString(good, show.out());
        CliRun ok = CliRun.of("presets", "validate", good.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("ok"), ok.out());

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, show.out().replace("\"azimuth\" : 0.0", "\"azimuth\" : 720.0"));
        CliRun no = CliRun.of("presets", "validate", bad.toString());
        assertEquals(1, no.code());
        assertTrue(no.err().contains("bad.json: $.layouts['5.1'].stems.vocals.azimuth"), no.err());

        assertEquals(1, CliRun.of("presets", "show", "no-such-preset").code());
        assertEquals(2, CliRun.of("presets").code());
    }
}
