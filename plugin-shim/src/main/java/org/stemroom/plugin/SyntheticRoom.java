package org.stemroom.plugin;

import java.util.SplittableRandom;
import org.stemroom.core.ChannelLayout;
import org.stemroom.room.RoomImpulseResponse;

/**
 * Built-in rooms for the plugin until the room-ir module publishes its own named rooms: one source into
 * every non-LFE speaker of the layout, each output an independent, seeded noise tail with an exponential
 * decay (T60 per room) after a short pre-delay, so the room is diffuse and decorrelated between speakers.
 * Deterministic: the same room, rate and layout always give the same taps.
 */
public final class SyntheticRoom {
    private SyntheticRoom() {
    }

    /** T60 in seconds of a built-in room name, or -1 for an unknown name. */
    public static double t60(String name) {
        switch (name) {
            case "vocal-booth": return 0.35;
            case "live-room": return 1.2;
            case "scoring-stage": return 2.5;
            default: return -1;
        }
    }

    /** The room's IR, as long as its T60 (60 dB down at the end), normalised to unit energy per output. */
    public static RoomImpulseResponse impulseResponse(String name, int sampleRate, ChannelLayout layout) {
        double t60 = t60(name);
        if (t60 <= 0) throw new IllegalArgumentException("unknown built-in room '" + name + "'");
        int length = (int) Math.round(t60 * sampleRate);
        int preDelay = (int) Math.round(0.012 * sampleRate);
        float[][] outs = new float[layout.channelCount()][];
        SplittableRandom rnd = new SplittableRandom(0x5EED_0000L + name.hashCode());
        double decayPerSample = Math.log(1000.0) / (t60 * sampleRate); // amplitude -60 dB at t60
        for (int o = 0; o < outs.length; o++) {
            if (o == layout.lfeIndex()) continue;
            float[] h = new float[length];
            double energy = 0;
            for (int i = preDelay; i < length; i++) {
                double v = (rnd.nextDouble() * 2 - 1) * Math.exp(-decayPerSample * (i - preDelay));
                h[i] = (float) v;
                energy += v * v;
            }
            float g = (float) (1.0 / Math.sqrt(energy));
            for (int i = 0; i < length; i++) h[i] *= g;
            outs[o] = h;
        }
        return RoomImpulseResponse.oneSource(outs, sampleRate, layout, RoomImpulseResponse.Metadata.named(name));
    }
}
