package org.stemroom.workstation.render;

import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;
import org.stemroom.core.ChannelLayout;
import org.stemroom.room.PartitionedConvolver;
import org.stemroom.room.RoomImpulseResponse;
import org.stemroom.spatial.SpeakerLayout;
import org.stemroom.spatial.StemPanner;
import org.stemroom.spatial.StemPlacement;

/**
 * One stem's path to the output layout: the spatializer's {@link StemPanner} (direction, width, distance, LFE)
 * for the direct sound, plus the room: the stem fed into a {@link PartitionedConvolver} with the send that its
 * distance gives ({@link StemPlacement#roomSend()}: close is dry, far is mostly room).
 *
 * <p>Balance: a reissue keeps the mix balance of the original, so the chain scales direct plus room to the
 * stem's own energy ({@link #balanceGain}); distance then moves a stem between dry and reverberant without making
 * it quieter, and {@code levelDb} is the only level control.
 *
 * <p>Latency: the direct path is delayed by the convolver's latency so dry and wet stay aligned, and the whole
 * chain can be delayed further ({@link #alignTo}) so every stem of a mix has the same latency.
 */
public final class StemChain implements AudioProcessor {
    private final String stem;
    private final ChannelLayout layout;
    private final StemPlacement placement;
    private final RoomImpulseResponse room; // null: no room
    private final double wetGain;           // room wet level (linear), times the stem's room send trim
    private final double dryGain;

    private StemPanner panner;
    private PartitionedConvolver convolver;
    private AudioFormat inFormat;
    private AudioFormat outFormat;
    private AudioBuffer feed;
    private AudioBuffer wet;
    private DelayLine dryDelay;
    private DelayLine alignDelay;
    private int ownLatency;
    private int targetLatency = -1;
    private float dryScale;
    private float feedScale;
    private double balance;

    /**
     * @param room        an IR set whose outputs are {@code layout}'s channels (see {@link RoomLibrary#forStem}),
     *                    one source per stem input channel or one for all of them (fed their sum), or null
     * @param wetGain     linear gain of the room sound (the room's wet level times the stem's room send trim)
     * @param dryGain     linear gain of the direct sound
     */
    public StemChain(String stem, ChannelLayout layout, StemPlacement placement, RoomImpulseResponse room,
                     double wetGain, double dryGain) {
        this.stem = stem;
        this.layout = layout;
        this.placement = placement;
        this.room = room;
        this.wetGain = wetGain;
        this.dryGain = dryGain;
    }

    /**
     * The chain {@code stemroom render} builds for one stem of a preset: its placement, and the room heard from
     * the room's source nearest to each stem channel's direction (a stereo stem at {@code azimuth +- width/2});
     * when both channels face the same source their sum is convolved once (the same sound, half the cost).
     * The plugin builds its chains here too, so both give the same samples.
     *
     * @param room     the room loaded for {@code layout} ({@link RoomLibrary#load}), or null for none
     * @param wetGain  the room's wet level (linear); the stem's room-send trim is applied here
     * @param dryGain  the room's dry level (linear)
     */
    public static StemChain of(String stem, ChannelLayout layout, org.stemroom.presets.StemSettings settings,
                               RoomLibrary.Room room, double wetGain, double dryGain, int stemChannels) {
        double trim = Math.pow(10, settings.roomSendDb() / 20);
        RoomImpulseResponse stemRoom = null;
        if (room != null) {
            double[] dirs = stemChannels == 1 ? new double[] {settings.azimuth()}
                    : new double[] {settings.azimuth() + settings.width() / 2, settings.azimuth() - settings.width() / 2};
            if (dirs.length == 2 && RoomLibrary.nearestSource(room.sourceAzimuths(), dirs[0])
                    == RoomLibrary.nearestSource(room.sourceAzimuths(), dirs[1])) {
                dirs = new double[] {settings.azimuth()};
            }
            stemRoom = RoomLibrary.forStem(room, layout, dirs);
        }
        return new StemChain(stem, layout, PlacementMapping.toPlacement(settings), stemRoom, wetGain * trim, dryGain);
    }

    public String stem() { return stem; }
    public StemPlacement placement() { return placement; }

    /**
     * The gain that makes direct plus room carry the stem's own energy: the panner's direct sound falls as
     * {@code 1/r} and the room feed is {@code directGain * roomSend} (unit-energy IRs give a diffuse field of that
     * energy), so energy is {@code (dry/r)^2 + (wet/criticalDistance)^2} relative to the stem at 0 dB.
     */
    public static double balanceGain(StemPlacement p, boolean withRoom, double wetGain, double dryGain) {
        double direct = dryGain * StemPlacement.REFERENCE_DISTANCE / p.distance();
        double diffuse = withRoom ? wetGain / p.criticalDistance() : 0;
        double e = direct * direct + diffuse * diffuse;
        return e > 0 ? 1.0 / Math.sqrt(e) : 1.0;
    }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        inFormat = inputFormat;
        outFormat = new AudioFormat(inputFormat.sampleRate(), layout);
        balance = balanceGain(placement, room != null, wetGain, dryGain);
        panner = new StemPanner(SpeakerLayout.of(layout));
        panner.setPlacement(placement);
        panner.prepare(inputFormat, maxBlockFrames);
        int convLatency = 0;
        if (room != null) {
            if ((room.sources() != inputFormat.channels() && room.sources() != 1)
                    || room.outputs() != layout.channelCount()) {
                throw new IllegalArgumentException("room for stem " + stem + " is " + room.sources() + "x"
                        + room.outputs() + ", the stem has " + inputFormat.channels() + " channels into "
                        + layout.channelCount());
            }
            convolver = PartitionedConvolver.offline(room);
            AudioFormat feedFormat = room.sources() == inputFormat.channels() ? inputFormat
                    : AudioFormat.of(inputFormat.sampleRate(), 1);
            convolver.prepare(feedFormat, maxBlockFrames);
            convLatency = convolver.latencyFrames();
            feed = new AudioBuffer(feedFormat.channels(), maxBlockFrames);
            wet = new AudioBuffer(layout.channelCount(), maxBlockFrames);
        }
        ownLatency = convLatency + panner.latencyFrames();
        dryDelay = new DelayLine(layout.channelCount(), convLatency);
        alignDelay = new DelayLine(layout.channelCount(), Math.max(0, targetLatency - ownLatency));
        boolean audible = placement.audible(false);
        dryScale = (float) (dryGain * balance);
        // The panner applies level and 1/r; the room feed applies level, 1/r and roomSend = r / criticalDistance.
        feedScale = audible ? (float) (balance * wetGain * Math.pow(10, placement.levelDb() / 20)
                / placement.criticalDistance()) : 0f;
    }

    /** Latency of this chain alone (the convolver's), before alignment. */
    public int ownLatency() { return ownLatency; }

    /** Delays the whole chain so its latency becomes {@code frames} (>= {@link #ownLatency()}); call before prepare. */
    public void alignTo(int frames) {
        this.targetLatency = frames;
    }

    @Override
    public void process(AudioBuffer in, AudioBuffer out) {
        int n = in.frames();
        if (room != null) {
            feed.setFrames(n);
            if (feed.channels() == in.channels()) {
                for (int c = 0; c < in.channels(); c++) {
                    float[] s = in.channel(c);
                    float[] d = feed.channel(c);
                    for (int i = 0; i < n; i++) d[i] = s[i] * feedScale;
                }
            } else { // all channels into one room source: their sum
                float[] d = feed.channel(0);
                java.util.Arrays.fill(d, 0, n, 0f);
                for (int c = 0; c < in.channels(); c++) {
                    float[] s = in.channel(c);
                    for (int i = 0; i < n; i++) d[i] += s[i] * feedScale;
                }
            }
        }
        panner.process(in, out);
        int ch = out.channels();
        float[][] o = out.data();
        for (int c = 0; c < ch; c++) {
            float[] y = o[c];
            for (int i = 0; i < n; i++) y[i] *= dryScale;
        }
        dryDelay.process(o, ch, n);
        if (room != null) {
            convolver.process(feed, wet);
            for (int c = 0; c < ch; c++) {
                float[] y = o[c];
                float[] w = wet.channel(c);
                for (int i = 0; i < n; i++) y[i] += w[i];
            }
        }
        alignDelay.process(o, ch, n);
        out.setFrames(n);
    }

    @Override
    public void reset() {
        panner.reset();
        if (convolver != null) convolver.reset();
        dryDelay.reset();
        alignDelay.reset();
    }

    @Override
    public AudioFormat outputFormat() { return outFormat; }

    @Override
    public int latencyFrames() { return Math.max(ownLatency, targetLatency); }

    @Override
    public long tailFrames() { return convolver == null ? 0 : convolver.tailFrames(); }
}
