package org.stemroom.bench.separation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates small multitrack songs as one Standard MIDI File per part (drums, bass, lead, other), so each part
 * can be rendered alone into a ground-truth stem. Seeded: the same seed always gives the same songs.
 */
public final class MidiSongs {
    private static final int PPQ = 480;

    /** One song: tempo, the General MIDI programs, and a flag for the hard cases. */
    public record Song(String name, long seed, int bpm, int bassProgram, int leadProgram, int otherProgram,
                       boolean centred) { }

    /** The evaluation set: varied tempi, instruments and pannings, with the two hard cases the issue names. */
    public static List<Song> defaultSet() {
        return List.of(
                new Song("s1-pop", 11, 104, 33, 65, 0, false),       // fingered bass, alto sax, piano
                new Song("s2-ballad", 22, 78, 32, 73, 48, false),    // acoustic bass, flute, strings
                new Song("s3-rock", 33, 128, 34, 56, 29, false),     // picked bass, trumpet, overdriven guitar
                new Song("s4-slap", 44, 112, 36, 81, 4, false),      // slap bass (hard), saw lead, e-piano
                new Song("s5-centred", 55, 96, 33, 52, 24, true));   // choir lead, nylon guitar, all centred (hard)
    }

    private record Note(long tick, long dur, int key, int vel) { }

    /** Writes {@code <name>-{drums,bass,lead,other}.mid} into {@code dir}. */
    public static void write(Song song, Path dir, int bars) throws IOException {
        Random rnd = new Random(song.seed());
        int root = 40 + rnd.nextInt(7); // E2..A#2
        int[] major = {0, 2, 4, 5, 7, 9, 11};
        int[][] progressions = {{0, 5, 3, 4}, {0, 3, 4, 4}, {5, 3, 0, 4}, {0, 4, 5, 3}};
        int[] prog = progressions[rnd.nextInt(progressions.length)];
        long bar = 4L * PPQ;

        List<Note> drums = new ArrayList<>();
        List<Note> bass = new ArrayList<>();
        List<Note> other = new ArrayList<>();
        List<Note> lead = new ArrayList<>();
        int kickVariant = rnd.nextInt(3);
        for (int b = 0; b < bars; b++) {
            long t0 = b * bar;
            int degree = prog[b % prog.length];
            int chordRoot = root + major[degree];
            // drums: kick, snare, hats, a crash every four bars
            for (int e = 0; e < 8; e++) {
                long t = t0 + e * PPQ / 2;
                drums.add(new Note(t, PPQ / 4, 42, 70 + rnd.nextInt(20)));
                boolean kick = e == 0 || e == 4 || (kickVariant == 1 && e == 5) || (kickVariant == 2 && e == 3);
                if (kick) drums.add(new Note(t, PPQ / 4, 36, 110));
                if (e == 2 || e == 6) drums.add(new Note(t, PPQ / 4, 38, 100 + rnd.nextInt(15)));
            }
            if (b % 4 == 0) drums.add(new Note(t0, PPQ, 49, 90));
            // bass: roots and fifths in eighths and quarters
            for (int q = 0; q < 4; q++) {
                long t = t0 + q * PPQ;
                int key = chordRoot - 12 + (q == 2 ? 7 : 0); // E1..G#2 fundamentals, 41-196 Hz
                if (rnd.nextBoolean()) {
                    bass.add(new Note(t, PPQ / 2 - 20, key, 95));
                    bass.add(new Note(t + PPQ / 2, PPQ / 2 - 20, key + (rnd.nextInt(4) == 0 ? 12 : 0), 85));
                } else {
                    bass.add(new Note(t, PPQ - 30, key, 100));
                }
            }
            // other: triads in the middle register, half notes or an arpeggio
            int[] triad = {major[degree], major[(degree + 2) % 7] + (degree + 2 >= 7 ? 12 : 0),
                    major[(degree + 4) % 7] + (degree + 4 >= 7 ? 12 : 0)};
            if (rnd.nextBoolean()) {
                for (int h = 0; h < 2; h++) {
                    for (int k : triad) other.add(new Note(t0 + h * 2L * PPQ, 2L * PPQ - 30, root + 24 + k, 70));
                }
            } else {
                for (int e = 0; e < 8; e++) {
                    int k = triad[e % 3] + (e >= 6 ? 12 : 0);
                    other.add(new Note(t0 + e * PPQ / 2, PPQ - 40, root + 24 + k, 70));
                }
            }
            // lead: a melody on the scale, mostly steps, with rests
            long t = t0;
            int prev = root + 36 + major[rnd.nextInt(7)] - 12;
            while (t < t0 + bar) {
                long dur = (rnd.nextInt(3) == 0 ? 2 : 1) * (long) PPQ / (rnd.nextBoolean() ? 1 : 2);
                dur = Math.min(dur, t0 + bar - t);
                if (rnd.nextInt(6) != 0) {
                    int step = rnd.nextInt(5) - 2;
                    int key = snapToScale(prev + 2 * step, root, major);
                    key = Math.max(root + 19, Math.min(root + 43, key));
                    lead.add(new Note(t, dur - 10, key, 90 + rnd.nextInt(20)));
                    prev = key;
                }
                t += dur;
            }
        }
        Files.createDirectories(dir);
        writeSmf(dir.resolve(song.name() + "-drums.mid"), song.bpm(), 9, -1, drums);
        writeSmf(dir.resolve(song.name() + "-bass.mid"), song.bpm(), 0, song.bassProgram(), bass);
        writeSmf(dir.resolve(song.name() + "-lead.mid"), song.bpm(), 1, song.leadProgram(), lead);
        writeSmf(dir.resolve(song.name() + "-other.mid"), song.bpm(), 2, song.otherProgram(), other);
    }

    private static int snapToScale(int key, int root, int[] scale) {
        for (int d = 0; d < 12; d++) {
            for (int s : new int[] {key - d, key + d}) {
                int pc = Math.floorMod(s - root, 12);
                for (int v : scale) if (v == pc) return s;
            }
        }
        return key;
    }

    /** Format-0 SMF: tempo, optional program change, notes (channel {@code ch}). */
    private static void writeSmf(Path file, int bpm, int ch, int program, List<Note> notes) throws IOException {
        record Ev(long tick, int order, byte[] data) { }
        List<Ev> evs = new ArrayList<>();
        int usPerQuarter = 60_000_000 / bpm;
        evs.add(new Ev(0, 0, new byte[] {(byte) 0xFF, 0x51, 3, (byte) (usPerQuarter >> 16),
                (byte) (usPerQuarter >> 8), (byte) usPerQuarter}));
        if (program >= 0) evs.add(new Ev(0, 1, new byte[] {(byte) (0xC0 | ch), (byte) program}));
        evs.add(new Ev(0, 1, new byte[] {(byte) (0xB0 | ch), 10, 64})); // centre pan: we pan in the mixer
        evs.add(new Ev(0, 1, new byte[] {(byte) (0xB0 | ch), 7, 110}));
        for (Note n : notes) {
            evs.add(new Ev(n.tick(), 3, new byte[] {(byte) (0x90 | ch), (byte) n.key(), (byte) n.vel()}));
            evs.add(new Ev(n.tick() + n.dur(), 2, new byte[] {(byte) (0x80 | ch), (byte) n.key(), 0}));
        }
        evs.sort((a, b) -> a.tick() != b.tick() ? Long.compare(a.tick(), b.tick()) : Integer.compare(a.order(), b.order()));
        ByteArrayOutputStream trk = new ByteArrayOutputStream();
        long last = 0;
        for (Ev e : evs) {
            writeVarLen(trk, e.tick() - last);
            last = e.tick();
            trk.write(e.data());
        }
        writeVarLen(trk, 2L * PPQ);
        trk.write(new byte[] {(byte) 0xFF, 0x2F, 0});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, (byte) (PPQ >> 8), (byte) PPQ});
        byte[] t = trk.toByteArray();
        out.write(new byte[] {'M', 'T', 'r', 'k', (byte) (t.length >> 24), (byte) (t.length >> 16),
                (byte) (t.length >> 8), (byte) t.length});
        out.write(t);
        Files.write(file, out.toByteArray());
    }

    private static void writeVarLen(ByteArrayOutputStream out, long v) {
        int buffer = (int) (v & 0x7F);
        while ((v >>= 7) > 0) {
            buffer <<= 8;
            buffer |= 0x80 | (int) (v & 0x7F);
        }
        while (true) {
            out.write(buffer & 0xFF);
            if ((buffer & 0x80) != 0) buffer >>>= 8; else break;
        }
    }
}
