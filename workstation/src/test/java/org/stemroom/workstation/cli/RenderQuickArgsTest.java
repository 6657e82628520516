package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.workstation.render.RenderEngineTest;

/**
 * The start-up fast path of {@code render} ({@link RenderCommand#quick}) against picocli, which stays the
 * definition: every option parses to the same field values both ways, what the fast path does not handle is left to
 * picocli, and a render run through {@link StemroomCli#executeQuick} writes the same bytes as through picocli.
 */
class RenderQuickArgsTest {
    @TempDir
    Path dir;

    private static void assertSameAsPicocli(String... args) throws Exception {
        RenderCommand quick = RenderCommand.quick(args);
        assertNotNull(quick, "fast path should take " + Arrays.toString(args));
        int compared = QuickArgsCheck.assertSameOptionFields(QuickArgsCheck.picocli(new RenderCommand(), args), quick,
                Arrays.toString(args));
        assertEquals(11, compared, "every option field compared");
    }

    @Test
    void everyOptionParsesTheSameOnTheFastPath() throws Exception {
        assertSameAsPicocli("render", "in.wav", "-o", "out");
        assertSameAsPicocli("render", "in.wav", "--preset", "surround-audience", "--layout", "5.1", "--room", "r.wav",
                "-q", "--output=out");
        assertSameAsPicocli("render", "--separator", "hpss", "--bits", "16", "--stem-bits", "24", "--timings",
                "--quiet", "--room=none", "in.wav", "-o", "o", "--layout=7.1", "--preset=p.json");
        assertSameAsPicocli("render", "--replay", "a/render.json", "-o", "b");
        assertSameAsPicocli("render", "other.wav", "--replay", "a/render.json", "-o", "b");
    }

    @Test
    void picocliTakesWhatTheFastPathDoesNot() {
        assertNull(RenderCommand.quick(new String[] {"render", "--help"}));
        assertNull(RenderCommand.quick(new String[] {"render", "-V"}));
        assertNull(RenderCommand.quick(new String[] {"render", "in.wav"}), "no output");
        assertNull(RenderCommand.quick(new String[] {"render", "-o", "out"}), "neither an input nor --replay");
        assertNull(RenderCommand.quick(new String[] {"render", "a.wav", "b.wav", "-o", "out"}), "two inputs");
        assertNull(RenderCommand.quick(new String[] {"render", "in.wav", "-o", "out", "--bogus", "1"}));
        assertNull(RenderCommand.quick(new String[] {"render", "in.wav", "-o", "out", "-o", "again"}), "repeated");
        assertNull(RenderCommand.quick(new String[] {"render", "in.wav", "-qo", "out"}), "clustered short options");
        assertNull(RenderCommand.quick(new String[] {"render", "in.wav", "-o", "out", "--preset"}), "missing value");
        // the missing input is picocli's usage error (exit code 2), as before
        CliRun r = CliRun.of("render", "-o", "out");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("INPUT"), r.err());
    }

    @Test
    void fastPathWritesTheSameFilesAsPicocli() throws Exception {
        Path in = RenderEngineTest.writeTone(dir, "master.wav", 2, 1.0, 0.5);
        Path a = dir.resolve("quick");
        Path b = dir.resolve("picocli");
        String[] args = {"render", in.toString(), "--layout", "5.1", "--room", "none", "-q", "-o", a.toString()};
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, StemroomCli.executeQuick(args, new PrintWriter(out, true), new PrintWriter(err, true)), err.toString());
        assertTrue(out.toString().startsWith("rendered ") && out.toString().contains("report.html"), out.toString());
        String[] viaPicocli = args.clone();
        viaPicocli[viaPicocli.length - 1] = b.toString();
        CliRun ref = CliRun.of(viaPicocli);
        assertEquals(0, ref.code(), ref.err());
        for (String f : new String[] {"mix-5.1.wav", "stems/vocals.wav", "stems/drums.wav", "stems-5.1/bass.wav"}) {
            assertArrayEquals(Files.readAllBytes(b.resolve(f)), Files.readAllBytes(a.resolve(f)), f);
        }
        // a failure while running is reported, not thrown, with picocli's exit code and the file named
        String[] missing = {"render", dir.resolve("nope.wav").toString(), "-o", dir.resolve("c").toString()};
        StringWriter err2 = new StringWriter();
        int rc = StemroomCli.executeQuick(missing, new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true));
        assertEquals(1, rc, err2.toString());
        assertTrue(err2.toString().contains("nope.wav"), err2.toString());
    }

    /** A fast-path render in a fresh JVM loads no picocli class (see ConvolveQuickArgsTest: Java 5 class files). */
    @Test
    void fastPathLoadsNoPicocliClass() throws Exception {
        Path in = RenderEngineTest.writeTone(dir, "master.wav", 1, 0.5, 0.5);
        Path log = dir.resolve("classes.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xshare:off", "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), StemroomCli.class.getName(), "render", in.toString(),
                "--room", "none", "-q", "-o", dir.resolve("out").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("out.txt")));
        assertTrue(Files.readString(dir.resolve("out.txt")).contains("rendered "), Files.readString(dir.resolve("out.txt")));
        String classes = Files.readString(log);
        assertTrue(classes.contains("org.stemroom.workstation.cli.RenderCommand "), "the log lists the job's classes");
        assertTrue(!classes.contains(" picocli."), "picocli loaded on the fast path:\n" + classes.lines()
                .filter(l -> l.contains(" picocli.")).reduce("", (a, b) -> a + b + "\n"));
    }
}
