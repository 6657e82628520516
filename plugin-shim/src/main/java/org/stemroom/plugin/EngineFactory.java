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
            RoomImpulseResponse room = null;
            if (roomName != null) {
                room = SyntheticRoom.t60(roomName) > 0
                        ? SyntheticRoom.impulseResponse(roomName, input.sampleRate(), layout)
                        : RoomLibrary.load(roomName, input.sampleRate());
            }
            PluginEngine engine = new RenderChainEngine(state.toPreset(), state.layout(), layout, room,
                    input.channels());
            engine.prepare(input, maxBlock);
            return engine;
        }
        if (!sep.equals("default")) {
            throw new StemroomException("separator '" + sep + "' cannot run in the plugin yet (model-free default"
                    + " or none); choose 'model-free'");
        }
        RoomImpulseResponse room = null;
        if (roomName != null) {
            room = SyntheticRoom.t60(roomName) > 0
                    ? SyntheticRoom.impulseResponse(roomName, input.sampleRate(), layout)
                    : RoomLibrary.forStem(RoomLibrary.load(roomName, input.sampleRate()), layout, 1);
        }
        double[] lfe = new double[PluginParameters.STEMS.size()];
        for (int s = 0; s < lfe.length; s++) lfe[s] = state.lfeGain(s);
        PluginEngine engine = new PlacementRoomEngine(layout, room, state.normalized(), lfe);
        engine.prepare(input, maxBlock);
        return engine;
    }
}
