package org.stemroom.workstation.render;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.Separator;
import org.stemroom.separation.Separators;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.separation.onnx.OnnxSeparator;

/**
 * The separators a render can name (in a preset's {@code separator.name} or with {@code --separator}), and
 * {@code stemroom separate --method}, and the plugin: the one place separator names resolve.
 * {@code default} stands for {@link Separators#DEFAULT} (the one switch between the neural and the model-free
 * separator); {@code neural} falls back to the model-free recipe with a warning when its model cannot be used.
 */
public final class SeparatorLibrary {
    /** No separation: the whole master is one stem, "mix", placed and put into the room as one source. */
    public static final String NONE = "none";

    private SeparatorLibrary() { }

    /** A neural separator: {@code model:PATH} names its manifest (see the separation section of the README). */
    public static final String MODEL_PREFIX = "model:";

    public static List<String> names() {
        return List.of(Separators.DEFAULT_ALIAS, Separators.NEURAL, Separators.MODEL_FREE, "hpss", "spatial", "repet",
                NONE, MODEL_PREFIX + "MANIFEST.json");
    }

    /** Warnings (a neural separator that fell back) go to standard error, prefixed "stemroom: warning:". */
    public static Separator create(String name) throws StemroomException {
        return create(name, false, w -> System.err.println("stemroom: warning: " + w));
    }

    /**
     * @param fast     without the Wiener refinement (model-free recipe and neural alike)
     * @param warnings told why "neural" runs the model-free recipe instead, when it does
     */
    public static Separator create(String name, boolean fast, Consumer<String> warnings) throws StemroomException {
        switch (name) {
            case Separators.DEFAULT_ALIAS:
            case Separators.NEURAL:
            case Separators.MODEL_FREE:
            case "model-free": {
                Separators.Opened o = Separators.open(name, fast);
                if (o.fellBack()) warnings.accept(o.warning());
                return o.separator();
            }
            case "hpss": return ModelFreeSeparators.hpss();
            case "spatial": return ModelFreeSeparators.spatial();
            case "repet": return ModelFreeSeparators.repet();
            case NONE: return new WholeMix();
            default:
                if (name.startsWith(MODEL_PREFIX)) return OnnxSeparator.load(Path.of(name.substring(MODEL_PREFIX.length())));
                throw new StemroomException("unknown separator '" + name + "' (available: " + String.join(", ", names())
                        + ")");
        }
    }

    /** A preset's separator choice: its name, or for "model" the manifest in its options. */
    public static String nameFor(org.stemroom.presets.SeparatorChoice choice) {
        if ("model".equals(choice.name()) && choice.options().get("manifest") != null) {
            return MODEL_PREFIX + choice.options().get("manifest");
        }
        return choice.name();
    }

    /** The identity "separator": one stem that is the mixture itself. */
    static final class WholeMix implements Separator {
        @Override public String name() { return NONE; }
        @Override public List<String> stemNames() { return List.of("mix"); }

        @Override
        public StemSet separate(AudioClip mixture) {
            return new StemSet(mixture.format(), mixture.frames()).put("mix", mixture.copy());
        }
    }
}
