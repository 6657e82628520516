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

    private final FoldDown matrix;
    private final int channels;
    private final AllPassChain frontL = new AllPassChain(FRONT_PATH);
    private final AllPassChain frontR = new AllPassChain(FRONT_PATH);
    private final AllPassChain surround = new AllPassChain(SURROUND_PATH);
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

    /** Encodes frames {@code [off, off+len)} of {@code in} (the layout's channels) into the same frames of {@code out[0..1]}. */
    public void process(float[][] x, float[][] out, int off, int len) {
        float[] lt = out[0];
        float[] rt = out[1];
        for (int t = off; t < off + len; t++) {
            double fl = 0, fr = 0, s = 0;
            for (int i = 0; i < channels; i++) {
                double v = x[i][t];
                if (matrix.isMatrixSurround(i)) {
                    s += matrix.gain(1, i) * v; // 0.7071 S: this channel's share, as the matrix puts it into Rt
                } else {
                    fl += matrix.gain(0, i) * v;
                    fr += matrix.gain(1, i) * v;
                }
            }
            double pl = delayL;
            double pr = delayR;
            delayL = frontL.process(fl);
            delayR = frontR.process(fr);
            double q = surround.process(s); // S shifted +90° against the delayed front path: j 0.7071 S
            lt[t] = (float) (pl - q);
            rt[t] = (float) (pr + q);
        }
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
        private double dl, dr;

        private FrontPath() { }

        /** Frames {@code [0, len)} of the two channels of {@code x}, in place. */
        public void process(float[][] x, int len) {
            float[] a = x[0];
            float[] b = x[1];
            for (int t = 0; t < len; t++) {
                double pl = dl;
                double pr = dr;
                dl = l.process(a[t]);
                dr = r.process(b[t]);
                a[t] = (float) pl;
                b[t] = (float) pr;
            }
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

        AllPassChain(double[] c) { this.c = c.clone(); }

        double process(double in) {
            double v = in;
            for (int k = 0; k < c.length; k++) {
                double y = c[k] * (v + y2[k]) - x2[k];
                x2[k] = x1[k];
                x1[k] = v;
                y2[k] = y1[k];
                y1[k] = y;
                v = y;
            }
            return v;
        }

        void reset() {
            java.util.Arrays.fill(x1, 0);
            java.util.Arrays.fill(x2, 0);
            java.util.Arrays.fill(y1, 0);
            java.util.Arrays.fill(y2, 0);
        }
    }
}
