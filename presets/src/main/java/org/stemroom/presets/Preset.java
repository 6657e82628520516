package org.stemroom.presets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.StemroomException;

/**
 * A render recipe: which separator, how each stem is placed for each output layout, which room, and the
 * master stage targets. Read with {@link Presets}; the file format is described by
 * {@code preset.schema.json} (format version {@value #FORMAT_VERSION}).
 */
public record Preset(int version, String name, String description, String defaultLayout, SeparatorChoice separator,
                     RoomChoice room, Map<String, LayoutPlacement> layouts, MasterSettings master) {

    public static final int FORMAT_VERSION = 1;
    /** Output layouts a preset can describe, in the order they are listed. */
    public static final List<String> LAYOUTS = List.of("stereo", "5.1", "7.1");

    public Preset {
        layouts = Collections.unmodifiableMap(new LinkedHashMap<>(layouts));
    }

    /** The placement for {@code layout}, or an error naming the layouts this preset has. */
    public LayoutPlacement placementFor(String layout) throws StemroomException {
        LayoutPlacement p = layouts.get(layout);
        if (p == null) {
            throw new StemroomException("preset '" + name + "' has no placement for layout '" + layout
                    + "' (it has: " + String.join(", ", layouts.keySet()) + ")");
        }
        return p;
    }

    /** The layout rendered when none is asked for: {@link #defaultLayout} or the first one listed. */
    public String layoutOrDefault() {
        if (defaultLayout != null) return defaultLayout;
        return new ArrayList<>(layouts.keySet()).get(0);
    }

    public Preset withRoom(RoomChoice newRoom) {
        return new Preset(version, name, description, defaultLayout, separator, newRoom, layouts, master);
    }

    public Preset withSeparator(SeparatorChoice newSeparator) {
        return new Preset(version, name, description, defaultLayout, newSeparator, room, layouts, master);
    }

    public Preset withMaster(MasterSettings newMaster) {
        return new Preset(version, name, description, defaultLayout, separator, room, layouts, newMaster);
    }
}
