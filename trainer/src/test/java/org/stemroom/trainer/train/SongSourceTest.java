package org.stemroom.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several corpus folders trained on as one ({@code train --corpus A,B}) and the held-back range views. */
class SongSourceTest {
    static SongSource named(String prefix, int n) {
        return new SongSource() {
            @Override
            public int size() { return n; }

            @Override
            public Song song(int i) {
                if (i < 0 || i >= n) throw new IndexOutOfBoundsException(i);
                return new Song(prefix + i, new float[][] {{i}}, Map.of());
            }
        };
    }

    @Test
    void concatenatesInOrderAndRangesSelectTheTail() throws Exception {
        SongSource a = named("a", 3), b = named("b", 2);
        SongSource all = SongSource.concat(List.of(a, b));
        assertEquals(5, all.size());
        String got = "";
        for (int i = 0; i < all.size(); i++) got += all.song(i).id() + " ";
        assertEquals("a0 a1 a2 b0 b1 ", got);
        SongSource tail = SongSource.range(all, 2, 5);
        assertEquals(3, tail.size());
        assertEquals("a2", tail.song(0).id());
        assertEquals("b1", tail.song(2).id());
        assertThrows(IndexOutOfBoundsException.class, () -> tail.song(3));
        assertThrows(IndexOutOfBoundsException.class, () -> all.song(5));
        assertThrows(IndexOutOfBoundsException.class, () -> SongSource.range(all, 4, 6));
        assertSame(a, SongSource.concat(List.of(a)));
    }
}
