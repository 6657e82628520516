package org.stemroom.workstation.render;

import java.util.ArrayList;
import java.util.List;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.BlockStageTimes;
import org.stemroom.core.ChannelLayout;
import org.stemroom.presets.StemSettings;
import org.stemroom.room.PartitionedConvolver;
import org.stemroom.room.RoomImpulseResponse;

/**
 * The stems of one mix on their way to the output layout, as {@code stemroom render}, {@code stemroom place} and
 * the plugin all build them: every stem's {@link StemChain} (panner and room send), and ONE room. Each stem
 * channel's room send goes to the bus of the room's measured source position nearest to its direction; the buses
 * (one per distinct source position) are convolved by a single {@link PartitionedConvolver} (buses x outputs).
 * Convolution is linear, so this equals convolving every stem on its own and summing (within float rounding), at
 * the cost and memory of one room instead of one per stem.
 *
 * <p>Latency: the direct sound of every stem is delayed to the room's latency, so all stems and the room come out
 * aligned, {@link #latencyFrames()} late.
 */
public final class StemChains {
    /** Latency of the live (plugin) room in frames: its first partition. */
    public static final int LIVE_ROOM_LATENCY = 512;

    private final ChannelLayout layout;
    private final StemChain[] chains;
    private final RoomImpulseResponse busRoom; // sources = buses; null: no room
    private final double[] busAzimuths;
    private final boolean live;

    private PartitionedConvolver convolver;
    private AudioBuffer bus;
    private AudioBuffer wet;
    private DelayLine wetDelay;
    private AudioBuffer[] scratch;
    private AudioBuffer roomScratch;
    private BlockStageTimes stageTimes; // the plugin bench's per-stage trace, or null
    private int latency;

    private StemChains(ChannelLayout layout, StemChain[] chains, RoomImpulseResponse busRoom, double[] busAzimuths,
                       boolean live) {
        this.live = live;
        this.layout = layout;
        this.chains = chains;
        this.busRoom = busRoom;
        this.busAzimuths = busAzimuths;
    }

    /**
     * The chains of a preset's stems.
     *
     * @param settings     each stem's settings, in mix order
     * @param stemChannels each stem's channel count (1 or 2)
     * @param room         the room loaded for {@code layout} ({@link RoomLibrary#load}), or null for none
     * @param wetGain      the room's wet level (linear); each stem's room-send trim is applied in its chain
     * @param dryGain      the room's dry level (linear)
     * @param live         true for the plugin: placements will move ({@link StemChain#setAzimuth}...), so every
     *                     source position of the room gets a bus, and the room runs a low-latency partition scheme
     *                     whose work is spread evenly over the blocks (latency {@value #LIVE_ROOM_LATENCY}
     *                     frames whatever the host's block sizes); false (render, place): only the positions the stems use now, and the
     *                     fastest offline scheme (large partitions, latency compensated by the caller)
     */
    public static StemChains of(ChannelLayout layout, List<String> names, List<StemSettings> settings,
                                int[] stemChannels, RoomLibrary.Room room, double wetGain, double dryGain,
                                boolean live) {
        StemChain[] c = new StemChain[names.size()];
        for (int k = 0; k < c.length; k++) {
            c[k] = new StemChain(names.get(k), layout, settings.get(k), room != null, wetGain, dryGain);
        }
        if (room == null) return new StemChains(layout, c, null, null, live);
        double[] az = room.sourceAzimuths();
        boolean[] used = new boolean[az.length];
        if (live) {
            for (int s = 0; s < az.length; s++) used[RoomLibrary.nearestSource(az, az[s])] = true;
        } else {
            for (int k = 0; k < c.length; k++) {
                double a = c[k].placement().azimuth();
                double w = c[k].placement().width();
                if (stemChannels[k] == 1) {
                    used[RoomLibrary.nearestSource(az, a)] = true;
                } else {
                    used[RoomLibrary.nearestSource(az, a + w / 2)] = true;
                    used[RoomLibrary.nearestSource(az, a - w / 2)] = true;
                }
            }
        }
        List<Double> dirs = new ArrayList<>();
        for (int s = 0; s < az.length; s++) if (used[s]) dirs.add(az[s]);
        double[] busAz = new double[dirs.size()];
        for (int b = 0; b < busAz.length; b++) busAz[b] = dirs.get(b);
        return new StemChains(layout, c, RoomLibrary.forStem(room, layout, busAz), busAz, live);
    }

    public int size() { return chains.length; }
    public StemChain chain(int k) { return chains[k]; }
    public ChannelLayout layout() { return layout; }
    /** Number of room buses (distinct source positions convolved), 0 without a room. */
    public int buses() { return busAzimuths == null ? 0 : busAzimuths.length; }

    /** @param stemFormats each stem's format (same rate; 1 or 2 channels) */
    public void prepare(List<AudioFormat> stemFormats, int maxBlockFrames) {
        int rate = stemFormats.get(0).sampleRate();
        int convLatency = 0;
        if (busRoom != null) {
            convolver = live ? PartitionedConvolver.lowLatency(busRoom, LIVE_ROOM_LATENCY, false)
                    : PartitionedConvolver.offline(busRoom);
            convolver.prepare(AudioFormat.of(rate, busRoom.sources()), maxBlockFrames);
            convLatency = convolver.latencyFrames();
            bus = new AudioBuffer(busRoom.sources(), maxBlockFrames);
            wet = new AudioBuffer(layout.channelCount(), maxBlockFrames);
        }
        // probe the panners' latency (none today), then align everything to the longest path
        int panners = 0;
        for (int k = 0; k < chains.length; k++) {
            chains[k].prepare(stemFormats.get(k), maxBlockFrames, busAzimuths, 0);
            panners = Math.max(panners, chains[k].pannerLatency());
        }
        latency = convLatency + panners;
        for (int k = 0; k < chains.length; k++) {
            chains[k].prepare(stemFormats.get(k), maxBlockFrames, busAzimuths, latency - chains[k].pannerLatency());
        }
        wetDelay = new DelayLine(layout.channelCount(), latency - convLatency);
        scratch = new AudioBuffer[chains.length];
        for (int k = 0; k < chains.length; k++) scratch[k] = new AudioBuffer(layout.channelCount(), maxBlockFrames);
        roomScratch = new AudioBuffer(layout.channelCount(), maxBlockFrames);
    }

    /**
     * One block: {@code out[k]} gets stem {@code k} placed (its direct sound), {@code room} the room's sound of all
     * stems; the mix is their sum. All {@code in[k]} have the same frame count. No allocation.
     */
    public void process(AudioBuffer[] in, AudioBuffer[] out, AudioBuffer room) {
        int n = in[0].frames();
        if (bus != null) {
            bus.setFrames(n);
            bus.clear();
        }
        for (int k = 0; k < chains.length; k++) chains[k].process(in[k], out[k], bus);
        BlockStageTimes times = stageTimes;
        if (times != null) times.mark(); // "placement"
        room.setFrames(n);
        if (convolver == null) {
            room.clear();
        } else {
            wet.setFrames(n);
            convolver.process(bus, wet);
            room.copyFrom(wet);
            wetDelay.process(room.data(), room.channels(), n);
        }
        if (times != null) times.mark(); // "room"
    }

    /** One block of the mix: every stem placed, summed in order, plus the room. No allocation. */
    public void processMix(AudioBuffer[] in, AudioBuffer mix) {
        int n = in[0].frames();
        process(in, scratch, roomScratch);
        mix.setFrames(n);
        mix.clear();
        for (AudioBuffer s : scratch) mix.addFrom(s, 1f);
        mix.addFrom(roomScratch, 1f);
        BlockStageTimes times = stageTimes;
        if (times != null) times.mark(); // "mix"
    }

    /**
     * Has each block mark the ends of its stages "placement" (every stem's panner and room send), "room" (the
     * convolution) and, through {@link #processMix}, "mix" in {@code times} (the plugin bench's per-stage trace), or
     * stops that (null).
     */
    public void stageTimes(BlockStageTimes times) {
        stageTimes = times;
    }

    /** The room's wet level (linear) for every stem; glides like the stems' own settings. */
    public void setRoomWet(double linear) {
        for (StemChain c : chains) c.setRoomWet(linear);
    }

    public void reset() {
        for (StemChain c : chains) c.reset();
        if (convolver != null) convolver.reset();
        if (wetDelay != null) wetDelay.reset();
    }

    /** Frames by which the output lags the stems. */
    public int latencyFrames() { return latency; }

    /** Frames the room keeps sounding after the stems end. */
    public long tailFrames() { return convolver == null ? 0 : convolver.tailFrames(); }
}
