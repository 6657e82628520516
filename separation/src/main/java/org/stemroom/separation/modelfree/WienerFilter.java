package org.stemroom.separation.modelfree;

import java.util.Map;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.separation.StemSet;

/**
 * Multichannel Wiener filtering of stereo mask estimates, by expectation-maximisation as in Open-Unmix's
 * post-processing (Nugraha, Liutkus &amp; Vincent 2016): each source j is modelled by a power spectral density
 * {@code v_j(t,f)} and a 2x2 spatial covariance {@code R_j(f)}; one iteration re-estimates both from the current
 * stems and filters the mixture with {@code Y_j = v_j R_j (sum_k v_k R_k)^-1 X}. This restores per-source stereo
 * images that a mask shared by both channels cannot.
 */
final class WienerFilter {
    private static final double EPS = 1e-10;

    private WienerFilter() { }

    /** Time constant of the spatial covariances carried from window to window. */
    static final double MEMORY_SECONDS = 10.0;

    /**
     * The sources' spatial-covariance statistics carried over windows ({@code R_j(f)} numerators and weights,
     * decaying with {@link #MEMORY_SECONDS}): a source's stereo image changes slowly, and a 1 s window alone
     * estimates it poorly.
     */
    static final class Memory {
        /** Per source and bin (package-private for WienerFilterTest, which holds them to the per-bin EM's sums). */
        double[][] s11, s22, s12r, s12i, sden;
        private boolean empty = true;
        /** The refinement's loop bodies and array holders, reused from window to window. */
        final Pass pass = new Pass();
        /** {@link #tieImage}'s stem (null: none) and band edges (Hz). */
        private String tiedStem;
        private double tiedBelowHz, tiedFromHz, tiedTopHz;
        /** {@link #imageBlend}'s stems and their blends (none: off) and the weights' exponent. */
        private String[] imageStems = new String[0];
        private double[] imageBlends = new double[0];
        private int imagePower;
        /** {@link #rankOneImage}'s stem (null: none) and the frequency (Hz) from which its pooled image is rank one. */
        private String rankOneStem;
        private double rankOneFromHz;
        /** Per source: {@link #imageBlend}'s pooled sums (r11, r22, r12 re, r12 im, weight), carried like s11... */
        double[][] pool;

        Memory() { pass.mem = this; }

        /**
         * The stem {@code stem}'s spatial covariance from {@code fromHz} up to {@code topHz} is the one its estimate
         * shows below {@code belowHz} (the sums pooled over those bins). A part's pan pot sets one stereo image for
         * all its frequencies; where a stem dominates (the bass below the bass split) its estimate shows that image,
         * while above, a mask shared by both channels takes the other parts' channels along with it (a hard-right
         * bass's partials with a hard-left accordion's), and R_j estimated there would spread the stem over both.
         */
        void tieImage(String stem, double belowHz, double fromHz, double topHz) {
            if (stem != null && !(belowHz > 0 && fromHz >= belowHz && topHz > fromHz)) {
                throw new IllegalArgumentException("bad tied image bands " + belowHz + " / " + fromHz + "-" + topHz + " Hz");
            }
            tiedStem = stem;
            tiedBelowHz = belowHz;
            tiedFromHz = fromHz;
            tiedTopHz = topHz;
        }

        /**
         * Each stem {@code stems[k]}'s spatial covariance is its per-bin estimate blended by {@code blends[k]} with one
         * image pooled over all bins, each time-frequency bin weighted by the stem's mask to the power {@code power}.
         * A part's pan pot sets one image for all its frequencies, and where a stem's mask is near one the masked
         * mixture is that stem alone; in the bins it shares, the per-bin R_j takes the other parts' channels along (a
         * hard-left kit's right channel gets the hard-right bass and organ), which one EM iteration leaves in it.
         */
        void imageBlend(String[] stems, double[] blends, int power) {
            // at most 64: the float weights' scale (Pass.weights) keeps them normal floats up to there
            if (stems.length != blends.length || power < 0 || power > 64) throw new IllegalArgumentException("bad image blend");
            for (double x : blends) if (!(x >= 0 && x <= 1)) throw new IllegalArgumentException("image blend " + x);
            imageStems = stems.clone();
            imageBlends = blends.clone();
            imagePower = power;
        }

        /**
         * Stem {@code stem}'s pooled image ({@link #imageBlend}) from {@code fromHz} up is its principal direction
         * alone (rank one: the minor eigenvalue's part taken out). A kit's cymbals and snare sit at the kit's pan
         * position, yet the pooled sums keep some of the other parts' channels in the minor direction (held-out song
         * 3's hard-left kit still holds the hard-right parts in its right channel); below, the kick's bins share the
         * bass's and keep the blended image as it is (rank one from 200 Hz cost the training bass).
         */
        void rankOneImage(String stem, double fromHz) {
            if (stem != null && !(fromHz >= 0)) throw new IllegalArgumentException("bad rank-one image edge " + fromHz + " Hz");
            rankOneStem = stem;
            rankOneFromHz = fromHz;
        }

        /** Forgets the statistics (without allocating). */
        void clear() { empty = true; }

        /** True when statistics of this shape are held; (re)sizes the memory otherwise. */
        private boolean holds(int n, int bins) {
            boolean sized = s11 != null && s11.length == n && s11[0].length == bins;
            if (!sized) {
                s11 = new double[n][bins];
                s22 = new double[n][bins];
                s12r = new double[n][bins];
                s12i = new double[n][bins];
                sden = new double[n][bins];
                pool = new double[n][5];
            }
            boolean held = sized && !empty;
            empty = false;
            return held;
        }
    }

    /** One window on its own (no statistics carried from earlier windows). */
    static StemSet refine(SpectralMix mix, Map<String, float[][]> masks, int iterations) {
        String[] names = masks.keySet().toArray(new String[0]);
        float[][][] m = new float[names.length][][];
        for (int k = 0; k < names.length; k++) m[k] = masks.get(names[k]);
        return refine(mix, names, m, names.length, iterations, new Memory());
    }

    /**
     * Refines masks {@code masks[0..n)} (stems {@code names[0..n)}) with {@code iterations} EM iterations, carrying
     * the spatial statistics in {@code mem}. Window after window of one shape this allocates nothing: the working
     * arrays come from the mixture's workspace, the loop bodies live in {@code mem}.
     */
    static StemSet refine(SpectralMix mix, String[] names, float[][][] masks, int n, int iterations, Memory mem) {
        return refine(mix, names, masks, n, iterations, mem, false);
    }

    /**
     * {@link #refine(SpectralMix, String[], float[][][], int, int, Memory)}; with {@code remainderLast} the last stem
     * is the mixture minus the others ({@link SpectralMix#remainder}): the residual's share makes the estimates sum
     * to the mixture's spectrum in every bin, so its synthesis would give the same up to float round-off.
     */
    static StemSet refine(SpectralMix mix, String[] names, float[][][] masks, int n, int iterations, Memory mem,
                          boolean remainderLast) {
        int frames = mix.frames(), bins = mix.bins();
        org.stemroom.separation.Workspace ws = mix.workspace();
        Pass p = mem.pass;
        p.mix = mix;
        p.xl = mix.spectrum(0);
        p.xr = mix.spectrum(1);
        p.n = n;
        // the last source's estimate is no longer read after the share when its stem is the remainder: not spread to
        p.spreadTo = remainderLast ? n - 1 : n;
        p.frames = frames;
        p.bins = bins;
        // y[j][c]: the sources' complex estimates between the steps, the masked mixture to begin with. The first M-step
        // reads the mixture through the masks itself (the same float products), and the last E-step hands its
        // estimates to the share in rows of its own (see eStep): y is needed only by the share of no iterations (the
        // masked mixture, written here) and between two iterations (written by the E-step before it is read).
        Spectrogram[] y = p.y = ws.spectrogramRefs(2 * n);
        if (iterations != 1) {
            for (int j = 0; j < n; j++) {
                float[][] m = masks[j];
                for (int c = 0; c < 2; c++) {
                    Spectrogram x = mix.spectrum(c);
                    Spectrogram s = ws.spectrogramToOverwrite(frames, bins); // every bin written before it is read
                    if (iterations == 0) {
                        for (int f = 0; f < frames; f++) {
                            SpectralMix.mask(x.re(f), x.im(f), m[f], s.re(f), s.im(f), bins);
                        }
                    }
                    y[2 * j + c] = s;
                }
            }
        }
        p.masks = masks;
        p.tied = -1;
        for (int j = 0; j < n && mem.tiedStem != null; j++) if (names[j].equals(mem.tiedStem)) p.tied = j;
        p.tiedBelow = Math.min(bins, (int) Math.ceil(mem.tiedBelowHz / mix.binHz()));
        p.tiedFrom = Math.min(bins, (int) Math.ceil(mem.tiedFromHz / mix.binHz()));
        p.tiedTop = Math.min(bins, (int) Math.ceil(mem.tiedTopHz / mix.binHz()));
        if (p.blend == null || p.blend.length < n) p.blend = new double[n];
        for (int j = 0; j < n; j++) {
            p.blend[j] = 0;
            for (int k = 0; k < mem.imageStems.length; k++) if (names[j].equals(mem.imageStems[k])) p.blend[j] = mem.imageBlends[k];
        }
        p.imagePower = mem.imagePower;
        if (p.pooled.length < n) p.pooled = new double[n][5];
        if (p.sumRows.length < n || p.sumRows[0][0].length != bins) {
            p.sumRows = new float[n][5][bins];
            p.pooledRows = new float[n][15][bins];
        }
        p.rankOne = -1;
        for (int j = 0; j < n && mem.rankOneStem != null; j++) if (names[j].equals(mem.rankOneStem)) p.rankOne = j;
        p.rankOneFrom = Math.min(bins, (int) Math.ceil(mem.rankOneFromHz / mix.binHz()));
        if (iterations > 1) { // the later M-steps read y as it is: through gains of one (x * 1f is x, bit for bit)
            p.ones = ws.floatsToOverwrite(bins);
            java.util.Arrays.fill(p.ones, 1f);
        }
        // v_j per frame and bin; the R_j sums per bin in acc (double), R_j itself in r (float), see mStep
        // v and R_j: every value written by each M-step before the E-step reads it (not zeroed)
        p.v = ws.matrices(n);
        for (int j = 0; j < n; j++) p.v[j] = ws.floatsToOverwrite(frames, bins);
        p.acc = ws.doubles(5 * bins * n);
        p.r = ws.floatsToOverwrite(4 * n, bins);
        p.carry = mem.holds(n, bins);
        p.decay = Math.exp(-mix.clip().frames() / (double) mix.sampleRate() / MEMORY_SECONDS);
        p.scratch((frames + 15) / 16, n);
        // the shared estimates of the stems synthesised (the share writes every bin of them)
        p.shared = ws.spectrogramRefs(2 * p.spreadTo);
        for (int k = 0; k < 2 * p.spreadTo; k++) p.shared[k] = ws.spectrogramToOverwrite(frames, bins);
        // The diagonal loading leaves a little of X unexplained. Share it among the sources in proportion to their
        // energy in each bin and channel (what MixtureConsistency does after synthesis, here before it, on this STFT):
        // the stems then sum to the mixture up to STFT round-off, and its costly re-analysis is not needed. The last
        // iteration's E-step shares each stretch of bins as soon as it has the sources' estimates there (in cache).
        for (int it = 0; it < iterations; it++) {
            p.firstIteration = it == 0;
            p.lastIteration = it == iterations - 1;
            // sources are independent in the M-step: one per task
            org.stemroom.separation.ParallelFor.run(n, p.mStep);
            // the E-step is independent per frame: blocks of frames per task (same result whatever the split)
            org.stemroom.separation.ParallelFor.run((frames + 15) / 16, p.eStep);
        }
        if (iterations == 0) org.stemroom.separation.ParallelFor.run((frames + 15) / 16, p.share);
        float[][][] d = ws.rows(n, 2);
        int jobs = 2 * p.spreadTo;
        p.stfts = ws.stftRefs(jobs);
        // the synthesis (or the remainder) writes every sample
        for (int job = 0; job < 2 * n; job++) d[job / 2][job % 2] = ws.floatsToOverwrite(mix.clip().frames());
        for (int job = 0; job < jobs; job++) p.stfts[job] = ws.stft(mix.stft().nFft(), mix.stft().hop());
        if (p.batched.length < jobs) {
            p.batched = java.util.Arrays.copyOf(p.batched, jobs);
            for (int job = 0; job < jobs; job++) if (p.batched[job] == null) p.batched[job] = new BatchedSynthesis();
        }
        p.d = d;
        org.stemroom.separation.ParallelFor.run(jobs, p.synthesis);
        p.mix = null;
        p.shared = null;
        p.masks = null;
        p.ones = null;
        if (remainderLast) mix.remainder(d, n);
        return mix.stems(names, d, n);
    }

    /**
     * One refinement's state and its loop bodies, kept in {@link Memory} so that a cascade's windows reuse them. The
     * R_j statistics live in one double array {@code acc}: per source j, five rows of {@code bins} (r11, r22, r12 re,
     * r12 im, the weight).
     */
    static final class Pass {
        SpectralMix mix;
        Spectrogram xl, xr;
        Spectrogram[] y; // [2 * j + c]
        float[][][] v;
        /** The masks (the first M-step reads the mixture through them); a row of ones for the later M-steps. */
        float[][][] masks;
        float[] ones;
        double[] acc;
        /**
         * R_j in float for the E-step: per source j rows 4j..4j+3 (r11, r22, r12 re, r12 im), each its own array of
         * {@code bins}, indexed by the bin like every other row the E-step's loops read and write (see eStepStretch).
         */
        float[][] r;
        /** Per synthesised (source, channel) {@code 2 * j + c}: its shared estimate. */
        Spectrogram[] shared;
        /** Per synthesis job: its batched inverse FFT and frames (made on first use, kept from window to window). */
        BatchedSynthesis[] batched = new BatchedSynthesis[0];
        float[][][] d;
        org.stemroom.core.dsp.Stft[] stfts;
        int n, frames, bins;
        /** Sources {@code [0, spreadTo)} get their part of the residual (the others' estimates are not read after). */
        int spreadTo;
        boolean carry, firstIteration, lastIteration;
        /** {@link Memory#tieImage}: the tied source (-1: none) and its bins, pooled below {@code tiedBelow}, tied from {@code tiedFrom} to {@code tiedTop}. */
        int tied = -1, tiedBelow, tiedFrom, tiedTop;
        /** {@link Memory#imageBlend}: per source its blend (0: none); the weights' exponent. */
        double[] blend;
        int imagePower;
        /** Per source: the pooled image's sums of this window (r11, r22, r12 re, r12 im, weight), made by mStep. */
        double[][] pooled = new double[0][];
        /** Per source five rows of bins: the window's per-bin sums (r11, r22, r12 re, r12 im, weight) in float, see mStep. */
        float[][][] sumRows = new float[0][][];
        /**
         * Per source fifteen rows of bins: the pooled image's per-bin sums over the window's frames (r11, r22, r12 re,
         * r12 im, weight), then a frame's weights and the powers that make them (see weights), then the frame's
         * estimate (left re, im, right re, im), its powers (left, right) and cross product (re, im), see mStep.
         */
        float[][][] pooledRows = new float[0][][];
        /** {@link Memory#rankOneImage}: the source (-1: none) and the first bin of its rank-one pooled image. */
        int rankOne = -1, rankOneFrom;
        double decay;
        Memory mem;

        final org.stemroom.separation.ParallelFor.Body mStep = this::mStep;
        final org.stemroom.separation.ParallelFor.Body eStep = this::eStep;
        final org.stemroom.separation.ParallelFor.Body share = this::share;
        final org.stemroom.separation.ParallelFor.Body synthesis =
                job -> batched[job].synthesize(stfts[job], shared[job], frames, d[job / 2][job % 2]);

        private void mStep(int j) {
            // the window's sums per bin in float (a sum over its 45 frames: relative round-off some 1e-6 at worst),
            // then in double (offsets into acc: r11, r22, r12r, r12i, den) with the memory's decayed sums of the
            // windows before, a sum over many windows
            double[] a = acc;
            int o11 = (5 * j) * bins, o22 = o11 + bins, o12r = o22 + bins, o12i = o12r + bins, oden = o12i + bins;
            float[][] s = sumRows[j], q = pooledRows[j];
            float[] s11 = s[0], s22 = s[1], s12r = s[2], s12i = s[3], sden = s[4];
            for (float[] row : s) java.util.Arrays.fill(row, 0, bins, 0f);
            boolean pooling = blend[j] > 0;
            if (pooling) for (int k = 0; k < 5; k++) java.util.Arrays.fill(q[k], 0, bins, 0f);
            // the pooled image's weights power(m, imagePower) scaled by 2^(imagePower * exponent): see weights
            int exponent = imagePower == 0 ? 0 : 64 / imagePower;
            float scale = Math.scalb(1f, exponent), floor = Math.max(Float.MIN_NORMAL, Math.scalb(1f, -2 * exponent));
            // the first iteration's estimates are the masked mixture, read as such; later ones y, times one
            boolean masked = firstIteration;
            Spectrogram yl = masked ? xl : y[2 * j], yr = masked ? xr : y[2 * j + 1];
            float[][] g = masks[j];
            // stretch by stretch, all frames of one before the next: its rows of sums stay in cache. Each pass a loop
            // over rows indexed alike by the bin, one or two rows written, which C2 vectorizes (see eStepStretch)
            for (int b0 = 0; b0 < bins; b0 += STRETCH) {
                int b1 = Math.min(bins, b0 + STRETCH);
                for (int f = 0; f < frames; f++) {
                    float[] gf = masked ? g[f] : ones, vj = v[j][f];
                    // the estimate (l1 + i l2, r1 + i r2), its powers and cross product: rows of their own
                    float[] l1 = q[7], l2 = q[8], r1 = q[9], r2 = q[10], pl = q[11], pr = q[12], cr = q[13], ci = q[14];
                    gains(yl.re(f), yl.im(f), gf, l1, l2, b0, b1);
                    gains(yr.re(f), yr.im(f), gf, r1, r2, b0, b1);
                    powers(l1, l2, r1, r2, pl, pr, b0, b1);
                    cross(l1, l2, r1, r2, cr, ci, b0, b1);
                    addPair(pl, pr, s11, s22, b0, b1);
                    addPair(cr, ci, s12r, s12i, b0, b1);
                    psd(pl, pr, vj, sden, b0, b1);
                    if (pooling) {
                        float[] w = q[5];
                        weights(g[f], imagePower, scale, floor, w, q[6], b0, b1);
                        addWeightedPair(w, pl, pr, q[0], q[1], b0, b1);
                        addWeightedPair(w, cr, ci, q[2], q[3], b0, b1);
                        addWeighted(w, vj, q[4], b0, b1);
                    }
                }
            }
            widen(s, a, o11, bins);
            if (pooling) {
                double[] sums = pooled[j];
                for (int k = 0; k < 5; k++) sums[k] = Math.scalb(sum(q[k], bins), -exponent * imagePower);
            }
            if (carry) {
                addDecayed(a, o11, mem.s11[j], decay, bins);
                addDecayed(a, o22, mem.s22[j], decay, bins);
                addDecayed(a, o12r, mem.s12r[j], decay, bins);
                addDecayed(a, o12i, mem.s12i[j], decay, bins);
                addDecayed(a, oden, mem.sden[j], decay, bins);
            }
            if (lastIteration) {
                System.arraycopy(a, o11, mem.s11[j], 0, bins);
                System.arraycopy(a, o22, mem.s22[j], 0, bins);
                System.arraycopy(a, o12r, mem.s12r[j], 0, bins);
                System.arraycopy(a, o12i, mem.s12i[j], 0, bins);
                System.arraycopy(a, oden, mem.sden[j], 0, bins);
            }
            normalise(a, o11, bins, r, 4 * j);
            if (blend[j] > 0) blendImage(j);
            if (j == tied) tieImage(a, o11, bins, tiedBelow, tiedFrom, tiedTop, r, 4 * j);
        }

        /** {@link Memory#imageBlend} for source j: the pooled image's sums (made by mStep, carried), then R_j blended with it. */
        private void blendImage(int j) {
            double[] sums = pooled[j];
            double s11 = sums[0], s22 = sums[1], s12r = sums[2], s12i = sums[3], den = sums[4];
            double[] c = mem.pool[j];
            if (carry) {
                s11 += decay * c[0];
                s22 += decay * c[1];
                s12r += decay * c[2];
                s12i += decay * c[3];
                den += decay * c[4];
            }
            if (lastIteration) {
                c[0] = s11;
                c[1] = s22;
                c[2] = s12r;
                c[3] = s12i;
                c[4] = den;
            }
            if (!(den > 0)) return; // nothing of the stem: its own estimates stand
            double dd = den + EPS, al = blend[j], ke = 1 - al;
            double p11 = s11 / dd + EPS, p22 = s22 / dd + EPS, p12r = s12r / dd, p12i = s12i / dd;
            // bins [0, split) get the pooled image, [split, bins) its rank-one part: R less l2 v v^H, that is
            // R + l2 (R - l1 I) / (l1 - l2), with l1 >= l2 R's eigenvalues and v the minor direction
            double q11 = p11, q22 = p22, q12r = p12r, q12i = p12i;
            int split = bins;
            if (j == rankOne) {
                double half = 0.5 * (p11 - p22), rad = Math.sqrt(half * half + p12r * p12r + p12i * p12i);
                if (rad > 0) {
                    double l1 = 0.5 * (p11 + p22) + rad, l2 = Math.max(0, 0.5 * (p11 + p22) - rad);
                    double k = l2 / (2 * rad);
                    q11 = p11 + k * (p11 - l1);
                    q22 = p22 + k * (p22 - l1);
                    q12r = p12r + k * p12r;
                    q12i = p12i + k * p12i;
                    split = rankOneFrom;
                }
            }
            blendRows(r, 4 * j, 0, split, ke, al, p11, p22, p12r, p12i);
            blendRows(r, 4 * j, split, bins, ke, al, q11, q22, q12r, q12i);
        }

        /** R_j of bins {@code [from, to)} (rows {@code or..or+3} of r) blended: {@code ke} of its own, {@code al} of the image given. */
        private static void blendRows(float[][] r, int or, int from, int to, double ke, double al, double p11, double p22,
                                      double p12r, double p12i) {
            float[] r11 = r[or], r22 = r[or + 1], r12r = r[or + 2], r12i = r[or + 3];
            for (int b = from; b < to; b++) {
                r11[b] = (float) (ke * r11[b] + al * p11);
                r22[b] = (float) (ke * r22[b] + al * p22);
                r12r[b] = (float) (ke * r12r[b] + al * p12r);
                r12i[b] = (float) (ke * r12i[b] + al * p12i);
            }
        }

        /**
         * The pooled image's weights {@code power(m[b], q)} for bins {@code [b0, b1)}, in float, times {@code scale^q}
         * and from {@code floor^q} up: {@code w[b] = (scale max(m[b], floor))^q}, by squaring, each a pass over the
         * row ({@code sq} holds the powers of two). mStep's scale {@code 2^e} and floor {@code 2^-2e} ({@code e = 64 /
         * q}) keep every weight within 2^64 of one (normal floats: no subnormal arithmetic, which costs some CPUs a
         * hundred cycles an operation), their products with a bin's power far from float's limits, and the sums over
         * a window's frames too; a mask under the floor (1/16 for the default's q = 32) weighs 2^-128 of a mask of
         * one or less, where it weighed even less: nothing the pooled image's sums show.
         */
        static void weights(float[] m, int q, float scale, float floor, float[] w, float[] sq, int b0, int b1) {
            if (q == 0) {
                java.util.Arrays.fill(w, b0, b1, 1f);
                return;
            }
            for (int b = b0; b < b1; b++) sq[b] = scale * Math.max(m[b], floor);
            boolean first = true;
            for (; q > 0; q >>= 1) {
                if ((q & 1) != 0) {
                    if (first) System.arraycopy(sq, b0, w, b0, b1 - b0);
                    else multiply(w, sq, b0, b1);
                    first = false;
                }
                if (q > 1) multiply(sq, sq, b0, b1);
            }
        }

        private static void multiply(float[] x, float[] y, int b0, int b1) {
            for (int b = b0; b < b1; b++) x[b] *= y[b];
        }

        /** The float sums in double into acc from {@code o11} (rows r11, r22, r12 re, r12 im, weight of {@code bins}). */
        private static void widen(float[][] s, double[] a, int o11, int bins) {
            for (int k = 0; k < 5; k++) {
                float[] row = s[k];
                int o = o11 + k * bins;
                for (int b = 0; b < bins; b++) a[o + b] = row[b];
            }
        }

        /** The sum of {@code row[0, bins)} in double. */
        private static double sum(float[] row, int bins) {
            double t = 0;
            for (int b = 0; b < bins; b++) t += row[b];
            return t;
        }

        /** R_j of bins {@code [from, top)} (rows {@code or..or+3} of r) from the sums of bins {@code [1, below)} pooled ({@link Memory#tieImage}). */
        private static void tieImage(double[] a, int o11, int bins, int below, int from, int top, float[][] r, int or) {
            int o22 = o11 + bins, o12r = o22 + bins, o12i = o12r + bins, oden = o12i + bins;
            double s11 = 0, s22 = 0, s12r = 0, s12i = 0, den = 0;
            for (int b = 1; b < below; b++) {
                s11 += a[o11 + b];
                s22 += a[o22 + b];
                s12r += a[o12r + b];
                s12i += a[o12i + b];
                den += a[oden + b];
            }
            if (!(den > 0)) return; // nothing of the stem below: its own estimates stand
            double dd = den + EPS;
            for (int b = from; b < top; b++) {
                r[or][b] = (float) (s11 / dd + EPS);
                r[or + 1][b] = (float) (s22 / dd + EPS);
                r[or + 2][b] = (float) (s12r / dd);
                r[or + 3][b] = (float) (s12i / dd);
            }
        }

        private static void addDecayed(double[] a, int o, double[] s, double decay, int bins) {
            for (int b = 0; b < bins; b++) a[o + b] += decay * s[b];
        }

        /** R_j = the sums over their weight (plus EPS on the diagonal), rounded to float into rows {@code or..or+3} of r. */
        private static void normalise(double[] a, int o11, int bins, float[][] r, int or) {
            int o22 = o11 + bins, o12r = o22 + bins, o12i = o12r + bins, oden = o12i + bins;
            float[] r11 = r[or], r22 = r[or + 1], r12r = r[or + 2], r12i = r[or + 3];
            for (int b = 0; b < bins; b++) {
                double dd = a[oden + b] + EPS;
                r11[b] = (float) (a[o11 + b] / dd + EPS);
                r22[b] = (float) (a[o22 + b] / dd + EPS);
                r12r[b] = (float) (a[o12r + b] / dd);
                r12i[b] = (float) (a[o12i + b] / dd);
            }
        }

        /*
         * The loops over a window's frames call small per-frame methods: as one body, each stage was compiled by C2
         * on-stack and again (hundreds of ms each); per-frame units compile once. Same arithmetic, same bits.
         */

        /*
         * The M-step's passes over one frame's bins [b0, b1) of the estimate (lr + i li, rr + i ri) times the gains g:
         * the mask (the masked mixture's float products, as SpectralMix.mask makes them) or ones (x * 1f is x). Until
         * session 35 one loop made all of them and the pooled sums in double (accumulatePooled: five running double
         * sums a bin, 5.3 % of the bench render's separation thread, docs/render-speed-history.md, session 34). Each
         * pass computes little, so that C2 unrolls and vectorizes it: kernels that each recomputed the masked products
         * were not vectorized and cost twice accumulatePooled. With the float share, the Wiener step of a one-second
         * window 9.4 -> 8.2 ms; the stems' figures unchanged at 0.01 dB (docs/render-speed-history.md and
         * docs/separation-history.md, session 35).
         */

        /** {@code (or, oi) = (xr, xi) g}. */
        static void gains(float[] xr, float[] xi, float[] g, float[] or, float[] oi, int b0, int b1) {
            for (int b = b0; b < b1; b++) {
                or[b] = xr[b] * g[b];
                oi[b] = xi[b] * g[b];
            }
        }

        /** {@code pl = |l|^2}, {@code pr = |r|^2}. */
        static void powers(float[] l1, float[] l2, float[] r1, float[] r2, float[] pl, float[] pr, int b0, int b1) {
            for (int b = b0; b < b1; b++) {
                pl[b] = l1[b] * l1[b] + l2[b] * l2[b];
                pr[b] = r1[b] * r1[b] + r2[b] * r2[b];
            }
        }

        /** {@code (cr, ci) = l conj(r)}. */
        static void cross(float[] l1, float[] l2, float[] r1, float[] r2, float[] cr, float[] ci, int b0, int b1) {
            for (int b = b0; b < b1; b++) {
                cr[b] = l1[b] * r1[b] + l2[b] * r2[b];
                ci[b] = l2[b] * r1[b] - l1[b] * r2[b];
            }
        }

        /** {@code sa += a}, {@code sb += b}. */
        static void addPair(float[] a, float[] c, float[] sa, float[] sc, int b0, int b1) {
            for (int b = b0; b < b1; b++) {
                sa[b] += a[b];
                sc[b] += c[b];
            }
        }

        /** The PSD {@code v = (pl + pr) / 2}, and {@code sden += v}. */
        static void psd(float[] pl, float[] pr, float[] v, float[] sden, int b0, int b1) {
            for (int b = b0; b < b1; b++) {
                float vv = 0.5f * (pl[b] + pr[b]);
                v[b] = vv;
                sden[b] += vv;
            }
        }

        /** {@code sa += w a}, {@code sc += w c}. */
        static void addWeightedPair(float[] w, float[] a, float[] c, float[] sa, float[] sc, int b0, int b1) {
            for (int b = b0; b < b1; b++) {
                sa[b] += w[b] * a[b];
                sc[b] += w[b] * c[b];
            }
        }

        /** {@code s += w x}. */
        static void addWeighted(float[] w, float[] x, float[] s, int b0, int b1) {
            for (int b = b0; b < b1; b++) s[b] += w[b] * x[b];
        }

        /** Bins per stretch of the E-step and the share: their per-bin scratch rows stay in the first-level cache. */
        private static final int STRETCH = 256;
        /**
         * Per block of frames (one task at a time): the share's float rows (see SHARE_ROWS; each its own array,
         * indexed from 0, so that C2 vectorizes the loops over them); the E-step's float rows of one stretch (see
         * eStepStretch); and the last E-step's estimates of one frame's stretch (per source j: left re, im, right re,
         * im in rows 4j..4j+3), which only the share reads: they are not written to the spectrograms y.
         */
        private float[][][] shareRows = new float[0][][];
        private float[][][] scratchF = new float[0][][];
        private float[][][] estimates = new float[0][][];
        /** Per block: an earlier iteration's E-step estimates of one frame's stretch (rows of scratchF, see E_ROWS). */
        private float[][][] earlier = new float[0][][];

        void scratch(int blocks, int sources) {
            if (shareRows.length < blocks || shareRows.length > 0 && estimates[0].length != 4 * sources) {
                int count = Math.max(blocks, shareRows.length);
                float[][][] s = new float[count][][];
                float[][][] sf = new float[count][][];
                float[][][] e = new float[count][][], y = new float[count][][];
                for (int k = 0; k < count; k++) {
                    s[k] = new float[SHARE_ROWS][STRETCH];
                    sf[k] = new float[E_ROWS + 9 * sources][STRETCH];
                    e[k] = new float[4 * sources][STRETCH];
                    y[k] = java.util.Arrays.copyOfRange(sf[k], E_ROWS + 5 * sources, E_ROWS + 9 * sources);
                }
                shareRows = s;
                scratchF = sf;
                estimates = e;
                earlier = y;
            }
        }

        /** The share's rows: the residual's re and im, the sources' total energy, a source's shared estimate re and im. */
        private static final int SHARE_ROWS = 5;
        /**
         * The E-step's float rows of one stretch before the sources' own: C and then its inverse (0-3), z (4-7), a
         * source's v_j R_j (8-11), the mixture's left re, im, right re, im (12-15); then per source j its R_j (rows
         * {@code E_ROWS + 4j ..}, for all the block's frames), and its PSD (row {@code E_ROWS + 4n + j}) and, for an
         * earlier iteration, its estimates (rows {@code E_ROWS + 5n + 4j ..}) of one frame.
         */
        private static final int E_ROWS = 16;

        private void eStep(int blk) {
            float[][] t = shareRows[blk];
            float[][] c = scratchF[blk];
            // the last E-step's estimates go to the block's rows, read at once by the share; earlier ones to y
            float[][] e = lastIteration ? estimates[blk] : null;
            float[][] out = lastIteration ? e : earlier[blk];
            // stretch by stretch over the block's frames: the stretch's R_j rows stay in cache
            for (int b0 = 0; b0 < bins; b0 += STRETCH) {
                int len = Math.min(STRETCH, bins - b0);
                for (int k = 0; k < 4 * n; k++) System.arraycopy(r[k], b0, c[E_ROWS + k], 0, len);
                for (int f = blk * 16; f < Math.min(frames, blk * 16 + 16); f++) {
                    for (int j = 0; j < n; j++) System.arraycopy(v[j][f], b0, c[E_ROWS + 4 * n + j], 0, len);
                    System.arraycopy(xl.re(f), b0, c[12], 0, len);
                    System.arraycopy(xl.im(f), b0, c[13], 0, len);
                    System.arraycopy(xr.re(f), b0, c[14], 0, len);
                    System.arraycopy(xr.im(f), b0, c[15], 0, len);
                    eStepStretch(n, c, out, len);
                    if (lastIteration) {
                        shareStretch(f, 0, b0, len, c[12], c[13], e, t);
                        shareStretch(f, 1, b0, len, c[14], c[15], e, t);
                    } else {
                        for (int j = 0; j < n; j++) {
                            System.arraycopy(out[4 * j], 0, y[2 * j].re(f), b0, len);
                            System.arraycopy(out[4 * j + 1], 0, y[2 * j].im(f), b0, len);
                            System.arraycopy(out[4 * j + 2], 0, y[2 * j + 1].re(f), b0, len);
                            System.arraycopy(out[4 * j + 3], 0, y[2 * j + 1].im(f), b0, len);
                        }
                    }
                }
            }
        }

        /*
         * The E-step of one frame's stretch of bins, in float, in passes over it: C = sum_j v_j R_j (plus EPS on the
         * diagonal), its loaded inverse, z = C^-1 x, then each source's v_j R_j and v_j R_j z. All in float, so that
         * C2 vectorizes every pass with twice the lanes of double (JDK 17 vectorizes no loop that mixes float and
         * double). Deliberate change of session 10: the stems move by float round-off (WienerFilterTest: against the
         * double EM per bin, stated tolerances; held-out SI-SDR means moved by at most 0.01 dB, docs/separation-history.md). The
         * M-step's sums over a window's frames (see mStep) and the residual's share (see shareStretch) are in float too
         * since session 35; the sums over windows, carried in Memory, stay in double.
         * Each pass is a loop over rows of the stretch alone, all indexed alike from 0, with one or two rows written:
         * C2 of JDK 17 vectorizes no loop that writes one float array at an offset and reads another at a different
         * one (it cannot tell them apart), nor one whose body is too large to unroll eight times. Session 27: the
         * passes over one array of C's rows, reading R_j at offsets into one array and the PSDs and mixture at the
         * stretch's offset, writing 4 rows a pass, all ran scalar (some 30 ns a bin and frame); the stretch's rows are
         * now copied (System.arraycopy) into rows of their own, which also keeps them apart in the first-level cache
         * (rows of 2,049 floats lie 8 KB apart, on the same cache sets). The same products and sums in the same order.
         */

        /**
         * The E-step of one stretch of {@code len} bins of a frame, from the stretch's rows in c (see
         * {@link #E_ROWS}): sources {@code [0, n)}; their estimates (left re, im, right re, im) into rows
         * {@code 4j..4j+3} of out.
         */
        static void eStepStretch(int n, float[][] c, float[][] out, int len) {
            // Each pass has one call site (a loop over its uses), so that C2 compiles one copy of its loop: every
            // copy is a vectorized loop with its pre- and post-loops, and as separate call sites C2 spent some 0.4
            // CPU-s more on the bench render (session 27).
            for (int j = 0; j < n; j++) {
                float[] vj = c[E_ROWS + 4 * n + j];
                for (int h = 0; h < 4; h += 2) { // c11 and c22, then c12 re and im
                    float[] ra = c[E_ROWS + 4 * j + h], rb = c[E_ROWS + 4 * j + h + 1];
                    if (j == 0) { // C from EPS on the diagonal and 0 off it, as when first filled with them
                        startProducts(h == 0 ? (float) EPS : 0f, vj, ra, rb, c[h], c[h + 1], len);
                    } else {
                        addProducts(vj, ra, rb, c[h], c[h + 1], len);
                    }
                }
            }
            invert(c[0], c[1], c[2], c[3], len); // C's rows now hold its inverse: i11, i22, i12 re, i12 im
            // z = C^-1 x (m: the inverse, in rows 0-3; x: the mixture, rows 12-15; into rows 4-7), then each source's
            // v_j R_j z (m: v_j R_j, made into rows 8-11; x: z): left m11 x1 + m12 x2, right conj(m12) x1 + m22 x2
            for (int j = -1; j < n; j++) {
                int m = 0, x = 12, o = 4;
                float[][] to = c;
                if (j >= 0) {
                    float[] vj = c[E_ROWS + 4 * n + j];
                    for (int h = 0; h < 4; h += 2) {
                        products(vj, c[E_ROWS + 4 * j + h], c[E_ROWS + 4 * j + h + 1], c[8 + h], c[9 + h], len);
                    }
                    m = 8;
                    x = 4;
                    o = 4 * j;
                    to = out;
                }
                float[] m11 = c[m], m22 = c[m + 1], m12r = c[m + 2], m12i = c[m + 3];
                float[] x1r = c[x], x1i = c[x + 1], x2r = c[x + 2], x2i = c[x + 3];
                productPlusDifference(m11, x1r, m12r, x2r, m12i, x2i, to[o], len);
                productPlusSum(m11, x1i, m12r, x2i, m12i, x2r, to[o + 1], len);
                sumPlusProduct(m12r, x1r, m12i, x1i, m22, x2r, to[o + 2], len);
                differencePlusProduct(m12r, x1i, m12i, x1r, m22, x2i, to[o + 3], len);
            }
        }

        /** {@code ca = c0 + v ra} and {@code cb = c0 + v rb} over {@code [0, len)}: the first source's {@link #addProducts}. */
        private static void startProducts(float c0, float[] v, float[] ra, float[] rb, float[] ca, float[] cb, int len) {
            for (int i = 0; i < len; i++) {
                float vv = v[i];
                ca[i] = c0 + vv * ra[i];
                cb[i] = c0 + vv * rb[i];
            }
        }

        /** {@code ca += v ra} and {@code cb += v rb} over {@code [0, len)}. */
        private static void addProducts(float[] v, float[] ra, float[] rb, float[] ca, float[] cb, int len) {
            for (int i = 0; i < len; i++) {
                float vv = v[i];
                ca[i] += vv * ra[i];
                cb[i] += vv * rb[i];
            }
        }

        /** {@code pa = v ra} and {@code pb = v rb} over {@code [0, len)}. */
        private static void products(float[] v, float[] ra, float[] rb, float[] pa, float[] pb, int len) {
            for (int i = 0; i < len; i++) {
                float vv = v[i];
                pa[i] = vv * ra[i];
                pb[i] = vv * rb[i];
            }
        }

        /** {@code o = a x + (p q - s t)} over {@code [0, len)}. */
        private static void productPlusDifference(float[] a, float[] x, float[] p, float[] q, float[] s, float[] t,
                                                  float[] o, int len) {
            for (int i = 0; i < len; i++) o[i] = a[i] * x[i] + (p[i] * q[i] - s[i] * t[i]);
        }

        /** {@code o = a x + (p q + s t)} over {@code [0, len)}. */
        private static void productPlusSum(float[] a, float[] x, float[] p, float[] q, float[] s, float[] t,
                                           float[] o, int len) {
            for (int i = 0; i < len; i++) o[i] = a[i] * x[i] + (p[i] * q[i] + s[i] * t[i]);
        }

        /** {@code o = (p q + s t) + a x} over {@code [0, len)}. */
        private static void sumPlusProduct(float[] p, float[] q, float[] s, float[] t, float[] a, float[] x,
                                           float[] o, int len) {
            for (int i = 0; i < len; i++) o[i] = (p[i] * q[i] + s[i] * t[i]) + a[i] * x[i];
        }

        /** {@code o = (p q - s t) + a x} over {@code [0, len)}. */
        private static void differencePlusProduct(float[] p, float[] q, float[] s, float[] t, float[] a, float[] x,
                                                  float[] o, int len) {
            for (int i = 0; i < len; i++) o[i] = (p[i] * q[i] - s[i] * t[i]) + a[i] * x[i];
        }

        /**
         * C (rows c11, c22, c12 re, c12 im, {@code [0, len)}) becomes its loaded inverse in place. C is a sum of
         * positive semi-definite matrices, and the loading by 1e-3 of its trace keeps its determinant above 1e-3 of the
         * squared trace, some ten thousand times the float round-off of c11 c22: positive, with no test (the double
         * form guarded it).
         */
        private static void invert(float[] c11s, float[] c22s, float[] c12rs, float[] c12is, int len) {
            for (int i = 0; i < len; i++) {
                float c11 = c11s[i], c22 = c22s[i], c12r = c12rs[i], c12i = c12is[i];
                // loaded by a small fraction of its trace: fully correlated channels (a centred source, a dual-mono
                // master) make C singular otherwise
                float load = 1e-3f * (c11 + c22) + (float) EPS;
                c11 += load;
                c22 += load;
                float inv = 1f / (c11 * c22 - (c12r * c12r + c12i * c12i));
                c11s[i] = c22 * inv;
                c22s[i] = c11 * inv;
                c12rs[i] = -c12r * inv;
                c12is[i] = -c12i * inv;
            }
        }

        /**
         * The share of a block of frames with no E-step before it (no iterations): each stretch's mixture and masked
         * mixture copied into the rows the last E-step leaves them in, then shared as after it.
         */
        private void share(int blk) {
            float[][] t = shareRows[blk], c = scratchF[blk], e = estimates[blk];
            for (int f = blk * 16; f < Math.min(frames, blk * 16 + 16); f++) {
                for (int b0 = 0; b0 < bins; b0 += STRETCH) {
                    int len = Math.min(STRETCH, bins - b0);
                    System.arraycopy(xl.re(f), b0, c[12], 0, len);
                    System.arraycopy(xl.im(f), b0, c[13], 0, len);
                    System.arraycopy(xr.re(f), b0, c[14], 0, len);
                    System.arraycopy(xr.im(f), b0, c[15], 0, len);
                    for (int j = 0; j < n; j++) {
                        System.arraycopy(y[2 * j].re(f), b0, e[4 * j], 0, len);
                        System.arraycopy(y[2 * j].im(f), b0, e[4 * j + 1], 0, len);
                        System.arraycopy(y[2 * j + 1].re(f), b0, e[4 * j + 2], 0, len);
                        System.arraycopy(y[2 * j + 1].im(f), b0, e[4 * j + 3], 0, len);
                    }
                    shareStretch(f, 0, b0, len, c[12], c[13], e, t);
                    shareStretch(f, 1, b0, len, c[14], c[15], e, t);
                }
            }
        }

        /**
         * Frame f, channel c, bins [b0, b0 + len): what the sources (their estimates in rows {@code 4j + 2c} and
         * {@code 4j + 2c + 1} of e) leave of the mixture {@code (xre, xim)} (rows of the stretch, from 0), spread in
         * proportion to their energy, into the shared estimates' frames. In float, in loops over rows of the stretch
         * indexed alike from 0 (t's rows: see SHARE_ROWS), which C2 vectorizes; the shared estimates reach their
         * frames by System.arraycopy. Until session 35 the share ran in double from float estimates: their widening
         * and the rounding back to float were scalar (JDK 17 vectorizes no float-double conversion) and took 3.8 % of
         * the bench render's separation thread (docs/render-speed-history.md, session 34). Its float round-off (relative
         * 1e-7 of the residual, a fraction of the estimates' own) moves the stems' last bits, not their figures
         * (docs/separation-history.md, session 35).
         */
        private void shareStretch(int f, int c, int b0, int len, float[] xre, float[] xim, float[][] e, float[][] t) {
            float[] res = t[0], ims = t[1], tot = t[2], zr = t[3], zi = t[4];
            leaveFirst(xre, xim, e[2 * c], e[2 * c + 1], res, ims, tot, len);
            for (int j = 1; j < n; j++) leave(e[4 * j + 2 * c], e[4 * j + 2 * c + 1], res, ims, tot, len);
            float even = 1f / n;
            // Bins [0, loud) take each source's energy share by a vectorized loop (no silence there), the others by
            // spread's branch-free choice. The last bin always goes that way, so that both loops are entered in music
            // too and the padded last window's silence costs no recompile.
            int loud = loudBefore(tot, len);
            for (int j = 0; j < spreadTo; j++) {
                float[] yr = e[4 * j + 2 * c], yi = e[4 * j + 2 * c + 1];
                Spectrogram out = shared[2 * j + c];
                shareLoud(yr, yi, res, ims, tot, zr, zi, loud);
                spread(yr, yi, res, ims, tot, zr, zi, loud, len, even);
                System.arraycopy(zr, 0, out.re(f), b0, len);
                System.arraycopy(zi, 0, out.im(f), b0, len);
            }
        }

        /** The first source's part of {@link #leave}: {@code res = xre - yr}, {@code ims = xim - yi}, {@code tot = |y|^2}. */
        static void leaveFirst(float[] xre, float[] xim, float[] yr, float[] yi, float[] res, float[] ims, float[] tot,
                               int len) {
            for (int i = 0; i < len; i++) {
                res[i] = xre[i] - yr[i];
                ims[i] = xim[i] - yi[i];
                tot[i] = yr[i] * yr[i] + yi[i] * yi[i];
            }
        }

        /** What a source leaves: {@code res -= yr}, {@code ims -= yi}; its energy added to {@code tot}. */
        static void leave(float[] yr, float[] yi, float[] res, float[] ims, float[] tot, int len) {
            for (int i = 0; i < len; i++) {
                res[i] -= yr[i];
                ims[i] -= yi[i];
                tot[i] += yr[i] * yr[i] + yi[i] * yi[i];
            }
        }

        /**
         * {@code len - 1} when {@link #spread}'s test gives every bin of {@code [0, len - 1)} the source's energy share
         * (the total above 1e-20: the same sign bit it reads), else 0; no branch.
         */
        static int loudBefore(float[] tot, int len) {
            int all = -1;
            for (int i = 0; i < len - 1; i++) all &= Float.floatToRawIntBits(1e-20f - tot[i]);
            return (all >> 31) & (len - 1);
        }

        /**
         * A source's estimate plus its energy's share of the residual, {@code z = y + res |y|^2 / tot}, for bins
         * {@code [0, len)}, whose total is above 1e-20 ({@link #loudBefore}).
         */
        static void shareLoud(float[] yr, float[] yi, float[] res, float[] ims, float[] tot, float[] zr, float[] zi,
                              int len) {
            for (int i = 0; i < len; i++) {
                float wi = (yr[i] * yr[i] + yi[i] * yi[i]) / tot[i];
                zr[i] = yr[i] + res[i] * wi;
                zi[i] = yi[i] + ims[i] * wi;
            }
        }

        /**
         * {@link #shareLoud} for bins {@code [from, len)}, where the total may be silence (at most 1e-20: the last
         * window's padding): there each source takes {@code even} of the residual.
         */
        static void spread(float[] yr, float[] yi, float[] res, float[] ims, float[] tot, float[] zr, float[] zi,
                           int from, int len, float even) {
            for (int i = from; i < len; i++) {
                // no branch: only silence (the last window's padding) has no energy here (see BranchFree)
                float wi = BranchFree.ifGreater(tot[i], 1e-20f, (yr[i] * yr[i] + yi[i] * yi[i]) / tot[i], even);
                zr[i] = yr[i] + res[i] * wi;
                zi[i] = yi[i] + ims[i] * wi;
            }
        }
    }
}
