package org.stemroom.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Speaker;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;

/**
 * Synthesizes the IR set of a {@link ShoeboxRoom} for given sources and (directional) receivers:
 * <ul>
 *   <li>early part by the image-source method (Allen &amp; Berkley 1979) up to a settable reflection order, each
 *       image with its per-band wall reflection factors {@code sqrt(1 - a)}, air absorption, 1/r spreading, exact
 *       fractional delay (summed in the frequency domain) and the receiver's directivity toward it;</li>
 *   <li>a diffuse late tail whose energy per sample is {@code 4 pi c / (V fs) exp(-6 ln10 t / T(f))} (the
 *       image-source density of a room of volume V), with T(f) from Eyring (or Sabine) interpolated over log
 *       frequency between the band centres and the receiver's diffuse-field directivity; it is built frame by
 *       frame in the STFT domain with exact magnitudes and seeded random phases, a different seed per source and
 *       output, so tails are decorrelated across outputs;</li>
 *   <li>a raised-cosine cross-fade from early to late over one mixing time ({@code sqrt(V)} ms after Polack, at
 *       least 5 ms) starting one mixing time after the first arrival. (A 10 ms floor let the image sources of
 *       the 0.1 s vocal booth, whose decay between its hard and soft surfaces is not Eyring's, cover a fifth of
 *       its T30 range and read +13 % at 250 Hz.)</li>
 * </ul>
 * Deterministic: the same setup and seed give the same bits.
 */
public final class RoomSynthesizer {

    /** Bump when the synthesis changes its output: cached rooms of older versions are then regenerated. */
    public static final int CODE_VERSION = 2;

    /** Which reverberation formula drives the late tail. */
    public enum Model { EYRING, SABINE }

    /** A receiver at the listening position pointing at {@code azimuth} (degrees, positive left, 0 = front). */
    public static final class Receiver {
        public final String label;
        public final double azimuthDegrees;
        /** First-order pattern {@code (1 - p) + p cos(theta)}: 0 omni, 0.5 cardioid, 0.75 hypercardioid-like. */
        public final double pattern;

        public Receiver(String label, double azimuthDegrees, double pattern) {
            if (!(pattern >= 0 && pattern <= 1)) throw new IllegalArgumentException("pattern must be in [0, 1]");
            this.label = label;
            this.azimuthDegrees = azimuthDegrees;
            this.pattern = pattern;
        }

        double gain(double dx, double dy, double dz) {
            double a = Math.toRadians(azimuthDegrees);
            double cos = -Math.sin(a) * dx + Math.cos(a) * dy; // unit vectors: (dx, dy, dz) is normalised
            return (1 - pattern) + pattern * cos;
        }

        /** Mean of gain^2 over all directions (diffuse field). */
        double diffuseEnergyGain() {
            return (1 - pattern) * (1 - pattern) + pattern * pattern / 3;
        }
    }

    /** Everything that defines a synthesized IR set. */
    public static final class Setup {
        public final ShoeboxRoom room;
        public final double[] listener;
        public final List<double[]> sources;
        public final List<Receiver> receivers; // one per output; null entry = silent output (LFE)
        public final ChannelLayout outputLayout;
        public final int sampleRate;
        public final int maxOrder;
        public final Model model;
        public final long seed;

        public Setup(ShoeboxRoom room, double[] listener, List<double[]> sources, List<Receiver> receivers,
                     ChannelLayout outputLayout, int sampleRate, int maxOrder, Model model, long seed) {
            if (receivers.size() != outputLayout.channelCount()) throw new IllegalArgumentException("one receiver per output");
            if (sources.isEmpty()) throw new IllegalArgumentException("no source");
            checkInside(room, listener, "listener");
            for (double[] s : sources) checkInside(room, s, "source");
            if (maxOrder < 0 || maxOrder > 60) throw new IllegalArgumentException("reflection order must be in 0..60");
            this.room = room;
            this.listener = listener.clone();
            this.sources = List.copyOf(sources);
            this.receivers = new ArrayList<>(receivers);
            this.outputLayout = outputLayout;
            this.sampleRate = sampleRate;
            this.maxOrder = maxOrder;
            this.model = model;
            this.seed = seed;
        }

        /**
         * Sources on a circle of {@code distance} m around the listener at the azimuths of {@code inputLayout}'s
         * speakers (a mono input is one source in front), and at the listener one receiver of {@code pattern}
         * per output speaker, pointing at it; LFE outputs get no IR.
         */
        public static Setup forLayouts(ShoeboxRoom room, double[] listener, ChannelLayout inputLayout, double distance,
                                       ChannelLayout outputLayout, double pattern, int sampleRate, int maxOrder, long seed) {
            List<double[]> src = new ArrayList<>();
            List<Speaker> in = inputLayout.isSpeakerLayout() ? inputLayout.speakers() : List.of();
            if (in.isEmpty()) {
                for (int i = 0; i < inputLayout.channelCount(); i++) src.add(onCircle(room, listener, 0, distance));
            } else {
                for (Speaker s : in) src.add(onCircle(room, listener, s.azimuthDegrees(), distance));
            }
            List<Receiver> rec = new ArrayList<>();
            for (int o = 0; o < outputLayout.channelCount(); o++) {
                Speaker sp = outputLayout.isSpeakerLayout() ? outputLayout.speakers().get(o) : null;
                if (sp != null && sp.isLfe()) {
                    rec.add(null);
                } else {
                    rec.add(new Receiver(outputLayout.label(o), sp == null ? 0 : sp.azimuthDegrees(), sp == null ? 0 : pattern));
                }
            }
            return new Setup(room, listener, src, rec, outputLayout, sampleRate, maxOrder, Model.EYRING, seed);
        }

        /** Canonical text of every parameter (cache keys). */
        public String canonical() {
            StringBuilder sb = new StringBuilder(room.canonical());
            sb.append(String.format(Locale.ROOT, " L %.4f %.4f %.4f", listener[0], listener[1], listener[2]));
            for (double[] s : sources) sb.append(String.format(Locale.ROOT, " S %.4f %.4f %.4f", s[0], s[1], s[2]));
            for (Receiver r : receivers) {
                sb.append(r == null ? " R -" : String.format(Locale.ROOT, " R %s %.3f %.3f", r.label, r.azimuthDegrees, r.pattern));
            }
            sb.append(' ').append(outputLayout.name()).append(' ').append(sampleRate).append(' ').append(maxOrder)
                    .append(' ').append(model).append(' ').append(seed);
            return sb.toString();
        }
    }

    private static double[] onCircle(ShoeboxRoom room, double[] c, double azimuthDeg, double distance) {
        double a = Math.toRadians(azimuthDeg);
        double dx = -Math.sin(a);
        double dy = Math.cos(a);
        // shorten the distance so the source stays at least 0.3 m inside the walls
        double d = distance;
        if (dx > 1e-9) d = Math.min(d, (room.lx() - 0.3 - c[0]) / dx);
        if (dx < -1e-9) d = Math.min(d, (c[0] - 0.3) / -dx);
        if (dy > 1e-9) d = Math.min(d, (room.ly() - 0.3 - c[1]) / dy);
        if (dy < -1e-9) d = Math.min(d, (c[1] - 0.3) / -dy);
        d = Math.max(d, 0.3);
        return new double[] {c[0] + d * dx, c[1] + d * dy, c[2]};
    }

    private static void checkInside(ShoeboxRoom room, double[] p, String what) {
        if (p.length != 3 || !(p[0] > 0 && p[0] < room.lx() && p[1] > 0 && p[1] < room.ly() && p[2] > 0 && p[2] < room.lz())) {
            throw new IllegalArgumentException(what + " position outside the room");
        }
    }

    private RoomSynthesizer() { }

    /** The reverberation times (s) per band that the late tail follows. */
    public static double[] predictedRt60(Setup setup) {
        return setup.model == Model.EYRING ? setup.room.eyringRt60() : setup.room.sabineRt60();
    }

    public static RoomImpulseResponse synthesize(Setup setup, String name, String description) {
        ShoeboxRoom room = setup.room;
        int fs = setup.sampleRate;
        double[] rt = predictedRt60(setup);
        double maxRt = 0;
        for (double t : rt) maxRt = Math.max(maxRt, t);
        double tmix = Math.max(0.005, room.mixingTimeSeconds());
        int outs = setup.receivers.size();
        int srcs = setup.sources.size();

        double firstArrival = Double.MAX_VALUE;
        double lastDirect = 0;
        for (double[] s : setup.sources) {
            double d = dist(s, setup.listener);
            firstArrival = Math.min(firstArrival, d / ShoeboxRoom.C);
            lastDirect = Math.max(lastDirect, d / ShoeboxRoom.C);
        }
        double t1 = firstArrival + tmix;         // cross-fade from early to late starts here
        double t2 = t1 + tmix;                   // and ends here
        int length = (int) Math.ceil(fs * (lastDirect + 1.1 * maxRt + 0.02));
        length = Math.max(length, (int) Math.ceil(fs * (t2 + 0.05)));
        int earlyN = PartitionedConvolver.nextPow2((int) Math.ceil(2 * fs * (t2 + 0.01)));

        float[][][] m = new float[srcs][outs][];
        for (int s = 0; s < srcs; s++) {
            double[][] early = earlyReflections(setup, setup.sources.get(s), earlyN, t2);
            for (int o = 0; o < outs; o++) {
                Receiver rcv = setup.receivers.get(o);
                if (rcv == null) continue;
                long seed = setup.seed * 0x9E3779B97F4A7C15L + 31L * s + 1009L * o + 17;
                float[] late = lateTail(rt, room.volume(), fs, length, rcv.diffuseEnergyGain(), seed);
                float[] h = new float[length];
                for (int i = 0; i < length; i++) {
                    double t = i / (double) fs;
                    double we = t <= t1 ? 1 : t >= t2 ? 0 : 0.5 * (1 + Math.cos(Math.PI * (t - t1) / (t2 - t1)));
                    double e = i < earlyN ? early[o][i] : 0;
                    h[i] = (float) (we * e + (1 - we) * late[i]);
                }
                // fade the last 5 % so the truncation (about -66 dB) does not click
                int fade = Math.max(1, length / 20);
                for (int i = 0; i < fade; i++) h[length - fade + i] *= (float) (0.5 * (1 + Math.cos(Math.PI * (i + 1) / (fade + 1))));
                m[s][o] = h;
            }
        }
        StringBuilder notes = new StringBuilder(String.format(Locale.ROOT,
                "synthesized shoebox %.1f x %.1f x %.1f m, image sources to order %d, %s RT60", room.lx(), room.ly(),
                room.lz(), setup.maxOrder, setup.model.name().toLowerCase(Locale.ROOT)));
        for (int b = 0; b < rt.length; b++) notes.append(String.format(Locale.ROOT, " %s:%.2fs", bandLabel(b), rt[b]));
        RoomImpulseResponse.Metadata md = new RoomImpulseResponse.Metadata(name, description,
                "generated by stemroom; free to use", notes.toString(), setup.sources, null);
        return new RoomImpulseResponse(m, fs, setup.outputLayout, md);
    }

    static String bandLabel(int b) {
        double f = ShoeboxRoom.BANDS[b];
        return f >= 1000 ? (int) (f / 1000) + "k" : String.valueOf((int) f);
    }

    /** Early reflections of one source for every receiver, {@code n} samples, images arriving before {@code tMax}. */
    static double[][] earlyReflections(Setup setup, double[] src, int n, double tMax) {
        ShoeboxRoom room = setup.room;
        int fs = setup.sampleRate;
        int outs = setup.receivers.size();
        int bins = n / 2 + 1;
        double[][] re = new double[outs][bins];
        double[][] im = new double[outs][bins];
        // per bin: band interpolation position (log frequency between band centres)
        int nb = ShoeboxRoom.BANDS.length;
        int[] b0 = new int[bins];
        double[] w = new double[bins];
        for (int k = 0; k < bins; k++) {
            double f = k * (double) fs / n;
            if (f <= ShoeboxRoom.BANDS[0]) { b0[k] = 0; w[k] = 0; continue; }
            if (f >= ShoeboxRoom.BANDS[nb - 1]) { b0[k] = nb - 2; w[k] = 1; continue; }
            int b = 0;
            while (ShoeboxRoom.BANDS[b + 1] < f) b++;
            b0[k] = b;
            w[k] = Math.log(f / ShoeboxRoom.BANDS[b]) / Math.log(ShoeboxRoom.BANDS[b + 1] / ShoeboxRoom.BANDS[b]);
        }
        double[] beta = new double[6 * nb];
        for (int sfc = 0; sfc < 6; sfc++) for (int b = 0; b < nb; b++) beta[sfc * nb + b] = Math.sqrt(1 - room.absorption(sfc, b));
        double rMax = tMax * ShoeboxRoom.C;
        double[] L = {room.lx(), room.ly(), room.lz()};
        int[] nMax = new int[3];
        for (int a = 0; a < 3; a++) nMax[a] = (int) Math.ceil(rMax / (2 * L[a])) + 1;
        double[] amp = new double[nb];
        double[] ampBin = new double[bins];
        for (int lxi = -nMax[0]; lxi <= nMax[0]; lxi++) {
            for (int ux = 0; ux < 2; ux++) {
                int hx0 = Math.abs(lxi - ux), hx1 = Math.abs(lxi);
                double x = (1 - 2 * ux) * src[0] + 2 * lxi * L[0];
                for (int lyi = -nMax[1]; lyi <= nMax[1]; lyi++) {
                    for (int uy = 0; uy < 2; uy++) {
                        int hy0 = Math.abs(lyi - uy), hy1 = Math.abs(lyi);
                        double y = (1 - 2 * uy) * src[1] + 2 * lyi * L[1];
                        for (int lzi = -nMax[2]; lzi <= nMax[2]; lzi++) {
                            for (int uz = 0; uz < 2; uz++) {
                                int hz0 = Math.abs(lzi - uz), hz1 = Math.abs(lzi);
                                int order = hx0 + hx1 + hy0 + hy1 + hz0 + hz1;
                                if (order > setup.maxOrder) continue;
                                double z = (1 - 2 * uz) * src[2] + 2 * lzi * L[2];
                                double dx = x - setup.listener[0], dy = y - setup.listener[1], dz = z - setup.listener[2];
                                double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
                                if (d > rMax) continue;
                                d = Math.max(d, 0.05);
                                int[] hits = {hx0, hx1, hy0, hy1, hz0, hz1};
                                for (int b = 0; b < nb; b++) {
                                    double a = Math.exp(-ShoeboxRoom.AIR[b] * d / 2) / d;
                                    for (int sfc = 0; sfc < 6; sfc++) if (hits[sfc] > 0) a *= Math.pow(beta[sfc * nb + b], hits[sfc]);
                                    amp[b] = a;
                                }
                                for (int k = 0; k < bins; k++) ampBin[k] = amp[b0[k]] + w[k] * (amp[b0[k] + 1] - amp[b0[k]]);
                                double delay = d / ShoeboxRoom.C * fs; // samples
                                double step = -2 * Math.PI * delay / n;
                                double cr = Math.cos(step), ci = Math.sin(step);
                                for (int o = 0; o < outs; o++) {
                                    Receiver r = setup.receivers.get(o);
                                    if (r == null) continue;
                                    double g = r.gain(dx / d, dy / d, dz / d);
                                    if (g == 0) continue;
                                    double[] ro = re[o], io = im[o];
                                    double pr = 1, pi = 0; // e^{-j 2 pi k delay / n} by recurrence, renormalised
                                    for (int k = 0; k < bins; k++) {
                                        double a = g * ampBin[k];
                                        ro[k] += a * pr;
                                        io[k] += a * pi;
                                        double t = pr * cr - pi * ci;
                                        pi = pr * ci + pi * cr;
                                        pr = t;
                                        if ((k & 255) == 255) {
                                            double ang = step * (k + 1);
                                            pr = Math.cos(ang);
                                            pi = Math.sin(ang);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        RealFft fft = new RealFft(n);
        double[][] out = new double[outs][];
        float[] fr = new float[bins], fi = new float[bins], t = new float[n];
        for (int o = 0; o < outs; o++) {
            if (setup.receivers.get(o) == null) continue;
            for (int k = 0; k < bins; k++) {
                fr[k] = (float) re[o][k];
                fi[k] = (float) im[o][k];
            }
            fr[bins - 1] = 0f; // no energy at Nyquist (a real, band-limited delay)
            fft.inverse(fr, fi, t);
            out[o] = new double[n];
            for (int i = 0; i < n; i++) out[o][i] = t[i];
        }
        return out;
    }

    /**
     * Diffuse tail of {@code length} samples: energy per sample {@code 4 pi c / (V fs) * gain * exp(-6 ln10 t/T(f))},
     * STFT frames with exact magnitudes and seeded random phases.
     */
    static float[] lateTail(double[] rt, double volume, int fs, int length, double gain, long seed) {
        int nFft = 2048;
        int hop = 512;
        Stft stft = new Stft(nFft, hop);
        int frames = stft.frameCount(length);
        int bins = stft.bins();
        Spectrogram spec = new Spectrogram(frames, bins);
        float[] win = stft.window();
        double sumW2 = 0;
        for (float v : win) sumW2 += (double) v * v;
        // An STFT frame of random phases with magnitude M in every bin synthesizes (after weighted overlap-add and
        // division by the squared-window sum) a signal of mean power M^2 / (nFft * sum(w^2) / hop) per sample.
        double powerScale = nFft * sumW2 / hop;
        double level = 4 * Math.PI * ShoeboxRoom.C / (volume * fs) * gain;
        double[] decay = new double[bins]; // energy decay rate per second at each bin
        for (int k = 0; k < bins; k++) {
            double f = k * (double) fs / nFft;
            double t60 = t60At(rt, Math.max(f, 1));
            decay[k] = 6 * Math.log(10) / t60;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int fr = 0; fr < frames; fr++) {
            double t = fr * hop / (double) fs;
            float[] re = spec.re(fr);
            float[] im = spec.im(fr);
            for (int k = 1; k < bins - 1; k++) {
                double mag = Math.sqrt(level * Math.exp(-decay[k] * t) * powerScale);
                double ph = 2 * Math.PI * rnd.nextDouble();
                re[k] = (float) (mag * Math.cos(ph));
                im[k] = (float) (mag * Math.sin(ph));
            }
        }
        return stft.synthesize(spec, length);
    }

    /** Half-width, in octaves, of the log-T transition at each octave band edge. */
    static final double BAND_EDGE_TRANSITION_OCTAVES = 1.0 / 6;

    /**
     * Reverberation time at {@code f}: the RT60 of the octave band holding {@code f}, constant across the band
     * (the outermost bands' values beyond them), with log T interpolated over log f only within
     * {@link #BAND_EDGE_TRANSITION_OCTAVES} of each band edge. The model's RT60 is a property of the whole
     * octave band (band-averaged absorption), and an octave analysis measures the whole band: when T was
     * instead interpolated through the band centres, the lower half of a band whose RT60 falls steeply to the
     * next band decayed slower than the band's value and dominated the late decay, so the 8 kHz T30 of the
     * scoring stage read +13 % and of the bright plate +11 % (late tail alone, 6 seeds).
     */
    static double t60At(double[] rt, double f) {
        int n = rt.length;
        double u = Math.log(f / ShoeboxRoom.BANDS[0]) / Math.log(2); // band index, centres at integers
        if (u <= 0) return rt[0];
        if (u >= n - 1) return rt[n - 1];
        int lo = (int) Math.floor(u);
        double edge = lo + 0.5; // the edge between band lo and band lo + 1
        double w = BAND_EDGE_TRANSITION_OCTAVES;
        if (u <= edge - w) return rt[lo];
        if (u >= edge + w) return rt[lo + 1];
        double x = (u - (edge - w)) / (2 * w);
        return Math.exp((1 - x) * Math.log(rt[lo]) + x * Math.log(rt[lo + 1]));
    }

    private static double[] logs(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) r[i] = Math.log(v[i]);
        return r;
    }

    private static double dist(double[] a, double[] b) {
        double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
}
