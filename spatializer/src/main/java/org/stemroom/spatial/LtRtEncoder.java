package org.stemroom.spatial;

import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;
import org.stemroom.core.ChannelLayout;

/**
 * Dolby-Surround-style matrix encode of a multichannel layout to Lt/Rt with the 90° phase-shift network:
 * {@code Lt = L + 0.7071 C - j 0.7071 S}, {@code Rt = R + 0.7071 C + j 0.7071 S}, with {@code S = 0.7071 (Ls + Rs)}
 * (the gains and speaker classes of {@link FoldDown.Mode#LT_RT}) and {@code j} a +90° phase shift. A matrix decoder
 * then finds S in the L-R difference, 90° away from anything panned between the fronts, which keeps front
 * content that happens to be out of phase from steering into the surrounds.
 *
 * <p>The shift is a wideband Hilbert all-pass pair (two cascades of four second-order all-pass sections in
 * {@code z^-2}, {@code y[n] = c (x[n] + y[n-2]) - x[n-2]}, with Olli Niemitalo's coefficients; the front path
 * has one more sample of delay). The two paths differ by 90° within ±0.7° from 0.002 to 0.998 of Nyquist
 * (48 Hz to 23.95 kHz at 48 kHz); both have unit gain at every frequency, so per-band levels equal the static
 * matrix's and only phase differs. Latency: none in the sense of a bulk delay (the all-passes' group delay is
 * frequency dependent, a few samples above 1 kHz, more at low frequencies). {@link #process} does not allocate.
 */
public final class LtRtEncoder implements AudioProcessor {

    /** c of the path that S takes (90° ahead of the delayed front path). */
    static final double[] SURROUND_PATH = {0.161758498367701, 0.733028932341490, 0.945349700329113, 0.990599156684529};
    /** c of the path that the fronts take (followed by one sample of delay). */
    static final double[] FRONT_PATH = {0.479400865588840, 0.876218493539310, 0.976597589508199, 0.997499255935549};

    /** Frames per pass of {@link #process(float[][], float[][], int, int)} through its scratch arrays. */
    private static final int CHUNK = 1024;

    private final FoldDown matrix;
    private final int channels;
    /** Per input channel, from the matrix: whether it is a matrix surround, and its gains into Lt and Rt. */
    private final boolean[] isSurround;
    private final double[] gainLt, gainRt;
    private final AllPassChain frontL = new AllPassChain(FRONT_PATH);
    private final AllPassChain frontR = new AllPassChain(FRONT_PATH);
    private final AllPassChain surround = new AllPassChain(SURROUND_PATH);
    /** Scratch of a pass: the fronts' and the surround's sums, then each through its all-pass. */
    private final double[] fl = new double[CHUNK], fr = new double[CHUNK], sur = new double[CHUNK];
    private double delayL, delayR;
    private AudioFormat outFormat;

    public LtRtEncoder(SpeakerLayout layout) {
        this(new FoldDown(layout, FoldDown.Mode.LT_RT));
    }

    /** An encoder with the gains of an Lt/Rt matrix built with other centre, surround or LFE gains. */
    public LtRtEncoder(FoldDown ltRtMatrix) {
        if (ltRtMatrix.mode() != FoldDown.Mode.LT_RT) {
            throw new IllegalArgumentException("the Lt/Rt encoder takes an Lt/Rt matrix, not " + ltRtMatrix.mode());
        }
        this.matrix = ltRtMatrix;
        this.channels = ltRtMatrix.inputLayout().channelCount();
        this.isSurround = new boolean[channels];
        this.gainLt = new double[channels];
        this.gainRt = new double[channels];
        for (int i = 0; i < channels; i++) {
            isSurround[i] = ltRtMatrix.isMatrixSurround(i);
            gainLt[i] = ltRtMatrix.gain(0, i);
            gainRt[i] = ltRtMatrix.gain(1, i);
        }
    }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        if (inputFormat.channels() != channels) {
            throw new IllegalArgumentException("Lt/Rt encoder for " + channels + " channels given " + inputFormat.channels());
        }
        outFormat = new AudioFormat(inputFormat.sampleRate(), ChannelLayout.STEREO);
        reset();
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        if (input == output) throw new IllegalArgumentException("the Lt/Rt encoder cannot process in place");
        int n = input.frames();
        output.setFrames(n);
        process(input.data(), output.data(), 0, n);
    }

    /**
     * Encodes frames {@code [off, off+len)} of {@code in} (the layout's channels) into the same frames of
     * {@code out[0..1]}. Per pass of up to {@value #CHUNK} frames: the matrix's three sums for every frame (channel
     * by channel in the layout's order, as a frame at a time would add them: each sum starts at 0 and takes each
     * channel's product in turn, a channel's pass over the frames at a time), then each sum's all-pass over the
     * pass with its state in locals ({@link AllPassChain#process(double[], int)}: the same arithmetic as a sample
     * at a time, so the same bits), then Lt and Rt ({@link #emit}).
     *
     * <p>Why a pass per channel, each its own method ({@link #addScaled}): the render encodes blocks of about
     * 4,096 frames, so a frame loop here, with the channels inside it, turned some 300,000 times in its first ten
     * calls, and C2 compiled this method on-stack and then whole again (the bench render's compile log); loops
     * of {@value #CHUNK} turns called ten times a pass are compiled whole once, small.
     */
    public void process(float[][] x, float[][] out, int off, int len) {
        float[] lt = out[0];
        float[] rt = out[1];
        for (int done = 0; done < len; ) {
            int n = Math.min(CHUNK, len - done);
            int t0 = off + done;
            java.util.Arrays.fill(fl, 0, n, 0.0);
            java.util.Arrays.fill(fr, 0, n, 0.0);
            java.util.Arrays.fill(sur, 0, n, 0.0);
            for (int i = 0; i < channels; i++) {
                if (isSurround[i]) {
                    addScaled(gainRt[i], x[i], t0, sur, n); // 0.7071 S: this channel's share, as the matrix puts it into Rt
                } else {
                    addScaled(gainLt[i], x[i], t0, fl, n);
                    addScaled(gainRt[i], x[i], t0, fr, n);
                }
            }
            frontL.process(fl, n);
            frontR.process(fr, n);
            surround.process(sur, n); // S shifted +90° against the delayed front path: j 0.7071 S
            emit(lt, rt, t0, n);
            done += n;
        }
    }

    /** sum[t] += g * x[from + t] for t in [0, n) (in double). */
    private static void addScaled(double g, float[] x, int from, double[] sum, int n) {
        for (int t = 0; t < n; t++) sum[t] += g * x[from + t];
    }

    /** Lt and Rt of frames [t0, t0+n) from a pass's all-passed sums: the fronts one sample later, S out of phase. */
    private void emit(float[] lt, float[] rt, int t0, int n) {
        double pl = delayL;
        double pr = delayR;
        for (int t = 0; t < n; t++) {
            double q = sur[t];
            lt[t0 + t] = (float) (pl - q);
            rt[t0 + t] = (float) (pr + q);
            pl = fl[t];
            pr = fr[t];
        }
        delayL = pl;
        delayR = pr;
    }

    /** The static matrix this encoder applies before the phase network (its per-band levels are the encoder's). */
    public FoldDown matrix() { return matrix; }

    public SpeakerLayout layout() { return matrix.inputLayout(); }

    /**
     * A fresh copy of the all-pass and delay that the encoder puts the fronts through: a stereo signal passed
     * through it can be compared sample by sample with the encode (a stereo reference and an Lt/Rt of a surround
     * mix of it then differ only by what the matrix does to the surrounds). In place, state carried across calls.
     */
    public static FrontPath frontPath() { return new FrontPath(); }

    /** See {@link #frontPath()}. */
    public static final class FrontPath {
        private final AllPassChain l = new AllPassChain(FRONT_PATH);
        private final AllPassChain r = new AllPassChain(FRONT_PATH);
        private final double[] v = new double[CHUNK];
        private double dl, dr;

        private FrontPath() { }

        /** Frames {@code [0, len)} of the two channels of {@code x}, in place (a pass of the chain per channel). */
        public void process(float[][] x, int len) {
            for (int done = 0; done < len; ) {
                int n = Math.min(CHUNK, len - done);
                dl = channel(x[0], done, n, l, dl);
                dr = channel(x[1], done, n, r, dr);
                done += n;
            }
        }

        /** a[from .. from+n) through the chain and one sample of delay ({@code d}: the chain's last output); returns the new last output. */
        private double channel(float[] a, int from, int n, AllPassChain chain, double d) {
            for (int t = 0; t < n; t++) v[t] = a[from + t];
            chain.process(v, n);
            double p = d;
            for (int t = 0; t < n; t++) {
                a[from + t] = (float) p;
                p = v[t];
            }
            return p;
        }
    }

    @Override
    public void reset() {
        frontL.reset();
        frontR.reset();
        surround.reset();
        delayL = 0;
        delayR = 0;
    }

    @Override
    public AudioFormat outputFormat() {
        if (outFormat == null) throw new IllegalStateException("prepare first");
        return outFormat;
    }

    /** Four all-pass sections {@code y[n] = c (x[n] + y[n-2]) - x[n-2]} in cascade. */
    static final class AllPassChain {
        private final double[] c;
        private final double[] x1 = new double[4], x2 = new double[4], y1 = new double[4], y2 = new double[4];

        AllPassChain(double[] c) {
            if (c.length != 4) throw new IllegalArgumentException("four sections, not " + c.length);
            this.c = c.clone();
        }

        /**
         * {@code v[0 .. n)} through the chain in place, a sample at a time through the four sections in turn, with
         * the state in locals for the pass (it was kept in the arrays at every sample: 32 loads and stores a sample
         * that the chain waited on). The same operations in the same order as then: the same bits
         * (LtRtEncoderTest checks the encode and the front path against the recursions run a sample at a time).
         */
        void process(double[] v, int n) {
            final double c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3];
            double a1 = x1[0], a2 = x2[0], b1 = x1[1], b2 = x2[1], d1 = x1[2], d2 = x2[2], e1 = x1[3], e2 = x2[3];
            double p1 = y1[0], p2 = y2[0], q1 = y1[1], q2 = y2[1], r1 = y1[2], r2 = y2[2], s1 = y1[3], s2 = y2[3];
            for (int i = 0; i < n; i++) {
                double in = v[i];
                double p = c0 * (in + p2) - a2;
                a2 = a1;
                a1 = in;
                p2 = p1;
                p1 = p;
                double q = c1 * (p + q2) - b2;
                b2 = b1;
                b1 = p;
                q2 = q1;
                q1 = q;
                double r = c2 * (q + r2) - d2;
                d2 = d1;
                d1 = q;
                r2 = r1;
                r1 = r;
                double s = c3 * (r + s2) - e2;
                e2 = e1;
                e1 = r;
                s2 = s1;
                s1 = s;
                v[i] = s;
            }
            x1[0] = a1; x2[0] = a2; x1[1] = b1; x2[1] = b2; x1[2] = d1; x2[2] = d2; x1[3] = e1; x2[3] = e2;
            y1[0] = p1; y2[0] = p2; y1[1] = q1; y2[1] = q2; y1[2] = r1; y2[2] = r2; y1[3] = s1; y2[3] = s2;
        }

        void reset() {
            java.util.Arrays.fill(x1, 0);
            java.util.Arrays.fill(x2, 0);
            java.util.Arrays.fill(y1, 0);
            java.util.Arrays.fill(y2, 0);
        }
    }
}
