package org.stemroom.workstation.render;

import java.util.List;
import org.stemroom.core.AudioClip;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSet;

/** The separators a render can name (in a preset's {@code separator.name} or with {@code --separator}). */
public final class SeparatorLibrary {
    /** No separation: the whole master is one stem, "mix", placed and put into the room as one source. */
    public static final String NONE = "none";

    private SeparatorLibrary() { }

    public static List<String> names() {
        return List.of(NONE);
    }

    public static Separator create(String name) throws StemroomException {
        if (NONE.equals(name)) return new WholeMix();
        throw new StemroomException("unknown separator '" + name + "' (available: " + String.join(", ", names()) + ")");
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
