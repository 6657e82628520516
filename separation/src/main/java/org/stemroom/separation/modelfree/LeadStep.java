package org.stemroom.separation.modelfree;

import java.util.Map;
import java.util.List;

/**
 * The lead (vocal or solo instrument) by predominant-pitch tracking: a harmonic-summation salience
 * ({@code sum_h alpha^(h-1) |X(h f0)|}, Klapuri 2006) over a log-frequency grid of candidate pitches, a Viterbi path
 * through it that penalises pitch jumps and allows unvoiced frames, and narrow Gaussian masks around the tracked
 * pitch's harmonics. In stereo the masks are weighted towards the lead's panning position, found automatically as
 * the peak of the pan histogram of the bins on the tracked harmonics.
 */
public final class LeadStep implements MaskStep {
    private final String name;
    private double minHz = 75, maxHz = 1400;
    private int stepsPerSemitone = 5;
    private int harmonics = 20;
    private double maxHarmonicHz = 8000;
    private double alpha = 0.85;
    private double jumpPenaltyPerSemitone = 0.25;
    private double voicingThreshold = 0.12;
    private double widthBins = 1.0;
    private double widthCents = 25;
    private double panWidth = 0.08;
    private double panFloor = 0.25;
    private boolean peakCentred = true;
    private double searchCents = 40;
    private double envelopePower = 0;
    /** Harmonics above this give no evidence for the pitch (Infinity: all up to maxHarmonicHz). */
    private double evidenceMaxHz = Double.POSITIVE_INFINITY;
    /** Harmonics below this get no mask (0: all). */
    private double combMinHz = 0;
    /** With {@link #anchored}: cap of a partial's mask relative to the anchor band's strongest partial (0: off). */
    private double anchorCap = 0;
    private double[] lastTrack = new double[0];
    private double lastPan = Double.NaN;
    /** Pan histogram of the lead's bins carried over windows. */
    private final PanMemory panMemory = new PanMemory();

    private final List<String> names;
    /** What {@link #take} returns, reused (replacing the value allocates nothing). */
    private final Map<String, float[][]> out = new java.util.HashMap<>();

    public LeadStep(String name) {
        this.name = name;
        this.names = List.of(name);
    }

    public LeadStep pitchRange(double lo, double hi) { minHz = lo; maxHz = hi; return this; }
    public LeadStep harmonics(int h, double maxHz) { harmonics = h; maxHarmonicHz = maxHz; return this; }
    public LeadStep maskWidth(double bins, double cents) { widthBins = bins; widthCents = cents; return this; }
    public LeadStep voicing(double threshold) { voicingThreshold = threshold; return this; }
    public LeadStep jumpPenalty(double perSemitone) { jumpPenaltyPerSemitone = perSemitone; return this; }
    public LeadStep pan(double width, double floor) { panWidth = width; panFloor = floor; return this; }
    /** Centre each harmonic's mask on the nearest spectral peak within {@code cents} of h*f0 (or on h*f0 exactly). */
    public LeadStep peaks(boolean on, double cents) { peakCentred = on; searchCents = cents; return this; }
    /** Weight partials standing above the median of their neighbours down by (median/peak)^power (0: off). */
    public LeadStep envelope(double power) { envelopePower = power; return this; }
    /**
     * Anchors the pitch on one band: only harmonics up to {@code evidenceMaxHz} count in the salience, and only
     * those from {@code combMinHz} up get a mask. The bass's partials above the bass split are taken this way, on a
     * pitch found where the bass dominates (below the split) rather than on the whole mix, where chords and the
     * lead outweigh it.
     */
    public LeadStep anchored(double evidenceMaxHz, double combMinHz) {
        this.evidenceMaxHz = evidenceMaxHz;
        this.combMinHz = combMinHz;
        return this;
    }

    /**
     * With {@link #anchored}: only partials with a spectral peak near them get a mask, and a partial stronger than
     * {@code cap} times the anchor band's strongest partial keeps only that much of it (another source shares its
     * bin), so a masked partial never claims more than the anchored source can plausibly hold.
     */
    public LeadStep anchorCap(double cap) {
        this.anchorCap = cap;
        return this;
    }

    @Override
    public List<String> stemNames() { return names; }

    @Override
    public void reset() {
        panMemory.clear();
        lastPan = Double.NaN;
    }

    /** The pitch track of the last call, Hz per frame (0 unvoiced), for diagnostics. */
    public double[] lastTrack() { return lastTrack.clone(); }

    /** The panning position found in the last call (NaN for mono). */
    public double lastPan() { return lastPan; }

    @Override
    public Map<String, float[][]> take(SpectralMix mix, float[][] available) {
        int frames = mix.frames(), bins = mix.bins();
        float[][] mag = mix.magnitude();
        double binHz = mix.binHz();
        int k = (int) Math.floor(12 * stepsPerSemitone * Math.log(maxHz / minHz) / Math.log(2)) + 1;
        org.stemroom.separation.Workspace ws = mix.workspace();
        double[] f0 = ws.doubles(k);
        for (int i = 0; i < k; i++) f0[i] = minHz * Math.pow(2, i / (12.0 * stepsPerSemitone));

        // salience on the still-available magnitude
        float[][] sal = ws.floats(frames, k);
        float[] a = ws.floats(bins);
        double[] frameMax = ws.doubles(frames);
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) a[b] = mag[f][b] * available[f][b];
            double mx = 0;
            for (int i = 0; i < k; i++) {
                double s = 0, w = 1;
                for (int h = 1; h <= harmonics; h++) {
                    double hz = h * f0[i];
                    if (hz > maxHarmonicHz || hz > evidenceMaxHz) break;
                    double pos = hz / binHz;
                    int b0 = (int) pos;
                    if (b0 + 1 >= bins) break;
                    s += w * Math.max(a[b0], a[b0 + 1]);
                    w *= alpha;
                }
                sal[f][i] = (float) s;
                mx = Math.max(mx, s);
            }
            frameMax[f] = mx;
        }
        double[] sorted = ws.doubles(frames);
        System.arraycopy(frameMax, 0, sorted, 0, frames);
        double ref = Math.max(orderStatistic(sorted, (int) (0.95 * (frames - 1))), 1e-12);

        // Viterbi: states 0..k-1 voiced pitches, k unvoiced; linear jump penalty via two distance-transform sweeps
        double lambda = jumpPenaltyPerSemitone / stepsPerSemitone;
        double unvoicedEmission = Math.log(voicingThreshold);
        double switchCost = 1.0;
        double[] score = ws.doubles(k + 1);
        double[] next = ws.doubles(k + 1);
        int[][] back = ws.ints(frames, k + 1);
        double[] dt = ws.doubles(k);
        int[] arg = ws.ints(1, k)[0];
        for (int i = 0; i < k; i++) score[i] = Math.log(sal[0][i] / ref + 1e-3);
        score[k] = unvoicedEmission;
        for (int f = 1; f < frames; f++) {
            for (int i = 0; i < k; i++) { dt[i] = score[i]; arg[i] = i; }
            for (int i = 1; i < k; i++) {
                if (dt[i - 1] - lambda > dt[i]) { dt[i] = dt[i - 1] - lambda; arg[i] = arg[i - 1]; }
            }
            for (int i = k - 2; i >= 0; i--) {
                if (dt[i + 1] - lambda > dt[i]) { dt[i] = dt[i + 1] - lambda; arg[i] = arg[i + 1]; }
            }
            for (int i = 0; i < k; i++) {
                double fromUnvoiced = score[k] - switchCost;
                double e = Math.log(sal[f][i] / ref + 1e-3);
                if (dt[i] >= fromUnvoiced) { next[i] = dt[i] + e; back[f][i] = arg[i]; }
                else { next[i] = fromUnvoiced + e; back[f][i] = k; }
            }
            int best = 0;
            for (int i = 1; i < k; i++) if (score[i] > score[best]) best = i;
            if (score[best] - switchCost > score[k]) { next[k] = score[best] - switchCost + unvoicedEmission; back[f][k] = best; }
            else { next[k] = score[k] + unvoicedEmission; back[f][k] = k; }
            double[] t = score; score = next; next = t;
        }
        int state = 0;
        for (int i = 1; i <= k; i++) if (score[i] > score[state]) state = i;
        double[] track = ws.doubles(frames);
        for (int f = frames - 1; f >= 0; f--) {
            track[f] = state == k ? 0 : f0[state];
            state = back[f][state];
        }
        lastTrack = track; // workspace memory: valid until the next call, as the stems are

        // harmonic comb masks: each harmonic's Gaussian centred on the spectral peak found near h*f0 (parabolic
        // interpolation of the log magnitude), which follows detuning and inharmonicity the pitch grid cannot
        float[][] comb = ws.floats(frames, bins);
        double centsRatio = Math.pow(2, widthCents / 1200) - 1;
        double searchRatio = Math.pow(2, searchCents / 1200) - 1;
        int maxH = harmonics * 3;
        double[] centre = ws.doubles(maxH), peak = ws.doubles(maxH);
        float[] tmp = ws.floats(5);
        for (int f = 0; f < frames; f++) {
            if (track[f] <= 0) continue;
            for (int b = 0; b < bins; b++) a[b] = mag[f][b] * available[f][b];
            int nh = 0;
            double anchorPeak = 0;
            for (int h = 1; h <= maxH; h++) {
                double hz = h * track[f];
                if (hz > maxHarmonicHz) break;
                double c = hz / binHz;
                if (c + 1 >= bins) break;
                if (peakCentred) {
                    int reach = (int) Math.max(1, Math.round(c * searchRatio));
                    int lo = Math.max(1, (int) Math.round(c) - reach), hi = Math.min(bins - 2, (int) Math.round(c) + reach);
                    int best = -1;
                    for (int b = lo; b <= hi; b++) {
                        if (a[b] >= a[b - 1] && a[b] >= a[b + 1] && (best < 0 || a[b] > a[best])) best = b;
                    }
                    if (best <= 0 && anchorCap > 0 && hz >= combMinHz) continue;
                    if (best > 0) {
                        double l = Math.log(a[best - 1] + 1e-12), m0 = Math.log(a[best] + 1e-12), r = Math.log(a[best + 1] + 1e-12);
                        double den = l - 2 * m0 + r;
                        double d = den < 0 ? 0.5 * (l - r) / den : 0;
                        c = best + Math.max(-0.5, Math.min(0.5, d));
                    }
                }
                if (hz < combMinHz) {
                    anchorPeak = Math.max(anchorPeak, a[(int) Math.round(c)]);
                    continue;
                }
                centre[nh] = c;
                peak[nh] = a[(int) Math.round(c)];
                nh++;
            }
            for (int q = 0; q < nh; q++) {
                double w = 1;
                if (envelopePower > 0) {
                    // a partial far above the smooth envelope of its neighbours collides with another source: keep
                    // only the envelope's share of it
                    int lo = Math.max(0, q - 2), hi = Math.min(nh - 1, q + 2), m = 0;
                    for (int j = lo; j <= hi; j++) tmp[m++] = (float) peak[j];
                    double env = MedianFilter.select(tmp, m);
                    if (peak[q] > env && peak[q] > 0) w = Math.pow(env / peak[q], envelopePower);
                }
                if (anchorCap > 0) w = Math.min(w, peak[q] > 0 ? anchorCap * anchorPeak / peak[q] : 0);
                double c = centre[q];
                double sigma = Math.hypot(widthBins, c * centsRatio);
                int lo = Math.max(0, (int) Math.floor(c - 3 * sigma)), hi = Math.min(bins - 1, (int) Math.ceil(c + 3 * sigma));
                for (int b = lo; b <= hi; b++) {
                    double d = (b - c) / sigma;
                    float g = (float) (w * Math.exp(-0.5 * d * d));
                    if (g > comb[f][b]) comb[f][b] = g;
                }
            }
        }
        float[][] pan = mix.pan();
        if (pan != null) {
            double[] hist = ws.doubles(101);
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    if (comb[f][b] < 0.5f) continue;
                    double e = mag[f][b] * available[f][b];
                    hist[(int) Math.round(pan[f][b] * 100)] += e * e;
                }
            }
            lastPan = panMemory.update(hist, mix.clip().frames() / (double) mix.sampleRate());
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    if (comb[f][b] == 0) continue;
                    comb[f][b] *= PanMemory.weight(pan[f][b], lastPan, panWidth, panFloor);
                }
            }
        } else {
            lastPan = Double.NaN;
        }
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) comb[f][b] *= available[f][b];
        }
        out.put(name, comb);
        return out;
    }

    /** The k-th smallest of a[] (what sorting and indexing would give), by quickselect; reorders a. */
    static double orderStatistic(double[] a, int k) {
        int lo = 0, hi = a.length - 1;
        while (hi > lo) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    double t = a[i]; a[i] = a[j]; a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j; else if (k >= i) lo = i; else return a[k];
        }
        return a[k];
    }
}
