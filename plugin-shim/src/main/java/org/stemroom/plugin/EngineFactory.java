package org.stemroom.plugin;

import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.room.RoomImpulseResponse;

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
        if (!sep.equals("default")) {
            throw new StemroomException("separator '" + sep + "' cannot run in the plugin yet (only the model-free"
                    + " default); choose 'model-free'");
        }
        String roomName = state.roomName();
        RoomImpulseResponse room = null;
        if (roomName != null) {
            if (SyntheticRoom.t60(roomName) < 0) {
                throw new StemroomException("room '" + roomName + "' is not a built-in room the plugin can load"
                        + " (built-in: vocal-booth, live-room, scoring-stage)");
            }
            room = SyntheticRoom.impulseResponse(roomName, input.sampleRate(), layout);
        }
        double[] lfe = new double[PluginParameters.STEMS.size()];
        for (int s = 0; s < lfe.length; s++) lfe[s] = state.lfeGain(s);
        PluginEngine engine = new PlacementRoomEngine(layout, room, state.normalized(), lfe);
        engine.prepare(input, maxBlock);
        return engine;
    }
}
