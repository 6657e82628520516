package org.stemroom.trainer.dataset;

/** Time signatures of the arrangements, with the pulse grid the patterns are written on. */
public enum Meter {
    FOUR_FOUR(4, 4, 4, 480),
    THREE_FOUR(3, 4, 3, 480),
    SIX_EIGHT(6, 8, 2, 720),
    TWELVE_EIGHT(12, 8, 4, 720);

    /** Numerator and denominator as written in the MIDI time-signature event. */
    public final int numerator, denominator;
    /** Felt beats per bar and their length in ticks at {@link Arrangement#PPQ} (6/8: two dotted quarters). */
    public final int beats, beatTicks;

    Meter(int numerator, int denominator, int beats, int beatTicks) {
        this.numerator = numerator;
        this.denominator = denominator;
        this.beats = beats;
        this.beatTicks = beatTicks;
    }

    public int barTicks() { return beats * beatTicks; }

    /** Eighth notes per bar: 8, 6, 6, 12. Patterns have this many steps, or twice as many (sixteenths). */
    public int eighths() { return barTicks() / 240; }

    /** "4/4", "6/8", ... */
    public String label() { return numerator + "/" + denominator; }
}
