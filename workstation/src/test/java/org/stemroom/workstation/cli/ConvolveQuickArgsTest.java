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
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/**
 * The start-up fast path of {@code convolve} ({@link ConvolveCommand#quick}) against picocli, which stays the
 * definition: every option parses to the same field values both ways, what the fast path does not handle is left to
 * picocli, and a job run through {@link StemroomCli#executeQuick} writes the same bytes as through picocli.
 */
class ConvolveQuickArgsTest {
    @TempDir
    Path dir;

    private static void assertSameAsPicocli(String... args) throws Exception {
        ConvolveCommand quick = ConvolveCommand.quick(args);
        assertNotNull(quick, "fast path should take " + Arrays.toString(args));
        ConvolveCommand ref = QuickArgsCheck.picocli(new ConvolveCommand(), args);
        String what = Arrays.toString(args);
        int compared = QuickArgsCheck.assertSameOptionFields(ref, quick, what);
        assertTrue(compared >= 12, "every option field compared, got " + compared);
        assertEquals(ref.source.ir, quick.source.ir, what + ": --ir");
        assertEquals(ref.source.room, quick.source.room, what + ": --room");
    }

    @Test
    void everyOptionParsesTheSameOnTheFastPath() throws Exception {
        assertSameAsPicocli("convolve", "in.wav", "--ir", "room.wav", "-o", "out.wav");
        assertSameAsPicocli("convolve", "in.wav", "--room", "live-room", "--output=out.wav", "-q");
        assertSameAsPicocli("convolve", "--wet", "1", "--dry", "0", "in.wav", "--ir=h.json", "--predelay", "10ms",
                "--ir-layout", "true-stereo", "--layout", "5.1", "--normalize", "none", "--tail", "0", "--format", "24",
                "--threads", "2", "--quiet", "-o", "x.wav");
        assertSameAsPicocli("convolve", "in.wav", "--room", "vocal-booth", "--wet", "-0.5", "-o", "x.wav");
    }

    @Test
    void picocliTakesWhatTheFastPathDoesNot() {
        assertNull(ConvolveCommand.quick(new String[] {"convolve", "--help"}));
        assertNull(ConvolveCommand.quick(new String[] {"convolve", "in.wav", "-o", "x.wav"}), "no IR source");
        assertNull(ConvolveCommand.quick(new String[] {"convolve", "in.wav", "--ir", "a.wav", "--room", "live-room", "-o", "x.wav"}));
        assertNull(ConvolveCommand.quick(new String[] {"convolve", "in.wav", "--ir", "a.wav"}), "no output");
        assertNull(ConvolveCommand.quick(new String[] {"convolve", "in.wav", "--ir", "a.wav", "-o", "x.wav", "--threads", "two"}));
        assertNull(ConvolveCommand.quick(new String[] {"convolve", "in.wav", "--ir", "a.wav", "-o", "x.wav", "--bogus", "1"}));
        assertNull(ConvolveCommand.quick(new String[] {"convolve", "a.wav", "b.wav", "--ir", "a.wav", "-o", "x.wav"}));
    }

    /** Writes dir/in.wav (a mono sine of {@code inFrames}) and dir/ir.wav (a decaying mono IR of {@code irFrames}). */
    private void writeInputAndIr(int inFrames, int irFrames) throws Exception {
        int rate = 48000;
        float[] x = new float[inFrames];
        float[] h = new float[irFrames];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.01) * 0.5f;
        for (int i = 0; i < h.length; i++) h[i] = (float) (Math.exp(-i / 800.0) * ((i * 7919 % 13) - 6) / 12.0);
        AudioFiles.write(dir.resolve("in.wav"), new AudioClip(AudioFormat.of(rate, 1), new float[][] {x}), SampleFormat.FLOAT_32);
        AudioFiles.write(dir.resolve("ir.wav"), new AudioClip(AudioFormat.of(rate, 1), new float[][] {h}), SampleFormat.FLOAT_32);
    }

    @Test
    void fastPathWritesTheSameFileAsPicocli() throws Exception {
        writeInputAndIr(24000, 4800);
        Path in = dir.resolve("in.wav");
        Path ir = dir.resolve("ir.wav");
        Path a = dir.resolve("quick.wav");
        Path b = dir.resolve("picocli.wav");
        String[] args = {"convolve", in.toString(), "--ir", ir.toString(), "--wet", "0.5", "-q", "-o", a.toString()};
        StringWriter err = new StringWriter();
        assertEquals(0, StemroomCli.executeQuick(args, new PrintWriter(err, true)), err.toString());
        String[] viaPicocli = args.clone();
        viaPicocli[viaPicocli.length - 1] = b.toString();
        assertEquals(0, StemroomCli.commandLineFor(viaPicocli).execute(viaPicocli));
        assertArrayEquals(Files.readAllBytes(b), Files.readAllBytes(a));
        // a failure while running is reported, not thrown, with a non-zero exit code
        String[] missing = {"convolve", dir.resolve("nope.wav").toString(), "--ir", ir.toString(), "-o", a.toString()};
        StringWriter err2 = new StringWriter();
        int rc = StemroomCli.executeQuick(missing, new PrintWriter(err2, true));
        assertTrue(rc != 0 && err2.toString().contains("nope.wav"), rc + " " + err2);
    }
    /**
     * A fast-path job in a fresh JVM loads no picocli class. picocli's class files (Java 5) cannot go into the
     * class-data archive, so one loaded class makes the JVM open and index the whole jar at every start; the verifier
     * loads the types that StemroomCli's own methods throw or pass as interfaces, so picocli's must stay out of them.
     */
    @Test
    void fastPathLoadsNoPicocliClass() throws Exception {
        writeInputAndIr(4800, 480);
        Path in = dir.resolve("in.wav");
        Path ir = dir.resolve("ir.wav");
        Path log = dir.resolve("classes.txt");
        Path out = dir.resolve("out.wav");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xshare:off", "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), StemroomCli.class.getName(), "convolve", in.toString(),
                "--ir", ir.toString(), "-q", "-o", out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("out.txt")));
        assertTrue(Files.exists(out));
        String classes = Files.readString(log);
        assertTrue(classes.contains("org.stemroom.workstation.cli.ConvolveCommand "), "the log lists the job's classes");
        assertTrue(!classes.contains(" picocli."), "picocli loaded on the fast path:\n" + classes.lines()
                .filter(l -> l.contains(" picocli.")).reduce("", (a, b) -> a + b + "\n"));
    }
}
