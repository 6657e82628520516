package org.stemroom.separation.onnx;

import java.util.List;
import java.util.stream.IntStream;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.separation.Separator;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.separation.StemSet;

/**
 * The model-free recipe's opinion as the second input of a hybrid network (manifest field {@code prior}): per
 * channel, stem, frame and bin the ratio {@code r_k = |S_k| / sum_j |S_j|} of the recipe's stem estimates analysed
 * with the model's STFT (bins where every stem is silent split evenly), quantised to {@link #LEVELS} steps.
 *
 * <p>The training cache stores these ratios as one byte each (a stereo minute of four stems would otherwise take
 * 170 MB as floats); quantising at inference as well keeps what the network sees in use identical to what it was
 * trained on. Training ({@code org.stemroom.trainer}) and {@link HybridSeparator} both compute the prior here, so
 * there is one definition of it.
 */
public final class ModelFreePrior {
    /**
     * The first hybrid's prior: the model-free recipe as it was when that network was trained (280 Hz bass split),
     * without its Wiener step (the network and the optional Wiener stage refine).
     */
    public static final String RECIPE_280 = "modelfree-fast";
    /** The prior of hybrids trained on the 220 Hz bass split recipe (the model-free default since session 3). */
    public static final String RECIPE_220 = "modelfree-fast-220";
    /** The prior new training runs use unless told otherwise. */
    public static final String RECIPE = RECIPE_220;
    /** Every prior a manifest may name. */
    public static final List<String> RECIPES = List.of(RECIPE_280, RECIPE_220);
    /** Quantisation steps of a ratio: byte value {@code q} means {@code q / LEVELS}. */
    public static final int LEVELS = 255;

    private ModelFreePrior() { }

    /**
     * A fresh instance of the recipe a manifest names (it carries window-to-window memory: one per separator).
     * Every setting is written out here rather than taken from {@link ModelFreeSeparators.Settings}' defaults: a
     * trained network must see the same prior whatever the model-free default becomes later.
     */
    public static Separator recipe(String name) throws StemroomException {
        if (!RECIPES.contains(name)) {
            throw new StemroomException("unknown prior recipe '" + name + "' (known: " + String.join(", ", RECIPES) + ")");
        }
        ModelFreeSeparators.Settings s = new ModelFreeSeparators.Settings();
        s.harmonicSeconds = 0.4;
        s.percussiveHz = 250;
        s.hpssPower = 2;
        s.drumsHighSplitHz = 6000;
        s.bassSplitHz = RECIPE_280.equals(name) ? 280 : 220;
        s.kickSplitHz = 200;
        s.kickHarmonicSeconds = 0.5;
        s.kickMonoHarmonicSeconds = 0.5; // mono's own span (session 20): the networks saw the shared one
        s.kickPercussiveHz = 40;
        s.softPower = 1.5;
        s.wiener = 0;
        s.drumsFft = 0;
        // the kick / bass decisions of then (modelfree added these later; off or neutral as the networks saw them)
        s.kickLines = 0;
        s.kickLeakage = 0;
        s.kickDecimate = 0; // the full long transform, as when the networks were trained (the same input bits)
        s.bassPanWidth = 0.1;
        s.bassPanFloor = 1;
        s.bassPanHold = 1; // inert with bassPanFloor 1 (no pan weighting), written out all the same (session 29)
        s.bassHarmonicsHz = 0;
        s.leadWidthBins = 1.0;
        s.leadWidthCents = 25;
        s.leadMonoWidthCents = 25;
        s.leadSlopeWidth = 0;
        s.bassWidthCents = 25;
        s.bassProfileWidthCents = 25;
        s.bassMonoEvidenceHz = 280; // inert with bassHarmonicsHz 0 (no partials), written out all the same
        s.bassPanShare = 0; // likewise
        s.bassSalienceInterp = 0; // likewise
        s.bassProfileMono = 0; // likewise
        s.bassNoteBackground = 0; // likewise
        s.bassEnvelope = 0; // likewise
        s.bassWienerImageHz = 0; // inert with wiener 0 (no Wiener step), written out all the same
        s.wienerImageDrums = 0; // likewise
        s.wienerImageOther = 0; // likewise
        s.wienerImageLead = 0; // likewise
        s.wienerImageBass = 0; // likewise
        s.wienerImageDrumsRankOneHz = 0; // likewise
        s.bassCapDirection = 0; // inert with bassHarmonicsHz 0 (no partials), written out all the same
        s.bassNoteRise = 0; // likewise
        s.bassMonoEnvelope = 0; // likewise
        s.bassMonoEnvelopeLevelScale = 3; // inert with bassMonoEnvelope 0, written out all the same (session 34)
        s.voicing = 0.12;
        s.leadMonoVoicing = 0.12;
        s.panWidth = 0.08;
        s.panFloor = 0.25;
        s.leadPeaks = 1;
        s.leadSearchCents = 40;
        s.leadEnvelope = 0;
        s.drumsLines = 0;
        s.panPrior = 0;
        s.panPriorRestPower = 0; // inert with panPrior 0 (no prior), written out all the same
        s.panPriorRestTopHz = 0;
        s.leadSalienceFloor = 1;
        s.leadSubharmonic = 0;
        s.drumsMidWeight = 1;
        s.drumsWashWeight = 1;
        s.drumsHighLineMargin = 0;
        s.drumsMonoSustain = 0; // mono's sustain evidence in the drums' main decision (session 35)
        s.kickTemplate = 0;
        s.kickAttack = 0; // inert with kickTemplate 0 (no template), written out all the same
        s.kickAttackShape = 0; // likewise
        s.kickMonoTemplate = 0.5; // inert likewise; mono's own weight and quantile as the shared ones were (session 28)
        s.kickMonoTemplateQuantile = 0.3;
        s.kickMonoPeakLags = 0; // likewise
        s.kickMonoPeakDecay = 0;
        s.kickMonoTemplateCarry = 0;
        s.kickMonoLearnAfterSeconds = 0; // likewise; the template learned less the note's later rise (session 33)
        s.kickLearnAfterSeconds = 0;
        s.kickPeakLags = 0; // stereo's likewise (session 29)
        s.kickPeakDecay = 0;
        s.kickTemplateCarry = 0;
        s.kickMonoBeforeBass = 0; // mono's kick share off the bass's partials before the low band (session 25)
        s.kickMonoOnCombTemplate = 0; // inert with both off, written out all the same; on the partials (session 32)
        s.kickMonoOnCombCap = 0; // its cap (session 32)
        s.kickMonoSharpen = 1; // mono's kick share sharpened (session 31)
        s.kickStereoBeforeBass = 0; // stereo's (session 26)
        s.kickRemainderPan = 0;
        s.kickHarmonicQuantile = 0.5; // the median along time, stereo and mono, as the networks saw it
        s.kickMonoHarmonicQuantile = 0.5;
        s.kickLowPercussiveHz = 0; // the kick decision's 40 Hz median along frequency down to 0 Hz, as the networks saw it
        s.kickMonoLowPercussiveHz = 0;
        s.kickComb = 0; // no comb evidence in the kick decision, as the networks saw it
        s.kickMonoComb = 0; // mono's own weight (session 20) likewise
        s.kickBodySplitHz = 0; // the drums' main decision above the kick split its own, as the networks saw it
        s.kickMonoBodySplitHz = 0;
        s.kickBodyAfterBass = 0; // inert with kickBodySplitHz 0 and kickRemainderPan 0, written out all the same
        s.kickMonoCombTopHz = 200; // inert with kickMonoComb 0, written out all the same
        s.bassMonoCombFloor = 1;
        s.bassMonoCombUpperHz = 0; // inert with bassMonoCombFloor 1 (no comb), written out all the same
        s.bassMonoCombRest = 1; // likewise
        s.bassMonoCarriedReference = 0; // inert with bassHarmonicsHz 0 (no bass tracker), written out all the same
        s.bassMonoTimbreOctave = 0; // likewise
        s.bassMonoTimbreVoicing = 0; // likewise
        s.bassMonoFundamental = 0; // likewise
        s.bassMonoChordStart = 0; // likewise (session 31)
        s.bassMonoChordLevel = 0;
        s.bassTakenVoicing = 1; // likewise (session 22)
        s.bassMonoTakenVoicing = 1;
        s.bassMonoTakenVoicingBins = 0; // inert with the share 1, written out all the same
        s.bassTakenVoicingKeep = 0; // likewise (session 25)
        s.bassRest = 1; // likewise (session 30)
        s.bassStereoFundamental = 0; // likewise (session 31)
        s.bassStereoFundamentalFloor = 0;
        s.bassStereoCombFloor = 1; // likewise (session 32)
        s.bassExtendHz = 0; // likewise (session 33)
        s.bassMonoExtendHz = 0; // likewise (session 34)
        s.bassKickDemix = 0; // likewise (session 35)
        s.kickRemainderMono = 0;
        s.leadMonoReleaseTail = 0;
        s.leadMonoSpacingCap = 0;
        s.leadMonoHeldParts = 0;
        s.leadMinHz = 75;
        s.leadMonoRegister = 1;
        s.leadMonoJumpPenalty = Double.NaN;
        s.leadMonoValleys = 0;
        s.leadMonoTimbreOctave = 0;
        s.leadMaxHz = 1400;
        // the window grid the networks were trained and shipped on (1 s windows, 0.25 s cross-fades), whatever the
        // model-free default's grid becomes: the hybrid runs its recipe, and cross-fades its stems, on this grid
        s.windowSeconds = 1.0;
        s.overlapSeconds = 0.25;
        return ModelFreeSeparators.defaultRecipe(s);
    }

    /**
     * Whether the named prior is read from the recipe's masks ({@link MaskSampler}: {@link #RECIPE_220}) rather
     * than from re-analysing its time-domain stems with the model's STFT ({@link #ratios}: {@link #RECIPE_280}, kept
     * for the network trained on it). The masks need no synthesis of the recipe's stems and no second analysis of
     * them: 8 STFTs and 8 inverse STFTs fewer per stereo window.
     */
    public static boolean fromMasks(String name) {
        return RECIPE_220.equals(name);
    }

    /**
     * The recipe's masks sampled at the model's STFT grid, one recipe window at a time. The recipe analyses with a
     * 4096-point, hop-1024 STFT at 44.1 kHz, the model with 2048/512: a model frame centred at sample {@code c} of the
     * window reads the recipe's masks linearly interpolated at recipe frame {@code c / recipeHop}, and model bin
     * {@code b} (frequency {@code b * rate / nFft}) the recipe's bins around {@code r * b} ({@code r = recipeFft /
     * nFft}) through a triangle of half-width {@code r}, roughly the model window's wider main lobe; the
     * spectrum's symmetry gives the bins beyond 0 and Nyquist. Masks sum to one in every bin and the weights sum to
     * one, so the sampled ratios do too (before quantisation). Stereo and mono share one mask per stem, so both
     * channels get the same prior.
     */
    public static final class MaskSampler {
        private final org.stemroom.separation.modelfree.MaskCascade cascade;
        private final org.stemroom.separation.Workspace ws = new org.stemroom.separation.Workspace();
        private final List<String> order;
        private final int nFft;
        private final int hop;
        private final float[][][] masks;
        private int recipeHop;
        private int recipeFrames;
        private int ratio;
        private float[] binWeights;

        public MaskSampler(String name, List<String> order, int nFft, int hop) throws StemroomException {
            if (!fromMasks(name)) throw new StemroomException("prior '" + name + "' is not read from masks");
            this.cascade = (org.stemroom.separation.modelfree.MaskCascade) ModelFreePrior.recipe(name);
            if (!cascade.stemNames().containsAll(order)) {
                throw new StemroomException("prior recipe '" + name + "' gives " + cascade.stemNames() + ", the model needs " + order);
            }
            this.order = List.copyOf(order);
            this.nFft = nFft;
            this.hop = hop;
            this.masks = new float[order.size()][][];
        }

        /** The recipe's separator (chunking and stem names of the hybrid). */
        public Separator recipe() { return cascade; }

        /** Empties the recipe's window-to-window memory (start of a new input). */
        public void reset() { cascade.reset(); }

        /** Runs the recipe on one window (its masks are kept until the next call). */
        public void analyse(org.stemroom.core.AudioClip window) throws StemroomException {
            ws.rewind();
            org.stemroom.separation.modelfree.SpectralMix mix = org.stemroom.separation.modelfree.SpectralMix.of(window, ws);
            java.util.Map<String, float[][]> m = cascade.masks(mix);
            for (int k = 0; k < order.size(); k++) masks[k] = m.get(order.get(k));
            int rFft = mix.stft().nFft();
            if (rFft % nFft != 0 || rFft < nFft) {
                throw new StemroomException("the recipe's FFT size " + rFft + " is not a multiple of the model's " + nFft);
            }
            recipeHop = mix.stft().hop();
            recipeFrames = mix.frames();
            if (rFft / nFft != ratio) {
                ratio = rFft / nFft;
                binWeights = new float[2 * ratio - 1];
                for (int d = -(ratio - 1); d <= ratio - 1; d++) binWeights[d + ratio - 1] = (ratio - Math.abs(d)) / (float) (ratio * ratio);
            }
        }

        /**
         * Adds {@code weight} times the sampled masks of the last window at the model frame centred {@code centre}
         * samples after the window's start to {@code acc[stem][bin]}.
         */
        public void accumulate(double centre, double weight, double[][] acc) {
            double p = Math.max(0, centre / recipeHop);
            int f0 = Math.min((int) p, recipeFrames - 1), f1 = Math.min(f0 + 1, recipeFrames - 1);
            double a = Math.min(1, p - f0);
            int rBins = masks[0][0].length, bins = nFft / 2 + 1;
            for (int k = 0; k < masks.length; k++) {
                float[] m0 = masks[k][f0], m1 = masks[k][f1];
                double[] out = acc[k];
                for (int b = 0; b < bins; b++) {
                    double v = 0;
                    for (int d = -(ratio - 1); d <= ratio - 1; d++) {
                        int j = ratio * b + d;
                        if (j < 0) j = -j;
                        if (j >= rBins) j = 2 * (rBins - 1) - j;
                        v += binWeights[d + ratio - 1] * ((1 - a) * m0[j] + a * m1[j]);
                    }
                    out[b] += weight * v;
                }
            }
        }

        /**
         * Quantised ratios {@code [stem][frame][bin]} of one window of {@code length} samples, at the model frames
         * of that window (what {@link HybridSeparator} feeds the network).
         */
        public byte[][][] window(org.stemroom.core.AudioClip window) throws StemroomException {
            analyse(window);
            int frames = new Stft(nFft, hop, org.stemroom.core.dsp.Window.hann(nFft)).frameCount(window.frames());
            int bins = nFft / 2 + 1, st = order.size();
            byte[][][] q = new byte[st][frames][bins];
            double[][] acc = new double[st][bins];
            for (int t = 0; t < frames; t++) {
                for (double[] row : acc) java.util.Arrays.fill(row, 0);
                accumulate((double) t * hop, 1, acc);
                for (int k = 0; k < st; k++) quantise(acc[k], q[k][t]);
            }
            return q;
        }

        /**
         * Quantised ratios {@code [channel][stem][frame][bin]} of a whole song (training), its recipe run window by
         * window on the grid {@link org.stemroom.separation.Separation} cuts it at; where two windows overlap the
         * masks are cross-faded with the same cos²/sin² weights the stems get there. Every channel gets the same
         * (shared) arrays.
         */
        public byte[][][][] song(org.stemroom.core.AudioClip song, int frames) throws StemroomException {
            reset();
            int len = song.frames(), ch = song.channels(), st = order.size(), bins = nFft / 2 + 1;
            org.stemroom.separation.WindowGrid grid = org.stemroom.separation.WindowGrid.of(song.sampleRate(),
                    cascade.maxChunkSeconds(), cascade.chunkOverlapSeconds());
            int window = grid.window(), overlap = grid.overlap(), gHop = grid.hop();
            double[][][] acc = new double[frames][st][bins];
            for (int s0 = 0; ; s0 += gHop) {
                int n = Math.min(window, len - s0);
                boolean first = s0 == 0, last = s0 + window >= len;
                float[][] x = new float[ch][];
                for (int c = 0; c < ch; c++) x[c] = java.util.Arrays.copyOfRange(song.channel(c), s0, s0 + n);
                analyse(new org.stemroom.core.AudioClip(song.format(), x));
                int tFrom = (int) Math.ceil(s0 / (double) hop);
                for (int t = tFrom; t < frames; t++) {
                    double c = (double) t * hop - s0;
                    if (c >= n && !last) break;
                    double w = 1;
                    if (!first && c < overlap) w = Math.pow(Math.sin(0.5 * Math.PI * c / overlap), 2);
                    if (!last && c >= gHop) w = Math.pow(Math.cos(0.5 * Math.PI * (c - gHop) / overlap), 2);
                    if (w > 0) accumulate(c, w, acc[t]);
                }
                if (last) break;
            }
            byte[][][] q = new byte[st][frames][bins];
            for (int t = 0; t < frames; t++) for (int k = 0; k < st; k++) quantise(acc[t][k], q[k][t]);
            byte[][][][] out = new byte[ch][][][];
            for (int c = 0; c < ch; c++) out[c] = q;
            return out;
        }

        private static void quantise(double[] v, byte[] out) {
            for (int b = 0; b < v.length; b++) out[b] = (byte) Math.round(LEVELS * Math.max(0, Math.min(1, v[b])));
        }
    }

    /** The ratio a stored byte stands for. */
    public static float value(byte q) {
        return (q & 0xFF) / (float) LEVELS;
    }

    /**
     * Quantised ratios {@code [channel][stem][frame][bin]} of the recipe's stems (time domain, the clip's channels,
     * all of {@code order} present) analysed with {@code nFft}/{@code hop} periodic Hann frames, centred, zero padded
     * (the model's STFT). Each (stem, channel) is analysed on its own task with its own STFT: the same bytes for any
     * thread count.
     */
    public static byte[][][][] ratios(StemSet stems, List<String> order, int nFft, int hop) throws StemroomException {
        for (String s : order) {
            if (!stems.has(s)) throw new StemroomException("the prior recipe gave no stem '" + s + "' (it gave " + stems.names() + ")");
        }
        int ch = stems.channels(), st = order.size();
        Spectrogram[][] spec = new Spectrogram[st][ch];
        float[] window = org.stemroom.core.dsp.Window.hann(nFft);
        IntStream.range(0, st * ch).parallel().forEach(job -> {
            int k = job / ch, c = job % ch;
            spec[k][c] = new Stft(nFft, hop, window).analyze(stems.get(order.get(k)).channel(c), Stft.Padding.ZERO);
        });
        int frames = spec[0][0].frames(), bins = spec[0][0].bins();
        byte[][][][] q = new byte[ch][st][frames][bins];
        IntStream.range(0, ch).parallel().forEach(c -> {
            double[] mag = new double[st];
            byte even = (byte) Math.round(LEVELS / (double) st);
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    double sum = 0;
                    for (int k = 0; k < st; k++) {
                        double re = spec[k][c].re(f)[b], im = spec[k][c].im(f)[b];
                        sum += mag[k] = Math.sqrt(re * re + im * im);
                    }
                    for (int k = 0; k < st; k++) {
                        q[c][k][f][b] = sum > 0 ? (byte) Math.round(LEVELS * mag[k] / sum) : even;
                    }
                }
            }
        });
        return q;
    }
}
