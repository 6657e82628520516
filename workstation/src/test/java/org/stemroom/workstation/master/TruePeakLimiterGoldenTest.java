package org.stemroom.workstation.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/**
 * The limiter's output, bit for bit, against what the straightforward implementation of the same detector gave
 * (the SHA-256 below was taken from it before the detector's loops were reorganized for speed): a speed-up must not
 * change a single sample of a render, or old render.json files would no longer replay. Retaken once, in session 16,
 * for a declared change of the release (its state in double and set to 1 when within 2^-26 of it, so the gain
 * returns to exactly 1: TruePeakLimiterReleaseTest), not of the detector; it was
 * 2d0f42b02ed84c23686ff6131e1ed8cdc9e818bf50c601318ef346c2d17a73da before.
 */
class TruePeakLimiterGoldenTest {
    static final String GOLDEN = "0fa5e81f510f8d9c504e6feb43c54ac8c6ca48576e5198d2a57fb301018c1592";

    /** Six channels of material of every kind: quiet stretches (skipped), loud music-like ones, hot edges. */
    static float[][] material() {
        float[][] hot = TruePeakLimiterTest.hotSignals(11);
        int n = hot[0].length;
        float[][] x = new float[6][n];
        Random rnd = new Random(42);
        double lp = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) TruePeakLimiterTest.RATE;
            lp += 0.05 * (rnd.nextGaussian() - lp);
            double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 0.7 * t);
            x[0][i] = hot[0][i];
            x[1][i] = hot[1][i];
            x[2][i] = (float) (env * (0.9 * Math.sin(2 * Math.PI * 220 * t) + 3 * lp));
            x[3][i] = (float) (0.05 * Math.sin(2 * Math.PI * 50 * t));
            x[4][i] = (float) (0.02 * rnd.nextGaussian() + ((i / 3000) % 5 == 0 ? 0.95 * Math.sin(2 * Math.PI * 9_000 * t) : 0));
            x[5][i] = (float) (1.05 * Math.sin(2 * Math.PI * 1_000 * t + 0.3) * env);
        }
        return x;
    }

    static String hash(float[][] out) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer b = ByteBuffer.allocate(4);
        for (float[] ch : out) {
            for (float v : ch) {
                b.clear();
                b.putInt(Float.floatToRawIntBits(v));
                md.update(b.array());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String render(int[] blocks) throws Exception {
        TruePeakLimiter lim = new TruePeakLimiter(-1.0, 1.5, 80);
        lim.prepare(new AudioFormat(TruePeakLimiterTest.RATE, ChannelLayout.SURROUND_5_1), 4096);
        return hash(TruePeakLimiterTest.run(lim, material(), blocks));
    }

    @Test
    void outputIsBitIdenticalToTheStraightforwardDetector() throws Exception {
        assertEquals(GOLDEN, render(new int[] {4096}));
        assertEquals(GOLDEN, render(new int[] {1, 64, 1000, 4096, 13}));
    }

    public static void main(String[] a) throws Exception {
        System.out.println(render(new int[] {4096}) + " " + render(new int[] {1, 64, 1000, 4096, 13}));
    }
}
