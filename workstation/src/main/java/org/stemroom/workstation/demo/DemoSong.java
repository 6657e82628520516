package org.stemroom.workstation.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

/**
 * A short song synthesized in code, for {@code stemroom demo}: drums (kick, snare, hi-hat), a bass line, a chord
 * pad and a lead melody, {@link #BARS} bars at {@link #BPM} BPM (about 26 s), all deterministic (seeded noise).
 * {@link #oldMonoMaster()} mixes it the way an early-1960s mono master sounds: one channel, the top end rolled
 * off and a touch of tape saturation.
 */
public final class DemoSong {
    public static final int RATE = 48_000;
    public static final double BPM = 116;
    public static final int BARS = 12;
    private static final long SEED = 0x5EED_DE30L;

    // A minor / F / C / G, two bars each, repeated.
    private static final int[][] CHORDS = {{57, 60, 64}, {53, 57, 60}, {48, 52, 55}, {55, 59, 62}};
    private static final int[] BASS = {45, 41, 36, 43};
    // Lead: MIDI note per eighth (0 = rest), two bars per phrase.
    private static final int[] LEAD = {
        76, 0, 74, 72, 71, 72, 74, 0, 72, 0, 69, 0, 0, 0, 0, 0,
        72, 0, 72, 74, 76, 0, 77, 76, 74, 0, 72, 0, 0, 0, 0, 0,
        67, 0, 69, 72, 74, 0, 72, 71, 72, 0, 67, 0, 0, 0, 0, 0,
        71, 0, 72, 74, 79, 0, 77, 76, 74, 0, 0, 0, 71, 0, 0, 0};

    private final int frames;
    private final Map<String, float[]> tracks = new LinkedHashMap<>();

    public DemoSong() {
        double beat = 60.0 / BPM;
        frames = (int) Math.round(BARS * 4 * beat * RATE) + RATE; // one second of release at the end
        tracks.put("drums", drums(beat));
        tracks.put("bass", bass(beat));
        tracks.put("chords", chords(beat));
        tracks.put("lead", lead(beat));
    }

    public int frames() { return frames; }
    public double seconds() { return frames / (double) RATE; }

    /** The separate instruments (mono, full scale well below clipping). */
    public Map<String, float[]> tracks() { return tracks; }

    /** The instruments summed to mono with a 1960s mastering chain: 9 kHz roll-off and gentle tape saturation. */
    public AudioClip oldMonoMaster() {
        double[] gains = {0.9, 0.8, 0.45, 0.7};
        float[] mix = new float[frames];
        int k = 0;
        for (float[] t : tracks.values()) {
            double g = gains[k++];
            for (int i = 0; i < frames; i++) mix[i] += (float) (g * t[i]);
        }
        // Two one-pole low-passes (12 dB/oct around 9 kHz) and tanh saturation, then -3 dBFS peak.
        double a = Math.exp(-2 * Math.PI * 9000.0 / RATE);
        double y1 = 0;
        double y2 = 0;
        double peak = 0;
        double[] tmp = new double[frames];
        for (int i = 0; i < frames; i++) {
            y1 = (1 - a) * mix[i] + a * y1;
            y2 = (1 - a) * y1 + a * y2;
            // StrictMath: Math.tanh is an intrinsic from JDK 24 on with other bits (up to 2 ulp); the demo's bits must
            // not depend on the JDK that runs it (on 17 Math.tanh calls StrictMath.tanh: the same bits)
            tmp[i] = StrictMath.tanh(0.8 * y2) / 0.8;
            peak = Math.max(peak, Math.abs(tmp[i]));
        }
        double norm = Math.pow(10, -3.0 / 20) / peak;
        float[] out = new float[frames];
        for (int i = 0; i < frames; i++) out[i] = (float) (tmp[i] * norm);
        return new AudioClip(new AudioFormat(RATE, org.stemroom.core.ChannelLayout.MONO), new float[][] {out});
    }

    private static double hz(int midi) {
        return 440.0 * Math.pow(2, (midi - 69) / 12.0);
    }

    private float[] drums(double beat) {
        float[] x = new float[frames];
        SplittableRandom rnd = new SplittableRandom(SEED);
        int beats = BARS * 4;
        for (int b = 0; b < beats; b++) {
            int at = (int) Math.round(b * beat * RATE);
            if (b % 2 == 0) kick(x, at);
            if (b % 2 == 1) snare(x, at, rnd);
            for (int e = 0; e < 2; e++) hat(x, at + (int) Math.round(e * beat / 2 * RATE), rnd, e == 0 ? 0.25 : 0.15);
        }
        return x;
    }

    private void kick(float[] x, int at) {
        int n = (int) (0.35 * RATE);
        double phase = 0;
        for (int i = 0; i < n && at + i < frames; i++) {
            double t = i / (double) RATE;
            double f = 50 + 90 * Math.exp(-t / 0.03);
            phase += 2 * Math.PI * f / RATE;
            x[at + i] += (float) (0.9 * Math.sin(phase) * Math.exp(-t / 0.12));
        }
    }

    private void snare(float[] x, int at, SplittableRandom rnd) {
        int n = (int) (0.22 * RATE);
        double lp = 0;
        for (int i = 0; i < n && at + i < frames; i++) {
            double t = i / (double) RATE;
            double noise = rnd.nextDouble(-1, 1);
            lp = 0.6 * lp + 0.4 * noise;
            double body = Math.sin(2 * Math.PI * 185 * t) * Math.exp(-t / 0.05);
            x[at + i] += (float) (0.5 * lp * Math.exp(-t / 0.07) + 0.35 * body);
        }
    }

    private void hat(float[] x, int at, SplittableRandom rnd, double amp) {
        int n = (int) (0.05 * RATE);
        double prev = 0;
        for (int i = 0; i < n && at + i < frames; i++) {
            double t = i / (double) RATE;
            double noise = rnd.nextDouble(-1, 1);
            double hp = noise - prev; // first difference: a bright, hissy hat
            prev = noise;
            x[at + i] += (float) (amp * 0.5 * hp * Math.exp(-t / 0.012));
        }
    }

    private float[] bass(double beat) {
        float[] x = new float[frames];
        int eighths = BARS * 8;
        for (int e = 0; e < eighths; e++) {
            int bar = e / 8;
            int root = BASS[(bar / 2) % BASS.length];
            int note = (e % 8 == 6) ? root + 7 : root;
            int at = (int) Math.round(e * beat / 2 * RATE);
            int n = (int) Math.round(beat / 2 * RATE * 0.9);
            double f = hz(note);
            for (int i = 0; i < n && at + i < frames; i++) {
                double t = i / (double) RATE;
                double env = Math.min(1, t / 0.005) * Math.exp(-t / 0.4) * Math.min(1, (n - i) / 240.0);
                double v = Math.sin(2 * Math.PI * f * t) + 0.35 * Math.sin(4 * Math.PI * f * t)
                        + 0.15 * Math.sin(6 * Math.PI * f * t);
                x[at + i] += (float) (0.45 * env * v);
            }
        }
        return x;
    }

    private float[] chords(double beat) {
        // One period of a band-limited saw (first 8 harmonics), read at each voice's frequency.
        int table = 4096;
        float[] saw = new float[table + 1];
        for (int i = 0; i <= table; i++) {
            double s = 0;
            for (int h = 1; h <= 8; h++) s += Math.sin(2 * Math.PI * h * i / table) / h;
            saw[i] = (float) s;
        }
        float[] x = new float[frames];
        for (int bar = 0; bar < BARS; bar += 2) {
            int[] chord = CHORDS[(bar / 2) % CHORDS.length];
            int at = (int) Math.round(bar * 4 * beat * RATE);
            int n = (int) Math.round(8 * beat * RATE);
            for (int v = 0; v < chord.length; v++) {
                double f = hz(chord[v]);
                for (int d = -1; d <= 1; d += 2) {
                    double inc = f * (1 + d * 0.0025) / RATE * table;
                    double phase = 0;
                    for (int i = 0; i < n && at + i < frames; i++) {
                        double env = Math.min(1, i / (0.08 * RATE)) * Math.min(1, (n - i) / 4800.0);
                        int k = (int) phase;
                        double frac = phase - k;
                        double s = saw[k] + frac * (saw[k + 1] - saw[k]);
                        x[at + i] += (float) (0.05 * env * s);
                        phase += inc;
                        if (phase >= table) phase -= table;
                    }
                }
            }
        }
        return x;
    }

    private float[] lead(double beat) {
        float[] x = new float[frames];
        int eighths = BARS * 8;
        double phase = 0;
        for (int e = 0; e < eighths; e++) {
            int bar = e / 8;
            if (bar < 2) continue; // the tune comes in at bar 3
            int note = LEAD[(e - 16) % LEAD.length];
            if (note == 0) continue;
            int len = 1;
            while (e + len < eighths && LEAD[(e + len - 16) % LEAD.length] == 0 && len < 3) len++;
            int at = (int) Math.round(e * beat / 2 * RATE);
            int n = (int) Math.round(len * beat / 2 * RATE * 0.95);
            double f = hz(note);
            for (int i = 0; i < n && at + i < frames; i++) {
                double t = i / (double) RATE;
                double vib = 1 + 0.006 * Math.sin(2 * Math.PI * 5.5 * t) * Math.min(1, t / 0.2);
                phase += 2 * Math.PI * f * vib / RATE;
                double env = Math.min(1, t / 0.03) * Math.min(1, (n - i) / 960.0);
                // a voice-like tone: strong 2nd and 3rd harmonics
                double v = Math.sin(phase) + 0.6 * Math.sin(2 * phase) + 0.4 * Math.sin(3 * phase)
                        + 0.15 * Math.sin(4 * phase);
                x[at + i] += (float) (0.3 * env * v);
            }
        }
        return x;
    }
}
