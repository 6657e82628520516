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
    /**
     * [column][bin] magnitude in dBFS (a full-scale sine reads about 0 dB); NaN in the bins a builder was not asked
     * for ({@link Builder#Builder(int, int, long, int, int[])}).
     */
    public final float[][] spectrumDb;
    public final int sampleRate;
    public final long frames;
    public final int channels;

    private AudioThumbnail(int columns, int sampleRate, long frames, int channels) {
        this.columns = columns;
        this.min = new float[columns];
        this.max = new float[columns];
        this.spectrumDb = new float[columns][];
        this.sampleRate = sampleRate;
        this.frames = frames;
        this.channels = channels;
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
        private final int[] bins;                    // the spectrum bins wanted, ascending; null: all

        /** @param frames the stream's length in frames (samples beyond it go to the last column) */
        public Builder(int columns, int sampleRate, long frames, int channels) {
            this(columns, sampleRate, frames, channels, null);
        }

        /**
         * A thumbnail whose spectra hold only {@code bins} (ascending, each in [0, FFT / 2]; null: all), the rest NaN:
         * a render asks for the bins its spectrogram draws ({@link Plots#spectrogramBins}), 113 of 1025 at 48 kHz, so
         * each spectrum takes 113 logarithms instead of 1025 (the report's six thumbnails, about 4.4 million of
         * them, were 2.4 % of the placing thread's own samples in perf, session 22). The bins it holds are the same
         * floats as in a thumbnail of all bins, so the pictures are the same pixels.
         */
        public Builder(int columns, int sampleRate, long frames, int channels, int[] bins) {
            this.bins = bins == null ? null : bins.clone();
            this.t = new AudioThumbnail(columns, sampleRate, frames, channels);
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
                t.spectrumDb[specCol++] = spectrum(fft, frame, re, im, wsum, bins);
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
                t.spectrumDb[specCol++] = spectrum(fft, frame, re, im, wsum, bins);
            }
            for (int c = 0; c < columns; c++) {
                if (t.min[c] > t.max[c]) { t.min[c] = 0; t.max[c] = 0; }
                if (t.spectrumDb[c] == null) t.spectrumDb[c] = c > 0 ? t.spectrumDb[c - 1] : silent();
            }
            return t;
        }
    }

    private static float[] silent() {
        float[] s = new float[FFT / 2 + 1];
        java.util.Arrays.fill(s, -140f);
        return s;
    }

    private static float[] spectrum(RealFft fft, float[] frame, float[] re, float[] im, double wsum, int[] bins) {
        fft.forward(frame, re, im);
        float[] db = new float[re.length];
        double scale = 2.0 / wsum;
        if (bins == null) {
            for (int k = 0; k < re.length; k++) db[k] = level(re[k], im[k], scale);
        } else {
            java.util.Arrays.fill(db, Float.NaN);
            for (int k : bins) db[k] = level(re[k], im[k], scale);
        }
        return db;
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
