package org.stemroom.core;

import java.util.Arrays;

/**
 * Planar 32-bit float audio: one array per channel, a fixed capacity and a current frame count.
 * The arrays are allocated once (in a processor's {@code prepare}) and reused block after block;
 * nothing here allocates after construction except {@link #copy()}.
 */
public final class AudioBuffer {
    private final float[][] data;
    private int frames;

    /** A silent buffer of {@code channels} x {@code capacityFrames}, with {@code frames() == capacityFrames}. */
    public AudioBuffer(int channels, int capacityFrames) {
        if (channels < 1) throw new IllegalArgumentException("channels must be >= 1: " + channels);
        if (capacityFrames < 0) throw new IllegalArgumentException("capacity must be >= 0: " + capacityFrames);
        this.data = new float[channels][capacityFrames];
        this.frames = capacityFrames;
    }

    private AudioBuffer(float[][] data, int frames) {
        this.data = data;
        this.frames = frames;
    }

    /** Wraps existing channel arrays (all of the same length) without copying. */
    public static AudioBuffer wrap(float[][] channels) {
        if (channels.length == 0) throw new IllegalArgumentException("no channels");
        int n = channels[0].length;
        for (float[] c : channels) {
            if (c.length != n) throw new IllegalArgumentException("channel arrays differ in length");
        }
        return new AudioBuffer(channels, n);
    }

    /** Wraps existing channel arrays, using only the first {@code frames} samples of each. */
    public static AudioBuffer wrap(float[][] channels, int frames) {
        AudioBuffer b = wrap(channels);
        b.setFrames(frames);
        return b;
    }

    public int channels() { return data.length; }
    public int capacity() { return data[0].length; }
    public int frames() { return frames; }

    /** Sets the number of valid frames (0..capacity). Samples beyond it are left as they are. */
    public void setFrames(int frames) {
        if (frames < 0 || frames > data[0].length) {
            throw new IllegalArgumentException("frames " + frames + " outside 0.." + data[0].length);
        }
        this.frames = frames;
    }

    /** The backing array of one channel (length == capacity; only the first {@link #frames()} are valid). */
    public float[] channel(int c) { return data[c]; }

    /** All backing arrays; callers must respect {@link #frames()}. */
    public float[][] data() { return data; }

    public float get(int channel, int frame) { return data[channel][frame]; }
    public void set(int channel, int frame, float value) { data[channel][frame] = value; }

    /** Zeroes the valid frames of every channel. */
    public void clear() {
        for (float[] c : data) Arrays.fill(c, 0, frames, 0f);
    }

    /** Copies {@code src}'s channels and frame count into this buffer (same channel count, enough capacity). */
    public void copyFrom(AudioBuffer src) {
        checkSameChannels(src);
        setFrames(src.frames);
        for (int c = 0; c < data.length; c++) System.arraycopy(src.data[c], 0, data[c], 0, src.frames);
    }

    /** Adds {@code gain * src} into this buffer over {@code min(frames, src.frames)} frames. */
    public void addFrom(AudioBuffer src, float gain) {
        checkSameChannels(src);
        int n = Math.min(frames, src.frames);
        for (int c = 0; c < data.length; c++) {
            float[] d = data[c];
            float[] s = src.data[c];
            for (int i = 0; i < n; i++) d[i] += gain * s[i];
        }
    }

    public void applyGain(float gain) {
        for (float[] c : data) {
            for (int i = 0; i < frames; i++) c[i] *= gain;
        }
    }

    /** Largest absolute sample over the valid frames of all channels. */
    public float peak() {
        float p = 0f;
        for (float[] c : data) p = Math.max(p, peak(c, 0, frames));
        return p;
    }

    /**
     * Largest |x[i]| for i in [from, to), 0 for none; NaN when one is NaN. A loop of its own: C2 vectorizes this
     * maximum, where one beside another running sum is a scalar chain of compares and blends.
     */
    public static float peak(float[] x, int from, int to) {
        float p = 0f;
        for (int i = from; i < to; i++) p = Math.max(p, Math.abs(x[i]));
        return p;
    }

    /**
     * True when every sample of {@code x[from, to)} is zero (+0 or -0): a stretch that adds nothing to a sum of
     * squares, a peak or a convolution (a placed stem's speakers that its placement does not feed are zero).
     */
    public static boolean isZero(float[] x, int from, int to) {
        // stretch by stretch against a row of +0 by Arrays.mismatch (the JDK's vectorized compare, 32 bytes an
        // instruction; a test per sample with an early exit is a scalar loop): a placed stem's unfed speakers are
        // scanned whole, block after block, and a channel with sound leaves at its first sample that is not +0. The
        // compare is by bits, so a -0 is a mismatch that is still zero: the scan goes on after it.
        for (int i = from; i < to; ) {
            int end = Math.min(to, i + ZEROS.length);
            int k = Arrays.mismatch(x, i, end, ZEROS, 0, end - i);
            if (k < 0) {
                i = end;
            } else {
                if (x[i + k] != 0f) return false;
                i += k + 1;
            }
        }
        return true;
    }

    /**
     * True when every sample of {@code x[from, to)} is +0, its bits all zero (a -0 is not): stretch by stretch
     * against a row of +0 by {@code Arrays.mismatch} (which tells the zeros apart), as {@link #isZero}.
     */
    public static boolean isPositiveZero(float[] x, int from, int to) {
        for (int i = from; i < to; ) {
            int end = Math.min(to, i + ZEROS.length);
            if (Arrays.mismatch(x, i, end, ZEROS, 0, end - i) >= 0) return false;
            i = end;
        }
        return true;
    }

    /** The row of +0 that {@link #isZero} and {@link #isPositiveZero} compare with. */
    private static final float[] ZEROS = new float[1024];

    /** True when every valid sample is finite (no NaN, no infinity). */
    public boolean isFinite() {
        for (float[] c : data) {
            for (int i = 0; i < frames; i++) {
                if (!Float.isFinite(c[i])) return false;
            }
        }
        return true;
    }

    /** A deep copy trimmed to the valid frames. Allocates: not for audio threads. */
    public AudioBuffer copy() {
        float[][] d = new float[data.length][];
        for (int c = 0; c < data.length; c++) d[c] = Arrays.copyOf(data[c], frames);
        return new AudioBuffer(d, frames);
    }

    private void checkSameChannels(AudioBuffer other) {
        if (other.data.length != data.length) {
            throw new IllegalArgumentException("channel count " + other.data.length + " != " + data.length);
        }
    }
}
