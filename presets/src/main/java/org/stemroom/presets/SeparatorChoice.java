package org.stemroom.presets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which separator splits the master into stems, with its own options (passed on unchanged). */
public record SeparatorChoice(String name, Map<String, Object> options) {
    public static final String DEFAULT = "default";

    public SeparatorChoice {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options == null ? Map.of() : options));
    }

    public static SeparatorChoice defaults() {
        return new SeparatorChoice(DEFAULT, Map.of());
    }
}
