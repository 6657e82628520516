package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Progress;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/** The Lt/Rt output of {@link UpmixFiles}: the matrix encode of the upmix, its trim and its peak report. */
class UpmixLtRtTest {
    private static final int FS = 48_000;

    @TempDir
    Path dir;

    private Path stereo(String name, float[] l, float[] r) throws Exception {
        Path p = dir.resolve(name);
        AudioFiles.write(p, new AudioClip(new AudioFormat(FS, ChannelLayout.STEREO), new float[][] {l, r}), SampleFormat.FLOAT_32);
        return p;
    }

    private static float[] tone(int n, double f, double a) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (a * Math.cos(2 * Math.PI * f * i / FS));
        return x;
    }

    /** A mix of a centred tone, a hard-left tone and uncorrelated noise in each side (ambience for the surrounds). */
    private Path mix() throws Exception {
        int n = 2 * FS;
        float[] l = TestSignals.whiteNoise(n, 11, 0.05);
        float[] r = TestSignals.whiteNoise(n, 12, 0.05);
        for (int i = 0; i < n; i++) {
            double c = 0.4 * Math.sin(2 * Math.PI * 440 * i / FS);
            l[i] += (float) (c + 0.3 * Math.sin(2 * Math.PI * 1300 * i / FS));
            r[i] += (float) c;
        }
        return stereo("mix.wav", l, r);
    }

    @Test
    void ltRtIsTheMatrixEncodeOfTheUpmixTimesTheTrim() throws Exception {
        Path in = mix();
        Path sur = dir.resolve("up51.wav");
        Path lt = dir.resolve("ltrt.wav");
        StereoUpmixer.Settings s = StereoUpmixer.Settings.defaults();
        UpmixFiles.Result r = UpmixFiles.upmix(in, sur, new UpmixFiles.LtRtOutput(lt, 0), s, SampleFormat.FLOAT_32, Progress.NONE);
        // the same upmix without the Lt/Rt is the same 5.1, bit for bit
        Path plain = dir.resolve("plain51.wav");
        UpmixFiles.upmix(in, plain, s, SampleFormat.FLOAT_32, Progress.NONE);
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(sur));

        // reference: a fresh encoder over the whole 5.1 file in one call (the run encoded it block by block)
        AudioClip up = AudioFiles.readAll(sur);
        LtRtEncoder enc = new LtRtEncoder(SpeakerLayout.SURROUND_5_1);
        enc.prepare(up.format(), up.frames());
        float[][] ref = new float[2][up.frames()];
        enc.process(up.samples(), ref, 0, up.frames());
        AudioClip got = AudioFiles.readAll(lt);
        assertEquals(2, got.channels());
        assertEquals(up.frames(), got.frames());
        assertArrayEquals(ref[0], got.channel(0), 0f);
        assertArrayEquals(ref[1], got.channel(1), 0f);

        // the report: the file's sample peak, and a true peak at least as high
        double peak = 0;
        for (float[] c : got.samples()) for (float v : c) peak = Math.max(peak, Math.abs(v));
        assertEquals(peak, r.ltRtSamplePeak, 0);
        assertTrue(r.ltRtTruePeak >= peak && r.ltRtTruePeak < peak * 1.5, r.ltRtTruePeak + " vs " + peak);

        // a -6 dB trim scales every sample by 10^(-6/20) (float rounding of one product), the Lt/Rt alone
        Path lt6 = dir.resolve("ltrt-6.wav");
        UpmixFiles.Result r6 = UpmixFiles.upmix(in, null, new UpmixFiles.LtRtOutput(lt6, -6), s, SampleFormat.FLOAT_32, Progress.NONE);
        AudioClip got6 = AudioFiles.readAll(lt6);
        float g = (float) Math.pow(10, -6 / 20.0);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < got6.frames(); i++) assertEquals(ref[c][i] * g, got6.channel(c)[i], 0f);
        }
        assertEquals(peak * g, r6.ltRtSamplePeak, 1e-7);
        assertFalse(Files.exists(dir.resolve("up51-6.wav")));
        try (var files = Files.list(dir)) {
            assertEquals(5, files.count(), "mix, 5.1, plain 5.1, two Lt/Rt files: nothing else (no temporaries)");
        }
    }

    /**
     * Matrix coefficients end to end: a hard-left source stays in L and reaches Lt at unit gain and Rt not at all;
     * a centred source, moved to C by the upmix, comes back in Lt and Rt at the input level (0.7071 x sqrt2) and in
     * phase; ambience (uncorrelated sides, which the upmix sends to Ls/Rs) reaches Lt and Rt in opposite polarity
     * (none in Lt+Rt, all in Lt-Rt at the matrix gain) and 90 degrees from the front path.
     */
    @Test
    void frontCentreAndSurroundGainsThroughTheUpmix() throws Exception {
        int n = 2 * FS;
        int from = FS / 2;
        int to = n - FS / 4;
        double f = 1000;
        Path hardLeft = stereo("left.wav", tone(n, f, 0.5), new float[n]);
        Path centred = stereo("centre.wav", tone(n, f, 0.5), tone(n, f, 0.5));
        StereoUpmixer.Settings s = StereoUpmixer.Settings.defaults().withLfe(false);
        for (Path in : new Path[] {hardLeft, centred}) {
            Path lt = dir.resolve("lt-" + in.getFileName());
            UpmixFiles.upmix(in, null, new UpmixFiles.LtRtOutput(lt, 0), s, SampleFormat.FLOAT_32, Progress.NONE);
            AudioClip e = AudioFiles.readAll(lt);
            double[] a = LtRtEncoderTest.fit(e.channel(0), f, from, to);
            double[] b = LtRtEncoderTest.fit(e.channel(1), f, from, to);
            if (in == hardLeft) {
                assertEquals(0.5, a[0], 0.5 * 0.006, "hard left into Lt at unit gain (within 0.05 dB)");
                assertTrue(b[0] < 0.5 * 0.003, "hard left leaks into Rt by " + b[0]); // -50 dB
            } else {
                assertEquals(0.5, a[0], 0.5 * 0.012, "centre back into Lt at the input level (0.1 dB)");
                assertEquals(0.5, b[0], 0.5 * 0.012, "centre back into Rt at the input level (0.1 dB)");
                assertEquals(0, wrap(a[1] - b[1]), 0.5, "centre in phase in Lt and Rt (degrees)");
            }
        }
        // ambience: uncorrelated noise in the two sides; its surround part enters Lt as -jS and Rt as +jS
        Path amb = stereo("amb.wav", TestSignals.whiteNoise(n, 5, 0.1), TestSignals.whiteNoise(n, 6, 0.1));
        Path up = dir.resolve("amb51.wav");
        Path lt = dir.resolve("amb-ltrt.wav");
        UpmixFiles.upmix(amb, up, new UpmixFiles.LtRtOutput(lt, 0), s, SampleFormat.FLOAT_32, Progress.NONE);
        AudioClip u = AudioFiles.readAll(up);
        AudioClip e = AudioFiles.readAll(lt);
        // the surround part alone: encode only Ls/Rs of the upmix and check it against the -j/+j rule in power
        float[][] onlyS = new float[6][];
        for (int c = 0; c < 6; c++) onlyS[c] = c >= 4 ? u.channel(c) : new float[u.frames()];
        LtRtEncoder enc = new LtRtEncoder(SpeakerLayout.SURROUND_5_1);
        enc.prepare(u.format(), u.frames());
        float[][] es = new float[2][u.frames()];
        enc.process(onlyS, es, 0, u.frames());
        float[] sum = new float[u.frames()];
        float[] diff = new float[u.frames()];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = es[0][i] + es[1][i];
            diff[i] = es[0][i] - es[1][i];
        }
        double pSum = TestSignals.power(sum, from, to);
        double pDiff = TestSignals.power(diff, from, to);
        // S = 0.7071 (Ls + Rs): Lt - Rt = -2j (0.7071 S) has power 2 <S²>, Lt + Rt none
        double pS = 0;
        for (int i = from; i < to; i++) {
            double v = 0.5 * (u.channel(4)[i] + u.channel(5)[i]);
            pS += v * v;
        }
        pS /= (to - from);
        assertTrue(pSum < 1e-6 * pDiff, "surround part cancels in Lt+Rt: " + pSum + " vs " + pDiff);
        assertEquals(4 * pS, pDiff, 4 * pS * 0.01, "Lt-Rt carries the surround part at the matrix gain (0.05 dB)");
        assertTrue(pS > 1e-4, "the upmix put ambience in the surrounds: " + pS);
        assertEquals(u.frames(), e.frames());

        // 90 degrees: the same signal (Ls+Rs)/2 once as a front (in L) and once as the surround part. Their
        // cross-spectrum over 100 Hz..20 kHz must point at -90 degrees (Lt's surround part is -j S against the
        // front path) and be coherent: the all-pass pair differs by a quarter period at every frequency.
        float[][] asFront = new float[6][];
        for (int c = 0; c < 6; c++) asFront[c] = new float[u.frames()];
        for (int i = 0; i < u.frames(); i++) asFront[0][i] = 0.5f * (u.channel(4)[i] + u.channel(5)[i]);
        LtRtEncoder encF = new LtRtEncoder(SpeakerLayout.SURROUND_5_1);
        encF.prepare(u.format(), u.frames());
        float[][] ef = new float[2][u.frames()];
        encF.process(asFront, ef, 0, u.frames());
        int nfft = 16384;
        int at = u.frames() / 2 - nfft / 2;
        float[] xs = new float[nfft];
        float[] xf = new float[nfft];
        for (int i = 0; i < nfft; i++) {
            float w = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / nfft));
            xs[i] = es[0][at + i] * w;
            xf[i] = ef[0][at + i] * w;
        }
        org.stemroom.core.dsp.RealFft fft = new org.stemroom.core.dsp.RealFft(nfft);
        float[] sr = new float[fft.bins()], si = new float[fft.bins()], fr = new float[fft.bins()], fi = new float[fft.bins()];
        fft.forward(xs, sr, si);
        fft.forward(xf, fr, fi);
        double cre = 0, cim = 0, ps = 0, pf = 0;
        for (int k = (int) (100.0 * nfft / FS); k <= (int) (20000.0 * nfft / FS); k++) {
            // Xs conj(Xf)
            cre += sr[k] * fr[k] + si[k] * fi[k];
            cim += si[k] * fr[k] - sr[k] * fi[k];
            ps += sr[k] * sr[k] + si[k] * si[k];
            pf += fr[k] * fr[k] + fi[k] * fi[k];
        }
        double angle = Math.toDegrees(Math.atan2(cim, cre));
        double coherence = Math.hypot(cre, cim) / Math.sqrt(ps * pf);
        assertEquals(-90, angle, 1.0, "surround part of Lt against the front path (degrees)");
        assertTrue(coherence > 0.99, "coherence " + coherence);
    }

    @Test
    void trimOutsideTheRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UpmixFiles.LtRtOutput(dir.resolve("x.wav"), 1));
        assertThrows(IllegalArgumentException.class, () -> new UpmixFiles.LtRtOutput(dir.resolve("x.wav"), -30));
        assertThrows(IllegalArgumentException.class, () -> new UpmixFiles.LtRtOutput(dir.resolve("x.wav"), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> UpmixFiles.upmix(dir.resolve("in.wav"), null, null,
                StereoUpmixer.Settings.defaults(), SampleFormat.FLOAT_32, Progress.NONE));
    }

    private static double wrap(double deg) {
        double d = deg % 360;
        if (d > 180) d -= 360;
        if (d < -180) d += 360;
        return d;
    }
}
