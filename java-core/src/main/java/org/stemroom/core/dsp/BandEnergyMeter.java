package org.stemroom.core.dsp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jtransforms.fft.DoubleFFT_1D;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * Energy of every band of an {@link OctaveBandFilterBank} in one signal, fed block by block: memory does not
 * depend on the signal's length. The numbers are those of {@link BandEnergy#bandEnergies} on the whole signal (the
 * bank's filters from rest, their squared outputs summed over the signal's frames), to within about 1e-9 of the
 * signal's energy (BandEnergyMeterTest states the bounds): the same quantity, computed with Parseval's theorem
 * instead of by running the filters.
 *
 * <p>Why: running ten 6th-order band passes over every sample costs 30 recursive biquads per sample, each a chain
 * that waits for its previous output; a meter of a minute of 8 signals took about 3 CPU-s. Here each block of
 * {@code R} frames costs one real FFT of {@code 2R} points, whatever the number of bands.
 *
 * <p>How. Cut the signal into blocks {@code x_m} of {@code R} frames. The energy of the band's whole response
 * {@code y = h * x} is {@code sum_{m,n} <h*x_m, h*x_n>}, and {@code <h*x_m, h*x_n> = sum_{a,b} x_m(a) x_n(b) r(a-b)}
 * with {@code r} the autocorrelation of the band's impulse response {@code h}. {@code R} is chosen so that {@code r}
 * has decayed (to 1e-9 of the energy of h, the slowest band's ring-out) within {@code R} lags, so only a block with
 * itself and with its neighbour count. With the FFT {@code X_m} of a block zero-padded to {@code N = 2R}:
 * <ul>
 *   <li>{@code <h*x_m, h*x_m> = (1/N) sum_k |X_m(k)|^2 W(k)}, {@code W} the FFT of r (lags {@code |d| < R});</li>
 *   <li>{@code <h*x_m, h*x_{m+1}> = (1/N) sum_k conj(X_m(k)) X_{m+1}(k) conj(C(k))}, {@code C} the FFT of
 *       {@code c(e) = r(e + R)} for block-local lags {@code e} in {@code [-R, R)} (x_{m+1} starts R later).</li>
 * </ul>
 * Both are linear in the per-bin sums {@code S(k) = sum_m |X_m(k)|^2} and {@code Q(k) = sum_m conj(X_m) X_{m+1}},
 * so a block adds to two spectra and the bands are weighed only when asked. That gives the energy of the whole
 * response, ring-out after the last frame included; the filters of {@link BandEnergy} stop at the last frame, so the
 * ring-out is taken off again: the band's filter runs over the last frames (as long as its ring-out) and then on
 * silence, and the squares of that silent part are the ring-out's energy.
 *
 * <p>Deterministic: blocks are cut at fixed frames whatever the caller's block sizes, so any feeding gives the same
 * bits. {@link #process} does not allocate; {@link #energies} does.
 */
public final class BandEnergyMeter {
    /** Energy of a band's impulse response left after its ring-out length, relative to the whole. */
    private static final double RING_OUT_REMAINDER = 1e-9;
    private static final Map<String, Plan> PLANS = new ConcurrentHashMap<>();

    static {
        // as in RealFft: JTransforms would fork into its own pool for these sizes (allocating per call)
        ConcurrencyUtils.setNumberOfThreads(1);
    }

    private final OctaveBandFilterBank bank;
    private final Plan plan;
    private final int r;
    /** Double precision: the sums are differences of much larger terms (see addBlock), float spectra lose 1e-7 of those. */
    private final DoubleFFT_1D fft;
    /** The block being filled, and the one before (the ring-out correction reads the last frames). */
    private float[] block;
    private float[] previous;
    private int fill;
    private long frames;
    /** Full blocks added to the sums. */
    private long blocks;
    /** The block zero-padded to 2R, transformed in place (JTransforms' packed layout), and the block before's spectrum. */
    private double[] spectrum, prevSpectrum;
    private final double[] s, qRe, qIm;
    private double[] cached;

    public BandEnergyMeter(OctaveBandFilterBank bank) {
        this.bank = bank;
        this.plan = PLANS.computeIfAbsent(bank.sampleRate() + "/" + bank.resolution(), k -> new Plan(bank));
        this.r = plan.r;
        this.fft = new DoubleFFT_1D(2L * r);
        int bins = r + 1;
        block = new float[r];
        previous = new float[r];
        spectrum = new double[2 * r];
        prevSpectrum = new double[2 * r];
        s = new double[bins];
        qRe = new double[bins];
        qIm = new double[bins];
    }

    public int bands() { return plan.bands; }

    /** Feeds {@code x[off .. off+len)}. */
    public void process(float[] x, int off, int len) {
        cached = null;
        frames += len;
        for (int done = 0; done < len; ) {
            int k = Math.min(len - done, r - fill);
            System.arraycopy(x, off + done, block, fill, k);
            fill += k;
            done += k;
            if (fill == r) addBlock();
        }
    }

    /**
     * Adds the full block's spectrum to S and, with the block before, to Q. Why in double: a band's energy is the sum
     * of these terms over all blocks, and where a band holds little of the signal (a bass tone seen by the 16 kHz band)
     * each block's terms are dominated by the steps at its own edges, which its neighbours' cross terms cancel: the
     * terms can be 1e5 times the result, and a float FFT's 1e-7 would leave errors of a percent.
     */
    private void addBlock() {
        transform(block, r, spectrum);
        accumulate(spectrum, blocks > 0 ? prevSpectrum : null, s, qRe, qIm);
        double[] t = prevSpectrum; prevSpectrum = spectrum; spectrum = t;
        float[] u = previous; previous = block; block = u;
        fill = 0;
        blocks++;
    }

    /** {@code x[0..len)} zero-padded to 2R, forward FFT into {@code out} (packed: re 0, re R, then re/im pairs). */
    private void transform(float[] x, int len, double[] out) {
        for (int i = 0; i < len; i++) out[i] = x[i];
        java.util.Arrays.fill(out, len, out.length, 0.0);
        fft.realForward(out);
    }

    /** S += |V|^2 and, when there is a block before ({@code u}), Q += conj(U) V. */
    private void accumulate(double[] v, double[] u, double[] sS, double[] sR, double[] sI) {
        sS[0] += v[0] * v[0];
        sS[r] += v[1] * v[1];
        for (int k = 1; k < r; k++) {
            double a = v[2 * k], b = v[2 * k + 1];
            sS[k] += a * a + b * b;
        }
        if (u == null) return;
        sR[0] += u[0] * v[0];
        sR[r] += u[1] * v[1];
        for (int k = 1; k < r; k++) {
            double pr = u[2 * k], pi = u[2 * k + 1], a = v[2 * k], b = v[2 * k + 1];
            sR[k] += pr * a + pi * b;
            sI[k] += pr * b - pi * a;
        }
    }

    /** Energy (sum of squares) of band {@code b} so far. */
    public double energy(int b) {
        if (cached == null) cached = compute();
        return cached[b];
    }

    /** Energies of all bands so far (a copy). */
    public double[] energies() {
        if (cached == null) cached = compute();
        return cached.clone();
    }

    private double[] compute() {
        int bands = plan.bands;
        double[] e = new double[bands];
        if (frames == 0) return e;
        int bins = r + 1;
        // the block being filled counts as the last block (zero-padded); the sums themselves stay as they are
        double[] sS = s.clone(), sR = qRe.clone(), sI = qIm.clone();
        if (fill > 0) {
            double[] current = new double[2 * r];
            transform(block, fill, current);
            accumulate(current, blocks > 0 ? prevSpectrum : null, sS, sR, sI);
        }
        float[] tail = lastFrames();
        Weights weights = plan.weights();
        for (int b = 0; b < bands; b++) {
            double[] w = weights.w[b], cr = weights.cRe[b], ci = weights.cIm[b];
            double sum = 0;
            for (int k = 0; k < bins; k++) sum += w[k] * sS[k] + cr[k] * sR[k] + ci[k] * sI[k];
            e[b] = Math.max(0, sum - ringOut(b, tail));
        }
        return e;
    }

    /** The last min(frames, R + fill) frames in time order: at least R, or all of them. */
    private float[] lastFrames() {
        int have = (int) Math.min(frames, (long) r + fill);
        float[] x = new float[have];
        int fromPrevious = have - fill;
        System.arraycopy(previous, r - fromPrevious, x, 0, fromPrevious);
        System.arraycopy(block, 0, x, fromPrevious, fill);
        return x;
    }

    /**
     * Energy of band {@code b}'s response after the last frame: its filter from rest over the last three ring-out
     * lengths of frames (or R, at least one ring-out: what came before adds less than 1e-9 of the state's energy, far
     * less for all but the lowest band), then over as many frames of silence as it rings out.
     */
    private double ringOut(int b, float[] last) {
        int len = plan.ringOut[b];
        int from = Math.max(0, last.length - 3 * len);
        BiquadCascade f = bank.newFilter(b);
        float[] x = new float[last.length - from + len];
        System.arraycopy(last, from, x, 0, last.length - from);
        f.process(x, 0, x.length);
        double e = 0;
        for (int i = last.length - from; i < x.length; i++) e += (double) x[i] * x[i];
        return e;
    }

    /** Block size, weights and ring-out lengths of one bank (the same for every meter of that bank and rate). */
    private static final class Plan {
        final int bands;
        final int r;
        final int[] ringOut;
        private final double[][] h;
        private Weights weights;

        Plan(OctaveBandFilterBank bank) {
            bands = bank.size();
            h = new double[bands][];
            ringOut = new int[bands];
            int longest = 1;
            for (int b = 0; b < bands; b++) {
                h[b] = Weights.impulseResponse(bank.newFilter(b), (int) Math.max(64, bank.sampleRate() / 100));
                ringOut[b] = Weights.ringOutLength(h[b]);
                longest = Math.max(longest, ringOut[b]);
            }
            r = Math.max(256, Integer.highestOneBit(longest - 1) << 1);
        }

        /**
         * The weights, made when first asked: by then the meters have run the same FFT code over their blocks, so it
         * is compiled (made at construction, the FFTs ran in the interpreter: about 0.3 CPU-s at the start of a render).
         */
        synchronized Weights weights() {
            if (weights == null) weights = new Weights(h, r);
            return weights;
        }
    }

    /** Per band and bin (k = 0..R), scaled by the bin's multiplicity and 1/N: the weights of S, Re Q and Im Q. */
    private static final class Weights {
        final double[][] w, cRe, cIm;

        Weights(double[][] h, int r) {
            int bands = h.length;
            int n = 2 * r;
            w = new double[bands][r + 1];
            cRe = new double[bands][r + 1];
            cIm = new double[bands][r + 1];
            DoubleFFT_1D big = new DoubleFFT_1D(2L * n);
            DoubleFFT_1D fftN = new DoubleFFT_1D(n);
            for (int b = 0; b < bands; b++) {
                double[] ac = autocorrelation(h[b], n, big); // lags 0 .. n-1
                double[] sym = new double[n]; // r at lags |d| < R (circularly), 0 at R
                for (int d = 0; d < r; d++) sym[d] = ac[d];
                for (int d = 1; d < r; d++) sym[n - d] = ac[d];
                double[] shifted = new double[n]; // c(e) = r(e + R) at index e mod n, e in [-R, R)
                for (int i = 0; i < r; i++) shifted[i] = ac[i + r];
                for (int i = r; i < n; i++) shifted[i] = ac[i - r];
                fftN.realForward(sym);
                fftN.realForward(shifted);
                for (int k = 0; k <= r; k++) {
                    double mult = (k == 0 || k == r ? 1.0 : 2.0) / n; // k and n-k give conjugate terms
                    w[b][k] = mult * packedRe(sym, k, n);
                    // the 2 <x_m, x_{m+1}> terms: 2 Re(Q conj(C)) = 2 (Re Q Re C + Im Q Im C)
                    cRe[b][k] = 2 * mult * packedRe(shifted, k, n);
                    cIm[b][k] = 2 * mult * packedIm(shifted, k, n);
                }
            }
        }

        /** Autocorrelation lags 0 .. n-1 of h's first n samples (the rest is far below the ring-out remainder). */
        private static double[] autocorrelation(double[] h, int n, DoubleFFT_1D big) {
            double[] a = new double[2 * n];
            System.arraycopy(h, 0, a, 0, Math.min(n, h.length));
            big.realForward(a);
            a[0] = a[0] * a[0];
            a[1] = a[1] * a[1];
            for (int k = 1; k < n; k++) {
                double x = a[2 * k], y = a[2 * k + 1];
                a[2 * k] = x * x + y * y;
                a[2 * k + 1] = 0;
            }
            big.realInverse(a, true);
            return a;
        }

        /**
         * The cascade's impulse response in double, run in chunks of {@code chunk} frames until a chunk holds less
         * than 1e-22 of the energy so far (the response decays exponentially by then, so what is cut off changes the
         * weights by about its amplitude, 1e-11 of the response's: a cut at 1e-15 of the energy left 5e-8 errors).
         */
        private static double[] impulseResponse(BiquadCascade c, int chunk) {
            int sections = c.sections();
            double[][] k = new double[sections][];
            for (int s = 0; s < sections; s++) k[s] = c.section(s).coefficients();
            double[] z = new double[2 * sections];
            double[] h = new double[chunk];
            double total = 0;
            for (int i = 0; ; i++) {
                if (i == h.length) {
                    double tail = 0;
                    for (int j = i - chunk; j < i; j++) tail += h[j] * h[j];
                    if (tail < 1e-22 * total) return h;
                    h = java.util.Arrays.copyOf(h, h.length + chunk);
                }
                double v = i == 0 ? 1 : 0;
                for (int s = 0; s < sections; s++) {
                    double[] q = k[s];
                    double o = q[0] * v + z[2 * s];
                    z[2 * s] = q[1] * v - q[3] * o + z[2 * s + 1];
                    z[2 * s + 1] = q[2] * v - q[4] * o;
                    v = o;
                }
                h[i] = v;
                total += v * v;
            }
        }

        /** Frames after which less than {@value #RING_OUT_REMAINDER} of the response's energy is left. */
        private static int ringOutLength(double[] h) {
            double total = 0;
            for (double v : h) total += v * v;
            double left = 0;
            for (int i = h.length - 1; i > 0; i--) {
                left += h[i] * h[i];
                if (left > RING_OUT_REMAINDER * total) return i + 1;
            }
            return 1;
        }

        private static double packedRe(double[] a, int k, int n) {
            if (k == 0) return a[0];
            if (k == n / 2) return a[1];
            return a[2 * k];
        }

        private static double packedIm(double[] a, int k, int n) {
            if (k == 0 || k == n / 2) return 0;
            return a[2 * k + 1];
        }
    }
}
