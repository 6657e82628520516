package org.stemroom.trainer.dataset;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.room.BuiltInRooms;
import org.stemroom.room.PartitionedConvolver;
import org.stemroom.room.RoomImpulseResponse;

/**
 * Room impulse responses for stem ambience: room-ir's built-in rooms as a mono source into a stereo microphone
 * pair (synthesized once, then read from room-ir's own cache), scaled to unit energy per output so a wet gain in
 * dB is a direct-to-reverberant ratio, and a one-shot convolution through {@link PartitionedConvolver}.
 */
final class RoomBank {
    private final int rate;
    private final Map<String, float[][]> irs = new ConcurrentHashMap<>();

    RoomBank(int rate) { this.rate = rate; }

    /** {@code [output][taps]} of room {@code name}: two outputs (left, right), each of unit energy. */
    float[][] ir(String name) throws StemroomException {
        float[][] cached = irs.get(name);
        if (cached != null) return cached;
        RoomImpulseResponse rir = BuiltInRooms.load(name, ChannelLayout.MONO, ChannelLayout.STEREO, rate);
        float[][] out = new float[2][];
        for (int o = 0; o < 2; o++) {
            float[] h = rir.ir(0, o).clone();
            double e = 0;
            for (float v : h) e += (double) v * v;
            float g = (float) (1 / Math.sqrt(Math.max(e, 1e-30)));
            for (int i = 0; i < h.length; i++) h[i] *= g;
            out[o] = h;
        }
        irs.putIfAbsent(name, out);
        return irs.get(name);
    }

    /**
     * {@code x} convolved with each IR of {@code h}, truncated to {@code x.length} (the song excerpt ends there),
     * aligned with the input (the engine's latency is removed).
     */
    float[][] convolve(float[] x, float[]... h) {
        int n = x.length;
        float[][][] m = new float[1][h.length][];
        for (int o = 0; o < h.length; o++) m[0][o] = h[o];
        ChannelLayout layout = h.length == 1 ? ChannelLayout.MONO : ChannelLayout.STEREO;
        RoomImpulseResponse rir = new RoomImpulseResponse(m, rate, layout, RoomImpulseResponse.Metadata.named("stem room"));
        PartitionedConvolver conv = PartitionedConvolver.offline(rir);
        int block = 8192;
        conv.prepare(AudioFormat.of(rate, 1), block);
        int latency = conv.latencyFrames();
        float[][] out = new float[h.length][n];
        AudioBuffer in = new AudioBuffer(1, block);
        AudioBuffer wet = new AudioBuffer(h.length, block);
        long fed = 0;
        long total = (long) n + latency;
        while (fed < total) {
            int k = (int) Math.min(block, total - fed);
            in.setFrames(k);
            float[] ic = in.channel(0);
            for (int i = 0; i < k; i++) {
                long at = fed + i;
                ic[i] = at < n ? x[(int) at] : 0f;
            }
            wet.setFrames(k);
            conv.process(in, wet);
            for (int o = 0; o < h.length; o++) {
                float[] w = wet.channel(o);
                for (int i = 0; i < k; i++) {
                    long dst = fed + i - latency;
                    if (dst >= 0 && dst < n) out[o][(int) dst] = w[i];
                }
            }
            fed += k;
        }
        return out;
    }
}
