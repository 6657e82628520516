package org.stemroom.plugin;

import java.util.concurrent.atomic.AtomicBoolean;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.Separation;
import org.stemroom.separation.Separators;

/**
 * Compiles the model-free recipe's code (the separator worker's) in the background: a thread of its own separates
 * {@link #WINDOWS} windows of seeded noise with a recipe of its own, on the plugin's grid, and throws the stems away.
 * The JIT's compiled code and profiles belong to the methods, not to the objects, so the engine's worker then runs
 * compiled code from its first windows, as it did when the set-up's warm-up fed it 2.7 s of audio to separate cold
 * (that made the host wait 0.65-1.1 s more, on the quiet machine; {@link PluginInstance#warmUp} no longer does it).
 *
 * <p>It starts when the set-up's own warm-up has ended (the set-up never waits for it, and its compilations never
 * compete with the audio path's), at the lowest priority the kernel gives (nice 19, through the shim), so it takes
 * only CPU time the host and the audio path leave idle. It may still be running when the host starts playing: the
 * first windows may then be late (the streaming separator's counted fallback serves them; an offline export waits
 * for the worker and is exact either way). Once per JVM: a second plugin instance finds the code compiled. Only for
 * the recipe's code: the neural separator's hybrid runs the recipe too, the other separators are not warmed.
 */
final class SeparatorWarmUp {
    /** Six windows of the recipe's 1 s grid (4.75 s of audio): as much as the set-up's warm-up used to separate. */
    static final int WINDOWS = 6;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private SeparatorWarmUp() {
    }

    /**
     * Starts the warm-up for an engine at {@code format} separating with {@code separatorName}, unless it ran
     * already in this JVM or that separator does not run the recipe. Returns the thread, or null.
     */
    static Thread start(String separatorName, AudioFormat format) {
        if (!warms(separatorName) || !STARTED.compareAndSet(false, true)) return null;
        Thread t = new Thread(() -> run(format), "stemroom-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Whether the engine of a separator so named runs the recipe (the model-free one, or the neural hybrid). */
    static boolean warms(String separatorName) {
        String name = Separators.canonical(separatorName);
        return name.equals(Separators.MODEL_FREE) || name.equals(Separators.NEURAL);
    }

    private static void run(AudioFormat format) {
        PluginInstance.lowestPriority();
        separate(format);
    }

    /** Separates the warm-up's noise in {@code format} (the engine's input: mono or stereo); false if the recipe failed. */
    static boolean separate(AudioFormat format) {
        Separation separation = SeparatedEngine.separation(Separators.modelFree(false));
        int window = separation.grid(format.sampleRate()).window();
        int hop = separation.grid(format.sampleRate()).hop();
        int frames = window + (WINDOWS - 1) * hop;
        float[][] x = new float[format.channels()][frames];
        long seed = 0x5EEDL;
        for (float[] c : x) seed = PluginInstance.noise(c, seed);
        try {
            return separation.separate(new AudioClip(format, x), Progress.NONE).frames() == frames;
        } catch (StemroomException | RuntimeException e) {
            return false; // only the engine's own worker reports separation failures: this one just compiled less
        }
    }
}
