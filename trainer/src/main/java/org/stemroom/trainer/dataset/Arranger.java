package org.stemroom.trainer.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.stemroom.trainer.dataset.Arrangement.Note;
import org.stemroom.trainer.dataset.Arrangement.Part;
import org.stemroom.trainer.dataset.Arrangement.Role;
import org.stemroom.trainer.dataset.Arrangement.Section;
import org.stemroom.trainer.dataset.Style.Groove;

/**
 * Writes a random song excerpt from a seed: style, tempo, meter, key and mode, a song form (intro, verses,
 * choruses, bridge, outro; the excerpt starts anywhere in it), a chord progression per section, and the parts:
 * drums from the style's grooves with section changes, crashes and tom fills; a bass line on the chord roots;
 * comping chords or arpeggios plus an optional pad and second instrument ("other"); and a monophonic lead melody
 * (the vocal stand-in) whose motif comes back, slightly varied, whenever its section does. Timing is humanized by
 * Gaussian jitter and velocities vary. Programs are drawn per role from the style's pools, restricted to the
 * presets the soundfont really holds.
 */
public final class Arranger {
    static final int CH_BASS = 0, CH_LEAD = 1, CH_COMP = 2, CH_PAD = 3, CH_COMP2 = 4;

    private static final int[][] MAJOR_PROGRESSIONS = {{0, 4, 5, 3}, {0, 5, 3, 4}, {0, 3, 4, 3}, {5, 3, 0, 4},
            {0, 3, 0, 4}, {0, 5, 1, 4}, {1, 4, 0, 0}, {0, 2, 3, 4}, {3, 4, 0, 0}, {0, 0, 3, 4}};
    private static final int[][] MINOR_PROGRESSIONS = {{0, 5, 2, 6}, {0, 3, 4, 0}, {0, 6, 5, 6}, {0, 5, 3, 4},
            {0, 3, 6, 2}, {0, 6, 5, 4}};
    private static final int[][] MODAL_PROGRESSIONS = {{0, 3, 0, 3}, {0, 6, 3, 0}, {0, 3, 6, 0}, {0, 0, 6, 3}};
    /** Vocal stand-ins: choir, voice, synth voice, lead voice. */
    static final int[] LEAD_VOICES = {52, 53, 54, 85};
    static final int[] LEAD_REEDS_BRASS = {64, 65, 66, 56, 59, 57, 60, 68, 71, 73, 74, 22, 78};
    static final int[] LEAD_SYNTH = {80, 81, 82, 83, 84, 86, 87};
    static final int[] LEAD_STRINGS = {40, 110, 41, 104, 29};
    static final int[] PADS = {48, 49, 50, 51, 44, 88, 89, 90, 92, 94, 95, 61, 62, 60, 16, 19};
    static final int[] SECOND_COMP = {24, 25, 27, 28, 0, 4, 11, 12, 45, 46, 26, 7};

    private Arranger() { }

    /**
     * @param seed     song seed
     * @param seconds  excerpt length
     * @param presets  presets of the soundfont as {@code bank * 128 + program}; null allows every GM program
     */
    public static Arrangement arrange(long seed, double seconds, Set<Integer> presets) {
        Random r = SplitMix.stream(seed, "arrangement");
        Style style = Style.values()[r.nextInt(Style.values().length)];
        List<Meter> meters = style.meters();
        Meter meter = meters.get(r.nextInt(meters.size()));
        List<Groove> grooves = style.grooves.stream().filter(g -> g.meter() == meter).toList();
        int bpm = style.minBpm + r.nextInt(style.maxBpm - style.minBpm + 1);
        int micros = (int) Math.round(60_000_000.0 / bpm);
        int tonic = r.nextInt(12);
        double m = r.nextDouble();
        Mode mode = m < 0.45 ? Mode.MAJOR : m < 0.75 ? Mode.MINOR : m < 0.87 ? Mode.DORIAN : Mode.MIXOLYDIAN;
        double humanizeMs = 2 + 10 * r.nextDouble();
        double velSigma = 3 + 7 * r.nextDouble();

        int kit = pick(r, style.drumKits, p -> has(presets, GeneralMidi.DRUM_BANK, p), 0);
        int bassProgram = pick(r, style.bassPrograms, p -> has(presets, 0, p), 33);
        double lr = r.nextDouble();
        int[] leadPool = lr < 0.35 ? LEAD_VOICES : lr < 0.65 ? LEAD_REEDS_BRASS : lr < 0.85 ? LEAD_SYNTH : LEAD_STRINGS;
        int leadProgram = pick(r, leadPool, p -> has(presets, 0, p), 65);
        // 'other' never uses the lead's program: the same instrument in two targets would make them ambiguous
        int compProgram = pick(r, style.compPrograms, p -> has(presets, 0, p) && p != leadProgram, 0);
        int padProgram = r.nextDouble() < 0.55 ? pick(r, PADS, p -> has(presets, 0, p) && p != leadProgram, -1) : -1;
        int comp2Program = r.nextDouble() < 0.25
                ? pick(r, SECOND_COMP, p -> has(presets, 0, p) && p != compProgram && p != leadProgram, -1) : -1;

        double secPerTick = micros / 1e6 / Arrangement.PPQ;
        long excerptTicks = (long) Math.ceil(seconds / secPerTick);
        int barTicks = meter.barTicks();
        int nBars = (int) ((excerptTicks + barTicks - 1) / barTicks);
        List<BarCtx> form = form(r, nBars);
        int startBar = form.size() > nBars && r.nextDouble() > 0.2 ? r.nextInt(form.size() - nBars + 1) : 0;

        // harmony: one four-bar progression per section label
        int[][] pool = mode == Mode.MAJOR ? MAJOR_PROGRESSIONS : mode == Mode.MINOR ? MINOR_PROGRESSIONS
                : r.nextBoolean() ? MODAL_PROGRESSIONS : MAJOR_PROGRESSIONS;
        Map<String, int[]> progressions = new HashMap<>();
        for (String label : new String[] {"verse", "chorus", "bridge"}) progressions.put(label, pool[r.nextInt(pool.length)]);
        progressions.put("intro", r.nextBoolean() ? progressions.get("verse") : progressions.get("chorus"));
        progressions.put("outro", progressions.get("chorus"));
        boolean raisedDominant = mode == Mode.MINOR && r.nextDouble() < 0.6;
        double seventhChance = switch (style) {
            case FUNK, LATIN, SHUFFLE -> 0.7;
            case BALLAD, DISCO -> 0.35;
            default -> 0.12;
        };

        // per-section groove and pattern choices
        Map<String, Groove> grooveOf = new HashMap<>();
        Map<String, String> bassOf = new HashMap<>(), compOf = new HashMap<>(), comp2Of = new HashMap<>();
        Groove main = grooves.get(r.nextInt(grooves.size()));
        for (String label : new String[] {"intro", "verse", "chorus", "bridge", "outro"}) {
            Groove g = label.equals("verse") || label.equals("intro") || r.nextDouble() < 0.5 ? main
                    : grooves.get(r.nextInt(grooves.size()));
            grooveOf.put(label, g);
            bassOf.put(label, g.bass()[r.nextInt(g.bass().length)]);
            compOf.put(label, g.comp()[r.nextInt(g.comp().length)]);
            comp2Of.put(label, g.comp()[r.nextInt(g.comp().length)]);
        }
        int chorusHat = switch (style) {
            case WALTZ, SHUFFLE -> r.nextBoolean() ? GeneralMidi.RIDE : GeneralMidi.HAT_CLOSED;
            case DISCO, FUNK -> GeneralMidi.HAT_CLOSED;
            default -> r.nextDouble() < 0.4 ? GeneralMidi.RIDE : GeneralMidi.HAT_CLOSED;
        };
        boolean sparseIntro = r.nextBoolean();
        boolean padEverywhere = r.nextBoolean();
        boolean power = compProgram == 29 || compProgram == 30;

        Humanizer hz = new Humanizer(SplitMix.stream(seed, "humanize"), humanizeMs / 1000 / secPerTick, velSigma,
                style.swing);
        Random dr = SplitMix.stream(seed, "drums");
        List<Note> drums = new ArrayList<>(), bass = new ArrayList<>(), comp = new ArrayList<>(),
                pad = new ArrayList<>(), comp2 = new ArrayList<>(), lead = new ArrayList<>();
        int[] voicing = null;
        int arpIndex = 0;
        for (int b = 0; b < nBars; b++) {
            BarCtx ctx = form.get(startBar + b);
            BarCtx next = startBar + b + 1 < form.size() ? form.get(startBar + b + 1) : ctx;
            long t0 = (long) b * barTicks;
            int dyn = switch (ctx.label) {
                case "intro" -> -12;
                case "verse" -> -6;
                case "chorus" -> 6;
                case "outro" -> -8;
                default -> 0;
            };
            Groove g = grooveOf.get(ctx.label);
            int degree = progressions.get(ctx.label)[ctx.barInSection % 4];
            int nextDegree = progressions.get(next.label)[next.barInSection % 4];
            boolean seventh = SplitMix.stream(seed ^ degree, "seventh" + ctx.label).nextDouble() < seventhChance;
            int[] chordPcs = chord(tonic, mode, degree, seventh, raisedDominant);

            // drums
            boolean intro = ctx.label.equals("intro") || ctx.label.equals("outro");
            boolean lastBar = ctx.barInSection == ctx.sectionBars - 1 && !next.label.equals(ctx.label);
            boolean fill = lastBar && dr.nextDouble() < 0.55;
            long fillFrom = fill ? t0 + barTicks / 2 : Long.MAX_VALUE;
            if (!(intro && sparseIntro)) pattern(drums, hz, dr, g.kick(), t0, barTicks, GeneralMidi.KICK, dyn, fillFrom);
            int snareKey = (style == Style.BALLAD && !ctx.label.equals("chorus")) || style == Style.LATIN
                    ? GeneralMidi.SIDE_STICK : style == Style.DISCO && kit == 25 ? GeneralMidi.CLAP : GeneralMidi.SNARE;
            if (!intro) pattern(drums, hz, dr, g.snare(), t0, barTicks, snareKey, dyn, fillFrom);
            int hatKey = ctx.label.equals("chorus") ? chorusHat : intro && sparseIntro ? GeneralMidi.HAT_PEDAL
                    : GeneralMidi.HAT_CLOSED;
            pattern(drums, hz, dr, g.hats(), t0, barTicks, hatKey, dyn - 10, fillFrom);
            if (style == Style.DISCO && !intro) pattern(drums, hz, dr, "..x...x...x...x.", t0, barTicks, GeneralMidi.HAT_OPEN, dyn - 8, fillFrom);
            if (style == Style.LATIN) pattern(drums, hz, dr, "xoxoxoxoxoxoxoxo", t0, barTicks, GeneralMidi.SHAKER, dyn - 20, Long.MAX_VALUE);
            if ((style == Style.POP || style == Style.FOLK) && ctx.label.equals("chorus")) {
                pattern(drums, hz, dr, meter == Meter.SIX_EIGHT ? "...x.." : "..x...x.", t0, barTicks, GeneralMidi.TAMBOURINE, dyn - 10, fillFrom);
            }
            if (ctx.barInSection == 0 && !ctx.label.equals("verse") && !ctx.label.equals("intro")) {
                drums.add(hz.note(t0, 240, dr.nextBoolean() ? GeneralMidi.CRASH : GeneralMidi.CRASH_2, 105 + dyn, true, false));
            }
            if (fill) {
                int[] toms = {GeneralMidi.TOM_HIGH, GeneralMidi.TOM_HI_MID, GeneralMidi.TOM_LOW_MID, GeneralMidi.TOM_LOW,
                        GeneralMidi.TOM_HIGH_FLOOR, GeneralMidi.TOM_LOW_FLOOR};
                int steps = dr.nextBoolean() ? 8 : 4;
                long step = (barTicks / 2) / steps;
                for (int i = 0; i < steps; i++) {
                    int key = toms[Math.min(toms.length - 1, i * toms.length / steps)];
                    if (i == steps - 1 && dr.nextBoolean()) key = GeneralMidi.SNARE;
                    drums.add(hz.note(fillFrom + i * step, step, key, 90 + dyn + 2 * i, true, false));
                }
            }

            // bass
            String bp = intro && sparseIntro && r.nextDouble() < 0.5 ? "R" + "-".repeat(meter.eighths() - 1) : bassOf.get(ctx.label);
            int bassRoot = 28 + Math.floorMod(tonic - 4, 12);
            int bstep = barTicks / bp.length();
            for (int i = 0; i < bp.length(); i++) {
                char c = bp.charAt(i);
                if (c == '.' || c == '-') continue;
                int len = 1;
                while (i + len < bp.length() && bp.charAt(i + len) == '-') len++;
                int semis = switch (c) {
                    case '3' -> chordTone(mode, degree, 2, raisedDominant);
                    case '5' -> mode.semitones(degree + 4);
                    case '6' -> mode.semitones(degree + 5);
                    case 'b' -> mode.semitones(degree + 6);
                    case 'O' -> mode.semitones(degree) + 12;
                    case 'A' -> mode.semitones(nextDegree - 1) + (nextDegree - 1 < degree - 3 ? 12 : 0);
                    default -> mode.semitones(degree);
                };
                int key = bassRoot + semis;
                while (key > 55) key -= 12;
                double legato = style == Style.FUNK || style == Style.DISCO ? 0.6 : 0.92;
                bass.add(hz.note(t0 + (long) i * bstep, Math.max(30, (long) (len * bstep * legato)), key, 95 + dyn, false, true));
            }

            // comping: chords or arpeggios, voice-led around middle C
            voicing = voice(chordPcs, voicing, power, tonic, mode, degree);
            arpIndex = comping(comp, hz, compOf.get(ctx.label), t0, barTicks, voicing, arpIndex, 78 + dyn,
                    style == Style.FUNK ? 0.45 : 0.9);
            if (comp2Program >= 0 && !intro) {
                int[] up = new int[voicing.length];
                for (int i = 0; i < up.length; i++) up[i] = voicing[i] + 12;
                comping(comp2, hz, comp2Of.get(ctx.label), t0, barTicks, up, 0, 66 + dyn, 0.8);
            }
            if (padProgram >= 0 && (padEverywhere || ctx.label.equals("chorus") || ctx.label.equals("bridge"))) {
                for (int k : voicing) pad.add(hz.note(t0, barTicks - 20, k + (power ? 12 : 0), 64 + dyn, false, true));
            }
        }

        // lead: one motif per section label, reused with small variations on each return
        int leadCentre = switch (leadProgram) {
            case 66, 57, 60 -> 62;
            case 73, 74, 78, 79, 72 -> 76;
            default -> 69;
        };
        Map<String, List<Note>> motifs = new HashMap<>();
        for (int b = 0; b < nBars; b++) {
            BarCtx ctx = form.get(startBar + b);
            if (ctx.barInSection != 0 && b != 0) continue;
            if ((ctx.label.equals("intro") || ctx.label.equals("outro")) && !SplitMix.stream(seed, "leadIntro").nextBoolean()) continue;
            int[] prog = progressions.get(ctx.label);
            List<Note> motif = motifs.computeIfAbsent(ctx.label, l -> melody(SplitMix.stream(seed, "lead-" + l), style,
                    meter, ctx.sectionBars, prog, tonic, mode, raisedDominant,
                    leadCentre + (l.equals("chorus") ? 3 : l.equals("bridge") ? -2 : 0)));
            Random vr = SplitMix.stream(seed, "leadVar-" + ctx.occurrence + ctx.label);
            long sectionT0 = (long) (b - ctx.barInSection) * barTicks;
            for (Note n : motif) {
                int key = n.key();
                if (ctx.occurrence > 0 && vr.nextDouble() < 0.15) key = snap(key + (vr.nextBoolean() ? 2 : -2), tonic, mode);
                long t = sectionT0 + n.tick();
                if (t < 0) continue;
                lead.add(hz.note(t, n.duration(), key, n.velocity() + (ctx.label.equals("chorus") ? 6 : 0), false, true));
            }
        }
        monophonic(lead);

        List<Part> parts = new ArrayList<>();
        parts.add(new Part(Role.VOCALS, CH_LEAD, 0, leadProgram, GeneralMidi.programName(leadProgram), cut(lead, excerptTicks)));
        parts.add(new Part(Role.DRUMS, GeneralMidi.DRUM_CHANNEL, GeneralMidi.DRUM_BANK, kit, GeneralMidi.kitName(kit), cut(drums, excerptTicks)));
        parts.add(new Part(Role.BASS, CH_BASS, 0, bassProgram, GeneralMidi.programName(bassProgram), cut(bass, excerptTicks)));
        parts.add(new Part(Role.OTHER, CH_COMP, 0, compProgram, GeneralMidi.programName(compProgram), cut(comp, excerptTicks)));
        if (padProgram >= 0) parts.add(new Part(Role.OTHER, CH_PAD, 0, padProgram, GeneralMidi.programName(padProgram), cut(pad, excerptTicks)));
        if (comp2Program >= 0) parts.add(new Part(Role.OTHER, CH_COMP2, 0, comp2Program, GeneralMidi.programName(comp2Program), cut(comp2, excerptTicks)));

        List<Section> sections = new ArrayList<>();
        BarCtx prev = null;
        for (int b = 0; b < nBars; b++) {
            BarCtx ctx = form.get(startBar + b);
            if (prev != null && prev.label.equals(ctx.label) && prev.occurrence == ctx.occurrence && ctx.barInSection > 0) {
                Section last = sections.remove(sections.size() - 1);
                sections.add(new Section(last.label(), last.bars() + 1));
            } else {
                sections.add(new Section(ctx.label, 1));
            }
            prev = ctx;
        }
        return new Arrangement(seed, style, micros, meter, tonic, mode, List.copyOf(sections), excerptTicks,
                style.swing, humanizeMs, List.copyOf(parts));
    }

    /** One bar of the song form. */
    private record BarCtx(String label, int barInSection, int sectionBars, int occurrence) { }

    /** A whole song form (repeated if the excerpt needs more bars), one entry per bar. */
    private static List<BarCtx> form(Random r, int minBars) {
        String[][] templates = {
                {"intro:4", "verse:8", "chorus:8", "verse:8", "chorus:8", "bridge:8", "chorus:8", "chorus:8", "outro:4"},
                {"intro:2", "verse:8", "verse:8", "chorus:8", "verse:8", "chorus:8", "bridge:4", "chorus:8", "outro:2"},
                {"intro:4", "verse:8", "verse:8", "bridge:8", "verse:8", "outro:4"},
                {"verse:8", "chorus:8", "verse:8", "chorus:8", "bridge:8", "chorus:8"},
                {"intro:2", "chorus:8", "verse:8", "chorus:8", "bridge:8", "chorus:8", "outro:2"}};
        String[] t = templates[r.nextInt(templates.length)];
        List<BarCtx> bars = new ArrayList<>();
        Map<String, Integer> occurrences = new HashMap<>();
        while (bars.size() < minBars + 1) {
            for (String s : t) {
                String label = s.substring(0, s.indexOf(':'));
                int n = Integer.parseInt(s.substring(s.indexOf(':') + 1));
                int occ = occurrences.merge(label, 1, Integer::sum) - 1;
                for (int i = 0; i < n; i++) bars.add(new BarCtx(label, i, n, occ));
            }
        }
        return bars;
    }

    /** Pitch classes of the diatonic chord on {@code degree} (triad or seventh chord). */
    static int[] chord(int tonic, Mode mode, int degree, boolean seventh, boolean raisedDominant) {
        int n = seventh ? 4 : 3;
        int[] pcs = new int[n];
        for (int i = 0; i < n; i++) pcs[i] = Math.floorMod(tonic + chordTone(mode, degree, 2 * i, raisedDominant), 12);
        return pcs;
    }

    /** Semitones above the tonic of chord tone {@code step} (0 root, 2 third, 4 fifth, 6 seventh) on {@code degree}. */
    static int chordTone(Mode mode, int degree, int step, boolean raisedDominant) {
        int s = mode.semitones(degree + step);
        // harmonic minor: the dominant's third is the leading tone
        if (raisedDominant && Math.floorMod(degree, 7) == 4 && step == 2) s += 1;
        return s;
    }

    /** Voicing of the chord nearest the previous one (smooth voice leading), roughly E3..C5. */
    private static int[] voice(int[] pcs, int[] previous, boolean power, int tonic, Mode mode, int degree) {
        if (power) {
            int root = 40 + Math.floorMod(tonic + mode.semitones(degree) - 4, 12);
            return new int[] {root, root + 7, root + 12};
        }
        double centre = previous == null ? 62 : mean(previous);
        int[] best = null;
        double bestCost = Double.MAX_VALUE;
        for (int inv = 0; inv < pcs.length; inv++) {
            for (int base = 48; base <= 64; base++) {
                if (Math.floorMod(base, 12) != pcs[inv]) continue;
                int[] v = new int[pcs.length];
                int last = base;
                v[0] = base;
                for (int i = 1; i < pcs.length; i++) {
                    int pc = pcs[(inv + i) % pcs.length];
                    int k = last + 1;
                    while (Math.floorMod(k, 12) != pc) k++;
                    v[i] = k;
                    last = k;
                }
                double cost = Math.abs(mean(v) - centre) + (mean(v) > 70 || mean(v) < 54 ? 10 : 0);
                if (cost < bestCost) { bestCost = cost; best = v; }
            }
        }
        return best;
    }

    private static double mean(int[] v) {
        double s = 0;
        for (int x : v) s += x;
        return s / v.length;
    }

    private static int comping(List<Note> out, Humanizer hz, String p, long t0, int barTicks, int[] voicing,
                               int arp, int vel, double legato) {
        int step = barTicks / p.length();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '.' || c == '-') continue;
            int len = 1;
            while (i + len < p.length() && p.charAt(i + len) == '-') len++;
            long dur = Math.max(30, (long) (len * step * legato));
            if (c == 'a') {
                int k = voicing[arp % voicing.length] + (arp / voicing.length % 2 == 1 ? 12 : 0);
                out.add(hz.note(t0 + (long) i * step, dur, k, vel, false, true));
                arp++;
            } else {
                long t = hz.onset(t0 + (long) i * step, false);
                int v = hz.velocity(vel);
                for (int j = 0; j < voicing.length; j++) {
                    out.add(new Note(t + 6L * j, dur, voicing[j], Math.max(1, Math.min(127, v - 2 * j)))); // a slight strum
                }
            }
        }
        return arp;
    }

    private static void pattern(List<Note> out, Humanizer hz, Random r, String p, long t0, int barTicks, int key,
                                int dyn, long until) {
        int step = barTicks / p.length();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            long t = t0 + (long) i * step;
            if (t >= until) break;
            int vel = switch (c) {
                case 'X' -> 114;
                case 'x' -> 96;
                case 'o' -> 48;
                case '?' -> r.nextBoolean() ? 90 : -1;
                default -> -1;
            };
            if (vel < 0) continue;
            out.add(hz.note(t, 60, key, vel + dyn, true, true));
        }
    }

    /** A melody over a section: two-bar phrases, chord tones on beats, scale steps between, rests at phrase ends. */
    private static List<Note> melody(Random r, Style style, Meter meter, int bars, int[] prog, int tonic, Mode mode,
                                     boolean raisedDominant, int centre) {
        List<Note> notes = new ArrayList<>();
        int barTicks = meter.barTicks();
        int grid = style == Style.FUNK && r.nextDouble() < 0.3 ? 120 : 240;
        double density = 0.35 + 0.4 * r.nextDouble();
        int prev = snap(centre, tonic, mode);
        List<long[]> onsets = new ArrayList<>();
        for (int b = 0; b < bars; b++) {
            boolean phraseEnd = b % 2 == 1;
            int steps = barTicks / grid;
            for (int s = 0; s < steps; s++) {
                long t = (long) s * grid;
                boolean onBeat = t % meter.beatTicks == 0;
                if (phraseEnd && t >= barTicks / 2 && r.nextDouble() < 0.75) break;
                if (r.nextDouble() < (onBeat ? 0.55 + density / 2 : density)) onsets.add(new long[] {(long) b * barTicks + t, b, onBeat ? 1 : 0});
            }
        }
        for (int i = 0; i < onsets.size(); i++) {
            long t = onsets.get(i)[0];
            int bar = (int) onsets.get(i)[1];
            long next = i + 1 < onsets.size() ? onsets.get(i + 1)[0] : (long) bars * barTicks;
            long dur = Math.min(next - t, 2L * meter.beatTicks);
            int degree = prog[bar % 4];
            int key;
            if (onsets.get(i)[2] == 1) {
                int best = prev, bestD = Integer.MAX_VALUE;
                for (int step = 0; step <= 4; step += 2) {
                    int pc = Math.floorMod(tonic + chordTone(mode, degree, step, raisedDominant), 12);
                    for (int k = centre - 12; k <= centre + 12; k++) {
                        if (Math.floorMod(k, 12) != pc) continue;
                        int d = Math.abs(k - prev) + (r.nextDouble() < 0.3 ? r.nextInt(4) : 0);
                        if (d < bestD) { bestD = d; best = k; }
                    }
                }
                key = best;
            } else {
                int dir = prev > centre + 7 ? -1 : prev < centre - 7 ? 1 : r.nextBoolean() ? 1 : -1;
                key = snap(prev + dir * (r.nextDouble() < 0.7 ? 1 : 3), tonic, mode);
            }
            key = Math.max(centre - 12, Math.min(centre + 12, key));
            notes.add(new Note(t, Math.max(40, (long) (dur * 0.92)), key, 88 + r.nextInt(20)));
            prev = key;
        }
        return notes;
    }

    /** The nearest scale tone at or around {@code key}. */
    static int snap(int key, int tonic, Mode mode) {
        for (int d = 0; d < 12; d++) {
            if (mode.contains(key + d - tonic)) return key + d;
            if (mode.contains(key - d - tonic)) return key - d;
        }
        return key;
    }

    /** One voice at a time: each note ends before the next begins. */
    private static void monophonic(List<Note> notes) {
        notes.sort(Comparator.comparingLong(Note::tick));
        for (int i = 0; i + 1 < notes.size(); i++) {
            Note a = notes.get(i), b = notes.get(i + 1);
            long maxDur = b.tick() - a.tick() - 5;
            if (maxDur < 20) {
                notes.remove(i + 1);
                i--;
                continue;
            }
            if (a.duration() > maxDur) notes.set(i, new Note(a.tick(), maxDur, a.key(), a.velocity()));
        }
    }

    /** Drops notes at or after the end and shortens those that cross it; sorted by time. */
    private static List<Note> cut(List<Note> notes, long end) {
        List<Note> out = new ArrayList<>();
        for (Note n : notes) {
            if (n.tick() >= end) continue;
            out.add(n.tick() + n.duration() > end ? new Note(n.tick(), end - n.tick(), n.key(), n.velocity()) : n);
        }
        out.sort(Comparator.comparingLong(Note::tick).thenComparingInt(Note::key));
        return List.copyOf(out);
    }

    private interface IntPredicate { boolean test(int p); }

    private static int pick(Random r, int[] pool, IntPredicate ok, int fallback) {
        List<Integer> good = new ArrayList<>();
        for (int p : pool) if (ok.test(p)) good.add(p);
        return good.isEmpty() ? fallback : good.get(r.nextInt(good.size()));
    }

    private static boolean has(Set<Integer> presets, int bank, int program) {
        return presets == null || presets.contains(bank * 128 + program);
    }

    /** Swing, timing jitter and velocity variation. */
    private static final class Humanizer {
        final Random r;
        final double sigmaTicks, velSigma, swing;

        Humanizer(Random r, double sigmaTicks, double velSigma, double swing) {
            this.r = r;
            this.sigmaTicks = sigmaTicks;
            this.velSigma = velSigma;
            this.swing = swing;
        }

        long onset(long t, boolean drum) {
            long s = t;
            if (swing > 0 && Math.floorMod(t, 480) == 240) s += Math.round(swing * 240);
            double j = Math.max(-2.5, Math.min(2.5, r.nextGaussian())) * sigmaTicks * (drum ? 0.6 : 1);
            return Math.max(0, s + Math.round(j));
        }

        int velocity(int v) {
            return (int) Math.max(1, Math.min(127, Math.round(v + r.nextGaussian() * velSigma)));
        }

        Note note(long t, long dur, int key, int vel, boolean drum, boolean jitter) {
            long on = jitter ? onset(t, drum) : Math.max(0, t);
            return new Note(on, dur, key, velocity(vel));
        }
    }
}
