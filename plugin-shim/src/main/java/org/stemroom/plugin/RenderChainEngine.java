package org.stemroom.plugin;

import java.util.List;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.presets.Preset;
import org.stemroom.presets.StemSettings;
import org.stemroom.workstation.render.RoomLibrary;
import org.stemroom.workstation.render.SeparatorLibrary;
import org.stemroom.workstation.render.StemChains;

/**
 * The workstation's render pipeline inside the plugin, for presets whose separator is
 * {@value SeparatorLibrary#NONE} (the whole master is one stem, "mix"): the very {@link StemChains} that
 * {@code stemroom render} builds (the spatializer's panner, the room, the balance rules), so the plugin gives the
 * samples of the render's pre-master mix, delayed by the reported latency. The mix stem takes its placement from
 * the preset (the plugin's per-stem parameters name the four separated stems, so they do not apply here); the
 * room's wet level acts live.
 */
public final class RenderChainEngine implements PluginEngine {
    private final StemChains chains;
    private final AudioBuffer[] in = new AudioBuffer[1];
    private AudioFormat format;

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
        this.chains = StemChains.of(layout, List.of("mix"), List.of(settings), new int[] {inputChannels}, room, wet,
                dry, false);
    }

    @Override
    public void setParameter(int id, double plain) {
        if (id == PluginParameters.WET) chains.setRoomWet(Math.pow(10, plain / 20));
    }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        chains.prepare(List.of(inputFormat), maxBlockFrames);
        format = new AudioFormat(inputFormat.sampleRate(), chains.layout());
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        in[0] = input;
        chains.processMix(in, output);
    }

    @Override
    public void reset() {
        chains.reset();
    }

    @Override
    public AudioFormat outputFormat() {
        return format;
    }

    @Override
    public int latencyFrames() {
        return chains.latencyFrames();
    }

    @Override
    public long tailFrames() {
        return chains.tailFrames();
    }
}
