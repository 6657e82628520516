package org.stemroom.presets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The placement of every stem for one output layout. A stem the map does not name takes the
 * {@value #DEFAULT_KEY} entry; without one it sits in front, centred, at the default distance.
 */
public record LayoutPlacement(Map<String, StemSettings> stems) {
    public static final String DEFAULT_KEY = "default";

    public LayoutPlacement {
        stems = Collections.unmodifiableMap(new LinkedHashMap<>(stems));
    }

    public StemSettings forStem(String stem) {
        StemSettings s = stems.get(stem);
        if (s == null) s = stems.get(DEFAULT_KEY);
        return s != null ? s : StemSettings.at(0);
    }
}
