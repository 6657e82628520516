package org.stemroom.trainer.dataset;

import java.util.Random;

/**
 * Seed derivation: every random decision of a song comes from a {@link Random} seeded by
 * {@code mix(songSeed, stream)}, one stream per concern (arrangement, mix, noise, ...), so adding a decision to
 * one concern does not shift the others, and songs never depend on the order or thread they are made in.
 */
final class SplitMix {
    private SplitMix() { }

    /** SplitMix64 finalizer (Steele, Lea and Flood 2014). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static Random stream(long songSeed, String concern) {
        long h = songSeed;
        for (int i = 0; i < concern.length(); i++) h = mix(h + concern.charAt(i));
        return new Random(mix(h));
    }
}
