package org.stemroom.trainer.train;

import org.stemroom.core.StemroomException;

/**
 * A fixed, indexable list of songs, the same on every call (the corpus renders them from seeds): the trainer asks
 * for them in an order shuffled per epoch and never keeps more than a pool of them in memory.
 */
public interface SongSource {
    int size();

    Song song(int index) throws StemroomException;
}
