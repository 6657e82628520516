package org.stemroom.workstation.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stemroom.core.AudioClip;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Speaker;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.Resampler;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.room.RoomImpulseResponse;

/**
 * Finds the room a render asks for (an impulse-response file, later also room-ir's built-in rooms and room.json
 * descriptors) and cuts from it the IR set each stem needs: one source per stem channel, one output per channel
 * of the output layout, scaled to unit energy so a room's wet level means the same whatever the room.
 */
public final class RoomLibrary {
    private RoomLibrary() { }

    /** Names of the built-in rooms (empty until room-ir provides them). */
    public static List<String> builtInNames() {
        return List.of();
    }

    /** Loads a room: a built-in name or an IR file (WAV/AIFF/FLAC), resampled to {@code rate}. */
    public static RoomImpulseResponse load(String spec, int rate) throws StemroomException {
        Path p = Path.of(spec);
        if (!Files.exists(p)) {
            throw new StemroomException("room '" + spec + "' is neither a built-in room ("
                    + (builtInNames().isEmpty() ? "none available" : String.join(", ", builtInNames()))
                    + ") nor an impulse-response file");
        }
        AudioClip clip;
        try {
            clip = AudioFiles.readAll(p);
        } catch (IOException e) {
            throw new StemroomException(p + ": cannot read impulse response: " + e.getMessage(), e);
        }
        if (clip.durationSeconds() > RoomImpulseResponse.MAX_SECONDS) {
            throw new StemroomException(p + ": " + String.format("%.1f", clip.durationSeconds())
                    + " s is too long for an impulse response (at most " + RoomImpulseResponse.MAX_SECONDS + " s)");
        }
        if (clip.sampleRate() != rate) clip = Resampler.resample(clip, rate);
        double energy = 0;
        for (float[] c : clip.samples()) for (float v : c) energy += (double) v * v;
        if (!(energy > 0)) throw new StemroomException(p + ": the impulse response is silent");
        return RoomImpulseResponse.oneSource(clip.samples(), rate, clip.format().layout(),
                RoomImpulseResponse.Metadata.named(p.getFileName().toString()));
    }

    /**
     * The IR set for one stem: {@code stemChannels} sources (each from the room's source nearest to the
     * direction of that stem channel, source 0 when positions are unknown) into the channels of {@code layout}.
     * Output channels the room lacks take the room output nearest in azimuth (split in power when several share
     * one); the LFE channel gets no room. The result is scaled so each source's IRs together have unit energy.
     */
    public static RoomImpulseResponse forStem(RoomImpulseResponse room, ChannelLayout layout, int stemChannels) {
        int outs = layout.channelCount();
        int[] map = new int[outs];
        int[] uses = new int[room.outputs()];
        ChannelLayout rl = room.outputLayout();
        for (int o = 0; o < outs; o++) {
            map[o] = -1;
            Speaker sp = layout.isSpeakerLayout() ? layout.speakers().get(o) : null;
            if (sp != null && sp.isLfe()) continue;
            int idx = rl.indexOf(layout.label(o));
            if (idx < 0 && sp != null && rl.isSpeakerLayout()) {
                double best = Double.MAX_VALUE;
                for (int j = 0; j < rl.channelCount(); j++) {
                    Speaker s = rl.speakers().get(j);
                    if (s.isLfe()) continue;
                    double d = angle(s.azimuthDegrees(), sp.azimuthDegrees());
                    if (d < best) { best = d; idx = j; }
                }
            }
            if (idx < 0) idx = o % room.outputs();
            map[o] = idx;
            uses[idx]++;
        }
        float[][][] m = new float[stemChannels][outs][];
        for (int s = 0; s < stemChannels; s++) {
            int src = Math.min(s, room.sources() - 1);
            double energy = 0;
            for (int o = 0; o < outs; o++) {
                if (map[o] < 0 || room.ir(src, map[o]) == null) continue;
                float[] h = room.ir(src, map[o]).clone();
                float share = (float) (1.0 / Math.sqrt(uses[map[o]]));
                for (int i = 0; i < h.length; i++) h[i] *= share;
                for (float v : h) energy += (double) v * v;
                m[s][o] = h;
            }
            float norm = energy > 0 ? (float) (1.0 / Math.sqrt(energy)) : 0f;
            for (int o = 0; o < outs; o++) {
                if (m[s][o] == null) continue;
                for (int i = 0; i < m[s][o].length; i++) m[s][o][i] *= norm;
            }
        }
        return new RoomImpulseResponse(m, room.sampleRate(), layout, room.metadata());
    }

    private static double angle(double a, double b) {
        double d = Math.abs(a - b) % 360;
        return d > 180 ? 360 - d : d;
    }

    static List<String> describe(RoomImpulseResponse r) {
        List<String> l = new ArrayList<>();
        l.add(r.metadata().name);
        return l;
    }
}
