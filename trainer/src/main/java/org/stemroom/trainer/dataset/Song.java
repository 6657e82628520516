package org.stemroom.trainer.dataset;

import java.util.LinkedHashMap;
import java.util.List;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

/**
 * One generated training or evaluation example: the mixture and its four target stems, all planar
 * {@code float[channel][frame]} at the same rate, channel count and length. The stems are named exactly
 * {@link #STEM_NAMES} (the separator's names; the lead melody is "vocals") and sum to the mixture: for every
 * channel and frame, {@code |mixture - (vocals + drums + bass + other)| <= 1e-6} (the mixture is the stems' sum
 * rounded once to float). Arrays are owned by the song; copy before modifying if the song is reused.
 */
public final class Song {
    /** Stem names in order. */
    public static final List<String> STEM_NAMES = List.of("vocals", "drums", "bass", "other");

    private final SongInfo info;
    private final float[][] mixture;
    private final LinkedHashMap<String, float[][]> stems;

    Song(SongInfo info, float[][] mixture, LinkedHashMap<String, float[][]> stems) {
        this.info = info;
        this.mixture = mixture;
        this.stems = stems;
    }

    public SongInfo info() { return info; }

    public int sampleRate() { return info.sampleRate(); }

    public int channels() { return mixture.length; }

    public int frames() { return mixture[0].length; }

    /** The mixture, {@code [channel][frame]}. */
    public float[][] mixture() { return mixture; }

    /** The stems by name, in the order of {@link #STEM_NAMES}. */
    public LinkedHashMap<String, float[][]> stems() { return stems; }

    public float[][] stem(String name) {
        float[][] s = stems.get(name);
        if (s == null) throw new IllegalArgumentException("no stem '" + name + "' (stems: " + STEM_NAMES + ")");
        return s;
    }

    public AudioClip mixtureClip() {
        return new AudioClip(AudioFormat.of(sampleRate(), channels()), mixture);
    }

    public AudioClip stemClip(String name) {
        return new AudioClip(AudioFormat.of(sampleRate(), channels()), stem(name));
    }

    /** Largest {@code |mixture - sum of stems|} over all samples (the sum taken in double). */
    public double sumError() {
        double worst = 0;
        for (int c = 0; c < channels(); c++) {
            for (int i = 0; i < frames(); i++) {
                double s = 0;
                for (float[][] st : stems.values()) s += st[c][i];
                worst = Math.max(worst, Math.abs(mixture[c][i] - s));
            }
        }
        return worst;
    }
}
