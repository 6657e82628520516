package org.stemroom.trainer.dataset;

import java.util.List;

/**
 * Everything known about one generated song, as written to corpus.json: its seed and split, the soundfont, the
 * musical facts, how each stem was mixed and which degradations the master got. Plain data (Jackson writes it).
 *
 * @param index        position in its spec (song {@code index} of {@code firstIndex + index})
 * @param seed         the song seed (negative for held-out songs)
 * @param mixVariant   which mix of the arrangement (0 unless {@link CorpusSpec#mixesPerSong} > 1)
 * @param split        "train" or "held-out"
 * @param soundFont    soundfont id ({@link SoundFont#id()})
 * @param style        style label
 * @param bpm          quarter notes per minute
 * @param meter        time signature, e.g. "6/8"
 * @param key          tonic and mode, e.g. "Eb dorian"
 * @param sections     the form over the excerpt, e.g. [verse x3, chorus x8, ...]
 * @param humanizeMs   timing jitter (standard deviation) of melodic parts
 * @param sampleRate   Hz
 * @param channels     channels of mixture and stems
 * @param frames       length of mixture and stems
 * @param placement    balanced, hard-panned or mono
 * @param stems        per stem: instruments and mix settings, in stem order
 * @param degradations the master's degradations
 * @param peakDb       peak of the mixture, dBFS
 * @param dryClipped   samples of the dry fluidsynth render at 16-bit full scale (0 in a healthy render)
 */
public record SongInfo(int index, long seed, int mixVariant, String split, String soundFont, String style, double bpm, String meter,
                       String key, List<Arrangement.Section> sections, double humanizeMs, int sampleRate, int channels,
                       int frames, String placement, List<StemInfo> stems, Degradations degradations, double peakDb,
                       long dryClipped) {

    /**
     * How one stem was made.
     *
     * @param stem        vocals, drums, bass or other
     * @param instruments GM program or kit names of its parts
     * @param programs    their program numbers (drum kits: bank 128 programs)
     * @param gainDb      level relative to the reference stem RMS of -20 dBFS before the master gain
     * @param pan         balanced placement: -1 left .. +1 right; hard-panned: -1, 0 or +1
     * @param width       balanced placement: side-signal gain (0 mono .. 1 as rendered)
     * @param eq          the stem's EQ ("off" when none)
     * @param room        built-in room name, or "none"
     * @param roomWetDb   wet level relative to the dry stem (unit-energy IR), dB
     * @param silent      true when the part played no sound in this excerpt (e.g. a lead resting in an intro)
     */
    public record StemInfo(String stem, List<String> instruments, List<Integer> programs, double gainDb, double pan,
                           double width, String eq, String room, double roomWetDb, boolean silent) { }

    /**
     * The master's degradations; {@code applied} names those present, the numbers are their settings (0 = off).
     *
     * @param applied         e.g. ["wow", "hiss", "band-limit"]
     * @param wowHz           wow rate
     * @param wowDepthMs      peak delay excursion of wow
     * @param flutterHz       flutter rate (with wow)
     * @param flutterDepthMs  flutter excursion
     * @param saturationDrive tanh drive per stem (1 = none)
     * @param hissDb          hiss level relative to the mixture RMS (added to 'other')
     * @param humHz           mains frequency, 50 or 60 (added to 'other' with harmonics)
     * @param humDb           hum level relative to the mixture RMS
     * @param lowPassHz       8th-order Butterworth low-pass corner of the band limit
     * @param highPassHz      2nd-order Butterworth high-pass corner of the band limit
     */
    public record Degradations(List<String> applied, double wowHz, double wowDepthMs, double flutterHz,
                               double flutterDepthMs, double saturationDrive, double hissDb, double humHz, double humDb,
                               double lowPassHz, double highPassHz) { }
}
