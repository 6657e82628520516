package org.stemroom.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A whole piece of audio held in memory: its format and one float array per channel, all of the same length.
 * For short material (impulse responses, test signals, analysis). Long files stream through
 * {@link AudioBuffer} blocks instead.
 */
public final class AudioClip {
    private final AudioFormat format;
    private final float[][] samples;

    public AudioClip(AudioFormat format, float[][] samples) {
        this.format = Objects.requireNonNull(format, "format");
        if (samples.length != format.channels()) {
            throw new IllegalArgumentException(samples.length + " channel arrays for a " + format.channels()
                    + "-channel format");
        }
        int n = samples[0].length;
        for (float[] c : samples) {
            if (c.length != n) throw new IllegalArgumentException("channel arrays differ in length");
        }
        this.samples = samples;
    }

    /** Silence of the given length. */
    public static AudioClip silence(AudioFormat format, int frames) {
        return new AudioClip(format, new float[format.channels()][frames]);
    }

    public AudioFormat format() { return format; }
    public int sampleRate() { return format.sampleRate(); }
    public int channels() { return samples.length; }
    public int frames() { return samples[0].length; }
    public double durationSeconds() { return frames() / (double) format.sampleRate(); }

    /** The backing array of one channel (not a copy). */
    public float[] channel(int c) { return samples[c]; }

    /** The backing arrays (not copies). */
    public float[][] samples() { return samples; }

    /** A view of the whole clip as an {@link AudioBuffer} sharing the same arrays. */
    public AudioBuffer asBuffer() { return AudioBuffer.wrap(samples); }

    public AudioClip copy() {
        float[][] d = new float[samples.length][];
        for (int c = 0; c < d.length; c++) d[c] = Arrays.copyOf(samples[c], samples[c].length);
        return new AudioClip(format, d);
    }
}
