package org.stemroom.bench.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MidiBassTrackTest {
    @TempDir Path dir;

    private static MidiEvent note(int cmd, int ch, int key, int vel, long tick) throws Exception {
        return new MidiEvent(new ShortMessage(cmd, ch, key, vel), tick);
    }

    /**
     * A file as the corpus writes it (a conductor track, then one track per part): the bass channel's notes come out in
     * seconds through a tempo change, another channel's notes are left out, and per frame the lowest sounding bass note
     * is voiced only while the stem's energy is within 30 dB of that note's loudest frame.
     */
    @Test
    void readsTheBassChannelsNotesThroughTheTempoMapAndVoicesOnlyWhatSounds() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, 480);
        Track conductor = seq.createTrack();
        conductor.add(new MidiEvent(new MetaMessage(0x51, new byte[] {0x07, (byte) 0xa1, 0x20}, 3), 0)); // 500000 us
        conductor.add(new MidiEvent(new MetaMessage(0x51, new byte[] {0x03, (byte) 0xd0, (byte) 0x90}, 3), 960)); // 250000
        Track lead = seq.createTrack();
        lead.add(note(ShortMessage.NOTE_ON, 1, 28, 100, 0)); // lower than the bass, another channel: not the bass
        lead.add(note(ShortMessage.NOTE_OFF, 1, 28, 0, 1920));
        Track bass = seq.createTrack();
        bass.add(note(ShortMessage.NOTE_ON, MidiBassTrack.BASS_CHANNEL, 40, 100, 0));     // E2, 0-0.5 s
        bass.add(note(ShortMessage.NOTE_OFF, MidiBassTrack.BASS_CHANNEL, 40, 0, 480));
        bass.add(note(ShortMessage.NOTE_ON, MidiBassTrack.BASS_CHANNEL, 45, 100, 960));   // A2 from 1 s ...
        bass.add(note(ShortMessage.NOTE_ON, MidiBassTrack.BASS_CHANNEL, 33, 0, 960));     // (a note-on at velocity 0 is an off)
        bass.add(note(ShortMessage.NOTE_OFF, MidiBassTrack.BASS_CHANNEL, 45, 0, 1920));   // ... to 1.5 s (quarters of 0.25 s)
        Path file = dir.resolve("song.mid");
        MidiSystem.write(seq, 1, file.toFile());

        List<MidiBassTrack.Note> notes = MidiBassTrack.notes(file);
        assertEquals(2, notes.size());
        assertEquals(0.0, notes.get(0).on(), 1e-9);
        assertEquals(0.5, notes.get(0).off(), 1e-9);
        assertEquals(40, notes.get(0).key());
        assertEquals(1.0, notes.get(1).on(), 1e-9);
        assertEquals(1.5, notes.get(1).off(), 1e-9);
        assertEquals(45, notes.get(1).key());

        int frames = 20;
        double frameSeconds = 0.1;
        double[] energy = new double[frames];
        java.util.Arrays.fill(energy, 1);
        energy[13] = 2e-3; // the second note's loudest frame is 1.0 (the first 1.0 too)
        energy[14] = 5e-4; // under 30 dB: its pitch no longer sounds
        double[] hz = MidiBassTrack.track(notes, frames, frameSeconds, energy);
        for (int f = 0; f < frames; f++) {
            double want = f <= 4 ? 82.4069 : f >= 10 && f <= 13 ? 110.0 : 0;
            assertEquals(want, hz[f], 1e-3, "frame " + f);
        }
    }
}
