package org.stemroom.core.dsp;

import org.jtransforms.fft.FloatFFT_1D;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * Real FFT of a fixed even size with spectra in split layout: separate real and imaginary arrays of
 * {@code n/2 + 1} bins. Split arrays let the JIT vectorize complex multiply-accumulate loops (about 4x faster
 * than JTransforms' interleaved layout for convolution). {@code inverse(forward(x)) == x}: the 1/n scale is
 * applied by the inverse.
 *
 * <p>Instances own scratch memory and are not thread-safe; create one per processor in {@code prepare}.
 * {@code forward} and {@code inverse} do not allocate.
 */
public final class RealFft {
    static {
        // JTransforms would otherwise fork into its own thread pool for large sizes: that allocates per call
        // and competes with our own, deterministic, parallelism. stemroom parallelises at a higher level.
        ConcurrencyUtils.setNumberOfThreads(1);
    }

    private final int size;
    private final FloatFFT_1D fft;
    private final float[] work;

    public RealFft(int size) {
        if (size < 2 || (size & 1) != 0) throw new IllegalArgumentException("FFT size must be even and >= 2: " + size);
        this.size = size;
        this.fft = new FloatFFT_1D(size);
        this.work = new float[size];
    }

    public int size() { return size; }

    /** Number of bins of the one-sided spectrum: n/2 + 1. */
    public int bins() { return size / 2 + 1; }

    /** Forward transform of {@code n} samples from {@code time[offset..]} into {@code re}/{@code im}. */
    public void forward(float[] time, int offset, float[] re, float[] im) {
        System.arraycopy(time, offset, work, 0, size);
        fft.realForward(work);
        int half = size / 2;
        re[0] = work[0];
        im[0] = 0f;
        re[half] = work[1];
        im[half] = 0f;
        for (int k = 1; k < half; k++) {
            re[k] = work[2 * k];
            im[k] = work[2 * k + 1];
        }
    }

    public void forward(float[] time, float[] re, float[] im) {
        forward(time, 0, re, im);
    }

    /**
     * Inverse transform of the one-sided spectrum {@code re}/{@code im} into {@code n} samples at
     * {@code time[offset..]}, scaled by 1/n. The imaginary parts of DC and Nyquist are ignored.
     */
    public void inverse(float[] re, float[] im, float[] time, int offset) {
        int half = size / 2;
        work[0] = re[0];
        work[1] = re[half];
        for (int k = 1; k < half; k++) {
            work[2 * k] = re[k];
            work[2 * k + 1] = im[k];
        }
        fft.realInverse(work, true);
        System.arraycopy(work, 0, time, offset, size);
    }

    public void inverse(float[] re, float[] im, float[] time) {
        inverse(re, im, time, 0);
    }
}
