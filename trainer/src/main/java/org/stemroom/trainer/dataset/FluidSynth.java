package org.stemroom.trainer.dataset;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the fluidsynth command-line synthesizer (2.x) to render a MIDI file offline: fast render ({@code -F}),
 * no shell, reverb and chorus off (rooms come from our own convolution), 16-bit FLAC out. Its float synthesis
 * and the float-to-16-bit conversion involve no randomness, so the same MIDI file, soundfont, gain and rate give
 * the same bytes on every run (checked by the tests).
 */
public final class FluidSynth {
    /** Synth gain: loud enough for a 16-bit cache, low enough that a dense drum part stays below full scale. */
    public static final double GAIN = 0.5;

    private FluidSynth() { }

    /** The fluidsynth executable on the PATH, or null. */
    public static Path executable() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "fluidsynth");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    public static boolean available() {
        return executable() != null;
    }

    /**
     * Renders {@code midi} with {@code soundfont} into {@code flac} (16-bit stereo FLAC at {@code rate}).
     * Fails with fluidsynth's own messages when it exits non-zero, times out or writes nothing.
     */
    public static void render(Path soundfont, Path midi, Path flac, int rate, long timeoutSeconds) throws IOException {
        Path exe = executable();
        if (exe == null) throw new IOException("fluidsynth not found on PATH (install the Debian package fluidsynth)");
        List<String> cmd = List.of(exe.toString(), "-n", "-i", "-q", "-R", "0", "-C", "0",
                "-g", String.valueOf(GAIN), "-r", String.valueOf(rate), "-T", "flac", "-O", "s16",
                "-F", flac.toString(), soundfont.toString(), midi.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("fluidsynth timed out after " + timeoutSeconds + " s rendering " + midi);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fluidsynth rendered " + midi, e);
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(flac) || Files.size(flac) == 0) {
            throw new IOException("fluidsynth failed (exit " + p.exitValue() + ") rendering " + midi + " with "
                    + soundfont + ": " + out.strip());
        }
    }
}
