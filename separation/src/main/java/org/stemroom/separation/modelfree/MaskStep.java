package org.stemroom.separation.modelfree;

import java.util.List;
import java.util.Map;

/**
 * One step of a model-free cascade: from the share of each time-frequency bin still {@code available}
 * (0..1, {@code [frame][bin]}), it takes masks for its own stems. Each returned mask is at most the available
 * share and together they never exceed it; {@link MaskCascade} passes what a step did not take to the next.
 */
public interface MaskStep {
    List<String> stemNames();

    Map<String, float[][]> take(SpectralMix mix, float[][] available);

    /** Forgets statistics carried from window to window (see {@link org.stemroom.separation.Separator#reset()}). */
    default void reset() { }
}
