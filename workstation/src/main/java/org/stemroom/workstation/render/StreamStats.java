package org.stemroom.workstation.render;

import org.stemroom.core.AudioBuffer;

/** Sample peak and RMS of a stream, accumulated block by block (double sums: exact enough for hours). */
public final class StreamStats {
    private double peak;
    private double sumSquares;
    private long samples;

    public void add(AudioBuffer b) {
        for (int c = 0; c < b.channels(); c++) {
            float[] x = b.channel(c);
            for (int i = 0; i < b.frames(); i++) {
                double v = x[i];
                double a = Math.abs(v);
                if (a > peak) peak = a;
                sumSquares += v * v;
            }
        }
        samples += (long) b.frames() * b.channels();
    }

    public double peakDbfs() { return peak > 0 ? 20 * Math.log10(peak) : Double.NEGATIVE_INFINITY; }

    public double rmsDbfs() {
        return sumSquares > 0 ? 10 * Math.log10(sumSquares / samples) : Double.NEGATIVE_INFINITY;
    }
}
