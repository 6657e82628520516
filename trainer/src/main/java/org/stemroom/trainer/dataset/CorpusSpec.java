package org.stemroom.trainer.dataset;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.StemroomException;

/**
 * What to generate: which songs (split, corpus seed, first index, count), how long, at what rate and channel
 * count, with which soundfonts, rooms and how often each placement and degradation occurs, and where the dry
 * renders are cached. Immutable; the {@code with...} methods return modified copies.
 *
 * <p>Song {@code i} of the spec has seed {@link Split#songSeed split.songSeed(seed, firstIndex + i)} (with
 * {@link #mixesPerSong} m: {@code (firstIndex + i) / m}, mix variant {@code (firstIndex + i) % m}). Everything
 * about a song (arrangement, soundfont, mix, degradations) follows from that seed and the spec's settings, never
 * from the order or the thread it is made on.
 *
 * <p>The held-out split may only use held-out soundfonts and the training split only the others; the
 * constructor refuses anything else.
 */
public final class CorpusSpec {
    /** Default sample rate (fluidsynth renders at the song rate directly). */
    public static final int DEFAULT_RATE = 44100;

    /** How the stems are placed in the stereo image. */
    public enum Placement {
        /** Modern balanced stereo: stems keep fluidsynth's stereo image, narrowed or widened, panned near centre. */
        BALANCED,
        /** 1960s stereo: every stem folded to mono and put hard left, hard right or centre. */
        HARD_PANNED,
        /** A mono master: every stem folded to mono; in stereo files both channels are identical. */
        MONO
    }

    /** Old-master degradations. See {@link SongMixer} for how each is matched in the targets. */
    public enum Degradation { WOW, SATURATION, HISS, HUM, BAND_LIMIT }

    public final Split split;
    public final long seed;
    public final long firstIndex;
    public final int songs;
    public final double seconds;
    public final int sampleRate;
    /** 2: stereo files (mono masters have identical channels); 1: every song folded to one channel. */
    public final int channels;
    public final List<SoundFont> soundFonts;
    /** Built-in room names of room-ir ({@link org.stemroom.room.BuiltInRooms}) used for stem ambience. */
    public final List<String> rooms;
    /** Multiplies each style's probability that a stem gets a room (0 = no rooms). */
    public final double roomScale;
    public final Map<Placement, Double> placementWeights;
    public final Map<Degradation, Double> degradationChances;
    public final Path cacheDir;
    /** Songs made at once (fluidsynth processes and mixing threads). Does not change any output bit. */
    public final int threads;
    /**
     * Mixes made from each rendered arrangement (default 1). With {@code m > 1}, songs {@code m k .. m k + m - 1}
     * (counted from index 0 of the corpus seed) share arrangement and dry render {@code k} and differ in
     * placement, levels, EQ, rooms and degradations: more distinct examples per fluidsynth render and per cached
     * byte.
     */
    public final int mixesPerSong;

    private CorpusSpec(Split split, long seed, long firstIndex, int songs, double seconds, int sampleRate, int channels,
                       List<SoundFont> soundFonts, List<String> rooms, double roomScale,
                       Map<Placement, Double> placementWeights, Map<Degradation, Double> degradationChances,
                       Path cacheDir, int threads, int mixesPerSong) {
        if (songs < 0) throw new IllegalArgumentException("songs must be >= 0: " + songs);
        if (firstIndex < 0) throw new IllegalArgumentException("first index must be >= 0: " + firstIndex);
        if (!(seconds >= 1 && seconds <= 600)) throw new IllegalArgumentException("song seconds must be in 1..600: " + seconds);
        if (sampleRate < 22050 || sampleRate > 96000) throw new IllegalArgumentException("sample rate must be 22050..96000: " + sampleRate);
        if (channels != 1 && channels != 2) throw new IllegalArgumentException("channels must be 1 or 2: " + channels);
        if (soundFonts.isEmpty()) throw new IllegalArgumentException("at least one soundfont is needed");
        for (SoundFont sf : soundFonts) {
            if (sf.heldOut() != (split == Split.HELD_OUT)) {
                throw new IllegalArgumentException("soundfont " + sf.id() + " is " + (sf.heldOut() ? "held out" : "a training soundfont")
                        + " and cannot be used for the " + split.label() + " split");
            }
        }
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        if (mixesPerSong < 1) throw new IllegalArgumentException("mixes per song must be >= 1: " + mixesPerSong);
        this.split = split;
        this.seed = seed;
        this.firstIndex = firstIndex;
        this.songs = songs;
        this.seconds = seconds;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.soundFonts = List.copyOf(soundFonts);
        this.rooms = List.copyOf(rooms);
        this.roomScale = roomScale;
        this.placementWeights = Map.copyOf(placementWeights);
        this.degradationChances = Map.copyOf(degradationChances);
        this.cacheDir = cacheDir;
        this.threads = threads;
        this.mixesPerSong = mixesPerSong;
    }

    /**
     * Defaults: {@code songs} songs of 30 s from corpus seed {@code seed}, 44.1 kHz stereo, the split's default
     * soundfonts ({@link SoundFont#defaults}), rooms vocal-booth, live-room, small-club and bright-plate,
     * placements balanced 60 % / hard-panned 20 % / mono 20 %, degradations wow 20 %, saturation 30 %,
     * hiss 30 %, hum 20 %, band limit 35 % (each independently), cache {@link #defaultCacheDir()}, one thread
     * per available processor.
     */
    public static CorpusSpec of(Split split, long seed, int songs) {
        Map<Placement, Double> pw = new EnumMap<>(Placement.class);
        pw.put(Placement.BALANCED, 0.6);
        pw.put(Placement.HARD_PANNED, 0.2);
        pw.put(Placement.MONO, 0.2);
        Map<Degradation, Double> dc = new EnumMap<>(Degradation.class);
        dc.put(Degradation.WOW, 0.2);
        dc.put(Degradation.SATURATION, 0.3);
        dc.put(Degradation.HISS, 0.3);
        dc.put(Degradation.HUM, 0.2);
        dc.put(Degradation.BAND_LIMIT, 0.35);
        return new CorpusSpec(split, seed, 0, songs, 30, DEFAULT_RATE, 2, SoundFont.defaults(split),
                List.of("vocal-booth", "live-room", "small-club", "bright-plate"), 1.0, pw, dc, defaultCacheDir(),
                Math.max(1, Runtime.getRuntime().availableProcessors()), 1);
    }

    /** {@code $XDG_CACHE_HOME/stemroom/corpus}, else {@code ~/.cache/stemroom/corpus}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("stemroom").resolve("corpus");
    }

    public CorpusSpec withSongs(long firstIndex, int songs) {
        return new CorpusSpec(split, seed, firstIndex, songs, seconds, sampleRate, channels, soundFonts, rooms, roomScale,
                placementWeights, degradationChances, cacheDir, threads, mixesPerSong);
    }

    public CorpusSpec withSeconds(double s) {
        return new CorpusSpec(split, seed, firstIndex, songs, s, sampleRate, channels, soundFonts, rooms, roomScale,
                placementWeights, degradationChances, cacheDir, threads, mixesPerSong);
    }

    public CorpusSpec withSampleRate(int rate) {
        return new CorpusSpec(split, seed, firstIndex, songs, seconds, rate, channels, soundFonts, rooms, roomScale,
                placementWeights, degradationChances, cacheDir, threads, mixesPerSong);
    }

    public CorpusSpec withChannels(int ch) {
        return new CorpusSpec(split, seed, firstIndex, songs, seconds, sampleRate, ch, soundFonts, rooms, roomScale,
                placementWeights, degradationChances, cacheDir, threads, mixesPerSong);
    }

    public CorpusSpec withSoundFonts(List<SoundFont> sfs) {
        return new CorpusSpec(split, seed, firstIndex, songs, seconds, sampleRate, channels, sfs, rooms, roomScale,
                placementWeights, degradationChances, cacheDir, threads, mixesPerSong);
    }

    /** Room names and the scale on the styles' room probabilities (0 turns rooms off). */
    public CorpusSpec withRooms(List<String> names, double scale) {
        return new CorpusSpec(split, seed, firstIndex, songs, seconds, sampleRate, channels, soundFonts, names, scale,
                placementWeights, degradationChances, cacheDir, threads, mixesPerSong);
    }

    /** Relative weights of the placements (need not sum to 1; a missing placement never occurs). */
    public CorpusSpec withPlacementWeights(Map<Placement, Double> w) {
        return new CorpusSpec(split, seed, firstIndex, songs, seconds, sampleRate, channels, soundFonts, rooms, roomScale,
                w, degradationChances, cacheDir, threads, mixesPerSong);
    }

    /** Probability of each degradation per song (a missing one never occurs). */
    public CorpusSpec withDegradationChances(Map<Degradation, Double> c) {
        return new CorpusSpec(split, seed, firstIndex, songs, seconds, sampleRate, channels, soundFonts, rooms, roomScale,
                placementWeights, c, cacheDir, threads, mixesPerSong);
    }

    public CorpusSpec withCacheDir(Path dir) {
        return new CorpusSpec(split, seed, firstIndex, songs, seconds, sampleRate, channels, soundFonts, rooms, roomScale,
                placementWeights, degradationChances, dir, threads, mixesPerSong);
    }

    /** See {@link #mixesPerSong}. */
    public CorpusSpec withMixesPerSong(int m) {
        return new CorpusSpec(split, seed, firstIndex, songs, seconds, sampleRate, channels, soundFonts, rooms, roomScale,
                placementWeights, degradationChances, cacheDir, threads, m);
    }

    public CorpusSpec withThreads(int n) {
        return new CorpusSpec(split, seed, firstIndex, songs, seconds, sampleRate, channels, soundFonts, rooms, roomScale,
                placementWeights, degradationChances, cacheDir, n, mixesPerSong);
    }

    /** Seed of the arrangement of the {@code i}-th song of this spec (0 <= i < songs). */
    public long songSeed(int i) {
        return split.songSeed(seed, (firstIndex + i) / mixesPerSong);
    }

    /** Which mix of its arrangement the {@code i}-th song is (0 when {@link #mixesPerSong} is 1). */
    public int mixVariant(int i) {
        return (int) ((firstIndex + i) % mixesPerSong);
    }

    /** The soundfont song {@code songSeed} is played with: a seeded choice among the spec's soundfonts. */
    public SoundFont soundFontFor(long songSeed) {
        return soundFonts.get(SplitMix.stream(songSeed, "soundfont").nextInt(soundFonts.size()));
    }

    /** Fails with an install hint when fluidsynth or a soundfont of the spec is missing. */
    public void requireTools() throws StemroomException {
        if (!FluidSynth.available()) {
            throw new StemroomException("fluidsynth not found on PATH (install the Debian package fluidsynth, e.g. scripts/install-deps.sh bench)");
        }
        for (SoundFont sf : soundFonts) sf.requireInstalled();
    }
}
