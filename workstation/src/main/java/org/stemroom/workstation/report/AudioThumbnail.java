package org.stemroom.workstation.report;

import java.io.IOException;
import java.nio.file.Path;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.core.dsp.Window;
import org.stemroom.core.io.AudioFileReader;

/**
 * What the report draws of one audio file, gathered in one streaming read (memory independent of the length):
 * the waveform's min/max per picture column (of the channels' mean) and a spectrogram with one Hann-windowed
 * 2048-point spectrum at the start of every column, in dB.
 */
public final class AudioThumbnail {
    public static final int FFT = 2048;

    public final int columns;
    public final float[] min;
    public final float[] max;
    public final int sampleRate;
    public final long frames;
    public final int channels;
    /** The spectrum bins held, ascending: all FFT / 2 + 1, or those a builder was asked for. */
    private final int[] bins;
    /** Each spectrum bin's place among a column's levels; -1 for a bin not held. */
    private final int[] slots = new int[FFT / 2 + 1];
    /**
     * The levels in dBFS (a full-scale sine reads about 0 dB), column after column, {@code bins.length} a column, in
     * one array made with the builder. A render's six thumbnails hold the 113 bins their spectrograms draw (of 1025
     * at 48 kHz); as 720 arrays of all 1025 bins each, NaN but for those, they were 17.7 MB of the render's 84 MB of
     * long-lived data, promoted into the old generation's fresh pages a column at a time (heap dump of the bench render,
     * session 27), now 2.0 MB.
     */
    final float[] levels;

    private AudioThumbnail(int columns, int sampleRate, long frames, int channels, int[] bins) {
        this.columns = columns;
        this.min = new float[columns];
        this.max = new float[columns];
        this.sampleRate = sampleRate;
        this.frames = frames;
        this.channels = channels;
        this.bins = bins;
        java.util.Arrays.fill(slots, -1);
        for (int j = 0; j < bins.length; j++) slots[bins[j]] = j;
        this.levels = new float[columns * bins.length];
    }

    /** Column {@code column}'s level at spectrum bin {@code bin} in dBFS; NaN for a bin this thumbnail does not hold. */
    public float level(int column, int bin) {
        int s = slots[bin];
        return s < 0 ? Float.NaN : levels[column * bins.length + s];
    }

    /** Column {@code column}'s spectrum, FFT / 2 + 1 levels in dBFS (NaN in the bins not held): a new array. */
    public float[] spectrum(int column) {
        float[] db = new float[FFT / 2 + 1];
        for (int k = 0; k < db.length; k++) db[k] = level(column, k);
        return db;
    }

    /** Where bin {@code bin} lies among a column's {@link #levels} ({@link #held()} of them); -1: not held. */
    int slot(int bin) {
        return slots[bin];
    }

    /** The number of levels a column holds. */
    int held() {
        return bins.length;
    }

    /** The thumbnail of a file, read once from start to end. */
    public static AudioThumbnail of(Path file, int columns) throws IOException {
        try (AudioFileReader r = AudioFileReader.open(file)) {
            Builder b = new Builder(columns, r.format().sampleRate(), r.frames(), r.format().channels());
            AudioBuffer buf = new AudioBuffer(r.format().channels(), 8192);
            while (true) {
                buf.setFrames(buf.capacity());
                int n = r.read(buf);
                if (n <= 0) break;
                b.add(buf.data(), 0, n);
            }
            return b.finish();
        }
    }

    /**
     * Builds a thumbnail from a stream as it goes by (a render draws its stems and mix while it writes them, rather
     * than reading the files again): the same pictures as {@link #of} for the same samples, in any block sizes.
     * The stream's length must be known in advance (it decides which column a sample falls in).
     */
    public static final class Builder {
        private final AudioThumbnail t;
        private final int columns;
        private final long total;
        private final int ch;
        private final float inv;
        private final RealFft fft = new RealFft(FFT);
        private final float[] window = Window.hann(FFT, true);
        private final double wsum;
        private final float[] frame = new float[FFT];
        private final float[] re = new float[FFT / 2 + 1];
        private final float[] im = new float[FFT / 2 + 1];
        private final float[] ring = new float[FFT]; // the last FFT samples of the downmix
        private final float[] mono = new float[4096]; // a stretch of the downmix
        private int ringPos;
        private int specCol;                         // next column whose spectrum is wanted (centred on its first sample)
        private long nextSpecAt;                     // the sample after which that spectrum can be taken
        /** First sample of column c: the smallest p with p * columns / total >= c; Long.MAX_VALUE from the last on. */
        private final long[] colStart;
        private final long[] specAt;                 // nextSpecAt of each column; Long.MAX_VALUE after the last
        private long pos;
        private int col;                             // column of sample `pos`
        private long colEnd;                         // first sample of the next column
        private final int[] bins;                    // the spectrum bins wanted, ascending

        /** @param frames the stream's length in frames (samples beyond it go to the last column) */
        public Builder(int columns, int sampleRate, long frames, int channels) {
            this(columns, sampleRate, frames, channels, null);
        }

        /**
         * A thumbnail whose spectra hold only {@code bins} (ascending, each in [0, FFT / 2]; null: all; the others read
         * NaN): a render asks for the bins its spectrogram draws ({@link SpectrogramRows#bins}), 113 of 1025 at 48 kHz, so
         * each spectrum takes 113 logarithms instead of 1025 (the report's six thumbnails, about 4.4 million of
         * them, were 2.4 % of the placing thread's own samples in perf, session 22). The bins it holds are the same
         * floats as in a thumbnail of all bins, so the pictures are the same pixels.
         */
        public Builder(int columns, int sampleRate, long frames, int channels, int[] bins) {
            this.bins = bins == null ? allBins() : bins.clone();
            this.t = new AudioThumbnail(columns, sampleRate, frames, channels, this.bins);
            this.columns = columns;
            this.total = Math.max(1, frames);
            this.ch = channels;
            this.inv = 1f / channels;
            double w = 0;
            for (float x : window) w += x;
            this.wsum = w;
            java.util.Arrays.fill(t.min, Float.MAX_VALUE);
            java.util.Arrays.fill(t.max, -Float.MAX_VALUE);
            // Both tables end in Long.MAX_VALUE instead of a test for the last column: see spectra()
            colStart = new long[columns + 2];
            for (int c = 0; c < columns; c++) colStart[c] = (c * total + columns - 1) / columns;
            colStart[columns] = Long.MAX_VALUE;
            colStart[columns + 1] = Long.MAX_VALUE;
            specAt = new long[columns + 1];
            for (int c = 0; c < columns; c++) specAt[c] = c * total / columns + FFT / 2;
            specAt[columns] = Long.MAX_VALUE;
            nextSpecAt = specAt[0];
            colEnd = colStart[Math.min(1, columns)];
        }

        /** Frames {@code [off, off + n)} of every channel of {@code data}, in stream order. */
        public void add(float[][] data, int off, int n) {
            // In small single-loop methods: as one method with a per-sample channel loop and the rare spectrum
            // branch inline, C2 compiled it up to six times per render (on-stack per loop head, again after
            // deoptimising on the branch). Same sums in the same order, so the same thumbnail.
            for (int done = 0; done < n; ) {
                int m = Math.min(n - done, mono.length);
                downmix(data, off + done, m);
                addDownmix(m);
                done += m;
            }
        }

        /** mono[0..m) = the mean of the channels' frames [off, off+m) (channels summed in order, then scaled). */
        private void downmix(float[][] data, int off, int m) {
            java.util.Arrays.fill(mono, 0, m, 0f); // from +0 as before: 0f + -0f is +0f, a copy would keep -0f
            for (int c = 0; c < ch; c++) addTo(data[c], off, m);
            for (int i = 0; i < m; i++) mono[i] *= inv;
        }

        private void addTo(float[] x, int off, int m) {
            for (int i = 0; i < m; i++) mono[i] += x[off + i];
        }

        /**
         * mono[0..m) into the columns' extremes and the ring, one stretch at a time: a stretch ends at its column's
         * end or at the sample after which a spectrum is due, whichever comes first. Per sample, the extremes are
         * kept in locals (the same comparisons in the same order as one sample at a time through the arrays, so the
         * same values, NaN and -0 included) and the ring takes the stretch in one or two copies.
         */
        private void addDownmix(int m) {
            for (int i = 0; i < m; ) {
                while (pos >= colEnd) colEnd = colStart[++col + 1];
                int len = m - i;
                if (colEnd - pos < len) len = (int) (colEnd - pos);
                long toSpec = nextSpecAt - pos; // >= 0; Long.MAX_VALUE - pos once every column has its spectrum
                if (toSpec < len) len = (int) toSpec + 1;
                extremes(i, len);
                toRing(i, len);
                i += len;
                pos += len;
                if (pos - 1 >= nextSpecAt) spectra(pos - 1); // never again once every column has its spectrum
            }
        }

        /** min/max of column {@link #col} over mono[i, i + len). */
        private void extremes(int i, int len) {
            float lo = t.min[col], hi = t.max[col];
            for (int k = i, end = i + len; k < end; k++) {
                float v = mono[k];
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
            t.min[col] = lo;
            t.max[col] = hi;
        }

        /** mono[i, i + len) into the ring after its last sample (only the last FFT of them when more). */
        private void toRing(int i, int len) {
            if (len > FFT) {
                ringPos = (int) ((ringPos + (long) (len - FFT)) % FFT);
                i += len - FFT;
                len = FFT;
            }
            int first = Math.min(len, FFT - ringPos);
            System.arraycopy(mono, i, ring, ringPos, first);
            System.arraycopy(mono, i + first, ring, 0, len - first);
            ringPos += len;
            if (ringPos >= FFT) ringPos -= FFT;
        }

        /**
         * The spectra of every column due at sample {@code at}, from the ring of the last FFT samples up to it. After
         * the last column {@link #nextSpecAt} is out of reach (a table lookup, not a test), so addDownmix's stretch
         * test never flips: a test of {@code specCol < columns} there, false for the first time near the stream's
         * end, made C2 throw away its code for the loop and compile it again in a render's last second.
         */
        private void spectra(long at) {
            while (at >= nextSpecAt) {
                for (int j = 0; j < FFT; j++) {
                    int k = ringPos + j;
                    frame[j] = ring[k < FFT ? k : k - FFT] * window[j];
                }
                spectrum(fft, frame, re, im, wsum, bins, t.levels, specCol++ * bins.length);
                nextSpecAt = specAt[specCol];
            }
        }

        /** The thumbnail; the last columns' spectra are centred on the end of the stream (zeros beyond it). */
        public AudioThumbnail finish() {
            while (specCol < columns) {
                for (int j = 0; j < FFT; j++) {
                    int k = j + FFT / 2;
                    frame[j] = k < FFT ? ring[(ringPos + k) % FFT] * window[j] : 0f;
                }
                spectrum(fft, frame, re, im, wsum, bins, t.levels, specCol++ * bins.length);
            }
            for (int c = 0; c < columns; c++) {
                if (t.min[c] > t.max[c]) { t.min[c] = 0; t.max[c] = 0; }
            }
            return t;
        }
    }

    /** 0 .. FFT / 2. */
    private static int[] allBins() {
        int[] b = new int[FFT / 2 + 1];
        for (int k = 0; k < b.length; k++) b[k] = k;
        return b;
    }

    /** The levels of {@code bins} of {@code frame}'s spectrum into {@code into} from {@code at}, in order. */
    private static void spectrum(RealFft fft, float[] frame, float[] re, float[] im, double wsum, int[] bins,
                                 float[] into, int at) {
        fft.forward(frame, re, im);
        double scale = 2.0 / wsum;
        for (int j = 0; j < bins.length; j++) {
            int k = bins[j];
            into[at + j] = level(re[k], im[k], scale);
        }
    }

    /** One bin's level in dB. */
    private static float level(float re, float im, double scale) {
        // Not Math.hypot: Java 17 runs it as StrictMath's software routine (about 0.2 CPU-s per render for the
        // report's ~4 million bins). The float parts' squares are exact in double, so this square root is
        // within an ulp of hypot's, far below the picture's 8-bit colour steps (render pictures unchanged).
        double mag = Math.sqrt((double) re * re + (double) im * im) * scale;
        return (float) (20 * Math.log10(mag + 1e-9));
    }
}
