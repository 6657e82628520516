package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/**
 * The launcher (./stemroom) runs `render` of a WAV shorter than 8 s on the C1 compiler alone and any longer one with
 * tiered compilation (its length read from the header by the shell, wav_seconds). The launcher is run as users run
 * it, with a stand-in `java` first on the PATH that records the options it was given; the lengths sit on both sides
 * of the threshold (7.99 s and 8 s), so a changed threshold or a header the shell misreads fails.
 */
class LauncherShortRenderTest {
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    @TempDir
    Path tmp;

    @Test
    void renderOfAShortWavRunsOnC1AloneAndALongerOneTiered() throws Exception {
        LauncherStandIn launcher = new LauncherStandIn(tmp);

        int rate = 8000;
        assertTrue(options(launcher, wav(rate, 2 * rate, 2)).contains(C1_ONLY), "2 s stereo");
        assertTrue(options(launcher, wav(rate, 8 * rate - 80, 1)).contains(C1_ONLY), "7.99 s mono");
        List<String> eight = options(launcher, wav(rate, 8 * rate, 1));
        assertFalse(eight.contains(C1_ONLY), "8 s: " + eight);
        assertTrue(eight.contains("-XX:CICompilerCount=3"), "the render branch's options: " + eight);
        assertFalse(options(launcher, wav(rate, 60 * rate, 2)).contains(C1_ONLY), "60 s");
        // not a WAV the shell can read (here a missing file): tiered, as before
        assertFalse(options(launcher, tmp.resolve("missing.wav")).contains(C1_ONLY), "missing input");
    }

    private Path wav(int rate, int frames, int channels) throws Exception {
        Path p = tmp.resolve(frames + "x" + channels + ".wav");
        AudioFiles.write(p, new AudioClip(AudioFormat.of(rate, channels), new float[channels][frames]),
                SampleFormat.PCM_16);
        return p;
    }

    private static List<String> options(LauncherStandIn launcher, Path input) throws Exception {
        List<String> got = launcher.run("render", input.toString(), "-q", "-o",
                launcher.root().resolve("out").toString());
        assertTrue(got.contains(input.toString()), "the input is passed on: " + got);
        return got;
    }
}
