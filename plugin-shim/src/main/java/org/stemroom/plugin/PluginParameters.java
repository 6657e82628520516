package org.stemroom.plugin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The plugin's parameters, in VST3 parameter-ID order. The C shim answers the same table natively (so host
 * scans need no JVM, src/main/c/params.c); {@code PluginBundleIT} compares the two through the test host.
 * Values travel normalized (0..1) as VST3 wants; {@link Param#toPlain} gives the preset's units.
 */
public final class PluginParameters {

    public static final List<String> STEMS = List.of("vocals", "drums", "bass", "other");
    public static final int PER_STEM = 6;
    public static final int AZIMUTH = 0, DISTANCE = 1, WIDTH = 2, LEVEL = 3, ROOM_SEND = 4, MUTE = 5;
    public static final int ROOM = STEMS.size() * PER_STEM;
    public static final int WET = ROOM + 1;
    public static final int LAYOUT = ROOM + 2;
    public static final int SEPARATION = ROOM + 3;
    public static final int BYPASS = ROOM + 4;
    public static final int STATUS = ROOM + 5;
    public static final int COUNT = ROOM + 6;

    /** VST3 ParameterInfo flags. */
    public static final int CAN_AUTOMATE = 1, READ_ONLY = 1 << 1, IS_LIST = 1 << 3, IS_BYPASS = 1 << 16;

    /** "none", room-ir's built-in rooms, and "custom": the preset names an IR file or room.json. */
    public static final List<String> ROOMS = List.of("none", "vocal-booth", "live-room", "scoring-stage",
            "small-club", "bright-plate", "custom (from preset)");
    public static final int ROOM_CUSTOM = 6;
    public static final List<String> LAYOUTS = List.of("follow output bus", "stereo", "5.1", "7.1");
    public static final List<String> SEPARATIONS = List.of("model-free", "model", "none (whole mix)");
    public static final List<String> STATUSES = List.of("not started", "running", "pass-through: no JVM",
            "pass-through: engine error");

    private static final double[] STEM_DISTANCE = {2, 3, 3, 3};
    private static final double[] STEM_WIDTH = {0, 60, 0, 120};

    /** One parameter: plain range, default, steps (0 = continuous), flags and step names. */
    public record Param(int id, String title, String units, double min, double max, double defaultPlain, int steps,
                        int flags, List<String> names) {
        public double toPlain(double normalized) {
            double v = Math.max(0, Math.min(1, normalized));
            if (steps > 0) return min + Math.floor(v * steps + 0.5) * (max - min) / steps;
            return min + v * (max - min);
        }

        public double toNormalized(double plain) {
            double v = (plain - min) / (max - min);
            v = Math.max(0, Math.min(1, v));
            if (steps > 0) v = Math.floor(v * steps + 0.5) / steps;
            return v;
        }

        public double defaultNormalized() {
            return toNormalized(defaultPlain);
        }

        /** Whether a change needs a new engine (room, layout, separator) rather than a smooth ramp. */
        public boolean structural() {
            return id == ROOM || id == LAYOUT || id == SEPARATION;
        }
    }

    private static final List<Param> PARAMS;

    static {
        List<Param> p = new ArrayList<>();
        List<String> offOn = List.of("off", "on");
        for (int s = 0; s < STEMS.size(); s++) {
            String n = Character.toUpperCase(STEMS.get(s).charAt(0)) + STEMS.get(s).substring(1);
            int b = s * PER_STEM;
            p.add(new Param(b + AZIMUTH, n + " azimuth", "deg", -180, 180, 0, 0, CAN_AUTOMATE, null));
            p.add(new Param(b + DISTANCE, n + " distance", "m", 0.25, 50, STEM_DISTANCE[s], 0, CAN_AUTOMATE, null));
            p.add(new Param(b + WIDTH, n + " width", "deg", 0, 360, STEM_WIDTH[s], 0, CAN_AUTOMATE, null));
            p.add(new Param(b + LEVEL, n + " level", "dB", -60, 12, 0, 0, CAN_AUTOMATE, null));
            p.add(new Param(b + ROOM_SEND, n + " room send", "dB", -60, 12, 0, 0, CAN_AUTOMATE, null));
            p.add(new Param(b + MUTE, n + " mute", "", 0, 1, 0, 1, CAN_AUTOMATE | IS_LIST, offOn));
        }
        p.add(new Param(ROOM, "Room", "", 0, 6, 2, 6, IS_LIST, ROOMS));
        p.add(new Param(WET, "Room wet level", "dB", -60, 12, 0, 0, CAN_AUTOMATE, null));
        p.add(new Param(LAYOUT, "Output layout", "", 0, 3, 0, 3, IS_LIST, LAYOUTS));
        // the default entry follows the one default separator (params.c must state the same default)
        p.add(new Param(SEPARATION, "Separation mode", "", 0, 2, PluginState.defaultSeparationIndex(), 2, IS_LIST,
                SEPARATIONS));
        p.add(new Param(BYPASS, "Bypass", "", 0, 1, 0, 1, CAN_AUTOMATE | IS_BYPASS | IS_LIST, offOn));
        p.add(new Param(STATUS, "Engine status", "", 0, 3, 0, 3, READ_ONLY | IS_LIST, STATUSES));
        PARAMS = Collections.unmodifiableList(p);
    }

    private PluginParameters() {
    }

    public static List<Param> all() {
        return PARAMS;
    }

    public static Param get(int id) {
        return PARAMS.get(id);
    }

    public static int stemParam(int stem, int which) {
        return stem * PER_STEM + which;
    }
}
