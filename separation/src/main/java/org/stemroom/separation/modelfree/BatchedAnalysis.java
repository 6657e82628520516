package org.stemroom.separation.modelfree;

import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.room.SplitRealFft;

/**
 * The mixture's STFT of one channel ({@link Stft}'s framing and window, zero padding) with the frames' forward FFTs
 * {@value #BATCH} at a time by {@link SplitRealFft#batched}: the analysis' counterpart of {@link BatchedSynthesis}, for
 * the same reason (at 4,096 points one transform's rows are too short for C2's vector loops; eight side by side are
 * not). Each frame's spectrum has the bits of SplitRealFft's single forward transform of {@link Stft#windowedFrame};
 * it differs from the STFT's own analysis (JTransforms) in the last bits. A forward of 4,096 points took 15.4 us by
 * JTransforms and 10.6 in batches of eight, the mixture's analysis of a stereo minute (80 windows, one thread) 157-220
 * ms before and 117-156 after (docs/render-speed-history.md, session 34).
 *
 * <p>Sizes other than powers of two go through the STFT's own analysis. Keeps its transform and frames from call to
 * call (window after window of one size allocates nothing); not thread-safe: one per channel's analysis.
 */
final class BatchedAnalysis {
    /** Transforms side by side. */
    static final int BATCH = 8;

    private SplitRealFft fft;
    private float[][] time = new float[0][];

    /**
     * {@code spec} ({@link Stft#frameCount} frames of {@link Stft#bins()}, every bin written) from {@code signal}, as
     * {@code stft.analyze(signal, Stft.Padding.ZERO, spec)} frames and windows it.
     */
    void analyze(Stft stft, float[] signal, Spectrogram spec) {
        int n = stft.nFft();
        if (Integer.bitCount(n) != 1 || n < 4) {
            stft.analyze(signal, Stft.Padding.ZERO, spec);
            return;
        }
        int frames = stft.frameCount(signal.length);
        if (spec.frames() != frames || spec.bins() != stft.bins()) {
            throw new IllegalArgumentException("spectrogram is " + spec.frames() + "x" + spec.bins() + ", the STFT of "
                    + signal.length + " samples " + frames + "x" + stft.bins());
        }
        if (fft == null || fft.size() != n) {
            fft = SplitRealFft.batched(n, BATCH);
            time = new float[BATCH][n];
        }
        float[][] re = spec.re(), im = spec.im();
        for (int f = 0; f < frames; f += BATCH) {
            int count = Math.min(BATCH, frames - f);
            for (int b = 0; b < count; b++) stft.windowedFrame(signal, f + b, Stft.Padding.ZERO, time[b]);
            fft.forward(time, re, im, f, count);
        }
    }
}
