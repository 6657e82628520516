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

    /**
     * The bin from which every mask this window's {@link #take} would return is zero, known before the take: 0 when
     * it takes nothing at all, {@code mix.bins()} (the default) when it does not say. {@link MaskCascade} passes only
     * over the bins below it for a stem an earlier step already made, and for such stems alone does not call a step
     * that takes nothing: the zeros would change none of the sums' bits.
     */
    default int takenBelow(SpectralMix mix) { return mix.bins(); }

    /** Forgets statistics carried from window to window (see {@link org.stemroom.separation.Separator#reset()}). */
    default void reset() { }
}
