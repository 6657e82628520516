package org.stemroom.bench.separation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * The bass's true pitch track from a corpus song's {@code song.mid} (written by the trainer's {@code MidiFiles}):
 * the notes of the bass channel, per STFT frame, for {@code SeparationDiag --bass-track}. The tracker run on the
 * isolated bass stem (the reference before session 22) reads 400-1600 cents low on some held-out basses (session
 * 21); the score is the truth.
 */
final class MidiBassTrack {
    /** The corpus generator's bass channel ({@code Arranger.CH_BASS}). */
    static final int BASS_CHANNEL = 0;
    /**
     * A note's frame counts as voiced while the true bass stem's energy there is at least this share of the note's
     * loudest frame (-30 dB): a plucked note that has died away before its note-off sounds no pitch to track.
     */
    static final double SOUNDING = 1e-3;

    private MidiBassTrack() { }

    /** One note: seconds, MIDI key. */
    record Note(double on, double off, int key) { }

    /** The bass channel's notes in seconds (a constant or stepped tempo map read from the file). */
    static List<Note> notes(Path midi) throws IOException {
        Sequence seq;
        try {
            seq = MidiSystem.getSequence(midi.toFile());
        } catch (InvalidMidiDataException e) {
            throw new IOException(midi + ": " + e.getMessage(), e);
        }
        if (seq.getDivisionType() != Sequence.PPQ) throw new IOException(midi + ": not a PPQ sequence");
        List<long[]> tempo = new ArrayList<>(); // tick, microseconds per quarter
        for (Track t : seq.getTracks()) {
            for (int i = 0; i < t.size(); i++) {
                MidiEvent e = t.get(i);
                if (e.getMessage() instanceof MetaMessage m && m.getType() == 0x51) {
                    byte[] d = m.getData();
                    tempo.add(new long[] {e.getTick(), ((d[0] & 0xff) << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff)});
                }
            }
        }
        tempo.sort((a, b) -> Long.compare(a[0], b[0]));
        if (tempo.isEmpty() || tempo.get(0)[0] > 0) tempo.add(0, new long[] {0, 500_000});
        int ppq = seq.getResolution();
        List<long[]> on = new ArrayList<>(); // tick, key
        List<Note> notes = new ArrayList<>();
        List<long[]> events = new ArrayList<>(); // tick, 0 off / 1 on, key
        for (Track t : seq.getTracks()) {
            for (int i = 0; i < t.size(); i++) {
                if (t.get(i).getMessage() instanceof ShortMessage m && m.getChannel() == BASS_CHANNEL) {
                    boolean noteOn = m.getCommand() == ShortMessage.NOTE_ON && m.getData2() > 0;
                    boolean noteOff = m.getCommand() == ShortMessage.NOTE_OFF
                            || (m.getCommand() == ShortMessage.NOTE_ON && m.getData2() == 0);
                    if (noteOn || noteOff) events.add(new long[] {t.get(i).getTick(), noteOn ? 1 : 0, m.getData1()});
                }
            }
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        for (long[] e : events) {
            if (e[1] == 1) {
                on.add(new long[] {e[0], e[2]});
            } else {
                for (int i = 0; i < on.size(); i++) {
                    if (on.get(i)[1] == e[2]) {
                        notes.add(new Note(seconds(on.get(i)[0], tempo, ppq), seconds(e[0], tempo, ppq), (int) e[2]));
                        on.remove(i);
                        break;
                    }
                }
            }
        }
        return notes;
    }

    private static double seconds(long tick, List<long[]> tempo, int ppq) {
        double s = 0;
        for (int i = 0; i < tempo.size(); i++) {
            long from = tempo.get(i)[0];
            if (from >= tick) break;
            long to = i + 1 < tempo.size() ? Math.min(tick, tempo.get(i + 1)[0]) : tick;
            s += (to - from) * tempo.get(i)[1] / 1e6 / ppq;
        }
        return s;
    }

    /**
     * Per frame (centred at {@code f * frameSeconds}), the lowest sounding note's frequency, or 0 where none sounds
     * or where the true bass's frame energy ({@code energy}) is under {@link #SOUNDING} of that note's loudest frame.
     */
    static double[] track(List<Note> notes, int frames, double frameSeconds, double[] energy) {
        double[] hz = new double[frames];
        int[] key = new int[frames];
        int[] which = new int[frames];
        java.util.Arrays.fill(which, -1);
        for (int n = 0; n < notes.size(); n++) {
            Note x = notes.get(n);
            // the frames centred in [on, off), with a tolerance for the division's rounding
            int a = Math.max(0, (int) Math.ceil(x.on() / frameSeconds - 1e-9));
            int b = Math.min(frames - 1, (int) Math.ceil(x.off() / frameSeconds - 1e-9) - 1);
            for (int f = a; f <= b; f++) {
                if (which[f] < 0 || x.key() < key[f]) {
                    which[f] = n;
                    key[f] = x.key();
                }
            }
        }
        double[] peak = new double[notes.size()];
        for (int f = 0; f < frames; f++) if (which[f] >= 0) peak[which[f]] = Math.max(peak[which[f]], energy[f]);
        for (int f = 0; f < frames; f++) {
            if (which[f] >= 0 && energy[f] >= SOUNDING * peak[which[f]] && energy[f] > 0) {
                hz[f] = 440 * Math.pow(2, (key[f] - 69) / 12.0);
            }
        }
        return hz;
    }
}
