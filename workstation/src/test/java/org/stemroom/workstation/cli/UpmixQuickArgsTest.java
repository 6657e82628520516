package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import picocli.CommandLine;

/**
 * The start-up fast path of {@code upmix} ({@link UpmixCommand#quick}) against picocli, which stays the definition:
 * every option picocli knows is parsed by the fast path to the same field values, and what the fast path does not
 * handle is left to picocli.
 */
class UpmixQuickArgsTest {
    @TempDir
    Path dir;

    private static void assertSameAsPicocli(String... args) throws Exception {
        UpmixCommand quick = UpmixCommand.quick(args);
        assertNotNull(quick, "fast path should take " + Arrays.toString(args));
        int compared = QuickArgsCheck.assertSameOptionFields(QuickArgsCheck.picocli(new UpmixCommand(), args), quick,
                Arrays.toString(args));
        assertTrue(compared >= 16, "every option field compared, got " + compared);
    }

    @Test
    void everyPicocliOptionParsesTheSameOnTheFastPath() throws Exception {
        CommandLine.Model.CommandSpec spec = new CommandLine(new UpmixCommand()).getCommandSpec();
        int options = 0;
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp()) continue;
            String value = o.arity().max == 0 ? null
                    : o.type() == double.class ? "0.75"
                    : o.type() == Path.class ? "x.wav" : "7.1";
            for (String name : o.names()) {
                List<String> args = new ArrayList<>(List.of("upmix", "in.wav"));
                if (!name.equals("-o") && !name.equals("--output")) args.addAll(List.of("-o", "out.wav"));
                args.add(name);
                if (value != null) args.add(value);
                assertSameAsPicocli(args.toArray(new String[0]));
                if (value != null && name.startsWith("--")) {
                    args.remove(args.size() - 1);
                    args.set(args.size() - 1, name + "=" + value);
                    assertSameAsPicocli(args.toArray(new String[0]));
                }
            }
            options++;
        }
        assertEquals(15, options, "options of upmix besides --help/--version");
    }

    @Test
    void defaultsAndTypicalCommandLines() throws Exception {
        assertSameAsPicocli("upmix", "in.wav", "-o", "out.wav");
        assertSameAsPicocli("upmix", "-o", "out.wav", "in.wav");
        assertSameAsPicocli("upmix", "in.wav", "--layout", "5.1", "--centre", "0.7", "--surround", "-3dB",
                "--surround-delay", "12ms", "--lfe-level", "-2dB", "--front-width", ".5", "-q", "-o", "out.wav");
        assertSameAsPicocli("upmix", "in.wav", "--exact-folddown", "--no-lfe", "--sample-format", "24", "-o", "o.wav");
        assertSameAsPicocli("upmix", "in.wav", "--surround=-6dB", "--centre=-0.5", "-o", "o.wav"); // invalid later, same parse
    }

    @Test
    void leavesEverythingElseToPicocli() {
        String[][] notQuick = {
                {"upmix", "--help"}, {"upmix", "-h"}, {"upmix", "--version"}, {"upmix"},
                {"upmix", "in.wav", "-o"}, {"upmix", "in.wav", "-o", "a.wav", "-o", "b.wav"},
                {"upmix", "in.wav", "other.wav", "-o", "a.wav"}, {"upmix", "in.wav", "-o", "--quiet"},
                {"upmix", "in.wav", "-o", "a.wav", "--no-such-option"}, {"upmix", "in.wav", "-qo", "a.wav"},
                {"upmix", "in.wav", "-o", "a.wav", "--"}, {"upmix", "@args.txt"}, {"upmix", "in.wav", "-o", "a.wav", "--quiet=true"},
                {"upmix", "in.wav", "-o", "a.wav", "--centre", "lots"}, {"upmix", "in.wav", "-o", "a.wav", "--layout"},
        };
        for (String[] a : notQuick) assertNull(UpmixCommand.quick(a), Arrays.toString(a));
    }

    @Test
    void fastPathRunsTheUpmixAndFallsBackForUsageErrors() throws Exception {
        int fs = 48_000;
        float[][] x = new float[2][fs / 2];
        for (int i = 0; i < x[0].length; i++) {
            x[0][i] = (float) (0.3 * Math.sin(0.05 * i));
            x[1][i] = (float) (0.2 * Math.sin(0.031 * i));
        }
        Path in = dir.resolve("in.wav");
        AudioFiles.write(in, new AudioClip(new AudioFormat(fs, ChannelLayout.STEREO), x), SampleFormat.FLOAT_32);
        Path quickOut = dir.resolve("quick.wav");
        Path picoOut = dir.resolve("pico.wav");
        StringWriter err = new StringWriter();
        assertEquals(0, StemroomCli.executeQuick(new String[] {"upmix", in.toString(), "-q", "-o", quickOut.toString()},
                new PrintWriter(err, true)), err.toString());
        assertEquals(0, CliRun.of("upmix", in.toString(), "-q", "-o", picoOut.toString()).code());
        assertTrue(Arrays.equals(Files.readAllBytes(picoOut), Files.readAllBytes(quickOut)), "same bytes both ways");
        // a bad value is a usage error: the fast path declines and picocli reports it (exit 2) ...
        assertEquals(-1, StemroomCli.executeQuick(new String[] {"upmix", in.toString(), "--centre", "2", "-o",
                dir.resolve("bad.wav").toString()}, new PrintWriter(new StringWriter(), true)));
        assertEquals(2, StemroomCli.execute("upmix", in.toString(), "--centre", "2", "-o", dir.resolve("bad.wav").toString()));
        assertFalse(Files.exists(dir.resolve("bad.wav")));
        // ... a missing input is a processing error, reported by the fast path as picocli's handler does (exit 1)
        StringWriter missing = new StringWriter();
        assertEquals(1, StemroomCli.executeQuick(new String[] {"upmix", dir.resolve("none.wav").toString(), "-o",
                dir.resolve("n.wav").toString()}, new PrintWriter(missing, true)));
        assertTrue(missing.toString().startsWith("stemroom: error: "), missing.toString());
        assertTrue(missing.toString().contains("none.wav"), missing.toString());
    }
}
