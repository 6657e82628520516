package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.StemSettings;
import org.stemroom.room.PartitionedConvolver;
import org.stemroom.room.RoomImpulseResponse;
import org.stemroom.spatial.SpeakerLayout;
import org.stemroom.spatial.StemPanner;
import org.stemroom.spatial.StemPlacement;

/** The mix's stems through one shared room, and live placement. */
class StemChainsTest {
    private static final int RATE = 48000;
    private static final ChannelLayout L51 = ChannelLayout.SURROUND_5_1;

    private static float[][] noise(int channels, int frames, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[channels][frames];
        for (float[] c : x) for (int i = 0; i < frames; i++) c[i] = (float) ((r.nextDouble() * 2 - 1) * 0.3);
        return x;
    }

    /** Four stems, stereo and mono, spread around, near and far, with room-send trims. */
    private static final List<String> NAMES = List.of("vocals", "drums", "bass", "other");
    private static final List<StemSettings> SETTINGS = List.of(
            new StemSettings(0, 0, 1.5, 20, 0, false, null, 0),
            new StemSettings(25, 0, 4, 70, -3, false, -10.0, -2),
            new StemSettings(-10, 0, 2, 0, 1, false, null, 3),
            new StemSettings(-110, 0, 6, 120, -1, false, null, 0));
    private static final int[] CHANNELS = {2, 2, 1, 2};

    /**
     * The mix with one shared room equals the old way, computed here independently: every stem through its own
     * panner and its own convolver with the IRs of the source positions nearest to its channels, summed.
     */
    @Test
    void sharedRoomEqualsEachStemInItsOwnRoom() throws Exception {
        RoomLibrary.Room room = RoomLibrary.load("live-room", L51, RATE);
        double wet = Math.pow(10, -2.0 / 20), dry = Math.pow(10, -1.0 / 20);
        int frames = RATE, block = 512;
        List<float[][]> stems = new ArrayList<>();
        for (int k = 0; k < 4; k++) stems.add(noise(CHANNELS[k], frames, 10 + k));

        StemChains chains = StemChains.of(L51, NAMES, SETTINGS, CHANNELS, room, wet, dry, false);
        List<AudioFormat> formats = new ArrayList<>();
        for (int c : CHANNELS) formats.add(AudioFormat.of(RATE, c));
        chains.prepare(formats, block);
        int total = frames + chains.latencyFrames() + (int) chains.tailFrames();
        float[][] mix = runMix(chains, stems, total, block, null);
        int lat = chains.latencyFrames();

        // independent reference: the per-stem rooms of before the shared room
        float[][] ref = new float[6][total];
        for (int k = 0; k < 4; k++) {
            StemSettings st = SETTINGS.get(k);
            StemPlacement p = PlacementMapping.toPlacement(st);
            double[] dirs = CHANNELS[k] == 1 ? new double[] {st.azimuth()}
                    : new double[] {st.azimuth() + st.width() / 2, st.azimuth() - st.width() / 2};
            if (dirs.length == 2 && RoomLibrary.nearestSource(room.sourceAzimuths(), dirs[0])
                    == RoomLibrary.nearestSource(room.sourceAzimuths(), dirs[1])) dirs = new double[] {st.azimuth()};
            RoomImpulseResponse ir = RoomLibrary.forStem(room, L51, dirs);
            double trim = Math.pow(10, st.roomSendDb() / 20);
            double balance = StemChain.balanceGain(p.distance(), p.criticalDistance(), true, wet * trim, dry);
            float dryScale = (float) (dry * balance);
            float feedScale = (float) (balance * wet * trim * Math.pow(10, p.levelDb() / 20) / p.criticalDistance());
            StemPanner panner = new StemPanner(SpeakerLayout.of(L51));
            panner.setPlacement(p);
            panner.prepare(AudioFormat.of(RATE, CHANNELS[k]), total);
            AudioBuffer direct = new AudioBuffer(6, total);
            float[][] padded = new float[CHANNELS[k]][total];
            for (int c = 0; c < CHANNELS[k]; c++) System.arraycopy(stems.get(k)[c], 0, padded[c], 0, frames);
            panner.process(AudioBuffer.wrap(padded, total), direct);
            PartitionedConvolver conv = PartitionedConvolver.offline(ir);
            conv.prepare(AudioFormat.of(RATE, ir.sources()), block);
            int cl = conv.latencyFrames();
            AudioBuffer feed = new AudioBuffer(ir.sources(), block);
            AudioBuffer out = new AudioBuffer(6, block);
            for (int pos = 0; pos < total + cl; pos += block) {
                int n = Math.min(block, total + cl - pos);
                feed.setFrames(n);
                feed.clear();
                for (int c = 0; c < CHANNELS[k]; c++) {
                    float[] d = feed.channel(ir.sources() == CHANNELS[k] ? c : 0);
                    for (int i = 0; i < n; i++) if (pos + i < frames) d[i] += stems.get(k)[c][pos + i] * feedScale;
                }
                conv.process(feed, out);
                for (int o = 0; o < 6; o++) {
                    for (int i = 0; i < n; i++) {
                        int t = pos + i - cl;
                        if (t >= 0 && t < total) ref[o][t] += out.channel(o)[i];
                    }
                }
            }
            for (int o = 0; o < 6; o++) for (int i = 0; i < total; i++) ref[o][i] += direct.channel(o)[i] * dryScale;
        }
        double maxDiff = 0, peak = 0;
        for (int o = 0; o < 6; o++) {
            for (int i = 0; i + lat < total; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(mix[o][i + lat] - ref[o][i]));
                peak = Math.max(peak, Math.abs(ref[o][i]));
            }
        }
        System.out.printf("shared room vs per-stem rooms: %d buses, max |diff| %.3g (peak %.3f)%n", chains.buses(),
                maxDiff, peak);
        assertTrue(peak > 0.1, "signal: " + peak);
        assertTrue(maxDiff <= 1e-6, "max |diff| " + maxDiff); // float rounding of sums in another order
        assertTrue(chains.buses() < 4 * 2, "one bus per used source position: " + chains.buses());
    }

    private static float[][] runMix(StemChains chains, List<float[][]> stems, int total, int block,
                                    List<Runnable[]> events) {
        int k = stems.size();
        AudioBuffer[] in = new AudioBuffer[k];
        for (int s = 0; s < k; s++) in[s] = new AudioBuffer(stems.get(s).length, block);
        AudioBuffer mix = new AudioBuffer(chains.layout().channelCount(), block);
        float[][] out = new float[chains.layout().channelCount()][total];
        for (int pos = 0; pos < total; pos += block) {
            int n = Math.min(block, total - pos);
            for (int s = 0; s < k; s++) {
                in[s].setFrames(n);
                for (int c = 0; c < stems.get(s).length; c++) {
                    float[] x = stems.get(s)[c];
                    for (int i = 0; i < n; i++) in[s].channel(c)[i] = pos + i < x.length ? x[pos + i] : 0f;
                }
            }
            if (events != null && pos / block < events.size() && events.get(pos / block) != null) {
                for (Runnable r : events.get(pos / block)) r.run();
            }
            chains.processMix(in, mix);
            for (int o = 0; o < out.length; o++) System.arraycopy(mix.channel(o), 0, out[o], pos, n);
        }
        return out;
    }

    /** A room.json with three measured positions: each stem is heard from the position nearest its azimuth. */
    @Test
    void eachStemFeedsTheNearestMeasuredPosition(@TempDir Path dir) throws Exception {
        // position p: a direct spike at 10, then one reflection at 200 + 300 p (the direct sound is cut)
        double[][] pos = {{-2, 2, 1.5}, {0, 3, 1.5}, {2, 2, 1.5}}; // left 45, front 0, right -45 (x = right)
        StringBuilder json = new StringBuilder("{\"name\": \"three\", \"layout\": \"stereo\", \"sources\": [");
        for (int p = 0; p < 3; p++) {
            float[][] h = new float[2][2000];
            for (float[] c : h) {
                c[10] = 1f;
                c[200 + 300 * p] = 0.5f;
            }
            AudioFiles.write(dir.resolve("p" + p + ".wav"), new AudioClip(AudioFormat.of(RATE, 2), h),
                    SampleFormat.FLOAT_32);
            json.append(p > 0 ? ", " : "").append("{\"file\": \"p").append(p).append(".wav\", \"position\": [")
                    .append(pos[p][0]).append(", ").append(pos[p][1]).append(", ").append(pos[p][2])
                    .append("], \"channels\": [\"L\", \"R\"]}");
        }
        json.append("], \"receivers\": [[0, 0, 1.6]]}");
        Path rj = dir.resolve("room.json");
        Files.writeString(rj, json);
        RoomLibrary.Room room = RoomLibrary.load(rj.toString(), ChannelLayout.STEREO, RATE);
        assertArrayEquals(new double[] {45, 0, -45}, room.sourceAzimuths(), 1e-9);
        for (double az : new double[] {50, 5, -60}) {
            int expected = az > 20 ? 0 : az < -20 ? 2 : 1;
            StemChains chains = StemChains.of(ChannelLayout.STEREO, List.of("x"),
                    List.of(new StemSettings(az, 0, 2, 0, 0, false, null, 0)), new int[] {1}, room, 1, 0, false);
            chains.prepare(List.of(AudioFormat.of(RATE, 1)), 256);
            float[] impulse = new float[1];
            impulse[0] = 1;
            List<float[][]> in = new ArrayList<>();
            in.add(new float[][] {impulse});
            float[][] out = runMix(chains, in, chains.latencyFrames() + 2000, 256, null);
            int peakAt = 0;
            for (int i = 0; i < out[0].length; i++) if (Math.abs(out[0][i]) > Math.abs(out[0][peakAt])) peakAt = i;
            assertEquals(200 + 300 * expected, peakAt - chains.latencyFrames(), "azimuth " + az);
            assertEquals(1, chains.buses());
        }
        // live: every position gets a bus, and moving the stem moves it to the other position's bus
        StemChains live = StemChains.of(ChannelLayout.STEREO, List.of("x"),
                List.of(new StemSettings(50, 0, 2, 0, 0, false, null, 0)), new int[] {1}, room, 1, 0, true);
        assertEquals(3, live.buses());
    }

    private static StemChains liveChains(RoomLibrary.Room room, List<StemSettings> settings) {
        StemChains c = StemChains.of(L51, NAMES, settings, CHANNELS, room, 0.8, 0.9, true);
        List<AudioFormat> formats = new ArrayList<>();
        for (int ch : CHANNELS) formats.add(AudioFormat.of(RATE, ch));
        c.prepare(formats, 512);
        return c;
    }

    /** Automation of all four placement parameters, applied to a chain. */
    private static void move(StemChain c, int step) {
        c.setAzimuth(-170 + (step * 37) % 340);
        c.setDistance(0.5 + (step * 0.7) % 8);
        c.setWidth((step * 23) % 180);
        c.setRoomSendDb(-12 + (step * 5) % 15);
    }

    /**
     * Live placement lands exactly where a static build with the final settings starts: the stems move during
     * a stretch of silence, then the mix equals the mix of chains built with the final placements.
     */
    @Test
    void automationLandsOnTheStaticChainOfTheFinalSettings() throws Exception {
        RoomLibrary.Room room = RoomLibrary.load("live-room", L51, RATE);
        int block = 512, silent = 40 * block, frames = RATE / 2;
        List<float[][]> stems = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            float[][] x = noise(CHANNELS[k], silent + frames, 20 + k);
            for (float[] c : x) java.util.Arrays.fill(c, 0, silent, 0f);
            stems.add(x);
        }
        StemChains live = liveChains(room, SETTINGS);
        List<Runnable[]> events = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            final int step = b;
            Runnable[] r = new Runnable[4];
            for (int k = 0; k < 4; k++) {
                final StemChain c = live.chain(k);
                r[k] = () -> move(c, step * 4 + c.stem().length());
            }
            events.add(r);
        }
        int total = silent + frames + live.latencyFrames() + (int) live.tailFrames();
        float[][] a = runMix(live, stems, total, block, events);

        List<StemSettings> fin = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            StemChain c = live.chain(k);
            StemSettings s = SETTINGS.get(k);
            fin.add(new StemSettings(c.azimuth(), 0, c.distance(), c.width(), s.levelDb(), false, s.lfeSendDb(),
                    c.roomSendDb()));
        }
        StemChains ref = liveChains(room, fin);
        assertEquals(ref.latencyFrames(), live.latencyFrames());
        float[][] b = runMix(ref, stems, total, block, null);
        double maxDiff = 0, energy = 0;
        for (int o = 0; o < 6; o++) {
            for (int i = 0; i < total; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[o][i] - b[o][i]));
                energy += b[o][i] * b[o][i];
            }
        }
        System.out.printf("automated vs static final placement: max |diff| %.3g%n", maxDiff);
        assertTrue(energy > 100, "signal: " + energy);
        assertTrue(maxDiff <= 1e-5, "max |diff| " + maxDiff);
    }

    /** Sample-accurate automation gives the same output whatever the block sizes it is processed in. */
    @Test
    void automationDoesNotDependOnBlockSize() throws Exception {
        RoomLibrary.Room room = RoomLibrary.load("live-room", L51, RATE);
        int frames = RATE;
        List<float[][]> stems = new ArrayList<>();
        for (int k = 0; k < 4; k++) stems.add(noise(CHANNELS[k], frames, 30 + k));
        int every = 1536; // events at multiples of 1536 frames: block boundaries for 512, 3 x 512 and 1536 frames
        float[][][] outs = new float[3][][];
        int[] blocks = {512, 1536, 96};
        for (int v = 0; v < 3; v++) {
            int block = blocks[v];
            StemChains c = StemChains.of(L51, NAMES, SETTINGS, CHANNELS, room, 0.8, 0.9, true);
            List<AudioFormat> formats = new ArrayList<>();
            for (int ch : CHANNELS) formats.add(AudioFormat.of(RATE, ch));
            c.prepare(formats, 1536); // the host's maximum block; the calls come in other sizes
            List<Runnable[]> events = new ArrayList<>();
            for (int pos = 0; pos < frames; pos += block) {
                if (pos % every != 0) {
                    events.add(null);
                    continue;
                }
                final int step = pos / every;
                Runnable[] r = new Runnable[4];
                for (int k = 0; k < 4; k++) {
                    final StemChain ch = c.chain(k);
                    r[k] = () -> move(ch, step * 3 + ch.stem().length());
                }
                events.add(r);
            }
            outs[v] = runMix(c, stems, frames, block, events);
        }
        double maxDiff = 0, moved = 0;
        StemChains still = StemChains.of(L51, NAMES, SETTINGS, CHANNELS, room, 0.8, 0.9, true);
        List<AudioFormat> formats = new ArrayList<>();
        for (int ch : CHANNELS) formats.add(AudioFormat.of(RATE, ch));
        still.prepare(formats, 512);
        float[][] unmoved = runMix(still, stems, frames, 512, null);
        for (int o = 0; o < 6; o++) {
            for (int i = 0; i < frames; i++) moved = Math.max(moved, Math.abs(outs[0][o][i] - unmoved[o][i]));
        }
        assertTrue(moved > 0.05, "the automation moved the stems: " + moved);
        for (int v = 1; v < 3; v++) {
            for (int o = 0; o < 6; o++) {
                for (int i = 0; i < frames; i++) maxDiff = Math.max(maxDiff, Math.abs(outs[0][o][i] - outs[v][o][i]));
            }
        }
        System.out.printf("automation in blocks of 512 / 1536 / 96: max |diff| %.3g%n", maxDiff);
        assertTrue(maxDiff <= 1e-5, "max |diff| " + maxDiff);
    }

    /** A fast azimuth sweep (a turn in 0.1 s, moved every 16 frames) of a DC stem steps no more than the glide allows. */
    @Test
    void fastAzimuthSweepHasNoZipper() {
        StemChains c = StemChains.of(L51, List.of("x"), List.of(new StemSettings(0, 0, 1, 0, 0, false, null, 0)),
                new int[] {1}, null, 1, 1, true);
        c.prepare(List.of(AudioFormat.of(RATE, 1)), 16);
        int n = RATE / 2;
        float[] dc = new float[n];
        java.util.Arrays.fill(dc, 1f);
        List<Runnable[]> events = new ArrayList<>();
        for (int s = 0; s < n; s += 16) {
            double az = 360.0 * s / (0.1 * RATE);
            events.add(new Runnable[] {() -> c.chain(0).setAzimuth(az)});
        }
        List<float[][]> dcStem = new ArrayList<>();
        dcStem.add(new float[][] {dc});
        float[][] out = runMix(c, dcStem, n, 16, events);
        // every gain is <= 1 and glides linearly over the smoothing time: one sample moves by 1 / rampFrames at most
        double bound = 1 / (StemPanner.DEFAULT_SMOOTHING_SECONDS * RATE);
        double maxStep = 0;
        for (float[] ch : out) for (int i = 1; i < n; i++) maxStep = Math.max(maxStep, Math.abs(ch[i] - ch[i - 1]));
        System.out.printf("fast azimuth sweep: max step %.5f, bound %.5f%n", maxStep, bound);
        assertTrue(maxStep <= bound + 1e-6, "max step " + maxStep + " > bound " + bound);
        assertTrue(maxStep > bound / 10, "the stem moved: " + maxStep);
    }

    /** Moving all four placement parameters of every stem on every block allocates nothing. */
    @Test
    void liveAutomationAllocatesNothing() throws Exception {
        RoomLibrary.Room room = RoomLibrary.load("live-room", L51, RATE);
        StemChains c = liveChains(room, SETTINGS);
        AudioBuffer[] in = new AudioBuffer[4];
        for (int k = 0; k < 4; k++) {
            in[k] = AudioBuffer.wrap(noise(CHANNELS[k], 512, 40 + k), 512);
        }
        AudioBuffer mix = new AudioBuffer(6, 512);
        int[] step = {0};
        Runnable one = () -> {
            int s = step[0]++;
            for (int k = 0; k < 4; k++) move(c.chain(k), s + k);
            c.processMix(in, mix);
        };
        for (int i = 0; i < 5000; i++) one.run();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        List<Long> windows = new ArrayList<>();
        for (int w = 0; w < 3; w++) { // one clean window of three (a JIT event can cost bytes once; see PluginInstanceTest)
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 10_000; i++) one.run();
            windows.add(mx.getThreadAllocatedBytes(tid) - before);
            if (windows.get(w) == 0) break;
        }
        assertEquals(0L, windows.get(windows.size() - 1), "bytes per 10,000 blocks: " + windows);
        assertTrue(mix.peak() > 0, "output carries the stems");
    }
}
