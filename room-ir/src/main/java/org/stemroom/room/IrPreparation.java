package org.stemroom.room;

import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;

/**
 * Preparation of an IR set before use: pre-delay trim, tail fade, normalization, early/late split and decay
 * reshaping per octave band. Every step works on the whole matrix at once so the timing and level relations
 * between channels (the room's image) are kept.
 */
public final class IrPreparation {

    /** How {@link #normalize} scales a set. */
    public enum Normalization {
        /** Largest absolute sample of the whole set to the target level. */
        PEAK,
        /**
         * Mean over sources of the energy each source sends to all outputs, to the target: a unit-RMS white input
         * then gives a wet signal of about the target level in any room, so wet levels compare across rooms.
         */
        ENERGY
    }

    private IrPreparation() { }

    /** Earliest onset (ISO 3382-1: within 20 dB of the peak) over all IRs of the set, in samples. */
    public static int onset(RoomImpulseResponse rir) {
        double max = 0;
        for (float[][] row : rir.matrix()) for (float[] h : row) if (h != null) for (float v : h) max = Math.max(max, (double) v * v);
        if (max == 0) throw new IllegalArgumentException("IR set is silent");
        double thr = max * 0.01;
        int first = Integer.MAX_VALUE;
        for (float[][] row : rir.matrix()) {
            for (float[] h : row) {
                if (h == null) continue;
                for (int i = 0; i < h.length && i < first; i++) {
                    if ((double) h[i] * h[i] >= thr) {
                        first = i;
                        break;
                    }
                }
            }
        }
        return first;
    }

    /**
     * Cuts the silence before the direct sound, keeping {@code keepSeconds} of it (the pre-delay the user wants;
     * 0 puts the onset on the first sample). Inter-channel delays stay as they are.
     */
    public static RoomImpulseResponse trimPreDelay(RoomImpulseResponse rir, double keepSeconds) {
        int keep = (int) Math.round(keepSeconds * rir.sampleRate());
        int onset = onset(rir);
        int cut = onset - keep;
        if (cut == 0) return rir;
        return rir.map((s, o, h) -> {
            float[] r = new float[Math.max(1, h.length - cut)];
            for (int i = 0; i < r.length; i++) {
                int j = i + cut;
                r[i] = j >= 0 && j < h.length ? h[j] : 0f;
            }
            return r;
        });
    }

    /** Shortens the set to {@code maxSeconds} (when longer) and fades its last {@code fadeSeconds} out (raised cosine). */
    public static RoomImpulseResponse fadeOut(RoomImpulseResponse rir, double maxSeconds, double fadeSeconds) {
        int len = (int) Math.min(rir.length(), Math.round(maxSeconds * rir.sampleRate()));
        int fade = (int) Math.min(len, Math.round(fadeSeconds * rir.sampleRate()));
        return rir.map((s, o, h) -> {
            float[] r = java.util.Arrays.copyOf(h, len);
            for (int i = 0; i < fade; i++) {
                int k = len - fade + i;
                r[k] *= (float) (0.5 * (1 + Math.cos(Math.PI * (i + 1) / (fade + 1))));
            }
            return r;
        });
    }

    /** Scales the set so its peak or mean source energy is {@code targetDb} (dBFS, or dB re unit energy). */
    public static RoomImpulseResponse normalize(RoomImpulseResponse rir, Normalization mode, double targetDb) {
        double current;
        if (mode == Normalization.PEAK) {
            double p = 0;
            for (float[][] row : rir.matrix()) for (float[] h : row) if (h != null) for (float v : h) p = Math.max(p, Math.abs(v));
            current = 20 * Math.log10(p);
        } else {
            current = 10 * Math.log10(meanSourceEnergy(rir));
        }
        if (Double.isInfinite(current)) throw new IllegalArgumentException("IR set is silent");
        float gain = (float) Math.pow(10, (targetDb - current) / 20);
        return rir.map((s, o, h) -> {
            float[] r = new float[h.length];
            for (int i = 0; i < h.length; i++) r[i] = h[i] * gain;
            return r;
        });
    }

    /** Mean over sources of {@code sum_o sum_n h[s][o][n]^2}. */
    public static double meanSourceEnergy(RoomImpulseResponse rir) {
        double total = 0;
        for (float[][] row : rir.matrix()) {
            for (float[] h : row) {
                if (h == null) continue;
                for (float v : h) total += (double) v * v;
            }
        }
        return total / rir.sources();
    }

    /**
     * Splits at {@code splitSeconds} after the onset into early and late parts that sum exactly to the input, with
     * a complementary raised-cosine cross-fade of {@code crossfadeSeconds} centred on the split.
     * Returns {early, late}.
     */
    public static RoomImpulseResponse[] splitEarlyLate(RoomImpulseResponse rir, double splitSeconds, double crossfadeSeconds) {
        int rate = rir.sampleRate();
        int centre = onset(rir) + (int) Math.round(splitSeconds * rate);
        int half = (int) Math.round(crossfadeSeconds * rate / 2);
        RoomImpulseResponse early = rir.map((s, o, h) -> {
            float[] r = new float[h.length];
            for (int i = 0; i < h.length; i++) r[i] = (float) (h[i] * earlyWeight(i, centre, half));
            return r;
        });
        RoomImpulseResponse late = rir.map((s, o, h) -> {
            float[] r = new float[h.length];
            float[] e = early.ir(s, o);
            for (int i = 0; i < h.length; i++) r[i] = h[i] - e[i];
            return r;
        });
        return new RoomImpulseResponse[] {early, late};
    }

    private static double earlyWeight(int i, int centre, int half) {
        if (half == 0) return i < centre ? 1 : 0;
        if (i <= centre - half) return 1;
        if (i >= centre + half) return 0;
        double x = (i - (centre - half)) / (2.0 * half);
        return 0.5 * (1 + Math.cos(Math.PI * x));
    }

    /**
     * Lengthens or shortens the decay per octave band: {@code factors[b]} multiplies the reverberation time of
     * band {@link RoomAcousticsAnalysis#BANDS}[b] (1 keeps it, 0.5 halves it). Each IR's own T30 (T20 where T30
     * is out of range) is measured, and its STFT is weighted from the onset on by
     * {@code exp(-3 ln 10 t (1/T_new - 1/T_old))}, the exponent interpolated over log frequency between band
     * centres. Octave-band filters overlap, so the measured T30 of a band leans toward a longer-decaying
     * neighbour: factors that jump between adjacent bands are met only approximately; smooth curves closely. Factors above 1 also raise the noise floor; keep them moderate on noisy IRs.
     */
    public static RoomImpulseResponse reshapeDecay(RoomImpulseResponse rir, double[] factors) {
        if (factors.length != RoomAcousticsAnalysis.BANDS.length) {
            throw new IllegalArgumentException("need " + RoomAcousticsAnalysis.BANDS.length + " band factors (125 Hz to 8 kHz)");
        }
        for (double f : factors) if (!(f > 0.05 && f < 20)) throw new IllegalArgumentException("decay factor out of range: " + f);
        int rate = rir.sampleRate();
        int onset = onset(rir);
        return rir.map((s, o, h) -> {
            RoomAcousticsAnalysis.Result res = RoomAcousticsAnalysis.analyze(h, rate);
            double[] centres = new double[res.bands.size()];
            double[] extra = new double[res.bands.size()]; // extra energy decay rate (per second, in 3 ln10 units)
            for (int b = 0; b < centres.length; b++) {
                RoomAcousticsAnalysis.BandResult br = res.bands.get(b);
                double t = Double.isNaN(br.t30) ? br.t20 : br.t30;
                if (Double.isNaN(t)) t = br.edt;
                int fi = java.util.Arrays.binarySearch(RoomAcousticsAnalysis.BANDS, br.band);
                centres[b] = br.band;
                extra[b] = Double.isNaN(t) ? 0 : 1 / (t * factors[fi]) - 1 / t;
            }
            int nFft = 1024;
            int hop = 256;
            Stft stft = new Stft(nFft, hop);
            Spectrogram spec = stft.analyze(h);
            int bins = stft.bins();
            double[] rateAt = new double[bins];
            for (int k = 0; k < bins; k++) rateAt[k] = interpLogF(centres, extra, k * (double) rate / nFft);
            for (int f = 0; f < spec.frames(); f++) {
                double t = (f * hop - onset) / (double) rate;
                if (t <= 0) continue;
                float[] re = spec.re(f);
                float[] im = spec.im(f);
                for (int k = 0; k < bins; k++) {
                    float g = (float) Math.exp(-3 * Math.log(10) * t * rateAt[k]);
                    re[k] *= g;
                    im[k] *= g;
                }
            }
            return stft.synthesize(spec, h.length);
        });
    }

    /** Linear interpolation over log frequency, constant beyond the first and last points. */
    static double interpLogF(double[] f, double[] v, double at) {
        if (at <= f[0]) return v[0];
        if (at >= f[f.length - 1]) return v[v.length - 1];
        for (int i = 1; i < f.length; i++) {
            if (at <= f[i]) {
                double x = Math.log(at / f[i - 1]) / Math.log(f[i] / f[i - 1]);
                return v[i - 1] + x * (v[i] - v[i - 1]);
            }
        }
        return v[v.length - 1];
    }
}
