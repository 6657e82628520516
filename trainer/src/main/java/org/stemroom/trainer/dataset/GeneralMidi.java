package org.stemroom.trainer.dataset;

import java.util.List;

/** General MIDI Level 1 names: the 128 melodic programs and the GS/GM2 drum kits a GM soundfont usually holds. */
public final class GeneralMidi {
    /** MIDI channel (0-based) that General MIDI reserves for percussion (channel 10). */
    public static final int DRUM_CHANNEL = 9;
    /** SoundFont bank of the percussion kits. */
    public static final int DRUM_BANK = 128;

    private static final String[] PROGRAMS = {
        "Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano", "Honky-tonk Piano",
        "Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavinet", "Celesta", "Glockenspiel", "Music Box",
        "Vibraphone", "Marimba", "Xylophone", "Tubular Bells", "Dulcimer", "Drawbar Organ", "Percussive Organ",
        "Rock Organ", "Church Organ", "Reed Organ", "Accordion", "Harmonica", "Tango Accordion",
        "Acoustic Guitar (nylon)", "Acoustic Guitar (steel)", "Electric Guitar (jazz)", "Electric Guitar (clean)",
        "Electric Guitar (muted)", "Overdriven Guitar", "Distortion Guitar", "Guitar Harmonics", "Acoustic Bass",
        "Electric Bass (finger)", "Electric Bass (pick)", "Fretless Bass", "Slap Bass 1", "Slap Bass 2",
        "Synth Bass 1", "Synth Bass 2", "Violin", "Viola", "Cello", "Contrabass", "Tremolo Strings",
        "Pizzicato Strings", "Orchestral Harp", "Timpani", "String Ensemble 1", "String Ensemble 2",
        "Synth Strings 1", "Synth Strings 2", "Choir Aahs", "Voice Oohs", "Synth Voice", "Orchestra Hit", "Trumpet",
        "Trombone", "Tuba", "Muted Trumpet", "French Horn", "Brass Section", "Synth Brass 1", "Synth Brass 2",
        "Soprano Sax", "Alto Sax", "Tenor Sax", "Baritone Sax", "Oboe", "English Horn", "Bassoon", "Clarinet",
        "Piccolo", "Flute", "Recorder", "Pan Flute", "Blown Bottle", "Shakuhachi", "Whistle", "Ocarina",
        "Lead 1 (square)", "Lead 2 (sawtooth)", "Lead 3 (calliope)", "Lead 4 (chiff)", "Lead 5 (charang)",
        "Lead 6 (voice)", "Lead 7 (fifths)", "Lead 8 (bass + lead)", "Pad 1 (new age)", "Pad 2 (warm)",
        "Pad 3 (polysynth)", "Pad 4 (choir)", "Pad 5 (bowed)", "Pad 6 (metallic)", "Pad 7 (halo)", "Pad 8 (sweep)",
        "FX 1 (rain)", "FX 2 (soundtrack)", "FX 3 (crystal)", "FX 4 (atmosphere)", "FX 5 (brightness)",
        "FX 6 (goblins)", "FX 7 (echoes)", "FX 8 (sci-fi)", "Sitar", "Banjo", "Shamisen", "Koto", "Kalimba",
        "Bagpipe", "Fiddle", "Shanai", "Tinkle Bell", "Agogo", "Steel Drums", "Woodblock", "Taiko Drum",
        "Melodic Tom", "Synth Drum", "Reverse Cymbal", "Guitar Fret Noise", "Breath Noise", "Seashore",
        "Bird Tweet", "Telephone Ring", "Helicopter", "Applause", "Gunshot"};

    /** Drum kits by program number in bank 128 (GS layout, which GM soundfonts follow). */
    public static final List<Integer> DRUM_KITS = List.of(0, 8, 16, 24, 25, 32, 40);

    // GM percussion keys used by the arranger
    static final int KICK = 36, SIDE_STICK = 37, SNARE = 38, CLAP = 39, SNARE_2 = 40, TOM_LOW_FLOOR = 41,
            HAT_CLOSED = 42, TOM_HIGH_FLOOR = 43, HAT_PEDAL = 44, TOM_LOW = 45, HAT_OPEN = 46, TOM_LOW_MID = 47,
            TOM_HI_MID = 48, CRASH = 49, TOM_HIGH = 50, RIDE = 51, TAMBOURINE = 54, CRASH_2 = 57, RIDE_BELL = 53,
            COWBELL = 56, CONGA_HIGH = 62, CONGA_LOW = 64, SHAKER = 70, CLAVES = 75;

    private GeneralMidi() { }

    /** The GM name of melodic program {@code p} (0..127). */
    public static String programName(int p) {
        return PROGRAMS[p];
    }

    /** The name of drum kit {@code p} of bank 128. */
    public static String kitName(int p) {
        return switch (p) {
            case 0 -> "Standard Kit";
            case 8 -> "Room Kit";
            case 16 -> "Power Kit";
            case 24 -> "Electronic Kit";
            case 25 -> "TR-808 Kit";
            case 32 -> "Jazz Kit";
            case 40 -> "Brush Kit";
            case 48 -> "Orchestra Kit";
            default -> "Drum Kit " + p;
        };
    }
}
