package org.stemroom.plugin;

import org.stemroom.core.AudioProcessor;

/**
 * The audio engine behind the plugin: an {@link AudioProcessor} chosen from the plugin's state (a preset)
 * that also takes the plugin's continuous parameters. {@link #setParameter} runs on the audio thread between
 * two samples (the bridge splits blocks at each change point): it must not allocate, and the engine ramps to
 * the new value itself so that automation has no zipper noise.
 */
public interface PluginEngine extends AudioProcessor {

    /** A continuous parameter of {@link PluginParameters} (never a structural one) in plain units. */
    void setParameter(int id, double plain);

    /** The host renders offline (VST3 kOffline): an engine with a worker may wait for it. Audio thread, no allocation. */
    default void offline(boolean on) {
    }

    /** Blocks a real-time worker was too late for (served by a fallback); 0 for engines without a worker. */
    default long lateBlocks() {
        return 0;
    }

    /**
     * A prepared twin of this engine for the warm-up, running the same audio-thread code without this engine's costly
     * worker (see {@link SeparatedEngine#warmUpTwin}); null when this engine has no worker. Allocates: never on the
     * audio thread.
     */
    default WarmUpTwin warmUpTwin() {
        return null;
    }

    /**
     * A warm-up twin: its engine, whose worker starts held: it delivers nothing, and the blocks past the latency are
     * late. After {@code deliver} it delivers at once; after {@code hold} it delivers nothing more (the blocks past what
     * it delivered are late). {@code restart} holds it and starts the twin's stream again at frame 0 (its separator's
     * reset: the blocks before the latency come again). Between the audio thread's calls, as any reset.
     */
    record WarmUpTwin(PluginEngine engine, Runnable hold, Runnable deliver, Runnable restart) {
    }

    /**
     * Has the engine's worker, if any, warm its own code up on noise before its stream's first input arrives (see
     * {@link org.stemroom.separation.StreamingSeparator#warmWorker}); same output. Not on the audio thread.
     */
    default void warmWorker() {
    }

    /** Stops the engine's threads, if any (never called on the audio thread). */
    default void close() {
    }
}
