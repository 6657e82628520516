package org.stemroom.trainer.train;

import org.stemroom.core.StemroomException;

/**
 * A fixed, indexable list of songs, the same on every call (the corpus renders them from seeds): the trainer asks
 * for them in an order shuffled per epoch and never keeps more than a pool of them in memory.
 */
public interface SongSource {
    int size();

    Song song(int index) throws StemroomException;

    /** Songs {@code [from, to)} of {@code s}, in order. */
    static SongSource range(SongSource s, int from, int to) {
        if (from < 0 || to > s.size() || from > to) throw new IndexOutOfBoundsException(from + ".." + to + " of " + s.size());
        return new SongSource() {
            @Override
            public int size() { return to - from; }

            @Override
            public Song song(int index) throws StemroomException {
                if (index < 0 || index >= to - from) throw new IndexOutOfBoundsException(index);
                return s.song(from + index);
            }
        };
    }

    /** The songs of each part one after another (several corpus folders trained on as one). */
    static SongSource concat(java.util.List<? extends SongSource> parts) {
        if (parts.size() == 1) return parts.get(0);
        java.util.List<SongSource> list = java.util.List.copyOf(parts);
        int total = 0;
        for (SongSource p : list) total += p.size();
        int size = total;
        return new SongSource() {
            @Override
            public int size() { return size; }

            @Override
            public Song song(int index) throws StemroomException {
                if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
                int i = index;
                for (SongSource p : list) {
                    if (i < p.size()) return p.song(i);
                    i -= p.size();
                }
                throw new IllegalStateException("unreachable");
            }
        };
    }
}
