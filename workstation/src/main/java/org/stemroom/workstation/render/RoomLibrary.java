package org.stemroom.workstation.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Speaker;
import org.stemroom.core.StemroomException;
import org.stemroom.room.BuiltInRooms;
import org.stemroom.room.RoomImpulseResponse;
import org.stemroom.room.RoomIrLoader;

/**
 * Finds the room a render asks for (room-ir's built-in rooms, an impulse-response file, or a room.json
 * descriptor) and cuts from it the IR set each stem needs: one source per stem channel, taken from the room's
 * source position nearest to that channel's direction, into the channels of the output layout, with the direct
 * sound removed (the panner renders it) and scaled to unit energy so a room's wet level means the same whatever
 * the room.
 */
public final class RoomLibrary {
    private RoomLibrary() { }

    /** A loaded room and the azimuth of each of its sources (degrees, positive left; 0 when unknown). */
    public record Room(String name, RoomImpulseResponse ir, double[] sourceAzimuths) { }

    public static List<String> builtInNames() {
        return BuiltInRooms.names();
    }

    /**
     * Loads a room for an output layout at a rate. Built-in rooms are synthesized (and cached) with one source at
     * each loudspeaker direction of the layout, so each stem gets the room as heard from its own position.
     */
    public static Room load(String spec, ChannelLayout layout, int rate) throws StemroomException {
        for (String n : builtInNames()) {
            if (n.equalsIgnoreCase(spec.trim())) {
                List<Speaker> mains = new ArrayList<>();
                for (Speaker s : layout.speakers()) if (!s.isLfe()) mains.add(s);
                ChannelLayout sources = ChannelLayout.ofSpeakers(layout.name() + " sources", mains);
                RoomImpulseResponse ir = BuiltInRooms.load(n, sources, layout, rate);
                double[] az = new double[mains.size()];
                for (int i = 0; i < az.length; i++) az[i] = mains.get(i).azimuthDegrees();
                return new Room(n, ir, az);
            }
        }
        check(spec);
        Path p = Path.of(spec);
        try {
            RoomImpulseResponse ir = RoomIrLoader.load(p, RoomIrLoader.Interpretation.AUTO, rate);
            if (ir.sources() > 1 && ir.metadata().sourcePositions.isEmpty() && paired(ir)) {
                // a stereo (or N-channel) pair is one source heard by several microphones, not N positions
                ir = RoomIrLoader.adaptToInput(ir, 1);
            }
            return new Room(p.getFileName().toString(), ir, sourceAzimuths(ir));
        } catch (IOException e) {
            throw new StemroomException(p + ": cannot read the room: " + e.getMessage(), e);
        }
    }

    /**
     * Fails, with {@link #load}'s message, for a room that is neither built in nor an existing path: a render checks
     * this at once and loads the room itself beside its first separation window.
     */
    public static void check(String spec) throws StemroomException {
        for (String n : builtInNames()) if (n.equalsIgnoreCase(spec.trim())) return;
        if (!Files.exists(Path.of(spec))) {
            throw new StemroomException("room '" + spec + "' is neither a built-in room (" + String.join(", ", builtInNames())
                    + ") nor an impulse-response file or room.json");
        }
    }

    /** Whether every source reaches exactly one output and no two the same (an IR file's channel pairs). */
    static boolean paired(RoomImpulseResponse ir) {
        boolean[] used = new boolean[ir.outputs()];
        for (int s = 0; s < ir.sources(); s++) {
            int reached = -1;
            for (int o = 0; o < ir.outputs(); o++) {
                if (ir.ir(s, o) == null) continue;
                if (reached >= 0 || used[o]) return false;
                reached = o;
            }
            if (reached < 0) return false;
            used[reached] = true;
        }
        return true;
    }

    /**
     * The azimuth of each measured source position (degrees, positive left, 0 = front): from the positions a
     * room.json gives, seen from the receivers' centre with the room's axes (front = +y, left = -x, as
     * {@code RoomSynthesizer} places its sources); a true-stereo file's two sources as a stereo pair (+-30
     * degrees); otherwise 0 for every source (one position).
     */
    static double[] sourceAzimuths(RoomImpulseResponse ir) {
        int n = ir.sources();
        double[] az = new double[n];
        List<double[]> src = ir.metadata().sourcePositions;
        List<double[]> rec = ir.metadata().receiverPositions;
        if (src.size() == n && !rec.isEmpty()) {
            double cx = 0, cy = 0;
            for (double[] r : rec) { cx += r[0]; cy += r[1]; }
            cx /= rec.size();
            cy /= rec.size();
            for (int s = 0; s < n; s++) {
                double dx = src.get(s)[0] - cx, dy = src.get(s)[1] - cy;
                az[s] = dx == 0 && dy == 0 ? 0 : Math.toDegrees(Math.atan2(-dx, dy));
            }
        } else if (n == 2 && src.isEmpty()) {
            az[0] = 30;
            az[1] = -30;
        }
        return az;
    }

    /**
     * The IR set for one stem whose channels point at {@code channelAzimuths}: per channel the room's nearest
     * source, into {@code layout}. Output channels the room lacks take the room output nearest in azimuth (split
     * in power when several share one); the LFE channel gets no room.
     */
    public static RoomImpulseResponse forStem(Room room, ChannelLayout layout, double[] channelAzimuths) {
        RoomImpulseResponse ir = room.ir();
        int outs = layout.channelCount();
        int[] map = new int[outs];
        int[] uses = new int[ir.outputs()];
        ChannelLayout rl = ir.outputLayout();
        for (int o = 0; o < outs; o++) {
            map[o] = -1;
            Speaker sp = layout.isSpeakerLayout() ? layout.speakers().get(o) : null;
            if (sp != null && sp.isLfe()) continue;
            int idx = rl.indexOf(layout.label(o));
            if (idx >= 0 && rl.isSpeakerLayout() && rl.speakers().get(idx).isLfe()) idx = -1;
            if (idx < 0 && sp != null && rl.isSpeakerLayout()) {
                double best = Double.MAX_VALUE;
                for (int j = 0; j < rl.channelCount(); j++) {
                    Speaker s = rl.speakers().get(j);
                    if (s.isLfe()) continue;
                    double d = angle(s.azimuthDegrees(), sp.azimuthDegrees());
                    if (d < best) { best = d; idx = j; }
                }
            }
            if (idx < 0) idx = o % ir.outputs();
            map[o] = idx;
            uses[idx]++;
        }
        int ch = channelAzimuths.length;
        float[][][] m = new float[ch][outs][];
        for (int s = 0; s < ch; s++) {
            int src = nearestSource(room.sourceAzimuths(), channelAzimuths[s]);
            int onset = Integer.MAX_VALUE;
            for (int o = 0; o < ir.outputs(); o++) {
                float[] h = ir.ir(src, o);
                if (h != null) onset = Math.min(onset, peakIndex(h));
            }
            double energy = 0;
            for (int o = 0; o < outs; o++) {
                if (map[o] < 0 || ir.ir(src, map[o]) == null) continue;
                float[] h = ir.ir(src, map[o]).clone();
                removeDirect(h, onset, ir.sampleRate());
                scale(h, (float) (1.0 / Math.sqrt(uses[map[o]])));
                energy = addEnergy(energy, h);
                m[s][o] = h;
            }
            float norm = energy > 0 ? (float) (1.0 / Math.sqrt(energy)) : 0f;
            for (int o = 0; o < outs; o++) {
                if (m[s][o] != null) scale(m[s][o], norm);
            }
        }
        return new RoomImpulseResponse(m, ir.sampleRate(), layout, ir.metadata());
    }

    /*
     * The per-sample loops over the IRs (a 2.5 s room: 120,000 samples a channel, some 50 arrays a render) are
     * methods of their own: inside forStem they ran long enough in its first call that C2 compiled forStem on-stack
     * with all of them inlined, the costliest C2 compile of the bench render outside the separation (compile log,
     * session 25: 4.3 KB of code, 0.37 s of task time at load 10); a small loop compiles in a fraction of that.
     */

    /** {@code h[i] *= g}. */
    private static void scale(float[] h, float g) {
        for (int i = 0; i < h.length; i++) h[i] *= g;
    }

    /** {@code e} plus the sum of the squares of {@code h}, added in order in double (forStem's energy, same bits). */
    private static double addEnergy(double e, float[] h) {
        for (float v : h) e += (double) v * v;
        return e;
    }

    /** Silences the direct sound: everything up to 1 ms after the earliest arrival, with a 1 ms fade-in after it. */
    static void removeDirect(float[] h, int onset, int rate) {
        if (onset == Integer.MAX_VALUE) return;
        int gap = rate / 1000;
        int end = Math.min(h.length, onset + gap);
        for (int i = 0; i < end; i++) h[i] = 0f;
        for (int i = 0; i < gap && end + i < h.length; i++) h[end + i] *= (float) (i + 0.5) / gap;
    }

    private static int peakIndex(float[] h) {
        int best = 0;
        for (int i = 1; i < h.length; i++) if (Math.abs(h[i]) > Math.abs(h[best])) best = i;
        return best;
    }

    /** Index of the source whose azimuth is nearest {@code azimuth} (degrees, wrapping at 360). */
    public static int nearestSource(double[] sourceAzimuths, double azimuth) {
        int best = 0;
        for (int i = 1; i < sourceAzimuths.length; i++) {
            if (angle(sourceAzimuths[i], azimuth) < angle(sourceAzimuths[best], azimuth)) best = i;
        }
        return best;
    }

    static double angle(double a, double b) {
        double d = Math.abs(a - b) % 360;
        return d > 180 ? 360 - d : d;
    }
}
