package org.stemroom.spatial;

import java.util.Locale;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;
import org.stemroom.core.ChannelLayout;

/**
 * Folds a multichannel layout down to stereo or mono with a static matrix.
 *
 * <ul>
 *   <li>{@link Mode#LO_RO}: ITU-R BS.775 "Lo/Ro": {@code Lo = L + c·C + s·Ls}, {@code Ro = R + c·C + s·Rs} with
 *       c = s = -3 dB (0.7071) by default. In 7.1 both the side and the back surround of a side fold in at s;
 *       height speakers fold into their side at -3 dB. Speakers of custom layouts are classed by direction:
 *       within 5° of the front (or back) axis = centre (back centre at s·0.7071 into both), up to 60° off
 *       axis = front, beyond = surround. The LFE is left out unless asked for; then it is added to both sides at
 *       +10 dB (its playback gain) -3 dB.</li>
 *   <li>{@link Mode#LT_RT}: a Dolby-Surround-style matrix encode: the surrounds are summed to one surround
 *       signal {@code S = 0.7071 (Ls + Rs)} and added out of phase: {@code Lt = L + 0.7071 C - 0.7071 S},
 *       {@code Rt = R + 0.7071 C + 0.7071 S}. This static matrix is what the fold-down check compares (its
 *       per-band levels equal the phase-shifted encode's); {@link LtRtEncoder} is the full encoder with the
 *       90° phase-shift network on S.</li>
 *   <li>{@link Mode#MONO}: BS.775's 1/0 downmix, {@code M = 0.7071 (Lo + Ro)} (from 3/2: L, R at 0.7071, C at
 *       1, Ls, Rs at 0.5).</li>
 * </ul>
 * {@link #process} does not allocate.
 */
public final class FoldDown implements AudioProcessor {

    public enum Mode {
        LO_RO, LT_RT, MONO;

        public static Mode parse(String s) {
            switch (s.trim().toLowerCase(Locale.ROOT).replace("/", "").replace("-", "")) {
                case "loro": case "lo ro": case "bs775": return LO_RO;
                case "ltrt": return LT_RT;
                case "mono": return MONO;
                default: throw new IllegalArgumentException("unknown fold-down '" + s + "' (use loro, ltrt or mono)");
            }
        }
    }

    public static final double MINUS_3_DB = Math.sqrt(0.5);

    private final SpeakerLayout layout;
    private final Mode mode;
    private final double[][] matrix;
    private final boolean[] matrixSurround; // Lt/Rt: channels summed into the surround signal S
    private AudioFormat outFormat;

    public FoldDown(SpeakerLayout layout, Mode mode) {
        this(layout, mode, MINUS_3_DB, MINUS_3_DB, false);
    }

    /**
     * @param centreGain linear gain of centre speakers into each side (BS.775: 0.7071)
     * @param surroundGain linear gain of surround speakers into their side (BS.775: 0.7071)
     * @param includeLfe whether the LFE is added (at +10 dB - 3 dB into each side)
     */
    public FoldDown(SpeakerLayout layout, Mode mode, double centreGain, double surroundGain, boolean includeLfe) {
        this.layout = layout;
        this.mode = mode;
        int n = layout.channelCount();
        double[][] loRo = new double[2][n];
        double[] surroundSum = new double[n]; // Lt/Rt: gain of each speaker into S
        double lfeGain = includeLfe ? Math.pow(10, (StemPlacement.LFE_PLAYBACK_GAIN_DB - 3.0103) / 20) : 0;
        for (int i = 0; i < n; i++) {
            SpeakerLayout.Position p = layout.position(i);
            if (p.isLfe()) {
                loRo[0][i] = lfeGain;
                loRo[1][i] = lfeGain;
                continue;
            }
            double az = p.azimuthDegrees();
            double height = Math.abs(p.elevationDegrees()) > 20 ? MINUS_3_DB : 1;
            double off = Math.abs(az);
            if (n == 1) {
                loRo[0][i] = MINUS_3_DB;
                loRo[1][i] = MINUS_3_DB;
            } else if (off <= 5) {
                loRo[0][i] = centreGain * height;
                loRo[1][i] = centreGain * height;
            } else if (off >= 175) {
                loRo[0][i] = surroundGain * MINUS_3_DB * height;
                loRo[1][i] = surroundGain * MINUS_3_DB * height;
                surroundSum[i] = MINUS_3_DB;
            } else {
                boolean front = off <= 60;
                double g = (front ? 1 : surroundGain) * height;
                loRo[az > 0 ? 0 : 1][i] = g;
                if (!front) surroundSum[i] = MINUS_3_DB;
            }
        }
        matrixSurround = new boolean[n];
        for (int i = 0; i < n; i++) matrixSurround[i] = surroundSum[i] != 0;
        switch (mode) {
            case LO_RO:
                matrix = loRo;
                break;
            case MONO:
                matrix = new double[1][n];
                for (int i = 0; i < n; i++) matrix[0][i] = MINUS_3_DB * (loRo[0][i] + loRo[1][i]);
                break;
            case LT_RT:
                matrix = new double[2][n];
                for (int i = 0; i < n; i++) {
                    if (surroundSum[i] != 0) {
                        matrix[0][i] = -MINUS_3_DB * surroundSum[i];
                        matrix[1][i] = MINUS_3_DB * surroundSum[i];
                    } else {
                        matrix[0][i] = loRo[0][i];
                        matrix[1][i] = loRo[1][i];
                    }
                }
                break;
            default:
                throw new AssertionError(mode);
        }
    }

    public Mode mode() { return mode; }
    public SpeakerLayout inputLayout() { return layout; }

    /** Gain of input channel {@code in} into output channel {@code out}. */
    public double gain(int out, int in) { return matrix[out][in]; }

    public int outputChannels() { return matrix.length; }

    /** Whether input channel {@code in} is one of the surrounds that Lt/Rt sums into S (see {@link LtRtEncoder}). */
    public boolean isMatrixSurround(int in) { return matrixSurround[in]; }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        if (inputFormat.channels() != layout.channelCount()) {
            throw new IllegalArgumentException("fold-down for " + layout.name() + " (" + layout.channelCount()
                    + " channels) given " + inputFormat.channels() + " channels");
        }
        outFormat = new AudioFormat(inputFormat.sampleRate(),
                matrix.length == 1 ? ChannelLayout.MONO : ChannelLayout.STEREO);
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        int frames = input.frames();
        output.setFrames(frames);
        process(input.data(), output.data(), 0, frames);
    }

    /**
     * Folds frames {@code [off, off+len)} of {@code in} into the same frames of {@code out} (distinct arrays). Each
     * output sample is the sum over the input channels in their order, whatever the stretches: the same bits as one
     * loop over the frames.
     */
    public void process(float[][] in, float[][] out, int off, int len) {
        int end = off + len;
        for (int o = 0; o < matrix.length; o++) {
            float[] y = out[o];
            java.util.Arrays.fill(y, off, end, 0f);
            for (int i = 0; i < in.length; i++) {
                float g = (float) matrix[o][i];
                if (g == 0f) continue;
                for (int j = off; j < end; j += STRETCH) addScaled(g, in[i], y, j, Math.min(end, j + STRETCH));
            }
        }
    }

    /**
     * Frames per call of {@link #addScaled}. Why stretches: the render folds blocks of about 4,096 frames, six
     * channel passes each, so the frame loop in this method turned some 40,000 times within its first ten calls and
     * C2 compiled it on-stack and then whole again (the bench render's compile log); a short loop called ten times
     * as often is compiled whole once, small.
     */
    private static final int STRETCH = 1024;

    /** y[j] += g * x[j] for j in [from, to). */
    private static void addScaled(float g, float[] x, float[] y, int from, int to) {
        for (int j = from; j < to; j++) y[j] += g * x[j];
    }

    /** Folds a whole clip (planar channels) down; allocates the result. */
    public float[][] apply(float[][] in) {
        int n = in[0].length;
        float[][] out = new float[matrix.length][n];
        process(in, out, 0, n);
        return out;
    }

    @Override
    public void reset() { }

    @Override
    public AudioFormat outputFormat() {
        if (outFormat == null) throw new IllegalStateException("prepare first");
        return outFormat;
    }
}
