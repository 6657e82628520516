package org.stemroom.plugin;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loads VST3 bundles from Java over JNA. For our bundle this is the "a JVM already runs in the host" case: the
 * shim must find this JVM (JNI_GetCreatedJavaVMs), load its classes in their own class loader and process
 * audio exactly as in a native host.
 */
class JnaHostIT {
    private static final int P = Native.POINTER_SIZE;

    @Test
    void reusesTheRunningJvmAndProcesses() {
        try (JnaVst3Module m = new JnaVst3Module(Vst3Host.bundle())) {
            assertEquals(1, m.countClasses());
            byte[] cid = new byte[16];
            String[] info = m.classInfo(0, cid);
            assertEquals("Audio Module Class", info[0]);
            assertEquals("stemroom", info[1]);
            assertEquals("Fx|Spatial", m.subCategories(0));

            Pointer comp = m.create(cid, JnaVst3Module.IID_IComponent);
            assertNotNull(comp);
            assertEquals(0, JnaVst3Module.call(comp, 3, Pointer.NULL)); // initialize
            Pointer proc = JnaVst3Module.query(comp, JnaVst3Module.IID_IAudioProcessor);
            assertNotNull(proc);
            // setBusArrangements(stereo -> 5.1)
            Memory in = new Memory(8), out = new Memory(8);
            in.setLong(0, 0x3);
            out.setLong(0, 0x3F);
            assertEquals(0, JnaVst3Module.call(proc, 3, in, 1, out, 1));
            // setupProcessing: {processMode, symbolicSampleSize, maxSamplesPerBlock, sampleRate}
            int block = 256;
            Memory setup = new Memory(24);
            setup.setInt(0, 2);         // kOffline: the separator waits for its worker (deterministic)
            setup.setInt(4, 0);
            setup.setInt(8, block);
            setup.setDouble(16, 48000);
            assertEquals(0, JnaVst3Module.call(proc, 7, setup));
            assertEquals(0, JnaVst3Module.call(comp, 11, (byte) 1)); // setActive(true)

            // audio: AudioBusBuffers {int32 numChannels; uint64 silenceFlags; float** channels}
            int frames = 3 * 48000;     // past the separator's latency
            float[] x = PluginInstanceTest.noise(frames, 2, 41);
            float[] y = new float[frames * 6];
            Memory[] inCh = {new Memory(block * 4L), new Memory(block * 4L)};
            Memory[] outCh = new Memory[6];
            for (int c = 0; c < 6; c++) outCh[c] = new Memory(block * 4L);
            Memory inPtrs = new Memory(2L * P), outPtrs = new Memory(6L * P);
            for (int c = 0; c < 2; c++) inPtrs.setPointer((long) c * P, inCh[c]);
            for (int c = 0; c < 6; c++) outPtrs.setPointer((long) c * P, outCh[c]);
            Memory inBus = new Memory(24), outBus = new Memory(24);
            inBus.clear();
            outBus.clear();
            inBus.setInt(0, 2);
            inBus.setPointer(16, inPtrs);
            outBus.setInt(0, 6);
            outBus.setPointer(16, outPtrs);
            Memory data = new Memory(80);
            data.clear();
            data.setInt(0, 2);          // processMode kOffline
            data.setInt(4, 0);          // kSample32
            data.setInt(12, 1);         // numInputs
            data.setInt(16, 1);         // numOutputs
            data.setPointer(24, inBus);
            data.setPointer(32, outBus);
            for (int pos = 0; pos < frames; pos += block) {
                int n = Math.min(block, frames - pos);
                for (int c = 0; c < 2; c++) for (int i = 0; i < n; i++) inCh[c].setFloat(4L * i, x[2 * (pos + i) + c]);
                data.setInt(8, n);
                assertEquals(0, JnaVst3Module.call(proc, 9, data));
                for (int c = 0; c < 6; c++) for (int i = 0; i < n; i++) y[6 * (pos + i) + c] = outCh[c].getFloat(4L * i);
            }
            // Native memory reached only through pointers: keep it alive until processing is over (the JIT may
            // otherwise consider these dead and a GC frees them under the plugin).
            java.lang.ref.Reference.reachabilityFence(inBus);
            java.lang.ref.Reference.reachabilityFence(outBus);
            java.lang.ref.Reference.reachabilityFence(inPtrs);
            java.lang.ref.Reference.reachabilityFence(outPtrs);
            java.lang.ref.Reference.reachabilityFence(inCh);
            java.lang.ref.Reference.reachabilityFence(outCh);
            java.lang.ref.Reference.reachabilityFence(setup);
            JnaVst3Module.call(comp, 11, (byte) 0);
            JnaVst3Module.call(proc, 2);
            JnaVst3Module.call(comp, 4); // terminate
            JnaVst3Module.call(comp, 2); // release

            float[] ref = OfflineReference.render(null, x, 2, 0x3F, 48000, block, List.of());
            double maxDiff = 0, energy = 0;
            for (int i = 0; i < y.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(y[i] - ref[i]));
                energy += y[i] * y[i];
            }
            assertTrue(energy > 10, "processed, not passed through silent: " + energy);
            assertTrue(maxDiff <= 1e-5, "max |diff| " + maxDiff);
        }
    }

    @Test
    void scansThirdPartyBundles() {
        File[] bundles = new File("/usr/lib/vst3").listFiles((d, n) -> n.startsWith("Za") && n.endsWith(".vst3"));
        assumeTrue(bundles != null && bundles.length > 0, "zam-plugins not installed (scripts/install-deps.sh test)");
        for (File b : bundles) {
            try (JnaVst3Module m = new JnaVst3Module(b.toPath())) {
                int effects = 0;
                for (int i = 0; i < m.countClasses(); i++) {
                    byte[] cid = new byte[16];
                    String[] info = m.classInfo(i, cid);
                    if (info == null || !info[0].equals("Audio Module Class")) continue;
                    Pointer comp = m.create(cid, JnaVst3Module.IID_IComponent);
                    assertNotNull(comp, b.getName());
                    assertEquals(0, JnaVst3Module.call(comp, 3, Pointer.NULL), b.getName());
                    Pointer proc = JnaVst3Module.query(comp, JnaVst3Module.IID_IAudioProcessor);
                    assertNotNull(proc, b.getName());
                    JnaVst3Module.call(proc, 2);
                    JnaVst3Module.call(comp, 4);
                    JnaVst3Module.call(comp, 2);
                    effects++;
                }
                assertEquals(1, effects, b.getName());
            }
        }
    }
}
