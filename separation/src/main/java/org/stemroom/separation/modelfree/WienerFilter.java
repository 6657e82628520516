package org.stemroom.separation.modelfree;

import java.util.ArrayList;
import java.util.List;
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
        private double[][] s11, s22, s12r, s12i, sden;
        private boolean empty = true;

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
            }
            boolean held = sized && !empty;
            empty = false;
            return held;
        }
    }

    /** One window on its own (no statistics carried from earlier windows). */
    static StemSet refine(SpectralMix mix, Map<String, float[][]> masks, int iterations) {
        return refine(mix, masks, iterations, new Memory());
    }

    static StemSet refine(SpectralMix mix, Map<String, float[][]> masks, int iterations, Memory mem) {
        int frames = mix.frames(), bins = mix.bins(), n = masks.size();
        Spectrogram xl = mix.spectrum(0), xr = mix.spectrum(1);
        List<String> names = new ArrayList<>(masks.keySet());
        // y[j][c] complex estimates
        org.stemroom.separation.Workspace ws = mix.workspace();
        Spectrogram[][] y = new Spectrogram[n][2];
        for (int j = 0; j < n; j++) {
            float[][] m = masks.get(names.get(j));
            for (int c = 0; c < 2; c++) {
                Spectrogram x = mix.spectrum(c);
                Spectrogram s = ws.spectrogram(frames, bins);
                for (int f = 0; f < frames; f++) {
                    for (int b = 0; b < bins; b++) {
                        s.re(f)[b] = x.re(f)[b] * m[f][b];
                        s.im(f)[b] = x.im(f)[b] * m[f][b];
                    }
                }
                y[j][c] = s;
            }
        }
        float[][][] v = new float[n][][];
        // R_j per bin: r11, r22 real, r12 complex
        double[][] r11 = new double[n][], r22 = new double[n][], r12r = new double[n][], r12i = new double[n][];
        double[][] dens = new double[n][];
        for (int j = 0; j < n; j++) {
            v[j] = ws.floats(frames, bins);
            r11[j] = ws.doubles(bins);
            r22[j] = ws.doubles(bins);
            r12r[j] = ws.doubles(bins);
            r12i[j] = ws.doubles(bins);
            dens[j] = ws.doubles(bins);
        }
        boolean carry = mem.holds(n, bins);
        double decay = Math.exp(-mix.clip().frames() / (double) mix.sampleRate() / MEMORY_SECONDS);
        for (int it = 0; it < iterations; it++) {
            final int fFrames = frames, fBins = bins;
            final boolean lastIteration = it == iterations - 1;
            // sources are independent in the M-step: one per task
            java.util.stream.IntStream.range(0, n).parallel().forEach(j -> {
                double[] den = dens[j];
                java.util.Arrays.fill(den, 0);
                java.util.Arrays.fill(r11[j], 0); java.util.Arrays.fill(r22[j], 0);
                java.util.Arrays.fill(r12r[j], 0); java.util.Arrays.fill(r12i[j], 0);
                for (int f = 0; f < fFrames; f++) {
                    float[] lr = y[j][0].re(f), li = y[j][0].im(f), rr = y[j][1].re(f), ri = y[j][1].im(f);
                    for (int b = 0; b < fBins; b++) {
                        double pl = lr[b] * lr[b] + li[b] * li[b], pr = rr[b] * rr[b] + ri[b] * ri[b];
                        double vv = 0.5 * (pl + pr);
                        v[j][f][b] = (float) vv;
                        r11[j][b] += pl;
                        r22[j][b] += pr;
                        r12r[j][b] += lr[b] * rr[b] + li[b] * ri[b];  // L * conj(R)
                        r12i[j][b] += li[b] * rr[b] - lr[b] * ri[b];
                        den[b] += vv;
                    }
                }
                if (carry) {
                    for (int b = 0; b < fBins; b++) {
                        r11[j][b] += decay * mem.s11[j][b];
                        r22[j][b] += decay * mem.s22[j][b];
                        r12r[j][b] += decay * mem.s12r[j][b];
                        r12i[j][b] += decay * mem.s12i[j][b];
                        den[b] += decay * mem.sden[j][b];
                    }
                }
                if (lastIteration) {
                    System.arraycopy(r11[j], 0, mem.s11[j], 0, fBins);
                    System.arraycopy(r22[j], 0, mem.s22[j], 0, fBins);
                    System.arraycopy(r12r[j], 0, mem.s12r[j], 0, fBins);
                    System.arraycopy(r12i[j], 0, mem.s12i[j], 0, fBins);
                    System.arraycopy(den, 0, mem.sden[j], 0, fBins);
                }
                for (int b = 0; b < fBins; b++) {
                    double d = den[b] + EPS;
                    r11[j][b] = r11[j][b] / d + EPS;
                    r22[j][b] = r22[j][b] / d + EPS;
                    r12r[j][b] /= d;
                    r12i[j][b] /= d;
                }
            });
            // the E-step is independent per frame: blocks of frames per task (same result whatever the split)
            java.util.stream.IntStream.range(0, (fFrames + 15) / 16).parallel().forEach(blk -> {
            for (int f = blk * 16; f < Math.min(fFrames, blk * 16 + 16); f++) {
                for (int b = 0; b < fBins; b++) {
                    double c11 = EPS, c22 = EPS, c12r = 0, c12i = 0;
                    for (int j = 0; j < n; j++) {
                        double vv = v[j][f][b];
                        c11 += vv * r11[j][b];
                        c22 += vv * r22[j][b];
                        c12r += vv * r12r[j][b];
                        c12i += vv * r12i[j][b];
                    }
                    // inverse of Hermitian [[c11, c12],[conj c12, c22]], loaded by a small fraction of its trace:
                    // fully correlated channels (a centred source, a dual-mono master) make it singular otherwise
                    double load = 1e-3 * (c11 + c22) + EPS;
                    c11 += load;
                    c22 += load;
                    double det = c11 * c22 - (c12r * c12r + c12i * c12i);
                    if (!(det > 0)) det = c11 * c22 + EPS;
                    double i11 = c22 / det, i22 = c11 / det, i12r = -c12r / det, i12i = -c12i / det;
                    // z = Cinv * x
                    double xlr = xl.re(f)[b], xli = xl.im(f)[b], xrr = xr.re(f)[b], xri = xr.im(f)[b];
                    double z1r = i11 * xlr + (i12r * xrr - i12i * xri);
                    double z1i = i11 * xli + (i12r * xri + i12i * xrr);
                    double z2r = (i12r * xlr + i12i * xli) + i22 * xrr; // conj(i12) * xl
                    double z2i = (i12r * xli - i12i * xlr) + i22 * xri;
                    for (int j = 0; j < n; j++) {
                        double vv = v[j][f][b];
                        double a11 = vv * r11[j][b], a22 = vv * r22[j][b], a12r = vv * r12r[j][b], a12i = vv * r12i[j][b];
                        y[j][0].re(f)[b] = (float) (a11 * z1r + (a12r * z2r - a12i * z2i));
                        y[j][0].im(f)[b] = (float) (a11 * z1i + (a12r * z2i + a12i * z2r));
                        y[j][1].re(f)[b] = (float) ((a12r * z1r + a12i * z1i) + a22 * z2r);
                        y[j][1].im(f)[b] = (float) ((a12r * z1i - a12i * z1r) + a22 * z2i);
                    }
                }
            }
            });
        }
        // The diagonal loading leaves a little of X unexplained. Share it among the sources in proportion to their
        // energy in each bin and channel (what MixtureConsistency does after synthesis, here before it, on this STFT):
        // the stems then sum to the mixture up to STFT round-off, and its costly re-analysis is not needed.
        java.util.stream.IntStream.range(0, (frames + 15) / 16).parallel().forEach(blk -> {
            for (int f = blk * 16; f < Math.min(frames, blk * 16 + 16); f++) {
                for (int c = 0; c < 2; c++) {
                    float[] xre = (c == 0 ? xl : xr).re(f), xim = (c == 0 ? xl : xr).im(f);
                    for (int b = 0; b < bins; b++) {
                        double rr = xre[b], ri = xim[b], tot = 0;
                        for (int j = 0; j < n; j++) {
                            float yr = y[j][c].re(f)[b], yi = y[j][c].im(f)[b];
                            rr -= yr;
                            ri -= yi;
                            tot += (double) yr * yr + (double) yi * yi;
                        }
                        for (int j = 0; j < n; j++) {
                            float[] yre = y[j][c].re(f), yim = y[j][c].im(f);
                            double w = tot > 1e-20 ? ((double) yre[b] * yre[b] + (double) yim[b] * yim[b]) / tot : 1.0 / n;
                            yre[b] = (float) (yre[b] + rr * w);
                            yim[b] = (float) (yim[b] + ri * w);
                        }
                    }
                }
            }
        });
        StemSet out = new StemSet(mix.clip().format(), mix.clip().frames());
        float[][][] d = new float[n][2][];
        org.stemroom.core.dsp.Stft[] stfts = new org.stemroom.core.dsp.Stft[2 * n];
        for (int job = 0; job < 2 * n; job++) {
            d[job / 2][job % 2] = ws.floats(mix.clip().frames());
            stfts[job] = ws.stft(mix.stft().nFft(), mix.stft().hop());
        }
        java.util.stream.IntStream.range(0, 2 * n).parallel().forEach(job ->
                stfts[job].synthesize(y[job / 2][job % 2], d[job / 2][job % 2]));
        for (int j = 0; j < n; j++) out.put(names.get(j), d[j]);
        return out;
    }
}
