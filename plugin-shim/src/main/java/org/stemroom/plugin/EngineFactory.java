package org.stemroom.plugin;

import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.workstation.render.RoomLibrary;
import org.stemroom.workstation.render.SeparatorLibrary;

/**
 * Chooses and builds the engine for a plugin state. This is the one place that decides which
 * {@link PluginEngine} runs inside the DAW; the offline reference in the tests builds its engine here too.
 */
public final class EngineFactory {
    private EngineFactory() {
    }

    /** A prepared engine for {@code state} rendering {@code layout} from {@code input}. */
    public static PluginEngine create(PluginState state, AudioFormat input, ChannelLayout layout, int maxBlock)
            throws StemroomException {
        String sep = state.separatorName();
        String roomName = state.roomName();
        if (sep.equals(SeparatorLibrary.NONE)) {
            RoomLibrary.Room room = roomName == null ? null : RoomLibrary.load(roomName, layout, input.sampleRate());
            PluginEngine engine = new RenderChainEngine(state.toPreset(), state.layout(), layout, room,
                    input.channels());
            engine.prepare(input, maxBlock);
            return engine;
        }
        if (!sep.equals("default")) {
            throw new StemroomException("separator '" + sep + "' cannot run in the plugin yet (model-free default"
                    + " or none); choose 'model-free'");
        }
        // Real separation (the separation module's streaming separator, default model-free recipe) into the
        // render's per-stem chains.
        RoomLibrary.Room room = roomName == null ? null : RoomLibrary.load(roomName, layout, input.sampleRate());
        PluginEngine engine = new SeparatedEngine(SeparatedEngine.separator(ModelFreeSeparators.defaultRecipe()),
                SeparatedEngine.chains(state.toPreset(), state.layout(), layout, room, input.channels()), layout,
                state.normalized());
        engine.prepare(input, maxBlock);
        return engine;
    }
}
