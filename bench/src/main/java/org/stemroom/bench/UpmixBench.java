package org.stemroom.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.spatial.FoldDown;
import org.stemroom.spatial.FoldDownCheck;
import org.stemroom.spatial.SpeakerLayout;

/**
 * Input and quality measurements for the upmix rows of bench/peers.sh.
 *
 * <pre>
 * UpmixBench mix MIX.wav VOCAL.wav [seconds] [rate]
 *     a stereo "mastered" mix (peak -0.5 dBFS): centred vocal-like voice and bass, instruments panned hard left
 *     and half right, independent diffuse noise per side; and the centred voice alone (mono) for measuring
 * UpmixBench compare MIX.wav VOCAL.wav NAME=UPMIX.wav ...
 *     for each 5.1 upmix: BS.775 fold-down minus input per octave band, then where the centred voice went
 *     (its gain in C, L, R after aligning by cross-correlation; input: 0.7071 in L and R) and clipping
 * </pre>
 */
public final class UpmixBench {
    private UpmixBench() { }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("mix")) {
            double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 60;
            int rate = args.length > 4 ? Integer.parseInt(args[4]) : 48_000;
            writeMix(Path.of(args[1]), Path.of(args[2]), seconds, rate);
        } else if (args.length >= 4 && args[0].equals("compare")) {
            compare(Path.of(args[1]), Path.of(args[2]), java.util.Arrays.copyOfRange(args, 3, args.length));
        } else {
            System.err.println("usage: UpmixBench mix MIX.wav VOCAL.wav [seconds] [rate] | compare MIX.wav VOCAL.wav NAME=FILE.wav...");
            System.exit(2);
        }
    }

    static void writeMix(Path mixPath, Path vocalPath, double seconds, int rate) throws Exception {
        int n = (int) Math.round(seconds * rate);
        float[] voice = new float[n];
        float[][] mix = new float[2][n];
        SplittableRandom rnd = new SplittableRandom(4242);
        double ph = 0;
        double amb0 = 0, amb1 = 0, inst1 = 0, inst2 = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            // voice: phrases of syllables on a slowly moving pitch with vibrato and a few formant-like harmonics
            double note = 196 * Math.pow(2, Math.floor(3 * Math.sin(2 * Math.PI * 0.11 * t) + 3) / 12);
            ph += 2 * Math.PI * note * (1 + 0.008 * Math.sin(2 * Math.PI * 5.5 * t)) / rate;
            double syll = Math.max(0, Math.sin(2 * Math.PI * 3 * t)) * (Math.sin(2 * Math.PI * 0.25 * t) > -0.6 ? 1 : 0);
            double v = 0;
            for (int h = 1; h <= 16; h++) {
                double formant = Math.exp(-Math.pow((h * note - 700) / 400, 2)) + 0.5 * Math.exp(-Math.pow((h * note - 2500) / 600, 2));
                v += (0.2 / h + formant) * Math.sin(h * ph);
            }
            voice[i] = (float) (0.18 * syll * v);
            double bass = 0.25 * Math.sin(2 * Math.PI * 55 * Math.pow(2, Math.floor(2 * Math.sin(2 * Math.PI * 0.2 * t)) / 12) * t)
                    * (0.6 + 0.4 * Math.max(0, Math.sin(2 * Math.PI * 2 * t)));
            // instruments: filtered noise bursts and chords, one hard left, one half right
            inst1 += 0.2 * ((rnd.nextDouble() - 0.5) - inst1);
            inst2 += 0.1 * ((rnd.nextDouble() - 0.5) - inst2);
            double gtr = 0.12 * (Math.sin(2 * Math.PI * 330 * t) + Math.sin(2 * Math.PI * 415 * t) + Math.sin(2 * Math.PI * 494 * t))
                    * Math.exp(-3 * ((t * 2) % 1)) + 0.5 * inst1 * (((int) (t * 8)) % 2);
            double keys = 0.1 * (Math.sin(2 * Math.PI * 262 * t) + Math.sin(2 * Math.PI * 330 * t)) + 0.6 * inst2;
            // diffuse: independent noise per side, low-passed ("reverb")
            amb0 += 0.3 * ((rnd.nextDouble() - 0.5) - amb0);
            amb1 += 0.3 * ((rnd.nextDouble() - 0.5) - amb1);
            double gl = Math.cos(Math.PI / 8 * 3), gr = Math.sin(Math.PI / 8 * 3); // keys half right
            mix[0][i] = (float) (0.7071 * (voice[i] + bass) + gtr + gl * keys + 0.25 * amb0);
            mix[1][i] = (float) (0.7071 * (voice[i] + bass) + gr * keys + 0.25 * amb1);
        }
        // master to -0.5 dBFS peak, as a finished record would be
        double peak = 0;
        for (float[] ch : mix) for (float x : ch) peak = Math.max(peak, Math.abs(x));
        float g = (float) (Math.pow(10, -0.5 / 20) / peak);
        for (float[] ch : mix) for (int i = 0; i < n; i++) ch[i] *= g;
        for (int i = 0; i < n; i++) voice[i] *= g;
        AudioFiles.write(mixPath, new AudioClip(new AudioFormat(rate, ChannelLayout.STEREO), mix), SampleFormat.FLOAT_32);
        AudioFiles.write(vocalPath, new AudioClip(new AudioFormat(rate, ChannelLayout.MONO), new float[][] {voice}),
                SampleFormat.FLOAT_32);
    }

    static void compare(Path mixPath, Path vocalPath, String[] upmixes) throws Exception {
        AudioClip mix = AudioFiles.readAll(mixPath);
        float[] voice = AudioFiles.readAll(vocalPath).channel(0);
        String[] names = new String[upmixes.length];
        FoldDownCheck.Report[] reps = new FoldDownCheck.Report[upmixes.length];
        AudioClip[] clips = new AudioClip[upmixes.length];
        for (int u = 0; u < upmixes.length; u++) {
            int eq = upmixes[u].indexOf('=');
            names[u] = upmixes[u].substring(0, eq);
            Path p = Path.of(upmixes[u].substring(eq + 1));
            clips[u] = AudioFiles.readAll(p);
            FoldDown fd = new FoldDown(SpeakerLayout.SURROUND_5_1, FoldDown.Mode.LO_RO);
            reps[u] = FoldDownCheck.run(mix, mixPath.toString(), clips[u], p.toString(), fd, 1.0);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("  BS.775 Lo/Ro fold-down minus input, dB per octave (both sides' energy; |worse| marked *)\n");
        sb.append(String.format(Locale.ROOT, "  %-6s", "band"));
        for (String nm : names) sb.append(String.format(Locale.ROOT, " %16s", nm));
        sb.append('\n');
        for (int b = 0; b < reps[0].bands.size(); b++) {
            sb.append(String.format(Locale.ROOT, "  %-6s", reps[0].bands.get(b)));
            double best = Double.MAX_VALUE;
            for (FoldDownCheck.Report r : reps) best = Math.min(best, Math.abs(r.bandDiffDb[2][b]));
            for (FoldDownCheck.Report r : reps) {
                double d = r.bandDiffDb[2][b];
                sb.append(String.format(Locale.ROOT, " %15.2f%s", d, Math.abs(d) > best + 1e-9 ? "*" : " "));
            }
            sb.append('\n');
        }
        line(sb, "worst band |dB|", names, reps, r -> String.format(Locale.ROOT, "%.2f", r.worstBandDb()));
        line(sb, "correlation L", names, reps, r -> String.format(Locale.ROOT, "%.4f", r.correlation[0]));
        line(sb, "loudness diff LU", names, reps, r -> String.format(Locale.ROOT, "%+.2f", r.loudnessDiffLu()));
        line(sb, "fold-down lag", names, reps, r -> Integer.toString(r.lagFrames));
        sb.append("  where the centred voice went (gain of the voice per channel; the input has 0.7071 in L and R)\n");
        for (int u = 0; u < clips.length; u++) {
            float[][] s = clips[u].samples();
            int lag = lag(voice, s[2], clips[u].sampleRate());
            double[] g = new double[s.length];
            for (int c = 0; c < s.length; c++) g[c] = gainOf(voice, s[c], lag);
            double vin = 0.5 + 0.5; // voice energy in the input: 0.7071^2 in each side
            double inC = g[2] * g[2];
            double peak = 0;
            long clipped = 0;
            for (float[] ch : s) {
                for (float x : ch) {
                    peak = Math.max(peak, Math.abs(x));
                    if (Math.abs(x) > 1f) clipped++;
                }
            }
            sb.append(String.format(Locale.ROOT,
                    "  %-16s C %.4f  L %.3f  R %.3f  Ls %.3f  Rs %.3f  -> share of its energy in C %.0f %%, in L+R %.0f %%;"
                            + " peak %.2f dBFS, %d samples over full scale%n",
                    names[u], g[2], g[0], g[1], g[4], g[5], 100 * inC / vin, 100 * (g[0] * g[0] + g[1] * g[1]) / vin,
                    20 * Math.log10(peak), clipped));
        }
        System.out.print(sb);
    }

    private interface Fmt { String of(FoldDownCheck.Report r); }

    private static void line(StringBuilder sb, String what, String[] names, FoldDownCheck.Report[] reps, Fmt f) {
        sb.append(String.format(Locale.ROOT, "  %-16s", what));
        for (FoldDownCheck.Report r : reps) sb.append(String.format(Locale.ROOT, " %11s", f.of(r)));
        sb.append('\n');
    }

    /** Least-squares gain of {@code ref} (delayed by lag) in {@code y}. */
    private static double gainOf(float[] ref, float[] y, int lag) {
        double ry = 0, rr = 0;
        for (int i = 0; i < ref.length; i++) {
            int j = i + lag;
            if (j < 0 || j >= y.length) continue;
            ry += (double) ref[i] * y[j];
            rr += (double) ref[i] * ref[i];
        }
        return rr > 0 ? ry / rr : 0;
    }

    /** Delay of {@code y} against {@code ref} within ±0.5 s, by brute-force correlation on a 10 s excerpt, coarse then fine. */
    private static int lag(float[] ref, float[] y, int rate) {
        int max = rate / 2;
        int from = Math.min(ref.length / 4, 5 * rate);
        int len = Math.min(10 * rate, ref.length - from - max);
        int best = 0;
        double bestV = -1;
        for (int l = -max; l <= max; l += 16) {
            double v = Math.abs(corr(ref, y, from, len, l));
            if (v > bestV) { bestV = v; best = l; }
        }
        int coarse = best;
        for (int l = coarse - 16; l <= coarse + 16; l++) {
            double v = Math.abs(corr(ref, y, from, len, l));
            if (v > bestV) { bestV = v; best = l; }
        }
        return best;
    }

    private static double corr(float[] ref, float[] y, int from, int len, int lag) {
        double s = 0;
        for (int i = from; i < from + len; i += 4) {
            int j = i + lag;
            if (j >= 0 && j < y.length) s += (double) ref[i] * y[j];
        }
        return s;
    }
}
