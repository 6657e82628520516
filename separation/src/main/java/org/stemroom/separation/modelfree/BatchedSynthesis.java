package org.stemroom.separation.modelfree;

import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.room.SplitRealFft;

/**
 * The Wiener step's inverse STFT of one stem's channel: the frames' inverse FFTs {@value #BATCH} at a time by {@link
 * SplitRealFft#batched}, then the STFT's weighted overlap-add ({@link Stft#addFrame}).
 *
 * <p>Why batches: at the separation's sizes (4,096 points) one transform's rows are 32 and 64 floats, too short for
 * C2's vector loops to pay; side by side, eight transforms' rows are 256 and 512 floats, and each transform keeps the
 * bits it has alone. JTransforms (the STFT's own transform) took 14.5 us an inverse, SplitRealFft alone 13.7, in
 * batches of eight 10.3 (docs/render-speed-history.md, session 33: BatchFftBench, -XX:UseAVX=2, thread CPU). Its
 * samples differ from JTransforms' in the last bits.
 *
 * <p>Sizes other than powers of two go through the STFT's own synthesis. Keeps its transform and frames from call to
 * call (a window after window of one size allocates nothing); not thread-safe: one per synthesis job.
 */
final class BatchedSynthesis {
    /** Transforms side by side. */
    static final int BATCH = 8;

    private SplitRealFft fft;
    private float[][] time = new float[0][];

    /** {@code out} (every sample written) from the frames {@code [0, frames)} of {@code spec}. */
    void synthesize(Stft stft, Spectrogram spec, int frames, float[] out) {
        int n = stft.nFft();
        if (Integer.bitCount(n) != 1 || n < 4) {
            stft.synthesize(spec, out);
            return;
        }
        if (fft == null || fft.size() != n) {
            fft = SplitRealFft.batched(n, BATCH);
            time = new float[BATCH][n];
        }
        float[][] re = spec.re(), im = spec.im();
        stft.beginFrames(frames);
        for (int f = 0; f < frames; f += BATCH) {
            int count = Math.min(BATCH, frames - f);
            fft.inverse(re, im, f, count, time);
            for (int b = 0; b < count; b++) stft.addFrame(time[b], f + b);
        }
        stft.endFrames(out);
    }
}
