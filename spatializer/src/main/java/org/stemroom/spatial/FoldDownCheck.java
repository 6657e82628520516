package org.stemroom.spatial;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.io.IOException;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.BandEnergyLanes;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.dsp.OctaveBandFilterBank;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.core.loudness.LoudnessMeter;

/**
 * What every surround reissue must pass: fold the multichannel render down ({@link FoldDown}) and compare it
 * with the stereo reference it came from.
 *
 * <ul>
 *   <li>per octave band (IEC 61260 31.5 Hz .. 16 kHz) the level of the fold-down minus the reference's, per side
 *       and for both sides together;</li>
 *   <li>the correlation of fold-down and reference per side (after finding the delay between them, up to ±1 s,
 *       by cross-correlation);</li>
 *   <li>BS.1770 integrated loudness of both and their difference;</li>
 *   <li>clipping of the fold-down: its sample peak and the samples beyond full scale;</li>
 *   <li>mono compatibility of fold-down and reference: L/R correlation, mid/side energy ratio, and how much
 *       quieter the mono sum is than the stereo (BS.1770 of {@code 0.7071 (L+R)} against the stereo).</li>
 * </ul>
 */
public final class FoldDownCheck {
    /** Default per-band tolerance for "pass". */
    public static final double DEFAULT_TOLERANCE_DB = 1.0;
    private static final double MAX_LAG_SECONDS = 1.0;

    private FoldDownCheck() { }

    /** The measured numbers. */
    public static final class Report {
        public final String layout;
        public final String mode;
        public final int sampleRate;
        public final int lagFrames;
        public final double seconds;
        public final List<String> bands = new ArrayList<>();
        public final double[][] bandDiffDb; // [0 left, 1 right, 2 both][band]
        public final double[] correlation;  // per side
        public final double referenceLufs;
        public final double foldDownLufs;
        public final double foldDownPeakDbfs;
        public final long foldDownClipped;
        public final double foldDownLrCorrelation;
        public final double referenceLrCorrelation;
        public final double foldDownMidSideDb;
        public final double referenceMidSideDb;
        public final double foldDownMonoLossDb;
        public final double referenceMonoLossDb;
        public final double toleranceDb;

        Report(String layout, String mode, int sampleRate, int lagFrames, double seconds, double[][] bandDiffDb,
               double[] correlation, double referenceLufs, double foldDownLufs, double foldDownPeakDbfs,
               long foldDownClipped, double foldDownLrCorrelation, double referenceLrCorrelation,
               double foldDownMidSideDb, double referenceMidSideDb, double foldDownMonoLossDb,
               double referenceMonoLossDb, double toleranceDb) {
            this.layout = layout;
            this.mode = mode;
            this.sampleRate = sampleRate;
            this.lagFrames = lagFrames;
            this.seconds = seconds;
            this.bandDiffDb = bandDiffDb;
            this.correlation = correlation;
            this.referenceLufs = referenceLufs;
            this.foldDownLufs = foldDownLufs;
            this.foldDownPeakDbfs = foldDownPeakDbfs;
            this.foldDownClipped = foldDownClipped;
            this.foldDownLrCorrelation = foldDownLrCorrelation;
            this.referenceLrCorrelation = referenceLrCorrelation;
            this.foldDownMidSideDb = foldDownMidSideDb;
            this.referenceMidSideDb = referenceMidSideDb;
            this.foldDownMonoLossDb = foldDownMonoLossDb;
            this.referenceMonoLossDb = referenceMonoLossDb;
            this.toleranceDb = toleranceDb;
        }

        /** Largest absolute per-band difference over both sides and all bands with signal. */
        public double worstBandDb() {
            double w = 0;
            for (int s = 0; s < 2; s++) {
                for (double d : bandDiffDb[s]) if (Double.isFinite(d)) w = Math.max(w, Math.abs(d));
            }
            return w;
        }

        public double loudnessDiffLu() { return foldDownLufs - referenceLufs; }

        public boolean pass() {
            return worstBandDb() <= toleranceDb && foldDownClipped == 0;
        }

        public String toTable() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "fold-down %s of %s vs reference, %.1f s at %d Hz, lag %d frames%n",
                    mode, layout, seconds, sampleRate, lagFrames));
            sb.append(String.format(Locale.ROOT, "%-8s %9s %9s %9s%n", "band Hz", "left dB", "right dB", "both dB"));
            for (int b = 0; b < bands.size(); b++) {
                sb.append(String.format(Locale.ROOT, "%-8s %+9.2f %+9.2f %+9.2f%n", bands.get(b),
                        bandDiffDb[0][b], bandDiffDb[1][b], bandDiffDb[2][b]));
            }
            sb.append(String.format(Locale.ROOT, "worst band          %.2f dB (tolerance %.2f dB)%n", worstBandDb(), toleranceDb));
            sb.append(String.format(Locale.ROOT, "correlation         L %.4f  R %.4f%n", correlation[0], correlation[1]));
            sb.append(String.format(Locale.ROOT, "loudness            reference %.2f LUFS, fold-down %.2f LUFS, difference %+.2f LU%n",
                    referenceLufs, foldDownLufs, loudnessDiffLu()));
            sb.append(String.format(Locale.ROOT, "fold-down peak      %.2f dBFS, %d samples beyond full scale%n",
                    foldDownPeakDbfs, foldDownClipped));
            sb.append(String.format(Locale.ROOT, "mono compatibility  L/R correlation %.3f (reference %.3f), M/S %.1f dB (reference %.1f), "
                    + "mono sum %+.2f LU (reference %+.2f)%n", foldDownLrCorrelation, referenceLrCorrelation,
                    foldDownMidSideDb, referenceMidSideDb, foldDownMonoLossDb, referenceMonoLossDb));
            sb.append(pass() ? "PASS" : "FAIL").append(System.lineSeparator());
            return sb.toString();
        }

        /** A JSON object with every number (keys in a stable order). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layout", layout);
            m.put("mode", mode);
            m.put("sampleRate", sampleRate);
            m.put("seconds", seconds);
            m.put("lagFrames", lagFrames);
            List<Map<String, Object>> bl = new ArrayList<>();
            for (int b = 0; b < bands.size(); b++) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("band", bands.get(b));
                e.put("leftDb", finite(bandDiffDb[0][b]));
                e.put("rightDb", finite(bandDiffDb[1][b]));
                e.put("bothDb", finite(bandDiffDb[2][b]));
                bl.add(e);
            }
            m.put("bands", bl);
            m.put("worstBandDb", worstBandDb());
            m.put("toleranceDb", toleranceDb);
            m.put("correlationLeft", correlation[0]);
            m.put("correlationRight", correlation[1]);
            m.put("referenceLufs", finite(referenceLufs));
            m.put("foldDownLufs", finite(foldDownLufs));
            m.put("loudnessDiffLu", finite(loudnessDiffLu()));
            m.put("foldDownPeakDbfs", finite(foldDownPeakDbfs));
            m.put("foldDownClippedSamples", foldDownClipped);
            m.put("foldDownLrCorrelation", foldDownLrCorrelation);
            m.put("referenceLrCorrelation", referenceLrCorrelation);
            m.put("foldDownMidSideDb", finite(foldDownMidSideDb));
            m.put("referenceMidSideDb", finite(referenceMidSideDb));
            m.put("foldDownMonoSumLu", finite(foldDownMonoLossDb));
            m.put("referenceMonoSumLu", finite(referenceMonoLossDb));
            m.put("pass", pass());
            return m;
        }

        private static Object finite(double v) { return Double.isFinite(v) ? v : null; }
    }

    /** Audio the check reads from the start, block by block, and may read twice (the lag search, then the check). */
    public interface Input extends AutoCloseable {
        AudioFormat format();

        long frames();

        /** Fills {@code buf} up to its capacity; returns the frames read, 0 or less at the end. */
        int read(AudioBuffer buf) throws IOException;

        /** Positions the next read at {@code frame}. */
        void seek(long frame) throws IOException;

        @Override
        default void close() throws IOException { }
    }

    /** A clip in memory as an {@link Input}. */
    public static Input of(AudioClip clip) {
        return new Input() {
            private int pos;

            @Override public AudioFormat format() { return clip.format(); }
            @Override public long frames() { return clip.frames(); }

            @Override
            public int read(AudioBuffer buf) {
                int n = Math.min(buf.capacity(), clip.frames() - pos);
                if (n <= 0) return 0;
                buf.setFrames(n);
                for (int c = 0; c < clip.channels(); c++) System.arraycopy(clip.channel(c), pos, buf.channel(c), 0, n);
                pos += n;
                return n;
            }

            @Override public void seek(long frame) { pos = (int) Math.min(frame, clip.frames()); }
        };
    }

    /**
     * An open file as an {@link Input} (closing the input closes the reader); {@code monoAsStereo} makes a mono
     * file two equal channels (a mono master stands for a stereo reference with both sides equal).
     */
    public static Input of(AudioFileReader reader, boolean monoAsStereo) {
        boolean widen = monoAsStereo && reader.format().channels() == 1;
        AudioFormat f = widen ? new AudioFormat(reader.format().sampleRate(), ChannelLayout.STEREO) : reader.format();
        return new Input() {
            private AudioBuffer mono;

            @Override public AudioFormat format() { return f; }
            @Override public long frames() { return reader.frames(); }

            @Override
            public int read(AudioBuffer buf) throws IOException {
                if (!widen) {
                    buf.setFrames(buf.capacity());
                    return reader.read(buf);
                }
                if (mono == null || mono.capacity() != buf.capacity()) mono = new AudioBuffer(1, buf.capacity());
                mono.setFrames(mono.capacity());
                int n = reader.read(mono);
                if (n <= 0) return n;
                buf.setFrames(n);
                System.arraycopy(mono.channel(0), 0, buf.channel(0), 0, n);
                System.arraycopy(mono.channel(0), 0, buf.channel(1), 0, n);
                return n;
            }

            @Override public void seek(long frame) throws IOException { reader.seek(frame); }
            @Override public void close() throws IOException { reader.close(); }
        };
    }

    /**
     * Folds {@code surround} (laid out as {@code layout}) down with {@code foldDown} and compares it with the
     * stereo {@code reference}. {@code referenceName} and {@code surroundName} name the inputs in errors.
     */
    public static Report run(AudioClip reference, String referenceName, AudioClip surround, String surroundName,
                             FoldDown foldDown, double toleranceDb) throws StemroomException {
        try {
            return run(of(reference), referenceName, of(surround), surroundName, foldDown, toleranceDb);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // clips do no I/O
        }
    }

    /**
     * The check, streaming: two passes over the inputs (the first 31 s for the delay between them, then the
     * whole of both in blocks of {@value #BLOCK} frames), so memory does not depend on their length. The numbers
     * are the same as if both were held in memory and analysed whole (every sum runs in time order).
     */
    public static Report run(Input reference, String referenceName, Input surround, String surroundName,
                             FoldDown foldDown, double toleranceDb) throws StemroomException, IOException {
        if (foldDown.outputChannels() != 2) throw new StemroomException("the check compares a stereo fold-down (loro or ltrt)");
        Fold fold = new Fold() {
            @Override public void fold(float[][] in, float[][] out, int off, int len) { foldDown.process(in, out, off, len); }
            @Override public void reference(float[][] r, int len) { }
        };
        return run(reference, referenceName, surround, surroundName, foldDown, fold,
                foldDown.mode().name().replace('_', '/'), toleranceDb);
    }

    /**
     * The check of a real Lt/Rt matrix encode ({@link LtRtEncoder}, with its 90° phase network) against the stereo
     * reference. For the correlation with the encode, the reference goes through the same all-pass as the encoder's
     * fronts ({@link LtRtEncoder#frontPath()}), so content that sits in the fronts compares sample by sample
     * (correlation 1); the reference's own levels are measured before it (the input's, as in the Lo/Ro check: an
     * all-pass leaves every band's energy as it was, see {@link Stream#compare}). What the numbers show is what
     * the matrix does to the surrounds: per-band levels as the static matrix's (the network has unit gain), a
     * correlation that drops where the surrounds, 90° away, carry much, the real encode's peak and clipping (the
     * phase shift changes peaks) and its mono sum, in which the surround signal cancels. The delay between the files
     * is found with the static matrix (the encode adds one sample, as does the reference's front path). When the
     * reference starts after the surround file (a negative delay), its all-pass starts from rest at the overlap
     * while the encoder's has run from the file's start: they agree again after the all-pass's decay (well under a
     * second at 20 Hz).
     */
    public static Report run(Input reference, String referenceName, Input surround, String surroundName,
                             LtRtEncoder encoder, double toleranceDb) throws StemroomException, IOException {
        encoder.reset();
        LtRtEncoder.FrontPath front = LtRtEncoder.frontPath();
        Fold fold = new Fold() {
            @Override public void fold(float[][] in, float[][] out, int off, int len) { encoder.process(in, out, off, len); }
            @Override public void reference(float[][] r, int len) { front.process(r, len); }
        };
        return run(reference, referenceName, surround, surroundName, encoder.matrix(), fold, "LT/RT encoded", toleranceDb);
    }

    /** How the check folds the surround down, and what the reference goes through to stay comparable sample by sample. */
    private interface Fold {
        void fold(float[][] in, float[][] out, int off, int len);

        /** Applied in place to each stretch of the reference, in time order (nothing for a static matrix). */
        void reference(float[][] r, int len);
    }

    /** {@code matrix}: the static fold-down (for the delay estimate and the layout); {@code folder}: the fold-down measured. */
    private static Report run(Input reference, String referenceName, Input surround, String surroundName,
                              FoldDown matrix, Fold folder, String modeName, double toleranceDb)
            throws StemroomException, IOException {
        FoldDown foldDown = matrix;
        SpeakerLayout layout = foldDown.inputLayout();
        if (reference.format().channels() != 2) {
            throw new StemroomException(referenceName + ": the reference must be stereo, it has "
                    + reference.format().channels() + " channels");
        }
        if (surround.format().channels() != layout.channelCount()) {
            throw new StemroomException(surroundName + ": has " + surround.format().channels() + " channels, the layout "
                    + layout.name() + " has " + layout.channelCount());
        }
        int fs = reference.format().sampleRate();
        if (fs != surround.format().sampleRate()) {
            throw new StemroomException(surroundName + ": sample rate " + surround.format().sampleRate()
                    + " Hz differs from the reference's " + fs + " Hz");
        }
        long refFrames = reference.frames();
        long surFrames = surround.frames();
        int lag = estimateLag(reference, referenceName, surround, surroundName, foldDown, fs);
        // overlap: fold[i + lag] against ref[i], i in [start, end)
        long start = Math.max(0, -lag);
        long end = Math.min(refFrames, surFrames - lag);
        if (end - start < fs / 10) {
            throw new StemroomException(surroundName + ": overlaps the reference by less than 0.1 s");
        }
        long n = end - start;

        Stream acc = new Stream(layout, folder, modeName, fs, lag, toleranceDb, null);
        AudioBuffer sur = new AudioBuffer(surround.format().channels(), BLOCK);
        AudioBuffer fold = new AudioBuffer(2, BLOCK);
        float[][] r = new float[2][BLOCK];
        Reader refReader = new Reader(reference, referenceName);
        reference.seek(start);
        refReader.position = start;
        surround.seek(0);
        long surPos = 0;
        while (true) {
            int got = surround.read(sur);
            if (got <= 0) break;
            checkFinite(sur, got, surPos, surroundName);
            folder.fold(sur.data(), fold.data(), 0, got);
            acc.peaks(fold.data(), 0, got);
            // the part of this block inside the overlap, as reference frames [i0, i1)
            long i0 = Math.max(start, surPos - lag);
            long i1 = Math.min(end, surPos + got - lag);
            int at = (int) (i0 + lag - surPos);
            int len = (int) (i1 - i0);
            if (len > 0) {
                refReader.readExactly(r, len);
                acc.compare(r, fold.data(), at, len);
            }
            surPos += got;
        }
        if (surPos < surFrames) throw new StemroomException(surroundName + ": ended after " + surPos + " of " + surFrames + " frames");
        if (acc.frames != n) throw new IllegalStateException("compared " + acc.frames + " frames of " + n);
        return acc.report();
    }

    /**
     * The check fed by the caller, for a surround mix made from the reference and aligned with it by construction
     * (a render writing its mix): no second reading of the files and no delay search (lag 0). {@link #add} takes
     * each stretch of the reference and of the surround in time order; {@link #report} gives the same numbers as
     * {@link #run} on the two whole files when their delay is 0. Not thread-safe; allocates only in the constructor.
     */
    public static Stream stream(FoldDown foldDown, int sampleRate, double toleranceDb) {
        if (foldDown.outputChannels() != 2) throw new IllegalArgumentException("the check compares a stereo fold-down (loro or ltrt)");
        Fold fold = new Fold() {
            @Override public void fold(float[][] in, float[][] out, int off, int len) { foldDown.process(in, out, off, len); }
            @Override public void reference(float[][] r, int len) { }
        };
        return new Stream(foldDown.inputLayout(), fold, foldDown.mode().name().replace('_', '/'), sampleRate, 0, toleranceDb,
                null);
    }

    /**
     * {@link #stream} for a real Lt/Rt encode ({@link LtRtEncoder}, its 90° network included): the reference goes
     * through the encoder's front path, as in {@link #run(Input, String, Input, String, LtRtEncoder, double)}, and
     * {@link Stream#report} gives that method's numbers for two aligned files (lag 0). The encoder is reset here and
     * used by the stream only, unless the caller feeds it with {@link Stream#addFolded} (then the caller encodes with
     * it and the stream never does).
     */
    public static Stream stream(LtRtEncoder encoder, int sampleRate, double toleranceDb) {
        return stream(encoder, sampleRate, toleranceDb, null);
    }

    /**
     * {@link #stream(LtRtEncoder, int, double)} beside another check of the same reference ({@code sameReference},
     * e.g. the render's Lo/Ro check at the same rate, not yet fed and measuring its reference itself): the
     * reference's levels (bands, loudness, mono sum, mid/side, L/R correlation), which both would measure on the same
     * frames before any reference path, are read from that stream instead of being measured twice; this one keeps
     * only what depends on its encode, and its encode's band energies are measured in that stream's meter, beside
     * the reference's and that stream's fold (six channels in one vectorized loop, see {@link BandEnergyLanes}). So
     * the two are fed together, by {@link Stream#addWithEncode} of {@code sameReference}, and neither alone; the
     * reports give the same numbers as each stream alone. {@code sameReference} null: this stream measures the
     * reference itself and is fed on its own.
     */
    public static Stream stream(LtRtEncoder encoder, int sampleRate, double toleranceDb, Stream sameReference) {
        if (sameReference != null && sameReference.fs != sampleRate) {
            throw new IllegalArgumentException("the reference's stream runs at " + sameReference.fs + " Hz, not "
                    + sampleRate);
        }
        if (sameReference != null && (sameReference.referenceLevels != sameReference || sameReference.encode != null
                || sameReference.frames != 0)) {
            throw new IllegalArgumentException("the reference's stream must measure its reference itself, be fed "
                    + "nothing yet and share it with no other stream");
        }
        encoder.reset();
        LtRtEncoder.FrontPath front = LtRtEncoder.frontPath();
        Fold fold = new Fold() {
            @Override public void fold(float[][] in, float[][] out, int off, int len) { encoder.process(in, out, off, len); }
            @Override public void reference(float[][] r, int len) { front.process(r, len); }
        };
        Stream s = new Stream(encoder.layout(), fold, "LT/RT encoded", sampleRate, 0, toleranceDb, sameReference);
        if (sameReference != null) sameReference.measureBandsOf(s);
        return s;
    }

    /** See {@link #stream}: the sums of the check, fed block by block. */
    public static final class Stream {
        private final SpeakerLayout layout;
        private final Fold folder;
        private final String modeName;
        private final int fs;
        private final int lag;
        private final double toleranceDb;
        private final OctaveBandFilterBank bank;
        /** The stream whose meters measure the reference (this one, or one fed the same reference frames). */
        private final Stream referenceLevels;
        /**
         * Band energies, where this stream measures the reference: of its two channels and the fold's in one meter
         * (channels 0-1 the reference, 2-3 the fold, and 4-5 the fold of {@link #encode} when one shares the
         * reference: up to six channels share one vectorized loop, see {@link BandEnergyLanes}); null in a stream
         * whose reference another measures (its fold's bands are in that one's meter).
         */
        private BandEnergyLanes referenceAndFoldBands;
        private float[][] bandInput = new float[4][];
        /** The Lt/Rt stream that shares this one's reference ({@link #addWithEncode}), or null. */
        private Stream encode;
        private final LoudnessMeter lr;
        private final LoudnessMeter lf;
        private final LoudnessMeter mr;
        private final LoudnessMeter mf;
        private final Sums sumLeft = new Sums(), sumRight = new Sums(), sumFold = new Sums(), sumRef = new Sums();
        private final MidSide msf = new MidSide(), msr = new MidSide();
        private final float[][] r = new float[2][BLOCK];
        private final float[][] f = new float[2][BLOCK];
        private final float[][] m = new float[1][BLOCK];
        private final float[][] folded = new float[2][BLOCK];
        private final float[][] surroundCopy;
        private float peak;
        private long clipped;
        private long frames;

        private Stream(SpeakerLayout layout, Fold folder, String modeName, int fs, int lag, double toleranceDb,
                       Stream referenceLevels) {
            this.layout = layout;
            this.folder = folder;
            this.modeName = modeName;
            this.fs = fs;
            this.lag = lag;
            this.toleranceDb = toleranceDb;
            bank = new OctaveBandFilterBank(fs, OctaveBandFilterBank.Resolution.OCTAVE);
            this.referenceLevels = referenceLevels == null ? this : referenceLevels;
            boolean own = referenceLevels == null;
            referenceAndFoldBands = own ? new BandEnergyLanes(bank, 4) : null;
            AudioFormat stereo = new AudioFormat(fs, ChannelLayout.STEREO);
            AudioFormat monoFormat = new AudioFormat(fs, ChannelLayout.MONO);
            lf = new LoudnessMeter(stereo, false);
            mf = new LoudnessMeter(monoFormat, false);
            lr = own ? new LoudnessMeter(stereo, false) : null;
            mr = own ? new LoudnessMeter(monoFormat, false) : null;
            surroundCopy = new float[layout.channelCount()][BLOCK];
        }

        /** {@code s}'s fold measured in this stream's band meter, channels 4-5 (see {@link #stream(LtRtEncoder, int, double, Stream)}). */
        private void measureBandsOf(Stream s) {
            encode = s;
            referenceAndFoldBands = new BandEnergyLanes(bank, 6);
            bandInput = new float[6][];
        }

        private void requireAlone() {
            if (referenceLevels != this || encode != null) {
                throw new IllegalStateException("a stream that shares its reference is fed with addWithEncode");
            }
        }

        /**
         * Frames {@code [off, off+n)} of the stereo reference and of the surround mix (the layout's channels), the
         * next ones in time. Copies what it keeps: the caller's arrays are not changed.
         */
        public void add(float[][] reference, float[][] surround, int off, int n) {
            add(reference, off, surround, off, n);
        }

        /**
         * As {@link #add(float[][], float[][], int, int)}, with the reference's frames taken from {@code refOff} and
         * the surround's from {@code surOff}: a caller that streams the mix in the writer's blocks and the reference
         * in its own needs no copy to line them up.
         */
        public void add(float[][] reference, int refOff, float[][] surround, int surOff, int n) {
            requireAlone();
            requireShapes(reference, surround);
            for (int done = 0; done < n; ) {
                int len = Math.min(BLOCK, n - done);
                foldRange(surround, surOff + done, len);
                for (int c = 0; c < 2; c++) System.arraycopy(reference[c], refOff + done, r[c], 0, len);
                peaks(folded, 0, len);
                compare(r, folded, 0, len);
                done += len;
            }
        }

        /**
         * {@link #add(float[][], int, float[][], int, int)} of this stream and, for the same frames, {@code
         * Stream.addFolded(reference, refOff, encoded, encOff, n)} of the Lt/Rt stream that shares its reference
         * ({@link #stream(LtRtEncoder, int, double, Stream)}; {@code encoded}: its encoder's output for the surround's
         * frames, from {@code encOff}), in one pass: the six channels' band energies in one loop. Each stream's
         * numbers are the ones it would have fed alone, to the bit.
         */
        public void addWithEncode(float[][] reference, int refOff, float[][] surround, int surOff, float[][] encoded,
                                  int encOff, int n) {
            if (encode == null) throw new IllegalStateException("no Lt/Rt stream shares this one's reference");
            requireShapes(reference, surround);
            if (encoded.length != 2) throw new IllegalArgumentException("the encode must be stereo");
            Stream e = encode;
            for (int done = 0; done < n; ) {
                int len = Math.min(BLOCK, n - done);
                foldRange(surround, surOff + done, len);
                for (int c = 0; c < 2; c++) {
                    System.arraycopy(reference[c], refOff + done, r[c], 0, len);
                    System.arraycopy(reference[c], refOff + done, e.r[c], 0, len);
                }
                peaks(folded, 0, len);
                e.peaks(encoded, encOff + done, len);
                takeFold(folded, 0, len);
                e.takeFold(encoded, encOff + done, len);
                bandInput[4] = e.f[0];
                bandInput[5] = e.f[1];
                measure(r, len);
                e.measureFold(e.r, len);
                done += len;
            }
        }

        private void requireShapes(float[][] reference, float[][] surround) {
            if (reference.length != 2) throw new IllegalArgumentException("the reference must be stereo");
            if (surround.length != layout.channelCount()) {
                throw new IllegalArgumentException("the surround has " + surround.length + " channels, " + layout.name()
                        + " has " + layout.channelCount());
            }
        }

        /**
         * As {@link #add(float[][], int, float[][], int, int)} for a caller that has already folded the surround with
         * the same fold, in time order from the first frame (a render that encodes its whole mix to Lt/Rt anyway, for
         * the encode's peaks): {@code folded} holds the two folded channels, frames from {@code foldOff}. The stream's
         * own fold is not run, so the mix is encoded once.
         */
        public void addFolded(float[][] reference, int refOff, float[][] folded, int foldOff, int n) {
            requireAlone();
            if (reference.length != 2 || folded.length != 2) throw new IllegalArgumentException("the reference and the fold must be stereo");
            for (int done = 0; done < n; ) {
                int len = Math.min(BLOCK, n - done);
                for (int c = 0; c < 2; c++) System.arraycopy(reference[c], refOff + done, r[c], 0, len);
                peaks(folded, foldOff + done, len);
                compare(r, folded, foldOff + done, len);
                done += len;
            }
        }

        /** Folds surround frames [off, off+len) into {@code folded} [0, len) (the fold maps frame i to frame i). */
        private void foldRange(float[][] surround, int off, int len) {
            if (off == 0) {
                folder.fold(surround, folded, 0, len);
                return;
            }
            for (int c = 0; c < surround.length; c++) System.arraycopy(surround[c], off, surroundCopy[c], 0, len);
            folder.fold(surroundCopy, folded, 0, len);
        }

        /**
         * Peak and clipping of folded frames [off, off+len) (every frame of the surround counts, overlap or not).
         * Without branches, the same counts for finite samples (the only kind a render or a reader hands over): a
         * magnitude is over 1 exactly when its bits are over 1's, and Math.max is the plain test. As branches, the
         * first new peak and the first clipped sample after C2 had compiled the loop each made it compile again.
         */
        void peaks(float[][] fold, int off, int len) {
            for (int c = 0; c < 2; c++) {
                float[] x = fold[c];
                float p = peak;
                long k = clipped;
                for (int i = off; i < off + len; i++) {
                    float a = Math.abs(x[i]);
                    p = Math.max(p, a);
                    k += (ONE_BITS - Float.floatToRawIntBits(a)) >>> 31;
                }
                peak = p;
                clipped = k;
            }
        }

        private static final int ONE_BITS = Float.floatToRawIntBits(1f);

        /**
         * Compares reference frames [0, len) of {@code ref} (passed through the fold's reference path here, in place)
         * with folded frames [at, at+len). The reference's own levels (bands, loudness, mono sum, mid/side, L/R
         * correlation) are taken before that path: an all-pass (the Lt/Rt encoder's front path) changes none of them
         * but for the energy it still holds after the reference's end (a few ms of a low band's group delay), and
         * taken before it they are the input's, the same in the Lo/Ro and the Lt/Rt check, so a render measures them
         * once ({@link #stream(LtRtEncoder, int, double, Stream)}). Only the sample-by-sample correlation with the
         * fold needs the reference as the fold's fronts went through.
         */
        void compare(float[][] ref, float[][] fold, int at, int len) {
            takeFold(fold, at, len);
            measure(ref, len);
        }

        /** Folded frames [at, at+len) into {@link #f}. */
        private void takeFold(float[][] fold, int at, int len) {
            for (int c = 0; c < 2; c++) System.arraycopy(fold[c], at, f[c], 0, len);
        }

        /**
         * The reference's levels and the fold's (in {@link #f}) of reference frames [0, len), in a stream that measures
         * its reference (with {@link #encode}'s fold in {@link #bandInput}'s channels 4-5 when one shares it).
         */
        private void measure(float[][] ref, int len) {
            bandInput[0] = ref[0];
            bandInput[1] = ref[1];
            bandInput[2] = f[0];
            bandInput[3] = f[1];
            referenceAndFoldBands.process(bandInput, 0, len);
            sumRef.add(ref[0], ref[1], len);
            msr.add(ref, len);
            lr.process(ref, 0, len);
            monoSum(ref, m[0], len);
            mr.process(m, 0, len);
            measureFold(ref, len);
        }

        /** What depends on the fold (in {@link #f}) of reference frames [0, len), the fold's bands aside. */
        private void measureFold(float[][] ref, int len) {
            folder.reference(ref, len);
            sumLeft.add(f[0], ref[0], len);
            sumRight.add(f[1], ref[1], len);
            sumFold.add(f[0], f[1], len);
            msf.add(f, len);
            lf.process(f, 0, len);
            monoSum(f, m[0], len);
            mf.process(m, 0, len);
            frames += len;
        }

        /** Energy of the fold's channel {@code c} in band {@code b} so far. */
        private double foldEnergy(int c, int b) {
            return referenceLevels == this ? referenceAndFoldBands.energy(2 + c, b)
                    : referenceLevels.referenceAndFoldBands.energy(4 + c, b);
        }

        /** The report of everything added so far. */
        public Report report() {
            long n = frames;
            Stream rl = referenceLevels;
            if (rl.frames != n) {
                throw new IllegalStateException("the stream measuring the reference was fed " + rl.frames
                        + " frames, this one " + n);
            }
            double[][] diff = new double[3][bank.size()];
            double floor = 1e-12 * n; // -120 dBFS mean square: below that a band has no signal to compare
            for (int b = 0; b < bank.size(); b++) {
                for (int c = 0; c < 2; c++) diff[c][b] = dbDiff(foldEnergy(c, b), rl.referenceAndFoldBands.energy(c, b), floor);
                diff[2][b] = dbDiff(foldEnergy(0, b) + foldEnergy(1, b),
                        rl.referenceAndFoldBands.energy(0, b) + rl.referenceAndFoldBands.energy(1, b), 2 * floor);
            }
            double[] corr = {sumLeft.correlation(), sumRight.correlation()};
            Report rep = new Report(layout.name(), modeName, fs, lag, n / (double) fs,
                    diff, corr, rl.lr.integratedLufs(), lf.integratedLufs(), 20 * Math.log10(Math.max(peak, 1e-12)),
                    clipped, sumFold.correlation(), rl.sumRef.correlation(), msf.db(), rl.msr.db(),
                    mf.integratedLufs() - lf.integratedLufs(), rl.mr.integratedLufs() - rl.lr.integratedLufs(),
                    toleranceDb);
            for (OctaveBandFilterBank.Band b : bank.bands()) rep.bands.add(b.label());
            return rep;
        }
    }

    static final int BLOCK = 8192;

    /** Reads the reference sequentially, any number of frames at a time. */
    private static final class Reader {
        private final Input in;
        private final String name;
        private final AudioBuffer buf;
        private int bufPos;
        private int bufLen;
        long position;

        Reader(Input in, String name) {
            this.in = in;
            this.name = name;
            this.buf = new AudioBuffer(in.format().channels(), BLOCK);
        }

        /** The next {@code len} frames into {@code out[c][0..len)}. */
        void readExactly(float[][] out, int len) throws IOException, StemroomException {
            int done = 0;
            while (done < len) {
                if (bufPos == bufLen) {
                    int got = in.read(buf);
                    if (got <= 0) throw new StemroomException(name + ": ended at frame " + position + " of " + in.frames());
                    checkFinite(buf, got, position, name);
                    bufPos = 0;
                    bufLen = got;
                }
                int k = Math.min(len - done, bufLen - bufPos);
                for (int c = 0; c < 2; c++) System.arraycopy(buf.channel(c), bufPos, out[c], done, k);
                bufPos += k;
                done += k;
                position += k;
            }
        }
    }

    /** Running sums for the correlation of two signals, added in time order. */
    private static final class Sums {
        double ab, aa, bb;

        void add(float[] a, float[] b, int len) {
            double s = ab, p = aa, q = bb;
            for (int i = 0; i < len; i++) {
                s += (double) a[i] * b[i];
                p += (double) a[i] * a[i];
                q += (double) b[i] * b[i];
            }
            ab = s;
            aa = p;
            bb = q;
        }

        double correlation() { return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0; }
    }

    /** Running mid and side energies. */
    private static final class MidSide {
        double m, s;

        void add(float[][] x, int len) {
            double mm = m, ss = s;
            for (int i = 0; i < len; i++) {
                double mid = x[0][i] + x[1][i];
                double side = x[0][i] - x[1][i];
                mm += mid * mid;
                ss += side * side;
            }
            m = mm;
            s = ss;
        }

        double db() { return s == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(m / s); }
    }

    /** The BS.775 mono sum 0.7071 (L+R). */
    private static void monoSum(float[][] x, float[] out, int len) {
        for (int i = 0; i < len; i++) out[i] = (float) (FoldDown.MINUS_3_DB * (x[0][i] + x[1][i]));
    }

    private static void checkFinite(AudioBuffer b, int frames, long offset, String name) throws StemroomException {
        for (int c = 0; c < b.channels(); c++) {
            float[] x = b.channel(c);
            for (int i = 0; i < frames; i++) {
                if (!Float.isFinite(x[i])) {
                    throw new StemroomException(name + ": sample " + (offset + i) + " of channel " + (c + 1)
                            + " is not a number");
                }
            }
        }
    }

    private static double dbDiff(double a, double b, double floor) {
        if (a < floor && b < floor) return 0;
        return 10 * Math.log10(Math.max(a, floor) / Math.max(b, floor));
    }

    /**
     * The delay of {@code fold} against {@code ref} in frames (positive: the fold-down is late), within
     * ±{@value #MAX_LAG_SECONDS} s, from the peak of the cross-correlation of their mono sums over the first
     * 30 s (memory: the first 31 s of both, whatever the length of the files).
     */
    private static int estimateLag(Input reference, String referenceName, Input surround, String surroundName,
                                   FoldDown foldDown, int fs) throws IOException, StemroomException {
        int maxLag = (int) (MAX_LAG_SECONDS * fs);
        int len = (int) Math.min(Math.min(reference.frames(), surround.frames()), 30L * fs);
        if (len < 16) return 0;
        float[] a = new float[len];
        float[] b = new float[len + maxLag];
        // a: the reference's L+R over len frames; b: the fold-down's L+R over len + maxLag frames
        reference.seek(0);
        AudioBuffer rb = new AudioBuffer(2, BLOCK);
        int pos = 0;
        while (pos < len) {
            int got = reference.read(rb);
            if (got <= 0) break;
            checkFinite(rb, got, pos, referenceName);
            int k = Math.min(got, len - pos);
            for (int i = 0; i < k; i++) a[pos + i] = rb.channel(0)[i] + rb.channel(1)[i];
            pos += k;
        }
        surround.seek(0);
        AudioBuffer sb = new AudioBuffer(surround.format().channels(), BLOCK);
        AudioBuffer fb = new AudioBuffer(2, BLOCK);
        int want = (int) Math.min(surround.frames(), (long) len + maxLag);
        pos = 0;
        while (pos < want) {
            int got = surround.read(sb);
            if (got <= 0) break;
            checkFinite(sb, got, pos, surroundName);
            foldDown.process(sb.data(), fb.data(), 0, got);
            int k = Math.min(got, want - pos);
            for (int i = 0; i < k; i++) b[pos + i] = fb.channel(0)[i] + fb.channel(1)[i];
            pos += k;
        }
        return crossCorrelationPeak(a, b, maxLag);
    }

    /**
     * The lag {@code l} in {@code [-maxLag, maxLag]} that maximises {@code sum_i a[i] b[i + l]} (b is zero outside
     * its array), the smallest such lag on a tie. Computed segment by segment (each segment of {@code a} against
     * the stretch of {@code b} it can reach, cross-spectra summed, one inverse FFT): FFTs of about four times
     * {@code maxLag} rather than one the size of the whole stretch, which is several times faster.
     */
    static int crossCorrelationPeak(float[] a, float[] b, int maxLag) {
        int n = Integer.highestOneBit(Math.max(4 * maxLag, 1024) - 1) << 1;
        int seg = n - 2 * maxLag;
        RealFft fft = new RealFft(n);
        int bins = n / 2 + 1;
        float[] x = new float[n];
        float[] ar = new float[bins], ai = new float[bins], br = new float[bins], bi = new float[bins];
        double[] sr = new double[bins], si = new double[bins];
        for (int s0 = 0; s0 < a.length; s0 += seg) {
            int m = Math.min(seg, a.length - s0);
            java.util.Arrays.fill(x, 0f);
            System.arraycopy(a, s0, x, 0, m);
            fft.forward(x, ar, ai);
            // b from s0 - maxLag: x[j] = b[s0 - maxLag + j]
            java.util.Arrays.fill(x, 0f);
            int from = s0 - maxLag;
            int j0 = Math.max(0, -from);
            int j1 = Math.min(n, b.length - from);
            if (j1 > j0) System.arraycopy(b, from + j0, x, j0, j1 - j0);
            fft.forward(x, br, bi);
            // B * conj(A): its inverse at k is sum_j a[s0 + j] b[s0 - maxLag + j + k], i.e. lag k - maxLag
            for (int k = 0; k < bins; k++) {
                sr[k] += (double) br[k] * ar[k] + (double) bi[k] * ai[k];
                si[k] += (double) bi[k] * ar[k] - (double) br[k] * ai[k];
            }
        }
        for (int k = 0; k < bins; k++) {
            ar[k] = (float) sr[k];
            ai[k] = (float) si[k];
        }
        fft.inverse(ar, ai, x);
        int best = 0;
        double bestV = Double.NEGATIVE_INFINITY;
        for (int k = 0; k <= 2 * maxLag; k++) {
            if (x[k] > bestV) {
                bestV = x[k];
                best = k - maxLag;
            }
        }
        return best;
    }
}
