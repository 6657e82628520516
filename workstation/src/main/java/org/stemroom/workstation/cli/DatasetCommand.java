package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stemroom.core.Progress;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.trainer.dataset.CorpusSpec;
import org.stemroom.trainer.dataset.CorpusWriter;
import org.stemroom.trainer.dataset.SoundFont;
import org.stemroom.trainer.dataset.Split;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stemroom dataset -o DIR --split train --songs N --seed S}: the synthetic multitrack corpus on disk
 * (see {@link CorpusWriter}); fluidsynth's dry renders are cached, so a second run costs only the mixing.
 */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic multitrack corpus (MIDI arrangements rendered per stem with fluidsynth and "
                + "General MIDI soundfonts, mixed with placement, EQ, rooms and old-master degradations): per song "
                + "mixture.wav and vocals/drums/bass/other.wav (32-bit float or --bits 24/16, summing to the mixture), song.mid, and corpus.json.",
                "Example: stemroom dataset -o corpus/train --split train --songs 100 --seed 1 --seconds 30"})
public final class DatasetCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "folder for the corpus")
    Path outDir;

    @Option(names = "--split", defaultValue = "train", paramLabel = "SPLIT",
            description = "train or held-out (held-out songs use seeds and a soundfont never used in training)")
    String split;

    @Option(names = "--songs", defaultValue = "10", paramLabel = "N", description = "number of songs (default 10)")
    int songs;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "corpus seed (default 1)")
    long seed;

    @Option(names = "--first", defaultValue = "0", paramLabel = "I",
            description = "index of the first song (to extend a corpus: --first 100 --songs 100 adds songs 100..199)")
    long first;

    @Option(names = "--seconds", defaultValue = "30", paramLabel = "SEC", description = "length of each song (default 30)")
    double seconds;

    @Option(names = "--rate", defaultValue = "44100", paramLabel = "HZ", description = "sample rate (default 44100)")
    int rate;

    @Option(names = "--channels", defaultValue = "2", paramLabel = "N",
            description = "2 (stereo files; mono masters have identical channels) or 1 (default 2)")
    int channels;

    @Option(names = "--soundfont", split = ",", paramLabel = "ID",
            description = "soundfonts to use (default: fluidr3-gm,musescore-general for train, timgm6mb for held-out)")
    List<String> soundFonts;

    @Option(names = "--rooms", split = ",", paramLabel = "ROOM",
            description = "built-in rooms for stem ambience (default vocal-booth,live-room,small-club,bright-plate; 'none' for no rooms)")
    List<String> rooms;

    @Option(names = "--mixes-per-song", defaultValue = "1", paramLabel = "M",
            description = "mixes made from each rendered arrangement (default 1): M > 1 gives M placements/levels/rooms/"
                    + "degradations per fluidsynth render, for more examples per render and per cached byte")
    int mixesPerSong;

    @Option(names = "--cache", paramLabel = "DIR", description = "cache of the dry fluidsynth renders (default ~/.cache/stemroom/corpus)")
    Path cache;

    @Option(names = "--threads", paramLabel = "N", description = "songs made at once (default: available processors; never changes the output)")
    Integer threads;

    @Option(names = "--bits", defaultValue = "float32", paramLabel = "FORMAT",
            description = "float32 (default), 24 or 16: integer files are rounded per stem and the mixture is their exact sum")
    String bits;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Split sp;
        try {
            sp = Split.parse(split);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        SampleFormat format;
        try {
            format = SampleFormat.parse(bits);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (format != SampleFormat.FLOAT_32 && format != SampleFormat.PCM_24 && format != SampleFormat.PCM_16) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bits must be float32, 24 or 16");
        }
        CorpusSpec cs;
        try {
            cs = CorpusSpec.of(sp, seed, songs).withSongs(first, songs).withSeconds(seconds).withSampleRate(rate)
                    .withChannels(channels);
            if (soundFonts != null) {
                List<SoundFont> l = new ArrayList<>();
                for (String id : soundFonts) l.add(SoundFont.byId(id));
                cs = cs.withSoundFonts(l);
            }
            if (rooms != null) {
                cs = rooms.size() == 1 && rooms.get(0).equalsIgnoreCase("none") ? cs.withRooms(List.of(), 0) : cs.withRooms(rooms, 1.0);
            }
            if (cache != null) cs = cs.withCacheDir(cache);
            if (threads != null) cs = cs.withThreads(threads);
            cs = cs.withMixesPerSong(mixesPerSong);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        for (String r : cs.rooms) org.stemroom.room.BuiltInRooms.byName(r);
        cs.requireTools();
        Progress progress = ProgressBar.forTerminal(spec.commandLine().getErr(), quiet);
        CorpusWriter.Summary s = CorpusWriter.write(cs, outDir, format, progress);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "wrote %d %s songs (%.1f min of audio) to %s in %.1f s (%.1fx real time); metadata: %s%n",
                s.songs(), sp.label(), s.audioSeconds() / 60, outDir, s.wallSeconds(),
                s.audioSeconds() / Math.max(1e-9, s.wallSeconds()), s.corpusJson());
        out.flush();
        return StemroomCli.EXIT_OK;
    }
}
