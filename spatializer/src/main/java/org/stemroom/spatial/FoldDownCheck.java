package org.stemroom.spatial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.BandEnergy;
import org.stemroom.core.dsp.OctaveBandFilterBank;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.core.loudness.LoudnessMeter;

/**
 * What every surround reissue must pass: fold the multichannel render down ({@link FoldDown}) and compare it
 * with the stereo reference it came from.
 *
 * <ul>
 *   <li>per octave band (IEC 61260 31.5 Hz .. 16 kHz) the level of the fold-down minus the reference's, per side
 *       and for both sides together;</li>
 *   <li>the correlation of fold-down and reference per side (after finding the delay between them, up to ±1 s,
 *       by cross-correlation);</li>
 *   <li>BS.1770 integrated loudness of both and their difference;</li>
 *   <li>clipping of the fold-down: its sample peak and the samples beyond full scale;</li>
 *   <li>mono compatibility of fold-down and reference: L/R correlation, mid/side energy ratio, and how much
 *       quieter the mono sum is than the stereo (BS.1770 of {@code 0.7071 (L+R)} against the stereo).</li>
 * </ul>
 */
public final class FoldDownCheck {
    /** Default per-band tolerance for "pass". */
    public static final double DEFAULT_TOLERANCE_DB = 1.0;
    private static final double MAX_LAG_SECONDS = 1.0;

    private FoldDownCheck() { }

    /** The measured numbers. */
    public static final class Report {
        public final String layout;
        public final String mode;
        public final int sampleRate;
        public final int lagFrames;
        public final double seconds;
        public final List<String> bands = new ArrayList<>();
        public final double[][] bandDiffDb; // [0 left, 1 right, 2 both][band]
        public final double[] correlation;  // per side
        public final double referenceLufs;
        public final double foldDownLufs;
        public final double foldDownPeakDbfs;
        public final long foldDownClipped;
        public final double foldDownLrCorrelation;
        public final double referenceLrCorrelation;
        public final double foldDownMidSideDb;
        public final double referenceMidSideDb;
        public final double foldDownMonoLossDb;
        public final double referenceMonoLossDb;
        public final double toleranceDb;

        Report(String layout, String mode, int sampleRate, int lagFrames, double seconds, double[][] bandDiffDb,
               double[] correlation, double referenceLufs, double foldDownLufs, double foldDownPeakDbfs,
               long foldDownClipped, double foldDownLrCorrelation, double referenceLrCorrelation,
               double foldDownMidSideDb, double referenceMidSideDb, double foldDownMonoLossDb,
               double referenceMonoLossDb, double toleranceDb) {
            this.layout = layout;
            this.mode = mode;
            this.sampleRate = sampleRate;
            this.lagFrames = lagFrames;
            this.seconds = seconds;
            this.bandDiffDb = bandDiffDb;
            this.correlation = correlation;
            this.referenceLufs = referenceLufs;
            this.foldDownLufs = foldDownLufs;
            this.foldDownPeakDbfs = foldDownPeakDbfs;
            this.foldDownClipped = foldDownClipped;
            this.foldDownLrCorrelation = foldDownLrCorrelation;
            this.referenceLrCorrelation = referenceLrCorrelation;
            this.foldDownMidSideDb = foldDownMidSideDb;
            this.referenceMidSideDb = referenceMidSideDb;
            this.foldDownMonoLossDb = foldDownMonoLossDb;
            this.referenceMonoLossDb = referenceMonoLossDb;
            this.toleranceDb = toleranceDb;
        }

        /** Largest absolute per-band difference over both sides and all bands with signal. */
        public double worstBandDb() {
            double w = 0;
            for (int s = 0; s < 2; s++) {
                for (double d : bandDiffDb[s]) if (Double.isFinite(d)) w = Math.max(w, Math.abs(d));
            }
            return w;
        }

        public double loudnessDiffLu() { return foldDownLufs - referenceLufs; }

        public boolean pass() {
            return worstBandDb() <= toleranceDb && foldDownClipped == 0;
        }

        public String toTable() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "fold-down %s of %s vs reference, %.1f s at %d Hz, lag %d frames%n",
                    mode, layout, seconds, sampleRate, lagFrames));
            sb.append(String.format(Locale.ROOT, "%-8s %9s %9s %9s%n", "band Hz", "left dB", "right dB", "both dB"));
            for (int b = 0; b < bands.size(); b++) {
                sb.append(String.format(Locale.ROOT, "%-8s %+9.2f %+9.2f %+9.2f%n", bands.get(b),
                        bandDiffDb[0][b], bandDiffDb[1][b], bandDiffDb[2][b]));
            }
            sb.append(String.format(Locale.ROOT, "worst band          %.2f dB (tolerance %.2f dB)%n", worstBandDb(), toleranceDb));
            sb.append(String.format(Locale.ROOT, "correlation         L %.4f  R %.4f%n", correlation[0], correlation[1]));
            sb.append(String.format(Locale.ROOT, "loudness            reference %.2f LUFS, fold-down %.2f LUFS, difference %+.2f LU%n",
                    referenceLufs, foldDownLufs, loudnessDiffLu()));
            sb.append(String.format(Locale.ROOT, "fold-down peak      %.2f dBFS, %d samples beyond full scale%n",
                    foldDownPeakDbfs, foldDownClipped));
            sb.append(String.format(Locale.ROOT, "mono compatibility  L/R correlation %.3f (reference %.3f), M/S %.1f dB (reference %.1f), "
                    + "mono sum %+.2f LU (reference %+.2f)%n", foldDownLrCorrelation, referenceLrCorrelation,
                    foldDownMidSideDb, referenceMidSideDb, foldDownMonoLossDb, referenceMonoLossDb));
            sb.append(pass() ? "PASS" : "FAIL").append(System.lineSeparator());
            return sb.toString();
        }

        /** A JSON object with every number (keys in a stable order). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layout", layout);
            m.put("mode", mode);
            m.put("sampleRate", sampleRate);
            m.put("seconds", seconds);
            m.put("lagFrames", lagFrames);
            List<Map<String, Object>> bl = new ArrayList<>();
            for (int b = 0; b < bands.size(); b++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("band", bands.get(b));
                e.put("leftDb", finite(bandDiffDb[0][b]));
                e.put("rightDb", finite(bandDiffDb[1][b]));
                e.put("bothDb", finite(bandDiffDb[2][b]));
                bl.add(e);
            }
            m.put("bands", bl);
            m.put("worstBandDb", worstBandDb());
            m.put("toleranceDb", toleranceDb);
            m.put("correlationLeft", correlation[0]);
            m.put("correlationRight", correlation[1]);
            m.put("referenceLufs", finite(referenceLufs));
            m.put("foldDownLufs", finite(foldDownLufs));
            m.put("loudnessDiffLu", finite(loudnessDiffLu()));
            m.put("foldDownPeakDbfs", finite(foldDownPeakDbfs));
            m.put("foldDownClippedSamples", foldDownClipped);
            m.put("foldDownLrCorrelation", foldDownLrCorrelation);
            m.put("referenceLrCorrelation", referenceLrCorrelation);
            m.put("foldDownMidSideDb", finite(foldDownMidSideDb));
            m.put("referenceMidSideDb", finite(referenceMidSideDb));
            m.put("foldDownMonoSumLu", finite(foldDownMonoLossDb));
            m.put("referenceMonoSumLu", finite(referenceMonoLossDb));
            m.put("pass", pass());
            return m;
        }

        private static Object finite(double v) { return Double.isFinite(v) ? v : null; }
    }

    /**
     * Folds {@code surround} (laid out as {@code layout}) down with {@code foldDown} and compares it with the
     * stereo {@code reference}. {@code referenceName} and {@code surroundName} name the inputs in errors.
     */
    public static Report run(AudioClip reference, String referenceName, AudioClip surround, String surroundName,
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
        Report rep = new Report(layout.name(), foldDown.mode().name().replace('_', '/'), fs, lag, n / (double) fs,
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
