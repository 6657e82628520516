package org.stemroom.trainer.dataset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.stemroom.trainer.dataset.Arrangement.Note;
import org.stemroom.trainer.dataset.Arrangement.Part;
import org.stemroom.trainer.dataset.Arrangement.Role;

/**
 * Standard MIDI Files (type 1) of an arrangement, written with {@code javax.sound.midi}: a conductor track with
 * tempo, time signature and key signature, then one track per part with its name, program, centred pan, full
 * volume and no reverb or chorus send (rooms come from our own convolution).
 */
public final class MidiFiles {
    private MidiFiles() { }

    /** The song as a musician would open it: every part plays at once. */
    public static byte[] song(Arrangement a) throws IOException {
        Sequence seq = newSequence(a, a.excerptTicks());
        for (Part p : a.parts()) addPart(seq, p, 0, a.excerptTicks());
        return bytes(seq);
    }

    /**
     * The render file: the stems one after another, in {@link Role} order, each {@code gapTicks} after the end of
     * the previous one and silenced there by All Sound Off, so one fluidsynth run (one soundfont load) renders
     * every stem and each can be cut out at its known start. Stem {@code k} starts at tick
     * {@code k * (excerptTicks + gapTicks)}.
     */
    public static byte[] stemsInSequence(Arrangement a, long gapTicks) throws IOException {
        long slot = a.excerptTicks() + gapTicks;
        Sequence seq = newSequence(a, Role.values().length * slot);
        for (Role role : Role.values()) {
            for (Part p : a.parts(role)) addPart(seq, p, role.ordinal() * slot, a.excerptTicks());
        }
        return bytes(seq);
    }

    private static Sequence newSequence(Arrangement a, long endTick) throws IOException {
        try {
            Sequence seq = new Sequence(Sequence.PPQ, Arrangement.PPQ);
            Track conductor = seq.createTrack();
            int us = a.microsPerQuarter();
            conductor.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (us >> 16), (byte) (us >> 8), (byte) us}, 3), 0));
            Meter m = a.meter();
            int clocks = m.denominator == 8 ? 36 : 24;
            conductor.add(new MidiEvent(new MetaMessage(0x58, new byte[] {(byte) m.numerator,
                    (byte) Integer.numberOfTrailingZeros(m.denominator), (byte) clocks, 8}, 4), 0));
            conductor.add(new MidiEvent(new MetaMessage(0x59, keySignature(a.tonic(), a.mode()), 2), 0));
            byte[] title = ("stemroom song " + Long.toHexString(a.seed())).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            conductor.add(new MidiEvent(new MetaMessage(0x03, title, title.length), 0));
            byte[] end = "end".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            conductor.add(new MidiEvent(new MetaMessage(0x06, end, end.length), endTick)); // marker: the player runs to here
            return seq;
        } catch (InvalidMidiDataException e) {
            throw new IOException("cannot build MIDI sequence: " + e.getMessage(), e);
        }
    }

    /** Key signature bytes {@code sf, mi}: sharps (positive) or flats (negative) of the parent major scale. */
    static byte[] keySignature(int tonic, Mode mode) {
        int parentMajor = switch (mode) {
            case MAJOR -> tonic;
            case MINOR -> tonic + 3;
            case DORIAN -> tonic - 2;
            case MIXOLYDIAN -> tonic + 5;
        };
        int sf = Math.floorMod(parentMajor * 7, 12);
        if (sf > 6) sf -= 12;
        return new byte[] {(byte) sf, (byte) (mode == Mode.MINOR ? 1 : 0)};
    }

    private static void addPart(Sequence seq, Part p, long offset, long length) throws IOException {
        try {
            Track t = seq.createTrack();
            int ch = p.channel();
            byte[] name = p.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            t.add(new MidiEvent(new MetaMessage(0x03, name, name.length), offset));
            List<MidiEvent> ev = new ArrayList<>();
            if (ch != GeneralMidi.DRUM_CHANNEL) {
                ev.add(ev(ShortMessage.CONTROL_CHANGE, ch, 0, p.bank(), offset));  // bank select MSB
                ev.add(ev(ShortMessage.CONTROL_CHANGE, ch, 32, 0, offset));        // bank select LSB
            }
            ev.add(ev(ShortMessage.PROGRAM_CHANGE, ch, p.program(), 0, offset));
            ev.add(ev(ShortMessage.CONTROL_CHANGE, ch, 7, 100, offset));  // volume
            ev.add(ev(ShortMessage.CONTROL_CHANGE, ch, 10, 64, offset));  // pan centre: placement is ours
            ev.add(ev(ShortMessage.CONTROL_CHANGE, ch, 91, 0, offset));   // reverb send
            ev.add(ev(ShortMessage.CONTROL_CHANGE, ch, 93, 0, offset));   // chorus send
            // note-offs sort before note-ons of the same tick, so repeated keys retrigger
            List<long[]> notes = new ArrayList<>();
            for (Note n : p.notes()) {
                notes.add(new long[] {offset + n.tick() + n.duration(), 0, n.key(), 0});
                notes.add(new long[] {offset + n.tick(), 1, n.key(), n.velocity()});
            }
            notes.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : x[1] != y[1] ? Long.compare(x[1], y[1])
                    : Long.compare(x[2], y[2]));
            for (long[] n : notes) {
                ev.add(ev(n[1] == 0 ? ShortMessage.NOTE_OFF : ShortMessage.NOTE_ON, ch, (int) n[2], (int) n[3], n[0]));
            }
            // all notes off, then all sound off: in this order fluidsynth (2.3) silences the channel within one
            // 64-sample block; the other order lets an all-notes-off revive the release of the voices just killed
            ev.add(ev(ShortMessage.CONTROL_CHANGE, ch, 123, 0, offset + length));
            ev.add(ev(ShortMessage.CONTROL_CHANGE, ch, 120, 0, offset + length));
            for (MidiEvent e : ev) t.add(e);
        } catch (InvalidMidiDataException e) {
            throw new IOException("cannot build MIDI track for " + p.name() + ": " + e.getMessage(), e);
        }
    }

    private static MidiEvent ev(int cmd, int ch, int d1, int d2, long tick) throws InvalidMidiDataException {
        MidiMessage m = new ShortMessage(cmd, ch, d1, d2);
        return new MidiEvent(m, tick);
    }

    private static byte[] bytes(Sequence seq) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MidiSystem.write(seq, 1, out);
        return out.toByteArray();
    }
}
