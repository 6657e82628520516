package org.stemroom.plugin;

import static org.stemroom.plugin.PluginParameters.*;

import java.util.ArrayList;
import java.util.List;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Speaker;
import org.stemroom.core.dsp.LinkwitzRiley;
import org.stemroom.room.PartitionedConvolver;
import org.stemroom.room.RoomImpulseResponse;

/**
 * The plugin's real-time engine until the workstation's render pipeline can run block by block: splits the
 * input into stems with a model-free recipe, places every stem in the output layout with pairwise
 * constant-power panning (width spreads a stem over an arc), scales it by level, mute and distance, and sends
 * it to a room (a {@link PartitionedConvolver} on the room's impulse response, one send bus into every
 * speaker). Every gain is smoothed per sample (5 ms), so automation is click-free and the output does not
 * depend on how the host cuts its blocks.
 *
 * <p>Model-free split (interim, until the separation module's streaming separator lands): with
 * {@code mid = (L+R)/2} and {@code side = (L-R)/2}, "bass" is the mid below 120 Hz (Linkwitz-Riley, 4th
 * order), "vocals" the mid above it, "other" the side as a stereo pair {@code (+side, -side)}, and "drums" is
 * silent. {@code bass + vocals + other} rebuilds the input up to the crossover's all-pass phase.
 */
public final class PlacementRoomEngine implements PluginEngine {
    private static final int VOCALS = 0, DRUMS = 1, BASS = 2, OTHER_L = 3, OTHER_R = 4, SOURCES = 5;
    private static final double CROSSOVER_HZ = 120;
    private static final double SMOOTH_SECONDS = 0.005;

    private final ChannelLayout layout;
    private final RoomImpulseResponse room;
    private final double[] plain = new double[COUNT];
    private final double[] lfeGain = new double[STEMS.size()];

    private AudioFormat inFormat;
    private AudioFormat outFormat;
    private int outs, lfe;
    private int[] ring;            // non-LFE output channels sorted by azimuth
    private double[] ringAz;
    private final double[][] target = new double[SOURCES][];
    private final double[][] current = new double[SOURCES][];
    private final double[] sendTarget = new double[SOURCES];
    private final double[] sendCurrent = new double[SOURCES];
    private double smooth;
    private LinkwitzRiley crossover;
    private float[][] src;         // the stems, [SOURCES][maxBlock]
    private float[] mid, side;
    private PartitionedConvolver convolver;
    private AudioBuffer roomIn, roomOut;
    private float[][] delay;       // dry stems delayed by the convolver's latency
    private int delayLen, delayPos;

    /**
     * @param layout  the layout rendered (its speakers give the panning ring)
     * @param room    the room, or null for none
     * @param params  initial parameter values, normalized, in {@link PluginParameters} order
     * @param lfe     per stem: linear LFE send (from the preset)
     */
    public PlacementRoomEngine(ChannelLayout layout, RoomImpulseResponse room, double[] params, double[] lfe) {
        this.layout = layout;
        this.room = room;
        for (int i = 0; i < COUNT; i++) plain[i] = PluginParameters.get(i).toPlain(params[i]);
        System.arraycopy(lfe, 0, lfeGain, 0, lfeGain.length);
    }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        if (inputFormat.channels() > 2) throw new IllegalArgumentException("input must be mono or stereo");
        inFormat = inputFormat;
        outFormat = new AudioFormat(inputFormat.sampleRate(), layout);
        outs = layout.channelCount();
        lfe = layout.lfeIndex();
        List<Integer> idx = new ArrayList<>();
        for (int o = 0; o < outs; o++) if (o != lfe) idx.add(o);
        List<Speaker> sp = layout.speakers();
        idx.sort((a, b) -> Double.compare(sp.get(a).azimuthDegrees(), sp.get(b).azimuthDegrees()));
        ring = idx.stream().mapToInt(Integer::intValue).toArray();
        ringAz = new double[ring.length];
        for (int i = 0; i < ring.length; i++) ringAz[i] = sp.get(ring[i]).azimuthDegrees();
        for (int s = 0; s < SOURCES; s++) {
            target[s] = new double[outs];
            current[s] = new double[outs];
        }
        smooth = 1 - Math.exp(-1.0 / (SMOOTH_SECONDS * inputFormat.sampleRate()));
        crossover = new LinkwitzRiley(inputFormat.sampleRate(), CROSSOVER_HZ);
        src = new float[SOURCES][maxBlockFrames];
        mid = new float[maxBlockFrames];
        side = new float[maxBlockFrames];
        if (room != null) {
            if (room.sampleRate() != inputFormat.sampleRate()) {
                throw new IllegalArgumentException("room IR at " + room.sampleRate() + " Hz for a "
                        + inputFormat.sampleRate() + " Hz stream");
            }
            convolver = PartitionedConvolver.lowLatency(room, 128, false);
            convolver.prepare(AudioFormat.of(inputFormat.sampleRate(), 1), maxBlockFrames);
            roomIn = new AudioBuffer(1, maxBlockFrames);
            roomOut = new AudioBuffer(outs, maxBlockFrames);
        }
        delayLen = latencyFrames();
        delay = new float[SOURCES][Math.max(1, delayLen)];
        for (int s = 0; s < STEMS.size(); s++) computeTargets(s);
        reset();
    }

    @Override
    public void setParameter(int id, double value) {
        plain[id] = value;
        if (id < ROOM) computeTargets(id / PER_STEM);
        else if (id == WET) for (int s = 0; s < STEMS.size(); s++) computeTargets(s);
    }

    @Override
    public void reset() {
        for (int s = 0; s < SOURCES; s++) {
            System.arraycopy(target[s], 0, current[s], 0, outs);
            sendCurrent[s] = sendTarget[s];
            java.util.Arrays.fill(delay[s], 0f);
        }
        delayPos = 0;
        crossover.reset();
        if (convolver != null) convolver.reset();
    }

    @Override
    public AudioFormat outputFormat() {
        return outFormat;
    }

    @Override
    public int latencyFrames() {
        return convolver == null ? 0 : convolver.latencyFrames();
    }

    @Override
    public long tailFrames() {
        return convolver == null ? 0 : convolver.tailFrames();
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        int n = input.frames();
        output.setFrames(n);
        float[] l = input.channel(0);
        float[] r = input.channels() > 1 ? input.channel(1) : l;
        for (int i = 0; i < n; i++) {
            mid[i] = 0.5f * (l[i] + r[i]);
            side[i] = 0.5f * (l[i] - r[i]);
        }
        crossover.split(mid, 0, src[BASS], src[VOCALS], n);
        java.util.Arrays.fill(src[DRUMS], 0, n, 0f);
        for (int i = 0; i < n; i++) {
            src[OTHER_L][i] = side[i];
            src[OTHER_R][i] = -side[i];
        }
        if (convolver != null) {
            float[] bus = roomIn.channel(0);
            for (int i = 0; i < n; i++) {
                double acc = 0;
                for (int s = 0; s < SOURCES; s++) {
                    sendCurrent[s] += smooth * (sendTarget[s] - sendCurrent[s]);
                    acc += sendCurrent[s] * src[s][i];
                }
                bus[i] = (float) acc;
            }
            roomIn.setFrames(n);
            convolver.process(roomIn, roomOut);
        }
        for (int o = 0; o < outs; o++) {
            if (convolver != null) System.arraycopy(roomOut.channel(o), 0, output.channel(o), 0, n);
            else java.util.Arrays.fill(output.channel(o), 0, n, 0f);
        }
        float[][] out = output.data();
        for (int i = 0; i < n; i++) {
            int dp = delayPos;
            for (int s = 0; s < SOURCES; s++) {
                float x = src[s][i];
                if (delayLen > 0) {
                    float[] d = delay[s];
                    float y = d[dp];
                    d[dp] = x;
                    x = y;
                }
                double[] cur = current[s];
                double[] tgt = target[s];
                for (int o = 0; o < outs; o++) {
                    cur[o] += smooth * (tgt[o] - cur[o]);
                    out[o][i] += (float) (cur[o] * x);
                }
            }
            if (delayLen > 0) delayPos = dp + 1 == delayLen ? 0 : dp + 1;
        }
    }

    /** Gains of one stem's sources into every output (and into the room) from its parameters. */
    private void computeTargets(int stem) {
        int b = stem * PER_STEM;
        boolean muted = plain[b + MUTE] >= 0.5;
        double level = muted ? 0 : Math.pow(10, plain[b + LEVEL] / 20);
        double direct = level / Math.max(1.0, plain[b + DISTANCE]);
        double send = level * Math.pow(10, plain[b + ROOM_SEND] / 20) * Math.pow(10, plain[WET] / 20);
        double az = plain[b + AZIMUTH];
        double half = plain[b + WIDTH] / 2;
        double lfeSend = lfe >= 0 ? level * lfeGain[stem] : 0;
        if (stem == 3) { // "other": a stereo pair spread over the width
            pan(target[OTHER_L], az + half, direct);
            pan(target[OTHER_R], az - half, direct);
            sendTarget[OTHER_L] = send;
            sendTarget[OTHER_R] = send;
            if (lfe >= 0) {
                target[OTHER_L][lfe] = lfeSend;
                target[OTHER_R][lfe] = lfeSend;
            }
            return;
        }
        int s = stem == 0 ? VOCALS : stem == 1 ? DRUMS : BASS;
        double[] g = target[s];
        if (half < 1e-6) {
            pan(g, az, direct);
        } else {
            pan(g, az + half, direct * Math.sqrt(0.5));
            double[] tmp = target[s];
            addPan(tmp, az - half, direct * Math.sqrt(0.5));
        }
        sendTarget[s] = send;
        if (lfe >= 0) g[lfe] = lfeSend;
    }

    private void pan(double[] g, double az, double gain) {
        java.util.Arrays.fill(g, 0);
        addPan(g, az, gain);
    }

    /** Pairwise constant-power panning between the two ring speakers around {@code az} (degrees, + = left). */
    private void addPan(double[] g, double az, double gain) {
        int n = ring.length;
        if (n == 1) {
            g[ring[0]] += gain;
            return;
        }
        double a = az % 360;
        if (a > 180) a -= 360;
        if (a <= -180) a += 360;
        if (n == 2) { // a stereo pair spans the front only: sources beyond it sit in the nearer speaker
            a = Math.max(ringAz[0], Math.min(ringAz[1], a));
            double t = (a - ringAz[0]) / (ringAz[1] - ringAz[0]);
            g[ring[0]] += gain * Math.cos(t * Math.PI / 2);
            g[ring[1]] += gain * Math.sin(t * Math.PI / 2);
            return;
        }
        int lo = n - 1;
        double from = ringAz[n - 1] - 360;
        double to = ringAz[0];
        for (int i = 0; i < n - 1; i++) {
            if (a >= ringAz[i] && a < ringAz[i + 1]) {
                lo = i;
                from = ringAz[i];
                to = ringAz[i + 1];
                break;
            }
        }
        if (lo == n - 1 && a >= ringAz[n - 1]) {
            from = ringAz[n - 1];
            to = ringAz[0] + 360;
        }
        double t = (a - from) / (to - from);
        int hi = lo == n - 1 ? 0 : lo + 1;
        g[ring[lo]] += gain * Math.cos(t * Math.PI / 2);
        g[ring[hi]] += gain * Math.sin(t * Math.PI / 2);
    }

    AudioFormat inputFormat() {
        return inFormat;
    }
}
