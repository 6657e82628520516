package org.stemroom.separation.modelfree;

import java.util.List;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.Workspace;

/**
 * The mixture's short-time spectra shared by the model-free separators: one complex spectrogram per channel,
 * the channel-averaged magnitude the masks are estimated on, and for stereo the panning position of every
 * time-frequency bin. Masks are {@code [frame][bin]} arrays in 0..1 applied identically to every channel, so a
 * stem keeps the mixture's stereo image of the bins it takes.
 *
 * <p>All arrays come from a {@link Workspace}: a separator that passes its own gets them reused from window to
 * window (and they are valid until its next call); the plain factories use a one-off workspace.
 */
public final class SpectralMix {
    private AudioClip clip;
    private Stft stft;
    private Spectrogram[] spectra;
    private float[][] magnitude;
    private float[][] pan; // null for mono
    private double binHz;
    private Workspace ws;
    private Stft[] per;
    /** {@link #apply}'s last stems, handed back again when the next call fills the same arrays (no allocation). */
    private StemSet stems;
    /** Per channel: its analysis' batched forward FFTs and frames (kept from window to window). */
    private BatchedAnalysis[] batched = new BatchedAnalysis[0];
    private final Analysis analysis = new Analysis();
    private final Synthesis synthesis = new Synthesis();
    /** Every bin's pan, {@code (float) (Math.atan2(r, l) / (0.5 * Math.PI))} of the magnitudes, bit for bit (faster). */
    private final PanAngle panAngle = new PanAngle();

    /** Empty; {@link #init} analyses. Objects are reused from window to window through the workspace. */
    private SpectralMix() { }

    private SpectralMix init(AudioClip clip, int nFft, int hop, Workspace ws) {
        this.clip = clip;
        this.ws = ws;
        int ch = clip.channels();
        spectra = ws.spectrogramRefs(ch);
        per = ws.stftRefs(ch);
        for (int c = 0; c < ch; c++) per[c] = ws.stft(nFft, hop);
        this.stft = per[0];
        int nFrames = stft.frameCount(clip.frames());
        // every bin of every frame is written by the analysis: no zeroing needed
        for (int c = 0; c < ch; c++) spectra[c] = ws.spectrogramToOverwrite(nFrames, stft.bins());
        if (batched.length < ch) {
            batched = java.util.Arrays.copyOf(batched, ch);
            for (int c = 0; c < ch; c++) if (batched[c] == null) batched[c] = new BatchedAnalysis();
        }
        // channels in parallel, each with its own batched transform (they hold FFT scratch); deterministic either way
        org.stemroom.separation.ParallelFor.run(ch, analysis);
        int frames = spectra[0].frames();
        int bins = spectra[0].bins();
        magnitude = ws.floats(frames, bins);
        pan = ch == 2 ? ws.floats(frames, bins) : null;
        // one small method per frame (not one loop nest here): C2 compiles it once instead of on-stack, repeatedly
        for (int f = 0; f < frames; f++) {
            float[] m = magnitude[f];
            for (int c = 0; c < ch; c++) addPower(spectra[c].re(f), spectra[c].im(f), m, bins);
            // 0 = hard left, 0.5 = centre, 1 = hard right (constant-power panning angle)
            if (pan != null) panAngle.frame(spectra[0].re(f), spectra[0].im(f), spectra[1].re(f), spectra[1].im(f), pan[f], bins);
            rms(m, ch, bins);
        }
        binHz = clip.sampleRate() / (double) stft.nFft();
        return this;
    }

    private static void addPower(float[] re, float[] im, float[] m, int bins) {
        for (int b = 0; b < bins; b++) m[b] += re[b] * re[b] + im[b] * im[b];
    }

    private static void rms(float[] m, int ch, int bins) {
        for (int b = 0; b < bins; b++) m[b] = (float) Math.sqrt(m[b] / ch);
    }

    /** One channel's analysis (a long-lived loop body: no allocation per call). */
    private final class Analysis implements org.stemroom.separation.ParallelFor.Body {
        @Override
        public void run(int c) {
            batched[c].analyze(per[c], clip.channel(c), spectra[c]);
        }
    }

    /**
     * Analyses a clip with an FFT size that scales with the rate (4096 at 44.1/48 kHz, 2048 at 22.05/24 kHz) and a
     * quarter-frame hop, so time and frequency resolution in seconds and Hz are the same at every rate.
     */
    public static SpectralMix of(AudioClip clip) {
        return ofSize(clip, 4096, Workspace.oneOff());
    }

    /**
     * {@link #of(AudioClip)} with its arrays from {@code ws}; the object itself is reused too, so it (like the
     * arrays) is valid until the workspace's next rewind.
     */
    public static SpectralMix of(AudioClip clip, Workspace ws) {
        return ofSize(clip, 4096, ws);
    }

    /** Like {@link #of(AudioClip)} with {@code nFftAt44k} as the FFT size at 44.1 kHz. */
    public static SpectralMix ofSize(AudioClip clip, int nFftAt44k) {
        return ofSize(clip, nFftAt44k, Workspace.oneOff());
    }

    public static SpectralMix ofSize(AudioClip clip, int nFftAt44k, Workspace ws) {
        int n = nFftAt44k;
        while (n > 256 && clip.sampleRate() * nFftAt44k / 44100.0 < n * 0.75) n /= 2;
        while (clip.sampleRate() * nFftAt44k / 44100.0 > n * 1.5) n *= 2;
        return ws.object(SpectralMix.class, SpectralMix::new).init(clip, n, n / 4, ws);
    }

    public static SpectralMix of(AudioClip clip, int nFft, int hop) {
        return new SpectralMix().init(clip, nFft, hop, Workspace.oneOff());
    }

    /** Where the steps take their working arrays from. */
    public Workspace workspace() { return ws; }

    public AudioClip clip() { return clip; }
    public int channels() { return spectra.length; }
    public int frames() { return spectra[0].frames(); }
    public int bins() { return spectra[0].bins(); }
    public double binHz() { return binHz; }
    public double frameSeconds() { return stft.hop() / (double) clip.sampleRate(); }
    public int sampleRate() { return clip.sampleRate(); }
    public Spectrogram spectrum(int channel) { return spectra[channel]; }

    /** Channel-averaged (RMS) magnitude, {@code [frame][bin]}; do not modify. */
    public float[][] magnitude() { return magnitude; }

    /** Panning position per bin, 0 left .. 0.5 centre .. 1 right; null for mono. */
    public float[][] pan() { return pan; }

    public boolean stereo() { return pan != null; }

    public int bin(double hz) { return (int) Math.round(hz / binHz); }

    public Stft stft() { return stft; }

    /** A mask of ones (everything still available). */
    public float[][] ones() {
        float[][] m = ws.floats(frames(), bins());
        for (float[] r : m) java.util.Arrays.fill(r, 1f);
        return m;
    }

    /** Applies each mask to every channel's spectrum and returns the stems in the map's order. */
    public StemSet apply(Map<String, float[][]> masks) {
        String[] names = masks.keySet().toArray(new String[0]);
        float[][][] m = new float[names.length][][];
        for (int k = 0; k < names.length; k++) m[k] = masks.get(names[k]);
        return apply(names, m, names.length);
    }

    /**
     * Applies masks {@code masks[0..n)} to every channel's spectrum; the stems, named {@code names[0..n)}, live in
     * workspace memory (valid until its next rewind). Window after window of one shape this allocates nothing.
     */
    public StemSet apply(String[] names, float[][][] masks, int n) {
        return apply(names, masks, n, false);
    }

    /**
     * {@link #apply(String[], float[][][], int)}; with {@code remainderLast} (masks that sum to one in every bin, such
     * as a cascade's whose last stem is what the others left) the last stem is not synthesised but made the mixture
     * minus the other stems ({@link #remainder}).
     */
    public StemSet apply(String[] names, float[][][] masks, int n, boolean remainderLast) {
        int ch = channels();
        int jobs = (remainderLast ? n - 1 : n) * ch;
        float[][][] data = ws.rows(n, ch);
        Spectrogram[] tmps = ws.spectrogramRefs(jobs);
        Stft[] stfts = ws.stftRefs(jobs);
        for (int job = 0; job < n * ch; job++) data[job / ch][job % ch] = ws.floatsToOverwrite(clip.frames());
        for (int job = 0; job < jobs; job++) {
            tmps[job] = ws.spectrogramToOverwrite(frames(), bins()); // every bin written by its masked copy
            stfts[job] = ws.stft(stft.nFft(), stft.hop());
        }
        synthesis.masks = masks;
        synthesis.data = data;
        synthesis.tmps = tmps;
        synthesis.stfts = stfts;
        // every (stem, channel) pair is independent: synthesise them in parallel, each with its own STFT
        org.stemroom.separation.ParallelFor.run(jobs, synthesis);
        synthesis.masks = null;
        if (remainderLast) remainder(data, n);
        return stems(names, data, n);
    }

    /**
     * Stem {@code n - 1}'s channels ({@code data[stem][channel]}) as the mixture minus stems {@code 0..n-2}, for
     * estimates that sum to the mixture's spectrum in every bin: the synthesis is linear, so this is the last stem's
     * own synthesis up to float round-off (SpectralMixTest: within 1e-6 of the mixture's peak), for one inverse STFT
     * per channel less (a quarter of a four-stem window's syntheses). The stems then sum to the mixture to the last
     * rounding, which {@link org.stemroom.separation.MixtureConsistency} would otherwise spread.
     */
    void remainder(float[][][] data, int n) {
        float[][] others = ws.rows(n);
        for (int c = 0; c < channels(); c++) {
            for (int k = 0; k < n; k++) others[k] = data[k][c];
            org.stemroom.separation.MixtureConsistency.remainder(clip.channel(c), others, n - 1, data[n - 1][c]);
        }
    }

    /**
     * The stems {@code names[k] -> data[k]}: the previous call's set when it has these names (putting the same arrays
     * again is free), otherwise a new one.
     */
    StemSet stems(String[] names, float[][][] data, int n) {
        StemSet out = stems;
        boolean same = out != null && out.frames() == clip.frames() && out.format().equals(clip.format())
                && out.size() == n;
        for (int k = 0; same && k < n; k++) same = out.names().get(k).equals(names[k]);
        if (!same) out = new StemSet(clip.format(), clip.frames());
        for (int k = 0; k < n; k++) out.put(names[k], data[k]);
        if (ws.reuses()) stems = out;
        return out;
    }

    /** One (stem, channel) pair's masked synthesis. */
    private final class Synthesis implements org.stemroom.separation.ParallelFor.Body {
        float[][][] masks;
        float[][][] data;
        Spectrogram[] tmps;
        Stft[] stfts;

        @Override
        public void run(int job) {
            int ch = channels(), k = job / ch, c = job % ch, frames = frames(), bins = bins();
            float[][] mask = masks[k];
            Spectrogram tmp = tmps[job];
            for (int f = 0; f < frames; f++) mask(spectra[c].re(f), spectra[c].im(f), mask[f], tmp.re(f), tmp.im(f), bins);
            stfts[job].synthesize(tmp, data[k][c]);
        }
    }

    /** One frame of a channel's spectrum times a mask, into {@code or} / {@code oi}. */
    static void mask(float[] re, float[] im, float[] m, float[] or, float[] oi, int bins) {
        for (int b = 0; b < bins; b++) {
            or[b] = re[b] * m[b];
            oi[b] = im[b] * m[b];
        }
    }

    /** Names of a map's masks, in order (for callers building stem lists). */
    static List<String> names(Map<String, float[][]> masks) { return List.copyOf(masks.keySet()); }
}
