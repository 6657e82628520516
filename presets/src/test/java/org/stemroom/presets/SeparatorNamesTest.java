package org.stemroom.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.stemroom.core.StemroomException;

/** The preset's separator field takes the names stemroom knows, "neural" among them, and refuses others clearly. */
class SeparatorNamesTest {
    static String preset(String sep) {
        return "{\"version\":1,\"name\":\"p\",\"separator\":{\"name\":\"" + sep + "\"},"
                + "\"layouts\":{\"stereo\":{\"stems\":{\"default\":{\"azimuth\":0,\"distance\":1}}}}}";
    }

    @Test
    void knownNamesParseAndUnknownOnesAreRefused() throws Exception {
        for (String n : new String[] {"default", "neural", "modelfree", "hpss", "spatial", "repet", "none", "model"}) {
            assertEquals(n, Presets.parse(preset(n), "p.json").separator().name());
        }
        StemroomException e = assertThrows(StemroomException.class, () -> Presets.parse(preset("magic"), "p.json"));
        assertTrue(e.getMessage().contains("p.json") && e.getMessage().contains("separator"), e.getMessage());
    }
}
