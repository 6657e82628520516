package org.stemroom.separation.modelfree;

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
}
