package org.stemroom.core;

import java.util.Objects;

/** Sample rate and channel layout of a stream. Samples inside stemroom are always 32-bit float. */
public final class AudioFormat {
    public static final int MIN_RATE = 8_000;
    public static final int MAX_RATE = 384_000;

    private final int sampleRate;
    private final ChannelLayout layout;

    public AudioFormat(int sampleRate, ChannelLayout layout) {
        if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRate + " Hz (supported "
                    + MIN_RATE + " to " + MAX_RATE + " Hz)");
        }
        this.sampleRate = sampleRate;
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    public static AudioFormat of(int sampleRate, int channels) {
        return new AudioFormat(sampleRate, ChannelLayout.defaultFor(channels));
    }

    public int sampleRate() { return sampleRate; }
    public ChannelLayout layout() { return layout; }
    public int channels() { return layout.channelCount(); }

    public AudioFormat withLayout(ChannelLayout newLayout) { return new AudioFormat(sampleRate, newLayout); }
    public AudioFormat withSampleRate(int rate) { return new AudioFormat(rate, layout); }

    public double framesToSeconds(long frames) { return frames / (double) sampleRate; }
    public long secondsToFrames(double seconds) { return Math.round(seconds * sampleRate); }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AudioFormat)) return false;
        AudioFormat that = (AudioFormat) o;
        return sampleRate == that.sampleRate && layout.equals(that.layout);
    }

    @Override
    public int hashCode() { return Objects.hash(sampleRate, layout); }

    @Override
    public String toString() { return sampleRate + " Hz " + layout.name(); }
}
