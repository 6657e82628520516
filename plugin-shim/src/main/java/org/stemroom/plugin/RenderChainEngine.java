package org.stemroom.plugin;

import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.presets.Preset;
import org.stemroom.presets.StemSettings;
import org.stemroom.room.RoomImpulseResponse;
import org.stemroom.workstation.render.PlacementMapping;
import org.stemroom.workstation.render.RoomLibrary;
import org.stemroom.workstation.render.SeparatorLibrary;
import org.stemroom.workstation.render.StemChain;

/**
 * The workstation's render pipeline inside the plugin, for presets whose separator is
 * {@value SeparatorLibrary#NONE} (the whole master is one stem, "mix"): the very {@link StemChain} that
 * {@code stemroom render} runs (the spatializer's panner, the room, the balance rules), so the plugin gives the
 * samples of the render's pre-master mix, delayed by the reported latency. The chain takes its placement from
 * the preset; the plugin's per-stem parameters drive the model-free engine ({@link PlacementRoomEngine}) and
 * are not applied here (a change of preset rebuilds the chain).
 */
public final class RenderChainEngine implements PluginEngine {
    private final StemChain chain;

    /**
     * @param preset the preset (its placement for {@code layout}'s stem "mix", its room levels)
     * @param room   the room loaded for {@code layout} at the stream's rate ({@link RoomLibrary#load}), or null
     */
    public RenderChainEngine(Preset preset, String layoutName, ChannelLayout layout, RoomLibrary.Room room,
                             int inputChannels) {
        StemSettings settings = preset.layouts().containsKey(layoutName)
                ? preset.layouts().get(layoutName).forStem("mix") : StemSettings.at(0);
        double wet = 1, dry = 1;
        if (preset.room() != null) {
            wet = Math.pow(10, preset.room().wetDb() / 20);
            dry = Math.pow(10, preset.room().dryDb() / 20);
        }
        double trim = Math.pow(10, settings.roomSendDb() / 20);
        // as the render does: each stem channel hears the room from its own direction
        double[] dirs = inputChannels == 1 ? new double[] {settings.azimuth()}
                : new double[] {settings.azimuth() + settings.width() / 2, settings.azimuth() - settings.width() / 2};
        RoomImpulseResponse stemRoom = room == null ? null : RoomLibrary.forStem(room, layout, dirs);
        this.chain = new StemChain("mix", layout, PlacementMapping.toPlacement(settings), stemRoom, wet * trim, dry);
    }

    @Override
    public void setParameter(int id, double plain) {
        // the render chain's placement is fixed per preset (see the class comment)
    }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        chain.prepare(inputFormat, maxBlockFrames);
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        chain.process(input, output);
    }

    @Override
    public void reset() {
        chain.reset();
    }

    @Override
    public AudioFormat outputFormat() {
        return chain.outputFormat();
    }

    @Override
    public int latencyFrames() {
        return chain.latencyFrames();
    }

    @Override
    public long tailFrames() {
        return chain.tailFrames();
    }
}
