package org.stemroom.spatial;

import java.util.Arrays;
import java.util.Locale;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.dsp.BiquadCascade;
import org.stemroom.core.dsp.LinkwitzRiley;
import org.stemroom.core.dsp.Stft;
import org.stemroom.core.dsp.Window;

/**
 * Stereo to 5.1 / 7.1 / 7.1.4 upmix in the STFT domain, without source separation.
 *
 * <h2>Per bin and frame</h2>
 * <ol>
 *   <li><b>Direct and diffuse.</b> The inter-channel coherence {@code phi = |<L R*>| / sqrt(<|L|²> <|R|²>)}
 *       (Avendano &amp; Jot, "A frequency-domain approach to multichannel upmix", JAES 52(7/8), 2004), from
 *       cross-spectra smoothed over time (about 100 ms) and over three bins, splits each bin in energy: the
 *       diffuse share {@code a = sqrt(1 - phi)} is ambience, the rest direct sound. Below 300 Hz the ambience is
 *       faded out of the surrounds (none below 100 Hz): bass stays in front.</li>
 *   <li><b>Centre.</b> The part common to both channels goes to C. With the mid {@code M = (L+R)/2} and, from
 *       the smoothed powers, {@code h = min(1, sqrt(min(<|L|²>, <|R|²>) / <|M|²>))} (powers smoothed over 300 ms here),
 *       {@code C = sqrt2 · centre · h^(1/frontWidth) · M}. For a source panned with gains (gL, gR), gL ≥ gR, this
 *       is {@code sqrt2 · gR}: exactly what makes {@code L - 0.7071 C} keep only the excess {@code gL - gR} and
 *       {@code R - 0.7071 C} nothing, so <em>centred content leaves L and R entirely</em> instead of being copied
 *       to C as well. Smoothed powers (rather than each frame's magnitudes) keep other sources in the same bin
 *       from biasing h by how they happen to add in phase. Anti-phase content has no mid and stays in L/R.</li>
 *   <li><b>Surrounds.</b> {@code Ls = s · a · L}, {@code Rs = s · a · R} (s = surround level), delayed by the
 *       surround delay. In 7.1 the side and the back pair share that power equally, the back pair 7 ms later and through
 *       velvet-noise decorrelators (in exact mode: undelayed and identical, so that they fold back exactly).
 *       In 7.1.4 each side's ambience is shared in power by four speakers (side, back, top front, top rear; 0.5
 *       each): heights carry ambience only, never direct sound, as in the usual "height from reverb" practice,
 *       the top front 3 ms and the top rear 10 ms after the side, all but the side decorrelated.</li>
 *   <li><b>Fronts</b>, in the time domain from the input delayed by the latency. Default mode:
 *       {@code L' = L - 0.7071 C - t·Ls0} with Ls0 the surround before its delay and
 *       {@code t = (1 - sqrt(1 - s²/2)) / s}: for a diffuse bin the fold-down {@code L' + 0.7071 C + 0.7071 Ls}
 *       then has the input's energy (the delayed surround adds in power; t is computed from the layout's
 *       fold-down gains, so 7.1.4, whose top rears fold in at -6 dB, keeps it too). Exact fold-down mode:
 *       {@code L' = L - 0.7071 C - (what the fold-down adds back from each ambience speaker)}, so the ITU-R BS.775 fold-down
 *       {@link FoldDown} of the output equals the input (delayed by the latency) to float rounding. The surround
 *       delay is then 0: a delayed surround subtracted from the front would comb-filter the ambience.</li>
 *   <li><b>LFE</b> (optional): Linkwitz-Riley 4th-order low-pass of {@code (L+R)/2} at the crossover, recorded
 *       10 dB below its in-band playback level; the mains stay full-range unless the high-pass on the mains is
 *       chosen (not with exact fold-down, which needs the bass in the mains). The LFE is not part of the
 *       fold-down.</li>
 *   <li><b>No clipping from the upmix.</b> Loud centred content (mastered music has its bass and vocals in the
 *       middle near full scale) makes {@code C = sqrt2 · common} exceed full scale. A peak limiter with
 *       instant attack and 50 ms release keeps C below -0.3 dBFS, and the fronts are formed from the limited C,
 *       so in exact mode what C gives up returns to L/R and the fold-down stays exact.</li>
 * </ol>
 * STFT: periodic Hann, 4096 points at 44.1/48 kHz (scaled with the rate), hop half of that (as ffmpeg's surround filter); latency
 * {@link #latencyFrames()} = the FFT size. {@link #process} does not allocate; any block size.
 */
public final class StereoUpmixer implements AudioProcessor {

    /** The user's controls; immutable. */
    public static final class Settings {
        public final SpeakerLayout layout;
        public final double centre;
        public final double frontWidth;
        public final double surroundDb;
        public final double surroundDelayMs;
        public final boolean lfe;
        public final double lfeCrossoverHz;
        public final double lfeLevelDb;
        public final boolean highPassMains;
        public final boolean exactFoldDown;

        private Settings(SpeakerLayout layout, double centre, double frontWidth, double surroundDb,
                         double surroundDelayMs, boolean lfe, double lfeCrossoverHz, double lfeLevelDb,
                         boolean highPassMains, boolean exactFoldDown) {
            if (layout != SpeakerLayout.SURROUND_5_1 && layout != SpeakerLayout.SURROUND_7_1
                    && layout != SpeakerLayout.SURROUND_7_1_4) {
                throw new IllegalArgumentException("the upmixer writes 5.1, 7.1 or 7.1.4, not " + layout.name());
            }
            range("centre", centre, 0, 1);
            range("front width", frontWidth, 0.05, 1);
            range("surround level (dB)", surroundDb, -60, 6);
            range("surround delay (ms)", surroundDelayMs, 0, MAX_DELAY_MS);
            range("LFE crossover (Hz)", lfeCrossoverHz, 40, 250);
            range("LFE level (dB)", lfeLevelDb, -40, 10);
            if (highPassMains && exactFoldDown) {
                throw new IllegalArgumentException("the high-pass on the mains and exact fold-down exclude each other:"
                        + " the fold-down leaves the LFE out, so the mains must keep their bass");
            }
            if (highPassMains && !lfe) throw new IllegalArgumentException("the high-pass on the mains needs the LFE");
            this.layout = layout;
            this.centre = centre;
            this.frontWidth = frontWidth;
            this.surroundDb = surroundDb;
            this.surroundDelayMs = surroundDelayMs;
            this.lfe = lfe;
            this.lfeCrossoverHz = lfeCrossoverHz;
            this.lfeLevelDb = lfeLevelDb;
            this.highPassMains = highPassMains;
            this.exactFoldDown = exactFoldDown;
        }

        private static void range(String what, double v, double lo, double hi) {
            if (!(v >= lo && v <= hi)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s %s outside %s..%s", what, v, lo, hi));
            }
        }

        /** 5.1, full centre extraction, full front width, surrounds -3 dB 10 ms later, LFE at 120 Hz 0 dB. */
        public static Settings defaults() {
            return new Settings(SpeakerLayout.SURROUND_5_1, 1.0, 1.0, -3, 10, true, 120, 0, false, false);
        }

        public Settings withLayout(SpeakerLayout l) { return new Settings(l, centre, frontWidth, surroundDb, surroundDelayMs, lfe, lfeCrossoverHz, lfeLevelDb, highPassMains, exactFoldDown); }
        public Settings withCentre(double c) { return new Settings(layout, c, frontWidth, surroundDb, surroundDelayMs, lfe, lfeCrossoverHz, lfeLevelDb, highPassMains, exactFoldDown); }
        public Settings withFrontWidth(double w) { return new Settings(layout, centre, w, surroundDb, surroundDelayMs, lfe, lfeCrossoverHz, lfeLevelDb, highPassMains, exactFoldDown); }
        public Settings withSurroundDb(double db) { return new Settings(layout, centre, frontWidth, db, surroundDelayMs, lfe, lfeCrossoverHz, lfeLevelDb, highPassMains, exactFoldDown); }
        public Settings withSurroundDelayMs(double ms) { return new Settings(layout, centre, frontWidth, surroundDb, ms, lfe, lfeCrossoverHz, lfeLevelDb, highPassMains, exactFoldDown); }
        public Settings withLfe(boolean on) { return new Settings(layout, centre, frontWidth, surroundDb, surroundDelayMs, on, lfeCrossoverHz, lfeLevelDb, highPassMains && on, exactFoldDown); }
        public Settings withLfeCrossoverHz(double hz) { return new Settings(layout, centre, frontWidth, surroundDb, surroundDelayMs, lfe, hz, lfeLevelDb, highPassMains, exactFoldDown); }
        public Settings withLfeLevelDb(double db) { return new Settings(layout, centre, frontWidth, surroundDb, surroundDelayMs, lfe, lfeCrossoverHz, db, highPassMains, exactFoldDown); }
        public Settings withHighPassMains(boolean on) { return new Settings(layout, centre, frontWidth, surroundDb, surroundDelayMs, lfe, lfeCrossoverHz, lfeLevelDb, on, exactFoldDown); }
        public Settings withExactFoldDown(boolean on) { return new Settings(layout, centre, frontWidth, surroundDb, surroundDelayMs, lfe, lfeCrossoverHz, lfeLevelDb, highPassMains, on); }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s centre %.2f width %.2f surround %.1f dB %.1f ms, LFE %s%s%s",
                    layout.name(), centre, frontWidth, surroundDb, exactFoldDown ? 0 : surroundDelayMs,
                    lfe ? String.format(Locale.ROOT, "%.0f Hz %.1f dB", lfeCrossoverHz, lfeLevelDb) : "off",
                    highPassMains ? ", mains high-passed" : "", exactFoldDown ? ", exact fold-down" : "");
        }
    }

    /**
     * Time constant of the powers that decide the centre share h (the coherence uses 100 ms). Measured on the
     * bench mix (a centred voice among a hard-left guitar, half-right keys and ambience), voice gain in C:
     * 10 ms 0.956, 30 ms 0.961, 100 ms 0.969, 300 ms 0.971, 1 s 0.970: longer averaging lets brief overlaps of
     * other sources in a bin bias h less; 300 ms still follows a re-panned source within a phrase.
     */
    static final double CENTRE_SMOOTHING_SECONDS = 0.3;
    static final double MAX_DELAY_MS = 50;
    private static final double BACK_EXTRA_DELAY_MS = 7;
    private static final double HEIGHT_EXTRA_DELAY_MS = 3;
    private static final float SQRT_HALF = (float) Math.sqrt(0.5);
    /**
     * The surrounds take no ambience below SURROUND_LOW_HZ, all of it above SURROUND_FULL_HZ (raised cosine over
     * log frequency between): low frequencies are not localised anyway, and a delayed low-frequency surround would
     * comb-filter the bass of the fold-down (a 10 ms delay cancels at 50 Hz).
     */
    static final double SURROUND_LOW_HZ = 100;
    static final double SURROUND_FULL_HZ = 300;
    private static final float CENTRE_CEILING = (float) Math.pow(10, -0.3 / 20);

    private final Settings settings;
    private final boolean sevenOne;
    private final boolean heights;
    // ambience outputs: output channel, side (0 left, 1 right), amplitude share of the side's ambience, delay,
    // decorrelator (null: none) and BS.775 fold-down gain into its side
    private int[] ambCh, ambSide, ambDelay;
    private float[] ambW, ambFold;
    private VelvetDecorrelator[] ambDec;
    private float[] xDelayedL, xDelayedR, foldL, foldR; // scratch of one emit: delayed input, ambience fold-down

    private AudioFormat outFormat;
    private int nFft;
    private int hop;
    private int bins;
    private Stft stft;
    private Stft.Analyzer anaL;
    private Stft.Analyzer anaR;
    // synthesizers: 0 C, 1 left surround, 2 right surround
    private Stft.Synthesizer[] synth;
    // spectra interleaved (re, im of bin k at 2k, 2k+1; see Stft.Analyzer#pullInterleaved): the inputs, the
    // centre and one ambience channel; the last two are transformed back in place
    private float[] xl, xr, cSpec, oSpec;
    private float[] aMask, surroundWeight;
    private float frontTrim;
    // smoothed spectra, one bin of padding (always 0) at each end: bin k is at index k + 1 (see directAndCentre)
    private double[] pll, prr, plrRe, plrIm;
    private double smooth;
    private double smoothC;
    private double[] cll, crr, clr;
    // output FIFOs of the STFT paths, one per synthesizer
    private float[][] fifo;
    private int fifoLen;
    // time-domain paths
    private float[][] inDelay;   // input delayed by the latency (exact fronts, LFE)
    private int inDelayPos;
    private float[][] surDelay;  // surround delay lines: left side, right side, left back, right back
    private int surDelayPos;
    private int surDelayFrames;
    private int surroundDelayCapacity;
    private int backDelayFrames;
    private BiquadCascade lfeLow;
    private BiquadCascade[] mainsHigh;
    private float[] block;      // scratch
    private float lfeGain;
    private float surroundGain;
    private float limiterEnv;
    private float limiterRelease;
    private int latency;
    private long limitedSamples;

    public StereoUpmixer(Settings settings) {
        this.settings = settings;
        this.sevenOne = settings.layout == SpeakerLayout.SURROUND_7_1;
        this.heights = settings.layout == SpeakerLayout.SURROUND_7_1_4;
    }

    public Settings settings() { return settings; }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        if (inputFormat.channels() != 2) {
            throw new IllegalArgumentException("the upmixer takes stereo, not " + inputFormat.channels() + " channels");
        }
        int fs = inputFormat.sampleRate();
        outFormat = new AudioFormat(fs, settings.layout.channelLayout());
        nFft = Integer.highestOneBit((int) Math.round(4096 * fs / 48000.0 * 1.4)); // 4096 at 44.1/48 kHz
        nFft = Math.max(512, nFft);
        hop = nFft / 2;
        bins = nFft / 2 + 1;
        stft = new Stft(nFft, hop, Window.hann(nFft));
        anaL = stft.newAnalyzer();
        anaR = stft.newAnalyzer();
        int paths = 3;
        synth = new Stft.Synthesizer[paths];
        for (int i = 0; i < paths; i++) synth[i] = stft.newSynthesizer();
        xl = new float[nFft + 2]; xr = new float[nFft + 2]; cSpec = new float[nFft + 2]; oSpec = new float[nFft + 2];
        aMask = new float[bins];
        pll = new double[bins + 2]; prr = new double[bins + 2]; plrRe = new double[bins + 2]; plrIm = new double[bins + 2];
        smooth = Math.exp(-hop / (0.1 * fs));
        smoothC = Math.exp(-hop / (CENTRE_SMOOTHING_SECONDS * fs));
        cll = new double[bins + 2]; crr = new double[bins + 2]; clr = new double[bins + 2];
        surroundWeight = new float[bins];
        for (int k = 0; k < bins; k++) {
            double f = k * (double) fs / nFft;
            double t = f <= SURROUND_LOW_HZ ? 0 : f >= SURROUND_FULL_HZ ? 1
                    : Math.log(f / SURROUND_LOW_HZ) / Math.log(SURROUND_FULL_HZ / SURROUND_LOW_HZ);
            surroundWeight[k] = (float) (0.5 - 0.5 * Math.cos(Math.PI * t));
        }
        fifo = new float[paths][3 * hop];
        latency = nFft; // analysis/synthesis nFft - hop, plus one hop of FIFO so any block size can be served
        inDelay = new float[2][latency];
        double delayMs = settings.exactFoldDown ? 0 : settings.surroundDelayMs;
        surDelayFrames = (int) Math.round(delayMs * fs / 1000);
        backDelayFrames = settings.exactFoldDown ? surDelayFrames
                : (int) Math.round((delayMs + BACK_EXTRA_DELAY_MS) * fs / 1000);
        surroundDelayCapacity = (int) Math.ceil((MAX_DELAY_MS + BACK_EXTRA_DELAY_MS + HEIGHT_EXTRA_DELAY_MS) * fs / 1000) + 1;
        // room for the longest delay plus one hop: emit writes a whole block into the ring before reading it back
        surDelay = new float[2][surroundDelayCapacity + hop];
        xDelayedL = new float[hop]; xDelayedR = new float[hop]; foldL = new float[hop]; foldR = new float[hop];
        int heightDelay = settings.exactFoldDown ? surDelayFrames
                : (int) Math.round((delayMs + HEIGHT_EXTRA_DELAY_MS) * fs / 1000);
        int heightBackDelay = settings.exactFoldDown ? surDelayFrames
                : (int) Math.round((delayMs + BACK_EXTRA_DELAY_MS + HEIGHT_EXTRA_DELAY_MS) * fs / 1000);
        boolean dec = !settings.exactFoldDown;
        FoldDown fold = new FoldDown(settings.layout, FoldDown.Mode.LO_RO);
        java.util.List<int[]> amb = new java.util.ArrayList<>(); // {channel, side, delay, seed (0 = none)}
        double w;
        if (heights) {
            // 7.1.4 WAV order L R C LFE Ls Rs (back) Lss Rss (side) Ltf Rtf Ltr Rtr: the ambience of each side shared
            // in power by its side, back, top-front and top-rear speakers
            w = 0.5;
            amb.add(new int[] {6, 0, surDelayFrames, 0});
            amb.add(new int[] {7, 1, surDelayFrames, 0});
            amb.add(new int[] {4, 0, backDelayFrames, dec ? 3 : 0});
            amb.add(new int[] {5, 1, backDelayFrames, dec ? 4 : 0});
            amb.add(new int[] {8, 0, heightDelay, dec ? 5 : 0});
            amb.add(new int[] {9, 1, heightDelay, dec ? 6 : 0});
            amb.add(new int[] {10, 0, heightBackDelay, dec ? 7 : 0});
            amb.add(new int[] {11, 1, heightBackDelay, dec ? 8 : 0});
        } else if (sevenOne) {
            // 7.1 in WAV order: L R C LFE Ls Rs (back, 135°) Lss Rss (side, 90°)
            w = SQRT_HALF;
            amb.add(new int[] {6, 0, surDelayFrames, 0});
            amb.add(new int[] {7, 1, surDelayFrames, 0});
            amb.add(new int[] {4, 0, backDelayFrames, dec ? 3 : 0});
            amb.add(new int[] {5, 1, backDelayFrames, dec ? 4 : 0});
        } else {
            w = 1;
            amb.add(new int[] {4, 0, surDelayFrames, 0});
            amb.add(new int[] {5, 1, surDelayFrames, 0});
        }
        int na = amb.size();
        ambCh = new int[na]; ambSide = new int[na]; ambDelay = new int[na];
        ambW = new float[na]; ambFold = new float[na];
        ambDec = new VelvetDecorrelator[na];
        double foldPower = 0; // sum over one side's ambience outputs of (fold-down gain x share)^2
        for (int i = 0; i < na; i++) {
            int[] a = amb.get(i);
            ambCh[i] = a[0];
            ambSide[i] = a[1];
            ambDelay[i] = a[2];
            ambW[i] = (float) w;
            ambFold[i] = (float) fold.gain(a[1], a[0]);
            // incoherent with the sides, so that side and back (and heights) add in power in the fold-down
            ambDec[i] = a[3] == 0 ? null : new VelvetDecorrelator(fs, 0x5EED_0000L + a[3]);
            if (a[1] == 0) foldPower += (double) ambFold[i] * ambFold[i] * w * w;
        }
        if (settings.lfe) {
            LinkwitzRiley lr = new LinkwitzRiley(fs, settings.lfeCrossoverHz);
            lfeLow = lr.lowPass().copy();
            if (settings.highPassMains) {
                mainsHigh = new BiquadCascade[settings.layout.channelCount()];
                for (int c = 0; c < mainsHigh.length; c++) mainsHigh[c] = lr.highPass().copy();
            }
        }
        lfeGain = (float) Math.pow(10, (settings.lfeLevelDb - StemPlacement.LFE_PLAYBACK_GAIN_DB) / 20);
        surroundGain = (float) Math.pow(10, settings.surroundDb / 20);
        // A fully diffuse bin (a = 1) whose surround copies of s·L are delayed folds down as (1 - t·s)·L plus
        // s·L·sqrt(G) uncorrelated, G = sum of (fold-down gain x share)² over the side's ambience speakers (1/2 in
        // 5.1 and 7.1, 7/16 in 7.1.4): equal power to the input when t·s = 1 - sqrt(1 - G s²).
        double sg = surroundGain;
        frontTrim = (float) ((1 - Math.sqrt(Math.max(0, 1 - foldPower * sg * sg))) / sg);
        limiterRelease = (float) Math.exp(-1.0 / (0.05 * fs));
        block = new float[Math.max(maxBlockFrames, 1)];
        reset();
    }

    @Override
    public int latencyFrames() { return latency; }

    @Override
    public long tailFrames() { return latency + surroundDelayCapacity; }

    /** Samples of the centre channel the limiter has turned down since {@link #reset()}. */
    public long limitedSamples() { return limitedSamples; }

    @Override
    public void reset() {
        anaL.reset();
        anaR.reset();
        for (Stft.Synthesizer s : synth) s.reset();
        Arrays.fill(pll, 0); Arrays.fill(prr, 0); Arrays.fill(plrRe, 0); Arrays.fill(plrIm, 0);
        Arrays.fill(cll, 0); Arrays.fill(crr, 0); Arrays.fill(clr, 0);
        for (float[] f : fifo) Arrays.fill(f, 0f);
        fifoLen = hop; // one hop of silence: see latency
        for (float[] d : inDelay) Arrays.fill(d, 0f);
        inDelayPos = 0;
        for (float[] d : surDelay) Arrays.fill(d, 0f);
        surDelayPos = 0;
        if (lfeLow != null) lfeLow.reset();
        for (VelvetDecorrelator d : ambDec) if (d != null) d.reset();
        if (mainsHigh != null) for (BiquadCascade b : mainsHigh) b.reset();
        limiterEnv = 0;
        limitedSamples = 0;
    }

    @Override
    public AudioFormat outputFormat() {
        if (outFormat == null) throw new IllegalStateException("prepare first");
        return outFormat;
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        if (input == output) throw new IllegalArgumentException("the upmixer cannot process in place (2 -> 6/8 channels)");
        int n = input.frames();
        output.setFrames(n);
        float[] l = input.channel(0);
        float[] r = input.channel(1);
        int done = 0;
        while (done < n) {
            // feed the analyzers until they want a frame pulled, run every complete frame, then emit what we have
            int off = done;
            int len = n - done;
            int takenL = anaL.push(l, off, len);
            anaR.push(r, off, takenL);
            while (anaL.pullInterleaved(xl)) {
                anaR.pullInterleaved(xr);
                processFrame();
            }
            emit(input, output, done, takenL);
            done += takenL;
        }
    }

    /**
     * Writes output frames [off, off+len) from the FIFOs and the time-domain paths; len is at most one hop (the
     * analyzers take no more before the next frame). Each path is its own loop over the block, in the order and with
     * the float operations of the per-sample form they replace (same bits): small loops the JIT compiles once and
     * cheaply, and that it can vectorise, where one per-sample loop over every path was the upmix's largest
     * compilation (compiled on-stack-replaced and again normally).
     */
    private void emit(AudioBuffer input, AudioBuffer output, int off, int len) {
        // the FIFOs hold at least len samples: they started with one hop and gain one hop per hop pushed
        delayInput(input.channel(0), off, len, 0, xDelayedL);
        delayInput(input.channel(1), off, len, 1, xDelayedR);
        inDelayPos = (inDelayPos + len) % latency;
        float[] c = output.channel(2);
        limitCentre(fifo[0], c, off, len);
        int dl = surDelay[0].length;
        writeRing(surDelay[0], surDelayPos, fifo[1], len);
        writeRing(surDelay[1], surDelayPos, fifo[2], len);
        Arrays.fill(foldL, 0, len, 0f);
        Arrays.fill(foldR, 0, len, 0f);
        for (int q = 0; q < ambCh.length; q++) {
            float[] v = output.channel(ambCh[q]);
            int rd = surDelayPos - ambDelay[q];
            if (rd < 0) rd += dl;
            readRing(surDelay[ambSide[q]], rd, v, off, len);
            scale(v, off, len, ambW[q]);
            if (ambDec[q] != null) ambDec[q].process(v, v, off, len);
            addScaled(ambSide[q] == 0 ? foldL : foldR, v, off, len, ambFold[q]);
        }
        surDelayPos = (surDelayPos + len) % dl;
        if (settings.exactFoldDown) {
            // minus exactly what the BS.775 fold-down adds back from C and the ambience speakers
            fronts(xDelayedL, c, off, foldL, 0, 1f, output.channel(0), len);
            fronts(xDelayedR, c, off, foldR, 0, 1f, output.channel(1), len);
        } else {
            // the surround signal before its delay, scaled so that the fold-down keeps the input's power
            fronts(xDelayedL, c, off, fifo[1], 0, frontTrim, output.channel(0), len);
            fronts(xDelayedR, c, off, fifo[2], 0, frontTrim, output.channel(1), len);
        }
        float[] lfeOut = output.channel(3);
        if (lfeLow != null) lfe(lfeOut, off, len);
        else Arrays.fill(lfeOut, off, off + len, 0f);
        if (mainsHigh != null) {
            for (int ch = 0; ch < output.channels(); ch++) {
                if (ch == 3) continue;
                mainsHigh[ch].process(output.channel(ch), off, len);
            }
        }
        // drop what was used from the FIFOs
        int rest = fifoLen - len;
        for (float[] f : fifo) System.arraycopy(f, len, f, 0, rest);
        fifoLen = rest;
    }

    /** dst[0..len) = the input {@code latency} frames ago; the ring then holds src[off..off+len) in its place. */
    private void delayInput(float[] src, int off, int len, int ch, float[] dst) {
        float[] ring = inDelay[ch];
        int pos = inDelayPos;
        int done = 0;
        while (done < len) {
            int m = Math.min(len - done, latency - pos);
            System.arraycopy(ring, pos, dst, done, m);
            System.arraycopy(src, off + done, ring, pos, m);
            done += m;
            pos = pos + m == latency ? 0 : pos + m;
        }
    }

    private static void writeRing(float[] ring, int pos, float[] src, int len) {
        int m = Math.min(len, ring.length - pos);
        System.arraycopy(src, 0, ring, pos, m);
        System.arraycopy(src, m, ring, 0, len - m);
    }

    private static void readRing(float[] ring, int pos, float[] dst, int off, int len) {
        int m = Math.min(len, ring.length - pos);
        System.arraycopy(ring, pos, dst, off, m);
        System.arraycopy(ring, 0, dst, off + m, len - m);
    }

    private static void scale(float[] x, int off, int len, float g) {
        for (int i = off; i < off + len; i++) x[i] *= g;
    }

    private static void addScaled(float[] acc, float[] x, int off, int len, float g) {
        for (int j = 0; j < len; j++) acc[j] += g * x[off + j];
    }

    /** out = x - 0.7071 C - g·sub, in that order of float operations. */
    private static void fronts(float[] x, float[] c, int off, float[] sub, int subOff, float g, float[] out, int len) {
        for (int j = 0; j < len; j++) out[off + j] = x[j] - SQRT_HALF * c[off + j] - g * sub[subOff + j];
    }

    /** The centre with its limiter: instant attack, exponential release, ceiling CENTRE_CEILING. */
    private void limitCentre(float[] src, float[] c, int off, int len) {
        float env = limiterEnv;
        float rel = limiterRelease;
        long limited = 0;
        for (int j = 0; j < len; j++) {
            float cv = src[j];
            float a = Math.abs(cv);
            float e = env * rel;
            env = a >= e || a != a ? a : e; // Math.max(a, e), which C1 does not inline (a = |cv| is never -0)
            if (env > CENTRE_CEILING) {
                cv *= CENTRE_CEILING / env;
                if (a > CENTRE_CEILING) limited++;
            }
            c[off + j] = cv;
        }
        limiterEnv = env;
        limitedSamples += limited;
    }

    private void lfe(float[] out, int off, int len) {
        float[] xl = xDelayedL;
        float[] xr = xDelayedR;
        for (int j = 0; j < len; j++) out[off + j] = (float) lfeLow.process(0.5 * (xl[j] + xr[j])) * lfeGain;
    }

    /*
     * One STFT frame, in small methods of one loop each: a one-minute job invokes them about 1400 times, and the
     * JIT compiles a small method once, cheaply, where one method holding all the loops was compiled three times
     * (twice on-stack-replaced) at about a quarter of a second of compiler time each. Same arithmetic, same bits.
     */
    private void processFrame() {
        smoothSpectra(0, bins);
        directAndCentre(0, bins);
        int at = fifoLen;
        synth[0].pushInterleaved(cSpec, fifo[0], at);
        mask(xl, 0, bins);
        synth[1].pushInterleaved(oSpec, fifo[1], at);
        mask(xr, 0, bins);
        synth[2].pushInterleaved(oSpec, fifo[2], at);
        fifoLen += hop;
    }

    private void smoothSpectra(int from, int to) {
        double a = smooth;
        double b = 1 - a;
        double ac = smoothC;
        double bc = 1 - smoothC;
        float[] sl = xl, sr = xr;
        double[] ll = pll, rr2 = prr, lrRe = plrRe, lrIm = plrIm, cl = cll, cr = crr, cx = clr;
        for (int k = from; k < to; k++) {
            double lr = sl[2 * k], li = sl[2 * k + 1], rr = sr[2 * k], ri = sr[2 * k + 1];
            int j = k + 1;
            ll[j] = a * ll[j] + b * (lr * lr + li * li);
            rr2[j] = a * rr2[j] + b * (rr * rr + ri * ri);
            lrRe[j] = a * lrRe[j] + b * (lr * rr + li * ri);
            lrIm[j] = a * lrIm[j] + b * (li * rr - lr * ri);
            cl[j] = ac * cl[j] + bc * (lr * lr + li * li);
            cr[j] = ac * cr[j] + bc * (rr * rr + ri * ri);
            cx[j] = ac * cx[j] + bc * (lr * rr + li * ri);
        }
    }

    /*
     * Per bin, sums over the bin and its two neighbours, always as ((0 + s[k-1]) + s[k]) + s[k+1] in padded indices:
     * at the ends the padding adds an exact 0 where the neighbour is missing (the powers are >= 0, and a -0 in the
     * cross terms only meets a square or a sum with non-negative powers), so the sums are those of the bins that
     * exist, and one straight loop without per-bin bounds serves every bin. Fields are read into locals once:
     * the C1 compiler, which short upmixes run on, does not hoist them. Nor does it inline Math.min(double, double)
     * (45 bytes of bytecode, over its 35-byte limit): three calls per bin. The minima are written out with Math.min's
     * result for every input, NaN included (min(1, q) is {@code 1 <= q ? 1 : q}); for min(cl, cr) only a -0 would
     * differ, and sums of squares and their smoothing are never -0.
     */
    private void directAndCentre(int from, int to) {
        double invWidth = 1.0 / settings.frontWidth;
        double gc = Math.sqrt(2) * settings.centre;
        float sg = surroundGain;
        double[] ll = pll, rr = prr, lrRe = plrRe, lrIm = plrIm, pcl = cll, pcr = crr, pcx = clr;
        float[] sl = xl, sr = xr, sw = surroundWeight, am = aMask, c = cSpec;
        for (int k = from; k < to; k++) {
            int j = k + 1;
            double sll = 0.0 + ll[j - 1] + ll[j] + ll[j + 1];
            double srr = 0.0 + rr[j - 1] + rr[j] + rr[j + 1];
            double sre = 0.0 + lrRe[j - 1] + lrRe[j] + lrRe[j + 1];
            double sim = 0.0 + lrIm[j - 1] + lrIm[j] + lrIm[j + 1];
            double den = Math.sqrt(sll * srr);
            double q = Math.sqrt(sre * sre + sim * sim) / den;
            double phi = den > 1e-20 ? (1 <= q ? 1 : q) : 1; // = Math.min(1, q), NaN included: see the comment above
            double amb = Math.sqrt(1 - phi) * sw[k];
            am[k] = (float) (sg * amb);
            // centre: the part common to both channels. h = sqrt(min(<|L|²>, <|R|²>) / <|M|²>) from the smoothed
            // powers: a source panned with gains (gL >= gR) gets sqrt2 · h · M = sqrt2 · gR · s, and sources that
            // share the bin but not the centre (uncorrelated) do not bias it the way instantaneous magnitudes would
            double mr = 0.5 * (sl[2 * k] + sr[2 * k]);
            double mi = 0.5 * (sl[2 * k + 1] + sr[2 * k + 1]);
            double cl = 0.0 + pcl[j - 1] + pcl[j] + pcl[j + 1];
            double cr = 0.0 + pcr[j - 1] + pcr[j] + pcr[j + 1];
            double cx = 0.0 + pcx[j - 1] + pcx[j] + pcx[j + 1];
            double pm = 0.25 * (cl + cr + 2 * cx);
            double hr = Math.sqrt((cl <= cr || cl != cl ? cl : cr) / pm); // min: the powers are never -0
            double h = pm > 0 ? (1 <= hr ? 1 : hr) : 0;
            if (invWidth != 1) h = Math.pow(h, invWidth);
            double g = gc * h;
            c[2 * k] = (float) (g * mr);
            c[2 * k + 1] = (float) (g * mi);
        }
    }

    /** The ambience of one input channel: its (interleaved) spectrum times the surround mask, into oSpec. */
    private void mask(float[] x, int from, int to) {
        float[] m = aMask, o = oSpec;
        for (int k = from; k < to; k++) { o[2 * k] = m[k] * x[2 * k]; o[2 * k + 1] = m[k] * x[2 * k + 1]; }
    }
}
