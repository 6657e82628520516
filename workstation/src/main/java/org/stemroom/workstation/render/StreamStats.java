package org.stemroom.workstation.render;

import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.loudness.LoudnessMeter;

/**
 * Levels of a stream, accumulated block by block: sample peak and RMS always; with a format, also integrated
 * loudness, loudness range and true peak by core's {@link LoudnessMeter} (ITU-R BS.1770 / EBU R128).
 */
public final class StreamStats {
    private double peak;
    private double sumSquares;
    private long samples;
    private final LoudnessMeter meter;

    public StreamStats() {
        this.meter = null;
    }

    public StreamStats(AudioFormat format) {
        this(format, true);
    }

    /** @param truePeak also measure the true peak (4x oversampling: costs more than the loudness itself) */
    public StreamStats(AudioFormat format, boolean truePeak) {
        this.meter = new LoudnessMeter(format, truePeak);
    }

    public void add(AudioBuffer b) {
        add(b.data(), 0, b.frames());
    }

    /** Frames [off, off+n) of planar audio, one array per channel (as many as the format's). */
    public void add(float[][] data, int off, int n) {
        for (float[] x : data) {
            // a zero channel (a speaker the stem's placement does not feed) changes neither the peak nor the sum of
            // squares (+0 added to a sum that is never -0): skipped, the same bits; the scan stops at the first
            // sample that is not zero, and costs far less per sample than the sum's chain of additions
            if (AudioBuffer.isZero(x, off, off + n)) continue;
            // the peak of floats taken in float is the same number (a float's double is exact, and a maximum is one
            // of its operands, whatever the order), in a loop C2 vectorizes; the sum keeps its order, so its bits.
            // Together in one loop the maximum's compares and blends made a second serial chain beside the sum's:
            // 2.7 -> 1.7 ns a sample (docs/render-speed-history.md, session 32)
            peak = Math.max(peak, AudioBuffer.peak(x, off, off + n));
            sumSquares = sumOfSquares(sumSquares, x, off, off + n);
        }
        samples += (long) n * data.length;
        if (meter != null) meter.process(data, off, n);
    }

    /** {@code sum} plus x[i]^2 (in double: exact) for i in [from, to), added in that order. */
    private static double sumOfSquares(double sum, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            sum += v * v;
        }
        return sum;
    }

    public double peakDbfs() { return peak > 0 ? 20 * Math.log10(peak) : Double.NEGATIVE_INFINITY; }

    public double rmsDbfs() {
        return sumSquares > 0 ? 10 * Math.log10(sumSquares / samples) : Double.NEGATIVE_INFINITY;
    }

    public boolean hasLoudness() { return meter != null; }

    /** Integrated loudness in LUFS (-inf for silence), NaN without a meter. */
    public double integratedLufs() { return meter == null ? Double.NaN : meter.integratedLufs(); }

    public double loudnessRangeLu() { return meter == null ? Double.NaN : meter.loudnessRangeLu(); }

    public double truePeakDbtp() { return meter == null ? Double.NaN : meter.truePeakDbtp(); }
}
