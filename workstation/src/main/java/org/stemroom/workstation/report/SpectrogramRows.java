package org.stemroom.workstation.report;

/**
 * The rows of the report's spectrograms ({@link Plots#waveAndSpectrogram}): which spectrum bin each row draws. Apart
 * from {@link Plots}, whose colours load and initialise java.awt (its native library and resources): a render asks
 * for the drawn bins at its start, on the thread that then separates, about 40 ms before separation's first window
 * when it went through Plots (class-load log of the bench render at load 1.3, session 27); java.awt now starts with
 * the first picture, on a side thread.
 */
public final class SpectrogramRows {
    /** Rows of the spectrogram under each waveform. */
    public static final int ROWS = 160;
    /** The spectrogram's lowest frequency (its bottom row's centre lies a little above). */
    public static final double LOWEST_HZ = 30;

    private SpectrogramRows() { }

    /** The spectrum bin ({@link AudioThumbnail#FFT}-point) that row {@code y} draws, 0 the top row. */
    static int bin(int y, int sampleRate) {
        double nyq = sampleRate / 2.0;
        double fLo = LOWEST_HZ;
        int bins = AudioThumbnail.FFT / 2 + 1;
        double frac = 1 - (y + 0.5) / ROWS;
        double f = fLo * Math.pow(nyq / fLo, frac);
        return (int) Math.min(bins - 1, Math.round(f / nyq * (bins - 1)));
    }

    /**
     * The spectrum bins the spectrogram draws at {@code sampleRate}, ascending, each once: the only levels a render's
     * thumbnails need ({@link AudioThumbnail.Builder#Builder(int, int, long, int, int[])}; 113 of 1025 at 48 kHz).
     */
    public static int[] bins(int sampleRate) {
        int[] bins = new int[ROWS];
        int n = 0;
        for (int y = ROWS - 1; y >= 0; y--) { // the bottom row draws the lowest bin; rows above, the same or higher
            int b = bin(y, sampleRate);
            if (n == 0 || b != bins[n - 1]) bins[n++] = b;
        }
        return java.util.Arrays.copyOf(bins, n);
    }
}
