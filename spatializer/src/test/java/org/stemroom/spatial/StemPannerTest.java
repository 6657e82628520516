package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

class StemPannerTest {
    private static final int FS = 48_000;

    private static float[][] render(StemPanner p, float[][] in, int block) {
        int n = in[0].length;
        int outCh = p.layout().channelCount();
        float[][] out = new float[outCh][n];
        AudioBuffer ib = new AudioBuffer(in.length, block);
        AudioBuffer ob = new AudioBuffer(outCh, block);
        for (int s = 0; s < n; s += block) {
            int len = Math.min(block, n - s);
            ib.setFrames(len);
            for (int c = 0; c < in.length; c++) System.arraycopy(in[c], s, ib.channel(c), 0, len);
            p.process(ib, ob);
            for (int c = 0; c < outCh; c++) System.arraycopy(ob.channel(c), 0, out[c], s, len);
        }
        return out;
    }

    private static StemPanner prepared(SpeakerLayout l, int inCh, StemPlacement pl) {
        StemPanner p = new StemPanner(l);
        p.prepare(new AudioFormat(FS, inCh == 1 ? ChannelLayout.MONO : ChannelLayout.STEREO), 512);
        p.setPlacement(pl);
        p.reset(); // start at the placement, no glide
        return p;
    }

    @Test
    void summedPowerStaysWithinHalfADecibelAroundTheCircle() {
        float[] noise = TestSignals.whiteNoise(9600, 7, 0.1);
        double inPower = TestSignals.power(noise, 0, noise.length);
        for (SpeakerLayout l : new SpeakerLayout[] {SpeakerLayout.STEREO, SpeakerLayout.SURROUND_5_1,
                SpeakerLayout.SURROUND_7_1, SpeakerLayout.SURROUND_7_1_4}) {
            for (int az = -180; az < 180; az += 5) {
                StemPanner p = prepared(l, 1, StemPlacement.DEFAULT.withAzimuth(az).withElevation(l.hasHeight() ? 20 : 0));
                float[][] out = render(p, new float[][] {noise}, 512);
                double sum = 0;
                for (float[] ch : out) sum += TestSignals.power(ch, 0, ch.length);
                double db = 10 * Math.log10(sum / inPower);
                assertEquals(0, db, 0.5, l.name() + " az " + az);
                assertEquals(0, db, 1e-4, "VBAP with the -3 dB law is exactly power-preserving: " + l.name());
            }
        }
    }

    @Test
    void continuousSweepKeepsPowerPerBlock() {
        // a stem swept once around the listener in 2 s, automation every 64 frames: summed power per 1024
        // frames stays within 0.5 dB of the input's
        int n = 2 * FS;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / FS));
        StemPanner p = prepared(SpeakerLayout.SURROUND_5_1, 1, StemPlacement.DEFAULT);
        AudioBuffer ib = new AudioBuffer(1, 64);
        AudioBuffer ob = new AudioBuffer(6, 64);
        float[][] out = new float[6][n];
        for (int s = 0; s < n; s += 64) {
            p.setPlacement(StemPlacement.DEFAULT.withAzimuth(360.0 * s / n));
            System.arraycopy(x, s, ib.channel(0), 0, 64);
            p.process(ib, ob);
            for (int c = 0; c < 6; c++) System.arraycopy(ob.channel(c), 0, out[c], s, 64);
        }
        for (int s = 0; s + 1024 <= n; s += 1024) {
            double sum = 0;
            for (float[] ch : out) sum += TestSignals.power(ch, s, s + 1024);
            double db = 10 * Math.log10(sum / TestSignals.power(x, s, s + 1024));
            assertEquals(0, db, 0.5, "block at " + s);
        }
    }

    @Test
    void widenedMonoStemFoldsDownWithinOneAndAHalfDecibelsPerOctave() {
        float[] pink = TestSignals.pinkNoise(8 * FS, 11, 0.5);
        for (SpeakerLayout l : new SpeakerLayout[] {SpeakerLayout.STEREO, SpeakerLayout.SURROUND_5_1}) {
            FoldDown mono = new FoldDown(l, FoldDown.Mode.MONO);
            float[][] point = render(prepared(l, 1, StemPlacement.DEFAULT), new float[][] {pink}, 512);
            double[] ref = TestSignals.octaveLevelsDb(mono.apply(point)[0], FS, 8192);
            for (double width : new double[] {30, 90, 180, 300}) {
                float[][] wide = render(prepared(l, 1, StemPlacement.DEFAULT.withWidth(width)), new float[][] {pink}, 512);
                double[] w = TestSignals.octaveLevelsDb(mono.apply(wide)[0], FS, 8192);
                for (int b = 0; b < ref.length; b++) {
                    assertEquals(ref[b], w[b], 1.5, l.name() + " width " + width + " octave " + TestSignals.OCTAVES[b]);
                }
                if (width >= 90) {
                    // and it is really wider: the two front speakers are far less correlated than for the point source
                    int li = l.indexOf("L");
                    int ri = l.indexOf("R");
                    double r = TestSignals.correlation(wide[li], wide[ri], FS, wide[0].length);
                    assertTrue(r < 0.5, l.name() + " width " + width + ": L/R correlation " + r);
                }
            }
            // an off-centre widened stem also stays close (its sides no longer cancel exactly)
            float[][] offPoint = render(prepared(l, 1, StemPlacement.DEFAULT.withAzimuth(20)), new float[][] {pink}, 512);
            float[][] offWide = render(prepared(l, 1, StemPlacement.DEFAULT.withAzimuth(20).withWidth(90)),
                    new float[][] {pink}, 512);
            double[] a = TestSignals.octaveLevelsDb(mono.apply(offPoint)[0], FS, 8192);
            double[] b2 = TestSignals.octaveLevelsDb(mono.apply(offWide)[0], FS, 8192);
            for (int b = 0; b < a.length; b++) assertEquals(a[b], b2[b], 1.5, l.name() + " off-centre octave " + b);
        }
    }

    @Test
    void distanceDropsLevelAndHighsAndSetsTheRoomSend() {
        float[] sine = new float[FS];
        for (int i = 0; i < FS; i++) sine[i] = (float) Math.sin(2 * Math.PI * 100 * i / FS);
        float[][] near = render(prepared(SpeakerLayout.STEREO, 1, StemPlacement.DEFAULT), new float[][] {sine}, 512);
        float[][] far = render(prepared(SpeakerLayout.STEREO, 1, StemPlacement.DEFAULT.withDistance(2)),
                new float[][] {sine}, 512);
        double db = 10 * Math.log10(TestSignals.power(far[0], FS / 2, FS) / TestSignals.power(near[0], FS / 2, FS));
        assertEquals(-6.02, db, 0.02, "inverse distance law at 100 Hz");

        StemPlacement close = StemPlacement.DEFAULT.withDistance(0.5);
        StemPlacement away = StemPlacement.DEFAULT.withDistance(8);
        assertTrue(close.roomSend() < away.roomSend());
        assertEquals(0, StemPlacement.DEFAULT.withDistance(2).directToRoomDb(), 1e-12, "at the critical distance");
        assertEquals(12.04, close.directToRoomDb(), 0.01);
    }

    @Test
    void airAbsorptionFollowsIso9613() {
        // ISO 9613-2 table 2 (from ISO 9613-1), dB/km at nominal octave centres
        AirAbsorption t20h70 = new AirAbsorption(20, 70, 101.325);
        double[] f = {500, 1000, 2000, 4000, 8000};
        double[] iso20 = {2.8, 5.0, 9.0, 22.9, 76.6};
        AirAbsorption t10h70 = new AirAbsorption(10, 70, 101.325);
        double[] iso10 = {1.9, 3.7, 9.7, 32.8, 117};
        for (int i = 0; i < f.length; i++) {
            assertEquals(iso20[i], 1000 * t20h70.dbPerMetre(f[i]), 0.06 * iso20[i] + 0.1, "20 C " + f[i]);
            assertEquals(iso10[i], 1000 * t10h70.dbPerMetre(f[i]), 0.06 * iso10[i] + 0.1, "10 C " + f[i]);
        }
        // the panner's filter against the standard: AirAbsorptionTest
    }

    @Test
    void stereoStemAtSixtyDegreesIsUntouchedOnStereo() {
        float[] l = TestSignals.whiteNoise(4096, 1, 0.2);
        float[] r = TestSignals.whiteNoise(4096, 2, 0.2);
        float[][] out = render(prepared(SpeakerLayout.STEREO, 2, StemPlacement.DEFAULT.withWidth(60)),
                new float[][] {l, r}, 300);
        assertArrayEquals(l, out[0], 1e-6f);
        assertArrayEquals(r, out[1], 1e-6f);
    }

    @Test
    void divergenceLfeSendAndMute() {
        float[] x = TestSignals.whiteNoise(2048, 3, 0.2);
        SpeakerLayout l = SpeakerLayout.SURROUND_5_1;
        float[][] hard = render(prepared(l, 1, StemPlacement.DEFAULT.withLfeSendDb(0)), new float[][] {x}, 256);
        assertArrayEquals(x, hard[2], 1e-6f);
        for (int i = 0; i < x.length; i++) assertEquals(x[i] * Math.pow(10, -0.5), hard[3][i], 1e-6, "LFE -10 dB");
        float[][] div = render(prepared(l, 1, StemPlacement.DEFAULT.withCentreDivergence(1)), new float[][] {x}, 256);
        for (int i = 0; i < x.length; i++) {
            assertEquals(0, div[2][i], 1e-7);
            assertEquals(x[i] * Math.sqrt(0.5), div[0][i], 1e-6);
            assertEquals(x[i] * Math.sqrt(0.5), div[1][i], 1e-6);
        }
        StemPanner p = prepared(l, 1, StemPlacement.DEFAULT.withMute(true));
        for (float[] ch : render(p, new float[][] {x}, 256)) assertEquals(0, TestSignals.power(ch, 0, ch.length));
        StemPanner s = prepared(l, 1, StemPlacement.DEFAULT.withSolo(false));
        s.setSoloActive(true);
        s.reset();
        for (float[] ch : render(s, new float[][] {x}, 256)) assertEquals(0, TestSignals.power(ch, 0, ch.length));
    }

    @Test
    void fastAutomationHasNoStepAboveTheSmoothingBound() {
        // DC input so the output is the gain trajectory itself; automation every 16 frames, 3 turns per second,
        // and two instantaneous jumps (front to back, near to far)
        SpeakerLayout l = SpeakerLayout.SURROUND_5_1;
        int n = FS;
        float[] dc = new float[n];
        java.util.Arrays.fill(dc, 1f);
        // Every gain is <= 1 and glides linearly over the ramp, so with DC in, one sample's change is at most
        // (1 + |D1(DC)| + |D2(DC)|) / rampFrames: the direct path carries 1, each decorrelated side its DC gain.
        double dc1 = Math.abs(new VelvetDecorrelator(FS, 0x5EED_0001L).dcGain());
        double dc2 = Math.abs(new VelvetDecorrelator(FS, 0x5EED_0002L).dcGain());
        double bound = (1 + dc1 + dc2) / (StemPanner.DEFAULT_SMOOTHING_SECONDS * FS);
        for (double smoothing : new double[] {StemPanner.DEFAULT_SMOOTHING_SECONDS, 0}) {
            StemPanner p = new StemPanner(l, PanLaw.MINUS_3_DB, smoothing);
            p.prepare(new AudioFormat(FS, ChannelLayout.MONO), 16);
            AudioBuffer ib = new AudioBuffer(1, 16);
            AudioBuffer ob = new AudioBuffer(6, 16);
            float[][] out = new float[6][n];
            for (int s = 0; s < n; s += 16) {
                double az = 3 * 360.0 * s / n;
                if (s >= n / 3) az += 180;
                double dist = s >= 2 * n / 3 ? 1.6 : 1.0;
                p.setPlacement(StemPlacement.DEFAULT.withAzimuth(az).withDistance(dist).withWidth(s > n / 2 ? 90 : 0));
                System.arraycopy(dc, s, ib.channel(0), 0, 16);
                p.process(ib, ob);
                for (int c = 0; c < 6; c++) System.arraycopy(ob.channel(c), 0, out[c], s, 16);
            }
            double maxStep = 0;
            for (float[] ch : out) {
                for (int i = 1; i < n; i++) maxStep = Math.max(maxStep, Math.abs(ch[i] - ch[i - 1]));
            }
            if (smoothing > 0) {
                System.out.printf("fast automation: max step %.5f, bound %.5f%n", maxStep, bound);
                assertTrue(maxStep <= bound + 1e-6, "max step " + maxStep + " > bound " + bound);
            } else {
                assertTrue(maxStep > 20 * bound, "unsmoothed automation should step: " + maxStep);
            }
        }
    }

    @Test
    void blockSplittingIsSampleAccurate() {
        float[] x = TestSignals.whiteNoise(6000, 5, 0.2);
        SpeakerLayout l = SpeakerLayout.SURROUND_7_1;
        StemPlacement a = StemPlacement.DEFAULT.withAzimuth(40).withWidth(60);
        StemPlacement b = StemPlacement.DEFAULT.withAzimuth(-120).withDistance(3);
        // reference: one call up to the change, one after
        StemPanner p1 = prepared(l, 1, a);
        AudioBuffer in = AudioBuffer.wrap(new float[][] {x.clone()});
        AudioBuffer out1 = new AudioBuffer(8, 6000);
        p1.processRange(in, out1, 0, 2345);
        p1.setPlacement(b);
        p1.processRange(in, out1, 2345, 6000);
        // the same change at the same frame with odd block sizes
        StemPanner p2 = prepared(l, 1, a);
        AudioBuffer out2 = new AudioBuffer(8, 6000);
        int[] cuts = {0, 100, 1000, 2345, 2346, 3000, 4777, 6000};
        for (int k = 0; k + 1 < cuts.length; k++) {
            if (cuts[k] == 2345) p2.setPlacement(b);
            p2.processRange(in, out2, cuts[k], cuts[k + 1]);
        }
        for (int c = 0; c < 8; c++) assertArrayEquals(out1.channel(c), out2.channel(c), 1e-6f, "channel " + c);
    }

    @Test
    void processDoesNotAllocate() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        StemPanner p = new StemPanner(SpeakerLayout.SURROUND_7_1_4);
        p.prepare(new AudioFormat(FS, ChannelLayout.MONO), 256);
        StemPlacement[] automation = new StemPlacement[16];
        for (int i = 0; i < automation.length; i++) {
            automation[i] = StemPlacement.DEFAULT.withAzimuth(i * 23).withElevation(i % 4 * 15)
                    .withWidth(i * 10).withDistance(1 + i).withLfeSendDb(-6).withCentreDivergence(i / 16.0);
        }
        AudioBuffer in = AudioBuffer.wrap(new float[][] {TestSignals.whiteNoise(256, 9, 0.1)});
        AudioBuffer out = new AudioBuffer(12, 256);
        for (int i = 0; i < 20_000; i++) { // warm-up: let the JIT compile everything
            p.setPlacement(automation[i & 15]);
            p.process(in, out);
        }
        // A per-call allocation would show in every round (10,000 x its size); a JIT recompilation or
        // deoptimisation on a loaded machine can allocate a few bytes once, so take the best of three rounds.
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3 && best != 0; round++) {
            long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 10_000; i++) {
                p.setPlacement(automation[i & 15]);
                p.process(in, out);
            }
            best = Math.min(best, mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before);
        }
        assertEquals(0, best, "bytes allocated by 10,000 setPlacement+process calls");
    }
    /** The branch-free denormal flush against the plain test it replaces, on the values around its threshold. */
    @Test
    void flushTinyMatchesThePlainComparison() {
        double t = 1e-30;
        double[] v = {0.0, -0.0, t, -t, Math.nextDown(t), -Math.nextDown(t), Math.nextUp(t), -Math.nextUp(t),
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1e-31, -3e-40, 1e-29, -0.5, 1.0, Double.MAX_VALUE,
            -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            Double.longBitsToDouble(0xfff8000000000001L)};
        java.util.Random rnd = new java.util.Random(7);
        double[] all = java.util.Arrays.copyOf(v, v.length + 2000);
        for (int i = v.length; i < all.length; i++) all[i] = (rnd.nextBoolean() ? 1 : -1) * Math.pow(10, -45 + 30 * rnd.nextDouble());
        double[] flushed = all.clone();
        StemPanner.flushTiny(flushed);
        for (int i = 0; i < all.length; i++) {
            double expected = Math.abs(all[i]) < 1e-30 ? 0 : all[i];
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(flushed[i]), "value " + all[i]);
        }
    }
    /**
     * The air filter with its state in locals against the array form it replaces (the sections' state read and
     * written at every sample, as AirAbsorption.Fit.sections describes them), bit for bit: output and state, over a
     * glide that ends inside the block, with and without a glide, from a state left by an earlier block.
     */
    @Test
    void airAbsorbMatchesTheArrayFormBitForBit() {
        java.util.Random rnd = new java.util.Random(11);
        int base = 5;
        double[] cur = new double[base + 4], stp = new double[base + 4], tgt = new double[base + 4];
        AirAbsorption.Fit fit = AirAbsorption.STANDARD.fit(FS);
        for (int[] blockAndRamp : new int[][] {{512, 200}, {512, 0}, {300, 300}, {1, 1}, {777, 512}}) {
            int len = blockAndRamp[0], ramp = blockAndRamp[1];
            double[] near = new double[4], far = new double[4];
            fit.sections(3, near);
            fit.sections(40, far);
            for (int k = 0; k < 4; k++) {
                cur[base + k] = near[k];
                tgt[base + k] = far[k];
                stp[base + k] = ramp == 0 ? 0 : (far[k] - near[k]) / (ramp + 100);
            }
            float[] x = new float[len + 3];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            double[] st = new double[9];
            for (int k = 0; k < 9; k++) st[k] = rnd.nextGaussian() * 0.1;
            double[] refState = st.clone();
            float[] y = new float[len];
            float[] ref = new float[len];
            StemPanner.airAbsorb(x, 3, y, len, ramp, cur, stp, tgt, base, st);
            double a = cur[base], b0 = cur[base + 1], b1 = cur[base + 2], cc = cur[base + 3];
            for (int j = 0; j < len; j++) {
                if (j < ramp) {
                    a += stp[base];
                    b0 += stp[base + 1];
                    b1 += stp[base + 2];
                    cc += stp[base + 3];
                } else if (j == ramp) {
                    a = tgt[base];
                    b0 = tgt[base + 1];
                    b1 = tgt[base + 2];
                    cc = tgt[base + 3];
                }
                double v = x[3 + j];
                for (int q = 0; q < 3; q++) {
                    v = (1 - a) * v + a * refState[q];
                    refState[q] = v;
                }
                for (int q = 3; q < 9; q += 2) {
                    double o = b0 * v + b1 * refState[q] - cc * refState[q + 1];
                    refState[q] = v;
                    refState[q + 1] = o;
                    v = o;
                }
                ref[j] = (float) v;
            }
            for (int j = 0; j < len; j++) {
                assertEquals(Float.floatToRawIntBits(ref[j]), Float.floatToRawIntBits(y[j]), "block " + len + ", sample " + j);
            }
            for (int k = 0; k < 9; k++) {
                assertEquals(Double.doubleToRawLongBits(refState[k]), Double.doubleToRawLongBits(st[k]), "state " + k);
            }
        }
    }
}
