package org.stemroom.room;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.stemroom.core.dsp.OctaveBandFilterBank;

/**
 * Room-acoustic parameters of one impulse response after ISO 3382-1:2009, per octave band 125 Hz to 8 kHz and
 * broadband: Schroeder backward integration of the squared IR with the noise floor handled by Lundeby's method
 * (Lundeby, Vigran, Bietz, Vorländer 1995: iterative noise estimate, truncation at the cross point of decay and
 * noise, and compensation of the energy lost by truncation), then EDT, T20, T30 from least-squares fits of the
 * decay curve, clarity C50/C80, definition D50, centre time Ts and the direct-to-reverberant ratio.
 *
 * <p>Octave bands: the IEC 61260 nominal bands of {@link OctaveBandFilterBank} (edges at the exact base-2
 * octave edges, -3.01 dB there as in IEC 61260), filtered in the frequency domain with
 * power-complementary raised-sine skirts {@link #EDGE_OCTAVES} wide on either side of each edge. The 6th-order
 * Butterworth band pass of the filter bank was not selective enough for decay analysis where the reverberation
 * time changes steeply from band to band: a known-decay test signal (noise decaying at exactly each octave band's
 * RT60, a 1.9 s decay at 4 kHz next to 0.9 s at 8 kHz) read +15 % at 8 kHz through it, because the slower
 * decay just below the band edge, attenuated by only 3-10 dB, dominates the late part of the band's decay.
 * Zero phase; the skirts widen at low edges (at least 50 Hz, at most half an octave) so that the filters'
 * symmetric ringing stays short against the 0.1 s decays of a vocal booth.
 */
public final class RoomAcousticsAnalysis {

    /** Octave bands analysed, by nominal centre frequency. */
    public static final double[] BANDS = {125, 250, 500, 1000, 2000, 4000, 8000};

    /** Parameters of one band (or of the broadband IR when {@link #band} is 0). NaN when the range is not reached. */
    public static final class BandResult {
        public final double band;          // nominal centre in Hz, 0 = broadband
        public final String label;
        public final double edt, t20, t30; // seconds
        public final double c50, c80;      // dB
        public final double d50;           // ratio 0..1
        public final double ts;            // seconds
        public final double drr;           // dB
        public final double noiseFloorDb;  // relative to the band's peak energy (smoothed)
        public final double crossPoint;    // seconds from the onset
        public final double peakToNoiseDb;
        /** The decay curve in dB (0 at the onset), one value per {@link #edcStep} seconds from the onset. */
        public final float[] edcDb;
        public final double edcStep;

        BandResult(double band, String label, double edt, double t20, double t30, double c50, double c80, double d50,
                   double ts, double drr, double noiseFloorDb, double crossPoint, double peakToNoiseDb,
                   float[] edcDb, double edcStep) {
            this.band = band;
            this.label = label;
            this.edt = edt;
            this.t20 = t20;
            this.t30 = t30;
            this.c50 = c50;
            this.c80 = c80;
            this.d50 = d50;
            this.ts = ts;
            this.drr = drr;
            this.noiseFloorDb = noiseFloorDb;
            this.crossPoint = crossPoint;
            this.peakToNoiseDb = peakToNoiseDb;
            this.edcDb = edcDb;
            this.edcStep = edcStep;
        }
    }

    /** The result for one IR. */
    public static final class Result {
        public final int sampleRate;
        public final double onsetSeconds;
        public final double durationSeconds;
        public final List<BandResult> bands;
        public final BandResult broadband;

        Result(int sampleRate, double onsetSeconds, double durationSeconds, List<BandResult> bands, BandResult broadband) {
            this.sampleRate = sampleRate;
            this.onsetSeconds = onsetSeconds;
            this.durationSeconds = durationSeconds;
            this.bands = Collections.unmodifiableList(bands);
            this.broadband = broadband;
        }

        /** The band with this nominal centre, or null. */
        public BandResult band(double nominal) {
            for (BandResult b : bands) if (b.band == nominal) return b;
            return null;
        }
    }

    private RoomAcousticsAnalysis() { }

    /** Analyses one IR. */
    public static Result analyze(float[] ir, int sampleRate) {
        if (ir.length < sampleRate / 100) throw new IllegalArgumentException("IR shorter than 10 ms");
        int onset = onset(ir);
        OctaveBandFilterBank bank = new OctaveBandFilterBank(sampleRate, OctaveBandFilterBank.Resolution.OCTAVE);
        List<BandResult> out = new ArrayList<>();
        BandSplitter split = null;
        for (double nominal : BANDS) {
            int idx = -1;
            for (int i = 0; i < bank.size(); i++) if (bank.bands().get(i).nominal() == nominal) idx = i;
            if (idx < 0) continue; // band above 0.9 x Nyquist at low rates
            if (split == null) split = new BandSplitter(ir, sampleRate);
            OctaveBandFilterBank.Band b = bank.bands().get(idx);
            float[] band = split.band(b.lower(), b.upper());
            out.add(analyzeBand(band, onset, sampleRate, nominal, b.label()));
        }
        BandResult broadband = analyzeBand(ir, onset, sampleRate, 0, "broadband");
        return new Result(sampleRate, onset / (double) sampleRate, ir.length / (double) sampleRate, out, broadband);
    }

    /** ISO 3382-1 A.3.4: the start is where the squared IR first rises to within 20 dB of its maximum. */
    public static int onset(float[] ir) {
        double max = 0;
        for (float v : ir) max = Math.max(max, (double) v * v);
        if (max == 0) throw new IllegalArgumentException("IR is silent");
        double thr = max * 0.01;
        for (int i = 0; i < ir.length; i++) if ((double) ir[i] * ir[i] >= thr) return i;
        return 0;
    }

    static BandResult analyzeBand(float[] h, int onset, int rate, double nominal, String label) {
        double[] e = squares(h, onset);
        Lundeby l = lundeby(e, rate);
        int tc = l.crossIndex;
        // Schroeder backward integration up to the cross point, plus the modelled energy beyond it.
        double[] edc = backwardSums(e, tc, l.compensation);
        double e0 = edc[0];
        double[] edcDb = decibelsOf(edc, e0);
        double edt = decayTime(edcDb, rate, 0, -10);
        double t20 = decayTime(edcDb, rate, -5, -25);
        double t30 = decayTime(edcDb, rate, -5, -35);

        // Energy parameters from the onset, truncated at the cross point and compensated.
        int n50 = Math.min(tc, (int) Math.round(0.050 * rate));
        int n80 = Math.min(tc, (int) Math.round(0.080 * rate));
        double total = e0;
        double early50 = total - (n50 < tc ? edc[n50] : l.compensation);
        double early80 = total - (n80 < tc ? edc[n80] : l.compensation);
        double c50 = 10 * Math.log10(early50 / (total - early50));
        double c80 = 10 * Math.log10(early80 / (total - early80));
        double d50 = early50 / total;
        double tsNum = timeWeightedSum(e, tc, rate);
        if (l.decayRate > 0) {
            // tail beyond tc: integral of t * A exp(-k t) from tc to infinity
            double t0 = tc / (double) rate;
            tsNum += l.compensation * (t0 + 1 / (l.decayRate * rate));
        }
        double ts = tsNum / total;
        // Direct sound: the onset peak +/- 2.5 ms; the rest (up to the cross point) is reverberant.
        int peak = 0;
        int search = Math.min(tc, (int) (0.005 * rate) + 1);
        for (int i = 1; i < search; i++) if (e[i] > e[peak]) peak = i;
        int w = (int) Math.round(0.0025 * rate);
        double direct = 0;
        for (int i = Math.max(0, peak - w); i <= Math.min(tc - 1, peak + w); i++) direct += e[i];
        // energy before the onset (band filter leakage) counts as direct
        double drr = 10 * Math.log10(direct / Math.max(total - direct, 1e-30));

        double step = 0.002;
        int stepN = Math.max(1, (int) Math.round(step * rate));
        float[] curve = new float[(tc + stepN - 1) / stepN];
        for (int i = 0; i < curve.length; i++) curve[i] = (float) edcDb[i * stepN];
        return new BandResult(nominal, label, edt, t20, t30, c50, c80, d50, ts, drr, l.noiseDb, tc / (double) rate,
                -l.noiseDb, curve, stepN / (double) rate);
    }

    /*
     * analyzeBand's long loops, one per method: it runs 8 times a render (7 bands and the broadband IR), so C2 only ever
     * compiled it on-stack, the whole method from each loop on (2 compiles, 13.5 KB of code in the bench render's
     * compile log); a loop on its own compiles small. Same arithmetic in the same order.
     */

    /** {@code h[onset + i]^2} in double, {@code i < h.length - onset}. */
    private static double[] squares(float[] h, int onset) {
        double[] e = new double[h.length - onset];
        for (int i = 0; i < e.length; i++) {
            double v = h[onset + i];
            e[i] = v * v;
        }
        return e;
    }

    /** {@code out[i] = tail + e[tc - 1] + ... + e[i]}, summed from the end, {@code i < tc}. */
    private static double[] backwardSums(double[] e, int tc, double tail) {
        double[] edc = new double[tc];
        double sum = tail;
        for (int i = tc - 1; i >= 0; i--) {
            sum += e[i];
            edc[i] = sum;
        }
        return edc;
    }

    /** {@code 10 log10(edc[i] / e0)}, floored at -300 dB. */
    private static double[] decibelsOf(double[] edc, double e0) {
        double[] db = new double[edc.length];
        for (int i = 0; i < edc.length; i++) db[i] = 10 * Math.log10(Math.max(edc[i] / e0, 1e-30));
        return db;
    }

    /** {@code sum of (i / rate) e[i]}, {@code i < tc}, in index order. */
    private static double timeWeightedSum(double[] e, int tc, int rate) {
        double sum = 0;
        for (int i = 0; i < tc; i++) sum += (i / (double) rate) * e[i];
        return sum;
    }

    /** 60 dB decay time from a least-squares line through the decay curve between {@code fromDb} and {@code toDb}. */
    static double decayTime(double[] edcDb, int rate, double fromDb, double toDb) {
        int a = -1, b = -1;
        for (int i = 0; i < edcDb.length; i++) {
            if (a < 0 && edcDb[i] <= fromDb) a = i;
            if (edcDb[i] <= toDb) {
                b = i;
                break;
            }
        }
        if (a < 0 || b < 0 || b - a < 2) return Double.NaN;
        double slope = regression(edcDb, a, b + 1, rate)[1]; // dB per second
        if (slope >= 0) return Double.NaN;
        return -60.0 / slope;
    }

    /** Least squares {@code y = c + m t} over samples [a, b) with t = i / rate; returns {c, m}. */
    static double[] regression(double[] y, int a, int b, double rate) {
        double n = b - a;
        double st = 0, sy = 0, stt = 0, sty = 0;
        for (int i = a; i < b; i++) {
            double t = i / rate;
            st += t;
            sy += y[i];
            stt += t * t;
            sty += t * y[i];
        }
        double m = (n * sty - st * sy) / (n * stt - st * st);
        return new double[] {(sy - m * st) / n, m};
    }

    /** Outcome of Lundeby's iteration. */
    static final class Lundeby {
        int crossIndex;       // samples from the onset
        double noiseDb;       // noise level relative to the curve's peak (dB)
        double decayRate;     // k of the late decay A exp(-k n) per sample, 0 when unknown
        double compensation;  // energy after the cross point from the late-decay model
    }

    /**
     * Lundeby et al. 1995: (1) average the squared IR in 10 ms intervals, (2) noise = last 10 %, (3) fit the decay
     * from the peak to 10 dB above the noise, (4) cross point of fit and noise, (5) re-average with intervals
     * giving 5 per 10 dB of decay, (6) noise from 5 dB below the cross point on (at least the last 10 %), (7) fit
     * the late decay from 5 to 25 dB above the noise, (8) new cross point; repeat (6)-(8) until it settles.
     */
    static Lundeby lundeby(double[] e, int rate) {
        int n = e.length;
        Lundeby res = new Lundeby();
        int win = Math.max(1, (int) (0.010 * rate));
        double[] s = smooth(e, win);
        double peak = 0;
        int peakIdx = 0;
        for (int i = 0; i < s.length; i++) if (s[i] > peak) { peak = s[i]; peakIdx = i; }
        double noise = mean(e, (int) (0.9 * n), n);
        double[] db = toDb(s, peak);
        double noiseDb = 10 * Math.log10(Math.max(noise, 1e-300) / peak);
        // (3) first fit, from the peak to noise + 10 dB
        // the last point above noise + 10 dB (scanning back from the end, so a gap after the direct sound cannot
        // stop the fit early)
        int end = db.length;
        while (end > peakIdx + 1 && db[end - 1] <= noiseDb + 10) end--;
        if (end - peakIdx < 3) end = Math.min(db.length, peakIdx + 3);
        double[] fit = regression(db, peakIdx, end, rate / (double) win);
        double cross = cross(fit, noiseDb, rate / (double) win) * win;
        for (int iter = 0; iter < 6 && fit[1] < 0; iter++) {
            // (5) intervals: 5 per 10 dB of decay
            double secondsPer10dB = -10 / fit[1];
            int w2 = (int) Math.max(rate * 0.002, Math.min(rate * 0.05, secondsPer10dB / 5 * rate));
            double[] s2 = smooth(e, w2);
            double[] db2 = toDb(s2, peak);
            // (6) noise from the point 5 dB below the cross point, at least the last 10 %
            int nFrom = (int) Math.min(cross + 5 / -fit[1] * rate, 0.9 * n);
            nFrom = Math.max(0, nFrom);
            double noise2 = mean(e, nFrom, n);
            double noise2Db = 10 * Math.log10(Math.max(noise2, 1e-300) / peak);
            // (7) late decay from noise + 25 dB down to noise + 5 dB
            // scanning back from the end: b after the last point above noise + 5 dB, a after the last above + 25 dB
            int b = db2.length;
            while (b > 1 && db2[b - 1] <= noise2Db + 5) b--;
            int a = b;
            while (a > 0 && db2[a - 1] <= noise2Db + 25) a--;
            if (b - a < 3) break; // no late decay to fit (e.g. an IR cut off abruptly): keep the estimate
            double[] fit2 = regression(db2, a, b, rate / (double) w2);
            if (!(fit2[1] < 0)) break;
            double cross2 = cross(fit2, noise2Db, rate / (double) w2) * w2;
            fit = fit2;
            noiseDb = noise2Db;
            noise = noise2;
            boolean settled = Math.abs(cross2 - cross) < 0.001 * rate;
            cross = cross2;
            if (settled) break;
        }
        int tc = (int) Math.max(Math.min(cross, n), Math.min(n, 0.01 * rate));
        res.crossIndex = Math.max(1, tc);
        res.noiseDb = noiseDb;
        // (9) compensation: energy of the fitted decay beyond the cross point, fitted line in power per sample
        if (fit[1] < 0 && tc < n) {
            double k = -fit[1] * Math.log(10) / 10 / rate; // per sample
            double levelAtTc = peak * Math.pow(10, (fit[0] + fit[1] * tc / rate) / 10);
            res.decayRate = k;
            res.compensation = levelAtTc / k;
        } else if (fit[1] < 0) {
            res.decayRate = -fit[1] * Math.log(10) / 10 / rate;
        }
        return res;
    }

    private static double cross(double[] fit, double noiseDb, double pointsPerSecond) {
        // time (in smoothed points) where c + m t = noiseDb
        double t = (noiseDb - fit[0]) / fit[1];
        return t * pointsPerSecond;
    }

    /** Mean of {@code e} over windows of {@code w} samples (one value per window). */
    private static double[] smooth(double[] e, int w) {
        int m = Math.max(1, e.length / w);
        double[] s = new double[m];
        for (int j = 0; j < m; j++) s[j] = mean(e, j * w, Math.min(e.length, (j + 1) * w));
        return s;
    }

    private static double[] toDb(double[] s, double ref) {
        double[] d = new double[s.length];
        for (int i = 0; i < s.length; i++) d[i] = 10 * Math.log10(Math.max(s[i], 1e-300) / ref);
        return d;
    }

    private static double mean(double[] e, int a, int b) {
        if (b <= a) return 0;
        double s = 0;
        for (int i = a; i < b; i++) s += e[i];
        return s / (b - a);
    }

    /** Half-width in octaves of the power-complementary skirt at each band edge. */
    static final double EDGE_OCTAVES = 1.0 / 6;
    /** Least skirt half-width in Hz (see {@code BandSplitter.skirtOctaves}). */
    static final double MIN_SKIRT_HZ = 50;

    /** Zero-phase band filtering of one IR: its spectrum once, then one inverse transform per band. */
    static final class BandSplitter {
        private final int n;
        private final int size;
        private final int rate;
        private final org.stemroom.core.dsp.RealFft fft;
        private final float[] re;
        private final float[] im;

        BandSplitter(float[] ir, int rate) {
            this.n = ir.length;
            this.rate = rate;
            // zero padding of at least 0.5 s: the filters' symmetric ringing before t = 0 wraps into the padding
            this.size = PartitionedConvolver.nextPow2(ir.length + rate / 2);
            this.fft = new org.stemroom.core.dsp.RealFft(size);
            this.re = new float[size / 2 + 1];
            this.im = new float[size / 2 + 1];
            fft.forward(java.util.Arrays.copyOf(ir, size), re, im);
        }

        /** The IR band-passed between {@code lower} and {@code upper} Hz (-3.01 dB at each), zero phase. */
        float[] band(double lower, double upper) {
            int bins = size / 2 + 1;
            float[] r = new float[bins];
            float[] i = new float[bins];
            double wl = skirtOctaves(lower), wu = skirtOctaves(upper);
            // Only the bins on a skirt need the logarithms: below a skirt an edge's angle is 0, above it pi/2. The
            // skirts' ends are found by bisection on the same expression (skirtPosition rises with k: Math.log is
            // semi-monotonic, the divisions are by positive constants), so every bin gets the angle edgeAngle gives.
            int l0 = firstAbove(lower, wl, -1), l1 = firstAbove(lower, wl, 1);
            int u0 = firstAbove(upper, wu, -1), u1 = firstAbove(upper, wu, 1);
            // Below both skirts' starts every bin's gain is SIN_0 * COS_0 (k < l0 and k < u0), from both skirts'
            // ends on SIN_HALF_PI * COS_HALF_PI (l0 <= l1 <= k and u0 <= u1 <= k): the products gain() returns there.
            int skirts = Math.min(l0, u0), beyond = Math.max(skirts, Math.max(l1, u1));
            for (int k = 1; k < skirts; k += STRETCH) scale(SIN_0 * COS_0, r, i, k, Math.min(skirts, k + STRETCH));
            for (int k = skirts; k < beyond; k += STRETCH) {
                weigh(r, i, k, Math.min(beyond, k + STRETCH), lower, wl, l0, l1, upper, wu, u0, u1);
            }
            for (int k = beyond; k < bins; k += STRETCH) scale(SIN_HALF_PI * COS_HALF_PI, r, i, k, Math.min(bins, k + STRETCH));
            float[] t = new float[size];
            fft.inverse(r, i, t);
            return java.util.Arrays.copyOf(t, n);
        }

        /**
         * Bins per call of {@link #scale} and {@link #weigh}. Why stretches and the skirts apart: a band is 2^17 bins
         * for a 2.5 s room at 48 kHz and only 7 bands are taken a channel, so one loop over all of them with gain()'s tests
         * inside got C2's on-stack compile in the first band, then a whole compile that the next band's skirts (a test
         * the first band had never taken) threw away, then another (the bench render's compile log); loops of a few
         * thousand turns called dozens of times a band, each with the same tests in every band, are compiled whole once.
         */
        private static final int STRETCH = 2048;

        /** Bins [from, to) of the IR's spectrum times {@code g} into {@code r} and {@code i}. */
        private void scale(double g, float[] r, float[] i, int from, int to) {
            for (int k = from; k < to; k++) {
                r[k] = (float) (g * re[k]);
                i[k] = (float) (g * im[k]);
            }
        }

        /** Bins [from, to) of the IR's spectrum times their {@link #gain} into {@code r} and {@code i}. */
        private void weigh(float[] r, float[] i, int from, int to, double lower, double wl, int l0, int l1, double upper,
                           double wu, int u0, int u1) {
            for (int k = from; k < to; k++) {
                double g = gain(k, lower, wl, l0, l1, upper, wu, u0, u1);
                r[k] = (float) (g * re[k]);
                i[k] = (float) (g * im[k]);
            }
        }

        /**
         * The first bin from 1 whose {@link #edgeAngle} argument {@code u} at {@code edge} is above {@code bound}
         * when {@code bound} is -1 (below it the angle is 0), or at least {@code bound} when it is 1 (from there on
         * the angle is pi/2), exactly as edgeAngle decides; {@code size / 2 + 1} when there is none.
         */
        int firstAbove(double edge, double halfWidthOctaves, double bound) {
            int lo = 1, hi = size / 2 + 1; // the answer lies in [lo, hi]
            while (lo < hi) {
                int k = (lo + hi) >>> 1;
                double u = skirtPosition(k * (double) rate / size / edge, halfWidthOctaves);
                if (bound < 0 ? u > bound : u >= bound) hi = k; else lo = k + 1;
            }
            return lo;
        }

        /**
         * Bin {@code k}'s gain in the band between {@code lower} and {@code upper}: {@code sin} of its angle at the
         * lower edge times {@code cos} of its angle at the upper ({@link #edgeAngle}, evaluated only on the skirts'
         * bins from {@link #firstAbove}). Off the skirts the angles are 0 or pi/2, whose sine and cosine were taken once
         * ({@link #SIN_0} ...): the same values the calls give, without two calls per bin (7 bands of 2^17 bins for
         * a 2.5 s room at 48 kHz, almost all of them off the skirts).
         */
        double gain(int k, double lower, double wl, int l0, int l1, double upper, double wu, int u0, int u1) {
            double s = k < l0 ? SIN_0 : k >= l1 ? SIN_HALF_PI : Math.sin(edgeAngle(k * (double) rate / size / lower, wl));
            double c = k < u0 ? COS_0 : k >= u1 ? COS_HALF_PI : Math.cos(edgeAngle(k * (double) rate / size / upper, wu));
            return s * c;
        }

        private static final double SIN_0 = Math.sin(0.0);
        private static final double COS_0 = Math.cos(0.0);
        private static final double SIN_HALF_PI = Math.sin(0.5 * Math.PI);
        private static final double COS_HALF_PI = Math.cos(0.5 * Math.PI);

        /**
         * Skirt half-width at an edge: {@link #EDGE_OCTAVES}, widened at low edges to at least
         * {@link #MIN_SKIRT_HZ} on either side (at most half an octave), so that the filter's ringing (about the
         * inverse of the skirt width) stays short against the 0.1 s decays of a vocal booth.
         */
        static double skirtOctaves(double edge) {
            return Math.min(0.5, Math.max(EDGE_OCTAVES, Math.log(1 + MIN_SKIRT_HZ / edge) / Math.log(2)));
        }

        /**
         * Skirt angle at frequency ratio {@code x} to an edge: 0 below the skirt, pi/2 above it, pi/4 at the edge,
         * smooth (zero slope at both ends). A high pass passes {@code sin}, the band below {@code cos}: power
         * complementary (the bands' powers sum to one), -3.01 dB at the edge, and amplitudes with continuous
         * slopes, whose ringing dies out faster than that of a skirt that is only smooth in power.
         */
        static double edgeAngle(double x, double halfWidthOctaves) {
            double u = skirtPosition(x, halfWidthOctaves);
            if (u <= -1) return 0;
            if (u >= 1) return 0.5 * Math.PI;
            return 0.25 * Math.PI * (1 + Math.sin(0.5 * Math.PI * u));
        }

        /** Where ratio {@code x} lies on an edge's skirt: -1 at its lower end, 0 at the edge, 1 at its upper end. */
        static double skirtPosition(double x, double halfWidthOctaves) {
            return Math.log(x) / Math.log(2) / halfWidthOctaves;
        }
    }

    private static float[] reversed(float[] x) {
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[x.length - 1 - i];
        return r;
    }
}
