package org.stemroom.trainer.dataset;

/**
 * The two disjoint parts of the corpus. Song seeds carry their split in the top bit (training seeds are
 * non-negative, held-out seeds negative), so no held-out song can share a seed, and hence an arrangement or a
 * mix, with a training song whatever corpus seeds and song counts are used.
 */
public enum Split {
    TRAIN("train"),
    HELD_OUT("held-out");

    private final String label;

    Split(String label) { this.label = label; }

    /** {@code train} or {@code held-out}, as on the command line and in corpus.json. */
    public String label() { return label; }

    public static Split parse(String s) {
        for (Split v : values()) if (v.label.equalsIgnoreCase(s.trim()) || v.name().equalsIgnoreCase(s.trim())) return v;
        throw new IllegalArgumentException("unknown split '" + s + "' (train or held-out)");
    }

    /**
     * The seed of song {@code index} of a corpus seeded with {@code corpusSeed}: a SplitMix64 hash of both,
     * with the top bit cleared for training and set for held-out songs.
     */
    public long songSeed(long corpusSeed, long index) {
        long h = SplitMix.mix(SplitMix.mix(corpusSeed ^ 0x7A3C_91E5_0B4D_26F1L) + index);
        return this == TRAIN ? (h & Long.MAX_VALUE) : (h | Long.MIN_VALUE);
    }

    /** The split a song seed belongs to. */
    public static Split ofSeed(long songSeed) {
        return songSeed < 0 ? HELD_OUT : TRAIN;
    }
}
