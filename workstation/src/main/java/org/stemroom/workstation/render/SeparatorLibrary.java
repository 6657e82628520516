package org.stemroom.workstation.render;

import java.nio.file.Path;
import java.util.List;
import org.stemroom.core.AudioClip;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.separation.onnx.OnnxSeparator;

/** The separators a render can name (in a preset's {@code separator.name} or with {@code --separator}). */
public final class SeparatorLibrary {
    /** No separation: the whole master is one stem, "mix", placed and put into the room as one source. */
    public static final String NONE = "none";

    private SeparatorLibrary() { }

    /** A neural separator: {@code model:PATH} names its manifest (see the separation section of the README). */
    public static final String MODEL_PREFIX = "model:";

    public static List<String> names() {
        return List.of("default", "hpss", "spatial", "repet", NONE, MODEL_PREFIX + "MANIFEST.json");
    }

    public static Separator create(String name) throws StemroomException {
        switch (name) {
            case "default": return ModelFreeSeparators.defaultRecipe();
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
