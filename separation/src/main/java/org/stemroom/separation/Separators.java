package org.stemroom.separation;

import java.util.List;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.separation.modelfree.WienerRefinement;
import org.stemroom.separation.onnx.BuiltinModels;
import org.stemroom.separation.onnx.OnnxSeparator;

/**
 * The two four-stem separators every entry point offers (stemroom separate, render and its presets, the plugin),
 * and the one constant that decides which of them "default" means.
 *
 * <ul>
 *   <li>{@value #NEURAL}: the project's own trained model shipped in the jar ({@link BuiltinModels#STEMROOM_UNMIX}),
 *       run through ONNX Runtime, then optionally refined by Wiener filtering ({@link #NEURAL_WIENER_ITERATIONS} EM
 *       iterations). The shipped model is a hybrid ({@link org.stemroom.separation.onnx.HybridSeparator}): it
 *       refines the model-free recipe's stems window by window. When the model is missing or fails to load, the
 *       model-free recipe runs instead and {@link Opened#warning()} says why; nothing crashes.</li>
 *   <li>{@value #MODEL_FREE}: the model-free recipe (HPSS drums, bass band, pitch-tracked lead, Wiener step).</li>
 * </ul>
 */
public final class Separators {
    public static final String NEURAL = "neural";
    public static final String MODEL_FREE = "modelfree";
    /** What "default" means everywhere; other spellings users may type for the model-free recipe. */
    public static final String DEFAULT_ALIAS = "default";

    /**
     * THE switch for the default separator of {@code stemroom separate}, {@code stemroom render} (presets that say
     * "default") and the plugin's default separation mode. It becomes {@link #NEURAL} only when the held-out
     * evaluation ({@code bench/neural-eval.sh}) shows the model beating the model-free recipe.
     */
    public static final String DEFAULT = MODEL_FREE;

    /**
     * Wiener EM iterations after the network. 0 for the shipped hybrid: on the held-out songs one iteration cost the
     * bass 1.0 dB (stereo) and 1.1 dB (mono) SI-SDR for +0.1 to +0.4 dB on drums and lead (bench/neural-eval.sh).
     */
    public static final int NEURAL_WIENER_ITERATIONS = 0;

    /** The stems both separators give, in the model-free recipe's order. */
    public static final List<String> STEMS = List.of("drums", "bass", "vocals", "other");

    private Separators() { }

    /** A separator ready to run, and the reason when it is a fallback for the one asked for (else null). */
    public record Opened(Separator separator, String requested, String warning) {
        public boolean fellBack() { return warning != null; }
    }

    /** {@value #NEURAL}, {@value #MODEL_FREE} or {@value #DEFAULT_ALIAS} (= {@link #DEFAULT}) -&gt; the canonical name. */
    public static String canonical(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals(DEFAULT_ALIAS)) return DEFAULT;
        if (n.equals("model-free")) return MODEL_FREE;
        return n;
    }

    /** Opens {@value #NEURAL} or {@value #MODEL_FREE} (or the default); {@code fast} drops the Wiener step. */
    public static Opened open(String name, boolean fast) throws StemroomException {
        String n = canonical(name);
        if (n.equals(NEURAL)) return neural(fast ? 0 : NEURAL_WIENER_ITERATIONS);
        if (n.equals(MODEL_FREE)) return new Opened(modelFree(fast), MODEL_FREE, null);
        throw new StemroomException("unknown separator '" + name + "' (" + NEURAL + ", " + MODEL_FREE + ", "
                + DEFAULT_ALIAS + ")");
    }

    /** The model-free recipe, with or without its Wiener step. */
    public static Separator modelFree(boolean fast) {
        ModelFreeSeparators.Settings s = new ModelFreeSeparators.Settings();
        if (fast) s.wiener = 0;
        return ModelFreeSeparators.defaultRecipe(s);
    }

    /**
     * The built-in neural separator followed by {@code wienerIterations} of Wiener refinement, or, when the model
     * cannot be used (missing from the build, unreadable, wrong checksum, ONNX Runtime unavailable, stems other than
     * {@link #STEMS}), the model-free recipe with a warning naming the problem.
     */
    public static Opened neural(int wienerIterations) {
        Separator model = null;
        try {
            model = OnnxSeparator.load(BuiltinModels.manifest(BuiltinModels.STEMROOM_UNMIX));
            if (!(model.stemNames().size() == STEMS.size() && model.stemNames().containsAll(STEMS))) {
                throw new StemroomException("built-in model gives stems " + model.stemNames() + ", expected " + STEMS);
            }
            return new Opened(new WienerRefinement(NEURAL, model, wienerIterations), NEURAL, null);
        } catch (StemroomException | RuntimeException | LinkageError e) {
            if (model instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) model).close();
                } catch (Exception ignored) {
                    // the session is being dropped anyway
                }
            }
            String why = e.getMessage() != null ? e.getMessage() : e.toString();
            return new Opened(modelFree(wienerIterations == 0), NEURAL, "neural separator unavailable (" + why
                    + "); using the model-free recipe instead");
        }
    }
}
