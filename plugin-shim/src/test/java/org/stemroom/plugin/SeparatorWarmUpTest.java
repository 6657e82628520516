package org.stemroom.plugin;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/** The background warm-up of the recipe's code (the set-up's warm-up no longer feeds the real worker). */
class SeparatorWarmUpTest {
    @Test
    void warmsTheSeparatorsThatRunTheRecipe() {
        assertTrue(SeparatorWarmUp.warms("default"));
        assertTrue(SeparatorWarmUp.warms("modelfree"));
        assertTrue(SeparatorWarmUp.warms("neural"), "the neural hybrid refines the recipe's stems");
        assertFalse(SeparatorWarmUp.warms("none"), "no separation, no worker");
        assertFalse(SeparatorWarmUp.warms("hpss"));
        assertFalse(SeparatorWarmUp.warms("model:/x/manifest.json"));
    }

    @Test
    void separatesItsWindowsOutsideTheShim() {
        // mono at 44.1 kHz (the test's cheapest case); outside the shim the priority call is absent and ignored
        PluginInstance.lowestPriority();
        assertTrue(SeparatorWarmUp.separate(new AudioFormat(44100, ChannelLayout.MONO)));
    }
}
