package org.stemroom.trainer.dataset;

/** Church modes the arrangements are written in: scale steps in semitones above the tonic. */
public enum Mode {
    MAJOR(0, 2, 4, 5, 7, 9, 11),
    MINOR(0, 2, 3, 5, 7, 8, 10),
    DORIAN(0, 2, 3, 5, 7, 9, 10),
    MIXOLYDIAN(0, 2, 4, 5, 7, 9, 10);

    private final int[] steps;

    Mode(int... steps) { this.steps = steps; }

    /** Semitones above the tonic of scale degree {@code d} (any integer: degrees wrap into higher octaves). */
    public int semitones(int d) {
        return steps[Math.floorMod(d, 7)] + 12 * Math.floorDiv(d, 7);
    }

    /** True when pitch class {@code pc} (relative to the tonic) is in the scale. */
    public boolean contains(int pc) {
        int p = Math.floorMod(pc, 12);
        for (int s : steps) if (s == p) return true;
        return false;
    }

    /** Whether the mode's third is minor (sets the MIDI key signature's mode byte). */
    public boolean minorThird() { return steps[2] == 3; }
}
