package org.stemroom.separation;

import java.util.List;
import org.stemroom.core.AudioClip;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;

/**
 * Makes stems sum back to their mixture. The residual {@code r = mixture - sum(stems)} is shared among the
 * stems in each time-frequency bin in proportion to the stems' energies there ({@code |S_i|^2 / sum_j |S_j|^2},
 * equal shares where all are silent), so a bin that only the bass occupies gives its residual to the bass;
 * then the float rounding left over is split evenly in the time domain. The result sums to the mixture within
 * a few float ulps (far below the 1e-5 full-scale contract).
 */
public final class MixtureConsistency {
    private static final int N_FFT = 2048;
    private static final int HOP = 512;
    /** Below this peak residual the TF step is skipped: it could not change the stems audibly. */
    private static final double NEGLIGIBLE = 1e-6;

    private MixtureConsistency() { }

    /** Edits the stems in place so they sum to the mixture. */
    public static void distribute(AudioClip mixture, StemSet stems) {
        distribute(mixture, stems, Workspace.oneOff());
    }

    /** {@link #distribute(AudioClip, StemSet)} with its working arrays from {@code ws} (the caller rewinds it). */
    public static void distribute(AudioClip mixture, StemSet stems, Workspace ws) {
        List<String> names = stems.names();
        int n = names.size();
        if (n == 0) return;
        int len = mixture.frames();
        Stft stft = ws.stft(N_FFT, HOP);
        float[][] s = ws.rows(n);
        float[] r = ws.floatsToOverwrite(len); // every sample written by residual() before it is read
        for (int c = 0; c < mixture.channels(); c++) {
            for (int k = 0; k < n; k++) s[k] = stems.get(names.get(k)).channel(c);
            residual(mixture.channel(c), s, r);
            if (exceeds(r, NEGLIGIBLE) && n > 1 && len > N_FFT / 2) {
                int frames = stft.frameCount(len);
                int bins = stft.bins();
                Spectrogram rs = ws.spectrogram(frames, bins);
                stft.analyze(r, Stft.Padding.ZERO, rs);
                float[][] total = ws.floats(frames, bins);
                Spectrogram[] spec = ws.spectrogramRefs(n); // each stem analysed once, for its energy and its share
                for (int k = 0; k < n; k++) {
                    Spectrogram sk = spec[k] = ws.spectrogram(frames, bins);
                    stft.analyze(s[k], Stft.Padding.ZERO, sk);
                    for (int f = 0; f < frames; f++) {
                        float[] re = sk.re(f), im = sk.im(f), t = total[f];
                        for (int b = 0; b < bins; b++) t[b] += re[b] * re[b] + im[b] * im[b];
                    }
                }
                Spectrogram share = ws.spectrogram(frames, bins);
                float[] add = ws.floats(len);
                for (int k = 0; k < n; k++) {
                    Spectrogram sk = spec[k];
                    for (int f = 0; f < frames; f++) {
                        float[] re = sk.re(f), im = sk.im(f), t = total[f];
                        float[] rr = rs.re(f), ri = rs.im(f), or = share.re(f), oi = share.im(f);
                        for (int b = 0; b < bins; b++) {
                            float w = t[b] > 1e-20f ? (re[b] * re[b] + im[b] * im[b]) / t[b] : 1f / n;
                            or[b] = rr[b] * w;
                            oi[b] = ri[b] * w;
                        }
                    }
                    stft.synthesize(share, add);
                    float[] dst = s[k];
                    for (int i = 0; i < len; i++) dst[i] += add[i];
                }
                residual(mixture.channel(c), s, r);
            }
            // What is left is STFT round-off (or the whole residual for clips too short for the STFT).
            float inv = 1f / n;
            for (int k = 0; k < n; k++) addScaled(r, inv, s[k]);
        }
    }

    /*
     * The per-sample loops in methods of their own (called every window): inside distribute() C2 compiled them
     * on-stack, and the residual's loop over the stems per sample ran slower than a pass per stem.
     */

    /** Whether the largest |r[i]| exceeds the limit; false where r holds a NaN (a running maximum would be NaN). */
    private static boolean exceeds(float[] r, double limit) {
        boolean over = false;
        for (float v : r) {
            float a = Math.abs(v);
            if (a != a) return false;
            if (a > limit) over = true;
        }
        return over;
    }

    private static void addScaled(float[] r, float g, float[] dst) {
        for (int i = 0; i < dst.length; i++) dst[i] += r[i] * g;
    }

    /** The mixture minus the stems' sum, per channel. */
    public static float[][] residual(AudioClip mixture, StemSet stems) {
        List<String> names = stems.names();
        float[][] out = new float[mixture.channels()][];
        for (int c = 0; c < mixture.channels(); c++) {
            float[][] s = new float[names.size()][];
            for (int k = 0; k < s.length; k++) s[k] = stems.get(names.get(k)).channel(c);
            out[c] = new float[mixture.frames()];
            residual(mixture.channel(c), s, out[c]);
        }
        return out;
    }

    private static void residual(float[] mix, float[][] stems, float[] r) {
        remainder(mix, stems, stems.length, r);
    }

    /**
     * {@code r = mix - stems[0] - ... - stems[count - 1]}, summed in double in that order and rounded once; for a
     * separator whose stems add up to the mixture by construction, the last stem this way costs no synthesis.
     */
    public static void remainder(float[] mix, float[][] stems, int count, float[] r) {
        // the default recipe's four stems (the last of them made this way, or all four checked): the rows named, no
        // loop over the stems per sample
        if (count == 3) {
            remainder(mix, stems[0], stems[1], stems[2], r);
            return;
        }
        if (count == 4) {
            remainder(mix, stems[0], stems[1], stems[2], stems[3], r);
            return;
        }
        for (int i = 0; i < mix.length; i++) {
            double acc = mix[i];
            for (int k = 0; k < count; k++) acc -= stems[k][i];
            r[i] = (float) acc;
        }
    }

    /** {@link #remainder(float[], float[][], int, float[])} of three stems: the same subtractions in the same order. */
    private static void remainder(float[] mix, float[] s0, float[] s1, float[] s2, float[] r) {
        for (int i = 0; i < mix.length; i++) r[i] = (float) ((((double) mix[i] - s0[i]) - s1[i]) - s2[i]);
    }

    /** {@link #remainder(float[], float[][], int, float[])} of four stems: the same subtractions in the same order. */
    private static void remainder(float[] mix, float[] s0, float[] s1, float[] s2, float[] s3, float[] r) {
        for (int i = 0; i < mix.length; i++) r[i] = (float) (((((double) mix[i] - s0[i]) - s1[i]) - s2[i]) - s3[i]);
    }
}
