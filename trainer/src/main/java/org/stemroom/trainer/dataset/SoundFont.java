package org.stemroom.trainer.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.stemroom.core.StemroomException;

/**
 * A General MIDI soundfont from a Debian package, with its licence and its role in the corpus. Training uses
 * only soundfonts with {@code heldOut == false}; the held-out split uses only the held-out one, so evaluation
 * measures how a model generalizes to instruments it never heard.
 *
 * <p>TimGM6mb is the held-out soundfont because its samples are independent of the training fonts: MuseScore
 * General is built in part from the Fluid R3 Mono samples, so holding it out while training on Fluid R3 would
 * leak. TimGM6mb is GPL-2; its renders serve only evaluation and never reach a shipped model's weights.
 *
 * @param id          short name used in metadata, cache paths and the command line
 * @param file        the soundfont file (sf2 or sf3; fluidsynth reads both)
 * @param debianPackage the package that installs it
 * @param licence     the licence stated in {@code /usr/share/doc/<package>/copyright}
 * @param copyright   the copyright holders named there
 * @param heldOut     true for the soundfont reserved for the held-out split
 */
public record SoundFont(String id, Path file, String debianPackage, String licence, String copyright,
                        boolean heldOut) {

    public static final SoundFont FLUID_R3 = new SoundFont("fluidr3-gm",
            Paths.get("/usr/share/sounds/sf2/FluidR3_GM.sf2"), "fluid-soundfont-gm", "MIT",
            "Copyright 2000-2002, 2008 Frank Wen; 2008 Toby Smithe", false);
    public static final SoundFont MUSESCORE_LITE = new SoundFont("musescore-general",
            Paths.get("/usr/share/sounds/sf3/MuseScore_General_Lite.sf3"), "musescore-general-soundfont-small",
            "MIT (parts public domain or CC0)",
            "2018-2021 S. Christian Collins; Fluid (R3) Mono 2014-2017 Michael Cowgill; Fluid R3 2000-2002, 2008 Frank Wen",
            false);
    public static final SoundFont MUSESCORE_FULL = new SoundFont("musescore-general-hq",
            Paths.get("/usr/share/sounds/sf3/MuseScore_General_Full.sf3"), "musescore-general-soundfont",
            "MIT (parts public domain or CC0)",
            "2018-2021 S. Christian Collins; Fluid (R3) Mono 2014-2017 Michael Cowgill; Fluid R3 2000-2002, 2008 Frank Wen",
            false);
    public static final SoundFont TIM_GM6MB = new SoundFont("timgm6mb",
            Paths.get("/usr/share/sounds/sf2/TimGM6mb.sf2"), "timgm6mb-soundfont", "GPL-2",
            "2004 Tim Brechbill; 2010 David Bolton", true);

    /** Every soundfont the corpus knows. */
    public static List<SoundFont> known() {
        return List.of(FLUID_R3, MUSESCORE_LITE, MUSESCORE_FULL, TIM_GM6MB);
    }

    /** Default soundfonts of a split: Fluid R3 and MuseScore General (lite) for training, TimGM6mb held out. */
    public static List<SoundFont> defaults(Split split) {
        return split == Split.HELD_OUT ? List.of(TIM_GM6MB) : List.of(FLUID_R3, MUSESCORE_LITE);
    }

    public static SoundFont byId(String id) throws StemroomException {
        for (SoundFont s : known()) if (s.id.equalsIgnoreCase(id.trim())) return s;
        StringBuilder ids = new StringBuilder();
        for (SoundFont s : known()) ids.append(ids.length() == 0 ? "" : ", ").append(s.id);
        throw new StemroomException("unknown soundfont '" + id + "' (known: " + ids + ")");
    }

    public boolean installed() {
        return Files.isRegularFile(file);
    }

    /** Fails with an install hint when the file is missing. */
    public void requireInstalled() throws StemroomException {
        if (!installed()) {
            throw new StemroomException("soundfont " + id + " missing: " + file + " (install the Debian package "
                    + debianPackage + ", e.g. scripts/install-deps.sh bench)");
        }
    }

    /**
     * The presets the file defines, as {@code bank * 128 + program}, read from the 'phdr' chunk of its RIFF
     * 'pdta' list (SoundFont 2.04 section 7.2; sf3 keeps the same structure). The arranger picks programs only
     * from this set, so no part is silently replaced by a default instrument.
     */
    public Set<Integer> presets() throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = read(ch, 0, 12);
            if (head.getInt(0) != 0x46464952 || head.getInt(8) != 0x6b626673) { // "RIFF" ... "sfbk"
                throw new IOException(file + ": not a SoundFont (no RIFF sfbk header)");
            }
            long pos = 12, end = Math.min(ch.size(), 8 + (head.getInt(4) & 0xFFFFFFFFL));
            while (pos + 12 <= end) {
                ByteBuffer h = read(ch, pos, 12);
                long size = h.getInt(4) & 0xFFFFFFFFL;
                if (h.getInt(0) == 0x5453494c && h.getInt(8) == 0x61746470) { // "LIST" "pdta"
                    long p = pos + 12, lend = pos + 8 + size;
                    while (p + 8 <= lend) {
                        ByteBuffer sh = read(ch, p, 8);
                        long ssize = sh.getInt(4) & 0xFFFFFFFFL;
                        if (sh.getInt(0) == 0x72646870) { // "phdr"
                            ByteBuffer recs = read(ch, p + 8, (int) ssize);
                            Set<Integer> out = new TreeSet<>();
                            int n = (int) (ssize / 38) - 1; // the last record is the terminal "EOP"
                            for (int i = 0; i < n; i++) {
                                int program = recs.getShort(i * 38 + 20) & 0xFFFF;
                                int bank = recs.getShort(i * 38 + 22) & 0xFFFF;
                                out.add(bank * 128 + program);
                            }
                            return out;
                        }
                        p = next(ch, p + 8 + ssize, ssize, lend);
                    }
                }
                pos = next(ch, pos + 8 + size, size, end);
            }
        }
        throw new IOException(file + ": no preset headers (phdr) found");
    }

    /**
     * Start of the chunk after one ending at {@code unpadded}: RIFF pads odd-sized chunks to even length, but some
     * sf3 files (MuseScore General) do not, so the unpadded position is taken when a chunk id starts there.
     */
    private static long next(FileChannel ch, long unpadded, long size, long end) throws IOException {
        if ((size & 1) == 0) return unpadded;
        if (unpadded + 4 <= end && plausibleId(read(ch, unpadded, 4).getInt(0))) return unpadded;
        return unpadded + 1;
    }

    private static boolean plausibleId(int id) {
        for (int k = 0; k < 4; k++) {
            int c = (id >>> (8 * k)) & 0xFF;
            if (c < 0x20 || c > 0x7E) return false;
        }
        return true;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) throw new IOException("truncated soundfont");
        }
        b.flip();
        return b;
    }

    /** The copyright file of the Debian package (for the corpus metadata), or null when not installed. */
    public Path copyrightFile() {
        return Paths.get("/usr/share/doc", debianPackage, "copyright");
    }

}
