package org.stemroom.spatial;

import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.BandEnergy;
import org.stemroom.core.dsp.OctaveBandFilterBank;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.core.loudness.LoudnessMeter;

/**
 * The fold-down check as it was before it streamed (both signals whole in memory), kept as the reference the
 * streaming {@link FoldDownCheck} must agree with.
 */
final class FoldDownCheckInMemory {
    private static final double MAX_LAG_SECONDS = 1.0;

    private FoldDownCheckInMemory() { }

    static FoldDownCheck.Report run(AudioClip reference, String referenceName, AudioClip surround, String surroundName,
                             FoldDown foldDown, double toleranceDb) throws StemroomException {
        SpeakerLayout layout = foldDown.inputLayout();
        if (reference.channels() != 2) {
            throw new StemroomException(referenceName + ": the reference must be stereo, it has "
                    + reference.channels() + " channels");
        }
        if (foldDown.outputChannels() != 2) throw new StemroomException("the check compares a stereo fold-down (loro or ltrt)");
        if (surround.channels() != layout.channelCount()) {
            throw new StemroomException(surroundName + ": has " + surround.channels() + " channels, the layout "
                    + layout.name() + " has " + layout.channelCount());
        }
        if (reference.sampleRate() != surround.sampleRate()) {
            throw new StemroomException(surroundName + ": sample rate " + surround.sampleRate()
                    + " Hz differs from the reference's " + reference.sampleRate() + " Hz");
        }
        checkFinite(reference, referenceName);
        checkFinite(surround, surroundName);
        int fs = reference.sampleRate();
        float[][] fold = foldDown.apply(surround.samples());
        float[][] ref = reference.samples();
        int lag = estimateLag(ref, fold, fs);
        // overlap: fold[i + lag] against ref[i]
        int start = Math.max(0, -lag);
        int end = Math.min(ref[0].length, fold[0].length - lag);
        if (end - start < fs / 10) {
            throw new StemroomException(surroundName + ": overlaps the reference by less than 0.1 s");
        }
        int n = end - start;
        float[][] r = new float[2][n];
        float[][] f = new float[2][n];
        for (int c = 0; c < 2; c++) {
            System.arraycopy(ref[c], start, r[c], 0, n);
            System.arraycopy(fold[c], start + lag, f[c], 0, n);
        }
        OctaveBandFilterBank bank = new OctaveBandFilterBank(fs, OctaveBandFilterBank.Resolution.OCTAVE);
        double[][] er = {BandEnergy.bandEnergies(r[0], bank), BandEnergy.bandEnergies(r[1], bank)};
        double[][] ef = {BandEnergy.bandEnergies(f[0], bank), BandEnergy.bandEnergies(f[1], bank)};
        double[][] diff = new double[3][bank.size()];
        double floor = 1e-12 * n; // -120 dBFS mean square: below that a band has no signal to compare
        for (int b = 0; b < bank.size(); b++) {
            for (int c = 0; c < 2; c++) diff[c][b] = dbDiff(ef[c][b], er[c][b], floor);
            diff[2][b] = dbDiff(ef[0][b] + ef[1][b], er[0][b] + er[1][b], 2 * floor);
        }
        double[] corr = {correlation(f[0], r[0]), correlation(f[1], r[1])};
        AudioFormat stereo = new AudioFormat(fs, ChannelLayout.STEREO);
        LoudnessMeter lr = LoudnessMeter.measure(new AudioClip(stereo, r));
        LoudnessMeter lf = LoudnessMeter.measure(new AudioClip(stereo, f));
        float peak = 0;
        long clipped = 0;
        for (float[] ch : fold) {
            for (float x : ch) {
                float a = Math.abs(x);
                if (a > peak) peak = a;
                if (a > 1f) clipped++;
            }
        }
        FoldDownCheck.Report rep = new FoldDownCheck.Report(layout.name(), foldDown.mode().name().replace('_', '/'), fs, lag, n / (double) fs,
                diff, corr, lr.integratedLufs(), lf.integratedLufs(), 20 * Math.log10(Math.max(peak, 1e-12)),
                clipped, correlation(f[0], f[1]), correlation(r[0], r[1]), midSideDb(f), midSideDb(r),
                monoSumLu(f, fs, lf.integratedLufs()), monoSumLu(r, fs, lr.integratedLufs()), toleranceDb);
        for (OctaveBandFilterBank.Band b : bank.bands()) rep.bands.add(b.label());
        return rep;
    }

    private static void checkFinite(AudioClip clip, String name) throws StemroomException {
        float[][] s = clip.samples();
        for (int c = 0; c < s.length; c++) {
            for (int i = 0; i < s[c].length; i++) {
                if (!Float.isFinite(s[c][i])) {
                    throw new StemroomException(name + ": sample " + i + " of channel " + (c + 1) + " is not a number");
                }
            }
        }
    }

    private static double dbDiff(double a, double b, double floor) {
        if (a < floor && b < floor) return 0;
        return 10 * Math.log10(Math.max(a, floor) / Math.max(b, floor));
    }

    static double correlation(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
    }

    private static double midSideDb(float[][] x) {
        double m = 0, s = 0;
        for (int i = 0; i < x[0].length; i++) {
            double mid = x[0][i] + x[1][i];
            double side = x[0][i] - x[1][i];
            m += mid * mid;
            s += side * side;
        }
        if (s == 0) return Double.POSITIVE_INFINITY;
        return 10 * Math.log10(m / s);
    }

    /** Loudness of the BS.775 mono sum 0.7071 (L+R), played on one channel, relative to the stereo's. */
    private static double monoSumLu(float[][] x, int fs, double stereoLufs) {
        float[] m = new float[x[0].length];
        for (int i = 0; i < m.length; i++) m[i] = (float) (FoldDown.MINUS_3_DB * (x[0][i] + x[1][i]));
        LoudnessMeter lm = LoudnessMeter.measure(new AudioClip(new AudioFormat(fs, ChannelLayout.MONO), new float[][] {m}));
        return lm.integratedLufs() - stereoLufs;
    }

    /**
     * The delay of {@code fold} against {@code ref} in frames (positive: the fold-down is late), within
     * ±{@value #MAX_LAG_SECONDS} s, from the peak of the cross-correlation of their mono sums over the first
     * 30 s.
     */
    static int estimateLag(float[][] ref, float[][] fold, int fs) {
        int maxLag = (int) (MAX_LAG_SECONDS * fs);
        int len = Math.min(Math.min(ref[0].length, fold[0].length), 30 * fs);
        if (len < 16) return 0;
        int size = Integer.highestOneBit(len + maxLag) << 1;
        RealFft fft = new RealFft(size);
        float[] a = new float[size];
        float[] b = new float[size];
        for (int i = 0; i < len; i++) {
            a[i] = ref[0][i] + ref[1][i];
        }
        for (int i = 0; i < Math.min(fold[0].length, len + maxLag); i++) b[i] = fold[0][i] + fold[1][i];
        int bins = size / 2 + 1;
        float[] ar = new float[bins], ai = new float[bins], br = new float[bins], bi = new float[bins];
        fft.forward(a, ar, ai);
        fft.forward(b, br, bi);
        // cross-spectrum B * conj(A): its inverse peaks at the lag of b against a
        for (int k = 0; k < bins; k++) {
            float re = br[k] * ar[k] + bi[k] * ai[k];
            float im = bi[k] * ar[k] - br[k] * ai[k];
            ar[k] = re;
            ai[k] = im;
        }
        fft.inverse(ar, ai, a);
        int best = 0;
        double bestV = Double.NEGATIVE_INFINITY;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double v = a[lag >= 0 ? lag : size + lag];
            if (v > bestV) {
                bestV = v;
                best = lag;
            }
        }
        return best;
    }
}
