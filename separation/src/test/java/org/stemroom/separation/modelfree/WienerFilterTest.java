package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.Workspace;

/**
 * {@link WienerFilter} against the EM written out in the textbook's per-bin form here (Nugraha, Liutkus &amp; Vincent
 * 2016, as the class documents it: per source the PSD {@code v_j = (|y_jL|^2 + |y_jR|^2) / 2} and
 * {@code R_j = sum_t y_j y_j^H / sum_t v_j} plus EPS on the diagonal, then {@code y_j = v_j R_j C^-1 x} with C loaded by
 * 1e-3 of its trace, then the residual shared by energy), in double. The filter computes the same quantities in other
 * loop orders and layouts for speed, since session 10 its E-step ({@code v_j R_j C^-1 x}) and since session 35 the
 * residual's share in float, which C2 vectorizes with twice the lanes: with no, one and two iterations, with and
 * without statistics carried from an earlier window, within the tolerances below (measured with one and two: SNR
 * 119-131 dB, largest error 2.3e-7 of the peak, 117-132 dB and 3.1e-7 before the float share; with none, the share
 * alone in float: SNR 142-146 dB, 4.4e-8), which
 * every stem with iterations fails when the reference's loading moves by 1e-3 of itself (SNR 84-104 dB, errors up to
 * 1.6e-5; checked here). The double E-step was compared bit for bit and failed a 1e-4 move.
 * With one iteration the M-step's statistics (which the filter reads from the mixture through the masks, without
 * writing the masked mixture first, and since session 35 sums over a window's frames in float) must be the
 * reference's double sums within {@link #SUM_TOLERANCE}.
 */
class WienerFilterTest {
    private static final double EPS = 1e-10;
    private static final double LOADING = 1e-3;
    /** Float E-step against the double EM: each stem's error energy at least this far below the stem's energy... */
    private static final double MIN_SNR_DB = 110;
    /** ...and no sample off by more than this fraction of the mixture's peak. */
    private static final double MAX_ERROR = 1e-6;
    /**
     * The M-step's sums, each bin's and the pooled images', against the double sums: off by at most this fraction of
     * their scale (r11, r22 and the weight their own size, r12 that of sqrt(r11 r22), which bounds it). A sum of 22
     * or 45 frames in float is off by at most some 45 float round-offs (2.7e-6), the pooled weights m^32 in float by
     * 31 more (1.8e-6); measured at most 5.3e-8 (both tests). A sum 2e-5 off fails.
     */
    private static final double SUM_TOLERANCE = 1e-5;

    @Test
    void refinementIsThePerBinEmToFloatRoundOff() {
        int rate = 44100, frames = rate / 2;
        Random r = new Random(11);
        float[][] x = new float[2][frames];
        for (int i = 0; i < frames; i++) {
            double t = i / (double) rate;
            double tone = 0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.1 * Math.sin(2 * Math.PI * 1250 * t);
            double hit = (i % 5000) < 300 ? 0.5 * r.nextGaussian() : 0;
            x[0][i] = (float) (0.9 * tone + 0.2 * hit + 0.01 * r.nextGaussian());
            x[1][i] = (float) (0.3 * tone + 0.8 * hit + 0.01 * r.nextGaussian());
        }
        AudioClip clip = new AudioClip(AudioFormat.of(rate, 2), x);
        for (int iterations : new int[] {0, 1, 2}) {
            WienerFilter.Memory mem = new WienerFilter.Memory();
            double[][][] carried = null;
            for (int window = 0; window < 2; window++) { // the second window carries the first one's statistics
                SpectralMix mix = SpectralMix.of(clip, new Workspace());
                int bins = mix.bins(), n = 3;
                float[][][] masks = masks(mix.frames(), bins, n, 5 + window);
                String[] names = {"a", "b", "c"};
                double decay = Math.exp(-clip.frames() / (double) rate / WienerFilter.MEMORY_SECONDS);
                Spectrogram[][] want = new Spectrogram[n][2], moved = new Spectrogram[n][2];
                double[][][] keep = reference(mix, masks, n, iterations, carried, decay, want, LOADING);
                reference(mix, masks, n, iterations, carried, decay, moved, LOADING * 1.001);
                carried = keep;
                StemSet got = WienerFilter.refine(mix, names, masks, n, iterations, mem);
                double peak = 0;
                for (float[] c : x) for (float v : c) peak = Math.max(peak, Math.abs(v));
                for (int j = 0; j < n; j++) {
                    for (int c = 0; c < 2; c++) {
                        // the refinement's own synthesis (batched SplitRealFft inverses; BatchedSynthesisTest)
                        Stft stft = new Stft(mix.stft().nFft(), mix.stft().hop());
                        float[] w = synthesized(stft, want[j][c], frames);
                        float[] g = got.get(names[j]).samples()[c];
                        String what = "iterations " + iterations + " window " + window + " stem " + j + " ch " + c;
                        double[] e = errors(w, g, peak);
                        assertTrue(e[0] >= MIN_SNR_DB && e[1] <= MAX_ERROR, () -> what + ": float E-step and share off "
                                + "the double EM by " + String.format("SNR %.1f dB, max %.3g of peak", e[0], e[1]));
                        if (iterations == 0) continue; // no loading to move
                        // the tolerances catch a change of the loading by 1e-3 of itself
                        double[] m = errors(w, synthesized(stft, moved[j][c], frames), peak);
                        assertTrue(m[0] < MIN_SNR_DB || m[1] > MAX_ERROR, () -> what + ": the tolerances let a moved "
                                + "loading pass: " + String.format("SNR %.1f dB, max %.3g of peak", m[0], m[1]));
                    }
                }
                // one iteration: the M-step's sums (read from the mixture through the masks, carried to the next
                // window) are the per-bin EM's from the masked mixture, to float round-off
                if (iterations == 1) {
                    double[][][] held = {mem.s11, mem.s22, mem.s12r, mem.s12i, mem.sden};
                    for (int j = 0; j < n; j++) {
                        double[][] sums = new double[5][];
                        for (int k = 0; k < 5; k++) sums[k] = held[k][j];
                        assertSumsClose(keep[j], sums, "window " + window + " source " + j);
                    }
                }
                // and the refinement did something: the stems are not the masked mixture
                if (iterations > 0) assertTrue(differsFromMasked(mix, masks[0], got.get("a").samples()[0]));
            }
        }
    }

    /**
     * The last stem as the mixture minus the others (remainderLast, what a cascade with a rest stem does) against its
     * own synthesis, with the mask path (mono and stereo) and the Wiener path (0 and 1 iterations): stems 0..n-2 the
     * same bits, the last within MAX_ERROR of the mixture's peak at SNR >= MIN_SNR_DB (the synthesis is linear and the
     * estimates sum to the mixture's spectrum, so only float round-off may differ); and those tolerances fail when the
     * last mask is 1e-3 of itself larger than what the others leave (the shortcut is only valid for masks summing to one).
     */
    @Test
    void remainderLastEqualsTheLastStemsSynthesisToRoundOff() {
        int rate = 44100, frames = rate;
        Random r = new Random(5);
        for (int ch : new int[] {1, 2}) {
            float[][] x = new float[ch][frames];
            for (int i = 0; i < frames; i++) {
                double t = i / (double) rate;
                double tone = 0.4 * Math.sin(2 * Math.PI * 330 * t) + 0.2 * Math.sin(2 * Math.PI * 97 * t);
                double hit = (i % 7000) < 400 ? 0.6 * r.nextGaussian() : 0;
                for (int c = 0; c < ch; c++) x[c][i] = (float) ((c == 0 ? 0.8 : 0.4) * tone + (c == 0 ? 0.3 : 0.7) * hit);
            }
            AudioClip clip = new AudioClip(AudioFormat.of(rate, ch), x);
            double peak = 0;
            for (float[] c : x) for (float v : c) peak = Math.max(peak, Math.abs(v));
            int n = 4;
            String[] names = {"a", "b", "c", "rest"};
            for (int iterations : ch == 2 ? new int[] {-1, 0, 1} : new int[] {-1}) { // -1: the mask path
                for (boolean moved : new boolean[] {false, true}) {
                    StemSet[] got = new StemSet[2];
                    for (int variant = 0; variant < 2; variant++) {
                        SpectralMix mix = SpectralMix.of(clip, new Workspace());
                        float[][][] masks = masks(mix.frames(), mix.bins(), n, 9);
                        if (moved) for (float[] row : masks[n - 1]) for (int b = 0; b < row.length; b++) row[b] *= 1.001f;
                        boolean remainder = variant == 1;
                        StemSet s = iterations < 0 ? mix.apply(names, masks, n, remainder)
                                : WienerFilter.refine(mix, names, masks, n, iterations, new WienerFilter.Memory(), remainder);
                        got[variant] = s.slice(0, frames); // a copy: the next variant's workspace is its own anyway
                    }
                    for (int c = 0; c < ch; c++) {
                        String what = ch + " ch, iterations " + iterations + (moved ? ", last mask moved" : "") + ", ch " + c;
                        for (int j = 0; j < n - 1; j++) {
                            float[] a = got[0].get(names[j]).samples()[c], b = got[1].get(names[j]).samples()[c];
                            for (int i = 0; i < frames; i++) {
                                assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(b[i]), what + " stem " + j);
                            }
                        }
                        double[] e = errors(got[0].get("rest").samples()[c], got[1].get("rest").samples()[c], peak);
                        boolean within = e[0] >= MIN_SNR_DB && e[1] <= MAX_ERROR;
                        String err = String.format("SNR %.1f dB, max %.3g of peak", e[0], e[1]);
                        // a moved mask passes the Wiener path: its residual's share re-balances the estimates anyway
                        if (moved && iterations < 0) {
                            assertTrue(!within, () -> what + ": the tolerances let a moved last mask pass: " + err);
                        } else {
                            assertTrue(within, () -> what + ": the remainder off the last stem's synthesis by " + err);
                        }
                    }
                }
            }
        }
    }

    /** Soft masks that sum to one per bin, smooth in time and frequency, different per source. */
    private static float[][][] masks(int frames, int bins, int n, long seed) {
        Random r = new Random(seed);
        double[] phase = new double[n];
        for (int j = 0; j < n; j++) phase[j] = r.nextDouble() * 6;
        float[][][] m = new float[n][frames][bins];
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < bins; b++) {
                double sum = 0;
                double[] w = new double[n];
                for (int j = 0; j < n; j++) {
                    w[j] = 1.05 + Math.sin(phase[j] + 0.01 * b * (j + 1) + 0.2 * f);
                    sum += w[j];
                }
                for (int j = 0; j < n; j++) m[j][f][b] = (float) (w[j] / sum);
            }
        }
        return m;
    }

    /** The SNR in dB of {@code got} against {@code want}, and its largest error as a fraction of {@code peak}. */
    private static double[] errors(float[] want, float[] got, double peak) {
        double signal = 0, noise = 0, max = 0;
        for (int i = 0; i < want.length; i++) {
            double d = (double) got[i] - want[i];
            signal += (double) want[i] * want[i];
            noise += d * d;
            max = Math.max(max, Math.abs(d));
        }
        return new double[] {10 * Math.log10(signal / Math.max(noise, Double.MIN_VALUE)), max / peak};
    }

    private static float[] synthesized(Stft stft, Spectrogram s, int length) {
        float[] out = new float[length];
        new BatchedSynthesis().synthesize(stft, s, s.frames(), out);
        return out;
    }

    private static boolean differsFromMasked(SpectralMix mix, float[][] mask, float[] stem) {
        Spectrogram s = new Spectrogram(mix.frames(), mix.bins());
        for (int f = 0; f < mix.frames(); f++) {
            for (int b = 0; b < mix.bins(); b++) {
                s.re(f)[b] = mix.spectrum(0).re(f)[b] * mask[f][b];
                s.im(f)[b] = mix.spectrum(0).im(f)[b] * mask[f][b];
            }
        }
        float[] masked = new Stft(mix.stft().nFft(), mix.stft().hop()).synthesize(s, stem.length);
        double d = 0;
        for (int i = 0; i < stem.length; i++) d = Math.max(d, Math.abs(masked[i] - stem[i]));
        return d > 1e-3;
    }

    /**
     * The EM per bin, sources innermost. Returns the statistics to carry ({@code [j][0..4][bin]}: the sums of
     * |y_L|^2, |y_R|^2, y_L conj(y_R) re and im, and v) and fills {@code out[j][c]} with the refined spectra.
     */
    private static double[][][] reference(SpectralMix mix, float[][][] masks, int n, int iterations,
                                          double[][][] carried, double decay, Spectrogram[][] out, double loading) {
        int frames = mix.frames(), bins = mix.bins();
        Spectrogram xl = mix.spectrum(0), xr = mix.spectrum(1);
        float[][][] yre = new float[2 * n][frames][bins], yim = new float[2 * n][frames][bins];
        for (int j = 0; j < n; j++) {
            for (int c = 0; c < 2; c++) {
                Spectrogram x = mix.spectrum(c);
                for (int f = 0; f < frames; f++) {
                    for (int b = 0; b < bins; b++) {
                        yre[2 * j + c][f][b] = x.re(f)[b] * masks[j][f][b];
                        yim[2 * j + c][f][b] = x.im(f)[b] * masks[j][f][b];
                    }
                }
            }
        }
        double[][][] keep = carried;
        for (int it = 0; it < iterations; it++) {
            float[][][] v = new float[n][frames][bins];
            double[][][] rj = new double[n][4][bins];
            double[][][] sums = new double[n][5][bins];
            for (int j = 0; j < n; j++) {
                for (int b = 0; b < bins; b++) {
                    double s11 = 0, s22 = 0, s12r = 0, s12i = 0, den = 0;
                    for (int f = 0; f < frames; f++) {
                        float lr = yre[2 * j][f][b], li = yim[2 * j][f][b];
                        float rr = yre[2 * j + 1][f][b], ri = yim[2 * j + 1][f][b];
                        double pl = lr * lr + li * li, pr = rr * rr + ri * ri;
                        double vv = 0.5 * (pl + pr);
                        v[j][f][b] = (float) vv;
                        s11 += pl;
                        s22 += pr;
                        s12r += lr * rr + li * ri;
                        s12i += li * rr - lr * ri;
                        den += vv;
                    }
                    if (carried != null) {
                        s11 += decay * carried[j][0][b];
                        s22 += decay * carried[j][1][b];
                        s12r += decay * carried[j][2][b];
                        s12i += decay * carried[j][3][b];
                        den += decay * carried[j][4][b];
                    }
                    sums[j][0][b] = s11;
                    sums[j][1][b] = s22;
                    sums[j][2][b] = s12r;
                    sums[j][3][b] = s12i;
                    sums[j][4][b] = den;
                    double dd = den + EPS;
                    rj[j][0][b] = s11 / dd + EPS;
                    rj[j][1][b] = s22 / dd + EPS;
                    rj[j][2][b] = s12r / dd;
                    rj[j][3][b] = s12i / dd;
                }
            }
            if (it == iterations - 1) keep = sums;
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    double c11 = EPS, c22 = EPS, c12r = 0, c12i = 0;
                    for (int j = 0; j < n; j++) {
                        double vv = v[j][f][b];
                        c11 += vv * rj[j][0][b];
                        c22 += vv * rj[j][1][b];
                        c12r += vv * rj[j][2][b];
                        c12i += vv * rj[j][3][b];
                    }
                    double load = loading * (c11 + c22) + EPS;
                    c11 += load;
                    c22 += load;
                    double det = c11 * c22 - (c12r * c12r + c12i * c12i);
                    if (!(det > 0)) det = c11 * c22 + EPS;
                    double i11 = c22 / det, i22 = c11 / det, i12r = -c12r / det, i12i = -c12i / det;
                    double xlr = xl.re(f)[b], xli = xl.im(f)[b], xrr = xr.re(f)[b], xri = xr.im(f)[b];
                    double z1r = i11 * xlr + (i12r * xrr - i12i * xri);
                    double z1i = i11 * xli + (i12r * xri + i12i * xrr);
                    double z2r = (i12r * xlr + i12i * xli) + i22 * xrr;
                    double z2i = (i12r * xli - i12i * xlr) + i22 * xri;
                    for (int j = 0; j < n; j++) {
                        double vv = v[j][f][b];
                        double a11 = vv * rj[j][0][b], a22 = vv * rj[j][1][b], a12r = vv * rj[j][2][b];
                        double a12i = vv * rj[j][3][b];
                        yre[2 * j][f][b] = (float) (a11 * z1r + (a12r * z2r - a12i * z2i));
                        yim[2 * j][f][b] = (float) (a11 * z1i + (a12r * z2i + a12i * z2r));
                        yre[2 * j + 1][f][b] = (float) ((a12r * z1r + a12i * z1i) + a22 * z2r);
                        yim[2 * j + 1][f][b] = (float) ((a12r * z1i - a12i * z1r) + a22 * z2i);
                    }
                }
            }
        }
        // the residual shared by energy, per bin and channel
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < 2; c++) {
                Spectrogram x = mix.spectrum(c);
                for (int b = 0; b < bins; b++) {
                    double rr = x.re(f)[b], ri = x.im(f)[b], tot = 0;
                    for (int j = 0; j < n; j++) {
                        float a = yre[2 * j + c][f][b], bb = yim[2 * j + c][f][b];
                        rr -= a;
                        ri -= bb;
                        tot += (double) a * a + (double) bb * bb;
                    }
                    for (int j = 0; j < n; j++) {
                        float a = yre[2 * j + c][f][b], bb = yim[2 * j + c][f][b];
                        double w = tot > 1e-20 ? ((double) a * a + (double) bb * bb) / tot : 1.0 / n;
                        yre[2 * j + c][f][b] = (float) (a + rr * w);
                        yim[2 * j + c][f][b] = (float) (bb + ri * w);
                    }
                }
            }
        }
        for (int j = 0; j < n; j++) {
            for (int c = 0; c < 2; c++) {
                Spectrogram s = new Spectrogram(frames, bins);
                for (int f = 0; f < frames; f++) {
                    System.arraycopy(yre[2 * j + c][f], 0, s.re(f), 0, bins);
                    System.arraycopy(yim[2 * j + c][f], 0, s.im(f), 0, bins);
                }
                out[j][c] = s;
            }
        }
        return keep;
    }

    /**
     * The pooled images' sums ({@link WienerFilter.Memory#imageBlend}), which the M-step makes in its own passes over
     * the masked mixture (in float, the weights scaled), against a pass of their own written out here in double: per
     * source with a blend, each bin weighted by its mask to the power q ({@code Math.pow}), the window's sums plus the
     * last window's decayed, within {@link #SUM_TOLERANCE}, for an even and an odd q, over two windows; the per-bin
     * sums are the per-bin EM's within it too, also for the sources pooled. A sum 2e-5 off fails (checked here).
     */
    @Test
    void pooledImageSumsAreTheDoubleSumsToRoundOff() {
        int rate = 44100, frames = rate / 2;
        Random r = new Random(23);
        float[][] x = new float[2][frames];
        for (int i = 0; i < frames; i++) {
            double t = i / (double) rate;
            double tone = 0.3 * Math.sin(2 * Math.PI * 180 * t) + 0.2 * Math.sin(2 * Math.PI * 2300 * t);
            x[0][i] = (float) (0.8 * tone + 0.05 * r.nextGaussian());
            x[1][i] = (float) (0.4 * tone + 0.05 * r.nextGaussian());
        }
        AudioClip clip = new AudioClip(AudioFormat.of(rate, 2), x);
        String[] names = {"a", "b", "c"};
        int n = 3;
        double decay = Math.exp(-clip.frames() / (double) rate / WienerFilter.MEMORY_SECONDS);
        for (int q : new int[] {32, 5}) {
            WienerFilter.Memory mem = new WienerFilter.Memory();
            mem.imageBlend(new String[] {"a", "c"}, new double[] {1, 0.5}, q); // "b" not pooled
            double[][] pool = new double[n][5];
            double[][][] carried = null;
            for (int window = 0; window < 2; window++) {
                SpectralMix mix = SpectralMix.of(clip, new Workspace());
                int bins = mix.bins();
                float[][][] masks = masks(mix.frames(), bins, n, 31 + window);
                double[][][] keep = reference(mix, masks, n, 1, carried, decay, new Spectrogram[n][2], LOADING);
                carried = keep;
                WienerFilter.refine(mix, names, masks, n, 1, mem);
                Spectrogram xl = mix.spectrum(0), xr = mix.spectrum(1);
                for (int j : new int[] {0, 2}) {
                    double s11 = 0, s22 = 0, s12r = 0, s12i = 0, den = 0;
                    for (int f = 0; f < mix.frames(); f++) {
                        for (int b = 0; b < bins; b++) {
                            float g = masks[j][f][b];
                            double w = Math.pow(g, q);
                            double lr = xl.re(f)[b] * g, li = xl.im(f)[b] * g, rr = xr.re(f)[b] * g, ri = xr.im(f)[b] * g;
                            double pl = lr * lr + li * li, pr = rr * rr + ri * ri;
                            s11 += w * pl;
                            s22 += w * pr;
                            s12r += w * (lr * rr + li * ri);
                            s12i += w * (li * rr - lr * ri);
                            den += w * 0.5 * (pl + pr);
                        }
                    }
                    double[] want = window == 0 ? new double[] {s11, s22, s12r, s12i, den}
                            : new double[] {s11 + decay * pool[j][0], s22 + decay * pool[j][1],
                                    s12r + decay * pool[j][2], s12i + decay * pool[j][3], den + decay * pool[j][4]};
                    String what = "q " + q + " window " + window + " source " + j + " pooled";
                    assertSumsClose(new double[][] {{want[0]}, {want[1]}, {want[2]}, {want[3]}, {want[4]}},
                            new double[][] {{mem.pool[j][0]}, {mem.pool[j][1]}, {mem.pool[j][2]}, {mem.pool[j][3]},
                                    {mem.pool[j][4]}}, what);
                    pool[j] = want;
                }
                double[][][] held = {mem.s11, mem.s22, mem.s12r, mem.s12i, mem.sden};
                for (int j = 0; j < n; j++) {
                    double[][] got = new double[5][];
                    for (int k = 0; k < 5; k++) got[k] = held[k][j];
                    assertSumsClose(keep[j], got, "q " + q + " window " + window + " source " + j);
                }
            }
        }
    }

    /**
     * {@code got} (rows r11, r22, r12 re, r12 im, weight) within {@link #SUM_TOLERANCE} of {@code want} in every bin,
     * r11, r22 and the weight of their own size, r12 of sqrt(r11 r22)'s; and the tolerance is not loose: the sums made
     * 2e-5 larger fail it in some bin.
     */
    private static void assertSumsClose(double[][] want, double[][] got, String what) {
        double moved = 0;
        for (int k = 0; k < 5; k++) {
            for (int b = 0; b < want[k].length; b++) {
                double scale = k == 2 || k == 3 ? Math.sqrt(Math.abs(want[0][b] * want[1][b])) : Math.abs(want[k][b]);
                double off = Math.abs(got[k][b] - want[k][b]);
                assertTrue(off <= SUM_TOLERANCE * scale, what + " sum " + k + " bin " + b + ": " + got[k][b]
                        + " against " + want[k][b] + ", off by " + off / scale + " of its scale");
                if (k == 0) moved = Math.max(moved, Math.abs(got[k][b] * (1 + 2e-5) - want[k][b]) / scale);
            }
        }
        assertTrue(moved > SUM_TOLERANCE, what + ": sums 2e-5 off pass the tolerance");
    }

    /**
     * The pooled images' float weights ({@code weights}, as mStep scales them: {@code 2^e}, e = 64 / q, floor
     * {@code 2^-2e}) against {@code Math.pow} in double: within q float round-offs (the squarings' bound, q - 1) for
     * masks at or above the floor, exactly {@code (scale floor)^q} below it, for q 0-64 and masks 0-1 (0, the floor's
     * neighbours, 1, an ulp under it), over stretches inside the row; nothing outside the stretch written.
     */
    @Test
    void imageWeightsArePowersToRoundOff() {
        Random rnd = new Random(31);
        int bins = 517;
        for (int q = 0; q <= 64; q++) {
            int e = q == 0 ? 0 : 64 / q;
            float scale = Math.scalb(1f, e), floor = Math.max(Float.MIN_NORMAL, Math.scalb(1f, -2 * e));
            float[] m = new float[bins];
            float[] edge = {0f, floor, Math.nextDown(floor), Math.nextUp(floor), 1f, Math.nextDown(1f), 0.5f, 1e-20f};
            for (int b = 0; b < bins; b++) m[b] = b < edge.length ? edge[b] : rnd.nextFloat();
            float[] w = new float[bins], sq = new float[bins];
            java.util.Arrays.fill(w, -7f);
            int b0 = 3, b1 = bins - 2;
            WienerFilter.Pass.weights(m, q, scale, floor, w, sq, b0, b1);
            for (int b = 0; b < bins; b++) {
                if (b < b0 || b >= b1) {
                    assertEquals(-7f, w[b], 0f, "q " + q + ": bin " + b + " outside the stretch written");
                    continue;
                }
                double want = Math.pow((double) scale * Math.max(m[b], floor), q);
                assertTrue(want >= Math.scalb(1.0, -64) && want <= Math.scalb(1.0, 64), "q " + q + " weight " + want);
                assertEquals(want, w[b], Math.max(1, q) * Math.scalb(want, -24), "q " + q + " bin " + b + " m " + m[b]);
                if (m[b] < floor) assertEquals(Math.pow((double) scale * floor, q), w[b], 0.0, "q " + q + " under the floor");
            }
        }
    }

    /**
     * The residual's share in float ({@code leaveFirst} and {@code leave}, then {@code loudBefore}, {@code shareLoud} for
     * the loud bins and {@code spread} for the rest, as shareStretch calls them) against the share per bin in double
     * from the same float estimates (the residual and the energies summed source by source, each source's estimate
     * plus its energy's share of the residual, an even share where the total is at most 1e-20): every bin within
     * 1e-6 of its scale (|x| + sum_j |y_j|, both parts; the float form's error bound is some 12 float round-offs of
     * it, 7e-7 for four sources; measured at most 1.3e-7), which a weight off by 1e-5 of itself fails (checked
     * here); silence (a total of 0, of 1e-20 itself, or below) anywhere in the stretch, the stretches of the E-step
     * (256 bins, the last window's 1 or 2, and others).
     */
    @Test
    void theFloatShareIsTheDoubleShareToRoundOff() {
        Random rnd = new Random(11);
        for (int n : new int[] {4, 3}) {
            for (int len : new int[] {256, 37, 2, 1}) {
                for (int silentAt = -1; silentAt < len; silentAt += Math.max(1, len / 5)) {
                    for (float quiet : new float[] {0f, 1e-20f, 3e-21f}) {
                        float[][] y = new float[2 * n][len];
                        float[] xre = new float[len], xim = new float[len];
                        for (int i = 0; i < len; i++) {
                            double scale = Math.exp(3 * rnd.nextGaussian());
                            for (float[] row : y) row[i] = (float) (scale * rnd.nextGaussian());
                            xre[i] = (float) (scale * rnd.nextGaussian());
                            xim[i] = (float) (scale * rnd.nextGaussian());
                        }
                        if (silentAt >= 0) { // the total of the sources' energies at or below 1e-20
                            double each = Math.sqrt(quiet / (2.0 * n));
                            for (float[] row : y) row[silentAt] = (float) each;
                            if (quiet == 0f) xre[silentAt] = 0.5f; // a residual with no energy: the even share
                        }
                        float[][] t = new float[5][len];
                        WienerFilter.Pass.leaveFirst(xre, xim, y[0], y[1], t[0], t[1], t[2], len);
                        for (int j = 1; j < n; j++) WienerFilter.Pass.leave(y[2 * j], y[2 * j + 1], t[0], t[1], t[2], len);
                        int loud = WienerFilter.Pass.loudBefore(t[2], len);
                        boolean silentInside = silentAt >= 0 && silentAt < len - 1 && t[2][silentAt] <= 1e-20f;
                        assertEquals(silentInside ? 0 : Math.max(0, len - 1), loud, "loud bins");
                        for (int j = 0; j < n; j++) {
                            for (double moved : new double[] {1, 1 + 1e-5}) {
                                WienerFilter.Pass.shareLoud(y[2 * j], y[2 * j + 1], t[0], t[1], t[2], t[3], t[4], loud);
                                WienerFilter.Pass.spread(y[2 * j], y[2 * j + 1], t[0], t[1], t[2], t[3], t[4], loud, len,
                                        1f / n);
                                double off = 0;
                                for (int i = 0; i < len; i++) {
                                    double rr = xre[i], ri = xim[i], tot = 0, scale = Math.hypot(xre[i], xim[i]);
                                    for (int k = 0; k < n; k++) {
                                        double a = y[2 * k][i], b = y[2 * k + 1][i];
                                        rr -= a;
                                        ri -= b;
                                        tot += a * a + b * b;
                                        scale += Math.hypot(a, b);
                                    }
                                    double a = y[2 * j][i], b = y[2 * j + 1][i];
                                    double w = moved * (tot > 1e-20 ? (a * a + b * b) / tot : 1.0 / n);
                                    off = Math.max(off, Math.hypot(t[3][i] - (a + rr * w), t[4][i] - (b + ri * w)) / scale);
                                }
                                if (moved == 1) {
                                    String what = n + " sources, len " + len + ", silent bin " + silentAt + " at " + quiet
                                            + ", source " + j + ": off by " + off + " of the bin's scale";
                                    assertTrue(off <= 1e-6, what);
                                } else if (len == 256 && silentAt < 0) {
                                    assertTrue(off > 1e-6, "a weight moved by 1e-5 passes: " + off);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The float E-step's passes over rows ({@code eStepStretch}: C, its loaded inverse, z, each source's v_j R_j z,
     * every pass a loop over the stretch's rows, all indexed alike) against the per-bin float form written out here (the loop
     * session 10 made: C accumulated source after source from EPS and 0, the loading, the inverse, z, then each
     * estimate), bit for bit: the same products and sums in the same order. Three and four sources, stretches that
     * start inside the rows, PSDs of 0 and of -0 (signed zeros in the products), tiny and huge values.
     */
    @Test
    void theEStepsPassesOverRowsKeepThePerBinFloatFormsBits() {
        Random rnd = new Random(27);
        int bins = 300, frames = 3;
        for (int n : new int[] {4, 3}) {
            float[][][] v = new float[n][frames][bins];
            float[][] r = new float[4 * n][bins];
            float[][] x = new float[4][bins];
            for (int j = 0; j < n; j++) {
                for (int f = 0; f < frames; f++) {
                    for (int b = 0; b < bins; b++) {
                        int kind = rnd.nextInt(8);
                        v[j][f][b] = kind == 0 ? 0f : kind == 1 ? -0f : kind == 2 ? 1e-30f : kind == 3 ? 1e12f
                                : (float) Math.exp(4 * rnd.nextGaussian());
                    }
                }
                for (int b = 0; b < bins; b++) {
                    r[4 * j][b] = 0.1f + rnd.nextFloat();
                    r[4 * j + 1][b] = 0.1f + rnd.nextFloat();
                    r[4 * j + 2][b] = (float) (0.3 * rnd.nextGaussian());
                    r[4 * j + 3][b] = b % 7 == 0 ? 0f : (float) (0.3 * rnd.nextGaussian());
                }
            }
            for (float[] row : x) for (int b = 0; b < bins; b++) row[b] = b % 11 == 0 ? 0f : (float) rnd.nextGaussian();
            float[][] c = new float[16 + 9 * n][bins], out = new float[4 * n][bins];
            for (int f = 0; f < frames; f++) {
                for (int[] stretch : new int[][] {{0, 256}, {256, bins}, {5, 6}, {17, 130}}) {
                    int b0 = stretch[0], b1 = stretch[1];
                    // the stretch's rows as the E-step copies them (WienerFilter.Pass.E_ROWS): x, R_j, then the PSDs
                    int len = b1 - b0;
                    for (int q = 0; q < 4; q++) System.arraycopy(x[q], b0, c[12 + q], 0, len);
                    for (int k = 0; k < 4 * n; k++) System.arraycopy(r[k], b0, c[16 + k], 0, len);
                    for (int j = 0; j < n; j++) System.arraycopy(v[j][f], b0, c[16 + 4 * n + j], 0, len);
                    WienerFilter.Pass.eStepStretch(n, c, out, len);
                    for (int b = b0; b < b1; b++) {
                        float c11 = (float) EPS, c22 = (float) EPS, c12r = 0f, c12i = 0f;
                        for (int j = 0; j < n; j++) {
                            float vv = v[j][f][b];
                            c11 += vv * r[4 * j][b];
                            c22 += vv * r[4 * j + 1][b];
                            c12r += vv * r[4 * j + 2][b];
                            c12i += vv * r[4 * j + 3][b];
                        }
                        float load = 1e-3f * (c11 + c22) + (float) EPS;
                        c11 += load;
                        c22 += load;
                        float inv = 1f / (c11 * c22 - (c12r * c12r + c12i * c12i));
                        float i11 = c22 * inv, i22 = c11 * inv, i12r = -c12r * inv, i12i = -c12i * inv;
                        float xlr = x[0][b], xli = x[1][b], xrr = x[2][b], xri = x[3][b];
                        float z1r = i11 * xlr + (i12r * xrr - i12i * xri), z1i = i11 * xli + (i12r * xri + i12i * xrr);
                        float z2r = (i12r * xlr + i12i * xli) + i22 * xrr, z2i = (i12r * xli - i12i * xlr) + i22 * xri;
                        for (int j = 0; j < n; j++) {
                            float vv = v[j][f][b];
                            float a11 = vv * r[4 * j][b], a22 = vv * r[4 * j + 1][b], a12r = vv * r[4 * j + 2][b];
                            float a12i = vv * r[4 * j + 3][b];
                            float[] want = {a11 * z1r + (a12r * z2r - a12i * z2i), a11 * z1i + (a12r * z2i + a12i * z2r),
                                    (a12r * z1r + a12i * z1i) + a22 * z2r, (a12r * z1i - a12i * z1r) + a22 * z2i};
                            for (int q = 0; q < 4; q++) {
                                assertEquals(Float.floatToRawIntBits(want[q]), Float.floatToRawIntBits(out[4 * j + q][b - b0]),
                                        n + " sources, frame " + f + ", source " + j + ", row " + q + ", bin " + b);
                            }
                        }
                    }
                }
            }
        }
    }
}
