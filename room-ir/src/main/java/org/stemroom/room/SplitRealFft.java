package org.stemroom.room;

import java.util.HashMap;
import java.util.Map;
import org.stemroom.core.dsp.RealFft;

/**
 * Real FFT of a power-of-two size {@code n >= 4} with spectra in split layout (separate real and imaginary arrays
 * of {@code n/2 + 1} bins in natural order), the same contract as {@link org.stemroom.core.dsp.RealFft}:
 * {@code inverse(forward(x)) == x} to float rounding, the 1/n scale applied by the inverse, the imaginary parts of
 * DC and Nyquist ignored by the inverse. The convolution engine uses it, and the separation for its mixture's analysis
 * and its Wiener step's synthesis ({@link #batched}: several transforms at once); every other transform in the project
 * goes through RealFft.
 *
 * <p>Why a transform of our own: JTransforms' split-radix code is scalar (C2 vectorizes none of its loops), and
 * its 65536-point transforms were about 70 % of the offline convolver's time. C2's auto-vectorizer (Java 17) only
 * packs a loop whose array accesses all share one index expression: {@code a[t], b[t], y[t]}, never {@code x[i + t]}
 * together with {@code y[o + t]}. So every butterfly here works on whole rows held as separate arrays, indexed by
 * the same {@code t}, and C2 turns those loops into AVX/AVX-512 code (bench/.../room/FftBench has the numbers).
 * The algorithm, for {@code N = n/2} complex points:
 * <ul>
 *   <li>The real input is read as {@code z[m] = x[2m] + i x[2m+1]}: {@code N} complex points.</li>
 *   <li>Four-step DFT of {@code N = E x L} points stored as {@code L} rows of {@code E} ({@code m = n1 + E n2}):
 *       the {@code L}-point DFTs over {@code n2} are radix-2 decimation-in-frequency passes in place, each
 *       butterfly combining two whole rows; the rows end in bit-reversed order, which costs nothing (a table
 *       says where each bin's row is). Then the twiddle
 *       {@code W_N^(n1 k2)} and a transpose into {@code E} rows of {@code L} (the one scalar pass of the DFT),
 *       and the {@code E}-point DFTs over {@code n1} the same way. The bin {@code k2 + L k1} is in row {@code k1},
 *       element {@code k2}: natural order once the rows are laid end to end.</li>
 *   <li>The real spectrum from the half-length one: {@code X[k] = E + W_n^k O} with {@code E = (Z[k] + conj
 *       Z[N-k]) / 2}, {@code O = (Z[k] - conj Z[N-k]) / 2i}, one loop over {@code k} once {@code Z[N-k]} has been
 *       copied out in reverse (scalar).</li>
 *   <li>The inverse runs the same steps backwards; an inverse complex DFT is the forward one with the real and
 *       imaginary arrays swapped.</li>
 * </ul>
 * Below {@value #MIN_OWN_SIZE} points the rows are too short for the vector loops to pay: those sizes go to
 * RealFft (measured round trip, own / JTransforms: 256 points 2.3 / 1.4 us, 1024 8.2 / 6.3, 4096 28.7 / 28.1,
 * 16384 108 / 136, 65536 530 / 690; CPU time at load 14).
 *
 * <p>Batches: {@link #batched} lays the rows of up to {@link #MAX_BATCH} transforms end to end (row k holds transform
 * b's row k at {@code [b e, (b + 1) e)}), so that every butterfly loop runs over all of them: at 4,096 points a
 * transform's rows are 32 and 64 floats, mostly C2's scalar pre- and post-loops, and eight side by side took an inverse
 * from 13.7 to 10.3 us (JTransforms 14.5; docs/render-speed-history.md, session 33). Each element's arithmetic is the
 * single transform's (the twiddle rows are repeated per member), so a member's output has the bits of its transform
 * made alone.
 *
 * <p>The forward transform uses rows of {@code R = 2^floor(log2(N)/2)} points and the inverse rows of {@code C = N/R},
 * so that each one's output rows are the other's input rows. Twiddles are computed in double and rounded once to
 * float. Instances own scratch memory and are not thread-safe; {@code forward} and {@code inverse} do not
 * allocate.
 *
 * <p>Every loop over a row or a spectrum is a method of {@link EngineLoops}, so that short jobs can have C2 compile
 * those loops alone (see there).
 */
public final class SplitRealFft {

    /** Read-only tables shared by every instance of one size. */
    private static final class Tables {
        final float[] cosN, sinN;       // e^(-2 pi i j / N), j < N
        final float[] cosReal, sinReal; // e^(-2 pi i k / n), k < N
        final int[] binRowR, binRowC;   // DIF of R (C) rows: row holding bin k
        final float[][] twShortCos, twShortSin; // W_N^(n1 k2) as [k2][n1], k2 < C, n1 < R (forward's middle)
        final float[][] twLongCos, twLongSin;   // the same as [k2][n1], k2 < R, n1 < C (inverse's middle)

        /** The tables of a batch: the one-transform tables' twiddle rows laid {@code batch} times end to end. */
        Tables(Tables one, int batch) {
            cosN = one.cosN;
            sinN = one.sinN;
            cosReal = one.cosReal;
            sinReal = one.sinReal;
            binRowR = one.binRowR;
            binRowC = one.binRowC;
            twShortCos = repeated(one.twShortCos, batch);
            twShortSin = repeated(one.twShortSin, batch);
            twLongCos = repeated(one.twLongCos, batch);
            twLongSin = repeated(one.twLongSin, batch);
        }

        private static float[][] repeated(float[][] rows, int batch) {
            float[][] out = new float[rows.length][];
            for (int k = 0; k < rows.length; k++) {
                int e = rows[k].length;
                out[k] = new float[batch * e];
                for (int b = 0; b < batch; b++) System.arraycopy(rows[k], 0, out[k], b * e, e);
            }
            return out;
        }

        Tables(int n, int rows, int cols) {
            int nh = n / 2;
            cosN = new float[nh];
            sinN = new float[nh];
            for (int j = 0; j < nh; j++) {
                double a = -2 * Math.PI * j / nh;
                cosN[j] = (float) Math.cos(a);
                sinN[j] = (float) Math.sin(a);
            }
            cosReal = new float[nh];
            sinReal = new float[nh];
            for (int k = 0; k < nh; k++) {
                double a = -2 * Math.PI * k / n;
                cosReal[k] = (float) Math.cos(a);
                sinReal[k] = (float) Math.sin(a);
            }
            binRowR = binRows(rows);
            binRowC = binRows(cols);
            twShortCos = new float[cols][rows];
            twShortSin = new float[cols][rows];
            twLongCos = new float[rows][cols];
            twLongSin = new float[rows][cols];
            for (int k2 = 0; k2 < cols; k2++) {
                for (int n1 = 0; n1 < rows; n1++) {
                    int j = (int) (((long) n1 * k2) % nh); // exact index: the table entry is W_N^j
                    twShortCos[k2][n1] = cosN[j];
                    twShortSin[k2][n1] = sinN[j];
                    twLongCos[n1][k2] = cosN[j];
                    twLongSin[n1][k2] = sinN[j];
                }
            }
        }
    }

    /** By size and batch ({@code n * 64 + batch}). */
    private static final Map<Long, Tables> TABLES = new HashMap<>();

    private static Tables tables(int n, int rows, int cols, int batch) {
        synchronized (TABLES) { // get and put, not computeIfAbsent with a lambda: no invokedynamic at start-up
            Long key = (long) n * 64 + batch;
            Tables t = TABLES.get(key);
            if (t == null) {
                t = batch == 1 ? new Tables(n, rows, cols) : new Tables(tables(n, rows, cols, 1), batch);
                TABLES.put(key, t);
            }
            return t;
        }
    }

    /** The largest batch: the transforms one instance runs side by side. */
    public static final int MAX_BATCH = 32;

    /** Smallest size computed here; smaller ones go to {@link RealFft}. */
    static final int MIN_OWN_SIZE = 8192;

    private final int size;       // n, real points
    private final int batch;      // B: transforms side by side in every row
    /** The transform for sizes below {@link #MIN_OWN_SIZE}, else null. */
    private final RealFft small;
    private final int half;       // N = n/2, complex points
    private final int rows;       // R: the forward's row length, the inverse's row count
    private final int cols;       // C = N / R
    private final Tables tab;
    /** C rows of B x R points (transform b at {@code [b R, (b + 1) R)}): the forward's input, the inverse's output. */
    private final float[][] shortRe, shortIm;
    /** R rows of B x C points: the forward's output, the inverse's input. */
    private final float[][] longRe, longIm;
    /** The same rows ordered by the bin each holds after its DIF ({@code [k] = rows[binRow[k]]}). */
    private final float[][] shortByBinRe, shortByBinIm, longByBinRe, longByBinIm;
    /** Natural-order complex spectrum and its reverse {@code q[k] = z[(N - k) mod N]}. */
    private final float[] zr, zi, qr, qi;

    public SplitRealFft(int size) {
        this(size, 1, size >= MIN_OWN_SIZE);
    }

    /**
     * Up to {@code batch} transforms of {@code size} points at once ({@link #forward(float[][], float[][], float[][],
     * int, int)}, {@link #inverse(float[][], float[][], int, int, float[][])}), every size computed here: each butterfly's loop
     * runs over the rows of all of them laid end to end, with the per-element arithmetic of one transform, so each
     * transform of a batch has the bits of the same transform made alone.
     */
    public static SplitRealFft batched(int size, int batch) {
        return new SplitRealFft(size, batch, true);
    }

    /** Tests: {@code own} computes every size here, including those below {@link #MIN_OWN_SIZE}. */
    SplitRealFft(int size, boolean own) {
        this(size, 1, own);
    }

    private SplitRealFft(int size, int batch, boolean own) {
        if (size < 4 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two >= 4: " + size);
        }
        if (batch < 1 || batch > MAX_BATCH) throw new IllegalArgumentException("batch must be 1.." + MAX_BATCH + ": " + batch);
        this.size = size;
        this.batch = batch;
        this.half = size / 2;
        if (!own) {
            small = new RealFft(size);
            rows = cols = 0;
            tab = null;
            shortRe = shortIm = longRe = longIm = null;
            shortByBinRe = shortByBinIm = longByBinRe = longByBinIm = null;
            zr = zi = qr = qi = null;
            return;
        }
        small = null;
        this.rows = 1 << (Integer.numberOfTrailingZeros(half) / 2);
        this.cols = half / rows;
        this.tab = tables(size, rows, cols, batch);
        shortRe = new float[cols][batch * rows];
        shortIm = new float[cols][batch * rows];
        longRe = new float[rows][batch * cols];
        longIm = new float[rows][batch * cols];
        shortByBinRe = byBin(shortRe, tab.binRowC);
        shortByBinIm = byBin(shortIm, tab.binRowC);
        longByBinRe = byBin(longRe, tab.binRowR);
        longByBinIm = byBin(longIm, tab.binRowR);
        zr = new float[half];
        zi = new float[half];
        qr = new float[half];
        qi = new float[half];
    }

    private static float[][] byBin(float[][] rows, int[] rowOf) {
        float[][] out = new float[rows.length][];
        for (int k = 0; k < rows.length; k++) out[k] = rows[rowOf[k]];
        return out;
    }

    public int size() { return size; }

    /** The most transforms one call of the batched forms takes. */
    public int batch() { return batch; }

    /** Number of bins of the one-sided spectrum: n/2 + 1. */
    public int bins() { return half + 1; }

    /** Forward transform of {@code n} samples from {@code time[offset..]} into {@code re}/{@code im} (n/2 + 1 bins). */
    public void forward(float[] time, int offset, float[] re, float[] im) {
        if (small != null) {
            small.forward(time, offset, re, im);
            return;
        }
        final int R = rows, C = cols;
        for (int n2 = 0, i = offset; n2 < C; n2++, i += 2 * R) EngineLoops.deinterleave(time, i, shortRe[n2], shortIm[n2], 0, R);
        forwardRows(1);
        forwardSplit(0, re, im);
    }

    /**
     * Forward transforms of {@code count <= }{@link #batch()} frames, {@code time[b][0..n)} into spectra {@code
     * re[first + b]}/{@code im[first + b]}, {@code b < count}: each the bits of {@link #forward(float[], float[],
     * float[])} of that frame.
     */
    public void forward(float[][] time, float[][] re, float[][] im, int first, int count) {
        requireCount(count);
        final int R = rows, C = cols;
        for (int b = 0; b < count; b++) {
            float[] x = time[b];
            for (int n2 = 0, i = 0; n2 < C; n2++, i += 2 * R) EngineLoops.deinterleave(x, i, shortRe[n2], shortIm[n2], b * R, R);
        }
        forwardRows(count);
        for (int b = 0; b < count; b++) forwardSplit(b, re[first + b], im[first + b]);
    }

    private void requireCount(int count) {
        if (rows == 0) throw new IllegalStateException("the batched forms compute every size here: make it by batched()");
        if (count < 1 || count > batch) throw new IllegalArgumentException("count must be 1.." + batch + ": " + count);
    }

    /**
     * Forward transform of the {@code n} samples {@code ring[(start + j) & mask]}, {@code j < n}, of a ring whose
     * length is a power of two {@code >= n} ({@code mask = length - 1}), wrapping as needed; {@code scratch} ({@code
     * n} floats) is used only for sizes below {@link #MIN_OWN_SIZE}.
     */
    public void forwardRing(float[] ring, int start, int mask, float[] re, float[] im, float[] scratch) {
        if (small != null) {
            for (int j = 0; j < size; j++) scratch[j] = ring[(start + j) & mask];
            small.forward(scratch, 0, re, im);
            return;
        }
        final int R = rows, C = cols;
        for (int n2 = 0, i = start; n2 < C; n2++, i += 2 * R) EngineLoops.deinterleaveRing(ring, i, mask, shortRe[n2], shortIm[n2], R);
        forwardRows(1);
        forwardSplit(0, re, im);
    }

    /**
     * The forward's complex DFTs of the {@code count} transforms whose input is in {@code shortRe}/{@code shortIm}
     * (transform b: row n2, element {@code b R + n1} = sample {@code 2(n1 + R n2)}, and + 1).
     */
    private void forwardRows(int count) {
        final int R = rows, C = cols;
        dif(shortRe, shortIm, C, count * R);
        twiddleTranspose(shortByBinRe, shortByBinIm, tab.twShortCos, tab.twShortSin, C, R, count, longRe, longIm);
        dif(longRe, longIm, R, count * C);
    }

    /** Transform b's real spectrum into {@code re}/{@code im} from its complex DFT in the long rows. */
    private void forwardSplit(int b, float[] re, float[] im) {
        final int R = rows, C = cols, nh = half;
        for (int k1 = 0; k1 < R; k1++) {
            System.arraycopy(longByBinRe[k1], b * C, zr, k1 * C, C);
            System.arraycopy(longByBinIm[k1], b * C, zi, k1 * C, C);
        }
        qr[0] = zr[0];
        qi[0] = zi[0];
        EngineLoops.reversed(zr, nh, qr, 1, nh);
        EngineLoops.reversed(zi, nh, qi, 1, nh);
        // X[k] = E + W^k O with E = (Z[k] + conj Z[N-k]) / 2 and O = (Z[k] - conj Z[N-k]) / 2i; real and imaginary
        // parts in separate loops, each small enough for C2 to vectorize (see dif)
        EngineLoops.splitRe(zr, zi, qr, qi, tab.cosReal, tab.sinReal, re, nh);
        EngineLoops.splitIm(zr, zi, qr, qi, tab.cosReal, tab.sinReal, im, nh);
        re[nh] = zr[0] - zi[0]; // X[N] = E[0] - O[0]
        im[nh] = 0f;
        im[0] = 0f;
    }

    public void forward(float[] time, float[] re, float[] im) {
        forward(time, 0, re, im);
    }

    /**
     * Inverse transform of the one-sided spectrum {@code re}/{@code im} into {@code n} samples at {@code
     * time[offset..]}, scaled by 1/n. The imaginary parts of DC and Nyquist are ignored.
     */
    public void inverse(float[] re, float[] im, float[] time, int offset) {
        if (small != null) {
            small.inverse(re, im, time, offset);
            return;
        }
        inverseMerge(0, re, im);
        inverseRows(1);
        final int R = rows, C = cols;
        for (int k1 = 0, i = offset; k1 < C; k1++, i += 2 * R) EngineLoops.interleave(shortByBinIm[k1], shortByBinRe[k1], 0, time, i, R);
    }

    /**
     * Inverse transforms of {@code count <= }{@link #batch()} spectra, {@code re[first + b]}/{@code im[first + b]} into
     * {@code time[b][0..n)}, {@code b < count}: each the bits of {@link #inverse(float[], float[], float[])} of that
     * spectrum.
     */
    public void inverse(float[][] re, float[][] im, int first, int count, float[][] time) {
        requireCount(count);
        for (int b = 0; b < count; b++) inverseMerge(b, re[first + b], im[first + b]);
        inverseRows(count);
        final int R = rows, C = cols;
        for (int b = 0; b < count; b++) {
            float[] x = time[b];
            for (int k1 = 0, i = 0; k1 < C; k1++, i += 2 * R) EngineLoops.interleave(shortByBinIm[k1], shortByBinRe[k1], b * R, x, i, R);
        }
    }

    /**
     * Overlap-save's use of the inverse: adds the second half of the inverse transform (samples n/2..n-1) into the
     * ring {@code ring} (length a power of two, {@code mask = length - 1}) from index {@code start}, wrapping;
     * {@code scratch} ({@code n} floats) is used only for sizes below {@link #MIN_OWN_SIZE}. The first half, the
     * circular wrap-around, is not computed into any array.
     */
    public void inverseAddSecondHalf(float[] re, float[] im, float[] ring, int start, int mask, float[] scratch) {
        final int hb = half;
        if (small != null) {
            small.inverse(re, im, scratch, 0);
            for (int t = 0; t < hb; t++) ring[(start + t) & mask] += scratch[hb + t];
            return;
        }
        inverseMerge(0, re, im);
        inverseRows(1);
        final int R = rows, C = cols;
        for (int k1 = C / 2, i = start; k1 < C; k1++, i += 2 * R) {
            EngineLoops.interleaveAddRing(shortByBinIm[k1], shortByBinRe[k1], ring, i, mask, R);
        }
    }

    /** The inverse's first step for transform b: the half-length complex spectrum of {@code re}/{@code im} into the long rows. */
    private void inverseMerge(int b, float[] re, float[] im) {
        final int R = rows, C = cols, nh = half;
        EngineLoops.reversed(re, nh, qr, 0, nh);
        EngineLoops.reversed(im, nh, qi, 0, nh);
        // Z[k] = E + i O with 2E = X[k] + conj X[N-k], 2O = W^-k (X[k] - conj X[N-k]); the 1/N of the inverse
        // complex DFT is folded in
        final float h = 0.5f / nh;
        // with 2E = (er, ei), X[k] - conj X[N-k] = (dr, di) and 2O = (c - i s)(dr + i di) = (or, oi), Z = E + i O;
        // real and imaginary parts in separate loops, each small enough for C2 to vectorize (see dif)
        EngineLoops.mergeRe(re, im, qr, qi, tab.cosReal, tab.sinReal, h, zr, nh);
        EngineLoops.mergeIm(re, im, qr, qi, tab.cosReal, tab.sinReal, h, zi, nh);
        zr[0] = h * (re[0] + re[nh]); // DC and Nyquist with their imaginary parts ignored
        zi[0] = h * (re[0] - re[nh]);
        // the forward DFT of (Im, Re) is (Im, Re) of the inverse DFT
        for (int k1 = 0; k1 < R; k1++) {
            System.arraycopy(zi, k1 * C, longRe[k1], b * C, C);
            System.arraycopy(zr, k1 * C, longIm[k1], b * C, C);
        }
    }

    /**
     * The inverse of the {@code count} transforms merged into the long rows up to its last step: transform b's sample
     * {@code 2m + 1} (and {@code 2m}) in {@code shortByBinRe} (Im) and {@code shortByBinIm} (Re) row {@code m / R},
     * element {@code b R + m mod R}.
     */
    private void inverseRows(int count) {
        final int R = rows, C = cols;
        dif(longRe, longIm, R, count * C);
        twiddleTranspose(longByBinRe, longByBinIm, tab.twLongCos, tab.twLongSin, R, C, count, shortRe, shortIm);
        dif(shortRe, shortIm, C, count * R);
    }

    public void inverse(float[] re, float[] im, float[] time) {
        inverse(re, im, time, 0);
    }

    /** Row of {@code l} rows that holds DFT bin {@code k} after {@link #dif}: the bit reversal of k. */
    private static int[] binRows(int l) {
        int bits = Integer.numberOfTrailingZeros(l);
        int[] rowOf = new int[l];
        for (int k = 0; k < l; k++) rowOf[k] = bits == 0 ? 0 : Integer.reverse(k) >>> (32 - bits);
        return rowOf;
    }

    /**
     * In-place radix-2 decimation-in-frequency DFT of length {@code l} across the rows {@code re[0..l-1]}/{@code
     * im}, each row {@code e} points long; bin k ends in row {@link #binRows}{@code (l)[k]}. Twiddles from the
     * N-point table: {@code e^(-2 pi i j / span) = W_N^(j N / span)}.
     *
     * <p>Each butterfly is three loops (sum and difference of the real rows, of the imaginary rows, then the
     * twiddle) rather than one: C2 only unrolls, and so only vectorizes, loops of about 60 nodes or fewer
     * ({@code LoopUnrollLimit}); the fused butterfly is over that and ran 7x slower. The rows of one butterfly are
     * a few KiB, so the second and third loops read them from L1.
     */
    private void dif(float[][] re, float[][] im, int l, int e) {
        final float[] cosN = tab.cosN, sinN = tab.sinN;
        for (int span = l; span >= 2; span /= 2) {
            int m = span / 2, step = half / span;
            for (int base = 0; base < l; base += span) {
                for (int j = 0; j < m; j++) {
                    int a = base + j, b = a + m;
                    EngineLoops.sumDifference(re[a], re[b], e);
                    EngineLoops.sumDifference(im[a], im[b], e);
                    if (j != 0) EngineLoops.rotate(re[b], im[b], cosN[j * step], sinN[j * step], e);
                }
            }
        }
    }

    /**
     * The four-step's middle for {@code count} transforms: the source rows (bin k2 of an {@code l}-point DIF over
     * {@code l} rows of {@code e} points per transform in row {@code byBin[k2]}) times {@code W_N^(n1 k2)} (in place,
     * a vectorized loop per row over all transforms: the tables hold the batch's repeats), then transposed into
     * {@code e} rows of {@code l} per transform: {@code dst[n1][b l + k2] = src[k2][b e + n1]}.
     */
    private static void twiddleTranspose(float[][] byBinRe, float[][] byBinIm, float[][] twCos, float[][] twSin,
                                         int l, int e, int count, float[][] dstRe, float[][] dstIm) {
        for (int k2 = 1; k2 < l; k2++) EngineLoops.rotate(byBinRe[k2], byBinIm[k2], twCos[k2], twSin[k2], count * e); // k2 = 0: W = 1
        for (int b = 0; b < count; b++) {
            int from = b * e, to = b * l;
            if (l % 4 != 0) {
                for (int n1 = 0; n1 < e; n1++) {
                    for (int k2 = 0; k2 < l; k2++) {
                        dstRe[n1][to + k2] = byBinRe[k2][from + n1];
                        dstIm[n1][to + k2] = byBinIm[k2][from + n1];
                    }
                }
                continue;
            }
            // four source rows at a time: their references and bounds stay in registers over the inner loop
            for (int k2 = 0; k2 < l; k2 += 4) {
                EngineLoops.transpose4(byBinRe[k2], byBinRe[k2 + 1], byBinRe[k2 + 2], byBinRe[k2 + 3], from, dstRe, to + k2, e);
                EngineLoops.transpose4(byBinIm[k2], byBinIm[k2 + 1], byBinIm[k2 + 2], byBinIm[k2 + 3], from, dstIm, to + k2, e);
            }
        }
    }
}
