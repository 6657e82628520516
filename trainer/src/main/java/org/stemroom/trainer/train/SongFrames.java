package org.stemroom.trainer.train;

import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.core.dsp.Window;

/**
 * The spectral training material of one song, computed with exactly the STFT the exported model's manifest
 * declares (periodic Hann, centred frames, zero padding, as {@link org.stemroom.separation.onnx.OnnxSeparator}
 * does): per channel the mixture magnitudes, and per channel and stem the phase-sensitive target
 * {@code Re(conj(X) S) / |X|}, both multiplied by the song's loss scale {@code 1 / rms(|X|)} so every song weighs
 * the same in the loss whatever its level. A song can be taken as mono ((L+R)/2 of mixture and stems): then each
 * row's "other channel" is itself, exactly what the runner feeds for a mono master.
 */
public final class SongFrames {
    final UnmixConfig config;
    /** Raw mixture magnitudes [channel][frame][bin] (the network's input). */
    final float[][][] mag;
    /** Scaled phase-sensitive targets [channel][stem][frame][bin]. */
    final float[][][][] target;
    final float scale;
    final int frames;
    /** The model-free prior's quantised ratios [channel][stem][frame][bin] (null without a prior). */
    final byte[][][][] prior;

    /** Per channel and stem the loss weight's square root (1 without stem weighting), already in {@link #target}. */
    final float[][] gain;

    private SongFrames(UnmixConfig config, float[][][] mag, byte[][][][] prior, float[][][][] target, float scale,
                       float[][] gain) {
        this.config = config;
        this.gain = gain;
        this.mag = mag;
        this.prior = prior;
        this.target = target;
        this.scale = scale;
        this.frames = mag[0].length;
    }

    public int channels() { return mag.length; }

    public int frames() { return frames; }

    public static SongFrames of(UnmixConfig c, Song song, boolean mono) throws StemroomException {
        return of(c, song, mono, new PriorCache(null), false);
    }

    /** Song-level loss weight floor: a stem below 5 % of the mixture's energy weighs as if it had that much. */
    static final double WEIGHT_FLOOR = 0.05;

    /** As {@link #of(UnmixConfig, Song, boolean)}, the prior (if the network has one) from {@code priors}. */
    public static SongFrames of(UnmixConfig c, Song song, boolean mono, PriorCache priors) throws StemroomException {
        return of(c, song, mono, priors, false);
    }

    /**
     * As {@link #of(UnmixConfig, Song, boolean)}, the prior (if the network has one) from {@code priors}; with
     * {@code stemWeighting} each stem's target and mixture row are multiplied by {@code 1 / sqrt(max(E, floor))},
     * {@code E} the stem's mean squared target in this song and channel (the mixture's is 1 after the loss scale).
     */
    public static SongFrames of(UnmixConfig c, Song song, boolean mono, PriorCache priors, boolean stemWeighting)
            throws StemroomException {
        float[][] mix = mono ? downmix(song.mixture()) : song.mixture();
        if (mix.length < 1 || mix.length > 2) throw new StemroomException(song.id() + ": songs must be mono or stereo");
        int ch = mix.length, st = c.stems().size();
        Stft stft = new Stft(c.nFft(), c.hop(), Window.hann(c.nFft()));
        float[][][] mag = new float[ch][][];
        Spectrogram[] xs = new Spectrogram[ch];
        double sq = 0;
        long count = 0;
        for (int k = 0; k < ch; k++) {
            xs[k] = stft.analyze(mix[k], Stft.Padding.ZERO);
            int frames = xs[k].frames(), bins = xs[k].bins();
            mag[k] = new float[frames][bins];
            for (int t = 0; t < frames; t++) {
                float[] re = xs[k].re(t), im = xs[k].im(t), m = mag[k][t];
                for (int b = 0; b < bins; b++) {
                    m[b] = (float) Math.sqrt((double) re[b] * re[b] + (double) im[b] * im[b]);
                    sq += (double) m[b] * m[b];
                }
            }
            count += (long) frames * bins;
        }
        float scale = (float) (1 / Math.sqrt(Math.max(sq / Math.max(1, count), 1e-12)));
        int frames = mag[0].length, bins = c.bins();
        float[][][][] target = new float[ch][st][frames][bins];
        for (int s = 0; s < st; s++) {
            String name = c.stems().get(s);
            float[][] stem = song.stems().get(name);
            if (stem == null) throw new StemroomException(song.id() + ": stem '" + name + "' missing");
            if (mono) stem = downmix(stem);
            if (stem.length != ch || stem[0].length != mix[0].length) {
                throw new StemroomException(song.id() + ": stem '" + name + "' does not match the mixture's shape");
            }
            for (int k = 0; k < ch; k++) {
                Spectrogram sp = stft.analyze(stem[k], Stft.Padding.ZERO);
                for (int t = 0; t < frames; t++) {
                    float[] xr = xs[k].re(t), xi = xs[k].im(t), sr = sp.re(t), si = sp.im(t), m = mag[k][t];
                    float[] dst = target[k][s][t];
                    for (int b = 0; b < bins; b++) {
                        dst[b] = m[b] > 0 ? (float) (((double) xr[b] * sr[b] + (double) xi[b] * si[b]) / m[b] * scale) : 0f;
                    }
                }
            }
        }
        byte[][][][] prior = c.hasPrior() ? priors.get(c, song.id(), mix, frames) : null;
        float[][] gain = new float[ch][st];
        for (int k = 0; k < ch; k++) {
            double mixEnergy = 0;
            for (int t = 0; t < frames; t++) for (int b = 0; b < bins; b++) mixEnergy += (double) mag[k][t][b] * mag[k][t][b];
            mixEnergy *= (double) scale * scale / Math.max(1, (long) frames * bins);
            for (int s = 0; s < st; s++) {
                double e = 0;
                for (float[] row : target[k][s]) for (float v : row) e += (double) v * v;
                e /= Math.max(1, (long) frames * bins);
                gain[k][s] = stemWeighting ? (float) (1 / Math.sqrt(Math.max(e, WEIGHT_FLOOR * mixEnergy))) : 1f;
                if (gain[k][s] != 1f) for (float[] row : target[k][s]) for (int b = 0; b < bins; b++) row[b] *= gain[k][s];
            }
        }
        return new SongFrames(c, mag, prior, target, scale, gain);
    }

    static float[][] downmix(float[][] x) {
        if (x.length == 1) return x;
        float[] m = new float[x[0].length];
        for (int i = 0; i < m.length; i++) m[i] = 0.5f * (x[0][i] + x[1][i]);
        return new float[][] {m};
    }

    /** Writes row (channel, frame) into batch slot {@code r}. */
    void fill(int ch, int t, TrainingSession.Batch b, int r) {
        UnmixConfig c = config;
        int bins = c.bins(), f = c.featureFrames(), st = c.stems().size();
        UnmixNet.gatherRow(c, mag, prior, ch, t, b.mags(), r * f * bins);
        float[] m = mag[ch][t];
        for (int s = 0; s < st; s++) {
            int mo = (r * st + s) * bins;
            float g = scale * gain[ch][s];
            for (int i = 0; i < bins; i++) b.mix()[mo + i] = m[i] * g;
        }
        for (int s = 0; s < st; s++) System.arraycopy(target[ch][s][t], 0, b.target(), (r * st + s) * bins, bins);
    }
}
