package org.stemroom.plugin;

import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.room.RoomImpulseResponse;
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
        // The render's rooms (room-ir's built-in rooms, cached after their first synthesis, or IR files), heard
        // from the front: one send bus feeds the room.
        RoomImpulseResponse room = roomName == null ? null
                : RoomLibrary.forStem(RoomLibrary.load(roomName, layout, input.sampleRate()), layout, new double[] {0});
        double[] lfe = new double[PluginParameters.STEMS.size()];
        for (int s = 0; s < lfe.length; s++) lfe[s] = state.lfeGain(s);
        PluginEngine engine = new PlacementRoomEngine(layout, room, state.normalized(), lfe);
        engine.prepare(input, maxBlock);
        return engine;
    }
}
