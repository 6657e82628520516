package org.stemroom.bench.separation;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.core.Progress;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.separation.Separation;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.modelfree.MaskCascade;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.separation.modelfree.SpectralMix;

/**
 * Development aid for tuning the default recipe: per song, the SI-SDR improvement of the recipe on its own window
 * grid (as render and plugin run it), next to the 200 Hz low-pass baseline; with {@code --masks}, which share of
 * each true source's energy each mask captures; with {@code --bands}, the bass estimate's error per frequency band
 * (where the bass goes wrong: too little of the true bass, or other sources' energy in it).
 *
 * <p>Usage: {@code SeparationDiag [--corpus DIR|midi] [--count N] [--mono] [--masks] [--bands] [SETTING VALUE]...}
 * where SETTING is a field of {@link ModelFreeSeparators.Settings}.
 */
public final class SeparationDiag {
    static final double[] BAND_EDGES = {0, 45, 70, 100, 150, 220, 320, 500, 1000, 22050};

    public static void main(String[] args) throws Exception {
        String corpus = "midi";
        int count = 12;
        boolean stereo = true, showMasks = false, showBands = false;
        double seconds = 0; // 0: whole songs; else the first seconds of each (quicker sweeps)
        ModelFreeSeparators.Settings st = new ModelFreeSeparators.Settings();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus": corpus = args[++i]; break;
                case "--count": count = Integer.parseInt(args[++i]); break;
                case "--mono": stereo = false; break;
                case "--masks": showMasks = true; break;
                case "--bands": showBands = true; break;
                case "--seconds": seconds = Double.parseDouble(args[++i]); break;
                default: {
                    java.lang.reflect.Field f = ModelFreeSeparators.Settings.class.getField(args[i]);
                    if (f.getType() == int.class) f.setInt(st, Integer.parseInt(args[++i]));
                    else f.setDouble(st, Double.parseDouble(args[++i]));
                }
            }
        }
        List<NeuralEval.Item> st2 = new ArrayList<>(), mono = new ArrayList<>();
        String src = HeldOutSongs.load(corpus, count, 0, Paths.get("bench/target/separation-eval"), st2, mono);
        System.out.println(src + (stereo ? ", stereo" : ", mono"));
        List<NeuralEval.Item> items = stereo ? st2 : mono;
        double[] meanImp = new double[4], meanLp = new double[2];
        for (NeuralEval.Item song : items) {
            AudioClip mix = song.mix();
            Map<String, float[][]> refs = song.refs();
            if (seconds > 0 && seconds * mix.sampleRate() < mix.frames()) {
                int n = (int) (seconds * mix.sampleRate());
                mix = cut(mix.samples(), n, mix);
                Map<String, float[][]> r = new LinkedHashMap<>();
                for (Map.Entry<String, float[][]> e : refs.entrySet()) r.put(e.getKey(), cut(e.getValue(), n, mix).samples());
                refs = r;
            }
            Separation sep = new Separation(ModelFreeSeparators.defaultSeparator(st));
            StemSet out = sep.separate(mix, Progress.NONE);
            Map<String, float[][]> est = SeparationEval.mapStems(out);
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-12s SI-SDRi", song.name()));
            int j = 0;
            for (String s : SeparationEval.STEMS) {
                double imp = SeparationMetrics.siSdr(refs.get(s), est.get(s)) - SeparationMetrics.siSdr(refs.get(s), mix.samples());
                meanImp[j++] += imp;
                sb.append(String.format(Locale.ROOT, " %6.2f", imp));
            }
            Map<String, float[][]> lp = SeparationEval.lowPassBaseline(mix);
            double lpBass = SeparationMetrics.siSdr(refs.get("bass"), lp.get("bass")) - SeparationMetrics.siSdr(refs.get("bass"), mix.samples());
            double lpLead = SeparationMetrics.siSdr(refs.get("lead"), lp.get("lead")) - SeparationMetrics.siSdr(refs.get("lead"), mix.samples());
            meanLp[0] += lpBass;
            meanLp[1] += lpLead;
            sb.append(String.format(Locale.ROOT, "   LP200 bass %6.2f lead %6.2f", lpBass, lpLead));
            System.out.println(sb);
            if (showBands) bands(mix, refs, est);
            if (showMasks) masks(mix, refs, st);
        }
        int n = items.size();
        System.out.printf(Locale.ROOT, "MEAN SI-SDRi drums %.2f bass %.2f lead %.2f other %.2f   (LP200 bass %.2f lead %.2f)%n",
                meanImp[0] / n, meanImp[1] / n, meanImp[2] / n, meanImp[3] / n, meanLp[0] / n, meanLp[1] / n);
    }

    private static AudioClip cut(float[][] x, int n, AudioClip like) {
        float[][] y = new float[x.length][];
        for (int c = 0; c < x.length; c++) y[c] = java.util.Arrays.copyOf(x[c], n);
        return new AudioClip(like.format(), y);
    }

    /**
     * Per band: the true bass's energy, the bass estimate's energy, and the error energy split into the part of
     * the true bass the estimate missed and the part of the other sources it took (bins where the estimate's
     * magnitude is below / above the true bass's); all in dB relative to the true bass's total energy.
     */
    static void bands(AudioClip mix, Map<String, float[][]> refs, Map<String, float[][]> est) {
        SpectralMix sm = SpectralMix.of(mix);
        int nb = BAND_EDGES.length - 1;
        double[] ref = new double[nb], got = new double[nb], missed = new double[nb], taken = new double[nb];
        Map<String, double[]> srcPow = new LinkedHashMap<>();
        for (String s : SeparationEval.STEMS) srcPow.put(s, new double[nb]);
        double total = 0;
        for (int c = 0; c < mix.channels(); c++) {
            Spectrogram r = sm.stft().analyze(refs.get("bass")[c]);
            Spectrogram e = sm.stft().analyze(est.get("bass")[c]);
            Map<String, Spectrogram> all = new LinkedHashMap<>();
            for (String s : SeparationEval.STEMS) all.put(s, sm.stft().analyze(refs.get(s)[c]));
            for (int f = 0; f < r.frames(); f++) {
                for (int b = 0; b < r.bins(); b++) {
                    int band = band(b * sm.binHz());
                    double pr = sq(r.re(f)[b], r.im(f)[b]), pe = sq(e.re(f)[b], e.im(f)[b]);
                    double pd = sq(e.re(f)[b] - r.re(f)[b], e.im(f)[b] - r.im(f)[b]);
                    ref[band] += pr;
                    got[band] += pe;
                    total += pr;
                    if (pe < pr) missed[band] += pd; else taken[band] += pd;
                    for (String s : SeparationEval.STEMS) {
                        Spectrogram x = all.get(s);
                        srcPow.get(s)[band] += sq(x.re(f)[b], x.im(f)[b]);
                    }
                }
            }
        }
        StringBuilder h = new StringBuilder("    band Hz      ");
        for (int i = 0; i < nb; i++) h.append(String.format(Locale.ROOT, " %5.0f-", BAND_EDGES[i]));
        System.out.println(h);
        row("true bass", ref, total);
        row("estimate", got, total);
        row("err missed", missed, total);
        row("err taken", taken, total);
        for (String s : SeparationEval.STEMS) if (!s.equals("bass")) row("src " + s, srcPow.get(s), total);
    }

    private static void row(String name, double[] v, double total) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "    %-13s", name));
        for (double x : v) sb.append(String.format(Locale.ROOT, " %6.1f", 10 * Math.log10(x / total + 1e-12)));
        System.out.println(sb);
    }

    private static int band(double hz) {
        for (int i = 1; i < BAND_EDGES.length; i++) if (hz < BAND_EDGES[i]) return i - 1;
        return BAND_EDGES.length - 2;
    }

    private static double sq(double re, double im) { return re * re + im * im; }

    /** Rows = the recipe's masks (whole song at once), columns = share of true drums, bass, lead, other energy. */
    static void masks(AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st) {
        MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
        SpectralMix sm = SpectralMix.of(mix);
        Map<String, float[][]> masks = rec.masks(sm);
        double[][] e = new double[masks.size()][4];
        double[] tot = new double[4];
        for (int c = 0; c < mix.channels(); c++) {
            int j = 0;
            for (String src : SeparationEval.STEMS) {
                Spectrogram sp = sm.stft().analyze(refs.get(src)[c]);
                int k = 0;
                for (float[][] m : masks.values()) {
                    for (int f = 0; f < sp.frames(); f++) for (int b = 0; b < sp.bins(); b++) {
                        double p = sq(sp.re(f)[b], sp.im(f)[b]);
                        e[k][j] += p * m[f][b] * m[f][b];
                        if (k == 0) tot[j] += p;
                    }
                    k++;
                }
                j++;
            }
        }
        System.out.println("    masks: share of true drums bass lead other energy");
        int k = 0;
        for (String n : masks.keySet()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "    %-7s", n));
            for (int j = 0; j < 4; j++) sb.append(String.format(Locale.ROOT, " %6.3f", e[k][j] / tot[j]));
            System.out.println(sb);
            k++;
        }
    }
}
