package org.stemroom.plugin;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Runs a {@link PluginInstance} in this JVM the way the shim drives it, on fixed blocks, with parameter
 * changes at absolute sample positions, in offline process mode: the reference the bundle's output (any host block sizes) must equal.
 */
final class OfflineReference {
    record Change(long sample, int id, double value) {
    }

    /** VST3 kOffline: the plugin's separator waits for its worker, so the output is deterministic. */
    static final int K_OFFLINE = 2;

    private OfflineReference() {
    }

    /** Interleaved in, interleaved out. */
    static float[] render(byte[] state, float[] input, int inCh, long outArrangement, int rate, int block,
                          List<Change> changes) {
        PluginInstance p = PluginInstance.standalone();
        if (state != null && p.setState(state) != 0) throw new IllegalStateException(p.status());
        int outCh = Long.bitCount(outArrangement);
        ByteBuffer io = ByteBuffer.allocateDirect((inCh + outCh) * block * 4).order(ByteOrder.nativeOrder());
        ByteBuffer ch = ByteBuffer.allocateDirect(2048 * 16).order(ByteOrder.nativeOrder());
        long inArr = inCh == 1 ? 1L << 19 : 3L;
        if (p.setup(rate, block, inArr, outArrangement, K_OFFLINE, io, ch) < 0) throw new IllegalStateException(p.status());
        FloatBuffer f = io.asFloatBuffer();
        int frames = input.length / inCh;
        float[] out = new float[frames * outCh];
        int next = 0;
        for (int pos = 0; pos < frames; pos += block) {
            int n = Math.min(block, frames - pos);
            for (int c = 0; c < inCh; c++) {
                for (int i = 0; i < n; i++) f.put(c * block + i, input[(pos + i) * inCh + c]);
            }
            int k = 0;
            while (next < changes.size() && changes.get(next).sample() < pos + n) {
                Change c = changes.get(next++);
                ch.putInt(16 * k, c.id());
                ch.putInt(16 * k + 4, (int) Math.max(0, c.sample() - pos));
                ch.putDouble(16 * k + 8, c.value());
                k++;
            }
            if (p.process(n, k, K_OFFLINE) < 0) throw new IllegalStateException(p.status());
            for (int c = 0; c < outCh; c++) {
                for (int i = 0; i < n; i++) out[(pos + i) * outCh + c] = f.get((inCh + c) * block + i);
            }
        }
        p.release();
        p.release();
        return out;
    }
}
