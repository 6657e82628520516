package org.stemroom.workstation.render;

import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.presets.StemSettings;
import org.stemroom.spatial.SpeakerLayout;
import org.stemroom.spatial.StemPanner;
import org.stemroom.spatial.StemPlacement;

/**
 * One stem's path in a mix ({@link StemChains}): the spatializer's {@link StemPanner} (direction, width, distance,
 * LFE) for the direct sound, and the stem's send into the room: each stem channel feeds the room bus of the
 * measured source position nearest to its direction, with the send that its distance gives
 * ({@link StemPlacement#roomSend()}: close is dry, far is mostly room). The room itself is convolved once for the
 * whole mix by {@link StemChains}.
 *
 * <p>Balance: a reissue keeps the mix balance of the original, so the chain scales direct plus room to the
 * stem's own energy ({@link #balanceGain}); distance then moves a stem between dry and reverberant without making
 * it quieter, and {@code levelDb} is the only level control.
 *
 * <p>Live placement: azimuth, distance, width, room send, level, mute and the room's wet level can change between any two
 * {@link #process} calls ({@link #setAzimuth} ...; audio thread, no allocation). The panner glides its gains and
 * filter to the new position over {@link StemPanner#DEFAULT_SMOOTHING_SECONDS}; the chain's dry gain and every
 * room-bus send glide linearly over the same time (a stem moving to another room source position cross-fades
 * between the two buses), so automation has no zipper noise and lands exactly where a chain built with the final
 * settings starts.
 */
public final class StemChain {
    private final String stem;
    private final ChannelLayout layout;
    private final StemPlacement placement; // as built (mute lifted: mute acts as a live gain)
    private final boolean withRoom;
    private double roomWet;                // the room's wet level (linear), before the stem's room-send trim
    private final double dryGain;
    private final double buildLevelDb;

    private double azimuth;
    private double distance;
    private double width;
    private double roomSendDb;
    private double levelDb;
    private boolean mute;

    private StemPanner panner;
    private double pannerAzimuth;          // the position last given to the panner
    private double pannerDistance;
    private double pannerWidth;
    private double[] busAzimuths;          // room bus directions (null: no room)
    private int channels;
    private int buses;
    private int rampFrames;
    private DelayLine dryDelay;
    // glides: [0] dry gain, then feed gain of channel c into bus b at 1 + c * buses + b
    private double[] current;
    private double[] target;
    private double[] step;
    private int rampLeft;
    private boolean prepared;

    /**
     * @param withRoom whether the mix has a room (the chain then sends into it)
     * @param roomWet  linear gain of the room sound (the room's wet level); the stem's room send is applied here
     * @param dryGain  linear gain of the direct sound (the room's dry level)
     */
    public StemChain(String stem, ChannelLayout layout, StemSettings settings, boolean withRoom, double roomWet,
                     double dryGain) {
        this.stem = stem;
        this.layout = layout;
        this.placement = PlacementMapping.toPlacement(settings).withMute(false);
        this.withRoom = withRoom;
        this.roomWet = roomWet;
        this.dryGain = dryGain;
        this.buildLevelDb = placement.levelDb();
        this.azimuth = placement.azimuth();
        this.distance = placement.distance();
        this.width = placement.width();
        this.roomSendDb = settings.roomSendDb();
        this.levelDb = buildLevelDb;
        this.mute = settings.mute();
    }

    public String stem() { return stem; }

    /** The placement the chain was built with (mute lifted; the live values are the getters below). */
    public StemPlacement placement() { return placement; }

    /**
     * The gain that makes direct plus room carry the stem's own energy: the panner's direct sound falls as
     * {@code 1/r} and the room feed is {@code directGain * roomSend} (unit-energy IRs give a diffuse field of that
     * energy), so energy is {@code (dry/r)^2 + (wet/criticalDistance)^2} relative to the stem at 0 dB.
     */
    public static double balanceGain(double distance, double criticalDistance, boolean withRoom, double wetGain,
                                     double dryGain) {
        double direct = dryGain * StemPlacement.REFERENCE_DISTANCE / distance;
        double diffuse = withRoom ? wetGain / criticalDistance : 0;
        double e = direct * direct + diffuse * diffuse;
        return e > 0 ? 1.0 / Math.sqrt(e) : 1.0;
    }

    /**
     * @param busAzimuths direction of each room bus (the room's distinct source positions), or null for no room
     * @param delayFrames delay of the direct sound (the room's latency plus alignment with the other stems)
     */
    void prepare(AudioFormat inputFormat, int maxBlockFrames, double[] busAzimuths, int delayFrames) {
        channels = inputFormat.channels();
        panner = new StemPanner(SpeakerLayout.of(layout));
        panner.setPlacement(placement);
        panner.setPosition(azimuth, distance, width); // live values set before prepare start there
        panner.prepare(inputFormat, maxBlockFrames);
        pannerAzimuth = azimuth;
        pannerDistance = distance;
        pannerWidth = width;
        this.busAzimuths = withRoom ? busAzimuths : null;
        buses = this.busAzimuths == null ? 0 : this.busAzimuths.length;
        rampFrames = (int) Math.round(StemPanner.DEFAULT_SMOOTHING_SECONDS * inputFormat.sampleRate());
        int n = 1 + channels * buses;
        current = new double[n];
        target = new double[n];
        step = new double[n];
        dryDelay = new DelayLine(layout.channelCount(), delayFrames);
        prepared = true;
        snap();
    }

    /** Latency of the panner alone. */
    int pannerLatency() { return panner.latencyFrames(); }

    public void setAzimuth(double degrees) { azimuth = degrees; retarget(); }
    public void setDistance(double metres) { distance = metres; retarget(); }
    public void setWidth(double degrees) { width = degrees; retarget(); }
    public void setRoomSendDb(double db) { roomSendDb = db; retarget(); }
    public void setLevelDb(double db) { levelDb = db; retarget(); }
    public void setMute(boolean on) { mute = on; retarget(); }
    /** The room's wet level (linear), shared by every stem of the mix ({@link StemChains#setRoomWet}). */
    public void setRoomWet(double linear) { roomWet = linear; retarget(); }

    public double azimuth() { return panner == null ? azimuth : panner.azimuth(); }
    public double distance() { return panner == null ? distance : panner.distance(); }
    public double width() { return panner == null ? width : panner.width(); }
    public double roomSendDb() { return roomSendDb; }
    public double levelDb() { return levelDb; }
    public boolean mute() { return mute; }

    private void snap() {
        computeTargets();
        System.arraycopy(target, 0, current, 0, target.length);
        java.util.Arrays.fill(step, 0);
        rampLeft = 0;
    }

    private void retarget() {
        if (!prepared) return; // applied at once in prepare
        computeTargets();
        if (rampFrames == 0) {
            System.arraycopy(target, 0, current, 0, target.length);
            rampLeft = 0;
            return;
        }
        for (int k = 0; k < target.length; k++) step[k] = (target[k] - current[k]) / rampFrames;
        rampLeft = rampFrames;
    }

    private void computeTargets() {
        if (azimuth != pannerAzimuth || distance != pannerDistance || width != pannerWidth) {
            panner.setPosition(azimuth, distance, width);
            pannerAzimuth = azimuth;
            pannerDistance = distance;
            pannerWidth = width;
        }
        double az = panner.azimuth();
        double r = panner.distance();
        double w = panner.width();
        double critical = placement.criticalDistance();
        double wet = roomWet * Math.pow(10, roomSendDb / 20);
        double balance = balanceGain(r, critical, withRoom, wet, dryGain);
        // the panner applies the built level and 1/r; level automation is the ratio to the built level
        double level = mute ? 0 : Math.pow(10, (levelDb - buildLevelDb) / 20);
        target[0] = dryGain * balance * level;
        if (buses == 0) return;
        // the room feed is level * 1/r * roomSend = level / criticalDistance (distance cancels)
        double feed = balance * wet * Math.pow(10, buildLevelDb / 20) / critical * level;
        for (int k = 1; k < target.length; k++) target[k] = 0;
        for (int c = 0; c < channels; c++) {
            double dir = channels == 1 ? az : (c == 0 ? az + w / 2 : az - w / 2);
            int b = RoomLibrary.nearestSource(busAzimuths, dir);
            target[1 + c * buses + b] = feed;
        }
    }

    /**
     * Renders the stem's direct sound into {@code out} (delayed by the room's latency) and adds its room sends
     * into {@code bus} (one channel per room bus; ignored without a room).
     */
    void process(AudioBuffer in, AudioBuffer out, AudioBuffer bus) {
        int n = in.frames();
        out.setFrames(n);
        int ramp = Math.min(n, rampLeft);
        for (int c = 0; c < channels && buses > 0; c++) {
            float[] x = in.channel(c);
            for (int b = 0; b < buses; b++) {
                int k = 1 + c * buses + b;
                double g = current[k];
                double t = target[k];
                if (ramp == 0 && g == 0 && t == 0) continue;
                float[] y = bus.channel(b);
                rampSend(x, y, g, step[k], ramp);
                float ft = (float) t;
                if (ft != 0f) send(x, y, ft, ramp, n);
            }
        }
        panner.process(in, out);
        int outs = out.channels();
        double g0 = current[0];
        double st0 = step[0];
        float ft0 = (float) target[0];
        for (int o = 0; o < outs; o++) {
            float[] y = out.channel(o);
            rampGain(y, g0, st0, ramp);
            gain(y, ft0, ramp, n);
        }
        if (rampLeft > 0) {
            if (rampLeft > n) {
                for (int k = 0; k < current.length; k++) current[k] += step[k] * n;
                rampLeft -= n;
            } else {
                System.arraycopy(target, 0, current, 0, target.length);
                rampLeft = 0;
            }
        }
        dryDelay.process(out.data(), outs, n);
    }

    /*
     * One loop per method: process() with all its loops was compiled by C2 on-stack at several loop heads and again
     * whole; small methods with one loop each compile once. Same arithmetic in the same order.
     */

    /** y[i] += (g + (i+1) st) x[i] for i in [0, ramp), the gain stepped in double as the ramp goes. */
    private static void rampSend(float[] x, float[] y, double g, double st, int ramp) {
        for (int i = 0; i < ramp; i++) {
            g += st;
            y[i] += (float) (g * x[i]);
        }
    }

    /** y[i] += x[i] t for i in [from, to). */
    private static void send(float[] x, float[] y, float t, int from, int to) {
        for (int i = from; i < to; i++) y[i] += x[i] * t;
    }

    /** y[i] = (g + (i+1) st) y[i] for i in [0, ramp). */
    private static void rampGain(float[] y, double g, double st, int ramp) {
        for (int i = 0; i < ramp; i++) {
            g += st;
            y[i] = (float) (g * y[i]);
        }
    }

    /** y[i] *= t for i in [from, to). */
    private static void gain(float[] y, float t, int from, int to) {
        for (int i = from; i < to; i++) y[i] *= t;
    }

    void reset() {
        panner.reset();
        dryDelay.reset();
        snap();
    }
}
