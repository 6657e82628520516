package org.stemroom.separation.modelfree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.separation.Separator;

/** The model-free separators the command line offers, with the settings the evaluation tuned. */
public final class ModelFreeSeparators {
    private ModelFreeSeparators() { }

    /**
     * The window grid of the model-free separators, for the render and the plugin alike: a window short enough to
     * stream behind a plugin latency of window + margin, with a quarter of it cross-faded.
     */
    public static final double WINDOW_SECONDS = 1.0, OVERLAP_SECONDS = 0.25;

    /** Drums by HPSS (plus everything above the high split), bass below the bass split, lead by pitch, other. */
    public static MaskCascade defaultRecipe() {
        return defaultRecipe(new Settings());
    }

    /** Tunable settings of the default recipe (the evaluation sweeps these). */
    public static final class Settings {
        public double harmonicSeconds = 0.4;
        public double percussiveHz = 250;
        public double hpssPower = 2;
        public double drumsHighSplitHz = 6000;
        /**
         * 220 Hz: on the corpus's held-out songs (band-limited masters, bright basses) 280 Hz took too much of the
         * lead's and other parts' 220-320 Hz energy (first 12 s of 12 songs, stereo SI-SDRi bass 2.69 -> 3.77, lead
         * 9.25 -> 10.04, other 4.78 -> 6.30, drums 8.31 -> 8.28).
         */
        public double bassSplitHz = 220;
        public double kickSplitHz = 200;
        public double kickHarmonicSeconds = 0.5;
        public double kickPercussiveHz = 40;
        public double softPower = 1.5;
        public int wiener = 1;
        public int drumsFft = 0;
        /** Upper limit of the tracked bass partials taken above the bass split (0: off). */
        public double bassHarmonicsHz = 0;
        public double leadWidthBins = 1.0;
        public double leadWidthCents = 25;
        public double voicing = 0.12;
        public double panWidth = 0.08;
        public double panFloor = 0.25;
        public int leadPeaks = 1;
        public double leadSearchCents = 40;
        public double leadEnvelope = 0;
    }

    /** The default recipe as a {@link Separator}: one resolution, or drums at their own window size first. */
    public static Separator defaultSeparator(Settings s) {
        if (s.drumsFft <= 0) return defaultRecipe(s);
        MaskCascade drums = new MaskCascade("drums", List.of(drumsStep(s)), "rest", 1, 0);
        MaskCascade tonal = new MaskCascade("tonal", tonalSteps(s), "other", s.softPower, 0);
        return new ResolutionCascade("default", List.of(new ResolutionCascade.Stage(drums, s.drumsFft),
                new ResolutionCascade.Stage(tonal, 4096)), "other");
    }

    public static MaskCascade defaultRecipe(Settings s) {
        List<MaskStep> steps = new ArrayList<>();
        steps.add(drumsStep(s));
        steps.addAll(tonalSteps(s));
        return new MaskCascade("default", steps, "other", s.softPower, s.wiener);
    }

    static MaskStep drumsStep(Settings s) {
        return HpssStep.percussiveOnly("drums", s.harmonicSeconds, s.percussiveHz, s.hpssPower, s.drumsHighSplitHz)
                .kickVersusBass(s.kickSplitHz, s.kickHarmonicSeconds, s.kickPercussiveHz);
    }

    /** Bass (tracked partials, then the low band), then the lead by its tracked pitch. */
    static List<MaskStep> tonalSteps(Settings s) {
        List<MaskStep> l = new ArrayList<>();
        if (s.bassHarmonicsHz > 0) {
            l.add(new LeadStep("bass").pitchRange(35, 260).harmonics(12, s.bassHarmonicsHz).voicing(s.voicing)
                    .maskWidth(s.leadWidthBins, s.leadWidthCents).pan(0.15, 0.5));
        }
        l.add(new BassStep("bass", s.bassSplitHz, 1.25));
        l.add(new LeadStep("vocals").maskWidth(s.leadWidthBins, s.leadWidthCents).voicing(s.voicing)
                .pan(s.panWidth, s.panFloor).peaks(s.leadPeaks != 0, s.leadSearchCents).envelope(s.leadEnvelope));
        return l;
    }

    /** Harmonic / percussive / residual (margin 2, power 2). */
    public static Separator hpss() {
        return new MaskCascade("hpss", List.of(HpssStep.full(0.25, 400, 2, 2)), null, 1, 0);
    }

    /** Stereo only: left / centre / right by panning position, what lies between as "other". */
    public static Separator spatial() {
        Map<String, Double> pos = new LinkedHashMap<>();
        pos.put("left", 0.0);
        pos.put("centre", 0.5);
        pos.put("right", 1.0);
        return new MaskCascade("spatial", List.of(new SpatialStep(pos, 0.1, 0.2)), "other", 1, 0);
    }

    /** REPET-SIM foreground (vocals) against the repeating background (accompaniment). */
    public static Separator repet() {
        // REPET-SIM finds the repetitions in its window: it needs long windows (offline only)
        return new MaskCascade("repet", List.of(new RepetSimStep("vocals", "accompaniment", 10, 1.0, 0.0)), null, 1, 0)
                .chunking(30, 1);
    }
}
