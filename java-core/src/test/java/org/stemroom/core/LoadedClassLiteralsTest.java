package org.stemroom.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoadedClassLiteralsTest {
    /** A constant pool with two-entry constants (long, double) before and between its string literals. */
    static final class Sample {
        static volatile long l = 1234567890123L;
        static volatile double d = 2.718281828459045;

        static String first() { return "first literal \u00e9\u4e2d\0"; } // modified UTF-8: 2 and 3 bytes, NUL as 2

        static long second() { return "second literal".length() + l + 9876543210987L + (long) (d * 1.4142135623730951); }
    }

    @Test
    void readsEveryStringLiteralOfAClassFile() throws Exception {
        try (InputStream in = Sample.class.getResourceAsStream("LoadedClassLiteralsTest$Sample.class")) {
            assertEquals(Set.of("first literal \u00e9\u4e2d\0", "second literal"),
                    Set.copyOf(LoadedClassLiterals.stringLiterals(new DataInputStream(in))));
        }
        assertTrue(Sample.second() > 0 && Sample.first().length() == 17);
    }

    @Test
    void internsTheLiteralsOfLoadedClasses() throws Exception {
        List.of(Sample.first()); // loaded
        assertTrue(LoadedClassLiterals.internAll() > 100, "literals of the JDK's and the project's loaded classes");
    }
}
