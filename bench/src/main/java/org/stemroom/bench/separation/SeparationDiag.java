package org.stemroom.bench.separation;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.separation.modelfree.MaskCascade;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.separation.modelfree.SpectralMix;

/** Development aid: which share of each true source's energy each mask of the default recipe captures. */
public final class SeparationDiag {
    public static void main(String[] args) throws Exception {
        Path work = Paths.get("bench/target/separation-eval");
        boolean stereo = args.length > 0 && args[0].equals("stereo");
        ModelFreeSeparators.Settings st = new ModelFreeSeparators.Settings();
        for (int i = 1; i < args.length; i += 2) {
            java.lang.reflect.Field f = ModelFreeSeparators.Settings.class.getField(args[i]);
            if (f.getType() == int.class) f.setInt(st, Integer.parseInt(args[i + 1]));
            else f.setDouble(st, Double.parseDouble(args[i + 1]));
        }
        MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
        org.stemroom.separation.Separator sepr = ModelFreeSeparators.defaultSeparator(st);
        boolean brief = st.drumsFft > 0;
        double[] meanImp = new double[4];
        int songs = 0;
        for (SeparationEval.Song song : SeparationEval.evalSongs(work, Paths.get("/usr/share/sounds/sf2/FluidR3_GM.sf2"), 5)) {
            AudioClip mix = song.mix(stereo);
            Map<String, float[][]> refs = song.stems(stereo);
            SpectralMix sm = SpectralMix.of(mix);
            if (brief) {
                Map<String, float[][]> est = SeparationEval.mapStems(sepr.separate(mix));
                StringBuilder sb = new StringBuilder("  " + song.name + " SI-SDRi");
                int j = 0;
                for (String src : SeparationEval.STEMS) {
                    double imp = SeparationMetrics.siSdr(refs.get(src), est.get(src)) - SeparationMetrics.siSdr(refs.get(src), mix.samples());
                    meanImp[j++] += imp;
                    sb.append(String.format(Locale.ROOT, " %6.2f", imp));
                }
                System.out.println(sb);
                songs++;
                continue;
            }
            Map<String, float[][]> masks = rec.masks(sm);
            System.out.println(song.name + ": rows = masks, columns = share of true drums bass lead other energy");
            double[][] e = new double[masks.size()][4];
            double[] tot = new double[4];
            for (int c = 0; c < mix.channels(); c++) {
                int j = 0;
                for (String src : SeparationEval.STEMS) {
                    Spectrogram sp = sm.stft().analyze(refs.get(src)[c]);
                    int k = 0;
                    for (float[][] m : masks.values()) {
                        for (int f = 0; f < sp.frames(); f++) for (int b = 0; b < sp.bins(); b++) {
                            double p = sp.re(f)[b] * sp.re(f)[b] + sp.im(f)[b] * sp.im(f)[b];
                            e[k][j] += p * m[f][b] * m[f][b];
                            if (k == 0) tot[j] += p;
                        }
                        k++;
                    }
                    j++;
                }
            }
            int k = 0;
            for (String n : masks.keySet()) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-7s", n));
                for (int j = 0; j < 4; j++) sb.append(String.format(Locale.ROOT, " %6.3f", e[k][j] / tot[j]));
                System.out.println(sb);
                k++;
            }
            Map<String, float[][]> est = SeparationEval.mapStems(sm.apply(masks));
            StringBuilder sb = new StringBuilder("  SI-SDRi");
            int j = 0;
            for (String src : SeparationEval.STEMS) {
                double imp = SeparationMetrics.siSdr(refs.get(src), est.get(src)) - SeparationMetrics.siSdr(refs.get(src), mix.samples());
                meanImp[j++] += imp;
                sb.append(String.format(Locale.ROOT, " %6.2f", imp));
            }
            System.out.println(sb);
            songs++;
        }
        System.out.printf(Locale.ROOT, "MEAN SI-SDRi drums %.2f bass %.2f lead %.2f other %.2f%n", meanImp[0] / songs,
                meanImp[1] / songs, meanImp[2] / songs, meanImp[3] / songs);
    }
}
