package org.stemroom.trainer.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.stemroom.core.AudioClip;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.trainer.dataset.Arrangement.Role;

/**
 * Makes the songs of a {@link CorpusSpec}.
 *
 * <p>For each song: the arrangement is written from the song seed ({@link Arranger}); fluidsynth renders all its
 * stems in one run (one soundfont load) from a MIDI file that plays them one after another
 * ({@link MidiFiles#stemsInSequence}); the 16-bit stereo FLAC of that run is the only thing cached, under
 * {@code <cache>/dry-v<VERSION>/<soundfont>/<rate>/<seed>-<ms>.flac} next to the MIDI file it was rendered from;
 * an entry is used only when that MIDI file equals the one the current code writes, so a change of the arranger
 * re-renders exactly the songs it changed. Everything after that
 * (placement, levels, EQ, rooms, degradations) is computed in Java from the seed on every request
 * ({@link SongMixer}), so the cache holds four 16-bit stereo stems per song, FLAC-compressed: measured 144 MB for
 * 30 songs of 30 s (half Fluid R3 at 5.7 MB a song, half MuseScore General at 3.9 MB), 0.58 GB per hour of songs,
 * instead of 3.2 GB per hour for a float stereo mixture plus four float stereo stems.
 *
 * <p>Deterministic: the same spec gives bit-identical songs on every run and for every thread count; a cache
 * entry is written atomically and is identical whoever writes it.
 */
public final class CorpusGenerator {
    /** Version of the arrangement and render code: bump when their output changes (old cache entries are ignored). */
    public static final int VERSION = 1;
    /** Silence between the stems in the render file, seconds. */
    static final double GAP_SECONDS = 1.0;
    private static final Map<Path, Set<Integer>> PRESETS = new ConcurrentHashMap<>();

    private final CorpusSpec spec;
    private final RoomBank rooms;

    public CorpusGenerator(CorpusSpec spec) {
        this.spec = spec;
        this.rooms = new RoomBank(spec.sampleRate);
    }

    public CorpusSpec spec() { return spec; }

    /** The notes of song {@code i} (no rendering). */
    public Arrangement arrangement(int i) throws IOException {
        long seed = spec.songSeed(i);
        SoundFont sf = spec.soundFontFor(seed);
        return Arranger.arrange(seed, spec.seconds, presets(sf));
    }

    /** The soundfont of song {@code i}. */
    public SoundFont soundFont(int i) {
        return spec.soundFontFor(spec.songSeed(i));
    }

    /** Song {@code i} (0 <= i < songs): rendered or read from the cache, then mixed. */
    public Song song(int i) throws IOException, StemroomException {
        if (i < 0 || i >= spec.songs) throw new IndexOutOfBoundsException("song " + i + " of " + spec.songs);
        long seed = spec.songSeed(i);
        SoundFont sf = spec.soundFontFor(seed);
        sf.requireInstalled();
        Arrangement a = Arranger.arrange(seed, spec.seconds, presets(sf));
        Path flac = dryRender(a, sf);
        AudioClip clip = AudioFiles.readAll(flac);
        if (clip.sampleRate() != spec.sampleRate || clip.channels() != 2) {
            throw new IOException(flac + ": expected 2 channels at " + spec.sampleRate + " Hz, found " + clip.channels()
                    + " at " + clip.sampleRate() + " Hz (delete the cache entry)");
        }
        int n = (int) Math.round(spec.seconds * spec.sampleRate);
        long slot = a.excerptTicks() + gapTicks(a);
        Map<Role, float[][]> dry = new EnumMap<>(Role.class);
        long clipped = 0;
        float full = 32767f / 32768f;
        for (Role role : Role.values()) {
            long start = Math.round(role.ordinal() * slot * a.secondsPerTick() * spec.sampleRate);
            float[][] seg = new float[2][n];
            for (int c = 0; c < 2; c++) {
                float[] src = clip.channel(c);
                int len = (int) Math.max(0, Math.min(n, src.length - start));
                if (len > 0) System.arraycopy(src, (int) start, seg[c], 0, len);
                for (int k = 0; k < len; k++) if (Math.abs(seg[c][k]) >= full) clipped++;
            }
            dry.put(role, seg);
        }
        return SongMixer.mix(i, spec.mixVariant(i), a, sf, dry, clipped, spec, rooms);
    }

    /** Receives songs in index order. */
    public interface SongConsumer {
        void accept(Song song) throws IOException, StemroomException;
    }

    /**
     * Makes every song of the spec with {@code spec.threads} songs in flight (each one fluidsynth process when not
     * cached, then the Java mix) and hands them to {@code consumer} in index order, on the calling thread.
     * Progress counts songs.
     */
    public void generate(Progress progress, SongConsumer consumer) throws IOException, StemroomException {
        spec.requireTools();
        progress.begin("songs", spec.songs);
        ExecutorService pool = Executors.newFixedThreadPool(spec.threads, r -> {
            Thread t = new Thread(r, "stemroom-corpus");
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<Future<Song>> inFlight = new ArrayDeque<>();
            int next = 0;
            while (next < spec.songs || !inFlight.isEmpty()) {
                while (next < spec.songs && inFlight.size() < spec.threads + 1) {
                    final int idx = next++;
                    inFlight.add(pool.submit(() -> song(idx)));
                }
                Song s = take(inFlight.poll());
                consumer.accept(s);
                progress.advance(1);
            }
        } finally {
            pool.shutdownNow();
            progress.done();
        }
    }

    private static Song take(Future<Song> f) throws IOException, StemroomException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof StemroomException se) throw se;
            if (c instanceof RuntimeException re) throw re;
            throw new IOException(c);
        }
    }

    /** The cached dry render of arrangement {@code a} with {@code sf}, made now if absent. */
    Path dryRender(Arrangement a, SoundFont sf) throws IOException {
        Path dir = spec.cacheDir.resolve("dry-v" + VERSION).resolve(sf.id()).resolve(String.valueOf(spec.sampleRate));
        String base = HexFormat.of().toHexDigits(a.seed()) + "-" + Math.round(spec.seconds * 1000);
        Path flac = dir.resolve(base + ".flac");
        Path mid = dir.resolve(base + ".mid");
        byte[] midi = MidiFiles.stemsInSequence(a, gapTicks(a));
        // an entry counts only if it was rendered from exactly this MIDI file (the arranger may have changed)
        if (Files.isRegularFile(flac) && Files.size(flac) > 0 && Files.isRegularFile(mid)
                && java.util.Arrays.equals(Files.readAllBytes(mid), midi)) {
            return flac;
        }
        Files.createDirectories(dir);
        String tmpTag = ".tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId();
        Path tmpMid = dir.resolve(base + tmpTag + ".mid");
        Path tmpFlac = dir.resolve(base + tmpTag + ".flac");
        try {
            Files.write(tmpMid, midi);
            double seconds = Role.values().length * (spec.seconds + GAP_SECONDS);
            FluidSynth.render(sf.file(), tmpMid, tmpFlac, spec.sampleRate, Math.max(120, Math.round(seconds * 4)));
            // the MIDI file goes last: it is what validates the entry, so a crash between the moves re-renders
            Files.deleteIfExists(mid);
            Files.move(tmpFlac, flac, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmpMid, mid, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmpMid);
            Files.deleteIfExists(tmpFlac);
        }
        return flac;
    }

    static long gapTicks(Arrangement a) {
        return (long) Math.ceil(GAP_SECONDS / a.secondsPerTick());
    }

    /** Presets of a soundfont (read once per file). */
    static Set<Integer> presets(SoundFont sf) throws IOException {
        Set<Integer> p = PRESETS.get(sf.file());
        if (p == null) {
            if (!sf.installed()) {
                throw new IOException("soundfont " + sf.id() + " missing: " + sf.file() + " (install the Debian package "
                        + sf.debianPackage() + ")");
            }
            p = sf.presets();
            PRESETS.put(sf.file(), p);
        }
        return p;
    }
}
