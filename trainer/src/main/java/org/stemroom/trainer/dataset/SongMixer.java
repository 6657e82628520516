package org.stemroom.trainer.dataset;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.Biquad;
import org.stemroom.core.dsp.BiquadCascade;
import org.stemroom.core.dsp.Butterworth;
import org.stemroom.trainer.dataset.Arrangement.Part;
import org.stemroom.trainer.dataset.Arrangement.Role;
import org.stemroom.trainer.dataset.CorpusSpec.Degradation;
import org.stemroom.trainer.dataset.CorpusSpec.Placement;

/**
 * Mixes the dry per-stem renders of one song into a master and its four targets, all from the song seed.
 *
 * <p>Per stem, in order: level (the dry render normalized to -20 dBFS RMS, then a random gain per role); EQ
 * (low shelf, peak, high shelf from core's {@link Biquad}); placement (balanced: the render's own stereo image
 * narrowed by a side gain, then a constant-power balance; hard-panned: folded to mono, hard left, hard right or
 * centre at -3 dB each; mono: folded to one channel); a room from room-ir on some stems (a mono send into a
 * stereo IR pair; a hard-panned stem's room stays in its own channel, a mono song's room is mono); mild
 * saturation ({@code tanh(d x) / d}).
 *
 * <p>Old-master degradations and how the targets match them, so that the targets always sum to the mixture:
 * <ul>
 *   <li>wow and flutter: one time-varying delay (cubic Hermite interpolation) applied identically to every stem:
 *       a linear operation, so the sum of the warped stems is the warped mixture;</li>
 *   <li>saturation: applied per stem (each track through its own saturating channel, as on tape or a desk), so
 *       the mixture is the sum of saturated stems and no intermodulation term has to be assigned;</li>
 *   <li>hiss (white Gaussian noise) and hum (50 or 60 Hz with harmonics 2, 3, 4, 5): added to the 'other' target,
 *       the stem for everything that is not vocals, drums or bass;</li>
 *   <li>band limit (8th-order Butterworth low-pass, 2nd-order high-pass): applied identically to every stem after
 *       the noise, as the playback chain of a worn master would, so the hiss is band-limited too.</li>
 * </ul>
 * Finally one gain brings the mixture peak to -6..-1 dBFS and the mixture is computed as the sum of the final
 * stems (in double, rounded once to float), so the stems sum to it within float rounding.
 */
final class SongMixer {
    private static final double REF_RMS = 0.1; // -20 dBFS

    private SongMixer() { }

    static Song mix(int index, int variant, Arrangement a, SoundFont sf, Map<Role, float[][]> dry, long dryClipped,
                    CorpusSpec spec, RoomBank rooms) throws StemroomException {
        long seed = a.seed();
        String tag = variant == 0 ? "" : "#" + variant;
        Random r = SplitMix.stream(seed, "mix" + tag);
        int rate = spec.sampleRate;
        int n = dry.get(Role.VOCALS)[0].length;

        Placement placement = pickPlacement(r.nextDouble(), spec.placementWeights);
        int work = placement == Placement.MONO ? 1 : 2;
        // hard-panned layouts of the 1960s: side of {vocals, drums, bass, other}; -1 left, 0 centre, +1 right
        int[][] layouts = {{0, -1, -1, 1}, {0, 1, 1, -1}, {1, -1, 0, 1}, {-1, 1, 1, -1}, {0, -1, 1, 1},
                {1, -1, -1, 0}, {0, 1, -1, -1}};
        int[] hardSides = layouts[r.nextInt(layouts.length)];

        // degradation draws happen whatever is enabled, so enabling one never changes the others' settings
        Map<Degradation, Boolean> on = new EnumMap<>(Degradation.class);
        for (Degradation d : Degradation.values()) on.put(d, r.nextDouble() < spec.degradationChances.getOrDefault(d, 0.0));
        double wowHz = 0.3 + 0.9 * r.nextDouble(), wowMs = 0.15 + 0.6 * r.nextDouble();
        double flutterHz = 5 + 6 * r.nextDouble(), flutterMs = 0.01 + 0.03 * r.nextDouble();
        double wowPhase = 2 * Math.PI * r.nextDouble(), flutterPhase = 2 * Math.PI * r.nextDouble();
        double drive = 1.2 + 1.8 * r.nextDouble();
        double hissDb = -62 + 22 * r.nextDouble();
        double humHz = r.nextBoolean() ? 50 : 60;
        double humDb = -55 + 20 * r.nextDouble();
        double lowPassHz = 3500 * Math.pow(12000 / 3500.0, r.nextDouble());
        double highPassHz = 40 + 80 * r.nextDouble();
        double peakDb = -6 + 5 * r.nextDouble();

        Map<Role, float[][]> stems = new EnumMap<>(Role.class);
        List<SongInfo.StemInfo> infos = new ArrayList<>();
        for (Role role : Role.values()) {
            float[][] x = dry.get(role);
            double e = 0;
            for (float[] ch : x) for (float v : ch) e += (double) v * v;
            double rms = Math.sqrt(e / (2.0 * n));
            boolean silent = rms < 1e-5;
            double gainDb = switch (role) {
                case VOCALS -> 0;
                case DRUMS -> -1;
                case BASS -> -3;
                case OTHER -> -3;
            } + (r.nextDouble() * 6 - 3);
            float g = silent ? 0f : (float) (REF_RMS / rms * Math.pow(10, gainDb / 20));

            // EQ
            boolean eqOn = r.nextDouble() < 0.7;
            double lsHz = 80 + 170 * r.nextDouble(), lsDb = r.nextDouble() * 8 - 4;
            double pkHz = 300 * Math.pow(5000 / 300.0, r.nextDouble()), pkDb = r.nextDouble() * 10 - 5, pkQ = 0.7 + 1.3 * r.nextDouble();
            double hsHz = 3000 + 7000 * r.nextDouble(), hsDb = r.nextDouble() * 8 - 4;
            BiquadCascade eq = new BiquadCascade(Biquad.lowShelf(rate, lsHz, Biquad.BUTTERWORTH_Q, lsDb),
                    Biquad.peak(rate, pkHz, pkQ, pkDb), Biquad.highShelf(rate, hsHz, Biquad.BUTTERWORTH_Q, hsDb));
            String eqText = eqOn ? String.format(Locale.ROOT, "low shelf %.0f Hz %+.1f dB, peak %.0f Hz %+.1f dB Q %.2f, high shelf %.0f Hz %+.1f dB",
                    lsHz, lsDb, pkHz, pkDb, pkQ, hsHz, hsDb) : "off";

            // placement draws
            double pan = switch (role) {
                case VOCALS, BASS -> (r.nextDouble() - 0.5) * 0.3;
                case DRUMS -> (r.nextDouble() - 0.5) * 0.6;
                case OTHER -> (r.nextDouble() - 0.5) * 1.2;
            };
            double width = role == Role.VOCALS || role == Role.BASS ? 0.4 * r.nextDouble() : 0.3 + 0.7 * r.nextDouble();
            // room draws
            boolean roomOn = !spec.rooms.isEmpty()
                    && r.nextDouble() < spec.roomScale * a.style().roomChance * (role == Role.BASS ? 0.3 : 1);
            String roomName = spec.rooms.isEmpty() ? "none" : spec.rooms.get(r.nextInt(spec.rooms.size()));
            double wetDb = -20 + 12 * r.nextDouble();
            if (!roomOn) roomName = "none";

            float[][] y = new float[work][];
            if (placement == Placement.BALANCED) {
                double th = (pan + 1) * Math.PI / 4;
                float gl = (float) (Math.cos(th) * Math.sqrt(2)) * g, gr = (float) (Math.sin(th) * Math.sqrt(2)) * g;
                float w = (float) width;
                y[0] = new float[n];
                y[1] = new float[n];
                for (int i = 0; i < n; i++) {
                    float mid = 0.5f * (x[0][i] + x[1][i]), side = 0.5f * w * (x[0][i] - x[1][i]);
                    y[0][i] = gl * (mid + side);
                    y[1][i] = gr * (mid - side);
                }
            } else {
                float[] mono = new float[n];
                for (int i = 0; i < n; i++) mono[i] = g * 0.5f * (x[0][i] + x[1][i]);
                y[0] = mono;
                if (work == 2) y[1] = new float[n];
            }
            if (eqOn) for (float[] ch : y) { BiquadCascade f = eq.copy(); f.process(ch, 0, ch.length); }

            // hard panning: one channel, or both at -3 dB for the centre
            int side = hardSides[role.ordinal()];
            if (placement == Placement.HARD_PANNED) {
                float[] m = y[0];
                if (side == 0) {
                    float c = (float) Math.sqrt(0.5);
                    for (int i = 0; i < n; i++) { y[1][i] = c * m[i]; y[0][i] = c * m[i]; }
                } else if (side > 0) {
                    y[1] = m;
                    y[0] = new float[n];
                }
            }
            if (roomOn && !silent) {
                float[][] h = rooms.ir(roomName);
                float wg = (float) Math.pow(10, wetDb / 20);
                if (placement == Placement.BALANCED || (placement == Placement.HARD_PANNED && side == 0)) {
                    float[] send = new float[n];
                    for (int i = 0; i < n; i++) send[i] = 0.5f * (y[0][i] + y[1][i]);
                    float[][] wet = rooms.convolve(send, h[0], h[1]);
                    for (int c = 0; c < 2; c++) for (int i = 0; i < n; i++) y[c][i] += wg * wet[c][i];
                } else {
                    int c = placement == Placement.MONO ? 0 : side > 0 ? 1 : 0;
                    float[] wet = rooms.convolve(y[c], h[c])[0];
                    for (int i = 0; i < n; i++) y[c][i] += wg * wet[i];
                }
            }
            if (on.get(Degradation.SATURATION)) {
                float d = (float) drive;
                // StrictMath: Math.tanh is an intrinsic from JDK 24 on with other bits; a corpus is the same from its
                // seed on any JDK (on 17 Math.tanh calls StrictMath.tanh: the same bits)
                for (float[] ch : y) for (int i = 0; i < n; i++) ch[i] = (float) (StrictMath.tanh(d * ch[i]) / d);
            }
            stems.put(role, y);
            List<String> names = new ArrayList<>();
            List<Integer> programs = new ArrayList<>();
            for (Part p : a.parts(role)) { names.add(p.name()); programs.add(p.program()); }
            infos.add(new SongInfo.StemInfo(role.stem, names, programs, round(gainDb), round(placement == Placement.HARD_PANNED ? side
                    : placement == Placement.MONO ? 0 : pan), round(placement == Placement.BALANCED ? width : 0), eqText,
                    roomName, roomOn ? round(wetDb) : 0, silent));
        }

        // wow and flutter: the same warp for every stem
        if (on.get(Degradation.WOW)) {
            double[] delay = new double[n];
            double aw = wowMs * rate / 1000, af = flutterMs * rate / 1000;
            for (int i = 0; i < n; i++) {
                delay[i] = aw * (1 + Math.sin(2 * Math.PI * wowHz * i / rate + wowPhase))
                        + af * (1 + Math.sin(2 * Math.PI * flutterHz * i / rate + flutterPhase));
            }
            for (float[][] y : stems.values()) for (int c = 0; c < work; c++) y[c] = warp(y[c], delay);
        }

        // hiss and hum into 'other', relative to the mixture so far
        double mixRms = rms(sum(stems, work, n));
        Random nr = SplitMix.stream(seed, "noise" + tag);
        if (on.get(Degradation.HISS)) {
            float[][] o = stems.get(Role.OTHER);
            double level = mixRms * Math.pow(10, hissDb / 20);
            for (int c = 0; c < work; c++) for (int i = 0; i < n; i++) o[c][i] += (float) (level * nr.nextGaussian());
        }
        if (on.get(Degradation.HUM)) {
            float[][] o = stems.get(Role.OTHER);
            double[] amp = {1, 0.5, 0.35, 0.2, 0.1};
            double norm = 0;
            for (double v : amp) norm += v * v / 2;
            double level = mixRms * Math.pow(10, humDb / 20) / Math.sqrt(norm);
            double[] ph = new double[amp.length];
            for (int k = 0; k < ph.length; k++) ph[k] = 2 * Math.PI * nr.nextDouble();
            for (int i = 0; i < n; i++) {
                double h = 0;
                for (int k = 0; k < amp.length; k++) h += amp[k] * Math.sin(2 * Math.PI * (k + 1) * humHz * i / rate + ph[k]);
                float v = (float) (level * h);
                for (int c = 0; c < work; c++) o[c][i] += v;
            }
        }
        if (on.get(Degradation.BAND_LIMIT)) {
            BiquadCascade lp = Butterworth.lowPass(rate, lowPassHz, 8);
            BiquadCascade hp = Butterworth.highPass(rate, highPassHz, 2);
            for (float[][] y : stems.values()) {
                for (float[] ch : y) {
                    BiquadCascade l = lp.copy(), h = hp.copy();
                    l.process(ch, 0, n);
                    h.process(ch, 0, n);
                }
            }
        }

        // master gain, channel policy, and the mixture as the sum of the final stems
        double peak = 0;
        float[][] pre = sum(stems, work, n);
        for (float[] ch : pre) for (float v : ch) peak = Math.max(peak, Math.abs(v));
        float mg = peak > 0 ? (float) (Math.pow(10, peakDb / 20) / peak) : 1f;
        LinkedHashMap<String, float[][]> out = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            float[][] y = stems.get(role);
            for (float[] ch : y) for (int i = 0; i < n; i++) ch[i] *= mg;
            float[][] fin;
            if (spec.channels == work) {
                fin = y;
            } else if (spec.channels == 2) { // a mono song in a stereo corpus: identical channels
                fin = new float[][] {y[0], y[0].clone()};
            } else {
                fin = new float[][] {new float[n]};
                for (int i = 0; i < n; i++) fin[0][i] = 0.5f * (y[0][i] + y[1][i]);
            }
            out.put(role.stem, fin);
        }
        float[][] mixture = new float[spec.channels][n];
        for (int c = 0; c < spec.channels; c++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (float[][] st : out.values()) s += st[c][i];
                mixture[c][i] = (float) s;
            }
        }
        double finalPeak = 0;
        for (float[] ch : mixture) for (float v : ch) finalPeak = Math.max(finalPeak, Math.abs(v));

        List<String> applied = new ArrayList<>();
        for (Degradation d : Degradation.values()) if (on.get(d)) applied.add(d.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        SongInfo.Degradations deg = new SongInfo.Degradations(applied,
                on.get(Degradation.WOW) ? round(wowHz) : 0, on.get(Degradation.WOW) ? round(wowMs) : 0,
                on.get(Degradation.WOW) ? round(flutterHz) : 0, on.get(Degradation.WOW) ? round(flutterMs) : 0,
                on.get(Degradation.SATURATION) ? round(drive) : 1, on.get(Degradation.HISS) ? round(hissDb) : 0,
                on.get(Degradation.HUM) ? humHz : 0, on.get(Degradation.HUM) ? round(humDb) : 0,
                on.get(Degradation.BAND_LIMIT) ? round(lowPassHz) : 0, on.get(Degradation.BAND_LIMIT) ? round(highPassHz) : 0);
        SongInfo info = new SongInfo(index, seed, variant, Split.ofSeed(seed).label(), sf.id(), a.style().label(), round(a.bpm()),
                a.meter().label(), a.keyName(), a.sections(), round(a.humanizeMs()), rate, spec.channels, n,
                placement.name().toLowerCase(Locale.ROOT).replace('_', '-'), List.copyOf(infos), deg,
                round(20 * Math.log10(Math.max(finalPeak, 1e-12))), dryClipped);
        return new Song(info, mixture, out);
    }

    private static Placement pickPlacement(double u, Map<Placement, Double> w) {
        double total = 0;
        for (Placement p : Placement.values()) total += w.getOrDefault(p, 0.0);
        double acc = 0;
        for (Placement p : Placement.values()) {
            acc += w.getOrDefault(p, 0.0) / total;
            if (u < acc) return p;
        }
        for (int i = Placement.values().length - 1; i >= 0; i--) {
            if (w.getOrDefault(Placement.values()[i], 0.0) > 0) return Placement.values()[i];
        }
        return Placement.BALANCED;
    }

    /** {@code y[i] = x(i - delay[i])} by 4-point cubic Hermite interpolation; x is zero before its start. */
    static float[] warp(float[] x, double[] delay) {
        int n = x.length;
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double pos = i - delay[i];
            int k = (int) Math.floor(pos);
            double t = pos - k;
            double xm1 = at(x, k - 1), x0 = at(x, k), x1 = at(x, k + 1), x2 = at(x, k + 2);
            double c1 = 0.5 * (x1 - xm1);
            double c2 = xm1 - 2.5 * x0 + 2 * x1 - 0.5 * x2;
            double c3 = 0.5 * (x2 - xm1) + 1.5 * (x0 - x1);
            y[i] = (float) (((c3 * t + c2) * t + c1) * t + x0);
        }
        return y;
    }

    private static double at(float[] x, int k) {
        return k >= 0 && k < x.length ? x[k] : 0;
    }

    private static float[][] sum(Map<Role, float[][]> stems, int channels, int n) {
        float[][] s = new float[channels][n];
        for (float[][] y : stems.values()) for (int c = 0; c < channels; c++) for (int i = 0; i < n; i++) s[c][i] += y[c][i];
        return s;
    }

    private static double rms(float[][] x) {
        double e = 0;
        long cnt = 0;
        for (float[] ch : x) { for (float v : ch) e += (double) v * v; cnt += ch.length; }
        return Math.sqrt(e / Math.max(1, cnt));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
