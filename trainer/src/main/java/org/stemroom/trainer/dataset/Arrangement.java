package org.stemroom.trainer.dataset;

import java.util.List;

/**
 * One song excerpt as notes: the musical facts (style, tempo, meter, key, form) and one or more parts per
 * stem. Times are MIDI ticks at {@link #PPQ} per quarter note from the start of the excerpt.
 *
 * @param seed          the song seed it was made from
 * @param style         the style
 * @param microsPerQuarter tempo as written in the MIDI tempo event
 * @param meter         time signature
 * @param tonic         tonic pitch class, 0 = C
 * @param mode          scale
 * @param sections      the song form over the excerpt: one entry per section (label and bars)
 * @param excerptTicks  length of the excerpt in ticks (notes are cut there)
 * @param swing         off-beat delay as a fraction of an eighth note
 * @param humanizeMs    standard deviation of the timing jitter of melodic parts (drums get 0.6 of it)
 * @param parts         the parts, in stem order (vocals, drums, bass, other; other may have several)
 */
public record Arrangement(long seed, Style style, int microsPerQuarter, Meter meter, int tonic, Mode mode,
                          List<Section> sections, long excerptTicks, double swing, double humanizeMs,
                          List<Part> parts) {
    /** MIDI ticks per quarter note. */
    public static final int PPQ = 480;

    private static final String[] PITCH_CLASSES = {"C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

    /** The four stems of the corpus in the order of {@link Song#stems()}. */
    public enum Role {
        VOCALS("vocals"), DRUMS("drums"), BASS("bass"), OTHER("other");

        public final String stem;

        Role(String stem) { this.stem = stem; }
    }

    /** One note; {@code tick} and {@code duration} in ticks. */
    public record Note(long tick, long duration, int key, int velocity) { }

    /** A section of the form, e.g. {@code chorus} of 8 bars; {@code bars} counts only bars inside the excerpt. */
    public record Section(String label, int bars) { }

    /**
     * One instrument on one MIDI channel.
     *
     * @param role    the stem it belongs to
     * @param channel MIDI channel (0-based; 9 = GM percussion)
     * @param bank    SoundFont bank (128 for drum kits)
     * @param program program number in the bank
     * @param name    GM instrument or kit name
     */
    public record Part(Role role, int channel, int bank, int program, String name, List<Note> notes) { }

    /** Quarter notes per minute. */
    public double bpm() { return 60_000_000.0 / microsPerQuarter; }

    /** Seconds per tick. */
    public double secondsPerTick() { return microsPerQuarter / 1e6 / PPQ; }

    /** Tonic and mode, e.g. "F# dorian". */
    public String keyName() {
        return PITCH_CLASSES[tonic] + " " + mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parts of one role (other can have several). */
    public List<Part> parts(Role role) {
        return parts.stream().filter(p -> p.role() == role).toList();
    }
}
