package org.stemroom.separation.modelfree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.RATE;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.add;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.siSdr;
import static org.stemroom.separation.modelfree.ModelFreeSeparatorsTest.tone;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.separation.Separation;
import org.stemroom.separation.StemSet;

/**
 * The lead's pitch tracking against the two errors the held-out songs showed (`SeparationDiag --lead`): in mono a
 * track an octave below the lead, where accompaniment partials fill the sub-octave's odd harmonics; in stereo a track
 * taken over by a louder part panned away from the lead. Each case is checked against the known truth, with the
 * refinement off (the error happens) and on (it does not).
 */
class LeadTrackingTest {

    /** Share of the frames in [from, to) whose track lies within 50 cents of {@code hz}. */
    static double shareAt(double[] track, int from, int to, double hz) {
        int n = 0;
        for (int f = from; f < to; f++) if (track[f] > 0 && Math.abs(1200 * Math.log(track[f] / hz) / Math.log(2)) < 50) n++;
        return n / (double) (to - from);
    }

    @Test
    void monoSubharmonicPenaltyKeepsTheTrackOnTheLeadNotItsSubOctave() {
        int n = 3 * RATE;
        float[] lead = tone(n, t -> 440, 10, 0.1);
        // pure partials at 3, 5 and 7 times 220 Hz: the odd harmonics of the lead's sub-octave, none of the lead's
        float[] chord = add(tone(n, t -> 660, 1, 0.06), tone(n, t -> 1100, 1, 0.06), tone(n, t -> 1540, 1, 0.06));
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(lead, chord)});
        double[] share = new double[2];
        double[] sdr = new double[2];
        for (int on = 0; on < 2; on++) {
            LeadStep step = new LeadStep("vocals").subharmonicPenalty(on == 1 ? 0.4 : 0);
            StemSet s = new MaskCascade("t", List.of(step), "other", 1, 0).separate(mix);
            double[] track = step.lastTrack();
            share[on] = shareAt(track, 5, track.length - 5, 440);
            sdr[on] = siSdr(lead, s.get("vocals").channel(0));
            System.out.printf("penalty %d: share at 440 %.3f, at 220 %.3f, lead SI-SDR %.2f%n", on, share[on],
                    shareAt(track, 5, track.length - 5, 220), sdr[on]);
        }
        assertTrue(share[0] < 0.5, "without the penalty the sub-octave wins (the case is a real one): " + share[0]);
        assertTrue(share[1] > 0.95, "with it the lead's own pitch: " + share[1]);
        assertTrue(sdr[1] > sdr[0] + 3, "lead SI-SDR " + sdr[0] + " -> " + sdr[1]);
    }

    @Test
    void stereoPanWeightedEvidenceKeepsTheTrackOnTheLeadAgainstALouderPannedPart() throws Exception {
        int n = 6 * RATE, start = 3 * RATE;
        float[] lead = tone(n, t -> 392 * Math.pow(2, Math.sin(2 * Math.PI * 0.5 * t) / 6), 10, 0.1);
        float[] part = tone(n, t -> 294, 10, 0.14);
        for (int i = 0; i < start; i++) part[i] = 0;
        // lead centred; the louder part from 3 s on, mostly left (pan position about 0.2)
        float[][] st = new float[2][n];
        for (int i = 0; i < n; i++) {
            st[0][i] = lead[i] * 0.7071f + part[i] * 0.95f;
            st[1][i] = lead[i] * 0.7071f + part[i] * 0.31f;
        }
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 2), st);
        float[] tail = new float[n - start - RATE], tailEst = new float[tail.length];
        System.arraycopy(lead, start + RATE, tail, 0, tail.length);
        double[] sdr = new double[2];
        for (int on = 0; on < 2; on++) {
            LeadStep step = new LeadStep("vocals").salienceFloor(on == 1 ? 0.5 : 1);
            StemSet s = new Separation(new MaskCascade("t", List.of(step), "other", 1, 0)).separate(mix, Progress.NONE);
            float[] est = s.get("vocals").channel(0);
            for (int i = 0; i < tail.length; i++) tailEst[i] = est[start + RATE + i] / 0.7071f;
            sdr[on] = siSdr(tail, tailEst);
            System.out.printf("salience floor %s: lead SI-SDR over the last 2 s %.2f%n", on == 1 ? "0.5" : "off", sdr[on]);
        }
        assertTrue(sdr[0] < 5, "without the weighting the louder part takes the track (the case is a real one): " + sdr[0]);
        assertTrue(sdr[1] > sdr[0] + 6, "lead SI-SDR over the last 2 s " + sdr[0] + " -> " + sdr[1]);
    }

    @Test
    void aGivenTrackIsFollowedInsteadOfTheTrackedOne() {
        int n = 2 * RATE;
        float[] lead = tone(n, t -> 440, 10, 0.1), louder = tone(n, t -> 311, 10, 0.2);
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(lead, louder)});
        int frames = SpectralMix.of(mix).frames();
        double[] given = new double[frames];
        java.util.Arrays.fill(given, 440);
        double[] sdr = new double[2];
        for (int g = 0; g < 2; g++) {
            LeadStep step = new LeadStep("vocals").givenTrack(g == 1 ? given : null);
            StemSet s = new MaskCascade("t", List.of(step), "other", 1, 0).separate(mix);
            sdr[g] = siSdr(lead, s.get("vocals").channel(0));
            System.out.printf("given track %d: lead SI-SDR %.2f%n", g, sdr[g]);
            if (g == 1) assertTrue(shareAt(step.lastTrack(), 0, frames, 440) == 1, "the given track is the track");
        }
        assertTrue(sdr[0] < 0 && sdr[1] > 8, "lead SI-SDR tracked " + sdr[0] + ", given its pitch " + sdr[1]);
    }

    /**
     * The glide widening's arithmetic against the formula computed here from the glide's rate: a given track rising
     * linearly at 200 Hz/s moves the fundamental by 200 * 4 hops / rate Hz over one frame's span, so partial h's
     * Gaussian gets width hypot(1 bin, 25 cents at its centre, k h that distance in bins). The masks are read near
     * partials 1-4 (within one width of the centre, where no other partial's Gaussian reaches), peak-centring off
     * so each centre is exactly h f0. Tolerance 1e-4 (float masks).
     */
    @Test
    void glideWidensEachPartialByItsNumberTimesTheFundamentalsMoveOverAFrame() {
        int n = 2 * RATE;
        double start = 300, rise = 200; // Hz, Hz per second
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1),
                new float[][] {tone(n, t -> start + rise * t, 8, 0.1)});
        SpectralMix sm = SpectralMix.of(mix);
        double hopSeconds = sm.frameSeconds(), binHz = sm.binHz();
        double[] track = new double[sm.frames()];
        for (int f = 0; f < track.length; f++) track[f] = start + rise * f * hopSeconds;
        for (double k : new double[] {0.5, 1}) {
            LeadStep step = new LeadStep("vocals").givenTrack(track).peaks(false, 0).slopeWidth(k);
            float[][] m = step.take(sm, sm.ones()).get("vocals");
            double moveBins = rise * 4 * hopSeconds / binHz, cents = Math.pow(2, 25 / 1200.0) - 1;
            for (int f = 10; f < track.length - 10; f += 7) {
                for (int h = 1; h <= 4; h++) {
                    double c = h * track[f] / binHz;
                    double sigma = Math.hypot(Math.hypot(1, c * cents), k * h * moveBins);
                    for (int b = (int) Math.ceil(c - sigma); b <= (int) Math.floor(c + sigma); b++) {
                        double want = Math.exp(-0.5 * Math.pow((b - c) / sigma, 2));
                        org.junit.jupiter.api.Assertions.assertEquals(want, m[f][b], 1e-4,
                                "k " + k + " frame " + f + " partial " + h + " bin " + b);
                    }
                }
            }
        }
    }

    /**
     * An ensemble lead (four voices detuned by -14 to +15 cents, each with its own 0.3-semitone vibrato at 4.7-6.4
     * Hz, as a choir or string section) spreads each partial over a band that grows with the partial's frequency:
     * masks 50 cents wide keep more of it than 25 cents while a steady chord of pure partials between the lead's keeps
     * its own. Checked against the known lead and chord.
     */
    @Test
    void widerMasksAtHighPartialsKeepAnEnsembleLeadsSpread() {
        int n = 3 * RATE;
        double[] det = {-14, -5, 6, 15}, rates = {4.7, 5.3, 5.9, 6.4};
        float[] lead = new float[n];
        for (int v = 0; v < det.length; v++) {
            double d = det[v], r = rates[v];
            lead = add(lead, tone(n, t -> 330 * Math.pow(2, (d / 100 + 0.3 * Math.sin(2 * Math.PI * r * t)) / 12), 16, 0.05));
        }
        float[] chord = add(tone(n, t -> 523, 1, 0.04), tone(n, t -> 1245, 1, 0.04), tone(n, t -> 1865, 1, 0.04));
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(lead, chord)});
        double[] leadSdr = new double[2], otherSdr = new double[2];
        for (int w = 0; w < 2; w++) {
            LeadStep step = new LeadStep("vocals").maskWidth(1, w == 0 ? 25 : 50);
            StemSet s = new MaskCascade("t", List.of(step), "other", 1, 0).separate(mix);
            leadSdr[w] = siSdr(lead, s.get("vocals").channel(0));
            otherSdr[w] = siSdr(chord, s.get("other").channel(0));
            System.out.printf("width %d cents: lead SI-SDR %.2f, chord %.2f%n", w == 0 ? 25 : 50, leadSdr[w], otherSdr[w]);
        }
        assertTrue(leadSdr[1] > leadSdr[0] + 1, "lead SI-SDR " + leadSdr[0] + " -> " + leadSdr[1]);
        assertTrue(otherSdr[1] > otherSdr[0] + 1.5, "chord SI-SDR " + otherSdr[0] + " -> " + otherSdr[1]);
    }

    /** A steady pitch does not move: the glide widening leaves its masks bit for bit as they were. */
    @Test
    void aSteadyPitchGetsTheSameMasksWithTheGlideWidening() {
        int n = 2 * RATE;
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1),
                new float[][] {add(tone(n, t -> 440, 10, 0.1), tone(n, t -> 311, 6, 0.03))});
        float[][][] m = new float[2][][];
        for (int on = 0; on < 2; on++) {
            float[][] v = new MaskCascade("t", List.of(new LeadStep("vocals").slopeWidth(on)), "other", 1, 0)
                    .masks(SpectralMix.of(mix)).get("vocals");
            m[on] = new float[v.length][];
            for (int f = 0; f < v.length; f++) m[on][f] = v[f].clone();
        }
        for (int f = 0; f < m[0].length; f++) org.junit.jupiter.api.Assertions.assertArrayEquals(m[0][f], m[1][f], "frame " + f);
    }

    /**
     * The mono voicing threshold applies to mono input only: a lead resting in the second half over a quieter
     * accompaniment, whose frames the two thresholds decide differently. Mono with {@code monoVoicing(0.3)} tracks
     * exactly as {@code voicing(0.3)}; stereo (the same signal in both channels) exactly as without it.
     */
    @Test
    void theMonoVoicingThresholdDecidesMonoInputOnly() {
        int n = 2 * RATE;
        float[] lead = tone(n, t -> 440, 10, 0.1);
        for (int i = n / 2; i < n; i++) lead[i] = 0;
        float[] x = add(lead, tone(n, t -> 311, 10, 0.027));
        AudioClip mono = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {x});
        AudioClip stereo = new AudioClip(AudioFormat.of(RATE, 2), new float[][] {x, x.clone()});
        double[] low = track(mono, new LeadStep("vocals").voicing(0.2)), high = track(mono, new LeadStep("vocals").voicing(0.3));
        int differ = 0;
        for (int f = 0; f < low.length; f++) if (low[f] != high[f]) differ++;
        System.out.println("frames the two thresholds decide differently: " + differ + " of " + low.length);
        assertTrue(differ > 10, "the case exercises the threshold: " + differ);
        org.junit.jupiter.api.Assertions.assertArrayEquals(high,
                track(mono, new LeadStep("vocals").voicing(0.2).monoVoicing(0.3)), "mono follows the mono threshold");
        org.junit.jupiter.api.Assertions.assertArrayEquals(track(stereo, new LeadStep("vocals").voicing(0.2)),
                track(stereo, new LeadStep("vocals").voicing(0.2).monoVoicing(0.3)), "stereo ignores it");
    }

    /**
     * The release tail's arithmetic: a given steady track that goes unvoiced at frame {@code stop} leaves each bin's
     * mask at {@code share^k} times its last voiced value k frames later, and changes nothing while voiced (the steady
     * comb is already at least 0.7 of itself). Peak-centring off so every voiced frame's comb is the same. Tolerance
     * 2e-6 (the float products over up to 20 hops).
     */
    @Test
    void releaseTailDecaysTheLastNotesMasksByTheShareEachHop() {
        int n = 2 * RATE;
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {tone(n, t -> 440, 10, 0.1)});
        SpectralMix sm = SpectralMix.of(mix);
        double[] track = new double[sm.frames()];
        int stop = track.length / 2;
        for (int f = 0; f < stop; f++) track[f] = 440;
        float[][][] m = new float[2][][];
        for (int on = 0; on < 2; on++) {
            float[][] v = new LeadStep("vocals").givenTrack(track).peaks(false, 0).monoReleaseTail(on * 0.7)
                    .take(sm, sm.ones()).get("vocals");
            m[on] = new float[v.length][];
            for (int f = 0; f < v.length; f++) m[on][f] = v[f].clone();
        }
        int checked = 0;
        for (int f = 0; f < stop; f++) org.junit.jupiter.api.Assertions.assertArrayEquals(m[0][f], m[1][f], "voiced frame " + f);
        for (int f = stop; f < Math.min(track.length, stop + 20); f++) {
            double decay = Math.pow(0.7, f - stop + 1);
            for (int b = 0; b < m[1][f].length; b++) {
                org.junit.jupiter.api.Assertions.assertEquals(0f, m[0][f][b], "no tail: unvoiced frame " + f);
                org.junit.jupiter.api.Assertions.assertEquals(decay * m[0][stop - 1][b], m[1][f][b], 2e-6, "frame " + f + " bin " + b);
                if (m[0][stop - 1][b] > 0.5f) checked++;
            }
        }
        assertTrue(checked > 100, "the tail covers the partials' bins: " + checked);
    }

    /**
     * A lead in a room: each 0.5 s note rings on after it ends, falling 60 dB per second (a 1 s reverberation time)
     * under the next note, over a steady chord between its partials. The tracker follows the new note; with the
     * release tail the last note's partials keep a decaying share of their masks, so the lead keeps more of its ring
     * while the chord loses little. Checked against the known lead and chord.
     */
    @Test
    void releaseTailKeepsALeadsRingUnderTheNextNote() {
        double[][] sdr = ringUnderChord(0.5, on -> new LeadStep("vocals").monoReleaseTail(on * 0.7), "release tail 0.7");
        double[] leadSdr = sdr[0], chordSdr = sdr[1];
        assertTrue(leadSdr[1] > leadSdr[0] + 0.5, "lead SI-SDR " + leadSdr[0] + " -> " + leadSdr[1]);
        assertTrue(chordSdr[1] > chordSdr[0] - 0.5, "chord SI-SDR " + chordSdr[0] + " -> " + chordSdr[1]);
    }

    /**
     * The recipe's mono tail share (0.8 since session 15, 0.7 before) against a room of one second: a lead whose
     * 0.5 s notes ring on under the next note, falling 60 dB per second (1.39 dB per 1024-sample hop, a factor 0.85),
     * over a steady chord. A tail of 0.8 per hop (-1.9 dB) follows that ring more closely than 0.7 (-3.1 dB), so the
     * lead keeps more of it and less of it is left in the chord's stem. Checked against the known lead and chord:
     * measured lead SI-SDR 12.38 -> 13.43 dB, chord 7.86 -> 8.69 dB; asserted: lead +0.5 dB, chord not below -0.2.
     */
    @Test
    void releaseTailOfPointEightFollowsARoomOfOneSecondCloserThanPointSeven() {
        double[][] sdr = ringUnderChord(1, on -> new LeadStep("vocals").monoReleaseTail(0.7 + 0.1 * on),
                "release tail 0.7 (off) / 0.8 (on)");
        double[] leadSdr = sdr[0], chordSdr = sdr[1];
        assertTrue(leadSdr[1] > leadSdr[0] + 0.5, "lead SI-SDR " + leadSdr[0] + " -> " + leadSdr[1]);
        assertTrue(chordSdr[1] > chordSdr[0] - 0.2, "chord SI-SDR " + chordSdr[0] + " -> " + chordSdr[1]);
    }

    /**
     * {@link #offOn} on 3 s of a lead whose 0.5 s notes each ring on for {@code ringSeconds} after they end, falling
     * 60 dB per second, under the next notes, over a steady chord (311 and 370 Hz) between its partials.
     */
    private static double[][] ringUnderChord(double ringSeconds, java.util.function.IntFunction<LeadStep> step,
                                             String what) {
        int n = 3 * RATE, note = (int) (0.5 * RATE), len = note + (int) (ringSeconds * RATE);
        float[] lead = new float[n];
        double[] pitches = {392, 523, 440, 587, 494, 659};
        for (int k = 0; k * note < n; k++) {
            double p = pitches[k % pitches.length];
            float[] x = tone(len, u -> p, 10, 0.1);
            for (int i = 0; i < len && k * note + i < n; i++) {
                double g = i < note ? 1 : Math.pow(10, -3.0 * (i - note) / RATE);
                lead[k * note + i] += (float) (x[i] * g);
            }
        }
        float[] chord = add(tone(n, t -> 311, 4, 0.05), tone(n, t -> 370, 4, 0.05));
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(lead, chord)});
        return offOn(mix, lead, chord, step, what);
    }

    /**
     * The spacing cap's arithmetic against the formula: a given steady 110 Hz track (partials 10.2 bins apart) with
     * 50-cent masks gets partial h's Gaussian width min(hypot(1 bin, 50 cents at its centre), max(1, 0.12 times the
     * spacing)); read within one width of each centre of partials 1-30 (the neighbours' Gaussians are at least 8
     * widths away there). Peak-centring off. Tolerance 1e-4 (float masks).
     */
    @Test
    void spacingCapLimitsEachPartialsWidthToAShareOfThePartialsSpacing() {
        int n = 2 * RATE;
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {tone(n, t -> 110, 40, 0.1)});
        SpectralMix sm = SpectralMix.of(mix);
        double binHz = sm.binHz();
        double[] track = new double[sm.frames()];
        java.util.Arrays.fill(track, 110);
        float[][] m = new LeadStep("vocals").givenTrack(track).peaks(false, 0).maskWidth(1, 50).monoSpacingCap(0.12)
                .take(sm, sm.ones()).get("vocals");
        double cents = Math.pow(2, 50 / 1200.0) - 1, cap = Math.max(1, 0.12 * 110 / binHz);
        int capped = 0;
        for (int f = 5; f < track.length - 5; f += 9) {
            for (int h = 1; h <= 30; h++) {
                double c = h * 110 / binHz, raw = Math.hypot(1, c * cents), sigma = Math.min(raw, cap);
                if (raw > cap) capped++;
                for (int b = (int) Math.ceil(c - sigma); b <= (int) Math.floor(c + sigma); b++) {
                    double want = Math.exp(-0.5 * Math.pow((b - c) / sigma, 2));
                    org.junit.jupiter.api.Assertions.assertEquals(want, m[f][b], 1e-4, "frame " + f + " partial " + h + " bin " + b);
                }
            }
        }
        assertTrue(capped > 100, "the case exercises the cap: " + capped);
    }

    /**
     * A low lead (110 Hz, 40 partials) with pure chord tones half-way between its upper partials: uncapped, the
     * 50-cent masks of the upper partials overlap and take the chord's tones; capped at 0.12 of the spacing they
     * leave them. Checked against the known lead and chord.
     */
    @Test
    void spacingCapLeavesTheChordTonesBetweenALowLeadsUpperPartials() {
        int n = 3 * RATE;
        float[] lead = tone(n, t -> 110, 40, 0.1);
        float[] chord = add(tone(n, t -> 110 * 12.5, 1, 0.01), tone(n, t -> 110 * 17.5, 1, 0.01),
                tone(n, t -> 110 * 23.5, 1, 0.01));
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(lead, chord)});
        double[][] sdr = offOn(mix, lead, chord, on -> new LeadStep("vocals").maskWidth(1, 50).monoSpacingCap(on * 0.12),
                "spacing cap 0.12");
        double[] leadSdr = sdr[0], chordSdr = sdr[1];
        assertTrue(chordSdr[1] > chordSdr[0] + 3, "chord SI-SDR " + chordSdr[0] + " -> " + chordSdr[1]);
        assertTrue(leadSdr[1] > leadSdr[0] - 0.5, "lead SI-SDR " + leadSdr[0] + " -> " + leadSdr[1]);
    }

    /**
     * Mono: a lead moving between 440 and 494 Hz every 0.25 s over a pad's pure tone held at 988 Hz, twice as loud as
     * the second partial of the 494 Hz notes it collides with. Without the held-part check the lead's mask takes the
     * tone during those notes; with it, the tone's level read where the lead is at 440 Hz (its partials then at 880
     * and 1320 Hz) is given back, and both stems gain.
     */
    @Test
    void monoHeldPartsGiveBackAPartHeldAcrossTheLeadsNotes() {
        int n = 3 * RATE;
        float[] lead = tone(n, t -> ((int) (t / 0.25)) % 2 == 0 ? 440 : 494, 8, 0.1);
        float[] held = tone(n, t -> 988, 1, 0.1);
        float[] x = add(lead, held);
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {x});
        double[][] sdr = offOn(mix, lead, held, on -> new LeadStep("vocals").monoHeldParts(on, 12), "held parts");
        double[] leadSdr = sdr[0], heldSdr = sdr[1];
        assertTrue(heldSdr[1] > heldSdr[0] + 3, "held tone SI-SDR " + heldSdr[0] + " -> " + heldSdr[1]);
        assertTrue(leadSdr[1] > leadSdr[0], "lead SI-SDR " + leadSdr[0] + " -> " + leadSdr[1]);
    }

    /**
     * Mono: a lead (440 Hz, 10 partials at 1/h) over white noise about 13 dB below it, the noise standing for what
     * sounds in the gaps between the partials (a pad, a room), with the recipe's mono mask width (70 cents). Without
     * the gaps' level the partials' masks hand the lead all the noise under them; with it each partial keeps only its
     * excess over the level read in the gaps, and both stems gain (measured: lead 19.13 -> 24.74 dB, noise 5.03 ->
     * 9.53 dB SI-SDR; asserted: 3 dB more each).
     */
    @Test
    void monoValleysGiveBackTheAccompanimentUnderTheLeadsPartials() {
        double[][] sdr = leadOverNoise(on -> new LeadStep("vocals").maskWidth(1, 70).monoValleys(on), "gaps' level");
        double[] leadSdr = sdr[0], noiseSdr = sdr[1];
        assertTrue(leadSdr[1] > leadSdr[0] + 3, "lead SI-SDR " + leadSdr[0] + " -> " + leadSdr[1]);
        assertTrue(noiseSdr[1] > noiseSdr[0] + 3, "noise SI-SDR " + noiseSdr[0] + " -> " + noiseSdr[1]);
    }

    /**
     * The recipe's mono gaps' share and width (session 15: 1.2 times the gaps' level at 80 cents, against 1 at 70
     * before) on the case above, a 440 Hz lead over white noise about 13 dB below it. Under a partial the noise's
     * magnitude is as likely above the gaps' mean as below it, and the wider mask covers more of it: the larger share
     * takes back more of what the mask would hand the lead. Checked against the known lead and noise: measured lead
     * SI-SDR 24.74 -> 25.49 dB, noise 9.53 -> 10.19 dB; asserted: 0.3 dB more each.
     */
    @Test
    void monoValleysAtOnePointTwoAndEightyCentsGiveBackMoreOfTheNoise() {
        double[][] sdr = leadOverNoise(on -> new LeadStep("vocals").maskWidth(1, 70 + 10 * on).monoValleys(1 + 0.2 * on),
                "gaps' level 1 at 70 cents (off) / 1.2 at 80 cents (on)");
        double[] leadSdr = sdr[0], noiseSdr = sdr[1];
        assertTrue(noiseSdr[1] > noiseSdr[0] + 0.3, "noise SI-SDR " + noiseSdr[0] + " -> " + noiseSdr[1]);
        assertTrue(leadSdr[1] > leadSdr[0] + 0.3, "lead SI-SDR " + leadSdr[0] + " -> " + leadSdr[1]);
    }

    /** {@link #offOn} on 3 s of a 440 Hz lead (10 partials at 1/h) over white noise about 13 dB below it. */
    private static double[][] leadOverNoise(java.util.function.IntFunction<LeadStep> step, String what) {
        int n = 3 * RATE;
        float[] lead = tone(n, t -> 440, 10, 0.1);
        java.util.Random r = new java.util.Random(14);
        float[] noise = new float[n];
        for (int i = 0; i < n; i++) noise[i] = (float) (0.02 * r.nextGaussian());
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(lead, noise)});
        return offOn(mix, lead, noise, step, what);
    }

    /**
     * The gaps' arithmetic against hand-computed values: partials at bins 20, 40, 60 (peaks 1.0) over a floor of 0.1,
     * with 0.3 in the middle third of the first gap: the first partial reads 0.3 (its only side), the second the
     * smaller side 0.1, the third 0.1; each bin of a partial's half-gaps is scaled by {@code 1 - share * level / |X|}.
     */
    @Test
    void theGapsLevelIsTheSmallerSidesMeanOverTheMiddleThird() {
        float[] a = new float[100];
        java.util.Arrays.fill(a, 0.1f);
        for (int b = 27; b <= 33; b++) a[b] = 0.3f; // the middle third of 20..40 is 26.67..33.33: bins 27..33
        a[20] = a[40] = a[60] = 1;
        assertEquals(0.3, LeadStep.gapLevel(a, 20, 40), 1e-6);
        assertEquals(0.1, LeadStep.gapLevel(a, 40, 60), 1e-6);
        assertTrue(Double.isNaN(LeadStep.gapLevel(a, 40, 42)), "partials closer than 3 bins: no gap");
        float[] comb = new float[100];
        java.util.Arrays.fill(comb, 1);
        LeadStep.valleys(comb, a, 99, new double[] {20, 40, 60}, 3, 1);
        assertEquals(1 - 0.3, comb[20], 1e-6, "first partial: its one gap");
        assertEquals(0, comb[25], 1e-6, "first partial's half-gap: 1 - 0.3 / 0.1 clipped at 0");
        assertEquals(1 - 0.1, comb[40], 1e-6, "second partial: the smaller side");
        assertEquals(1 - 0.1 / 0.3, comb[33], 1e-6, "bin 33 (the second partial's half-gap, 0.3 there)");
        assertEquals(0, comb[45], 1e-6, "the floor itself: 1 - 0.1 / 0.1");
        assertEquals(1 - 0.1, comb[60], 1e-6);
        assertEquals(1, comb[75], 1e-6, "beyond the last partial's half-gap (50..70): untouched");
        assertEquals(1, comb[5], 1e-6, "below the first partial's half-gap (10..30): untouched");
    }

    /**
     * The mono mask settings (release tail, spacing cap, held parts, the gaps' level) leave stereo input as it was, bit for bit: the
     * release-tail case's signal in both channels.
     */
    @Test
    void theMonoMaskSettingsLeaveStereoInputBitForBit() {
        int n = 2 * RATE;
        float[] x = add(tone(n, t -> t < 1 ? 392 : 523, 10, 0.1), tone(n, t -> 311, 4, 0.05));
        AudioClip stereo = new AudioClip(AudioFormat.of(RATE, 2), new float[][] {x, x.clone()});
        float[][][] m = new float[2][][];
        for (int on = 0; on < 2; on++) {
            LeadStep step = new LeadStep("vocals").maskWidth(1, 50).monoReleaseTail(on * 0.7).monoSpacingCap(on * 0.12)
                    .monoHeldParts(on, 12).monoRegister(1 - on * 0.5, 10).monoValleys(on)
                    .monoTimbreOctave(on * 0.5);
            float[][] v = new MaskCascade("t", List.of(step), "other", 1, 0).masks(SpectralMix.of(stereo)).get("vocals");
            m[on] = new float[v.length][];
            for (int f = 0; f < v.length; f++) m[on][f] = v[f].clone();
        }
        for (int f = 0; f < m[0].length; f++) org.junit.jupiter.api.Assertions.assertArrayEquals(m[0][f], m[1][f], "stereo frame " + f);
    }

    /**
     * The register's arithmetic: the median of the carried counts less the distance below, nothing before a second's
     * worth of voiced frames; counts decay per window and land on the grid step nearest each voiced frame's pitch.
     */
    @Test
    void theCarriedRegisterIsTheMedianOfTheVoicedFramesPitches() {
        double[] reg = new double[100];
        reg[40] = 30;
        reg[60] = 50;
        reg[80] = 21; // total 101, half 50.5: the cumulative count reaches it at step 60
        assertEquals(60 - 50, LeadStep.registerCut(reg, 100, 50));
        assertEquals(0, LeadStep.registerCut(reg, 102, 50), "fewer voiced frames than the minimum: no cut");
        assertEquals(0, LeadStep.registerCut(reg, 100, 70), "never below the grid");
        double minHz = 100;
        // 200 Hz is step 60 of a 5-steps-a-semitone grid from 100 Hz; 0.09 semitone above it is 0.45 step: rounds to 60
        double[] track = {0, 200, 200 * Math.pow(2, 0.09 / 12), 100, 0};
        LeadStep.addToRegister(reg, track, track.length, 0.5, minHz, 60);
        assertEquals(1, reg[0], 1e-12, "100 Hz: step 0, nothing before");
        assertEquals(15, reg[40], 1e-12, "decayed, no frame there");
        assertEquals(25 + 2, reg[60], 1e-12, "decayed, and the two frames near 200 Hz");
        assertEquals(10.5, reg[80], 1e-12);
    }

    /**
     * A lead heard alone for three seconds, then with pure partials at 3, 5 and 7 times its sub-octave (the
     * sub-octave's odd harmonics, none of the lead's; the sub-octave penalty off), separated on the recipe's window
     * grid: without the register the track drops to the sub-octave in the second half and the lead's masks take the
     * chord; with it (carried from the first half's windows: candidates more than 10 semitones below the register's
     * median keep half their salience) it stays on the lead, and both stems gain.
     */
    @Test
    void theCarriedRegisterKeepsTheTrackOffTheSubOctaveOnceTheLeadIsKnown() throws Exception {
        int n = 6 * RATE, start = 3 * RATE;
        float[] lead = tone(n, t -> 440, 10, 0.1);
        float[] chord = add(tone(n, t -> 660, 1, 0.06), tone(n, t -> 1100, 1, 0.06), tone(n, t -> 1540, 1, 0.06));
        for (int i = 0; i < start; i++) chord[i] = 0;
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(lead, chord)});
        // scored from a second after the chord enters (the windows then all start after it), on the recipe's grid
        float[] leadTail = java.util.Arrays.copyOfRange(lead, start + RATE, n);
        float[] chordTail = java.util.Arrays.copyOfRange(chord, start + RATE, n);
        double[][] sdr = new double[2][2];
        for (int on = 0; on < 2; on++) {
            LeadStep step = new LeadStep("vocals").subharmonicPenalty(0).monoRegister(on == 1 ? 0.5 : 1, 10);
            StemSet s = new Separation(new MaskCascade("t", List.of(step), "other", 1, 0)).separate(mix, Progress.NONE);
            sdr[0][on] = siSdr(leadTail, java.util.Arrays.copyOfRange(s.get("vocals").channel(0), start + RATE, n));
            sdr[1][on] = siSdr(chordTail, java.util.Arrays.copyOfRange(s.get("other").channel(0), start + RATE, n));
            System.out.printf("register %s: over the last 2 s lead SI-SDR %.2f, chord %.2f%n", on == 1 ? "on" : "off",
                    sdr[0][on], sdr[1][on]);
        }
        assertTrue(sdr[0][0] < 5, "without the register the sub-octave takes the track (the case is a real one): "
                + sdr[0][0]);
        assertTrue(sdr[0][1] > sdr[0][0] + 6, "lead SI-SDR over the last 2 s " + sdr[0][0] + " -> " + sdr[0][1]);
        assertTrue(sdr[1][1] > sdr[1][0] + 3, "chord SI-SDR over the last 2 s " + sdr[1][0] + " -> " + sdr[1][1]);
    }

    /**
     * The timbre's arithmetic, against hand-computed values: a frame's profile reads the larger of the two bins
     * around each harmonic, leaves out the partials above the top and sums to 1 over the rest; the distance is the L1
     * distance after both profiles are normalised over the partials they share, undefined with fewer than four
     * shared; a pitch's fundamental counts as there where at least half of both its bins is available.
     */
    @Test
    void theTimbreProfileAndItsDistanceToTheCarriedOne() {
        int bins = 100;
        float[] a = new float[bins], available = new float[bins];
        java.util.Arrays.fill(available, 1);
        a[10] = 4;
        a[11] = 1;
        a[20] = 1;
        a[21] = 2; // the larger of bins 20 and 21
        a[30] = 1;
        a[40] = 1;
        a[70] = 5; // h7: above the top
        double[] profile = new double[LeadStep.TIMBRE_PARTIALS];
        assertTrue(LeadStep.timbreProfile(a, bins, 10, 100, 650, profile));
        double[] expected = {0.5, 0.25, 0.125, 0.125, 0, 0, Double.NaN, Double.NaN};
        for (int h = 0; h < expected.length; h++) assertEquals(expected[h], profile[h], 1e-12, "partial " + (h + 1));
        // carried means 1, 0.3, 0.25, 0.25, 0, 0, 0, 0 (two frames each): over the shared partials 1-6 they sum to
        // 1.8, normalised 5/9, 1/6, 5/36, 5/36, 0, 0: distance 1/18 + 1/12 + 2/72 = 1/6
        double[] sums = {2, 0.6, 0.5, 0.5, 0, 0, 0, 0};
        double[] counts = {2, 2, 2, 2, 2, 2, 2, 2};
        assertEquals(1.0 / 6, LeadStep.profileDistance(profile, sums, counts), 1e-12);
        counts[3] = 0;
        counts[4] = 0;
        counts[5] = 0; // partials 4-6 never carried: three shared
        assertTrue(Double.isNaN(LeadStep.profileDistance(profile, sums, counts)), "three shared partials: undefined");
        available[11] = 0.4f;
        assertTrue(!LeadStep.fundamentalAvailable(available, bins, 10, 100), "bin 11 mostly taken");
        assertTrue(LeadStep.fundamentalAvailable(available, bins, 10, 200));
        java.util.Arrays.fill(a, 0);
        assertTrue(!LeadStep.timbreProfile(a, bins, 10, 100, 650, profile), "nothing to read");
    }

    /**
     * The fundamental check (session 21) against hand-built spectra (10 Hz bins, one frame per note, notes apart by
     * unvoiced frames): a note whose magnitude at its fundamental is at least the share of its first four partials'
     * stays; one without moves up an octave where the fundamental is there, else a twelfth, else goes unvoiced; a
     * share read as the larger of the two bins around each partial.
     */
    @Test
    void theFundamentalCheckMovesASubHarmonicNoteUpAndUnvoicesAVirtualRoot() {
        int bins = 200, frames = 9;
        float[][] mag = new float[frames][bins];
        // frame 0: a note at 100 Hz with all four partials (1, 0.5, 0.5, 0.5): share 1 / 2.5 = 0.4, stays
        mag[0][10] = 1;
        mag[0][20] = mag[0][30] = mag[0][40] = 0.5f;
        // frame 2: tracked at 50 Hz, a note at 100 Hz under it (partials 100-400 Hz): nothing at 50 Hz, 0.4 at 100
        mag[2][10] = 1;
        mag[2][20] = mag[2][30] = mag[2][40] = 0.5f;
        // frame 4: tracked at 40 Hz, a note at 120 Hz under it (partials 120-480 Hz): nothing at 40 nor at 80 Hz
        mag[4][12] = 1;
        mag[4][24] = mag[4][36] = mag[4][48] = 0.5f;
        // frame 6: tracked at 60 Hz, a triad two octaves up (240 / 300 / 360 Hz: its 4th-6th partials): nothing at
        // 60, 120 nor 180 Hz
        mag[6][24] = mag[6][30] = mag[6][36] = 1;
        // frame 8: tracked at 50 Hz, its fundamental weak but there (bin 6 of the two around 50 Hz: 0.2 against
        // 1 + 1 + 1 above it, share 0.2 / 3.2 = 0.0625; at 0.05 it stays, at 0.07 it moves up)
        mag[8][6] = 0.2f;
        mag[8][10] = mag[8][15] = mag[8][20] = 1;
        double[] track = {50 * 2, 0, 50, 0, 40, 0, 60, 0, 50};
        LeadStep step = new LeadStep("bass").pitchRange(30, 260).monoFundamentalCheck(0.05);
        step.checkFundamentals(mag, bins, 10, track, frames);
        assertEquals(List.of(100.0, 0.0, 100.0, 0.0, 120.0, 0.0, 0.0, 0.0, 50.0), boxed(track));
        track = new double[] {100, 0, 50, 0, 40, 0, 60, 0, 50};
        step.monoFundamentalCheck(0.07).checkFundamentals(mag, bins, 10, track, frames);
        assertEquals(List.of(100.0, 0.0, 100.0, 0.0, 120.0, 0.0, 0.0, 0.0, 100.0), boxed(track));
        assertEquals(0.4, LeadStep.fundamentalShare(mag[0], bins, 10, 100), 1e-7);
        assertEquals(0.2 / 3.2, LeadStep.fundamentalShare(mag[8], bins, 10, 50), 1e-7);
        assertTrue(Double.isNaN(LeadStep.fundamentalShare(mag[0], bins, 10, 500)), "partials past the last bin");
        // a note moved up stays in the pitch range: 150 Hz's octave (300 Hz) and twelfth lie above 260 Hz
        float[][] high = new float[1][bins];
        high[0][30] = high[0][45] = high[0][60] = 1;
        double[] t = {150};
        step.checkFundamentals(high, bins, 10, t, 1);
        assertEquals(0, t[0]);
    }

    /**
     * Stereo's form of the check (session 31) on hand-built spectra (10 Hz bins, one frame per note): a note whose
     * fundamental share lies under the floor keeps its pitch (a chord's common root, the rest rule's to read), one
     * between floor and share moves up where the fundamental is there, and one with no fundamental above keeps its
     * pitch instead of going unvoiced.
     */
    @Test
    void theStereoFundamentalCheckKeepsNotesUnderItsFloorAndUnvoicesNone() {
        int bins = 200, frames = 5;
        float[][] mag = new float[frames][bins];
        // frame 0: tracked at 50 Hz, a note at 100 Hz above it (partials 100-400 Hz) and 0.01 at 50 Hz: the partials of
        // 50 Hz (50 / 100 / 150 / 200 Hz) read 0.01 + 1 + 0 + 0.5, share 0.0066, under the floor
        mag[0][5] = 0.01f;
        mag[0][10] = 1;
        mag[0][20] = mag[0][30] = mag[0][40] = 0.5f;
        // frame 2: the same with 0.05 at 50 Hz: share 0.05 / 1.55 = 0.032, between floor and share, moves up an octave
        mag[2][5] = 0.05f;
        mag[2][10] = 1;
        mag[2][20] = mag[2][30] = mag[2][40] = 0.5f;
        // frame 4: tracked at 60 Hz with 0.03 there, a triad two octaves up (240 / 300 / 360 Hz): share 0.03 / 1.03 =
        // 0.029, and nothing at 120 / 180 Hz to move to
        mag[4][6] = 0.03f;
        mag[4][24] = mag[4][30] = mag[4][36] = 1;
        LeadStep step = new LeadStep("bass").pitchRange(30, 260);
        double[] track = {50, 0, 50, 0, 60};
        step.checkFundamentals(mag, bins, 10, track, frames, 0.05, 0.02, false);
        assertEquals(List.of(50.0, 0.0, 100.0, 0.0, 60.0), boxed(track));
        // mono's form (no floor, unvoicing) on the same notes
        track = new double[] {50, 0, 50, 0, 60};
        step.checkFundamentals(mag, bins, 10, track, frames, 0.05, 0, true);
        assertEquals(List.of(100.0, 0.0, 100.0, 0.0, 0.0), boxed(track));
    }

    /**
     * Session 22's taken voicing: a note of whose first four partials the steps before (the drums' kick decision) took
     * most is left unvoiced, a note they left stays, judged over the whole note (a stretch on one pitch), not frame by
     * frame. Frames 0-2: a note at 50 Hz of which the drums took 0.7 in every frame (a kick's thump); frames 4-6: a
     * note at 80 Hz they took 0.7 of in its first frame only (its onset under a kick), 0.1 after: 0.3 over the note.
     */
    @Test
    void theTakenVoicingUnvoicesANoteTheDrumsTookMostOfAndKeepsOneTheyLeft() {
        int bins = 200, frames = 7;
        float[][] mag = new float[frames][bins], available = new float[frames][bins];
        for (float[] a : available) java.util.Arrays.fill(a, 1);
        for (int f = 0; f < 3; f++) {
            for (int h = 1; h <= 4; h++) {
                mag[f][5 * h] = 1;
                available[f][5 * h] = available[f][5 * h + 1] = 0.3f;
            }
        }
        for (int f = 4; f < 7; f++) {
            for (int h = 1; h <= 4; h++) {
                mag[f][8 * h] = 1;
                available[f][8 * h] = available[f][8 * h + 1] = f == 4 ? 0.3f : 0.9f;
            }
        }
        double[] track = {50, 50, 50, 0, 80, 80, 80};
        LeadStep.unvoiceTaken(mag, available, bins, 10, track, frames, 0.55, 0, 0, 220);
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 80.0, 80.0, 80.0), boxed(track));
        // a bar above the 0.7 taken keeps the thump voiced; a share of 0 is out of range
        track = new double[] {50, 50, 50, 0, 80, 80, 80};
        LeadStep.unvoiceTaken(mag, available, bins, 10, track, frames, 0.75, 0, 0, 220);
        assertEquals(List.of(50.0, 50.0, 50.0, 0.0, 80.0, 80.0, 80.0), boxed(track));
        // a note pitched under the floor (mono's bins limit) is not judged
        track = new double[] {50, 50, 50, 0, 80, 80, 80};
        LeadStep.unvoiceTaken(mag, available, bins, 10, track, frames, 0.55, 60, 0, 220);
        assertEquals(List.of(50.0, 50.0, 50.0, 0.0, 80.0, 80.0, 80.0), boxed(track));
        assertThrows(IllegalArgumentException.class, () -> new LeadStep("bass").takenVoicing(0, 1));
    }

    /**
     * Session 25's keep cue of the taken voicing (10 Hz bins): frames 0-2, a 70 Hz thump of whose first four partials
     * the drums took 0.7, under a flat level (a chord's, a room's) from 220 Hz up that lines up with no harmonic series;
     * frames 4-6, an 80 Hz high-passed bass note of whose first four partials the drums took as much, its partials 5-8
     * (400-640 Hz) left whole; frames 8-10, a 50 Hz note (5 bins, under the cue's 6-bin floor) alike, its partials 5-8
     * left whole. At a keep share of 0.5 only the 80 Hz note stays voiced (its own partials above 220 Hz: 4.6 against
     * the mixture's 4 at its first four): the flat level stands no higher on the thump's harmonics than between them,
     * and the 50 Hz note is not read. With the cue off, or its share above the note's 1.15, all three go unvoiced.
     */
    @Test
    void theTakenVoicingKeepsANoteWhoseOwnPartialsAboveTheSplitStandOut() {
        int bins = 200, frames = 11;
        float[][] mag = new float[frames][bins], available = new float[frames][bins];
        for (float[] a : available) java.util.Arrays.fill(a, 1);
        for (int f = 0; f < 3; f++) {
            java.util.Arrays.fill(mag[f], 22, bins, 0.5f);
            for (int h = 1; h <= 4; h++) {
                mag[f][7 * h] = 1;
                available[f][7 * h] = available[f][7 * h + 1] = 0.3f;
            }
        }
        for (int f = 4; f < 11; f++) {
            if (f == 7) continue;
            int spacing = f < 7 ? 8 : 5;
            for (int h = 1; h <= 8; h++) {
                mag[f][spacing * h] = 1;
                if (h <= 4) available[f][spacing * h] = available[f][spacing * h + 1] = 0.3f;
            }
        }
        double[] notes = {70, 70, 70, 0, 80, 80, 80, 0, 50, 50, 50};
        double[] track = notes.clone();
        LeadStep.unvoiceTaken(mag, available, bins, 10, track, frames, 0.55, 0, 0.5, 220);
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 80.0, 80.0, 80.0, 0.0, 0.0, 0.0, 0.0), boxed(track));
        for (double keep : new double[] {0, 1.2}) {
            track = notes.clone();
            LeadStep.unvoiceTaken(mag, available, bins, 10, track, frames, 0.55, 0, keep, 220);
            assertEquals(java.util.Collections.nCopies(frames, 0.0), boxed(track), "keep " + keep);
        }
        assertThrows(IllegalArgumentException.class, () -> new LeadStep("bass").takenVoicingKeep(-1, 220));
    }

    /**
     * Session 31's chord context (10 Hz bins; the band 150-1000 Hz is bins 15-100, a 100 Hz note's harmonics there
     * bins 20, 30, ..., 100, each with 2 bins either side left out). A note at 100 Hz, frames 3-9, its 2nd and 3rd
     * partials at 1.5; a chord tone at bin 25 (250 Hz, off the note's harmonics) at 2 from frame 3 to the end; a tone at
     * bin 35 at 1 throughout; a drum hit at bin 45 at 5 in frame 3 only. By hand: the sustained levels (the smallest over
     * frames 4-8) are 2 at bin 25 and 1 at bin 35 (the hit's frame is the note's first, left out), so S = 3; the context
     * frames before (0-2) hold 0 and 1, those after (11-13) 2 and 1: start = (2 - 0) / 3, end = 0, level = 3 / (1.5 +
     * 1.5) = 1. The rule at start 0.6 / level 0.9 unvoices the note, at start 0.7 or level 1.1 keeps it, and so does it
     * (off: 0 / 0 is not called by the step) a note whose chord tone sounded before it (bin 25 from frame 0: start 0).
     * Notes whose context frames leave the window are not read.
     */
    @Test
    void theChordContextUnvoicesANoteThatStartedTheSustainedPartialsAboveIt() {
        int bins = 200, frames = 14;
        double[] notes = new double[frames];
        java.util.Arrays.fill(notes, 3, 10, 100);
        for (int chordFrom : new int[] {3, 0}) {
            float[][] mag = new float[frames][bins];
            for (int f = 3; f < 10; f++) {
                mag[f][20] = 1.5f;
                mag[f][30] = 1.5f;
            }
            for (int f = chordFrom; f < frames; f++) mag[f][25] = 2;
            for (int f = 0; f < frames; f++) mag[f][35] = 1;
            mag[3][45] = 5;
            double[] ctx = new double[3];
            assertTrue(LeadStep.chordContext(mag, bins, 10, notes, 3, 10, frames, ctx));
            assertEquals(chordFrom == 3 ? 2.0 / 3 : 0, ctx[0], 1e-9, "start, chord from frame " + chordFrom);
            assertEquals(0, ctx[1], 1e-9, "end");
            assertEquals(1, ctx[2], 1e-9, "level");
            double[] track = notes.clone();
            LeadStep.unvoiceChordNotes(mag, bins, 10, track, frames, 0.6, 0.9, ctx);
            assertEquals(boxed(chordFrom == 3 ? new double[frames] : notes), boxed(track), "chord from frame " + chordFrom);
            for (double[] rule : new double[][] {{0.7, 0.9}, {0.6, 1.1}}) {
                track = notes.clone();
                LeadStep.unvoiceChordNotes(mag, bins, 10, track, frames, rule[0], rule[1], ctx);
                assertEquals(boxed(notes), boxed(track), "rule " + rule[0] + " / " + rule[1]);
            }
            assertTrue(!LeadStep.chordContext(mag, bins, 10, notes, 3, 10, 13, ctx), "frames after the note cut");
            double[] early = new double[frames];
            java.util.Arrays.fill(early, 2, 9, 100);
            assertTrue(!LeadStep.chordContext(mag, bins, 10, early, 2, 9, frames, ctx), "frames before the note cut");
        }
        assertThrows(IllegalArgumentException.class, () -> new LeadStep("bass").monoChordNotes(1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new LeadStep("bass").monoChordNotes(0.5, -1));
    }

    private static List<Double> boxed(double[] x) {
        return java.util.Arrays.stream(x).boxed().toList();
    }

    /**
     * The timbre's octave check (session 16), up. A lead at 440 Hz (ten partials at 1/h) heard alone for three
     * seconds, then with a part an octave below it: 220 Hz with odd partials only (1, 3, 5, 7 at 1/h, a
     * clarinet-like tone), whose evidence at the sub-octave is real. The tracker runs with the recipe's mono pitch
     * settings (sub-octave penalty 0.4, jump penalty 0.4, voicing 0.25, the register carried with keep 0.5 twelve
     * semitones down), on the recipe's window grid. Without the check the track drops to 220 Hz once the part enters
     * (the case is a real one); with it (ratio 0.5) the runs move back up, and over the last two seconds both the
     * lead and the part, the "other" stem, gain. The truth: the sources themselves.
     */
    @Test
    void theTimbresOctaveCheckMovesASubOctaveRunBackUpToTheLead() throws Exception {
        float[] part = add(tone(6 * RATE, t -> 220, 1, 0.12), tone(6 * RATE, t -> 660, 1, 0.12 / 3),
                tone(6 * RATE, t -> 1100, 1, 0.12 / 5), tone(6 * RATE, t -> 1540, 1, 0.12 / 7));
        double[][] sdr = timbreCase(t -> 440, part, "a sub-octave part");
        assertTrue(sdr[0][0] < 5, "without the check the sub-octave takes the track (the case is a real one): " + sdr[0][0]);
        assertTrue(sdr[0][1] > sdr[0][0] + 6, "lead SI-SDR over the last 2 s " + sdr[0][0] + " -> " + sdr[0][1]);
        assertTrue(sdr[1][1] > sdr[1][0] + 3, "part SI-SDR over the last 2 s " + sdr[1][0] + " -> " + sdr[1][1]);
    }

    /**
     * The timbre's octave decision per run, on spectra whose true pitch is known: frames of a lead at 300 Hz (ten
     * partials at 1/h) carried as the timbre for a second; then the same spectra tracked at 600 Hz (an octave high:
     * the run moves down), at 300 Hz (right: it stays), and a run at 150 Hz over the lead with a part filling the odd
     * partials of 150 Hz at 1/h (an octave low: it moves up). A run whose fundamental the steps before took (less
     * than half of its bins available) is left as it is.
     */
    @Test
    void theTimbresOctaveDecisionFollowsTheCarriedProfile() {
        int bins = 2049, frames = 43;
        double binHz = RATE / 4096.0;
        float[][] lead = new float[frames][bins], leadAndPart = new float[frames][bins], available = new float[frames][bins];
        for (int f = 0; f < frames; f++) {
            java.util.Arrays.fill(available[f], 1);
            for (int h = 1; h <= 10; h++) lead[f][(int) (h * 300 / binHz)] = 1f / h;
            leadAndPart[f] = lead[f].clone();
            for (int h = 1; h <= 15; h += 2) leadAndPart[f][(int) (h * 150 / binHz)] = 0.5f / h;
        }
        LeadStep step = new LeadStep("vocals").monoTimbreOctave(0.5);
        double[] profile = new double[LeadStep.TIMBRE_PARTIALS];
        float[] a = new float[bins];
        step.addToTimbre(lead, available, a, bins, binHz, constant(frames, 300), frames, profile, 1);
        double[] high = constant(frames, 600), right = constant(frames, 300), low = constant(frames, 150);
        step.octaveByTimbre(lead, available, a, bins, binHz, high, frames, profile);
        step.octaveByTimbre(lead, available, a, bins, binHz, right, frames, profile);
        step.octaveByTimbre(leadAndPart, available, a, bins, binHz, low, frames, profile);
        org.junit.jupiter.api.Assertions.assertArrayEquals(constant(frames, 300), high, "an octave high: down");
        org.junit.jupiter.api.Assertions.assertArrayEquals(constant(frames, 300), right, "right: stays");
        org.junit.jupiter.api.Assertions.assertArrayEquals(constant(frames, 300), low, "an octave low: up");
        for (float[] av : available) java.util.Arrays.fill(av, 0, (int) (200 / binHz), 0.4f); // a bass band to 200 Hz
        low = constant(frames, 150);
        step.octaveByTimbre(leadAndPart, available, a, bins, binHz, low, frames, profile);
        org.junit.jupiter.api.Assertions.assertArrayEquals(constant(frames, 150), low, "fundamental taken: left");
    }

    private static double[] constant(int n, double v) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, v);
        return x;
    }

    /**
     * A lead of ten partials at {@code leadHz} (Hz against seconds), alone for three seconds, then with {@code part}
     * (silenced over those three seconds), tracked with the recipe's mono pitch settings on the recipe's window grid, with the timbre's
     * octave check off and on (ratio 0.5): the lead's and the part's SI-SDR ([0] lead, [1] part; each [off, on])
     * over the last two seconds, printed.
     */
    private static double[][] timbreCase(java.util.function.DoubleUnaryOperator leadHz, float[] part, String what)
            throws Exception {
        int n = part.length, start = 3 * RATE;
        float[] lead = tone(n, leadHz, 10, 0.1);
        for (int i = 0; i < start; i++) part[i] = 0;
        AudioClip mix = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {add(lead, part)});
        float[] leadTail = java.util.Arrays.copyOfRange(lead, start + RATE, n);
        float[] partTail = java.util.Arrays.copyOfRange(part, start + RATE, n);
        double[][] sdr = new double[2][2];
        for (int on = 0; on < 2; on++) {
            LeadStep step = new LeadStep("vocals").subharmonicPenalty(0.4).monoJumpPenalty(0.4).monoVoicing(0.25)
                    .monoRegister(0.5, 12).monoTimbreOctave(on == 1 ? 0.5 : 0);
            StemSet s = new Separation(new MaskCascade("t", List.of(step), "other", 1, 0)).separate(mix, Progress.NONE);
            sdr[0][on] = siSdr(leadTail, java.util.Arrays.copyOfRange(s.get("vocals").channel(0), start + RATE, n));
            sdr[1][on] = siSdr(partTail, java.util.Arrays.copyOfRange(s.get("other").channel(0), start + RATE, n));
            System.out.printf("timbre's octave check %s, %s: over the last 2 s lead SI-SDR %.2f, part %.2f%n",
                    on == 1 ? "on" : "off", what, sdr[0][on], sdr[1][on]);
        }
        return sdr;
    }

    /**
     * The lead's and the rest's SI-SDR (dB; [0] lead, [1] other, each [off, on]) of a one-step cascade with the step
     * built for 0 (off) and 1 (on), printed.
     */
    private static double[][] offOn(AudioClip mix, float[] lead, float[] other,
                                    java.util.function.IntFunction<LeadStep> step, String what) {
        double[][] sdr = new double[2][2];
        for (int on = 0; on < 2; on++) {
            StemSet s = new MaskCascade("t", List.of(step.apply(on)), "other", 1, 0).separate(mix);
            sdr[0][on] = siSdr(lead, s.get("vocals").channel(0));
            sdr[1][on] = siSdr(other, s.get("other").channel(0));
            System.out.printf("%s %s: lead SI-SDR %.2f, other %.2f%n", what, on == 1 ? "on" : "off", sdr[0][on], sdr[1][on]);
        }
        return sdr;
    }

    /**
     * The mono pitch-jump penalty (session 13). A lead held at 440 Hz whose level falls by 26 dB for 150 ms every half
     * second (its evidence weak, as between phrases or under a louder chord), over a steady part at 247 Hz, ten
     * semitones below (no partials shared below the lead's 5th). The truth: in the dips the part is still not the
     * lead. With the stereo penalty (0.25 per semitone) the track jumps down to the part in the dips (the error
     * happens; measured: all 22 dip frames); with the mono 0.4 it never does there (it holds 440 Hz or goes unvoiced),
     * and the part, the "other" stem, keeps more of itself (SI-SDR 3.90 -> 9.37 dB measured; asserted: 1 dB more).
     * Stereo input ignores the mono setting, bit for bit.
     */
    @Test
    void monoJumpPenaltyKeepsTheTrackOffAFarPartWhereTheLeadDips() {
        int n = (int) (4.25 * RATE); // the lead back for 0.3 s after the last dip: every dip lies between two notes
        float[] lead = tone(n, t -> 440, 10, 0.1);
        for (int i = 0; i < n; i++) if (inDip(i / (double) RATE, 0)) lead[i] *= 0.05f;
        float[] part = tone(n, t -> 247, 10, 0.05);
        float[] x = add(lead, part);
        AudioClip mono = new AudioClip(AudioFormat.of(RATE, 1), new float[][] {x});
        double[] onPart = new double[2], other = new double[2];
        for (int on = 0; on < 2; on++) {
            LeadStep step = new LeadStep("vocals").monoJumpPenalty(on == 1 ? 0.4 : Double.NaN);
            StemSet s = new MaskCascade("t", List.of(step), "other", 1, 0).separate(mono);
            double[] track = step.lastTrack();
            int dips = 0, part247 = 0;
            for (int f = 0; f < track.length; f++) {
                // frames whose 4096-point window (centred on f * 1024) lies inside a dip but for 10 ms either side
                if (!inDip(f * 1024.0 / RATE, 0.045)) continue;
                dips++;
                if (track[f] > 0 && Math.abs(1200 * Math.log(track[f] / 247) / Math.log(2)) < 50) part247++;
            }
            onPart[on] = part247 / (double) dips;
            other[on] = siSdr(part, s.get("other").channel(0));
            System.out.printf("jump penalty %s: dip frames %d, on the part %.3f; other SI-SDR %.2f dB%n",
                    on == 1 ? "0.4" : "0.25", dips, onPart[on], other[on]);
        }
        assertTrue(onPart[0] > 0.5, "with 0.25 the track takes the part in the dips (the case is a real one): " + onPart[0]);
        assertEquals(0, onPart[1], "with 0.4 never in the dips: " + onPart[1]);
        assertTrue(other[1] > other[0] + 1, "the part keeps more of itself: " + other[0] + " -> " + other[1]);
        AudioClip stereo = new AudioClip(AudioFormat.of(RATE, 2), new float[][] {x, x.clone()});
        org.junit.jupiter.api.Assertions.assertArrayEquals(track(stereo, new LeadStep("vocals")),
                track(stereo, new LeadStep("vocals").monoJumpPenalty(0.4)), "stereo ignores it");
    }

    /**
     * Session 33's harmonic extension, by hand: a pitch 10 bins apart, judged above bin 100 and up to bin 150 (its
     * harmonics 11-15, bins 110-150). Each harmonic's peak is the largest bin within one of its centre; its midpoints
     * (bins 105 / 115 / ...) are read between bins. Harmonic 11: peak 1 at bin 111 (a bin off), midpoints 0.1 and 0.3:
     * stands out 3.3 times. 12: peak 1 over midpoints 0.3 and 0.4: 2.5. 13: nothing (peak 0). 14: 0.5 over midpoints
     * 0.1: 5. 15 (bin 150): its upper midpoint (155) is read between bins 155 and 156, past the spectrum's 156 bins:
     * not judged. Ratio 3: 11 and 14 of 4 judged; ratio 2: 11, 12 and 14. A midpoint between two bins reads the line
     * between them: at a step of 10.5 harmonic 11 (115.5) has its midpoints at 110.25 and 120.75, 0.25 of the way from
     * bin 110 (0) to 111 (1) and 0.75 from 120 (1) to 121 (0): 0.25 each; its peak (bins 115-117) is bin 115's 0.3, 1.2 times.
     */
    @Test
    void partialsStandingOutCountsTheHarmonicsWhosePeakClearsBothMidpoints() {
        float[] a = new float[156];
        a[111] = 1;
        a[105] = 0.1f;
        a[115] = 0.3f;
        a[120] = 1;
        a[125] = 0.4f;
        a[140] = 0.5f;
        a[135] = a[145] = 0.1f;
        a[150] = 1;
        long counts = LeadStep.partialsStandingOut(a, a.length, 10, 100, 150, 3);
        assertEquals(2, counts >>> 32);
        assertEquals(4, (int) counts);
        counts = LeadStep.partialsStandingOut(a, a.length, 10, 100, 150, 2);
        assertEquals(3, counts >>> 32);
        assertEquals(4, (int) counts);
        // a top at a harmonic's centre judges it; one just under does not
        assertEquals(4, (int) LeadStep.partialsStandingOut(a, a.length, 10, 100, 140, 2));
        assertEquals(3, (int) LeadStep.partialsStandingOut(a, a.length, 10, 100, 139.9, 2));
        long between = LeadStep.partialsStandingOut(a, a.length, 10.5, 110, 116, 1.2);
        assertEquals(1, (int) between);
        assertEquals(1, between >>> 32);
        assertEquals(0, LeadStep.partialsStandingOut(a, a.length, 10.5, 110, 116, 1.21) >>> 32);
        assertThrows(IllegalArgumentException.class, () -> new LeadStep("bass").extendHarmonics(2000, 0.5, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LeadStep("bass").extendHarmonics(2000, 3, 0));
    }

    /** Whether time {@code t} (s) lies in one of the test's dips (0.3-0.45 s of every half second) by {@code margin} s. */
    private static boolean inDip(double t, double margin) {
        double ph = t % 0.5;
        return ph >= 0.3 + margin && ph < 0.45 - margin;
    }

    private static double[] track(AudioClip clip, LeadStep step) {
        new MaskCascade("t", List.of(step), "other", 1, 0).separate(clip);
        return step.lastTrack();
    }
}
