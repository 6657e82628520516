package org.stemroom.plugin;

import static org.stemroom.plugin.PluginParameters.*;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stemroom.core.StemroomException;
import org.stemroom.presets.LayoutPlacement;
import org.stemroom.presets.MasterSettings;
import org.stemroom.presets.Preset;
import org.stemroom.presets.Presets;
import org.stemroom.presets.RoomChoice;
import org.stemroom.presets.SeparatorChoice;
import org.stemroom.presets.StemSettings;
import org.stemroom.separation.Separators;

/**
 * The plugin's state: a stemroom preset, of which the plugin's parameters show the part that applies to the
 * layout being rendered. What the parameters do not cover (elevation, LFE sends, the other layouts, custom
 * room files, separator options, the master stage) is kept from the preset unchanged, so a preset survives a
 * round trip through the DAW byte for byte in meaning.
 *
 * <p>Not thread-safe: the bridge calls it from the control thread only; the audio thread reads the
 * parameter array it is handed.
 */
public final class PluginState {
    private Preset base;
    private String layout = "5.1";
    private final double[] normalized = new double[COUNT];

    public PluginState() {
        this.base = defaultPreset();
        readParams();
    }

    /** Defaults matching the parameter table; no master stage (a DAW's own master section does that job). */
    public static Preset defaultPreset() {
        Map<String, LayoutPlacement> layouts = new LinkedHashMap<>();
        for (String l : Preset.LAYOUTS) {
            Map<String, StemSettings> stems = new LinkedHashMap<>();
            for (int s = 0; s < STEMS.size(); s++) {
                stems.put(STEMS.get(s), new StemSettings(
                        get(stemParam(s, AZIMUTH)).defaultPlain(), 0,
                        get(stemParam(s, DISTANCE)).defaultPlain(),
                        get(stemParam(s, WIDTH)).defaultPlain(),
                        get(stemParam(s, LEVEL)).defaultPlain(), false, null,
                        get(stemParam(s, ROOM_SEND)).defaultPlain()));
            }
            layouts.put(l, new LayoutPlacement(stems));
        }
        return new Preset(Preset.FORMAT_VERSION, "plugin-default", "stemroom plugin defaults", null,
                SeparatorChoice.defaults(),
                new RoomChoice(ROOMS.get((int) get(ROOM).defaultPlain()), get(WET).defaultPlain(), 0),
                layouts, new MasterSettings(null, null, MasterSettings.DEFAULT_LOOKAHEAD_MS,
                MasterSettings.DEFAULT_RELEASE_MS));
    }

    /** The preset layout the parameters edit ("stereo", "5.1", "7.1"). */
    public String layout() {
        return layout;
    }

    /** Switches the layout the parameters edit, keeping the edits made to the previous one. */
    public void setLayout(String newLayout) {
        if (newLayout.equals(layout)) return;
        base = toPreset();
        layout = newLayout;
        readParams();
    }

    /** The live parameter values (normalized), shared with the audio thread. */
    public double[] normalized() {
        return normalized;
    }

    public double plain(int id) {
        return get(id).toPlain(normalized[id]);
    }

    /** Parses a preset (the bytes a DAW saved); empty or "{}" means the defaults. */
    public void load(byte[] json) throws StemroomException {
        String text = new String(json, StandardCharsets.UTF_8).trim();
        Preset p = text.isEmpty() || text.equals("{}") ? defaultPreset() : Presets.parse(text, "plugin state");
        base = p;
        readParams();
    }

    public byte[] save() {
        return Presets.toJson(toPreset()).getBytes(StandardCharsets.UTF_8);
    }

    /** The room named by the preset (null: none). A name the room list lacks is a custom room. */
    public String roomName() {
        int idx = (int) plain(ROOM);
        if (idx == 0) return null;
        if (idx == ROOM_CUSTOM) return base.room() == null ? null : base.room().name();
        return ROOMS.get(idx);
    }

    /**
     * The separator the "Separation mode" parameter chooses: 0 the model-free recipe, 1 a model (the preset's own
     * when it names one, else the built-in neural model), 2 none. A preset saying "default" keeps saying so while
     * the parameter stays on {@link Separators#DEFAULT}'s entry, so presets round-trip unchanged.
     */
    public String separatorName() {
        int idx = (int) plain(SEPARATION);
        String n = base.separator().name();
        boolean saysDefault = n.equals(SeparatorChoice.DEFAULT);
        if (idx == 2) return SEPARATOR_NONE;
        if (idx == 0) return saysDefault && defaultSeparationIndex() == 0 ? SeparatorChoice.DEFAULT : Separators.MODEL_FREE;
        if (saysDefault) return defaultSeparationIndex() == 1 ? SeparatorChoice.DEFAULT : Separators.NEURAL;
        return separationIndex(n) == 1 ? n : Separators.NEURAL;
    }

    /** The "Separation mode" entry of {@link Separators#DEFAULT}: 0 model-free, 1 model (neural). */
    public static int defaultSeparationIndex() {
        return Separators.DEFAULT.equals(Separators.NEURAL) ? 1 : 0;
    }

    /** The "Separation mode" entry a preset's separator name selects. */
    static int separationIndex(String name) {
        if (name.equals(SeparatorChoice.DEFAULT)) return defaultSeparationIndex();
        if (name.equals(SEPARATOR_NONE)) return 2;
        return Separators.canonical(name).equals(Separators.MODEL_FREE) ? 0 : 1;
    }

    /** The render's "no separation" separator: the whole master is one stem. */
    public static final String SEPARATOR_NONE = "none";

    /** LFE send gain (linear) of a stem in the current layout, from the preset (0 = none). */
    public double lfeGain(int stem) {
        StemSettings s = placement().forStem(STEMS.get(stem));
        return s.lfeSendDb() == null ? 0 : Math.pow(10, s.lfeSendDb() / 20);
    }

    /** The whole preset with the parameters written into the current layout. */
    public Preset toPreset() {
        Map<String, LayoutPlacement> layouts = new LinkedHashMap<>(base.layouts());
        Map<String, StemSettings> stems = new LinkedHashMap<>(placement().stems());
        for (int s = 0; s < STEMS.size(); s++) {
            StemSettings old = placement().forStem(STEMS.get(s));
            stems.put(STEMS.get(s), new StemSettings(plain(stemParam(s, AZIMUTH)), old.elevation(),
                    plain(stemParam(s, DISTANCE)), plain(stemParam(s, WIDTH)), plain(stemParam(s, LEVEL)),
                    plain(stemParam(s, MUTE)) >= 0.5, old.lfeSendDb(), plain(stemParam(s, ROOM_SEND))));
        }
        layouts.put(layout, new LayoutPlacement(stems));
        String roomName = roomName();
        double dry = base.room() == null ? 0 : base.room().dryDb();
        RoomChoice room = roomName == null ? null : new RoomChoice(roomName, plain(WET), dry);
        SeparatorChoice sep = separatorName().equals(base.separator().name()) ? base.separator()
                : new SeparatorChoice(separatorName(), Map.of());
        int layoutIdx = (int) plain(LAYOUT);
        String defaultLayout = layoutIdx == 0 ? base.defaultLayout() : LAYOUTS.get(layoutIdx);
        return new Preset(base.version(), base.name(), base.description(), defaultLayout, sep, room, layouts,
                base.master());
    }

    private LayoutPlacement placement() {
        LayoutPlacement p = base.layouts().get(layout);
        return p != null ? p : defaultPreset().layouts().get(layout);
    }

    private void readParams() {
        for (int i = 0; i < COUNT; i++) normalized[i] = get(i).defaultNormalized();
        LayoutPlacement p = placement();
        for (int s = 0; s < STEMS.size(); s++) {
            StemSettings st = p.forStem(STEMS.get(s));
            set(stemParam(s, AZIMUTH), st.azimuth());
            set(stemParam(s, DISTANCE), st.distance());
            set(stemParam(s, WIDTH), st.width());
            set(stemParam(s, LEVEL), st.levelDb());
            set(stemParam(s, ROOM_SEND), st.roomSendDb());
            set(stemParam(s, MUTE), st.mute() ? 1 : 0);
        }
        RoomChoice room = base.room();
        if (room == null) {
            set(ROOM, 0);
        } else {
            int idx = ROOMS.indexOf(room.name());
            set(ROOM, idx > 0 && idx < ROOM_CUSTOM ? idx : ROOM_CUSTOM);
            set(WET, room.wetDb());
        }
        set(SEPARATION, separationIndex(base.separator().name()));
        int li = base.defaultLayout() == null ? 0 : LAYOUTS.indexOf(base.defaultLayout());
        set(LAYOUT, Math.max(li, 0));
    }

    private void set(int id, double plain) {
        normalized[id] = get(id).toNormalized(plain);
    }
}
