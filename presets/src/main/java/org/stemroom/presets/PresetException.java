package org.stemroom.presets;

import java.util.List;
import org.stemroom.core.StemroomException;

/** A preset that does not follow the format; each error names the JSON path at fault and what is allowed. */
public final class PresetException extends StemroomException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> errors;

    public PresetException(String source, List<String> errors) {
        super(source + ": " + errors.get(0) + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
        this.errors = List.copyOf(errors);
    }

    /** Every error, each as "$.json.path: problem (allowed ...)". */
    public List<String> errors() {
        return errors;
    }
}
