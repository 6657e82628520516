package org.stemroom.trainer.dataset;

import java.util.List;

/**
 * Musical styles of the corpus: tempo range, swing, the grooves (drum, bass and comping patterns per meter) and
 * the General MIDI program pools each role draws from.
 *
 * <p>Pattern strings cover one bar, one character per step (the step length is the bar divided by the string's
 * length). Drums: {@code X} accent, {@code x} hit, {@code o} ghost note, {@code ?} a hit half of the time,
 * {@code .} rest. Bass: {@code R} chord root, {@code 3} third, {@code 5} fifth, {@code 6} sixth, {@code b} seventh,
 * {@code O} root an octave up, {@code A} a scale step leading to the next chord's root, {@code -} hold, {@code .}
 * rest. Comping: {@code x} the chord, {@code a} the next chord tone of an arpeggio, {@code -} hold, {@code .} rest.
 */
public enum Style {
    POP(88, 124, 0.0, 0.25, new int[] {33, 34, 35, 38, 32}, new int[] {0, 1, 4, 5, 24, 25, 27, 16, 11},
            new int[] {0, 8, 16, 24}, List.of(
            new Groove(Meter.FOUR_FOUR, "x...x.x.", "..x...x.", "xxxxxxxx",
                    new String[] {"R.R.R.R.", "R..R.5..", "R...R.5.", "R-R-5-O-"},
                    new String[] {"x-x-x-x-", "x---x---", "x..x..x.", "aaaaaaaa"}),
            new Groove(Meter.FOUR_FOUR, "x.....x.x.......", "....x.......x...", "x.x.x.x.x.x.x.x.",
                    new String[] {"R.....R.R...5...", "R...R...R..AR..."},
                    new String[] {"x--x--x---x--x--", "x-------x-------"}))),
    ROCK(108, 160, 0.0, 0.3, new int[] {34, 33, 34, 38}, new int[] {29, 30, 27, 25, 18, 1, 16, 29, 30},
            new int[] {0, 16, 8}, List.of(
            new Groove(Meter.FOUR_FOUR, "x...x.x.", "..X...X.", "xxxxxxxx",
                    new String[] {"RRRRRRRR", "R.RRR.RR", "RR.RRR5R"},
                    new String[] {"xxxxxxxx", "x--x--x-", "x---x---"}),
            new Groove(Meter.FOUR_FOUR, "x.xx..x.", "..X...X.", "XxXxXxXx",
                    new String[] {"RRRRRRRR", "R-R-R-5-"},
                    new String[] {"x-xx-xx-", "xxxxxxxx"}))),
    BALLAD(60, 84, 0.0, 0.6, new int[] {32, 33, 35}, new int[] {0, 4, 5, 46, 24, 11, 0, 4},
            new int[] {0, 8, 40, 32}, List.of(
            new Groove(Meter.FOUR_FOUR, "x.....x.", "..x...x.", "x.x.x.x.",
                    new String[] {"R---5---", "R-----5-", "R---R-A-"},
                    new String[] {"aaaaaaaa", "x-------", "x---x---"}),
            new Groove(Meter.TWELVE_EIGHT, "x.....x..?..", "...x.....x..", "xxxxxxxxxxxx",
                    new String[] {"R-----5-----", "R-----R--5--"},
                    new String[] {"aaaaaaaaaaaa", "x--x--x--x--"}))),
    FUNK(90, 116, 0.0, 0.15, new int[] {36, 37, 33, 38}, new int[] {7, 4, 27, 28, 16, 5, 7, 28},
            new int[] {0, 8, 16, 25}, List.of(
            new Groove(Meter.FOUR_FOUR, "x..x..x...x..x..", "....X..o.o..X..o", "xxxxxxxxxxxxxxxx",
                    new String[] {"R..R..O.R.5..3..", "R.....RO..R.5.R.", "R.R...O...R..5.O"},
                    new String[] {".x.x..x..x.x..x.", "x..x..x.x..x..x.", "..x...x...x...x."}),
            new Groove(Meter.FOUR_FOUR, "x.x...x..x...x..", "....X......oX...", "x.xxx.xxx.xxx.xx",
                    new String[] {"R.RO..R.5.R..b.R", "R..O.R..R.5...A."},
                    new String[] {"x.x..x.x..x..x..", ".x..x..x.x..x..x"}))),
    WALTZ(90, 180, 0.0, 0.5, new int[] {32, 43, 58, 33}, new int[] {21, 0, 24, 6, 45, 46, 23},
            new int[] {0, 32, 40}, List.of(
            new Groove(Meter.THREE_FOUR, "x.....", "..x.x.", "x.x.x.",
                    new String[] {"R...5.", "R-..5.", "R-----"},
                    new String[] {"..x.x.", "x-x-x-", "aaaaaa"}))),
    SHUFFLE(80, 132, 1.0 / 3, 0.3, new int[] {32, 33, 34}, new int[] {0, 3, 16, 26, 27, 17},
            new int[] {0, 32, 8}, List.of(
            new Groove(Meter.FOUR_FOUR, "x...x...", "..x...x.", "xxxxxxxx",
                    new String[] {"R.3.5.6.", "R.3.5.b.", "R.R.5.5."},
                    new String[] {"x.x.x.x.", ".x.x.x.x", "x--x--x-"}),
            new Groove(Meter.FOUR_FOUR, "x..xx...", "..x...x?", "x.xxx.xx",
                    new String[] {"R.R.5.O.", "R.3.5.6."},
                    new String[] {"x-.x-.x.", "x.x.x.x."}))),
    LATIN(118, 150, 0.0, 0.3, new int[] {32, 35, 33}, new int[] {24, 26, 4, 0, 12, 11},
            new int[] {0, 8, 32}, List.of(
            new Groove(Meter.FOUR_FOUR, "x..xx..x", "x..x..x...x.x...", "xxxxxxxx",
                    new String[] {"R..5R..5", "R..5R...", "R..5R..A"},
                    new String[] {"x..x..x...x..x..", "x.x..x.x..x..x.."}),
            new Groove(Meter.FOUR_FOUR, "x..xx..x", "..x..x...x..x...", "xxxxxxxxxxxxxxxx",
                    new String[] {"R..RR..5", "R..5R..5"},
                    new String[] {"x..x..x.", ".x..x..x.x..x..x"}))),
    DISCO(112, 128, 0.0, 0.25, new int[] {33, 38, 39, 36}, new int[] {27, 28, 4, 5, 0, 48, 62},
            new int[] {0, 24, 25, 8}, List.of(
            new Groove(Meter.FOUR_FOUR, "x...x...x...x...", "....x.......x...", "x.x.x.x.x.x.x.x.",
                    new String[] {"R.O.R.O.R.O.R.O.", "R..OR..OR..OR.O."},
                    new String[] {".x.x.x.x.x.x.x.x", "x---------------", ".x..x..x.x..x..."}))),
    FOLK(90, 150, 0.0, 0.4, new int[] {32, 33, 43}, new int[] {24, 25, 105, 15, 46, 21},
            new int[] {0, 8, 40, 32}, List.of(
            new Groove(Meter.SIX_EIGHT, "x.....", "...x..", "xxxxxx",
                    new String[] {"R--5--", "R-----", "R..5.."},
                    new String[] {"aaaaaa", "x--x--", "x.xx.x"}),
            new Groove(Meter.SIX_EIGHT, "x..x..", "...x..", "x.xx.x",
                    new String[] {"R--R--", "R--5-A"},
                    new String[] {"x--x--", "aaaaaa"})));

    /** Tempo range in quarter notes per minute (for 6/8 and 12/8, 1.5 times the dotted-quarter pulse). */
    public final int minBpm, maxBpm;
    /** Delay of the off-beat eighths as a fraction of an eighth: 0 straight, 1/3 triplet shuffle. */
    public final double swing;
    /** Probability that a stem of a song in this style gets a room. */
    public final double roomChance;
    final int[] bassPrograms, compPrograms, drumKits;
    final List<Groove> grooves;

    Style(int minBpm, int maxBpm, double swing, double roomChance, int[] bassPrograms, int[] compPrograms,
          int[] drumKits, List<Groove> grooves) {
        this.minBpm = minBpm;
        this.maxBpm = maxBpm;
        this.swing = swing;
        this.roomChance = roomChance;
        this.bassPrograms = bassPrograms;
        this.compPrograms = compPrograms;
        this.drumKits = drumKits;
        this.grooves = grooves;
    }

    /** Lower-case name as in metadata. */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** The meters this style's grooves use. */
    public List<Meter> meters() {
        return grooves.stream().map(Groove::meter).distinct().toList();
    }

    /** One bar of drums (kick, snare/rim, hats) with the bass and comping patterns that go with it. */
    record Groove(Meter meter, String kick, String snare, String hats, String[] bass, String[] comp) { }
}
