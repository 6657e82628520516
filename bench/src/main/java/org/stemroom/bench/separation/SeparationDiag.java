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
import org.stemroom.separation.modelfree.BassPartialsStep;
import org.stemroom.separation.modelfree.HpssStep;
import org.stemroom.separation.modelfree.LeadStep;
import org.stemroom.separation.modelfree.MaskCascade;
import org.stemroom.separation.modelfree.MaskStep;
import org.stemroom.separation.modelfree.ModelFreeSeparators;
import org.stemroom.separation.modelfree.SpectralMix;

/**
 * Development aid for tuning the default recipe: per song, the SI-SDR improvement of the recipe on its own window
 * grid (as render and plugin run it), next to the 200 Hz low-pass baseline; with {@code --masks}, which share of
 * each true source's energy each mask captures; with {@code --bands}, the bass estimate's error per frequency band
 * (where the bass goes wrong: too little of the true bass, or other sources' energy in it).
 *
 * With {@code --bass}, the bass's ceilings: how much of the true bass lies above 220 / 400 / 1000 Hz, the oracle
 * ratio mask of the bass restricted to below those frequencies, and per band which of the recipe's masks holds the
 * true bass's energy (what a low-band bass can reach at best, and where the recipe's bass loses it).
 *
 * With {@code --lead}, the lead's pitch track against the track the same tracker finds on the true lead alone (the
 * reference): the share of the true lead's energy in frames tracked right (within 50 cents), at a harmonic or
 * sub-harmonic of the right pitch, at another wrong pitch, or left unvoiced, and the share of frames voiced where the
 * lead is silent (whole clip at once, as {@code --masks}); then the whole-clip separation with the tracked pitch and
 * with the reference track given (how much a perfect tracker would gain), and the two halves of that bound: the
 * recipe's pitches voiced only where the reference is (what a perfect voicing would gain) and the reference's pitches
 * in the frames both voice (what perfect pitches would gain). Session 18, mono bass, first 12 s: +0.92 / +0.38 dB of
 * bass held-out, +0.99 / +0.68 training (the whole bound +1.42 / +1.92).
 *
 * With {@code --bass-track}, the same for the bass's tracker against the score ({@link MidiBassTrack}), then the
 * tracked figures and the bounds once more on the recipe's window grid ({@link #windowed}): the whole-clip figures
 * judge a tracker whose voicing reference is the clip's, which the recipe's is not. Between them, the note cues of
 * {@link #noteCues} (session 30: the notes' upper partials, the lead's pitch, the level against the voiced frames',
 * scored against falsely voiced notes) and, on the whole-clip line, the recipe's track with the notes on the lead's
 * pitch unvoiced.
 *
 * With {@code --focus STEM} (drums, bass, lead, other), where one stem's error comes from, per band of {@link
 * #FOCUS_EDGES}: which of the recipe's masks hold the stem's true energy, how much of each other source its mask
 * takes (relative to the stem's own energy in that band), and the SI-SDRi of the stem's masked mixture (the recipe's
 * masks, whole clip, no Wiener step) when that one band's mask is replaced by the oracle ratio mask: the bands where
 * a perfect decision would gain most.
 *
 * With {@code --kick}, the kick-or-bass decision below 150 Hz bin by bin (0-60 and 60-150 Hz): the bins grouped by
 * which source holds most of their energy (the drums or the bass at least {@link #DOMINANT} of the sources' summed
 * magnitude, or neither), each group's share of the band's energy and the drums' and the bass's masks there against the
 * oracle ratio's (energy-weighted means, the recipe's masks on the whole clip at once): a mask that hedges where one
 * source is alone shows as a drums mask well below the oracle's in the drums' bins, or above it in the bass's. Then, at
 * 60-150 Hz, which step of the cascade sets those masks ({@link #kickSteps}; session 25).
 *
 * With {@code --kick-causes}, the drums' 60-150 Hz band bound of {@code --focus} split by cause: the oracle in the
 * frames where the true drums and bass both sound, the drums alone, no drums; by the frames since the true drums'
 * onset; the drums-against-bass and drums-against-the-rest decisions alone; the drums mask's misses and its takes;
 * the drums-against-bass decision on and off the bass tracker's harmonics ({@link #kickCauses}; session 31: held-out
 * mono, first 12 s, the band's +1.43 dB is +1.25 in the decision against the bass, +0.80 of it within a bin of the
 * tracked harmonics); on the harmonics, by the frames' place after a low onset ({@link #onsetSpans}; {@code
 * --onset-spans REACH,AFTER,CENTS}, default 0.15,0.1,50).
 *
 * With {@code --bass-pan} (stereo), per window of the recipe's grid, the pan position the low band weighted itself
 * towards against the peak of each true source's pan histogram below the bass's anchor, and the share of the true
 * bass's energy in the hops aimed off the bass ({@link #bassPan}; session 29).
 *
 * With {@code --kick-bound}, how the kick template's expected magnitude reads the true kick at 60-150 Hz (per lag from
 * the onset, per onset's span) and what the kick decision would score with the true drums' magnitude in its place
 * ({@link #kickBound}; session 27). {@code --kick-cap W1,W2,...} adds rows where E changes only on the bins within W
 * bins of the bass comb's tracked harmonics ({@link #kickCapBound}; session 28).
 *
 * With {@code --anchor-bound}, what the bass partials' anchor costs where the kick's template takes the bass's low
 * bins: masked SI-SDRi with the anchor read from the mixture, from what was available before the template took its
 * share or with its over-read gone, and from the true bass ({@link #anchorBound}; session 29). With {@code
 * --bands-seconds}, the bass's error by second below 60, at 60-150 and 150-300 Hz, missed and taken ({@link
 * #bandsSeconds}).
 *
 * With {@code --diff "SETTING VALUE ..."}, where and when each stem changes when those settings are put on top of the
 * others (each song separated twice, on the recipe's window grid): per band of {@link #FOCUS_EDGES}, the change in the
 * stem's error energy (positive: worse), as a percentage of the stem's true energy; then the seconds that changed the
 * most. A change made in one band shows up where it reaches: the session 17 stereo kick quantile (60-150 Hz) cost
 * training song 0's lead in the first second only, at 300-3000 Hz (its first window's pitch track, whose evidence is
 * not yet weighted towards the lead's pan position, took another note).
 *
 * With {@code --comb}, the bass partials' comb (mono: mono's own learned-level step's) against the window's main
 * lobe, in the bands of {@link #COMB_EDGES}: the bins of voiced frames grouped by their distance (bins) to the nearest
 * harmonic of the comb's tracked pitch ({@link #COMB_OFFSETS}), each group's share of the band's true bass energy, the
 * bass mask's and the oracle ratio mask's energy-weighted mean there ({@code sum p m^2 / sum p}, as {@code --focus}),
 * the other sources' energy the bass mask takes there (relative to the group's bass energy), and the bass stem's error
 * energy in the group (relative to the same), from the masks alone and after the recipe's Wiener step: whether a
 * partial's skirts go to the other stems, and what the Wiener step does to them. Unvoiced frames are a group of their
 * own. Then a table by partial number (bins within 1.5 bins of a harmonic): which mask holds the bass there and how
 * much of each other source the bass mask takes. {@code --comb-hz E0,E1,...} sets the bands' edges (Hz) instead, e.g.
 * {@code 60,100,150} for the kick-or-bass band (session 24, mono: the drums mask held 0.1-0.3 of the bass's energy on
 * its first partials where the others lay 3-16 dB below it).
 *
 * With {@code --after STEM}, the bounds of {@code --focus} measured on the recipe's final stems (after its Wiener
 * step, on its window grid), per band of {@link #FOCUS_EDGES} and per rival: in one band, the final estimates of STEM
 * and of one rival summed and split again by the oracle ratio of the two true sources ({@code |S_stem| / (|S_stem| +
 * |S_rival|)}, per channel), the other bands and stems as the recipe left them; the gain in STEM's SI-SDRi, whole
 * ("split"), and its two halves: the rival's estimate's share of STEM given back ("back"), the rival's share of STEM's
 * estimate removed ("out"). Row "all": the rival is every other stem (their sum with STEM is the mixture: the oracle
 * ratio mask in that band); row "wiener": the band of STEM's final estimate replaced by the same recipe's masked
 * mixture (no Wiener step; positive: the Wiener step costs there). Which band and which rival hold what the Wiener
 * step leaves; the means over the songs
 * follow the recipe's MEAN line; {@code --after-hz E0,E1,...} sets the bands' edges (Hz). (Session 25: {@code --focus}'s bounds swap the oracle in before the Wiener step and
 * score the masked mixture, which the Wiener step's images no longer resemble.)
 *
 * With {@code --band-cues}, the bass's loss at 150-220 / 220-300 / 300-1000 Hz after the Wiener step by cell group
 * of the comb's track (unvoiced frames, off the comb, a note's attack, after it held to or risen above its common-fate
 * prediction; stereo: on the comb at or away from the true bass's pan position), and the gain of an oracle split of
 * each group alone ({@link #bandCues}; session 32: held-out stereo, 150-220 Hz, of the band's +0.51 dB off the comb
 * +0.13, risen +0.06, pan off +0.05).
 *
 * <p>Usage: {@code SeparationDiag [--corpus DIR|midi] [--count N] [--songs I,J,...] [--mono] [--masks] [--bands]
 * [--bass] [--bass-pan] [--lead] [--focus STEM] [--after STEM] [--kick] [--kick-bound] [--kick-cap W,...] [--anchor-bound]
 * [--bands-seconds] [--kick-causes] [--onset-spans R,A,C] [--band-cues] [--comb]
 * [--comb-hz E0,E1,...] [--diff "SETTING VALUE ..."] [SETTING VALUE]... [--vs "SETTING VALUE ..."]...}
 * where SETTING is a field of {@link
 * ModelFreeSeparators.Settings}; each {@code --vs} runs the songs again with those settings on top of the others
 * (one JVM, the songs read once: quicker sweeps).
 */
public final class SeparationDiag {
    static final double[] BAND_EDGES = {0, 45, 70, 100, 150, 220, 320, 500, 1000, 22050};

    /** The stem of {@code --after} (null: off), and its gains summed over the songs [rival][half][band]. */
    private static String after;
    private static double[][][] afterSum;
    private static int afterSongs;
    /** The {@code --after} bands' edges: {@link #FOCUS_EDGES} unless {@code --after-hz} gives others. */
    private static double[] afterEdges;

    /** The band of {@code --kick}'s table by step (Hz): 60-150 unless {@code --kick-steps-hz LO,HI} gives another. */
    private static double[] kickStepsHz = {60, 150};

    /** The corpus folder (null: the generated MIDI songs), for the score of {@code --bass-track}. */
    private static Path corpusDir;

    public static void main(String[] args) throws Exception {
        String corpus = "midi";
        int count = 12;
        boolean stereo = true, showMasks = false, showBands = false, showBass = false, showLead = false;
        String trackStem = "lead";
        String focus = null, diff = null;
        boolean showKick = false, showComb = false;
        java.util.Set<Integer> only = new java.util.HashSet<>();
        double seconds = 0; // 0: whole songs; else the first seconds of each (quicker sweeps)
        ModelFreeSeparators.Settings st = new ModelFreeSeparators.Settings();
        List<String> variants = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus": corpus = args[++i]; break;
                case "--count": count = Integer.parseInt(args[++i]); break;
                case "--mono": stereo = false; break;
                case "--masks": showMasks = true; break;
                case "--bands": showBands = true; break;
                case "--bass": showBass = true; break;
                case "--lead": showLead = true; break;
                case "--bass-track": showLead = true; trackStem = "bass"; break;
                case "--focus": focus = args[++i]; break;
                case "--after": after = args[++i]; break;
                case "--after-hz": afterEdges = java.util.Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray(); break;
                case "--diff": diff = args[++i]; break;
                case "--kick": showKick = true; break;
                case "--kick-steps-hz": showKick = true; kickStepsHz = java.util.Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray(); break;
                case "--bass-pan": bassPan = true; break;
                case "--kick-bound": kickBound = true; break;
                case "--kick-cap-hz": kickCapHz = java.util.Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray(); break;
                case "--kick-cap": kickBound = true; kickCapWidths = java.util.Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray(); break;
                case "--comb": showComb = true; break;
                case "--comb-gaps": showComb = true; combGaps = true; break;
                case "--note-decay": noteDecay = true; break;
                case "--anchor-bound": anchorBound = true; break;
                case "--note-context": noteContext = true; break;
                case "--bands-seconds": bandsSeconds = true; break;
                case "--kick-causes": kickCauses = true; break;
                case "--onset-spans": spanSeconds = java.util.Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray(); break;
                case "--band-cues": bandCues = true; break;
                case "--comb-hz": showComb = true; combEdges = java.util.Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray(); break;
                case "--songs": for (String x : args[++i].split(",")) only.add(Integer.parseInt(x.trim())); break;
                case "--seconds": seconds = Double.parseDouble(args[++i]); break;
                case "--vs": variants.add(args[++i]); break;
                default: set(st, args[i], args[++i]);
            }
        }
        List<NeuralEval.Item> st2 = new ArrayList<>(), mono = new ArrayList<>();
        if (!corpus.equals("midi")) corpusDir = Paths.get(corpus);
        String src = HeldOutSongs.load(corpus, count, 0, Paths.get("bench/target/separation-eval"), st2, mono);
        System.out.println(src + (stereo ? ", stereo" : ", mono"));
        List<NeuralEval.Item> items = new ArrayList<>();
        for (int i = 0; i < st2.size(); i++) if (only.isEmpty() || only.contains(i)) items.add(stereo ? st2.get(i) : mono.get(i));
        if (variants.isEmpty()) variants.add("");
        for (String v : variants) {
            ModelFreeSeparators.Settings sv = copy(st);
            String[] kv = v.isBlank() ? new String[0] : v.trim().split("\\s+");
            for (int i = 0; i + 1 < kv.length; i += 2) set(sv, kv[i], kv[i + 1]);
            if (!v.isBlank()) System.out.println("variant: " + v);
            ModelFreeSeparators.Settings sd = null;
            if (diff != null) {
                sd = copy(sv);
                String[] dv = diff.trim().split("\\s+");
                for (int i = 0; i + 1 < dv.length; i += 2) set(sd, dv[i], dv[i + 1]);
            }
            run(items, sv, seconds, showBands, showMasks, showBass, showLead ? trackStem : null, focus, showKick, showComb, sd);
        }
    }

    /** {@code --bass-pan}: the low band's pan position per window against the true sources' ({@link #bassPan}). */
    private static boolean bassPan;

    /**
     * {@code --bass-pan} (stereo): per window of the recipe's grid, the pan position the low band ({@link
     * org.stemroom.separation.modelfree.BassStep}) weighted itself towards, next to the peak of each true source's
     * energy histogram of pan positions below the bass's anchor (the split / 1.25; smoothed over five cells, as {@code
     * PanMemory} reads its own) and that source's energy there relative to the true bass's; then, per window, the
     * share of the true bass's energy in the hops where the low band aimed more than 0.05 from the bass's own peak.
     * Session 29: training song 4's low band
     * leaves the bass (0.55) for the other stem's low part (0.37, more energy below 176 Hz) in the windows where the
     * two histograms' carried peaks tie; with the position held at 0.55 its bass gains +4.4 dB.
     */
    static void bassPan(AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st) throws Exception {
        if (mix.channels() != 2) { System.out.println("    --bass-pan: stereo only"); return; }
        MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
        org.stemroom.separation.modelfree.BassStep low = null;
        for (MaskStep s : rec.steps()) if (s instanceof org.stemroom.separation.modelfree.BassStep) low = (org.stemroom.separation.modelfree.BassStep) s;
        if (low == null) { System.out.println("    --bass-pan: the recipe has no low band"); return; }
        List<Double> aims = new ArrayList<>();
        org.stemroom.separation.modelfree.BassStep lowStep = low;
        Separation sep = new Separation(new org.stemroom.separation.Separator() {
            @Override public String name() { return rec.name(); }
            @Override public List<String> stemNames() { return rec.stemNames(); }
            @Override public double maxChunkSeconds() { return rec.maxChunkSeconds(); }
            @Override public double chunkOverlapSeconds() { return rec.chunkOverlapSeconds(); }
            @Override public void reset() { rec.reset(); }
            @Override public StemSet separate(AudioClip clip) {
                StemSet out = rec.separate(clip);
                aims.add(lowStep.lastPan());
                return out;
            }
        });
        int hop = sep.grid(mix.sampleRate()).hop();
        sep.separate(mix, Progress.NONE);
        int win = (int) Math.round(st.windowSeconds * mix.sampleRate());
        double anchorHz = st.bassSplitHz / 1.25;
        double bassTotal = 0;
        for (float[] c : refs.get("bass")) for (float x : c) bassTotal += (double) x * x;
        System.out.println("    window   s    aim   bass (peak)  drums (peak, E/bass)  other (peak, E/bass)  lead (peak, E/bass)");
        double offEnergy = 0;
        for (int w = 0; w < aims.size(); w++) {
            long s0 = (long) w * hop;
            if (s0 >= mix.frames()) break;
            int n = (int) Math.min(win, mix.frames() - s0);
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "    %4d %6.2f  %5.2f", w, s0 / (double) mix.sampleRate(), aims.get(w)));
            double bassE = 0, bassPeak = Double.NaN;
            for (String s : new String[] {"bass", "drums", "other", "lead"}) {
                float[][] x = new float[2][];
                for (int c = 0; c < 2; c++) x[c] = java.util.Arrays.copyOfRange(refs.get(s)[c], (int) s0, (int) s0 + n);
                SpectralMix sm = SpectralMix.of(new AudioClip(mix.format(), x));
                double[] hist = new double[101];
                int top = (int) Math.ceil(anchorHz / sm.binHz());
                double e = 0;
                for (int f = 0; f < sm.frames(); f++) {
                    for (int b = 1; b < Math.min(top, sm.bins()); b++) {
                        double p = (double) sm.magnitude()[f][b] * sm.magnitude()[f][b];
                        hist[(int) Math.round(sm.pan()[f][b] * 100)] += p;
                        e += p;
                    }
                }
                double at = org.stemroom.separation.modelfree.BassStep.histogramPeak(hist);
                if (s.equals("bass")) {
                    bassE = e;
                    bassPeak = at;
                    sb.append(String.format(Locale.ROOT, "   %5.2f      ", bassPeak));
                } else {
                    sb.append(String.format(Locale.ROOT, "   %5.2f %7.1f dB     ", at, 10 * Math.log10((e + 1e-20) / (bassE + 1e-20))));
                }
            }
            if (Math.abs(aims.get(w) - bassPeak) > 0.05) {
                sb.append(" off");
                double e = 0;
                for (float[] c : refs.get("bass")) for (int i = (int) s0; i < s0 + Math.min(n, hop); i++) e += (double) c[i] * c[i];
                offEnergy += e;
            }
            System.out.println(sb);
        }
        System.out.printf(Locale.ROOT, "    the true bass's energy in hops aimed more than 0.05 off its own peak: %.1f %% of its whole%n",
                100 * offEnergy / Math.max(bassTotal, 1e-20));
    }

    /** Sets a field of the recipe's settings by name (int or double). */
    private static void set(ModelFreeSeparators.Settings st, String name, String value) throws Exception {
        java.lang.reflect.Field f = ModelFreeSeparators.Settings.class.getField(name);
        if (f.getType() == int.class) f.setInt(st, Integer.parseInt(value));
        else f.setDouble(st, Double.parseDouble(value));
    }

    private static ModelFreeSeparators.Settings copy(ModelFreeSeparators.Settings st) throws Exception {
        ModelFreeSeparators.Settings c = new ModelFreeSeparators.Settings();
        for (java.lang.reflect.Field f : ModelFreeSeparators.Settings.class.getFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) f.set(c, f.get(st));
        }
        return c;
    }

    private static void run(List<NeuralEval.Item> items, ModelFreeSeparators.Settings st, double seconds,
                            boolean showBands, boolean showMasks, boolean showBass, String showLead, String focus,
                            boolean showKick, boolean showComb, ModelFreeSeparators.Settings diff) throws Exception {
        double[] meanImp = new double[4], meanLp = new double[2];
        double[] worst = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] worstPlain = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
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
                worst[j] = Math.min(worst[j], imp);
                meanImp[j++] += imp;
                sb.append(String.format(Locale.ROOT, " %6.2f", imp));
            }
            // the issue's plain-SDR floor: each stem against the mixture scaled by its best gain
            sb.append("   SDR-bgSDR");
            j = 0;
            for (String s : SeparationEval.STEMS) {
                double plain = SeparationMetrics.sdr(refs.get(s), est.get(s))
                        - SeparationMetrics.sdr(refs.get(s), SeparationMetrics.bestGain(refs.get(s), mix.samples()));
                worstPlain[j] = Math.min(worstPlain[j++], plain);
                sb.append(String.format(Locale.ROOT, " %5.2f", plain));
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
            if (showBass) bass(mix, refs, est, st);
            if (showLead != null) track(showLead, song.name(), mix, refs, st);
            if (focus != null) focus(focus, mix, refs, st);
            if (after != null) {
                ModelFreeSeparators.Settings masked = copy(st);
                masked.wiener = 0;
                after(after, mix, refs, est, SeparationEval.mapStems(
                        new Separation(ModelFreeSeparators.defaultSeparator(masked)).separate(mix, Progress.NONE)));
            }
            if (bassPan) bassPan(mix, refs, st);
            if (showKick) kick(mix, refs, st);
            if (kickBound) kickBound(song.name(), mix, refs, st);
            if (showComb) comb(mix, refs, st);
            if (noteDecay) noteDecay(mix, refs, est, st);
            if (anchorBound) anchorBound(mix, refs, st);
            if (noteContext) noteContext(song.name(), mix, refs, st);
            if (bandsSeconds) printBandsSeconds(bandsSeconds(mix, refs, est));
            if (bandCues) {
                double[][][] g = bandCues(mix, refs, est, st);
                printBandCues(g, 1);
                if (bandCuesSum == null) bandCuesSum = new double[g.length][g[0].length][g[0][0].length];
                for (int a = 0; a < g.length; a++) for (int q = 0; q < g[a].length; q++) for (int k = 0; k < g[a][q].length; k++) bandCuesSum[a][q][k] += g[a][q][k];
                bandCuesSongs++;
            }
            if (kickCauses) {
                SpectralMix sm = SpectralMix.of(mix);
                MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
                Map<String, float[][]> masks = rec.masks(sm);
                double[] ct = combTrack(rec, mix.channels());
                double[][] kc = kickCauses(sm, refs, masks, ct, onsetSpans(rec, ct, spanSeconds[0] / sm.frameSeconds(),
                        spanSeconds[1] / sm.frameSeconds(), spanSeconds[2], sm.frames()));
                printKickCauses(kc);
                if (kickCausesSum == null) kickCausesSum = new double[kc.length][kc[0].length];
                for (int r = 0; r < kc.length; r++) for (int i = 0; i < kc[r].length; i++) kickCausesSum[r][i] += kc[r][i];
                kickCausesSongs++;
            }
            if (diff != null) {
                Map<String, float[][]> other = SeparationEval.mapStems(
                        new Separation(ModelFreeSeparators.defaultSeparator(diff)).separate(mix, Progress.NONE));
                diff(mix, refs, est, other);
            }
        }
        int n = items.size();
        System.out.printf(Locale.ROOT, "MEAN SI-SDRi drums %.2f bass %.2f lead %.2f other %.2f   (LP200 bass %.2f lead %.2f)"
                + "   worst %.2f / %.2f / %.2f / %.2f; SDR-bgSDR worst %.2f / %.2f / %.2f / %.2f%n", meanImp[0] / n,
                meanImp[1] / n, meanImp[2] / n, meanImp[3] / n, meanLp[0] / n, meanLp[1] / n, worst[0], worst[1], worst[2],
                worst[3], worstPlain[0], worstPlain[1], worstPlain[2], worstPlain[3]);
        if (kickCausesSongs > 0) {
            for (double[] r : kickCausesSum) for (int i = 0; i < r.length; i++) r[i] /= kickCausesSongs;
            System.out.println("MEAN --kick-causes over " + kickCausesSongs + " songs");
            printKickCauses(kickCausesSum);
            kickCausesSum = null;
            kickCausesSongs = 0;
        }
        if (bandCuesSongs > 0) {
            System.out.println("MEAN --band-cues over " + bandCuesSongs + " songs");
            printBandCues(bandCuesSum, bandCuesSongs);
            bandCuesSum = null;
            bandCuesSongs = 0;
        }
        if (after != null && afterSongs > 0) {
            System.out.println("MEAN after-Wiener bounds of " + after + " over " + afterSongs + " songs");
            printAfter(after, afterSum, afterSongs);
            afterSum = null;
            afterSongs = 0;
        }
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

    static final double[] BASS_CUTS_HZ = {220, 400, 1000};

    /**
     * The bass's ceilings and where its energy goes: the true bass's share above each of {@link #BASS_CUTS_HZ}; the
     * SI-SDRi of the oracle ratio mask of the bass ({@code |S_bass| / sum_k |S_k|}, as {@link SeparationEval#oracleIrm})
     * whole and restricted to below each cut (what a perfect decision inside a low band would reach); then per band
     * of {@link #BAND_EDGES} the share of the true bass's energy each of the recipe's masks holds (whole clip at once).
     */
    static void bass(AudioClip mix, Map<String, float[][]> refs, Map<String, float[][]> est, ModelFreeSeparators.Settings st) {
        SpectralMix sm = SpectralMix.of(mix);
        int len = mix.frames(), nc = BASS_CUTS_HZ.length;
        double[] above = new double[nc];
        double total = 0;
        float[][][] oracle = new float[nc + 1][mix.channels()][];
        MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
        Map<String, float[][]> masks = rec.masks(sm);
        int nb = BAND_EDGES.length - 1;
        double[][] share = new double[masks.size()][nb];
        double[] bandTotal = new double[nb];
        for (int c = 0; c < mix.channels(); c++) {
            Map<String, Spectrogram> specs = new LinkedHashMap<>();
            for (String s : SeparationEval.STEMS) specs.put(s, sm.stft().analyze(refs.get(s)[c]));
            Spectrogram x = sm.spectrum(c), bass = specs.get("bass");
            Spectrogram[] y = new Spectrogram[nc + 1];
            for (int k = 0; k <= nc; k++) y[k] = new Spectrogram(x.frames(), x.bins());
            for (int f = 0; f < x.frames(); f++) {
                for (int b = 0; b < x.bins(); b++) {
                    double hz = b * sm.binHz(), tot = 0;
                    for (Spectrogram sp : specs.values()) tot += Math.hypot(sp.re(f)[b], sp.im(f)[b]);
                    double mb = Math.hypot(bass.re(f)[b], bass.im(f)[b]);
                    double m = tot > 0 ? mb / tot : 0.25, p = mb * mb;
                    total += p;
                    bandTotal[band(hz)] += p;
                    for (int k = 0; k <= nc; k++) {
                        double g = k == nc || hz < BASS_CUTS_HZ[k] ? m : 0;
                        y[k].re(f)[b] = (float) (x.re(f)[b] * g);
                        y[k].im(f)[b] = (float) (x.im(f)[b] * g);
                        if (k < nc && hz >= BASS_CUTS_HZ[k]) above[k] += p;
                    }
                    int q = 0;
                    for (float[][] mk : masks.values()) share[q++][band(hz)] += p * mk[f][b] * mk[f][b];
                }
            }
            for (int k = 0; k <= nc; k++) oracle[k][c] = sm.stft().synthesize(y[k], len);
        }
        float[][] ref = refs.get("bass");
        double base = SeparationMetrics.siSdr(ref, mix.samples());
        StringBuilder sb = new StringBuilder("    bass energy above");
        for (int k = 0; k < nc; k++) sb.append(String.format(Locale.ROOT, " %.0f Hz %.0f %%,", BASS_CUTS_HZ[k], 100 * above[k] / total));
        sb.append("  SI-SDRi oracle");
        for (int k = 0; k < nc; k++) sb.append(String.format(Locale.ROOT, " <%.0f %.2f,", BASS_CUTS_HZ[k], SeparationMetrics.siSdr(ref, oracle[k]) - base));
        sb.append(String.format(Locale.ROOT, " all %.2f; recipe %.2f", SeparationMetrics.siSdr(ref, oracle[nc]) - base,
                SeparationMetrics.siSdr(ref, est.get("bass")) - base));
        System.out.println(sb);
        StringBuilder h = new StringBuilder("    bass energy in mask ");
        for (int i = 0; i < nb; i++) h.append(String.format(Locale.ROOT, " %5.0f-", BAND_EDGES[i]));
        System.out.println(h);
        int q = 0;
        for (String n : masks.keySet()) {
            StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "    %-19s", n));
            for (int i = 0; i < nb; i++) r.append(String.format(Locale.ROOT, " %6.2f", bandTotal[i] > 0 ? share[q][i] / bandTotal[i] : 0));
            System.out.println(r);
            q++;
        }
        StringBuilder r = new StringBuilder("    (band's share)     ");
        for (int i = 0; i < nb; i++) r.append(String.format(Locale.ROOT, " %6.2f", bandTotal[i] / total));
        System.out.println(r);
    }


    /** Pitch errors this far from the reference (cents) count as right; harmonic ratios checked for "harmonic" errors. */
    static final double RIGHT_CENTS = 50;
    static final double[] HARMONIC_RATIOS = {2, 3, 4, 0.5, 1 / 3.0, 0.25, 1.5, 2 / 3.0};

    /**
     * The recipe's lead track (whole clip at once) against a reference, frames weighted by the true stem's energy:
     * tracked right, at a harmonic ratio of the right pitch, wrong, unvoiced; and the frames voiced where the
     * reference is unvoiced, by which true source holds most of the energy at the voiced pitch's first partials (a
     * kick's thump taken for a note shows as drums). For the bass of a corpus song the reference is the score (its
     * {@code song.mid}, {@link MidiBassTrack}); otherwise the same tracker run on the true stem alone. The bass also
     * gets the same figures for a tracker of the bass step's settings run on the whole mix before any step (what the
     * kick decision would read, session 21's {@code HpssStep.bassNotes}).
     */
    static void track(String stem, String song, AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st)
            throws Exception {
        MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
        SpectralMix mixSpec = SpectralMix.of(mix);
        Map<String, float[][]> recMasks = new LinkedHashMap<>();
        for (Map.Entry<String, float[][]> e : rec.masks(mixSpec).entrySet()) {
            float[][] m = new float[e.getValue().length][];
            for (int f = 0; f < m.length; f++) m[f] = e.getValue()[f].clone();
            recMasks.put(e.getKey(), m); // the cascade's working memory: copied before the next step reuses it
        }
        boolean mono = mix.channels() == 1;
        LeadStep mixLead = trackStep(rec, stem, mono);
        double[] est = mixLead.lastTrack();
        SpectralMix truth = SpectralMix.of(new AudioClip(mix.format(), refs.get(stem)));
        float[][] mag = truth.magnitude();
        double[] energy = new double[mag.length];
        for (int f = 0; f < mag.length; f++) for (float v : mag[f]) energy[f] += v * v;
        Path midi = corpusDir == null || !stem.equals("bass") ? null : corpusDir.resolve(song).resolve("song.mid");
        double[] ref;
        if (midi != null && java.nio.file.Files.isRegularFile(midi)) {
            ref = MidiBassTrack.track(MidiBassTrack.notes(midi), mag.length, truth.frameSeconds(), energy);
            System.out.println("    reference: the score (" + midi.getFileName() + ", bass channel, frames within 30 dB of each note's loudest)");
        } else {
            LeadStep refLead = trackStep(ModelFreeSeparators.defaultRecipe(st), stem, mono);
            refLead.take(truth, truth.ones());
            ref = refLead.lastTrack();
            System.out.println("    reference: the tracker on the true " + stem + " alone");
        }
        float[][][] sources = new float[SeparationEval.STEMS.length][][];
        int si = 0;
        for (String s : SeparationEval.STEMS) {
            sources[si++] = s.equals(stem) ? mag : SpectralMix.of(new AudioClip(mix.format(), refs.get(s))).magnitude();
        }
        trackErrors("recipe's", est, ref, energy, sources, truth.binHz(), mixLead.lastPan());
        if (stem.equals("bass")) {
            LeadStep whole = trackStep(ModelFreeSeparators.defaultRecipe(st), stem, mono);
            whole.take(mixSpec, mixSpec.ones());
            trackErrors("whole mix's", whole.lastTrack(), ref, energy, sources, truth.binHz(), Double.NaN);
        }
        double[] restored = null, scored = null, leadFree = null;
        if (stem.equals("bass")) {
            ModelFreeSeparators.Settings off = copy(st);
            off.bassTakenVoicing = 1;
            off.bassMonoTakenVoicing = 1;
            MaskCascade untaken = ModelFreeSeparators.defaultRecipe(off);
            untaken.masks(SpectralMix.of(mix));
            double[] cand = trackStep(untaken, stem, mono).lastTrack();
            restored = est.clone();
            scored = est.clone();
            takenFrames(est, cand, ref, energy, truth, refs.get(stem), recMasks, st.bassSplitHz, restored, scored);
        }
        if (stem.equals("bass")) onsets(est, ref, energy, mixSpec.magnitude(), truth.binHz());
        if (stem.equals("bass")) {
            LeadStep lead = trackStep(ModelFreeSeparators.defaultRecipe(st), "lead", mono);
            lead.take(mixSpec, mixSpec.ones());
            leadFree = noteCues(est, ref, energy, mixSpec.magnitude(), truth.binHz(), lead.lastTrack());
        }
        voicedPerSecond("    voiced frames per second, reference/recipe:", ref, est, truth);
        System.out.println("    pitch quantiles 10/50/90 % (Hz): reference " + quantiles(ref, ref, true)
                + "; recipe where the reference is silent " + quantiles(est, ref, false));
        // the same whole-clip separation with the tracked pitch and with the reference's (the oracle-pitch bound)
        StringBuilder sb = new StringBuilder("    whole clip SI-SDRi d/b/l/o: tracked");
        // then the two halves of the bound: the recipe's pitches voiced only where the reference is (its voicing), and
        // the reference's pitches where both are voiced, the recipe's where only it is (its pitches)
        double[] voicing = new double[ref.length], pitches = new double[ref.length];
        for (int f = 0; f < ref.length; f++) {
            voicing[f] = ref[f] > 0 ? est[f] : 0;
            pitches[f] = est[f] > 0 && ref[f] > 0 ? ref[f] : est[f];
        }
        String[] label = {"", "; reference pitch", "; reference voicing", "; reference pitches where voiced",
                "; taken notes' scored frames given back", "; the score's pitch there", "; notes on the lead unvoiced"};
        double[][] given = {null, ref, voicing, pitches, restored, scored, leadFree};
        for (int oracle = 0; oracle < given.length; oracle++) {
            if (oracle > 0 && given[oracle] == null) continue;
            MaskCascade c = ModelFreeSeparators.defaultRecipe(st);
            if (oracle > 0) trackStep(c, stem, mono).givenTrack(given[oracle]);
            Map<String, float[][]> out = SeparationEval.mapStems(c.separate(mix));
            sb.append(label[oracle]);
            for (String s : SeparationEval.STEMS) {
                sb.append(String.format(Locale.ROOT, " %6.2f", SeparationMetrics.siSdr(refs.get(s), out.get(s))
                        - SeparationMetrics.siSdr(refs.get(s), mix.samples())));
            }
        }
        System.out.println(sb);
        if (stem.equals("bass")) windowed(stem, mix, refs, st, ref, energy, sources, truth);
    }

    /** Voiced frames in each second of the clip, the score's / the tracker's, on one line after {@code label}. */
    private static void voicedPerSecond(String label, double[] ref, double[] est, SpectralMix truth) {
        StringBuilder per = new StringBuilder(label);
        int fps = (int) Math.round(1 / truth.frameSeconds());
        for (int f0 = 0; f0 < ref.length; f0 += fps) {
            int r = 0, e = 0;
            for (int f = f0; f < Math.min(ref.length, f0 + fps); f++) {
                if (ref[f] > 0) r++;
                if (est[f] > 0) e++;
            }
            per.append(' ').append(r).append('/').append(e);
        }
        System.out.println(per);
    }

    /**
     * The same figures on the recipe's window grid (as render, plugin and the SI-SDRi column run it), where the
     * tracker's voicing reference is each window's own (its 95th-percentile salience, 1 s) rather than the whole
     * clip's: the windows' tracks put together (each frame from the window whose own hop holds it) against the score,
     * the voiced frames per second, and the bounds of the whole-clip line with the given tracks cut to each window.
     * Session 26: held-out song 7's whole-clip bound (+2.3 dB: a fading bass left unvoiced under the clip's
     * reference) is not the recipe's.
     */
    private static void windowed(String stem, AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st,
                                 double[] ref, double[] energy, float[][][] sources, SpectralMix truth) throws Exception {
        boolean mono = mix.channels() == 1;
        int stftHop = (int) Math.round(truth.frameSeconds() * mix.sampleRate());
        double[] est = new double[ref.length];
        WindowedTrack w = new WindowedTrack(ModelFreeSeparators.defaultRecipe(st), stem, mono, stftHop, null, est);
        Map<String, float[][]> plain = SeparationEval.mapStems(w.separation(mix.sampleRate()).separate(mix, Progress.NONE));
        trackErrors("windowed recipe's", est, ref, energy, sources, truth.binHz(), w.tracker.lastPan());
        voicedPerSecond("    windowed: voiced frames per second, reference/recipe:", ref, est, truth);
        double[] voicing = new double[ref.length], pitches = new double[ref.length];
        for (int f = 0; f < ref.length; f++) {
            voicing[f] = ref[f] > 0 ? est[f] : 0;
            pitches[f] = est[f] > 0 && ref[f] > 0 ? ref[f] : est[f];
        }
        String[] label = {"; reference pitch", "; reference voicing", "; reference pitches where voiced"};
        double[][] given = {ref, voicing, pitches};
        StringBuilder sb = new StringBuilder("    windowed SI-SDRi d/b/l/o: tracked");
        appendImprovements(sb, refs, plain, mix);
        for (int i = 0; i < given.length; i++) {
            WindowedTrack g = new WindowedTrack(ModelFreeSeparators.defaultRecipe(st), stem, mono, stftHop, given[i], null);
            sb.append(label[i]);
            appendImprovements(sb, refs, SeparationEval.mapStems(g.separation(mix.sampleRate()).separate(mix, Progress.NONE)), mix);
        }
        System.out.println(sb);
    }

    private static void appendImprovements(StringBuilder sb, Map<String, float[][]> refs, Map<String, float[][]> out,
                                           AudioClip mix) {
        for (String s : SeparationEval.STEMS) {
            sb.append(String.format(Locale.ROOT, " %6.2f", SeparationMetrics.siSdr(refs.get(s), out.get(s))
                    - SeparationMetrics.siSdr(refs.get(s), mix.samples())));
        }
    }

    /**
     * The recipe as a separator on its window grid whose tracker of one stem follows, in each window, a whole-clip
     * track cut to that window ({@code given}; null: tracked), and whose windows' tracks are put together into a
     * whole-clip track ({@code record}; null: not kept): whole-clip frame g (sample g * stftHop) comes from the window
     * whose own hop holds that sample, at the window's frame nearest to it.
     */
    static final class WindowedTrack implements org.stemroom.separation.Separator {
        final MaskCascade rec;
        final LeadStep tracker;
        final int stftHop;
        final double[] given, record;
        int window, gridHop;

        WindowedTrack(MaskCascade rec, String stem, boolean mono, int stftHop, double[] given, double[] record) {
            this.rec = rec;
            this.tracker = trackStep(rec, stem, mono);
            this.stftHop = stftHop;
            this.given = given;
            this.record = record;
        }

        Separation separation(int sampleRate) {
            Separation sep = new Separation(this);
            gridHop = sep.grid(sampleRate).hop();
            return sep;
        }

        @Override public String name() { return rec.name(); }
        @Override public List<String> stemNames() { return rec.stemNames(); }
        @Override public double maxChunkSeconds() { return rec.maxChunkSeconds(); }
        @Override public double chunkOverlapSeconds() { return rec.chunkOverlapSeconds(); }
        @Override public void reset() { rec.reset(); window = 0; }

        @Override
        public StemSet separate(AudioClip clip) {
            long start = (long) window * gridHop;
            if (given != null) {
                int frames = SpectralMix.of(clip).frames();
                double[] slice = new double[frames];
                for (int j = 0; j < frames; j++) {
                    int g = (int) Math.round((start + (double) j * stftHop) / stftHop);
                    slice[j] = g < given.length ? given[g] : 0;
                }
                tracker.givenTrack(slice);
            }
            StemSet out = rec.separate(clip);
            if (record != null) {
                double[] t = tracker.lastTrack();
                for (int g = (int) ((start + stftHop - 1) / stftHop); g < record.length && (long) g * stftHop < start + gridHop; g++) {
                    int j = (int) Math.round(((double) g * stftHop - start) / stftHop);
                    record[g] = t[Math.max(0, Math.min(t.length - 1, j))];
                }
            }
            window++;
            return out;
        }
    }

    /**
     * The bass's frames that the taken voicing ({@link LeadStep#takenVoicing}) left unvoiced: the candidate track
     * {@code cand} (the same tracker with the rule off) voices them, the recipe's {@code est} does not. Prints how many
     * the score voices and their share of the true bass's energy, the candidate's pitch there against the score's,
     * and which of the recipe's masks hold that energy below and above {@code splitHz}, next to the same for the
     * frames both voice. Fills {@code restored} (the recipe's track with the candidate's pitch back where the score
     * voices a taken frame) and {@code scored} (the score's pitch there): a perfect rule's bound and the score's.
     */
    private static void takenFrames(double[] est, double[] cand, double[] ref, double[] energy, SpectralMix truth,
                                    float[][] bassSamples, Map<String, float[][]> masks, double splitHz,
                                    double[] restored, double[] scored) {
        int frames = Math.min(est.length, ref.length), taken = 0, takenScored = 0;
        double total = 0, scoredEnergy = 0, right = 0, harmonic = 0;
        boolean[] group = new boolean[frames], both = new boolean[frames];
        for (int f = 0; f < frames; f++) {
            total += energy[f];
            both[f] = est[f] > 0 && ref[f] > 0;
            if (!(cand[f] > 0) || est[f] > 0) continue;
            taken++;
            if (!(ref[f] > 0)) continue;
            takenScored++;
            group[f] = true;
            scoredEnergy += energy[f];
            if (Math.abs(cents(cand[f], ref[f])) <= RIGHT_CENTS) right += energy[f];
            else if (atHarmonic(cand[f], ref[f]) >= 0) harmonic += energy[f];
            restored[f] = cand[f];
            scored[f] = ref[f];
        }
        System.out.printf(Locale.ROOT, "    taken voicing: %d frames unvoiced, %d of them scored (%.3f of the true bass's"
                        + " energy; the candidate's pitch right %.3f, harmonic %.3f of it)%n", taken, takenScored,
                scoredEnergy / total, right / Math.max(scoredEnergy, 1e-30), harmonic / Math.max(scoredEnergy, 1e-30));
        double[] inGroup = new double[frames], unscored = new double[frames];
        for (int f = 0; f < frames; f++) {
            inGroup[f] = group[f] ? cand[f] : 0;
            unscored[f] = cand[f] > 0 && !(est[f] > 0) && !(ref[f] > 0) ? cand[f] : 0;
        }
        System.out.println("      the candidate's pitch quantiles 10/50/90 % (Hz) in the taken frames: scored "
                + quantiles(inGroup, inGroup, true) + "; unscored " + quantiles(unscored, unscored, true));
        int split = (int) Math.ceil(splitHz / truth.binHz());
        for (int pass = 0; pass < 2; pass++) {
            boolean[] in = pass == 0 ? group : both;
            double[][] held = new double[masks.size()][2];
            double[] band = new double[2];
            for (int c = 0; c < bassSamples.length; c++) {
                Spectrogram s = truth.stft().analyze(bassSamples[c]);
                for (int f = 0; f < Math.min(frames, s.frames()); f++) {
                    if (!in[f]) continue;
                    for (int b = 1; b < s.bins(); b++) {
                        double p = sq(s.re(f)[b], s.im(f)[b]);
                        int hi = b < split ? 0 : 1;
                        band[hi] += p;
                        int q = 0;
                        for (float[][] m : masks.values()) held[q++][hi] += p * m[f][b] * m[f][b];
                    }
                }
            }
            StringBuilder sb = new StringBuilder(pass == 0 ? "      taken frames' true bass" : "      frames both voice");
            sb.append(String.format(Locale.ROOT, " (below %.0f Hz %.2f): held below / above by", splitHz,
                    band[0] / Math.max(band[0] + band[1], 1e-30)));
            int q = 0;
            for (String n : masks.keySet()) {
                sb.append(String.format(Locale.ROOT, " %s %.2f / %.2f", n, held[q][0] / Math.max(band[0], 1e-30),
                        held[q][1] / Math.max(band[1], 1e-30)));
                q++;
            }
            System.out.println(sb);
        }
    }

    /** The band in which {@link #onsets} reads a note's attack (Hz). */
    static final double ONSET_LO_HZ = 150, ONSET_HI_HZ = 400;
    /** The attack ratios {@link #onsets} counts the notes under. */
    static final double[] ONSET_RATIOS = {1, 1.25, 1.5, 2, 3};

    /**
     * A bound for an onset cue of the bass's voicing: each note of the recipe's track (a run of voiced frames within
     * half a semitone) read at its start pitch's partials in {@link #ONSET_LO_HZ}-{@link #ONSET_HI_HZ} of the mixture
     * (the larger of the two bins around each): its attack, the note's first two frames against the two before it, and
     * its hold, its last two frames against its first two. Prints, for each attack ratio of {@link #ONSET_RATIOS}, the
     * notes' frames under it that the score voices (and their share of the true bass's energy) and that it does not:
     * what a rule unvoicing the notes without an attack would take away and would rightly drop. Notes starting in the
     * first two frames or with no partial in the band are not counted.
     */
    private static void onsets(double[] est, double[] ref, double[] energy, float[][] mix, double binHz) {
        int frames = Math.min(est.length, ref.length);
        double total = 0;
        for (int f = 0; f < frames; f++) total += energy[f];
        int r = ONSET_RATIOS.length;
        double[] scoredEnergy = new double[r];
        int[] scored = new int[r], unscored = new int[r];
        int allScored = 0, allUnscored = 0;
        StringBuilder holds = new StringBuilder();
        for (int f = 0; f < frames; ) {
            if (!(est[f] > 0)) { f++; continue; }
            int end = f + 1;
            while (end < frames && est[end] > 0 && Math.abs(cents(est[end], est[end - 1])) <= 50) end++;
            if (f >= 2) {
                double before = 0, start = 0, last = 0;
                for (int h = 1; h * est[f] <= ONSET_HI_HZ; h++) {
                    if (h * est[f] < ONSET_LO_HZ) continue;
                    int b = (int) (h * est[f] / binHz);
                    for (int g = f - 2; g < f; g++) before += Math.max(mix[g][b], mix[g][b + 1]);
                    for (int g = f; g < Math.min(end, f + 2); g++) start += Math.max(mix[g][b], mix[g][b + 1]);
                    for (int g = Math.max(f, end - 2); g < end; g++) last += Math.max(mix[g][b], mix[g][b + 1]);
                }
                if (before + start > 0) {
                    double attack = start / Math.max(before, 1e-30);
                    NoteFrames nf = noteFrames(ref, energy, f, end);
                    int s = nf.scored(), u = nf.unscored();
                    double e = nf.scoredEnergy();
                    allScored += s;
                    allUnscored += u;
                    for (int i = 0; i < r; i++) {
                        if (attack < ONSET_RATIOS[i]) {
                            scored[i] += s;
                            unscored[i] += u;
                            scoredEnergy[i] += e;
                        }
                    }
                    if (end - f >= 4) holds.append(String.format(Locale.ROOT, " %.0fHz/%d/%s%.1f:%.2f", est[f], end - f,
                            s >= u ? "s" : "u", attack, last / Math.max(start, 1e-30)));
                }
            }
            f = end;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "    onset cue (attack at %.0f-%.0f Hz, 2 frames vs 2 before; notes' frames scored %d / unscored %d):",
                ONSET_LO_HZ, ONSET_HI_HZ, allScored, allUnscored));
        for (int i = 0; i < r; i++) {
            sb.append(String.format(Locale.ROOT, " under %.2f: scored %d (%.3f of the bass) unscored %d;", ONSET_RATIOS[i],
                    scored[i], scoredEnergy[i] / Math.max(total, 1e-30), unscored[i]));
        }
        System.out.println(sb);
        System.out.println("      notes of 4 frames or more (start pitch / frames / mostly scored or not, attack : hold):" + holds);
    }

    /** The band {@link #noteCues} reads a note's upper partials in (Hz). */
    static final double CUE_UPPER_LO_HZ = 400, CUE_UPPER_HI_HZ = 1600;
    /** The thresholds {@link #noteCues} counts the notes' frames over, for "up" and "own" and for "lead". */
    static final double[] CUE_UPPER_RATIOS = {0.25, 0.5, 0.75, 1, 1.5, 2}, CUE_LEAD_SHARES = {0.25, 0.5, 0.75};
    /** A note on the lead's pitch in at least this share of its frames is left out of {@link #noteCues}' track. */
    static final double CUE_LEAD_UNVOICED = 0.5;

    /**
     * Cues that might tell a falsely voiced bass note from a scored one without the score (session 30). Each note of
     * the bass's track {@code est} (a run of voiced frames within 50 cents of the frame before) is read in the mixture's
     * magnitude {@code mix}, each partial as the larger of the two bins around it, "low" its first four summed: "up",
     * its partials in {@link #CUE_UPPER_LO_HZ}-{@link #CUE_UPPER_HI_HZ} over low (the organ's or a chord's root
     * carries them strongly, a bass's do not); "own", the same partials less the larger of the two bins halfway to
     * the next, where positive, over low; "lead", the share of its frames in which {@code lead} (the lead's tracker
     * on the whole mixture, before any step takes the bass) is within 50 cents of the note's pitch or its octave;
     * "level", its mean low in dB against the median low of the track's voiced frames; after the bar, "fund" the mean
     * share of the fundamental in low, "perUp" the mean over the upper partials of each against low / 4 (dB), "peaks"
     * the share of the upper partials standing twice above the level halfway to the next. Prints, per threshold of
     * up, own (over) and lead (at or over), the notes' frames the score voices (their share of the true bass's
     * energy) and does not; then each note of 3 frames or more: start pitch / frames / s (mostly scored) or u, up :
     * own : lead : level | fund : perUp : peaks. Returns {@code est} with the notes on the lead's pitch in at least
     * {@link #CUE_LEAD_UNVOICED} of their frames unvoiced (the lead cue's bound).
     */
    static double[] noteCues(double[] est, double[] ref, double[] energy, float[][] mix, double binHz, double[] lead) {
        int frames = Math.min(est.length, ref.length);
        double[] leadFree = est.clone();
        double[] lows = new double[frames];
        int voiced = 0;
        for (int f = 0; f < frames; f++) {
            if (!(est[f] > 0)) continue;
            for (int h = 1; h <= 4; h++) {
                int b = (int) (h * est[f] / binHz);
                lows[voiced] += Math.max(mix[f][b], mix[f][b + 1]);
            }
            voiced++;
        }
        java.util.Arrays.sort(lows, 0, voiced);
        double median = voiced > 0 ? Math.max(lows[voiced / 2], 1e-30) : 1;
        double total = 0;
        for (int f = 0; f < frames; f++) total += energy[f];
        int nu = CUE_UPPER_RATIOS.length, nl = CUE_LEAD_SHARES.length;
        int[][] sUp = new int[2][nu], uUp = new int[2][nu];
        double[][] eUp = new double[2][nu];
        int[] sLead = new int[nl], uLead = new int[nl];
        double[] eLead = new double[nl];
        int allS = 0, allU = 0;
        StringBuilder notes = new StringBuilder();
        for (int f = 0; f < frames; ) {
            if (!(est[f] > 0)) { f++; continue; }
            int end = f + 1;
            while (end < frames && est[end] > 0 && Math.abs(cents(est[end], est[end - 1])) <= 50) end++;
            double low = 0, up = 0, own = 0, fund = 0, perUp = 0, peaks = 0;
            int onLead = 0, nUp = 0;
            for (int g = f; g < end; g++) {
                double low4 = 0, first = 0;
                for (int h = 1; h * est[g] <= CUE_UPPER_HI_HZ; h++) {
                    int b = (int) (h * est[g] / binHz), q = (int) ((h + 0.5) * est[g] / binHz);
                    if (q + 1 >= mix[g].length) break;
                    double at = Math.max(mix[g][b], mix[g][b + 1]), between = Math.max(mix[g][q], mix[g][q + 1]);
                    if (h == 1) first = at;
                    if (h <= 4) low4 += at;
                    if (h * est[g] < CUE_UPPER_LO_HZ) continue;
                    up += at;
                    own += Math.max(0, at - between);
                    perUp += at / Math.max(low4 / 4, 1e-30);
                    if (at > 2 * between) peaks++;
                    nUp++;
                }
                low += low4;
                fund += first / Math.max(low4, 1e-30);
                if (lead[g] > 0 && (Math.abs(cents(lead[g], est[g])) <= 50 || Math.abs(cents(lead[g], 2 * est[g])) <= 50)) onLead++;
            }
            NoteFrames nf = noteFrames(ref, energy, f, end);
            int s = nf.scored(), u = nf.unscored();
            double e = nf.scoredEnergy();
            allS += s;
            allU += u;
            double[] cue = {up / Math.max(low, 1e-30), own / Math.max(low, 1e-30)};
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < nu; i++) {
                    if (cue[c] > CUE_UPPER_RATIOS[i]) { sUp[c][i] += s; uUp[c][i] += u; eUp[c][i] += e; }
                }
            }
            double leadShare = onLead / (double) (end - f);
            for (int i = 0; i < nl; i++) {
                if (leadShare >= CUE_LEAD_SHARES[i]) { sLead[i] += s; uLead[i] += u; eLead[i] += e; }
            }
            if (leadShare >= CUE_LEAD_UNVOICED) java.util.Arrays.fill(leadFree, f, end, 0);
            if (end - f >= 3) {
                notes.append(String.format(Locale.ROOT, " %.0fHz/%d/%s%.2f:%.2f:%.2f:%.1f|%.2f:%.1f:%.2f", est[f], end - f,
                        s >= u ? "s" : "u", cue[0], cue[1], leadShare, 2 * db(low / (end - f) / median), fund / (end - f),
                        2 * db(perUp / Math.max(nUp, 1)), peaks / Math.max(nUp, 1)));
            }
            f = end;
        }
        System.out.printf(Locale.ROOT, "    note cues (notes' frames scored %d / unscored %d; per threshold: scored frames"
                + " (share of the bass) / unscored frames)%n", allS, allU);
        String[] name = {"up", "own"};
        for (int c = 0; c < 2; c++) {
            StringBuilder sb = new StringBuilder("      " + name[c] + " over");
            for (int i = 0; i < nu; i++) {
                sb.append(String.format(Locale.ROOT, " %.2f: %d (%.3f) / %d;", CUE_UPPER_RATIOS[i], sUp[c][i],
                        eUp[c][i] / Math.max(total, 1e-30), uUp[c][i]));
            }
            System.out.println(sb);
        }
        StringBuilder sb = new StringBuilder("      lead at or over");
        for (int i = 0; i < nl; i++) {
            sb.append(String.format(Locale.ROOT, " %.2f: %d (%.3f) / %d;", CUE_LEAD_SHARES[i], sLead[i],
                    eLead[i] / Math.max(total, 1e-30), uLead[i]));
        }
        System.out.println(sb);
        System.out.println("      notes of 3 frames or more (start pitch / frames / s or u, up : own : lead : level dB"
                + " | fund : perUp dB : peaks):" + notes);
        return leadFree;
    }

    /** {@code --note-context} (session 31): see {@link #noteContext}. */
    private static boolean noteContext;
    /** The (start share, level) rules of {@link LeadStep#unvoiceChordNotes} that {@link #noteContext} bounds. */
    /**
     * {@link #noteContext}'s lead-line cue: a note is on the lead's line where the lead's tracker (whole mixture) was
     * voiced above the bass's range within this many frames before its onset or after its end, at most {@link
     * #LEAD_LINE_SEMITONES} above the note (a melodic step, not a chord's upper part an octave or more away).
     */
    static final int LEAD_LINE_REACH = 10;
    static final double LEAD_LINE_SEMITONES = 9;
    static final double[][] CONTEXT_RULES = {{1.01, 0}, {0.5, 0}, {0.3, 0.3}, {0.5, 0.3}, {0, 0.4}, {0.3, 0.2}, {0, 0.3}};

    /**
     * The chord-context cue's bound (session 31): the recipe's bass track on its window grid ({@link WindowedTrack},
     * as {@code --bass-track}'s windowed line) against the score; each note's {@link LeadStep#chordContext} read on
     * the whole clip's mixture (start : end : level, s or u as {@link #noteCues}); then, per rule of {@link
     * #CONTEXT_RULES} (the first unvoices nothing: the recipe's own track given, the rules' baseline), the notes
     * {@link LeadStep#unvoiceChordNotes} leaves unvoiced (their frames the score voices, with their share of the true
     * bass's energy, and those it does not) and the windowed SI-SDRi with that track given, next to the reference
     * voicing's (every frame the score leaves silent unvoiced: the most a voicing rule
     * can gain). The whole clip's context is wider than a window's: the rule in the recipe keeps the notes whose
     * context frames lie outside their window.
     */
    static void noteContext(String song, AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st)
            throws Exception {
        Path midi = corpusDir == null ? null : corpusDir.resolve(song).resolve("song.mid");
        if (midi == null || !java.nio.file.Files.isRegularFile(midi)) { System.out.println("    --note-context: no score"); return; }
        boolean mono = mix.channels() == 1;
        SpectralMix truth = SpectralMix.of(new AudioClip(mix.format(), refs.get("bass")));
        float[][] mag = truth.magnitude();
        double[] energy = new double[mag.length];
        double total = 0;
        for (int f = 0; f < mag.length; f++) {
            for (float v : mag[f]) energy[f] += v * v;
            total += energy[f];
        }
        double[] ref = MidiBassTrack.track(MidiBassTrack.notes(midi), mag.length, truth.frameSeconds(), energy);
        int stftHop = (int) Math.round(truth.frameSeconds() * mix.sampleRate());
        double[] est = new double[ref.length];
        WindowedTrack w = new WindowedTrack(ModelFreeSeparators.defaultRecipe(st), "bass", mono, stftHop, null, est);
        Map<String, float[][]> plain = SeparationEval.mapStems(w.separation(mix.sampleRate()).separate(mix, Progress.NONE));
        SpectralMix mixSpec = SpectralMix.of(mix);
        float[][] mm = mixSpec.magnitude();
        int frames = Math.min(est.length, mm.length);
        LeadStep leadTracker = trackStep(ModelFreeSeparators.defaultRecipe(st), "lead", mono);
        leadTracker.take(mixSpec, mixSpec.ones());
        double[] lead = leadTracker.lastTrack();
        double[] leadLine = est.clone();
        StringBuilder line = new StringBuilder("    lead line (start pitch / frames / s or u, semitones from the lead before : after; x: none within "
                + LEAD_LINE_REACH + " frames):");
        for (int end, f = LeadStep.nextVoiced(est, 0, frames); f < frames; f = LeadStep.nextVoiced(est, end, frames)) {
            end = LeadStep.runEnd(est, f, frames, LeadStep.NOTE_BREAK_SEMITONES);
            double before = Double.NaN, after = Double.NaN;
            for (int g = f - 1; g >= Math.max(0, f - LEAD_LINE_REACH); g--) if (lead[g] > 0) { before = lead[g]; break; }
            for (int g = end; g < Math.min(frames, end + LEAD_LINE_REACH); g++) if (lead[g] > 0) { after = lead[g]; break; }
            double b = 12 * Math.log(before / est[f]) / Math.log(2), a = 12 * Math.log(after / est[end - 1]) / Math.log(2);
            boolean onLine = (before > st.bassMaxHz && b <= LEAD_LINE_SEMITONES) || (after > st.bassMaxHz && a <= LEAD_LINE_SEMITONES);
            if (onLine) java.util.Arrays.fill(leadLine, f, end, 0);
            if (end - f < 3) continue;
            NoteFrames nf = noteFrames(ref, energy, f, end);
            line.append(String.format(Locale.ROOT, " %.0fHz/%d/%s%s:%s%s", est[f], end - f, nf.scored() >= nf.unscored() ? "s" : "u",
                    Double.isNaN(b) ? "x" : String.format(Locale.ROOT, "%.1f", b), Double.isNaN(a) ? "x" : String.format(Locale.ROOT, "%.1f", a),
                    onLine ? "*" : ""));
        }
        System.out.println(line);
        double[] ctx = new double[3];
        StringBuilder notes = new StringBuilder("    note context (start pitch / frames / s or u, start : end : level):");
        for (int end, f = LeadStep.nextVoiced(est, 0, frames); f < frames; f = LeadStep.nextVoiced(est, end, frames)) {
            end = LeadStep.runEnd(est, f, frames, LeadStep.NOTE_BREAK_SEMITONES);
            if (!LeadStep.chordContext(mm, mixSpec.bins(), mixSpec.binHz(), est, f, end, frames, ctx)) continue;
            NoteFrames nf = noteFrames(ref, energy, f, end);
            notes.append(String.format(Locale.ROOT, " %.0fHz/%d/%s%.2f:%.2f:%.2f", est[f], end - f,
                    nf.scored() >= nf.unscored() ? "s" : "u", ctx[0], ctx[1], ctx[2]));
        }
        System.out.println(notes);
        double[] voicing = new double[ref.length];
        for (int f = 0; f < ref.length; f++) voicing[f] = ref[f] > 0 ? est[f] : 0;
        StringBuilder sb = new StringBuilder("    note context SI-SDRi d/b/l/o: tracked");
        appendImprovements(sb, refs, plain, mix);
        sb.append("; reference voicing");
        appendImprovements(sb, refs, given(st, mono, stftHop, voicing, mix), mix);
        {
            int s = 0, u = 0;
            double e = 0;
            for (int f = 0; f < frames; f++) {
                if (!(est[f] > 0) || leadLine[f] > 0) continue;
                if (ref[f] > 0) { s++; e += energy[f]; } else u++;
            }
            sb.append(String.format(Locale.ROOT, "; leadline -%d (%.3f) / -%d", s, e / total, u));
            appendImprovements(sb, refs, given(st, mono, stftHop, leadLine, mix), mix);
        }
        for (double[] rule : CONTEXT_RULES) {
            double[] t = est.clone();
            LeadStep.unvoiceChordNotes(mm, mixSpec.bins(), mixSpec.binHz(), t, frames, rule[0], rule[1], ctx);
            int s = 0, u = 0;
            double e = 0;
            for (int f = 0; f < frames; f++) {
                if (!(est[f] > 0) || t[f] > 0) continue;
                if (ref[f] > 0) { s++; e += energy[f]; } else u++;
            }
            sb.append(String.format(Locale.ROOT, "; %.1f/%.1f -%d (%.3f) / -%d", rule[0], rule[1], s, e / total, u));
            appendImprovements(sb, refs, given(st, mono, stftHop, t, mix), mix);
        }
        System.out.println(sb);
    }

    /** The recipe on its window grid with the bass's tracker given {@code track} ({@link WindowedTrack}). */
    private static Map<String, float[][]> given(ModelFreeSeparators.Settings st, boolean mono, int stftHop,
                                                double[] track, AudioClip mix) throws Exception {
        WindowedTrack g = new WindowedTrack(ModelFreeSeparators.defaultRecipe(st), "bass", mono, stftHop, track, null);
        return SeparationEval.mapStems(g.separation(mix.sampleRate()).separate(mix, Progress.NONE));
    }

    /** A tracked note's frames [f, end): how many the score voices (and the true bass's energy in them) and how many it leaves silent. */
    record NoteFrames(int scored, int unscored, double scoredEnergy) {}

    static NoteFrames noteFrames(double[] ref, double[] energy, int f, int end) {
        int s = 0, u = 0;
        double e = 0;
        for (int g = f; g < end; g++) {
            if (ref[g] > 0) { s++; e += energy[g]; } else u++;
        }
        return new NoteFrames(s, u, e);
    }

    /** Partials read by {@link #trackErrors} to say which source a falsely voiced or wrong frame's pitch sits on. */
    static final int FALSE_PARTIALS = 4;

    /**
     * Which true source holds most energy at the first {@link #FALSE_PARTIALS} partials of {@code hz} in frame f (the
     * bins within one of each); {@code at[source]} gets each source's energy there.
     */
    private static int loudestAt(float[][][] sources, int f, double hz, double binHz, double[] at) {
        int best = 0;
        for (int s = 0; s < sources.length; s++) {
            float[] m = sources[s][f];
            at[s] = 0;
            for (int h = 1; h <= FALSE_PARTIALS; h++) {
                int c = (int) Math.round(h * hz / binHz);
                for (int k = Math.max(0, c - 1); k <= Math.min(m.length - 1, c + 1); k++) at[s] += m[k] * m[k];
            }
            if (at[s] > at[best]) best = s;
        }
        return best;
    }

    /**
     * {@link #track}'s figures for one track against the reference: the true stem's energy share in frames tracked
     * right, at a harmonic ratio, at another (wrong) pitch and unvoiced; the harmonic errors by ratio; the falsely
     * voiced frames and the wrong-pitch frames by the source loudest at their pitch's partials, and the wrong pitches'
     * quantiles against the reference's there (session 33: held-out song 1's stereo bass tracker on its lead's notes).
     */
    private static void trackErrors(String what, double[] est, double[] ref, double[] energy, float[][][] sources,
                                    double binHz, double pan) {
        double right = 0, harmonic = 0, wrong = 0, missed = 0, total = 0;
        int silent = 0, falseVoiced = 0, voicedRef = 0, missedFrames = 0, wrongFrames = 0;
        double[] ratioShare = new double[HARMONIC_RATIOS.length];
        double[] falseBy = new double[sources.length], wrongEnergyBy = new double[sources.length];
        double[] at = new double[sources.length];
        int[] falseCount = new int[sources.length], wrongCount = new int[sources.length];
        double falseTotal = 0;
        double[] wrongPitch = new double[ref.length], wrongRef = new double[ref.length];
        for (int f = 0; f < ref.length; f++) {
            double e = energy[f];
            total += e;
            if (ref[f] <= 0) {
                silent++;
                if (est[f] > 0) {
                    falseVoiced++;
                    int best = loudestAt(sources, f, est[f], binHz, at);
                    double sum = 0;
                    for (double x : at) sum += x;
                    falseBy[best] += sum;
                    falseCount[best]++;
                    falseTotal += sum;
                }
                continue;
            }
            voicedRef++;
            if (est[f] <= 0) {
                missed += e;
                missedFrames++;
            }
            else if (Math.abs(cents(est[f], ref[f])) <= RIGHT_CENTS) right += e;
            else if (atHarmonic(est[f], ref[f]) >= 0) {
                harmonic += e;
                ratioShare[atHarmonic(est[f], ref[f])] += e;
            }
            else {
                wrong += e;
                wrongFrames++;
                int best = loudestAt(sources, f, est[f], binHz, at);
                wrongCount[best]++;
                wrongEnergyBy[best] += e;
                wrongPitch[f] = est[f];
                wrongRef[f] = ref[f];
            }
        }
        System.out.printf(Locale.ROOT, "    %s track (energy share): right %.3f harmonic %.3f wrong %.3f unvoiced %.3f"
                        + " (%d of %d frames); reference-silent frames voiced %d of %d; pan %.2f%n", what, right / total,
                harmonic / total, wrong / total, missed / total, missedFrames, voicedRef, falseVoiced, silent, pan);
        StringBuilder rs = new StringBuilder("      harmonic errors (pitch / reference, energy share):");
        for (int i = 0; i < HARMONIC_RATIOS.length; i++) {
            if (ratioShare[i] > 0.005 * total) rs.append(String.format(Locale.ROOT, " %.2f: %.3f", HARMONIC_RATIOS[i], ratioShare[i] / total));
        }
        System.out.println(rs);
        StringBuilder fs = new StringBuilder("      falsely voiced frames by the source loudest at their pitch's partials (frames, share of their energy there):");
        int s = 0;
        for (String name : SeparationEval.STEMS) {
            fs.append(String.format(Locale.ROOT, " %s %d %.2f", name, falseCount[s], falseTotal > 0 ? falseBy[s] / falseTotal : 0));
            s++;
        }
        System.out.println(fs);
        StringBuilder ws = new StringBuilder(String.format(Locale.ROOT, "      wrong-pitch frames (%d) by the source loudest"
                + " at their pitch's partials (frames, share of the true stem's energy):", wrongFrames));
        s = 0;
        for (String name : SeparationEval.STEMS) {
            ws.append(String.format(Locale.ROOT, " %s %d %.3f", name, wrongCount[s], wrongEnergyBy[s] / Math.max(total, 1e-30)));
            s++;
        }
        ws.append("; their pitch ").append(quantiles(wrongPitch, wrongPitch, true)).append(", the reference's ")
                .append(quantiles(wrongRef, wrongRef, true));
        System.out.println(ws);
    }

    /** The 10/50/90 % quantiles of the voiced pitches of {@code track} in frames where {@code ref} is (not) voiced. */
    private static String quantiles(double[] track, double[] ref, boolean whereVoiced) {
        double[] v = new double[track.length];
        int n = 0;
        for (int f = 0; f < track.length; f++) if (track[f] > 0 && (ref[f] > 0) == whereVoiced) v[n++] = track[f];
        if (n == 0) return "none";
        java.util.Arrays.sort(v, 0, n);
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f (%d frames)", v[n / 10], v[n / 2], v[9 * n / 10], n);
    }

    /**
     * The lead's tracker, or for "bass" the tracker of the bass's partials: stereo's learned-level comb, or for mono
     * input the tracker of the step mono runs instead (which the mono low band's comb reads too).
     */
    private static LeadStep trackStep(MaskCascade rec, String stem, boolean mono) {
        for (org.stemroom.separation.modelfree.MaskStep s : rec.steps()) {
            if (stem.equals("lead") && s instanceof LeadStep && s.stemNames().contains("vocals")) return (LeadStep) s;
            if (stem.equals("bass") && s instanceof BassPartialsStep) {
                org.stemroom.separation.modelfree.MaskStep m = mono ? ((BassPartialsStep) s).monoStep() : null;
                if (m instanceof BassPartialsStep) return ((BassPartialsStep) m).combStep();
                if (m instanceof LeadStep) return (LeadStep) m;
                return ((BassPartialsStep) s).combStep();
            }
            if (stem.equals("bass") && s instanceof LeadStep && s.stemNames().contains("bass")) return (LeadStep) s;
        }
        throw new IllegalStateException("the recipe has no lead step");
    }

    private static double cents(double hz, double refHz) { return 1200 * Math.log(hz / refHz) / Math.log(2); }

    /** The index of the ratio in {@link #HARMONIC_RATIOS} that hz is at (within the cents bound), or -1. */
    private static int atHarmonic(double hz, double refHz) {
        for (int i = 0; i < HARMONIC_RATIOS.length; i++) {
            if (Math.abs(cents(hz, refHz * HARMONIC_RATIOS[i])) <= RIGHT_CENTS) return i;
        }
        return -1;
    }

    static final double[] FOCUS_EDGES = {0, 60, 150, 300, 1000, 3000, 6000, 22050};

    /** A bin is the drums' or the bass's ({@link #kick}) where it holds at least this share of the sources' magnitude. */
    static final double DOMINANT = 0.8;

    /** See the class comment ({@code --kick}). */
    static void kick(AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st) throws Exception {
        SpectralMix sm = SpectralMix.of(mix);
        Map<String, float[][]> masks = ModelFreeSeparators.defaultRecipe(st).masks(sm);
        float[][] md = masks.get("drums"), mb = masks.get("bass");
        int top = (int) Math.ceil(FOCUS_EDGES[2] / sm.binHz()), split = (int) Math.ceil(FOCUS_EDGES[1] / sm.binHz());
        // [band][group: drums, bass, neither][energy, drums mask, bass mask, drums oracle, bass oracle]
        double[][][] acc = new double[2][3][5];
        for (int c = 0; c < mix.channels(); c++) {
            Map<String, Spectrogram> specs = new LinkedHashMap<>();
            for (String s : SeparationEval.STEMS) specs.put(s, sm.stft().analyze(refs.get(s)[c]));
            Spectrogram d = specs.get("drums"), b = specs.get("bass"), x = sm.spectrum(c);
            for (int f = 0; f < sm.frames(); f++) {
                for (int k = 1; k < top; k++) {
                    double tot = 0;
                    for (Spectrogram sp : specs.values()) tot += Math.hypot(sp.re(f)[k], sp.im(f)[k]);
                    if (!(tot > 0)) continue;
                    double od = Math.hypot(d.re(f)[k], d.im(f)[k]) / tot, ob = Math.hypot(b.re(f)[k], b.im(f)[k]) / tot;
                    double e = sq(x.re(f)[k], x.im(f)[k]);
                    double[] a = acc[k < split ? 0 : 1][od >= DOMINANT ? 0 : ob >= DOMINANT ? 1 : 2];
                    a[0] += e;
                    a[1] += e * md[f][k];
                    a[2] += e * mb[f][k];
                    a[3] += e * od;
                    a[4] += e * ob;
                }
            }
        }
        String[] groups = {"drums' bins", "bass's bins", "shared bins"};
        for (int band = 0; band < 2; band++) {
            double total = 0;
            for (double[] a : acc[band]) total += a[0];
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "    kick %3.0f-%3.0f Hz", FOCUS_EDGES[band],
                    FOCUS_EDGES[band + 1]));
            for (int g = 0; g < 3; g++) {
                double[] a = acc[band][g];
                double w = a[0] > 0 ? a[0] : 1;
                sb.append(String.format(Locale.ROOT, " | %s %.2f of the energy: drums %.2f (oracle %.2f), bass %.2f (%.2f)",
                        groups[g], total > 0 ? a[0] / total : 0, a[1] / w, a[3] / w, a[2] / w, a[4] / w));
            }
            System.out.println(sb);
        }
        kickSteps(mix, refs, st);
    }

    /**
     * {@code --kick}, 60-150 Hz ({@code --kick-steps-hz LO,HI}: that band): which step of the cascade sets the drums' and the bass's masks there. The drums' step's
     * kick share in three stages (the long window's decision alone: {@code kickTemplate} 0; with the template's share:
     * {@code kickAttack} 0; with the attack: the recipe's step), then the drums' and the bass's masks as the cascade
     * builds them, after each step (before the pan prior and the sharpening, which mono skips), the final masks, and the
     * stems on the recipe's window grid without and with its Wiener step read as masks (each stem's projection on the
     * mixture, {@code Re(S conj X) / |X|^2}: in stereo, whether the Wiener step's images take back what the masks
     * gave; session 26). The bass's bins are
     * split by whether they lie within one bin of a harmonic of the bass's tracked pitch (mono's comb tracker, the
     * one the low band's comb reads; stereo: the partials' own) in a voiced frame. Energy-weighted means of the masks, with the oracle ratio's.
     */
    static void kickSteps(AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st) throws Exception {
        SpectralMix sm = SpectralMix.of(mix);
        int lo = (int) Math.ceil(kickStepsHz[0] / sm.binHz()), top = (int) Math.ceil(kickStepsHz[1] / sm.binHz());
        List<String> rows = new ArrayList<>();
        List<float[][]> drumsRows = new ArrayList<>(), bassRows = new ArrayList<>();
        ModelFreeSeparators.Settings noTemplate = copy(st), noAttack = copy(st);
        set(noTemplate, "kickTemplate", "0");
        set(noAttack, "kickAttack", "0");
        String[] stage = {"drums step, long window alone", "drums step, + template's share", "drums step, + attack"};
        ModelFreeSeparators.Settings[] stageSettings = {noTemplate, noAttack, st};
        float[][] expected = null;
        for (int i = 0; i < 3; i++) {
            MaskStep d = ModelFreeSeparators.defaultRecipe(stageSettings[i]).steps().get(0);
            rows.add(stage[i]);
            drumsRows.add(columns(d.take(sm, sm.ones()).get("drums"), lo, top));
            bassRows.add(null);
            if (i == 2 && d instanceof HpssStep && ((HpssStep) d).lastKickExpected() != null) {
                expected = copyOf(((HpssStep) d).lastKickExpected());
            }
        }
        MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
        float[][] avail = sm.ones();
        float[][] drums = new float[sm.frames()][top - lo], bass = new float[sm.frames()][top - lo];
        LeadStep tracker = null;
        for (MaskStep s : rec.steps()) {
            Map<String, float[][]> taken = s.take(sm, avail);
            for (String n : s.stemNames()) {
                float[][] m = taken.get(n);
                for (int f = 0; f < m.length; f++) {
                    for (int b = 0; b < m[f].length; b++) {
                        float v = Math.min(m[f][b], avail[f][b]);
                        avail[f][b] -= v;
                        if (b >= lo && b < top && n.equals("drums")) drums[f][b - lo] += v;
                        if (b >= lo && b < top && n.equals("bass")) bass[f][b - lo] += v;
                    }
                }
            }
            if (s instanceof BassPartialsStep) tracker = bassComb((BassPartialsStep) s, mix.channels());
            rows.add("after " + s.getClass().getSimpleName() + " " + s.stemNames());
            drumsRows.add(copyOf(drums));
            bassRows.add(copyOf(bass));
        }
        // the final masks (the pan prior and the sharpening on top of the steps), the whole clip at once
        Map<String, float[][]> fin = ModelFreeSeparators.defaultRecipe(st).masks(sm); // a fresh one: steps carry memory
        rows.add("final masks (pan prior, sharpening)");
        drumsRows.add(columns(fin.get("drums"), lo, top));
        bassRows.add(columns(fin.get("bass"), lo, top));
        int fixedRows = rows.size();
        // then the stems on the recipe's window grid, without and with its Wiener step, read as masks: each stem's
        // projection on the mixture, Re(S conj X) / |X|^2 (the stems sum to the mixture, so these sum to one too)
        ModelFreeSeparators.Settings noWiener = copy(st);
        noWiener.wiener = 0;
        List<Map<String, float[][]>> stems = new ArrayList<>();
        for (ModelFreeSeparators.Settings s : new ModelFreeSeparators.Settings[] {noWiener, st}) {
            if (s == st && st.wiener == 0) break;
            stems.add(SeparationEval.mapStems(new Separation(ModelFreeSeparators.defaultSeparator(s)).separate(mix, Progress.NONE)));
            rows.add(s == st ? "stems after the Wiener step (window grid)" : "stems, masks only (window grid)");
        }
        double[] track = tracker != null ? tracker.lastTrack() : new double[sm.frames()];
        // [group: drums' bins, bass's bins on a partial, bass's off them, shared][energy, oracle drums, oracle bass,
        // energy in frames a template reaches, template's share min(1, (E/|X|)^2) there, the true drums' energy share]
        double[][] grp = new double[4][6];
        // [row][group][drums, bass]
        double[][][] acc = new double[rows.size()][4][2];
        for (int c = 0; c < mix.channels(); c++) {
            Map<String, Spectrogram> specs = new LinkedHashMap<>();
            for (String s : SeparationEval.STEMS) specs.put(s, sm.stft().analyze(refs.get(s)[c]));
            Spectrogram d = specs.get("drums"), b = specs.get("bass"), x = sm.spectrum(c);
            Spectrogram[][] est = new Spectrogram[stems.size()][];
            for (int i = 0; i < est.length; i++) {
                est[i] = new Spectrogram[] {sm.stft().analyze(stems.get(i).get("drums")[c]),
                        sm.stft().analyze(stems.get(i).get("bass")[c])};
            }
            for (int f = 0; f < sm.frames(); f++) {
                for (int k = lo; k < top; k++) {
                    double tot = 0;
                    for (Spectrogram sp : specs.values()) tot += Math.hypot(sp.re(f)[k], sp.im(f)[k]);
                    if (!(tot > 0)) continue;
                    double od = Math.hypot(d.re(f)[k], d.im(f)[k]) / tot, ob = Math.hypot(b.re(f)[k], b.im(f)[k]) / tot;
                    double e = sq(x.re(f)[k], x.im(f)[k]);
                    int g = od >= DOMINANT ? 0 : ob >= DOMINANT ? (onPartial(k, track[f], sm.binHz()) ? 1 : 2) : 3;
                    for (int i = 0; i < est.length; i++) {
                        double xr = x.re(f)[k], xi = x.im(f)[k];
                        acc[fixedRows + i][g][0] += est[i][0].re(f)[k] * xr + est[i][0].im(f)[k] * xi;
                        acc[fixedRows + i][g][1] += est[i][1].re(f)[k] * xr + est[i][1].im(f)[k] * xi;
                    }
                    grp[g][0] += e;
                    grp[g][1] += e * od;
                    grp[g][2] += e * ob;
                    if (expected != null && reached(expected[f]) && e > 0) {
                        double ex = expected[f][k];
                        grp[g][3] += e;
                        grp[g][4] += e * Math.min(1, ex * ex / e);
                        grp[g][5] += Math.min(e, sq(d.re(f)[k], d.im(f)[k]));
                    }
                    for (int r = 0; r < fixedRows; r++) {
                        acc[r][g][0] += e * drumsRows.get(r)[f][k - lo];
                        if (bassRows.get(r) != null) acc[r][g][1] += e * bassRows.get(r)[f][k - lo];
                    }
                }
            }
        }
        double total = 0;
        for (double[] a : grp) total += a[0];
        String[] groups = {"drums' bins", "bass's on a partial", "bass's off them", "shared"};
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "    kick %.0f-%.0f Hz by step, drums / bass mask (oracle)",
                kickStepsHz[0], kickStepsHz[1]));
        for (int g = 0; g < 4; g++) {
            double w = grp[g][0] > 0 ? grp[g][0] : 1;
            h.append(String.format(Locale.ROOT, " | %s %.2f of the energy (%.2f / %.2f)", groups[g],
                    total > 0 ? grp[g][0] / total : 0, grp[g][1] / w, grp[g][2] / w));
        }
        System.out.println(h);
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "      %-44s", "template's share (true drums' energy share)"));
        for (int g = 0; g < 4; g++) {
            double w = grp[g][3] > 0 ? grp[g][3] : 1;
            t.append(String.format(Locale.ROOT, " | %.2f (%.2f) in %.2f", grp[g][4] / w, grp[g][5] / w,
                    grp[g][0] > 0 ? grp[g][3] / grp[g][0] : 0));
        }
        System.out.println(t);
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "      %-44s", rows.get(r)));
            for (int g = 0; g < 4; g++) {
                double w = grp[g][0] > 0 ? grp[g][0] : 1;
                sb.append(r >= fixedRows || bassRows.get(r) != null
                        ? String.format(Locale.ROOT, " | %.2f / %.2f", acc[r][g][0] / w, acc[r][g][1] / w)
                        : String.format(Locale.ROOT, " | %.2f /  -  ", acc[r][g][0] / w));
            }
            System.out.println(sb);
        }
    }

    /** {@code --kick-bound} (see the class comment). */
    private static boolean kickBound;

    /** {@code --kick-bound}'s lag groups (short frames from the start of a span the template reaches, onset - PRE). */
    static final int[] KICK_LAGS = {0, 2, 4, 6, 10, 16, 24, Integer.MAX_VALUE};

    /**
     * {@code --kick-bound}: how the kick template's expected magnitude E reads the true kick, and what the kick decision
     * would score with the true level. On the whole clip at once (as {@code --kick}'s steps), at 60-150 Hz, on the drums'
     * bins (the drums at least {@link #DOMINANT} of the sources' magnitude; channel-averaged magnitudes as the step
     * reads them): E against the true drums' magnitude D and the mixture's X per lag group from the start of a span
     * an onset's template reaches ({@link #KICK_LAGS}; lag 2 is the onset), the share of the drums' energy in the frames
     * it reaches, and per span the scale that fits E to D ({@code sum E D / sum E^2}; quantiles over the spans). Then
     * SI-SDRi of drums and bass, masked mixture (no Wiener step): the recipe's masks; with E replaced by D in the
     * frames the template reaches (the template's level and shape made true, its frames kept); with E = D in every
     * frame; with E raised to D, lowered to D, per bin where it reaches (its under-read, its over-read) ({@link
     * HpssStep#givenKickMagnitude}).
     */
    static void kickBound(String song, AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st)
            throws java.io.IOException {
        SpectralMix truth = SpectralMix.of(new AudioClip(mix.format(), refs.get("drums")));
        float[][] dMag = copyOf(truth.magnitude());
        String[] labels = {"recipe", "E = D where it reaches", "E = D everywhere", "max(E, D)", "min(E, D)"};
        float[][] expected = null, xMag = null, srcTot = null;
        double[] track = null;
        Map<String, float[][]> recipeEst = null, loweredEst = null;
        StringBuilder sc = new StringBuilder("    kick bound, masked SI-SDRi drums / bass:");
        for (int v = 0; v < labels.length; v++) {
            SpectralMix sm = SpectralMix.of(mix);
            MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
            if (!(rec.steps().get(0) instanceof HpssStep)) throw new IllegalStateException("the recipe's first step is not HPSS");
            HpssStep d = (HpssStep) rec.steps().get(0);
            if (v > 0) d.givenKickMagnitude(dMag, v - 1);
            Map<String, float[][]> masks = rec.masks(sm);
            if (v == 0) {
                track = combTrack(rec, mix.channels());
                expected = d.lastKickExpected() != null ? copyOf(d.lastKickExpected()) : null;
                xMag = copyOf(sm.magnitude());
                srcTot = new float[sm.frames()][sm.bins()];
                for (String s : SeparationEval.STEMS) {
                    float[][] m = SpectralMix.of(new AudioClip(mix.format(), refs.get(s))).magnitude();
                    for (int f = 0; f < srcTot.length; f++) for (int k = 0; k < srcTot[f].length; k++) srcTot[f][k] += m[f][k];
                }
            }
            Map<String, float[][]> est = SeparationEval.mapStems(sm.apply(masks));
            if (v == 0) recipeEst = est;
            if (v == labels.length - 1) loweredEst = est;
            sc.append(String.format(Locale.ROOT, " | %s %.2f / %.2f (voiced %.2f)", labels[v],
                    SeparationMetrics.siSdr(refs.get("drums"), est.get("drums")) - SeparationMetrics.siSdr(refs.get("drums"), mix.samples()),
                    SeparationMetrics.siSdr(refs.get("bass"), est.get("bass")) - SeparationMetrics.siSdr(refs.get("bass"), mix.samples()),
                    voiced(combTrack(rec, mix.channels()))));
        }
        if (expected == null) {
            System.out.println("    kick bound: no template learned on this clip");
            System.out.println(sc);
            return;
        }
        if (kickCapWidths != null) {
            // where the masked stems change when E is lowered to D (60-150 Hz only): in that band, or above it
            System.out.println("    recipe -> min(E, D), masked stems:");
            diff(mix, refs, recipeEst, loweredEst);
            kickCapBound(mix, refs, st, dMag, expected, track, srcTot, sc, "recipe's track", true);
            kickCapBound(mix, refs, st, dMag, expected, bridged(track, KICK_CAP_BRIDGE), srcTot, sc,
                    "track bridged over " + KICK_CAP_BRIDGE + " unvoiced frames", false);
            Path midi = corpusDir == null ? null : corpusDir.resolve(song).resolve("song.mid");
            if (midi != null && java.nio.file.Files.isRegularFile(midi)) {
                SpectralMix bass = SpectralMix.of(new AudioClip(mix.format(), refs.get("bass")));
                float[][] bm = bass.magnitude();
                double[] energy = new double[bm.length];
                for (int f = 0; f < bm.length; f++) for (float v : bm[f]) energy[f] += v * v;
                kickCapBound(mix, refs, st, dMag, expected, MidiBassTrack.track(MidiBassTrack.notes(midi), bm.length,
                        bass.frameSeconds(), energy), srcTot, sc, "the score's bass track", false);
            }
        }
        SpectralMix sm = truth;
        int lo = (int) Math.ceil(FOCUS_EDGES[1] / sm.binHz()), top = Math.min(expected[0].length, (int) Math.ceil(FOCUS_EDGES[2] / sm.binHz()));
        int groups = KICK_LAGS.length - 1;
        double[][] lag = new double[groups][4]; // [group][sum E, sum D, sum X, bins]
        double reachedD = 0, allD = 0;
        List<Double> scales = new ArrayList<>();
        double ed = 0, ee = 0;
        int start = -1;
        for (int f = 0; f <= expected.length; f++) {
            boolean r = f < expected.length && reached(expected[f]);
            if ((!r || f == expected.length) && start >= 0) {
                if (ee > 0) scales.add(ed / ee);
                start = -1;
                ed = 0;
                ee = 0;
            }
            if (f == expected.length) break;
            if (r && start < 0) start = f;
            int l = start >= 0 ? f - start : -1;
            int g = 0;
            while (l >= 0 && g < groups - 1 && l >= KICK_LAGS[g + 1]) g++;
            for (int k = lo; k < top; k++) {
                if (!(srcTot[f][k] > 0) || dMag[f][k] < DOMINANT * srcTot[f][k]) continue;
                double dd = dMag[f][k];
                allD += dd * dd;
                if (!r) continue;
                reachedD += dd * dd;
                double e = expected[f][k];
                lag[g][0] += e;
                lag[g][1] += dd;
                lag[g][2] += xMag[f][k];
                lag[g][3]++;
                ed += e * dd;
                ee += e * e;
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "    kick template 60-150 Hz, drums' bins: %.2f of their energy in frames it reaches; E / D (X / D) by lag:",
                allD > 0 ? reachedD / allD : 0));
        for (int g = 0; g < groups; g++) {
            if (lag[g][3] == 0) continue;
            sb.append(String.format(Locale.ROOT, " %d-%s %.2f (%.2f) n%d", KICK_LAGS[g],
                    KICK_LAGS[g + 1] == Integer.MAX_VALUE ? "" : String.valueOf(KICK_LAGS[g + 1] - 1),
                    lag[g][0] / lag[g][1], lag[g][2] / lag[g][1], (int) lag[g][3]));
        }
        System.out.println(sb);
        java.util.Collections.sort(scales);
        int n = scales.size();
        if (n > 0) {
            System.out.println(String.format(Locale.ROOT, "    kick template: %d spans; scale fitting E to D, quantiles 0.1 / 0.25 / 0.5 / 0.75 / 0.9: %.2f / %.2f / %.2f / %.2f / %.2f",
                    n, scales.get((int) (0.1 * (n - 1))), scales.get((int) (0.25 * (n - 1))), scales.get((n - 1) / 2),
                    scales.get((int) (0.75 * (n - 1))), scales.get((int) (0.9 * (n - 1)))));
        }
        System.out.println(sc);
    }

    /** The share of a track's frames that are voiced (NaN without a track). */
    private static double voiced(double[] track) {
        if (track == null || track.length == 0) return Double.NaN;
        int n = 0;
        for (double t : track) if (t > 0) n++;
        return n / (double) track.length;
    }

    /** {@code --kick-cap-hz LO,HI}: {@link #kickCapBound}'s band (Hz); 60-150 unless given. */
    private static double[] kickCapHz = {60, 150};

    /** {@code --kick-cap W1,W2,...}: {@link #kickCapBound}'s comb widths (bins); null: off. */
    private static double[] kickCapWidths;

    /** The pitch track (Hz per frame) of the bass's comb the kick's steps before the low band read, after a run. */
    private static double[] combTrack(MaskCascade rec, int channels) {
        LeadStep t = bassComb(rec, channels);
        return t == null ? null : t.lastTrack();
    }

    /** The tracker of the bass's comb that a bass-partials step reads: the mono low band's on a mono clip. */
    private static LeadStep bassComb(BassPartialsStep p, int channels) {
        return channels == 1 && p.monoStep() instanceof BassPartialsStep
                ? ((BassPartialsStep) p.monoStep()).combStep() : p.combStep();
    }

    /** The same, for the recipe's (only) bass-partials step; null where the recipe has none. */
    private static LeadStep bassComb(MaskCascade rec, int channels) {
        for (MaskStep s : rec.steps()) if (s instanceof BassPartialsStep) return bassComb((BassPartialsStep) s, channels);
        return null;
    }

    /** {@link #bassComb(MaskCascade, int)} for the tools that need one: a recipe without bass partials is an error. */
    private static LeadStep requireBassComb(MaskCascade rec, int channels) {
        LeadStep tracker = bassComb(rec, channels);
        if (tracker == null) throw new IllegalArgumentException("the recipe has no bass partials");
        return tracker;
    }

    /**
     * {@code --kick-cap} (with {@code --kick-bound}): the template's expected magnitude E changed only on the bins
     * within W bins of a harmonic of a bass track ({@code which}: the recipe's comb tracker of the first run, the stereo
     * partials' or mono's low band's, that track bridged over short unvoiced gaps, or the score's bass), at 60-150 Hz
     * ({@code --kick-cap-hz LO,HI} another band), in the frames the template reaches: lowered to the true drums' D there (how much of "lowered to D" lies on the
     * tracked partials), zeroed there, capped at the line between E of the nearest bins off the comb on either side (a
     * rule needs no D); with {@code apart}, E lowered to D elsewhere instead: off the comb, in the frames the track
     * leaves unvoiced, on the bass's bins, on the shared bins (the bass, the drums at least {@link #DOMINANT} of the
     * sources' magnitude, neither). First the shares of E's over-read energy ({@code sum max(0, E - D)^2}) on those
     * bins. Masked SI-SDRi as {@link #kickBound}'s rows.
     */
    static void kickCapBound(AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st, float[][] dMag,
                             float[][] expected, double[] track, float[][] srcTot, StringBuilder sc, String which,
                             boolean apart) {
        if (track == null || track.length != expected.length) {
            sc.append(" | no comb track");
            return;
        }
        double binHz = SpectralMix.of(mix).binHz();
        int nb = expected[0].length;
        int lo = Math.max(1, (int) Math.ceil(kickCapHz[0] / binHz)), top = Math.min(nb, (int) Math.ceil(kickCapHz[1] / binHz));
        float[][] bMag = SpectralMix.of(new AudioClip(mix.format(), refs.get("bass"))).magnitude();
        String[] kinds = {"min(E, D) on comb", "0 on comb", "off-comb line cap", "min(E, D) off comb",
            "min(E, D) unvoiced frames", "min(E, D) on the bass's bins", "min(E, D) on shared bins"};
        for (double w : kickCapWidths) {
            // over-read energy [on comb, voiced off comb, unvoiced, all] and [bass's bins, drums' bins, shared]
            double[] over = new double[4], bySource = new double[3];
            boolean[][] on = new boolean[expected.length][nb], bassBin = new boolean[expected.length][nb];
            int voiced = 0, reachedFrames = 0;
            for (int f = 0; f < expected.length; f++) {
                if (!reached(expected[f])) continue;
                reachedFrames++;
                if (track[f] > 0) voiced++;
                for (int k = lo; k < top; k++) {
                    on[f][k] = nearHarmonic(k, track[f], binHz, w);
                    bassBin[f][k] = srcTot[f][k] > 0 && bMag[f][k] >= DOMINANT * srcTot[f][k];
                    double o = Math.max(0, expected[f][k] - dMag[f][k]);
                    o *= o;
                    over[3] += o;
                    over[on[f][k] ? 0 : track[f] > 0 ? 1 : 2] += o;
                    bySource[bassBin[f][k] ? 0 : srcTot[f][k] > 0 && dMag[f][k] >= DOMINANT * srcTot[f][k] ? 1 : 2] += o;
                }
            }
            double all = Math.max(1e-30, over[3]);
            sc.append(String.format(Locale.ROOT, "%n      %s, width %.1f (voiced %.2f of %d reached frames): E's over-read on comb"
                    + " %.2f, voiced off comb %.2f, unvoiced %.2f; on the bass's bins %.2f, the drums' %.2f, shared %.2f", which, w,
                    voiced / (double) Math.max(1, reachedFrames), reachedFrames, over[0] / all, over[1] / all, over[2] / all,
                    bySource[0] / all, bySource[1] / all, bySource[2] / all));
            for (int kind = 0; kind < (apart ? kinds.length : 3); kind++) {
                float[][] g = copyOf(expected);
                for (int f = 0; f < g.length; f++) {
                    if (!reached(expected[f])) continue;
                    for (int k = lo; k < top; k++) {
                        if (kind >= 3) {
                            boolean lower = kind == 3 ? !on[f][k] : kind == 4 ? !(track[f] > 0) : kind == 5 ? bassBin[f][k]
                                    : !bassBin[f][k] && !(dMag[f][k] >= DOMINANT * srcTot[f][k]);
                            if (lower) g[f][k] = Math.min(g[f][k], dMag[f][k]);
                        } else if (on[f][k]) {
                            g[f][k] = kind == 0 ? Math.min(expected[f][k], dMag[f][k]) : kind == 1 ? 0f
                                    : (float) Math.min(expected[f][k], offCombLine(expected[f], on[f], k, lo, top));
                        }
                    }
                }
                SpectralMix sm = SpectralMix.of(mix);
                MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
                ((HpssStep) rec.steps().get(0)).givenKickMagnitude(g, 0);
                Map<String, float[][]> est = SeparationEval.mapStems(sm.apply(rec.masks(sm)));
                sc.append(String.format(Locale.ROOT, " | %s %.2f / %.2f (voiced %.2f)", kinds[kind],
                        SeparationMetrics.siSdr(refs.get("drums"), est.get("drums")) - SeparationMetrics.siSdr(refs.get("drums"), mix.samples()),
                        SeparationMetrics.siSdr(refs.get("bass"), est.get("bass")) - SeparationMetrics.siSdr(refs.get("bass"), mix.samples()),
                        voiced(combTrack(rec, mix.channels()))));
            }
        }
    }

    /** {@code --bands-seconds}: {@link #bandsSeconds} per song. */
    private static boolean bandsSeconds;

    /** {@link #bandsSeconds}' bands (Hz): below the kick's body, the kick-or-bass band, the bass's first partials above it. */
    static final double[] SECOND_BANDS = {0, 60, 150, 300};

    /**
     * {@code --bands-seconds}: the bass estimate's error by second and band of {@link #SECOND_BANDS}, in % of the true
     * bass's energy over the clip: {@code [second][band][0]} where the estimate's magnitude is below the truth's (the
     * bass missed, "out"), {@code [1]} where it is above (others' energy in, "in"), summed over the channels (as
     * {@link #bands}). Where and when the bass loses, for the kick-or-bass decision and the comb alike.
     */
    static double[][][] bandsSeconds(AudioClip mix, Map<String, float[][]> refs, Map<String, float[][]> est) {
        SpectralMix sm = SpectralMix.of(mix);
        int nb = SECOND_BANDS.length - 1;
        int seconds = (int) Math.ceil(mix.frames() / (double) mix.sampleRate());
        double[][][] err = new double[seconds][nb][2];
        double total = 0;
        for (int c = 0; c < mix.channels(); c++) {
            Spectrogram r = sm.stft().analyze(refs.get("bass")[c]);
            Spectrogram e = sm.stft().analyze(est.get("bass")[c]);
            for (int f = 0; f < r.frames(); f++) {
                int sec = Math.min(seconds - 1, (int) (f * sm.frameSeconds()));
                for (int b = 0; b < r.bins(); b++) {
                    double pr = sq(r.re(f)[b], r.im(f)[b]);
                    total += pr;
                    double hz = b * sm.binHz();
                    if (hz >= SECOND_BANDS[nb]) continue;
                    int band = 0;
                    while (hz >= SECOND_BANDS[band + 1]) band++;
                    double pe = sq(e.re(f)[b], e.im(f)[b]);
                    err[sec][band][pe < pr ? 0 : 1] += sq(e.re(f)[b] - r.re(f)[b], e.im(f)[b] - r.im(f)[b]);
                }
            }
        }
        for (double[][] x : err) for (double[] y : x) for (int k = 0; k < 2; k++) y[k] *= 100 / Math.max(total, 1e-30);
        return err;
    }

    /**
     * {@code --onset-spans REACH,AFTER,CENTS}: {@link #onsetSpans}' reach and later frame after an onset (seconds) and
     * its pitch tolerance (cents).
     */
    private static double[] spanSeconds = {0.15, 0.1, 50};

    /** {@code --kick-causes} (see {@link #kickCauses}), and its rows summed over the songs. */
    private static boolean kickCauses;
    private static double[][] kickCausesSum;
    private static int kickCausesSongs;

    /** {@link #kickCauses}'s rows. */
    static final String[] KICK_CAUSES = {
        "oracle, every frame", "oracle, frames with drums and bass", "oracle, frames with drums, no bass",
        "oracle, frames without drums", "oracle, drums' attack (lag 0-1)", "oracle, drums' body (lag 2-6)",
        "oracle, drums' tail (lag 7+)", "drums vs bass re-split", "drums vs other+lead re-split",
        "missed given back (raised to oracle)", "taken removed (lowered to oracle)",
        "re-split on tracked partials (voiced)", "re-split off them (voiced)", "re-split, unvoiced frames",
        "re-split, frames with drums and bass", "re-split, frames with drums, no bass", "re-split, frames without drums",
        "on partials, after an onset, pitch held", "on partials, after an onset, new, held on",
        "on partials, after an onset, neither", "on partials, no onset reaches",
        "on partials, onset spans, drums raised only", "on partials, onset spans, drums lowered only"};

    /**
     * {@link #kickCauses}' onset classes per frame: from 2 frames before a low-band onset of the recipe's drums step
     * ({@link HpssStep#lastKickOnsets}; the template's patch starts there) to {@code reach} frames after it (not past
     * the next onset's span), 1 where the track holds the pitch of the frame before the span within {@code cents} (a
     * note held across the kick: its level before the onset is a cue), else 2 where the track holds this frame's pitch
     * {@code afterLag} frames after the onset (a note that starts with the kick and holds on: its level after the
     * kick's decay is a cue), 3 neither; 0 where no onset reaches.
     */
    static int[] onsetSpans(MaskCascade rec, double[] track, double reach, double afterLag, double cents, int frames) {
        int[] cls = new int[frames];
        HpssStep drums = null;
        for (MaskStep s : rec.steps()) if (s instanceof HpssStep) drums = (HpssStep) s;
        if (drums == null || drums.lastKickOnsets() == null || track == null) return cls;
        int[] onset = drums.lastKickOnsets();
        int n = drums.lastKickOnsetCount();
        for (int i = 0; i < n; i++) {
            int fb = onset[i] - 3;
            if (fb < 0) continue;
            int end = Math.min(frames, i + 1 < n ? onset[i + 1] - 2 : frames);
            end = (int) Math.min(end, onset[i] + Math.round(reach) + 1);
            int fa = (int) (onset[i] + Math.round(afterLag));
            boolean after = fa < Math.min(frames, i + 1 < n ? onset[i + 1] - 2 : frames);
            for (int f = fb + 1; f < end; f++) {
                cls[f] = sameNote(track, f, fb, cents) ? 1 : after && sameNote(track, f, fa, cents) ? 2 : 3;
            }
        }
        return cls;
    }

    /**
     * {@code --kick-causes}: what the drums' masked mixture (the recipe's masks on the whole clip, no Wiener step, as
     * {@code --focus}) would gain at 60-150 Hz with the oracle ratio mask in part of that band, the rest as the recipe
     * left it: the cause a rule could reach. Frames are classed by the true sources' energy at 60-150 Hz (a source
     * "sounds" where it holds at least {@link #CAUSE_SHARE} of the band's summed energy in that frame) and by the
     * frames since the last onset of the true drums there (an onset: the band's drum energy at least twice each of
     * the two frames before, and above 1e-3 of its loudest frame; 23 ms frames at 44.1 kHz). The re-splits keep the
     * sum of the drums' and the rival's masks and share it by the true magnitudes ({@code |D| / (|D| + |R|)}): the
     * kick-against-bass (or against other and lead) decision alone (rows 7-8); rows 11-13 the one against the bass
     * only on the bins within a bin of a harmonic of the bass tracker's pitch ({@code track}, Hz per frame, 0
     * unvoiced; null: every frame unvoiced) in voiced frames, off them, in unvoiced frames; rows 14-16 in each frame
     * class. Rows 9-10 take only
     * the drums mask's errors below (missed) or above (taken) the oracle. Returns [row][SI-SDRi gain, share of the
     * drums' band energy in the row's frames, the drums mask's held share there ({@code sum |D|^2 m^2 / sum |D|^2}),
     * (row 0: the masked SI-SDRi itself), the bass mask's held share, the bass's and the rest's energy the drums mask
     * takes there (of the drums' whole band energy), the share of the drums' energy there in frames the tracker
     * voices]; rows 7 and up repeat row 0's shares. Row 0's gain is {@code --focus}'s 60-150 Hz bound.
     */
    static double[][] kickCauses(SpectralMix sm, Map<String, float[][]> refs, Map<String, float[][]> masks, double[] track) {
        return kickCauses(sm, refs, masks, track, new int[sm.frames()]);
    }

    private static boolean sameNote(double[] t, int f, int g, double cents) {
        return t[f] > 0 && t[g] > 0 && Math.abs(Math.log(t[f] / t[g]) / Math.log(2)) * 1200 <= cents;
    }

    /**
     * {@link #kickCauses}, rows 17-20 the re-split on the tracked partials by {@link #onsetSpans}' classes, rows 21-22
     * on the partials in the onset spans only the drums mask's errors below (raised) or above (lowered) the re-split
     * (session 32, held-out mono, first 12 s: of the partials' +0.67 dB, held +0.12, new and held on +0.35, neither
     * +0.13, no onset +0.08; raised only +0.32, lowered only +0.28).
     */
    static double[][] kickCauses(SpectralMix sm, Map<String, float[][]> refs, Map<String, float[][]> masks, double[] track,
                                 int[] spans) {
        int lo = (int) Math.ceil(FOCUS_EDGES[1] / sm.binHz()), top = (int) Math.ceil(FOCUS_EDGES[2] / sm.binHz());
        int frames = sm.frames(), bins = sm.bins(), len = sm.clip().frames(), rows = KICK_CAUSES.length;
        float[][] md = masks.get("drums"), mb = masks.get("bass");
        int chans = sm.channels();
        Spectrogram[][] specs = new Spectrogram[chans][SeparationEval.STEMS.length];
        for (int c = 0; c < chans; c++) {
            for (int i = 0; i < SeparationEval.STEMS.length; i++) specs[c][i] = sm.stft().analyze(refs.get(SeparationEval.STEMS[i])[c]);
        }
        int di = java.util.Arrays.asList(SeparationEval.STEMS).indexOf("drums"), bi = java.util.Arrays.asList(SeparationEval.STEMS).indexOf("bass");
        // per frame, the band's true energies: drums, bass, the rest
        double[][] fe = new double[frames][3];
        for (int c = 0; c < chans; c++) {
            for (int f = 0; f < frames; f++) {
                for (int k = lo; k < top; k++) {
                    for (int i = 0; i < SeparationEval.STEMS.length; i++) {
                        fe[f][i == di ? 0 : i == bi ? 1 : 2] += sq(specs[c][i].re(f)[k], specs[c][i].im(f)[k]);
                    }
                }
            }
        }
        double loudest = 0;
        for (double[] e : fe) loudest = Math.max(loudest, e[0]);
        int[] cls = new int[frames], lagCls = new int[frames];
        int last = -1000;
        for (int f = 0; f < frames; f++) {
            double tot = fe[f][0] + fe[f][1] + fe[f][2];
            boolean drums = tot > 0 && fe[f][0] >= CAUSE_SHARE * tot, bass = tot > 0 && fe[f][1] >= CAUSE_SHARE * tot;
            cls[f] = !drums ? 3 : bass ? 1 : 2;
            double before = Math.max(f > 0 ? fe[f - 1][0] : 0, f > 1 ? fe[f - 2][0] : 0);
            if (fe[f][0] > 1e-3 * loudest && fe[f][0] >= 2 * before) last = f;
            int lag = f - last;
            lagCls[f] = lag <= 1 ? 4 : lag <= 6 ? 5 : 6;
        }
        double[][] out = new double[rows][8];
        double bandEnergy = 0;
        float[][][] est = new float[rows + 1][chans][];
        for (int c = 0; c < chans; c++) {
            Spectrogram x = sm.spectrum(c);
            Spectrogram[] y = new Spectrogram[rows + 1];
            for (int r = 0; r <= rows; r++) y[r] = new Spectrogram(frames, bins);
            for (int f = 0; f < frames; f++) {
                for (int k = 0; k < bins; k++) {
                    double m = md[f][k];
                    double[] g = new double[rows + 1];
                    java.util.Arrays.fill(g, m);
                    if (k >= lo && k < top) {
                        double tot = 0, d = 0, b = 0, pr = 0;
                        for (int i = 0; i < SeparationEval.STEMS.length; i++) {
                            double a = Math.hypot(specs[c][i].re(f)[k], specs[c][i].im(f)[k]);
                            tot += a;
                            if (i == di) d = a;
                            else if (i == bi) b = a;
                            else pr += a * a;
                        }
                        double oracle = tot > 0 ? d / tot : 0.25, rest = tot - d - b;
                        double pd = d * d;
                        bandEnergy += pd;
                        g[0] = oracle;
                        g[cls[f]] = oracle;
                        g[lagCls[f]] = oracle;
                        double pair = m + mb[f][k];
                        g[7] = d + b > 0 ? pair * d / (d + b) : m;
                        double others = 1 - mb[f][k];
                        g[8] = d + rest > 0 ? Math.max(m, others) * d / (d + rest) : m;
                        g[9] = Math.max(m, oracle);
                        g[10] = Math.min(m, oracle);
                        boolean voiced = voicedAt(track, f);
                        g[voiced ? (onPartial(k, track[f], sm.binHz()) ? 11 : 12) : 13] = g[7];
                        if (voiced && onPartial(k, track[f], sm.binHz())) g[spans[f] == 0 ? 20 : 16 + spans[f]] = g[7];
                        if (voiced && onPartial(k, track[f], sm.binHz()) && spans[f] != 0) {
                            g[21] = Math.max(m, g[7]);
                            g[22] = Math.min(m, g[7]);
                        }
                        g[13 + cls[f]] = g[7];
                        for (int r : new int[] {0, cls[f], lagCls[f]}) {
                            out[r][1] += pd;
                            out[r][2] += pd * m * m;
                            out[r][4] += pd * mb[f][k] * mb[f][k];
                            out[r][5] += b * b * m * m;
                            out[r][6] += pr * m * m;
                            if (voicedAt(track, f)) out[r][7] += pd;
                        }
                    }
                    for (int r = 0; r <= rows; r++) {
                        y[r].re(f)[k] = (float) (x.re(f)[k] * g[r]);
                        y[r].im(f)[k] = (float) (x.im(f)[k] * g[r]);
                    }
                }
            }
            for (int r = 0; r <= rows; r++) est[r][c] = sm.stft().synthesize(y[r], len);
        }
        float[][] ref = refs.get("drums");
        double base = SeparationMetrics.siSdr(ref, sm.clip().samples());
        double plain = SeparationMetrics.siSdr(ref, est[rows]) - base;
        for (int r = 0; r < rows; r++) {
            out[r][0] = SeparationMetrics.siSdr(ref, est[r]) - base - plain;
            if (r <= 6) {
                out[r][2] = out[r][1] > 0 ? out[r][2] / out[r][1] : 0;
                out[r][4] = out[r][1] > 0 ? out[r][4] / out[r][1] : 0;
                out[r][5] = bandEnergy > 0 ? out[r][5] / bandEnergy : 0;
                out[r][6] = bandEnergy > 0 ? out[r][6] / bandEnergy : 0;
                out[r][7] = out[r][1] > 0 ? out[r][7] / out[r][1] : 0;
                out[r][1] = bandEnergy > 0 ? out[r][1] / bandEnergy : 0;
            }
        }
        for (int r = 7; r < rows; r++) for (int i = 1; i < 8; i++) if (i != 3) out[r][i] = out[0][i];
        out[0][3] = plain;
        return out;
    }

    private static boolean voicedAt(double[] track, int f) { return track != null && f < track.length && track[f] > 0; }

    /** {@link #kickCauses}: a true source sounds in a frame where it holds this share of the band's energy. */
    static final double CAUSE_SHARE = 0.1;

    private static void printKickCauses(double[][] kc) {
        System.out.printf(Locale.ROOT, "    drums 60-150 Hz causes, masked SI-SDRi %.2f: row  gain  (share of the drums' band energy, held by the drums mask, by the bass mask; the bass's and the rest's energy the drums mask takes, of the drums' band energy; the drums' energy in frames the bass tracker voices)%n", kc[0][3]);
        for (int r = 0; r < kc.length; r++) {
            System.out.printf(Locale.ROOT, "      %-40s %+6.2f  (%.2f, %.2f, %.2f; %.3f, %.3f; %.2f)%n", KICK_CAUSES[r], kc[r][0], kc[r][1], kc[r][2],
                    kc[r][4], kc[r][5], kc[r][6], kc[r][7]);
        }
    }

    private static void printBandsSeconds(double[][][] err) {
        StringBuilder h = new StringBuilder("    bass error by second, % of its energy, out (missed) / in (taken):");
        for (int i = 0; i + 1 < SECOND_BANDS.length; i++) {
            h.append(String.format(Locale.ROOT, "  %.0f-%.0f Hz", SECOND_BANDS[i], SECOND_BANDS[i + 1]));
        }
        System.out.println(h);
        double[][] sum = new double[SECOND_BANDS.length - 1][2];
        for (int sec = 0; sec < err.length; sec++) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "      %3d s", sec));
            for (int b = 0; b < err[sec].length; b++) {
                sb.append(String.format(Locale.ROOT, "   %5.2f / %5.2f", err[sec][b][0], err[sec][b][1]));
                sum[b][0] += err[sec][b][0];
                sum[b][1] += err[sec][b][1];
            }
            System.out.println(sb);
        }
        StringBuilder sb = new StringBuilder("      all  ");
        for (double[] x : sum) sb.append(String.format(Locale.ROOT, "   %5.2f / %5.2f", x[0], x[1]));
        System.out.println(sb);
    }

    /** {@code --anchor-bound}: {@link #anchorBound} per song. */
    private static boolean anchorBound;

    /** The recipe's (only) bass-partials step that a clip of {@code channels} runs: mono's own on a mono clip. */
    private static BassPartialsStep anchorStep(MaskCascade rec, int channels) {
        for (MaskStep s : rec.steps()) {
            if (!(s instanceof BassPartialsStep)) continue;
            BassPartialsStep p = (BassPartialsStep) s;
            return channels == 1 && p.monoStep() instanceof BassPartialsStep ? (BassPartialsStep) p.monoStep() : p;
        }
        return null;
    }

    /**
     * {@code --anchor-bound}: what the bass partials' anchor ({@link BassPartialsStep}: the frame's strongest
     * still-available magnitude below the anchor band's top, which scales every comb cap above it) costs where the
     * kick's template takes the bass's low bins. Masked SI-SDRi (whole clip, no Wiener step) of bass / drums / other
     * with the anchor read ({@link BassPartialsStep#givenAnchorAvailable}) from: the recipe's available; the mixture
     * (all available) in the frames the template reaches, and in every frame; what was available with the template's
     * E zeroed (before it took its share) and with E lowered to the true drums' D (the kick bound's over-read gone),
     * in the frames it reaches; the true bass's ratio mask (its own low level) in those frames and in every frame.
     * First the share of frames the template reaches and the anchor's mean drop there (dB, recipe vs mixture).
     */
    static void anchorBound(AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st) {
        SpectralMix sm0 = SpectralMix.of(mix);
        float[][] xMag = sm0.magnitude();
        float[][] bMag = SpectralMix.of(new AudioClip(mix.format(), refs.get("bass"))).magnitude();
        float[][] dMag = copyOf(SpectralMix.of(new AudioClip(mix.format(), refs.get("drums"))).magnitude());
        int frames = sm0.frames(), bins = sm0.bins();
        // run 0 (recipe) and the two template variants record what was available below the anchor's top
        float[][][] avail = new float[3][][];
        float[][] expected = null;
        for (int v = 0; v < 3; v++) {
            MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
            HpssStep d = (HpssStep) rec.steps().get(0);
            if (v == 1) d.givenKickMagnitude(new float[frames][bins], 0);
            if (v == 2) d.givenKickMagnitude(dMag, 3);
            BassPartialsStep p = anchorStep(rec, mix.channels());
            if (p == null) {
                System.out.println("    anchor bound: the recipe has no bass-partials step");
                return;
            }
            p.recordAnchorBand(true);
            SpectralMix sm = SpectralMix.of(mix);
            rec.masks(sm);
            avail[v] = p.lastAnchorAvailable();
            if (v == 0) expected = d.lastKickExpected() != null ? copyOf(d.lastKickExpected()) : null;
        }
        if (expected == null || avail[0] == null || avail[0].length != frames) {
            System.out.println("    anchor bound: no template learned on this clip (or no anchor recorded)");
            return;
        }
        int top = avail[0][0].length;
        boolean[] reach = new boolean[frames];
        int reachedFrames = 0;
        double drop = 0;
        int dropFrames = 0;
        float[] ones = new float[top];
        java.util.Arrays.fill(ones, 1f);
        float[][] ratio = new float[frames][top];
        for (int f = 0; f < frames; f++) {
            reach[f] = reached(expected[f]);
            for (int b = 0; b < top; b++) ratio[f][b] = xMag[f][b] > 0 ? Math.min(1f, bMag[f][b] / xMag[f][b]) : 0f;
            if (!reach[f]) continue;
            reachedFrames++;
            double a = 0, x = 0;
            for (int b = 1; b < top; b++) {
                a = Math.max(a, xMag[f][b] * avail[0][f][b]);
                x = Math.max(x, xMag[f][b]);
            }
            if (a > 0 && x > 0) {
                drop += 20 * Math.log10(x / a);
                dropFrames++;
            }
        }
        String[] labels = {"recipe", "mixture where E reaches", "mixture everywhere", "E zeroed, where it reaches",
            "E lowered to D, where it reaches", "true bass where E reaches", "true bass everywhere"};
        StringBuilder sc = new StringBuilder(String.format(Locale.ROOT,
                "    anchor bound (E reaches %.2f of frames; anchor %.2f dB below the mixture's there), masked SI-SDRi bass / drums / other:",
                reachedFrames / (double) frames, dropFrames > 0 ? drop / dropFrames : 0));
        for (int v = 0; v < labels.length; v++) {
            float[][] given = null;
            if (v > 0) {
                given = new float[frames][];
                for (int f = 0; f < frames; f++) {
                    boolean here = v == 2 || v == 6 || reach[f];
                    if (!here) continue;
                    given[f] = v <= 2 ? ones : v == 3 ? avail[1][f] : v == 4 ? avail[2][f] : ratio[f];
                }
            }
            MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
            anchorStep(rec, mix.channels()).givenAnchorAvailable(given);
            SpectralMix sm = SpectralMix.of(mix);
            Map<String, float[][]> est = SeparationEval.mapStems(sm.apply(rec.masks(sm)));
            sc.append(String.format(Locale.ROOT, "%n      %-34s %6.2f / %6.2f / %6.2f", labels[v],
                    SeparationMetrics.siSdr(refs.get("bass"), est.get("bass")) - SeparationMetrics.siSdr(refs.get("bass"), mix.samples()),
                    SeparationMetrics.siSdr(refs.get("drums"), est.get("drums")) - SeparationMetrics.siSdr(refs.get("drums"), mix.samples()),
                    SeparationMetrics.siSdr(refs.get("other"), est.get("other")) - SeparationMetrics.siSdr(refs.get("other"), mix.samples())));
        }
        System.out.println(sc);
    }

    /** {@code --kick-cap}: unvoiced gaps of the recipe's track up to this many frames take the nearer side's pitch. */
    static final int KICK_CAP_BRIDGE = 12;

    /** {@code track} with each unvoiced run of at most {@code gap} frames between voiced ones filled from the nearer. */
    static double[] bridged(double[] track, int gap) {
        double[] t = track.clone();
        for (int f = 0; f < t.length; f++) {
            if (t[f] > 0) continue;
            int a = f - 1, b = f;
            while (b < t.length && !(track[b] > 0)) b++;
            if (a >= 0 && b < t.length && b - a - 1 <= gap) {
                for (int g = f; g < b; g++) t[g] = g - a <= b - g ? track[a] : track[b];
            }
            f = b;
        }
        return t;
    }

    /** Whether bin k lies within {@code w} bins of a harmonic of {@code f0} Hz (0 or less: unvoiced, no). */
    static boolean nearHarmonic(int k, double f0, double binHz, double w) {
        if (!(f0 > 0)) return false;
        double step = f0 / binHz, h = Math.max(1, Math.rint(k / step));
        return Math.abs(k - h * step) <= w;
    }

    /**
     * E at bin k interpolated between the nearest bins off the comb below and above it (within {@code lo - 1 .. top});
     * one side's where the other has none; E itself where neither has.
     */
    static double offCombLine(float[] e, boolean[] on, int k, int lo, int top) {
        int a = k - 1, b = k + 1;
        while (a >= Math.max(0, lo - 1) && on[a]) a--;
        while (b < Math.min(on.length, top + 1) && on[b]) b++;
        boolean ha = a >= Math.max(0, lo - 1), hb = b < Math.min(on.length, top + 1);
        if (ha && hb) return e[a] + (e[b] - e[a]) * (k - a) / (double) (b - a);
        if (ha) return e[a];
        if (hb) return e[b];
        return e[k];
    }

    /** Whether any onset's template reaches this frame (some bin's expected magnitude above 0). */
    private static boolean reached(float[] e) {
        for (float v : e) if (v > 0) return true;
        return false;
    }

    /** Whether short bin k lies within one bin of a harmonic of {@code f0} Hz (0 or less: unvoiced, no). */
    private static boolean onPartial(int k, double f0, double binHz) {
        if (!(f0 > 0)) return false;
        double step = f0 / binHz, h = Math.max(1, Math.rint(k / step));
        return Math.abs(k - h * step) <= 1;
    }

    /** Bins {@code lo..top-1} of every frame of {@code m}, copied. */
    private static float[][] columns(float[][] m, int lo, int top) {
        float[][] c = new float[m.length][];
        for (int f = 0; f < m.length; f++) c[f] = java.util.Arrays.copyOfRange(m[f], lo, top);
        return c;
    }

    private static float[][] copyOf(float[][] m) {
        float[][] c = new float[m.length][];
        for (int f = 0; f < m.length; f++) c[f] = m[f].clone();
        return c;
    }

    /** Seconds listed per stem by {@link #diff}: those whose error changed most. */
    static final int DIFF_SECONDS = 3;

    /** See the class comment ({@code --diff}): {@code a} the stems with the settings, {@code b} with the variant. */
    static void diff(AudioClip mix, Map<String, float[][]> refs, Map<String, float[][]> a, Map<String, float[][]> b) {
        SpectralMix sm = SpectralMix.of(mix);
        int nb = FOCUS_EDGES.length - 1, bins = sm.bins();
        int[] bandOf = focusBands(bins, sm.binHz());
        int secs = (int) Math.ceil(mix.frames() / (double) mix.sampleRate());
        for (String s : SeparationEval.STEMS) {
            double[][] change = new double[secs][nb];
            double total = 0;
            for (int c = 0; c < mix.channels(); c++) {
                Spectrogram r = sm.stft().analyze(refs.get(s)[c]);
                Spectrogram x = sm.stft().analyze(a.get(s)[c]), y = sm.stft().analyze(b.get(s)[c]);
                for (int f = 0; f < r.frames(); f++) {
                    int t = Math.min(secs - 1, (int) (f * sm.frameSeconds()));
                    float[] rr = r.re(f), ri = r.im(f), xr = x.re(f), xi = x.im(f), yr = y.re(f), yi = y.im(f);
                    for (int k = 0; k < bins; k++) {
                        total += sq(rr[k], ri[k]);
                        change[t][bandOf[k]] += sq(yr[k] - rr[k], yi[k] - ri[k]) - sq(xr[k] - rr[k], xi[k] - ri[k]);
                    }
                }
            }
            double siA = SeparationMetrics.siSdr(refs.get(s), a.get(s)), siB = SeparationMetrics.siSdr(refs.get(s), b.get(s));
            double[] byBand = new double[nb], bySecond = new double[secs];
            for (int t = 0; t < secs; t++) {
                for (int k = 0; k < nb; k++) {
                    byBand[k] += change[t][k];
                    bySecond[t] += change[t][k];
                }
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "    %-6s SI-SDR %+6.2f dB; error change, %% of its energy, by band:", s, siB - siA));
            for (int k = 0; k < nb; k++) {
                sb.append(String.format(Locale.ROOT, " %.0f- %+.3f", FOCUS_EDGES[k], 100 * byBand[k] / total));
            }
            System.out.println(sb);
            Integer[] order = new Integer[secs];
            for (int t = 0; t < secs; t++) order[t] = t;
            java.util.Arrays.sort(order, (p, q) -> Double.compare(Math.abs(bySecond[q]), Math.abs(bySecond[p])));
            for (int i = 0; i < Math.min(DIFF_SECONDS, secs); i++) {
                int t = order[i];
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "           second %3d %+8.3f:", t,
                        100 * bySecond[t] / total));
                for (int k = 0; k < nb; k++) row.append(String.format(Locale.ROOT, " %+8.3f", 100 * change[t][k] / total));
                System.out.println(row);
            }
        }
    }

    /** Each bin's band of {@link #FOCUS_EDGES}. */
    private static int[] focusBands(int bins, double binHz) {
        int nb = FOCUS_EDGES.length - 1;
        int[] bandOf = new int[bins];
        for (int b = 0; b < bins; b++) {
            double hz = b * binHz;
            int k = 0;
            while (k + 1 < nb && hz >= FOCUS_EDGES[k + 1]) k++;
            bandOf[b] = k;
        }
        return bandOf;
    }

    /** See the class comment ({@code --focus}). The recipe's masks are computed on the whole clip at once. */
    static void focus(String stem, AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st) {
        SpectralMix sm = SpectralMix.of(mix);
        Map<String, float[][]> masks = ModelFreeSeparators.defaultRecipe(st).masks(sm);
        String maskName = stem.equals("lead") ? "vocals" : stem;
        float[][] own = masks.get(maskName);
        if (own == null) throw new IllegalArgumentException("the recipe has no mask '" + maskName + "'");
        int nb = FOCUS_EDGES.length - 1, len = mix.frames(), frames = sm.frames(), bins = sm.bins();
        int[] bandOf = focusBands(bins, sm.binHz());
        double[] energy = new double[nb];
        double[][] held = new double[masks.size()][nb];
        Map<String, double[]> leak = new LinkedHashMap<>();
        for (String s : SeparationEval.STEMS) if (!s.equals(stem)) leak.put(s, new double[nb]);
        float[][][] est = new float[nb + 1][mix.channels()][];
        for (int c = 0; c < mix.channels(); c++) {
            Map<String, Spectrogram> specs = new LinkedHashMap<>();
            for (String s : SeparationEval.STEMS) specs.put(s, sm.stft().analyze(refs.get(s)[c]));
            Spectrogram x = sm.spectrum(c), me = specs.get(stem);
            Spectrogram[] y = new Spectrogram[nb + 1];
            for (int k = 0; k <= nb; k++) y[k] = new Spectrogram(frames, bins);
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    int band = bandOf[b];
                    double tot = 0;
                    for (Spectrogram sp : specs.values()) tot += Math.hypot(sp.re(f)[b], sp.im(f)[b]);
                    double mag = Math.hypot(me.re(f)[b], me.im(f)[b]), p = mag * mag;
                    double oracle = tot > 0 ? mag / tot : 0.25, m = own[f][b];
                    energy[band] += p;
                    int q = 0;
                    for (float[][] mk : masks.values()) held[q++][band] += p * mk[f][b] * mk[f][b];
                    for (Map.Entry<String, double[]> e : leak.entrySet()) {
                        Spectrogram o = specs.get(e.getKey());
                        e.getValue()[band] += sq(o.re(f)[b], o.im(f)[b]) * m * m;
                    }
                    // y[k]: the recipe's mask with band k oracle; y[nb]: the recipe's mask alone
                    for (int k = 0; k <= nb; k++) {
                        double g = k == band ? oracle : m;
                        y[k].re(f)[b] = (float) (x.re(f)[b] * g);
                        y[k].im(f)[b] = (float) (x.im(f)[b] * g);
                    }
                }
            }
            for (int k = 0; k <= nb; k++) est[k][c] = sm.stft().synthesize(y[k], len);
        }
        float[][] ref = refs.get(stem);
        double base = SeparationMetrics.siSdr(ref, mix.samples());
        double plain = SeparationMetrics.siSdr(ref, est[nb]) - base;
        double total = 0;
        for (double e : energy) total += e;
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "    %-6s band Hz    ", stem));
        for (int i = 0; i < nb; i++) h.append(String.format(Locale.ROOT, " %6.0f-", FOCUS_EDGES[i]));
        System.out.println(h);
        StringBuilder r = new StringBuilder("    band's share      ");
        for (int i = 0; i < nb; i++) r.append(String.format(Locale.ROOT, " %7.3f", energy[i] / total));
        System.out.println(r);
        int q = 0;
        for (String n : masks.keySet()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "    held by %-10s", n));
            for (int i = 0; i < nb; i++) row.append(String.format(Locale.ROOT, " %7.3f", energy[i] > 0 ? held[q][i] / energy[i] : 0));
            System.out.println(row);
            q++;
        }
        for (Map.Entry<String, double[]> e : leak.entrySet()) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "    %-6s taken, dB ", e.getKey()));
            for (int i = 0; i < nb; i++) {
                row.append(String.format(Locale.ROOT, " %7.1f", 10 * Math.log10(e.getValue()[i] / Math.max(energy[i], 1e-30) + 1e-12)));
            }
            System.out.println(row);
        }
        StringBuilder g = new StringBuilder(String.format(Locale.ROOT, "    SI-SDRi masked %6.2f; +oracle band", plain));
        for (int i = 0; i < nb; i++) g.append(String.format(Locale.ROOT, " %+6.2f", SeparationMetrics.siSdr(ref, est[i]) - base - plain));
        System.out.println(g);
    }

    /** The halves of {@code --after}'s split: whole, the rival's share of the stem given back, the rival's share removed. */
    private static final String[] AFTER_HALVES = {"split", "back", "out"};

    /**
     * See the class comment ({@code --after}); {@code est} are the recipe's final stems, {@code masked} the same
     * recipe's without its Wiener step (row "wiener": one band of the stem's final estimate replaced by its masked
     * mixture, what the Wiener step gives or costs there). Returns the gains [row][split, back, out][band] (the
     * "wiener" row in its first column).
     */
    static double[][][] after(String stem, AudioClip mix, Map<String, float[][]> refs, Map<String, float[][]> est,
                              Map<String, float[][]> masked) {
        SpectralMix sm = SpectralMix.of(mix);
        List<String> rivals = afterRows(stem);
        double[] edges = afterEdges != null ? afterEdges : FOCUS_EDGES;
        int nb = edges.length - 1, nr = rivals.size() - 1, len = mix.frames(), ch = mix.channels();
        int frames = sm.frames(), bins = sm.bins();
        int[] bandOf = new int[bins]; // -1: outside the bands
        for (int b = 0; b < bins; b++) {
            double hz = b * sm.binHz();
            bandOf[b] = -1;
            for (int k = 0; k < nb; k++) if (hz >= edges[k] && (hz < edges[k + 1] || k == nb - 1 && hz <= edges[nb])) bandOf[b] = k;
        }
        // [rival][half 1 = back, 2 = out][band][channel]: the change to the stem's final estimate; [nr][1]: the masked
        // mixture's band instead
        float[][][][][] delta = new float[nr + 1][3][nb][ch][];
        for (int c = 0; c < ch; c++) {
            Map<String, Spectrogram> src = new LinkedHashMap<>(), fin = new LinkedHashMap<>();
            for (String s : SeparationEval.STEMS) {
                src.put(s, sm.stft().analyze(refs.get(s)[c]));
                fin.put(s, sm.stft().analyze(est.get(s)[c]));
            }
            Spectrogram me = src.get(stem), mine = fin.get(stem);
            for (int r = 0; r < nr; r++) {
                String rival = rivals.get(r);
                // the rival's true magnitude and final estimate ("all": every other stem's, summed)
                Spectrogram[][] d = new Spectrogram[3][nb];
                for (int h = 1; h < 3; h++) for (int k = 0; k < nb; k++) d[h][k] = new Spectrogram(frames, bins);
                for (int f = 0; f < frames; f++) {
                    for (int b = 0; b < bins; b++) {
                        int k = bandOf[b];
                        if (k < 0) continue;
                        double ms = Math.hypot(me.re(f)[b], me.im(f)[b]), mr = 0, er = 0, ei = 0;
                        for (String s : SeparationEval.STEMS) {
                            if (s.equals(stem) || !(rival.equals("all") || rival.equals(s))) continue;
                            mr += Math.hypot(src.get(s).re(f)[b], src.get(s).im(f)[b]);
                            er += fin.get(s).re(f)[b];
                            ei += fin.get(s).im(f)[b];
                        }
                        double o = ms + mr > 0 ? ms / (ms + mr) : 0.5;
                        // split (Y_s + Y_r) o - Y_s = Y_r o (back) - Y_s (1 - o) (out)
                        d[1][k].re(f)[b] = (float) (er * o);
                        d[1][k].im(f)[b] = (float) (ei * o);
                        d[2][k].re(f)[b] = (float) (-mine.re(f)[b] * (1 - o));
                        d[2][k].im(f)[b] = (float) (-mine.im(f)[b] * (1 - o));
                    }
                }
                for (int h = 1; h < 3; h++) for (int k = 0; k < nb; k++) delta[r][h][k][c] = sm.stft().synthesize(d[h][k], len);
            }
            Spectrogram pre = sm.stft().analyze(masked.get(stem)[c]);
            Spectrogram[] d = new Spectrogram[nb];
            for (int k = 0; k < nb; k++) d[k] = new Spectrogram(frames, bins);
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    if (bandOf[b] < 0) continue;
                    d[bandOf[b]].re(f)[b] = pre.re(f)[b] - mine.re(f)[b];
                    d[bandOf[b]].im(f)[b] = pre.im(f)[b] - mine.im(f)[b];
                }
            }
            for (int k = 0; k < nb; k++) {
                delta[nr][1][k][c] = sm.stft().synthesize(d[k], len);
                delta[nr][2][k][c] = new float[len];
            }
        }
        nr++;
        float[][] ref = refs.get(stem), base = est.get(stem);
        double mixSi = SeparationMetrics.siSdr(ref, mix.samples()), baseSi = SeparationMetrics.siSdr(ref, base);
        double[][][] gain = new double[nr][3][nb];
        float[][] y = new float[ch][len];
        for (int r = 0; r < nr; r++) {
            for (int k = 0; k < nb; k++) {
                for (int h = 0; h < (r < nr - 1 ? 3 : 1); h++) {
                    for (int c = 0; c < ch; c++) {
                        for (int i = 0; i < len; i++) {
                            float v = base[c][i];
                            if (h != 2) v += delta[r][1][k][c][i];
                            if (h != 1) v += delta[r][2][k][c][i];
                            y[c][i] = v;
                        }
                    }
                    gain[r][h][k] = SeparationMetrics.siSdr(ref, y) - baseSi;
                }
            }
        }
        System.out.printf(Locale.ROOT, "    after the Wiener step: %s SI-SDRi %.2f; + one band split by the oracle with one rival%n",
                stem, baseSi - mixSi);
        String[] names = rivals.toArray(new String[0]);
        if (afterSum == null) afterSum = new double[nr][3][nb];
        for (int r = 0; r < nr; r++) for (int h = 0; h < 3; h++) for (int k = 0; k < nb; k++) afterSum[r][h][k] += gain[r][h][k];
        afterSongs++;
        printAfterRows(names, gain, 1);
        return gain;
    }

    private static void printAfter(String stem, double[][][] sum, int n) {
        printAfterRows(afterRows(stem).toArray(new String[0]), sum, n);
    }

    /** {@code --after}'s rows: each rival, "all", "wiener". */
    private static List<String> afterRows(String stem) {
        List<String> rows = new ArrayList<>();
        for (String s : SeparationEval.STEMS) if (!s.equals(stem)) rows.add(s);
        rows.add("all");
        rows.add("wiener");
        return rows;
    }

    private static void printAfterRows(String[] rivals, double[][][] gain, int n) {
        double[] edges = afterEdges != null ? afterEdges : FOCUS_EDGES;
        int nb = edges.length - 1;
        StringBuilder h = new StringBuilder("    rival  half   band Hz");
        for (int i = 0; i < nb; i++) h.append(String.format(Locale.ROOT, " %6.0f-", edges[i]));
        System.out.println(h);
        for (int r = 0; r < rivals.length; r++) {
            boolean wiener = rivals[r].equals("wiener");
            for (int q = 0; q < (wiener ? 1 : 3); q++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "    %-6s %-5s          ", rivals[r],
                        wiener ? "none" : AFTER_HALVES[q]));
                for (int k = 0; k < nb; k++) row.append(String.format(Locale.ROOT, " %+7.2f", gain[r][q][k] / n));
                System.out.println(row);
            }
        }
    }

    static final double[] COMB_EDGES = {220, 300, 500, 1000};
    /** The {@code --comb} bands' edges: {@link #COMB_EDGES} unless {@code --comb-hz} gives others. */
    private static double[] combEdges = COMB_EDGES;
    /** {@code --comb-gaps}: the comb's unvoiced frames by their distance to the nearest voiced frame ({@link #combGaps}). */
    private static boolean combGaps;
    /** Upper limits (frames) of the {@code --comb-gaps} groups, after the last voiced frame or before the next. */
    static final int[] GAP_FRAMES = {1, 2, 4, 8};
    /** Upper edges (bins) of the {@code --comb} offset groups; a last group holds what lies farther. */
    static final double[] COMB_OFFSETS = {0.5, 1.5, 2.5};
    /** The {@code --comb} partial rows: harmonics 1 to this, the last one holding those above. */
    static final int COMB_PARTIALS = 24;

    /** See the class comment ({@code --comb}). The recipe's masks and its separation on the whole clip at once. */
    static void comb(AudioClip mix, Map<String, float[][]> refs, ModelFreeSeparators.Settings st) {
        SpectralMix sm = SpectralMix.of(mix);
        MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
        Map<String, float[][]> masks = rec.masks(sm);
        LeadStep tracker = requireBassComb(rec, mix.channels());
        double[] track = tracker.lastTrack();
        float[][] own = masks.get("bass");
        Map<String, float[][]> sep = SeparationEval.mapStems(ModelFreeSeparators.defaultRecipe(st).separate(mix));
        int frames = sm.frames(), bins = sm.bins(), nb = combEdges.length - 1, ng = COMB_OFFSETS.length + 2;
        double binHz = sm.binHz();
        // [band][group]: bass energy, bass p m^2, oracle p o^2, others taken, error masked, error final
        double[][][] acc = new double[6][nb][ng];
        // [partial]: bass energy, oracle p o^2, the other sources' energy, others taken; then each mask's p m^2; then
        // each other source's energy taken by the bass mask
        String[] maskNames = masks.keySet().toArray(new String[0]);
        List<String> otherNames = new ArrayList<>();
        for (String s : SeparationEval.STEMS) if (!s.equals("bass")) otherNames.add(s);
        int takenAt = 4 + maskNames.length;
        double[][] byPartial = new double[COMB_PARTIALS + 1][takenAt + otherNames.size()];
        for (int c = 0; c < mix.channels(); c++) {
            Map<String, Spectrogram> specs = new LinkedHashMap<>();
            for (String s : SeparationEval.STEMS) specs.put(s, sm.stft().analyze(refs.get(s)[c]));
            Spectrogram x = sm.spectrum(c), me = specs.get("bass"), fin = sm.stft().analyze(sep.get("bass")[c]);
            for (int f = 0; f < frames; f++) {
                double step = track[f] / binHz;
                for (int b = 1; b < bins; b++) {
                    double hz = b * binHz;
                    if (hz < combEdges[0] || hz >= combEdges[nb]) continue;
                    int band = 0;
                    while (band + 1 < nb && hz >= combEdges[band + 1]) band++;
                    int g = ng - 1; // unvoiced
                    if (track[f] > 0) {
                        double d = Math.abs(b - Math.max(1, Math.rint(b / step)) * step);
                        g = 0;
                        while (g < COMB_OFFSETS.length && d >= COMB_OFFSETS[g]) g++;
                    }
                    double tot = 0;
                    for (Spectrogram sp : specs.values()) tot += Math.hypot(sp.re(f)[b], sp.im(f)[b]);
                    double mag = Math.hypot(me.re(f)[b], me.im(f)[b]), p = mag * mag;
                    double o = tot > 0 ? mag / tot : 0, m = own[f][b];
                    double others = 0;
                    for (Map.Entry<String, Spectrogram> e : specs.entrySet()) {
                        if (!e.getKey().equals("bass")) others += sq(e.getValue().re(f)[b], e.getValue().im(f)[b]);
                    }
                    acc[0][band][g] += p;
                    acc[1][band][g] += p * m * m;
                    acc[2][band][g] += p * o * o;
                    acc[3][band][g] += others * m * m;
                    acc[4][band][g] += sq(x.re(f)[b] * m - me.re(f)[b], x.im(f)[b] * m - me.im(f)[b]);
                    acc[5][band][g] += sq(fin.re(f)[b] - me.re(f)[b], fin.im(f)[b] - me.im(f)[b]);
                    if (g <= 1) {
                        int h = (int) Math.min(COMB_PARTIALS, Math.max(1, Math.rint(b / step)));
                        double[] row = byPartial[h];
                        row[0] += p;
                        row[1] += p * o * o;
                        row[2] += others;
                        row[3] += others * m * m;
                        for (int k = 0; k < maskNames.length; k++) {
                            double mk = masks.get(maskNames[k])[f][b];
                            row[4 + k] += p * mk * mk;
                        }
                        for (int k = 0; k < otherNames.size(); k++) {
                            Spectrogram o2 = specs.get(otherNames.get(k));
                            row[takenAt + k] += sq(o2.re(f)[b], o2.im(f)[b]) * m * m;
                        }
                    }
                }
            }
        }
        if (combGaps) combGaps(sm, refs, track, binHz);
        String[] groups = new String[ng];
        double lo = 0;
        for (int g = 0; g < COMB_OFFSETS.length; g++) {
            groups[g] = String.format(Locale.ROOT, "%.1f-%.1f", lo, COMB_OFFSETS[g]);
            lo = COMB_OFFSETS[g];
        }
        groups[ng - 2] = String.format(Locale.ROOT, ">%.1f", lo);
        groups[ng - 1] = "unvoiced";
        for (int band = 0; band < nb; band++) {
            double total = 0;
            for (int g = 0; g < ng; g++) total += acc[0][band][g];
            System.out.printf(Locale.ROOT, "    comb %4.0f-%4.0f Hz  offset  share  mask oracle others-dB err-masked-dB err-final-dB%n",
                    combEdges[band], combEdges[band + 1]);
            for (int g = 0; g < ng; g++) {
                double e = Math.max(acc[0][band][g], 1e-30);
                System.out.printf(Locale.ROOT, "    %20s %6.3f %6.3f %6.3f %8.1f %8.1f %8.1f%n", groups[g], acc[0][band][g] / Math.max(total, 1e-30),
                        acc[1][band][g] / e, acc[2][band][g] / e, db(acc[3][band][g] / e), db(acc[4][band][g] / e),
                        db(acc[5][band][g] / e));
            }
        }
        double combTotal = 0;
        for (double[] row : byPartial) combTotal += row[0];
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT,
                "    by partial, %.0f-%.0f Hz, within 1.5 bins  share oracle others-dB taken-dB", combEdges[0], combEdges[nb]));
        for (String n : maskNames) head.append(String.format(Locale.ROOT, " %7s", n));
        for (String n : otherNames) head.append(String.format(Locale.ROOT, " %6s-dB", n));
        System.out.println(head);
        for (int h = 1; h <= COMB_PARTIALS; h++) {
            double[] row = byPartial[h];
            if (row[0] < 0.01 * combTotal) continue;
            StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "    %40s %6.3f %6.3f %9.1f %8.1f",
                    h == COMB_PARTIALS ? ">=" + h : "h" + h, row[0] / combTotal, row[1] / row[0], db(row[2] / row[0]),
                    db(row[3] / row[0])));
            for (int k = 0; k < maskNames.length; k++) r.append(String.format(Locale.ROOT, " %7.3f", row[4 + k] / row[0]));
            for (int k = 0; k < otherNames.size(); k++) r.append(String.format(Locale.ROOT, " %9.1f", db(row[takenAt + k] / row[0])));
            System.out.println(r);
        }
    }

    /**
     * {@code --comb-gaps}: in the bands of {@code --comb}, the true bass's energy in unvoiced frames grouped by the
     * frames since the last voiced frame ("after k") or, where none lies within the last group's reach, until the next
     * one ("before k"), or neither ("far"); per group its share of the band's true bass energy, the oracle ratio mask's
     * energy-weighted mean, the share of it within 1.5 bins of a harmonic of the nearer voiced frame's pitch (a comb
     * carried over the gap), the oracle there and the other sources' energy there relative to the bass's: whether the
     * partials of the frames the tracker leaves unvoiced would be reached by the neighbouring note's comb, and how
     * clean that comb's bins would be. Returns, per band [band][group], the sums in the order: the group's share of the
     * band's bass energy, the oracle's mean, the share on the carried comb, the oracle's mean there, the others'
     * energy there relative to the bass's (groups "after" by {@link #GAP_FRAMES}, then "before", then "far").
     */
    static double[][][] combGaps(SpectralMix sm, Map<String, float[][]> refs, double[] track, double binHz) {
        int frames = sm.frames(), bins = sm.bins(), nb = combEdges.length - 1, reach = GAP_FRAMES[GAP_FRAMES.length - 1];
        int ng = 2 * GAP_FRAMES.length + 1;
        int[] prev = new int[frames], next = new int[frames];
        for (int f = 0, last = -1; f < frames; f++) {
            if (track[f] > 0) last = f;
            prev[f] = last;
        }
        for (int f = frames - 1, last = -1; f >= 0; f--) {
            if (track[f] > 0) last = f;
            next[f] = last;
        }
        // [band][group]: bass energy, p o^2, bass on the carried comb, its p o^2, others there
        double[][][] acc = new double[5][nb][ng];
        double[] total = new double[nb];
        for (int c = 0; c < sm.channels(); c++) {
            Map<String, Spectrogram> specs = new LinkedHashMap<>();
            for (String s : SeparationEval.STEMS) specs.put(s, sm.stft().analyze(refs.get(s)[c]));
            Spectrogram me = specs.get("bass");
            for (int f = 0; f < frames; f++) {
                int g = -1, from = -1;
                if (!(track[f] > 0)) {
                    int dp = prev[f] >= 0 ? f - prev[f] : Integer.MAX_VALUE, dn = next[f] >= 0 ? next[f] - f : Integer.MAX_VALUE;
                    if (dp <= reach) {
                        g = 0;
                        while (dp > GAP_FRAMES[g]) g++;
                        from = prev[f];
                    } else if (dn <= reach) {
                        g = 0;
                        while (dn > GAP_FRAMES[g]) g++;
                        g += GAP_FRAMES.length;
                        from = next[f];
                    } else {
                        g = ng - 1;
                    }
                }
                for (int b = 1; b < bins; b++) {
                    double hz = b * binHz;
                    if (hz < combEdges[0] || hz >= combEdges[nb]) continue;
                    int band = 0;
                    while (band + 1 < nb && hz >= combEdges[band + 1]) band++;
                    double tot = 0;
                    for (Spectrogram sp : specs.values()) tot += Math.hypot(sp.re(f)[b], sp.im(f)[b]);
                    double mag = Math.hypot(me.re(f)[b], me.im(f)[b]), p = mag * mag;
                    total[band] += p;
                    if (g < 0) continue;
                    double o = tot > 0 ? mag / tot : 0;
                    acc[0][band][g] += p;
                    acc[1][band][g] += p * o * o;
                    if (from >= 0) {
                        double step = track[from] / binHz;
                        if (Math.abs(b - Math.max(1, Math.rint(b / step)) * step) < 1.5) {
                            double others = 0;
                            for (Map.Entry<String, Spectrogram> e : specs.entrySet()) {
                                if (!e.getKey().equals("bass")) others += sq(e.getValue().re(f)[b], e.getValue().im(f)[b]);
                            }
                            acc[2][band][g] += p;
                            acc[3][band][g] += p * o * o;
                            acc[4][band][g] += others;
                        }
                    }
                }
            }
        }
        double[][][] out = new double[nb][ng][5];
        for (int band = 0; band < nb; band++) {
            System.out.printf(Locale.ROOT, "    gaps %4.0f-%4.0f Hz  unvoiced  share oracle  carried-share oracle others-dB%n",
                    combEdges[band], combEdges[band + 1]);
            for (int g = 0; g < ng; g++) {
                int k = g % GAP_FRAMES.length, lo = k == 0 ? 1 : GAP_FRAMES[k - 1] + 1, hi = GAP_FRAMES[k];
                String name = g == ng - 1 ? "far" : (g < GAP_FRAMES.length ? "after " : "before ")
                        + (lo == hi ? String.valueOf(hi) : lo + "-" + hi);
                double e = Math.max(acc[0][band][g], 1e-30), on = Math.max(acc[2][band][g], 1e-30);
                double[] r = {acc[0][band][g] / Math.max(total[band], 1e-30), acc[1][band][g] / e, acc[2][band][g] / e,
                        acc[3][band][g] / on, db(acc[4][band][g] / on)};
                out[band][g] = r;
                System.out.printf(Locale.ROOT, "    %20s %6.3f %6.3f %13.3f %6.3f %8.1f%n", name, r[0], r[1], r[2], r[3], r[4]);
            }
        }
        return out;
    }

    /** {@code --note-decay} (session 28): see {@link #noteDecay}. */
    private static boolean noteDecay;
    /** {@code --note-decay}'s bands (Hz): the note's lower partials, then the comb bins it judges. */
    static final double[] DECAY_EDGES = {40, 150, 300};
    /** {@code --note-decay}: a note's first frames (its attack, a window's length as {@link BassPartialsStep}'s). */
    static final int DECAY_ATTACK = 3;

    /**
     * {@code --note-decay}: what a bass partial does within its note that the other parts on the same bins do not. The
     * bass comb's track (whole clip) cut into notes (runs within {@code bassNoteCents} of their first frame, at least
     * {@code bassNoteMinFrames} long); on the comb bins (within 1.5 bins of a harmonic) at 150-300 Hz, per note, the
     * true bass's and the other sources' energy in the attack (the first {@link #DECAY_ATTACK} frames) and after it.
     * Printed: the share of the band's bass energy in attack frames and after; the others against the bass (dB) in
     * each; the level after the attack against the attack's most (dB, energy-weighted over the notes) for the bass's
     * partials at 150-300 Hz, its lower partials at 40-150 Hz, the others at 150-300 Hz and the mixture's lower comb
     * bins; and the bass's partials after the attack against their attack's level carried by the lower partials'
     * envelope (true bass's, the mixture's): whether a level read at the attack and carried with the note's own decay
     * tells the bass from a held chord tone on its bins. Then the bound: the bass's SI-SDRi gain when the recipe's final
     * stems ({@code est}) are split again by the oracle ratio of the true bass against the others on those comb bins,
     * in the notes' attack frames only and in the frames after the attack only (as {@code --after}'s "all" row).
     */
    static void noteDecay(AudioClip mix, Map<String, float[][]> refs, Map<String, float[][]> est,
                          ModelFreeSeparators.Settings st) {
        SpectralMix sm = SpectralMix.of(mix);
        MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
        rec.masks(sm);
        LeadStep tracker = requireBassComb(rec, mix.channels());
        double[] r = noteDecay(sm, mix, refs, est, tracker.lastTrack(), st.bassNoteMinFrames, st.bassNoteCents);
        System.out.printf(Locale.ROOT, "    note-decay bound (oracle split on the comb at 150-300 Hz): attack frames %+.2f dB,"
                + " after the attack %+.2f dB%n", r[11], r[12]);
        System.out.printf(Locale.ROOT, "    note-decay %.0f notes, comb 150-300 Hz: bass share attack %.3f after %.3f; others vs bass"
                + " attack %+.1f dB after %+.1f dB%n", r[0], r[1], r[2], r[3], r[4]);
        System.out.printf(Locale.ROOT, "    note-decay after vs attack's most: bass 150-300 %+.1f dB, bass 40-150 %+.1f, others"
                + " 150-300 %+.1f, mixture 40-150 %+.1f; bass 150-300 vs attack carried by true low %+.1f dB, by mixture low %+.1f%n",
                r[5], r[6], r[7], r[8], r[9], r[10]);
    }

    /**
     * {@link #noteDecay}'s figures for a given track: the notes, the bass's shares in attack frames and after, the
     * others against the bass (dB) in each, the levels after the attack against the attack's (dB: bass 150-300, bass
     * 40-150, others 150-300, mixture 40-150), the bass 150-300 against its attack carried by the true and by the
     * mixture's lower partials (dB), and the bound's gains (dB) in the attack frames and after.
     */
    static double[] noteDecay(SpectralMix sm, AudioClip mix, Map<String, float[][]> refs, Map<String, float[][]> est,
                              double[] track, int minFrames, double cents) {
        int frames = sm.frames(), bins = sm.bins();
        double binHz = sm.binHz();
        // per frame, summed over channels: bass low, bass high, others high, mixture low (comb bins)
        double[][] e = new double[4][frames];
        for (int c = 0; c < mix.channels(); c++) {
            Map<String, Spectrogram> specs = new LinkedHashMap<>();
            for (String s : SeparationEval.STEMS) specs.put(s, sm.stft().analyze(refs.get(s)[c]));
            Spectrogram x = sm.spectrum(c), me = specs.get("bass");
            for (int f = 0; f < frames; f++) {
                if (!(track[f] > 0)) continue;
                double step = track[f] / binHz;
                for (int b = 1; b < bins; b++) {
                    double hz = b * binHz;
                    if (hz < DECAY_EDGES[0] || hz >= DECAY_EDGES[2]) continue;
                    if (Math.abs(b - Math.max(1, Math.rint(b / step)) * step) >= 1.5) continue;
                    double p = sq(me.re(f)[b], me.im(f)[b]);
                    if (hz < DECAY_EDGES[1]) {
                        e[0][f] += p;
                        e[3][f] += sq(x.re(f)[b], x.im(f)[b]);
                        continue;
                    }
                    e[1][f] += p;
                    for (Map.Entry<String, Spectrogram> en : specs.entrySet()) {
                        if (!en.getKey().equals("bass")) e[2][f] += sq(en.getValue().re(f)[b], en.getValue().im(f)[b]);
                    }
                }
            }
        }
        // sums: bass high attack, after; others high attack, after; attack levels carried: bass high, bass low,
        // others, mixture low; after: bass low, mixture low; bass high predicted by true low, by mixture low
        double[] acc = new double[12];
        int notes = 0;
        // the notes' frames: 1 attack, 2 after it (0: neither), for the bound below
        int[] part = new int[frames];
        for (int s = 0; s < frames; ) {
            if (!(track[s] > 0)) {
                s++;
                continue;
            }
            int end = BassPartialsStep.noteEnd(track, s, frames, cents);
            if (end - s >= minFrames) {
                notes++;
                for (int f = s; f < end; f++) part[f] = f - s < DECAY_ATTACK ? 1 : 2;
                double[] att = new double[4];
                for (int f = s; f < Math.min(end, s + DECAY_ATTACK); f++) {
                    for (int q = 0; q < 4; q++) att[q] = Math.max(att[q], e[q][f]);
                    acc[0] += e[1][f];
                    acc[2] += e[2][f];
                }
                for (int f = s + DECAY_ATTACK; f < end; f++) {
                    acc[1] += e[1][f];
                    acc[3] += e[2][f];
                    acc[4] += att[1];
                    acc[5] += att[0];
                    acc[6] += att[2];
                    acc[7] += att[3];
                    acc[8] += e[0][f];
                    acc[9] += e[3][f];
                    if (att[0] > 0) acc[10] += att[1] * e[0][f] / att[0];
                    if (att[3] > 0) acc[11] += att[1] * e[3][f] / att[3];
                }
            }
            s = end;
        }
        int len = mix.frames(), ch = mix.channels();
        float[][] ref = refs.get("bass"), base = est.get("bass");
        double mixSi = SeparationMetrics.siSdr(ref, mix.samples()), baseSi = SeparationMetrics.siSdr(ref, base) - mixSi;
        double[] bound = new double[2];
        for (int g = 1; g <= 2; g++) {
            float[][] y = new float[ch][];
            for (int c = 0; c < ch; c++) {
                Spectrogram me = sm.stft().analyze(refs.get("bass")[c]), mine = sm.stft().analyze(base[c]);
                Spectrogram x = sm.spectrum(c);
                Map<String, Spectrogram> src = new LinkedHashMap<>();
                for (String n : SeparationEval.STEMS) if (!n.equals("bass")) src.put(n, sm.stft().analyze(refs.get(n)[c]));
                Spectrogram d = new Spectrogram(frames, bins);
                for (int f = 0; f < frames; f++) {
                    if (part[f] != g) continue;
                    double step = track[f] / binHz;
                    for (int b = 1; b < bins; b++) {
                        double hz = b * binHz;
                        if (hz < DECAY_EDGES[1] || hz >= DECAY_EDGES[2]) continue;
                        if (Math.abs(b - Math.max(1, Math.rint(b / step)) * step) >= 1.5) continue;
                        double ms = Math.hypot(me.re(f)[b], me.im(f)[b]), mr = 0;
                        for (Spectrogram o2 : src.values()) mr += Math.hypot(o2.re(f)[b], o2.im(f)[b]);
                        double o = ms + mr > 0 ? ms / (ms + mr) : 0.5;
                        // the bass's new estimate there: the mixture (every stem's estimate summed) times the oracle ratio
                        d.re(f)[b] = (float) (x.re(f)[b] * o - mine.re(f)[b]);
                        d.im(f)[b] = (float) (x.im(f)[b] * o - mine.im(f)[b]);
                    }
                }
                float[] delta = sm.stft().synthesize(d, len);
                y[c] = new float[len];
                for (int i = 0; i < len; i++) y[c][i] = base[c][i] + delta[i];
            }
            bound[g - 1] = SeparationMetrics.siSdr(ref, y) - mixSi - baseSi;
        }
        double tot = Math.max(acc[0] + acc[1], 1e-30);
        return new double[] {notes, acc[0] / tot, acc[1] / tot, db(acc[2] / Math.max(acc[0], 1e-30)),
                db(acc[3] / Math.max(acc[1], 1e-30)), db(acc[1] / Math.max(acc[4], 1e-30)), db(acc[8] / Math.max(acc[5], 1e-30)),
                db(acc[3] / Math.max(acc[6], 1e-30)), db(acc[9] / Math.max(acc[7], 1e-30)), db(acc[1] / Math.max(acc[10], 1e-30)),
                db(acc[1] / Math.max(acc[11], 1e-30)), bound[0], bound[1]};
    }

    private static double db(double ratio) { return 10 * Math.log10(ratio + 1e-12); }

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
    /** {@code --band-cues} (session 32): see {@link #bandCues}; the sums over the songs [what][group][band]. */
    private static boolean bandCues;
    private static double[][][] bandCuesSum;
    private static int bandCuesSongs;
    /** {@link #bandCues}' bands (Hz). */
    static final double[] CUE_EDGES = {150, 220, 300, 1000};
    /** {@link #bandCues}' cell groups. */
    static final String[] CUE_GROUPS = {"unvoiced", "off comb", "attack", "held", "risen", "pan off", "pan on", "band"};
    /** {@link #bandCues}: a comb cell "risen" above its note's common-fate prediction by more than this (magnitude). */
    static final double CUE_RISE = Math.sqrt(2);
    /** {@link #bandCues}: a comb cell "pan off" more than this from the true bass's low-band pan position. */
    static final double CUE_PAN = 0.1;

    /**
     * {@code --band-cues}: which cell groups of the bands of {@link #CUE_EDGES} hold the bass's loss after the Wiener
     * step, and what a cue that split each group perfectly would gain. The bass comb's track (the recipe on the whole
     * clip at once, as {@code --note-decay}) cuts the frames into unvoiced ones and notes ({@code bassNoteCents},
     * {@code bassNoteMinFrames}; shorter runs count as attack); a cell is on the comb within 1.5 bins of a harmonic.
     * Comb cells of a note's first {@link #DECAY_ATTACK} frames are "attack"; later ones are
     * "risen" where the mixture's magnitude (channels' RMS) exceeds by {@link #CUE_RISE} the common-fate prediction,
     * the cell's most ratio to the mixture's lower comb partials (40-150 Hz, RMS) over the attack frames times that
     * frame's lower partials, and "held" elsewhere. Stereo, the comb cells again by their pan position against the
     * true bass's below the anchor ({@link #CUE_PAN}): "pan off", "pan on". Per group and band: [0] the gain in bass
     * SI-SDRi (dB) when the group's cells of the recipe's final bass take the mixture times the oracle ratio of the
     * bass against all the others, [1] the group's share of the band's true bass energy (%), [2] the final bass's
     * error energy in the group (% of the band's true bass energy), [3] of it the other sources' (what the bass
     * estimate holds beyond the true bass's magnitude share, % likewise).
     */
    static double[][][] bandCues(AudioClip mix, Map<String, float[][]> refs, Map<String, float[][]> est,
                                 ModelFreeSeparators.Settings st) {
        SpectralMix sm = SpectralMix.of(mix);
        MaskCascade rec = ModelFreeSeparators.defaultRecipe(st);
        rec.masks(sm);
        LeadStep tracker = requireBassComb(rec, mix.channels());
        return bandCues(sm, mix, refs, est, tracker.lastTrack(), st.bassNoteMinFrames, st.bassNoteCents,
                st.bassSplitHz / 1.25);
    }

    /** {@link #bandCues} for a given track, its notes' least frames and cents, and the anchor band's top (Hz). */
    static double[][][] bandCues(SpectralMix sm, AudioClip mix, Map<String, float[][]> refs, Map<String, float[][]> est,
                                 double[] track, int minFrames, double cents, double anchorHz) {
        int frames = sm.frames(), bins = sm.bins(), ch = mix.channels(), len = mix.frames();
        double binHz = sm.binHz();
        int nb = CUE_EDGES.length - 1, ng = CUE_GROUPS.length;
        int[] bandOf = new int[bins];
        for (int b = 0; b < bins; b++) {
            bandOf[b] = -1;
            for (int k = 0; k < nb; k++) if (b * binHz >= CUE_EDGES[k] && b * binHz < CUE_EDGES[k + 1]) bandOf[b] = k;
        }
        // the mixture's power (channels summed) and the true bass's pan position below the anchor
        double[][] xp = new double[frames][bins];
        for (int c = 0; c < ch; c++) {
            Spectrogram x = sm.spectrum(c);
            for (int f = 0; f < frames; f++) for (int b = 0; b < bins; b++) xp[f][b] += sq(x.re(f)[b], x.im(f)[b]);
        }
        double bassPan = Double.NaN;
        if (ch == 2) {
            SpectralMix bs = SpectralMix.of(new AudioClip(mix.format(), refs.get("bass")));
            double[] hist = new double[101];
            int top = (int) Math.ceil(anchorHz / binHz);
            for (int f = 0; f < frames; f++) for (int b = 1; b < Math.min(top, bins); b++) {
                double p = (double) bs.magnitude()[f][b] * bs.magnitude()[f][b];
                hist[(int) Math.round(bs.pan()[f][b] * 100)] += p;
            }
            bassPan = org.stemroom.separation.modelfree.BassStep.histogramPeak(hist);
        }
        // each cell's group of the time cue (0-4) and, on the comb, of the pan cue (5-6); -1 outside the bands
        int[][] timeGroup = new int[frames][bins], panGroup = new int[frames][bins];
        double[] low = new double[frames];
        for (int f = 0; f < frames; f++) {
            java.util.Arrays.fill(timeGroup[f], -1);
            java.util.Arrays.fill(panGroup[f], -1);
            if (!(track[f] > 0)) continue;
            double step = track[f] / binHz;
            for (int b = 1; b < bins; b++) {
                double hz = b * binHz;
                if (hz >= 40 && hz < 150 && Math.abs(b - Math.max(1, Math.rint(b / step)) * step) < 1.5) low[f] += xp[f][b];
            }
            low[f] = Math.sqrt(low[f]);
        }
        float[][] pan = sm.pan();
        double[] ratio = new double[bins];
        for (int s = 0; s < frames; ) {
            if (!(track[s] > 0)) {
                for (int b = 0; b < bins; b++) if (bandOf[b] >= 0) timeGroup[s][b] = 0;
                s++;
                continue;
            }
            int end = BassPartialsStep.noteEnd(track, s, frames, cents);
            boolean note = end - s >= minFrames;
            int attackEnd = note ? Math.min(end, s + DECAY_ATTACK) : end;
            double lowMost = 0;
            java.util.Arrays.fill(ratio, 0);
            for (int f = s; f < attackEnd; f++) {
                lowMost = Math.max(lowMost, low[f]);
                for (int b = 0; b < bins; b++) ratio[b] = Math.max(ratio[b], Math.sqrt(xp[f][b]));
            }
            for (int b = 0; b < bins; b++) ratio[b] = lowMost > 0 ? ratio[b] / lowMost : Double.POSITIVE_INFINITY;
            for (int f = s; f < end; f++) {
                double step = track[f] / binHz;
                for (int b = 0; b < bins; b++) {
                    if (bandOf[b] < 0) continue;
                    if (Math.abs(b - Math.max(1, Math.rint(b / step)) * step) >= 1.5) {
                        timeGroup[f][b] = 1;
                        continue;
                    }
                    timeGroup[f][b] = f < attackEnd ? 2 : Math.sqrt(xp[f][b]) > CUE_RISE * ratio[b] * low[f] ? 4 : 3;
                    if (ch == 2) panGroup[f][b] = Math.abs(pan[f][b] - bassPan) >= CUE_PAN ? 5 : 6;
                }
            }
            s = end;
        }
        float[][] ref = refs.get("bass"), base = est.get("bass");
        double baseSi = SeparationMetrics.siSdr(ref, base);
        double[][][] out = new double[4][ng][nb];
        double[] bandBass = new double[nb];
        float[][][][] delta = new float[ng][nb][ch][];
        for (int c = 0; c < ch; c++) {
            Spectrogram me = sm.stft().analyze(ref[c]), mine = sm.stft().analyze(base[c]), x = sm.spectrum(c);
            List<Spectrogram> others = new ArrayList<>();
            for (String n : SeparationEval.STEMS) if (!n.equals("bass")) others.add(sm.stft().analyze(refs.get(n)[c]));
            Spectrogram[][] d = new Spectrogram[ng][nb];
            for (int g = 0; g < ng; g++) for (int k = 0; k < nb; k++) d[g][k] = new Spectrogram(frames, bins);
            for (int f = 0; f < frames; f++) {
                for (int b = 0; b < bins; b++) {
                    int k = bandOf[b];
                    if (k < 0) continue;
                    double ms = Math.hypot(me.re(f)[b], me.im(f)[b]), mr = 0;
                    for (Spectrogram o2 : others) mr += Math.hypot(o2.re(f)[b], o2.im(f)[b]);
                    double o = ms + mr > 0 ? ms / (ms + mr) : 0.5;
                    double dr = x.re(f)[b] * o - mine.re(f)[b], di = x.im(f)[b] * o - mine.im(f)[b];
                    double pb = ms * ms;
                    double err = sq(mine.re(f)[b] - me.re(f)[b], mine.im(f)[b] - me.im(f)[b]);
                    double mineMag = Math.hypot(mine.re(f)[b], mine.im(f)[b]);
                    double xMag = Math.hypot(x.re(f)[b], x.im(f)[b]);
                    double taken = Math.max(0, mineMag - o * xMag);
                    bandBass[k] += pb;
                    for (int g : new int[] {timeGroup[f][b], panGroup[f][b], ng - 1}) {
                        if (g < 0) continue;
                        d[g][k].re(f)[b] = (float) dr;
                        d[g][k].im(f)[b] = (float) di;
                        out[1][g][k] += pb;
                        out[2][g][k] += err;
                        out[3][g][k] += taken * taken;
                    }
                }
            }
            for (int g = 0; g < ng; g++) for (int k = 0; k < nb; k++) delta[g][k][c] = sm.stft().synthesize(d[g][k], len);
        }
        float[][] y = new float[ch][len];
        for (int g = 0; g < ng; g++) {
            for (int k = 0; k < nb; k++) {
                if (ch == 1 && (g == 5 || g == 6)) continue;
                for (int c = 0; c < ch; c++) for (int i = 0; i < len; i++) y[c][i] = base[c][i] + delta[g][k][c][i];
                out[0][g][k] = SeparationMetrics.siSdr(ref, y) - baseSi;
                for (int q = 1; q < 4; q++) out[q][g][k] *= 100 / Math.max(bandBass[k], 1e-30);
            }
        }
        return out;
    }

    private static void printBandCues(double[][][] g, int n) {
        String[] what = {"gain dB", "bass %", "error %", "taken %"};
        StringBuilder h = new StringBuilder("    band cues        ");
        for (int k = 0; k + 1 < CUE_EDGES.length; k++) {
            h.append(String.format(Locale.ROOT, " | %4.0f-%4.0f Hz: gain  bass%%  err%%  taken%%", CUE_EDGES[k], CUE_EDGES[k + 1]));
        }
        System.out.println(h);
        for (int q = 0; q < CUE_GROUPS.length; q++) {
            StringBuilder r = new StringBuilder(String.format(Locale.ROOT, "    %-16s ", CUE_GROUPS[q]));
            for (int k = 0; k + 1 < CUE_EDGES.length; k++) {
                r.append(String.format(Locale.ROOT, " |              %+6.2f %5.1f %5.1f %6.1f", g[0][q][k] / n, g[1][q][k] / n,
                        g[2][q][k] / n, g[3][q][k] / n));
            }
            System.out.println(r);
        }
    }

}
