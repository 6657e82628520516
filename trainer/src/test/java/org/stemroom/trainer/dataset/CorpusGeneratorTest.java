package org.stemroom.trainer.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.trainer.dataset.CorpusSpec.Degradation;
import org.stemroom.trainer.dataset.CorpusSpec.Placement;

/** The corpus generator end to end with fluidsynth; skips with a reason when fluidsynth or Fluid R3 is absent. */
class CorpusGeneratorTest {
    static final double SECONDS = 4;

    @TempDir
    static Path cache;

    @BeforeAll
    static void tools() {
        Assumptions.assumeTrue(FluidSynth.available(), "fluidsynth not installed (scripts/install-deps.sh test)");
        Assumptions.assumeTrue(SoundFont.FLUID_R3.installed(), "soundfont " + SoundFont.FLUID_R3.file() + " not installed");
    }

    static CorpusSpec train(int songs) {
        return CorpusSpec.of(Split.TRAIN, 7, songs).withSeconds(SECONDS).withSoundFonts(List.of(SoundFont.FLUID_R3))
                .withRooms(List.of(), 0).withCacheDir(cache).withThreads(2);
    }

    static List<Song> all(CorpusSpec spec) throws Exception {
        List<Song> out = new ArrayList<>();
        new CorpusGenerator(spec).generate(org.stemroom.core.Progress.NONE, out::add);
        return out;
    }

    @Test
    void sameSeedGivesSameBytesWhateverTheCacheAndThreads(@TempDir Path otherCache) throws Exception {
        CorpusSpec spec = train(2).withRooms(List.of("vocal-booth"), 3.0)
                .withDegradationChances(Map.of(Degradation.WOW, 0.5, Degradation.SATURATION, 0.5, Degradation.HISS, 0.5,
                        Degradation.HUM, 0.5, Degradation.BAND_LIMIT, 0.5));
        List<Song> a = all(spec.withThreads(2));
        List<Song> b = all(spec.withThreads(1).withCacheDir(otherCache)); // fluidsynth renders again
        for (int i = 0; i < a.size(); i++) {
            Song x = a.get(i), y = b.get(i);
            assertEquals(x.info(), y.info());
            for (int c = 0; c < x.channels(); c++) assertArrayEquals(x.mixture()[c], y.mixture()[c]);
            for (String s : Song.STEM_NAMES) {
                for (int c = 0; c < x.channels(); c++) assertArrayEquals(x.stem(s)[c], y.stem(s)[c], s);
            }
            CorpusGenerator g = new CorpusGenerator(spec);
            Arrangement arr = g.arrangement(i);
            Path fa = new CorpusGenerator(spec).dryRender(arr, SoundFont.FLUID_R3);
            Path fb = new CorpusGenerator(spec.withCacheDir(otherCache)).dryRender(arr, SoundFont.FLUID_R3);
            assertArrayEquals(Files.readAllBytes(fa), Files.readAllBytes(fb), "fluidsynth output differs between runs");
        }
        // different songs really differ
        assertNotEquals(a.get(0).info().seed(), a.get(1).info().seed());
    }

    @Test
    void eachStemIsSilencedBeforeTheNextStartsInTheRenderFile() throws Exception {
        CorpusSpec spec = train(3);
        CorpusGenerator g = new CorpusGenerator(spec);
        for (int i = 0; i < spec.songs; i++) {
            Arrangement a = g.arrangement(i);
            org.stemroom.core.AudioClip c = org.stemroom.core.io.AudioFiles.readAll(g.dryRender(a, SoundFont.FLUID_R3));
            long slot = a.excerptTicks() + CorpusGenerator.gapTicks(a);
            for (int k = 0; k < 4; k++) {
                long end = Math.round((k * slot + a.excerptTicks()) * a.secondsPerTick() * 44100);
                long next = Math.round((k + 1) * slot * a.secondsPerTick() * 44100);
                // all sound off at the end: silent from one synth block (64 frames) plus a little after it
                for (int ch = 0; ch < 2; ch++) {
                    for (long j = end + 256; j < Math.min(next, c.frames()); j++) {
                        assertEquals(0f, c.channel(ch)[(int) j], "song " + i + " stem " + k + " still sounds "
                                + (j - end) + " frames after its end");
                    }
                }
            }
        }
    }

    @Test
    void mixesOfOneRenderShareTheArrangementAndDifferInTheMix() throws Exception {
        CorpusSpec one = train(2);
        CorpusSpec two = train(3).withMixesPerSong(2);
        List<Song> a = all(one), b = all(two);
        assertEquals(b.get(0).info().seed(), b.get(1).info().seed());
        assertNotEquals(b.get(1).info().seed(), b.get(2).info().seed());
        assertEquals(a.get(1).info().seed(), b.get(2).info().seed()); // arrangement k is song k of an m = 1 corpus
        assertEquals(0, b.get(0).info().mixVariant());
        assertEquals(1, b.get(1).info().mixVariant());
        assertEquals(a.get(0).info(), b.get(0).info()); // variant 0 is the m = 1 mix
        assertNotEquals(b.get(0).info().stems(), b.get(1).info().stems());
        for (Song s : b) assertTrue(s.sumError() <= 1e-6);
    }

    @Test
    void aCacheEntryFromAnotherMidiFileIsRenderedAgain() throws Exception {
        CorpusSpec spec = train(1);
        CorpusGenerator g = new CorpusGenerator(spec);
        Song first = g.song(0);
        Arrangement a = g.arrangement(0);
        Path flac = g.dryRender(a, SoundFont.FLUID_R3);
        Path mid = flac.resolveSibling(flac.getFileName().toString().replace(".flac", ".mid"));
        byte[] good = Files.readAllBytes(mid);
        Files.write(mid, new byte[] {1, 2, 3}); // as if an older arranger had written this entry
        Files.write(flac, new byte[] {1, 2, 3});
        Song again = g.song(0);
        assertArrayEquals(good, Files.readAllBytes(mid));
        for (int c = 0; c < first.channels(); c++) assertArrayEquals(first.mixture()[c], again.mixture()[c]);
    }

    @Test
    void stemsSumToTheMixtureAndHaveItsShape() throws Exception {
        for (Song s : all(train(4).withRooms(List.of("vocal-booth"), 2.0))) {
            assertEquals(List.copyOf(Song.STEM_NAMES), List.copyOf(s.stems().keySet()));
            for (float[][] st : s.stems().values()) {
                assertEquals(s.channels(), st.length);
                for (float[] ch : st) assertEquals(s.frames(), ch.length);
            }
            assertEquals(Math.round(SECONDS * 44100), s.frames());
            assertTrue(s.sumError() <= 1e-6, "sum error " + s.sumError());
            double peak = 0;
            for (float[] ch : s.mixture()) for (float v : ch) peak = Math.max(peak, Math.abs(v));
            assertTrue(peak > 0.4 && peak < 0.9, "mixture peak " + peak);
            assertEquals(0, s.info().dryClipped(), "dry render clipped");
        }
    }

    @Test
    void heldOutUsesOtherSeedsAndOnlyTheHeldOutSoundfont() throws Exception {
        Set<Long> trainSeeds = new HashSet<>();
        for (long corpus = 0; corpus < 4; corpus++) {
            for (int i = 0; i < 2000; i++) trainSeeds.add(Split.TRAIN.songSeed(corpus, i));
        }
        for (long corpus = 0; corpus < 4; corpus++) {
            for (int i = 0; i < 2000; i++) {
                long s = Split.HELD_OUT.songSeed(corpus, i);
                assertFalse(trainSeeds.contains(s));
                assertEquals(Split.HELD_OUT, Split.ofSeed(s));
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> CorpusSpec.of(Split.HELD_OUT, 1, 1).withSoundFonts(List.of(SoundFont.FLUID_R3)));
        assertThrows(IllegalArgumentException.class,
                () -> CorpusSpec.of(Split.TRAIN, 1, 1).withSoundFonts(List.of(SoundFont.TIM_GM6MB)));
        CorpusSpec train = CorpusSpec.of(Split.TRAIN, 1, 200);
        for (int i = 0; i < train.songs; i++) assertFalse(train.soundFontFor(train.songSeed(i)).heldOut());
        CorpusSpec held = CorpusSpec.of(Split.HELD_OUT, 1, 200);
        for (int i = 0; i < held.songs; i++) assertEquals(SoundFont.TIM_GM6MB, held.soundFontFor(held.songSeed(i)));

        Assumptions.assumeTrue(SoundFont.TIM_GM6MB.installed(), "TimGM6mb not installed");
        List<Song> songs = all(CorpusSpec.of(Split.HELD_OUT, 7, 2).withSeconds(SECONDS).withRooms(List.of(), 0)
                .withCacheDir(cache).withThreads(2));
        for (Song s : songs) {
            assertEquals("timgm6mb", s.info().soundFont());
            assertEquals("held-out", s.info().split());
            assertTrue(s.info().seed() < 0);
            assertTrue(s.sumError() <= 1e-6);
        }
    }

    @Test
    void soundfontPresetsAreReadFromSf2AndSf3() throws Exception {
        int checked = 0;
        for (SoundFont sf : SoundFont.known()) {
            if (!sf.installed()) {
                System.out.println("soundfont " + sf.id() + " not installed: its preset check is skipped");
                continue;
            }
            Set<Integer> p = sf.presets();
            assertTrue(p.contains(0), sf.id() + ": no piano (bank 0 program 0)");
            assertTrue(p.contains(128 * 128), sf.id() + ": no standard drum kit (bank 128 program 0)");
            for (int prog = 0; prog < 128; prog++) {
                if (sf == SoundFont.FLUID_R3) assertTrue(p.contains(prog), "Fluid R3 lacks GM program " + prog);
            }
            checked++;
        }
        assertTrue(checked >= 1);
    }

    @Test
    void midiParsesBackWithTheDeclaredTempoAndMeter() throws Exception {
        Set<Meter> meters = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            Arrangement a = Arranger.arrange(Split.TRAIN.songSeed(3, i), 20, SoundFont.FLUID_R3.presets());
            meters.add(a.meter());
            Sequence seq = MidiSystem.getSequence(new ByteArrayInputStream(MidiFiles.song(a)));
            assertEquals(Sequence.PPQ, seq.getDivisionType());
            assertEquals(Arrangement.PPQ, seq.getResolution());
            int tempo = -1, num = -1, den = -1, notes = 0;
            for (Track t : seq.getTracks()) {
                for (int k = 0; k < t.size(); k++) {
                    MidiEvent e = t.get(k);
                    if (e.getMessage() instanceof MetaMessage m) {
                        byte[] d = m.getData();
                        if (m.getType() == 0x51) tempo = ((d[0] & 0xFF) << 16) | ((d[1] & 0xFF) << 8) | (d[2] & 0xFF);
                        if (m.getType() == 0x58) { num = d[0]; den = 1 << d[1]; }
                    } else if (e.getMessage() instanceof ShortMessage s && s.getCommand() == ShortMessage.NOTE_ON
                            && s.getData2() > 0) {
                        notes++;
                    }
                }
            }
            assertEquals(a.microsPerQuarter(), tempo);
            assertEquals(a.meter().numerator, num);
            assertEquals(a.meter().denominator, den);
            int expected = 0;
            for (Arrangement.Part p : a.parts()) expected += p.notes().size();
            assertEquals(expected, notes);
            assertTrue(notes > 50, "too few notes: " + notes);
            // the lead is one voice: no note starts before the previous one ended
            List<Arrangement.Note> lead = a.parts(Arrangement.Role.VOCALS).get(0).notes();
            for (int k = 1; k < lead.size(); k++) {
                assertTrue(lead.get(k).tick() >= lead.get(k - 1).tick() + lead.get(k - 1).duration());
            }
            assertTrue(seq.getTickLength() >= a.excerptTicks());
        }
        assertTrue(meters.size() >= 3, "meters seen: " + meters);
    }

    @Test
    void monoSongsHaveIdenticalChannels() throws Exception {
        for (Song s : all(train(2).withPlacementWeights(Map.of(Placement.MONO, 1.0))
                .withDegradationChances(Map.of(Degradation.HISS, 1.0, Degradation.WOW, 1.0)))) {
            assertEquals("mono", s.info().placement());
            assertArrayEquals(s.mixture()[0], s.mixture()[1]);
            for (float[][] st : s.stems().values()) assertArrayEquals(st[0], st[1]);
        }
    }

    @Test
    void hardPannedStemsAreInOneChannelOnly() throws Exception {
        int panned = 0;
        for (Song s : all(train(3).withPlacementWeights(Map.of(Placement.HARD_PANNED, 1.0))
                .withRooms(List.of("vocal-booth"), 3.0)
                .withDegradationChances(Map.of(Degradation.WOW, 1.0, Degradation.SATURATION, 1.0, Degradation.BAND_LIMIT, 1.0)))) {
            assertEquals("hard-panned", s.info().placement());
            for (SongInfo.StemInfo st : s.info().stems()) {
                if (st.pan() == 0 || st.silent()) continue;
                float[][] x = s.stem(st.stem());
                int silentCh = st.pan() < 0 ? 1 : 0;
                for (float v : x[silentCh]) assertEquals(0f, v, st.stem() + " leaks into the other channel");
                assertTrue(rms(x[1 - silentCh]) > 1e-3, st.stem() + " is empty");
                panned++;
            }
        }
        assertTrue(panned >= 3, "hard-panned stems checked: " + panned);
    }

    @Test
    void bandLimitCutsAbove18TimesTheCornerBy40Db() throws Exception {
        CorpusSpec clean = train(2).withPlacementWeights(Map.of(Placement.BALANCED, 1.0)).withDegradationChances(Map.of());
        List<Song> a = all(clean);
        List<Song> b = all(clean.withDegradationChances(Map.of(Degradation.BAND_LIMIT, 1.0)));
        for (int i = 0; i < a.size(); i++) {
            double fc = b.get(i).info().degradations().lowPassHz();
            assertTrue(fc >= 3500 && fc <= 12000, "corner " + fc);
            // relative to the whole-band level, so the master gain (a different peak) does not matter
            double before = bandEnergy(a.get(i).mixture()[0], 1.8 * fc, 22050) / bandEnergy(a.get(i).mixture()[0], 0, 22050);
            double after = bandEnergy(b.get(i).mixture()[0], 1.8 * fc, 22050) / bandEnergy(b.get(i).mixture()[0], 0, 22050);
            double cutDb = 10 * Math.log10(before / after);
            assertTrue(cutDb >= 40, "band limit at " + fc + " Hz cut only " + cutDb + " dB above " + 1.8 * fc + " Hz");
        }
    }

    @Test
    void humIsInOtherOnly() throws Exception {
        CorpusSpec clean = train(2).withPlacementWeights(Map.of(Placement.BALANCED, 1.0)).withDegradationChances(Map.of());
        List<Song> a = all(clean);
        List<Song> b = all(clean.withDegradationChances(Map.of(Degradation.HUM, 1.0)));
        for (int i = 0; i < a.size(); i++) {
            SongInfo.Degradations d = b.get(i).info().degradations();
            assertTrue(d.humHz() == 50 || d.humHz() == 60);
            double withHum = goertzel(b.get(i).stem("other")[0], d.humHz()) / rms(b.get(i).stem("other")[0]);
            double without = goertzel(a.get(i).stem("other")[0], d.humHz()) / rms(a.get(i).stem("other")[0]);
            assertTrue(20 * Math.log10(withHum / without) >= 6, "hum at " + d.humHz() + " Hz: " + withHum + " vs " + without);
            for (String s : List.of("vocals", "drums", "bass")) {
                double x = goertzel(b.get(i).stem(s)[0], d.humHz()) / Math.max(1e-12, rms(b.get(i).stem(s)[0]));
                double y = goertzel(a.get(i).stem(s)[0], d.humHz()) / Math.max(1e-12, rms(a.get(i).stem(s)[0]));
                assertEquals(y, x, 1e-3 * Math.max(1, y), s + " changed with hum");
            }
        }
    }

    static double rms(float[] x) {
        double e = 0;
        for (float v : x) e += (double) v * v;
        return Math.sqrt(e / x.length);
    }

    /** Amplitude of the component at {@code f} Hz (Goertzel over the whole signal). */
    static double goertzel(float[] x, double f) {
        double w = 2 * Math.PI * f / 44100, c = 2 * Math.cos(w), s1 = 0, s2 = 0;
        for (float v : x) { double s0 = v + c * s1 - s2; s2 = s1; s1 = s0; }
        double re = s1 - s2 * Math.cos(w), im = s2 * Math.sin(w);
        return 2 * Math.hypot(re, im) / x.length;
    }

    /** Energy between f1 and f2 Hz, Hann-windowed 4096-point frames, hop 2048. */
    static double bandEnergy(float[] x, double f1, double f2) {
        int n = 4096;
        org.stemroom.core.dsp.RealFft fft = new org.stemroom.core.dsp.RealFft(n);
        double[] win = new double[n];
        for (int i = 0; i < n; i++) win[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        float[] buf = new float[n];
        float[] re = new float[n / 2 + 1], im = new float[n / 2 + 1];
        double e = 0;
        for (int start = 0; start + n <= x.length; start += n / 2) {
            for (int i = 0; i < n; i++) buf[i] = (float) (x[start + i] * win[i]);
            fft.forward(buf, re, im);
            for (int k = 0; k <= n / 2; k++) {
                double f = k * 44100.0 / n;
                if (f >= f1 && f <= f2) e += (double) re[k] * re[k] + (double) im[k] * im[k];
            }
        }
        return e;
    }
}
