package org.stemroom.trainer.train;

import java.util.Map;

/**
 * One training example: a mixture and its stems (planar {@code [channel][sample]}, same length and channel count),
 * at the model's sample rate. The stems need not sum exactly to the mixture (a degraded master's targets are the
 * clean stems).
 */
public record Song(String id, float[][] mixture, Map<String, float[][]> stems) {
    public int channels() { return mixture.length; }

    public int frames() { return mixture[0].length; }
}
