package org.stemroom.plugin;

import static org.junit.jupiter.api.Assertions.*;
import static org.stemroom.plugin.PluginParameters.*;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.stemroom.core.StemroomException;
import org.stemroom.presets.Preset;
import org.stemroom.presets.Presets;

class PluginInstanceTest {
    private static final int RATE = 48000;
    private static final long ARR_51 = 0x3F;

    static float[] noise(int frames, int channels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[frames * channels];
        for (int i = 0; i < x.length; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * 0.3);
        return x;
    }

    static List<OfflineReference.Change> automation(int frames, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<OfflineReference.Change> c = new ArrayList<>();
        for (long s = 1000; s < frames; s += 700 + r.nextInt(3000)) {
            int id = r.nextInt(ROOM); // any per-stem parameter
            c.add(new OfflineReference.Change(s, id, r.nextDouble()));
            if (r.nextInt(4) == 0) c.add(new OfflineReference.Change(s, WET, r.nextDouble()));
        }
        return c;
    }

    @Test
    void outputDoesNotDependOnBlockSize() {
        int frames = RATE * 2;
        float[] in = noise(frames, 2, 1);
        List<OfflineReference.Change> changes = automation(frames, 2);
        float[] a = OfflineReference.render(null, in, 2, ARR_51, RATE, 512, changes);
        float[] b = OfflineReference.render(null, in, 2, ARR_51, RATE, 73, changes);
        assertEquals(a.length, b.length);
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        assertTrue(maxDiff < 1e-6, "block 512 vs 73 differ by " + maxDiff);
        double energy = 0;
        for (float v : a) energy += v * v;
        assertTrue(energy > 1, "output carries the signal: " + energy);
    }

    @Test
    void processAllocatesNothing() {
        PluginInstance p = PluginInstance.standalone();
        int block = 512;
        ByteBuffer io = ByteBuffer.allocateDirect((2 + 6) * block * 4).order(ByteOrder.nativeOrder());
        ByteBuffer ch = ByteBuffer.allocateDirect(2048 * 16).order(ByteOrder.nativeOrder());
        assertTrue(p.setup(RATE, block, 3, ARR_51, 0, io, ch) >= 0, p.status());
        FloatBuffer f = io.asFloatBuffer();
        float[] x = noise(block, 2, 3);
        for (int i = 0; i < block; i++) {
            f.put(i, x[2 * i]);
            f.put(block + i, x[2 * i + 1]);
        }
        SplittableRandom r = new SplittableRandom(4);
        // every block: azimuth, distance, width and room send of every stem sweep (16 points at random offsets),
        // plus one other parameter and bypass
        int[] which = {AZIMUTH, DISTANCE, WIDTH, ROOM_SEND};
        long[] calls = {0};
        Runnable oneBlock = () -> {
            long k = calls[0]++;
            int n = 0;
            for (int s = 0; s < STEMS.size(); s++) {
                for (int w : which) {
                    ch.putInt(16 * n, stemParam(s, w));
                    ch.putInt(16 * n + 4, r.nextInt(block));
                    ch.putDouble(16 * n + 8, ((k * 0.013 + s * 0.25 + w * 0.1) % 1.0));
                    n++;
                }
            }
            ch.putInt(16 * n, r.nextInt(ROOM));
            ch.putInt(16 * n + 4, r.nextInt(block));
            ch.putDouble(16 * n + 8, r.nextDouble());
            n++;
            ch.putInt(16 * n, BYPASS);
            ch.putInt(16 * n + 4, r.nextInt(block));
            ch.putDouble(16 * n + 8, r.nextInt(8) == 0 ? 1 : 0);
            n++;
            if (p.process(block, n, 0) < 0) throw new AssertionError(p.status());
        };
        for (int i = 0; i < 20_000; i++) oneBlock.run();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        // Steady state must be exactly zero. A JIT event finishing mid-window (deoptimization re-materializing a
        // scalar-replaced object) has been seen to cost ~100 bytes once on a loaded machine, so up to three
        // windows are measured and one clean window of 10,000 calls is required.
        List<Long> windows = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 10_000; i++) oneBlock.run();
            long bytes = mx.getThreadAllocatedBytes(tid) - before;
            windows.add(bytes);
            if (bytes == 0) break;
        }
        assertTrue(p.status().startsWith("running"), p.status());
        p.release();
        assertEquals(0L, windows.get(windows.size() - 1), "bytes allocated per 10,000 process calls: " + windows);
    }

    /**
     * Driven faster than real time, the separator's worker falls behind: the blocks its fallback served are counted
     * (warm-up excluded), shown in the status line and written where the shim reads them for the status parameter.
     */
    @Test
    void lateBlocksShowInTheStatus() {
        PluginInstance p = PluginInstance.standalone();
        int block = 512;
        ByteBuffer io = ByteBuffer.allocateDirect((2 + 6) * block * 4).order(ByteOrder.nativeOrder());
        ByteBuffer ch = ByteBuffer.allocateDirect(PluginInstance.LATE_SLOT + 16).order(ByteOrder.nativeOrder());
        assertTrue(p.setup(RATE, block, 3, ARR_51, 0, io, ch) >= 0, p.status());
        p.warmUp(2000, block);
        assertEquals(0, p.lateBlocks(), "warm-up blocks are not counted");
        assertEquals("running", p.status());
        FloatBuffer f = io.asFloatBuffer();
        float[] x = noise(block, 2, 5);
        for (int i = 0; i < block; i++) {
            f.put(i, x[2 * i]);
            f.put(block + i, x[2 * i + 1]);
        }
        for (int i = 0; i < 3000; i++) assertEquals(0, p.process(block, 0, 0), p.status());
        long late = p.lateBlocks();
        String status = p.status();
        p.release();
        assertTrue(late > 0, "3000 blocks unpaced: the worker cannot keep up");
        assertEquals(late, ch.getLong(PluginInstance.LATE_SLOT));
        assertTrue(status.contains(late + " late blocks (separator fallback)"), status);
    }

    /**
     * The warm-up's calls alternate between the audio thread's paths all along (see {@link PluginInstance#warmUp(int,
     * int)}): C2 compiles from the calls its profiling tier saw, which at load is any stretch of the warm-up, not the
     * whole of it, and a path the stretch missed becomes a deoptimization on the audio thread in the session. So every
     * stretch of {@code STRETCH} calls (below the 600-odd calls the profiling tier runs at the least before a C2
     * compile) past the twin's first latency must hold a late block (the separator's fallback, real-time mode), a
     * block read from the worker (offline mode) and a restart of the twin's stream (its blocks before the latency),
     * and the restarts leave the twin's rings room to wrap. A warm-up in two halves, all late then all on time, fails.
     */
    @Test
    void warmUpInterleavesLateAndOnTimeBlocks() {
        PluginInstance p = PluginInstance.standalone();
        int block = 512, frames = 64, calls = 4000;
        ByteBuffer io = ByteBuffer.allocateDirect((2 + 6) * block * 4).order(ByteOrder.nativeOrder());
        ByteBuffer ch = ByteBuffer.allocateDirect(PluginInstance.LATE_SLOT + 16).order(ByteOrder.nativeOrder());
        assertTrue(p.setup(RATE, block, 3, ARR_51, 0, io, ch) >= 0, p.status());
        List<Boolean> offline = new ArrayList<>(), late = new ArrayList<>(), restart = new ArrayList<>();
        p.warmUp(calls, frames, (off, wasLate, restarted) -> {
            offline.add(off);
            late.add(wasLate);
            restart.add(restarted);
        });
        p.release();
        int n = offline.size();
        // the 3 s cap can cut the warm-up short on a starved machine; the stretches it did make are checked all the same
        assertTrue(n >= 600, "warm-up calls made: " + n);
        int first = (int) Math.ceil(SeparatedEngine.TWIN_WINDOW * 1.25 * RATE / frames) + 1; // the twin's latency
        final int stretch = 400;
        int lateCount = 0, onTimeCount = 0;
        for (int i = first; i < n; i++) {
            assertFalse(offline.get(i) && late.get(i), "call " + i + ": offline calls wait for the worker");
            if (late.get(i)) lateCount++;
            if (offline.get(i)) onTimeCount++;
        }
        assertTrue(lateCount >= n / 20 && onTimeCount >= n / 5, "late " + lateCount + ", offline " + onTimeCount);
        for (int s = first; s + stretch <= n; s++) {
            boolean sawLate = false, sawWorker = false, sawStart = false;
            for (int i = s; i < s + stretch; i++) {
                sawLate |= late.get(i);
                sawWorker |= offline.get(i);
                sawStart |= restart.get(i);
            }
            assertTrue(sawLate && sawWorker && sawStart, "calls " + s + ".." + (s + stretch) + ": late " + sawLate
                    + ", read from the worker " + sawWorker + ", a restart " + sawStart);
        }
        // the twin's rings hold its latency, its window (shorter than its latency) and four blocks
        // (StreamingSeparator.prepare): under 2 of its latencies plus 4 blocks of 512; a stream runs at least twice that
        // between restarts
        int ring = 2 * (int) Math.round(SeparatedEngine.TWIN_WINDOW * 1.25 * RATE) + 4 * block, last = -1;
        for (int i = 0; i < n; i++) {
            if (!restart.get(i)) continue;
            assertTrue(last < 0 || (long) (i - last) * frames >= 2L * ring, "restarts at calls " + last + " and " + i);
            last = i;
        }
    }

    @Test
    void stateRoundTripsAsPreset() throws StemroomException {
        PluginInstance p = PluginInstance.standalone();
        byte[] builtin = Presets.builtInText("surround-in-the-band").getBytes(StandardCharsets.UTF_8);
        assertEquals(0, p.setState(builtin), p.status());
        byte[] saved = p.getState();
        Preset a = Presets.parse(new String(builtin, StandardCharsets.UTF_8), "a");
        Preset b = Presets.parse(new String(saved, StandardCharsets.UTF_8), "b");
        assertEquals(a, b, "a preset survives the plugin unchanged");
        PluginInstance q = PluginInstance.standalone();
        assertEquals(0, q.setState(saved));
        assertArrayEquals(saved, q.getState());
        // the parameters show the preset's 5.1 placement
        double az = get(stemParam(0, AZIMUTH)).toPlain(p.getParam(stemParam(0, AZIMUTH)));
        assertEquals(a.layouts().get("5.1").forStem("vocals").azimuth(), az, 1e-9);
    }

    @Test
    void invalidStateIsRefusedAndKeepsTheOldOne() {
        PluginInstance p = PluginInstance.standalone();
        byte[] before = p.getState();
        assertEquals(-1, p.setState("{\"version\": 1, \"name\": \"Bad Name\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(p.status().contains("state not restored"), p.status());
        assertArrayEquals(before, p.getState());
        assertEquals(-1, p.setState("not json".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(before, p.getState());
    }

    @Test
    void parameterEditsLandInTheSavedPreset() throws StemroomException {
        PluginInstance p = PluginInstance.standalone();
        p.setParam(stemParam(2, LEVEL), get(stemParam(2, LEVEL)).toNormalized(-6));
        p.setParam(stemParam(1, MUTE), 1);
        p.setParam(ROOM, get(ROOM).toNormalized(3));
        Preset saved = Presets.parse(new String(p.getState(), StandardCharsets.UTF_8), "saved");
        assertEquals(-6, saved.layouts().get("5.1").forStem("bass").levelDb(), 1e-9);
        assertTrue(saved.layouts().get("5.1").forStem("drums").mute());
        assertEquals("scoring-stage", saved.room().name());
    }

    @Test
    void bypassPassesTheInputDelayedByTheLatency() {
        int latency = reportedLatency(); // the separator's and the room chain's
        int frames = latency + RATE / 2;
        float[] in = noise(frames, 2, 9);
        List<OfflineReference.Change> on = List.of(new OfflineReference.Change(0, BYPASS, 1));
        float[] out = OfflineReference.render(null, in, 2, ARR_51, RATE, 512, on);
        int fade = RATE / 100 + 1;
        for (int i = fade + latency; i < frames; i++) {
            assertEquals(in[2 * (i - latency)], out[6 * i], 1e-7f, "L at " + i);
            assertEquals(in[2 * (i - latency) + 1], out[6 * i + 1], 1e-7f, "R at " + i);
            for (int c = 2; c < 6; c++) assertEquals(0f, out[6 * i + c], 1e-7f);
        }
    }

    /** The default engine's latency as a host sees it after setupProcessing (48 kHz, 5.1). */
    static int reportedLatency() {
        PluginInstance p = PluginInstance.standalone();
        ByteBuffer io = ByteBuffer.allocateDirect(8 * 512 * 4).order(ByteOrder.nativeOrder());
        ByteBuffer ch = ByteBuffer.allocateDirect(2048 * 16).order(ByteOrder.nativeOrder());
        int latency = p.setup(RATE, 512, 3, ARR_51, 0, io, ch);
        p.release();
        assertTrue(latency >= 0, p.status());
        return latency;
    }

    @Test
    void javaParameterTableMatchesTheDefaultsOfThePreset() {
        PluginState s = new PluginState();
        for (Param p : all()) {
            if (p.id() == STATUS || p.id() == LAYOUT) continue;
            assertEquals(p.defaultNormalized(), s.normalized()[p.id()], 1e-12, p.title());
        }
    }
}
