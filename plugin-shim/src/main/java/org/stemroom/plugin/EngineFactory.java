package org.stemroom.plugin;

import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.Separator;
import org.stemroom.separation.Separators;
import org.stemroom.workstation.render.RoomLibrary;
import org.stemroom.workstation.render.SeparatorLibrary;
import java.util.function.Consumer;

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
        return create(state, input, layout, maxBlock, w -> { });
    }

    /**
     * @param warnings told why the separator runs a fallback (the neural model could not be used: the model-free
     *                 recipe runs instead); the plugin shows it in its status
     */
    public static PluginEngine create(PluginState state, AudioFormat input, ChannelLayout layout, int maxBlock,
                                      Consumer<String> warnings) throws StemroomException {
        String sep = state.separatorName();
        String roomName = state.roomName();
        if (sep.equals(SeparatorLibrary.NONE)) {
            RoomLibrary.Room room = roomName == null ? null : RoomLibrary.load(roomName, layout, input.sampleRate());
            PluginEngine engine = new RenderChainEngine(state.toPreset(), state.layout(), layout, room,
                    input.channels());
            engine.prepare(input, maxBlock);
            return engine;
        }
        StartupTrace trace = StartupTrace.start();
        Separator recipe = separator(state, warnings);
        trace.mark("separator '" + state.separatorName() + "' created");
        // Real separation (the separation module's streaming separator) into the render's per-stem chains.
        RoomLibrary.Room room = roomName == null ? null : RoomLibrary.load(roomName, layout, input.sampleRate());
        trace.mark("room '" + roomName + "' loaded");
        PluginEngine engine = new SeparatedEngine(SeparatedEngine.separator(recipe),
                SeparatedEngine.chains(state.toPreset(), state.layout(), layout, room, input.channels()), layout,
                state.normalized());
        trace.mark("stem chains built");
        engine.prepare(input, maxBlock);
        trace.mark("engine prepared (separator worker started, room partitions transformed)");
        return engine;
    }

    /**
     * The separator a plugin state names, resolved like render's ({@link SeparatorLibrary}): "default" is
     * {@link Separators#DEFAULT}, "neural" the built-in model (model-free fallback, reason to {@code warnings}), a
     * preset's "model" its options.manifest. It must give the plugin's four stems.
     */
    static Separator separator(PluginState state, Consumer<String> warnings) throws StemroomException {
        String name = SeparatorLibrary.nameFor(state.toPreset().separator());
        if (name.equals("model")) {
            throw new StemroomException("separator 'model' needs options.manifest naming a model manifest in the preset");
        }
        Separator s = SeparatorLibrary.create(name, false, warnings);
        if (!s.stemNames().containsAll(PluginParameters.STEMS)) {
            if (s instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) s).close();
                } catch (Exception e) {
                    // dropped anyway
                }
            }
            throw new StemroomException("separator '" + name + "' gives " + s.stemNames() + "; the plugin places "
                    + PluginParameters.STEMS);
        }
        return s;
    }
}
