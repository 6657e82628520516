package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.util.Arrays;
import picocli.CommandLine;

/** What the fast-path tests of convolve, upmix and render share: picocli's parse, and the option fields compared. */
final class QuickArgsCheck {
    private QuickArgsCheck() { }

    /** {@code command} with picocli's parse of {@code args} (args[0] is the subcommand's name). */
    static <T> T picocli(T command, String... args) {
        new CommandLine(command).parseArgs(Arrays.copyOfRange(args, 1, args.length));
        return command;
    }

    /** Asserts that every picocli option and parameter field is equal in both; returns how many were compared. */
    static int assertSameOptionFields(Object expected, Object actual, String what) throws IllegalAccessException {
        int compared = 0;
        for (Field f : expected.getClass().getDeclaredFields()) {
            if (f.getAnnotation(CommandLine.Option.class) == null && f.getAnnotation(CommandLine.Parameters.class) == null) continue;
            f.setAccessible(true);
            assertEquals(f.get(expected), f.get(actual), what + ": field " + f.getName());
            compared++;
        }
        return compared;
    }
}
