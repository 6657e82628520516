package org.stemroom.separation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stemroom.core.AudioClip;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;

class SeparationTest {

    /** A separator returning its input, cut into 1 s chunks with 0.25 s cross-fades: no seam above -100 dBFS. */
    @Test
    void chunkSeamsAreInvisible() throws Exception {
        AudioClip mix = TestSeparators.music(44100, 2, 5.3, 1);
        StemSet out = new Separation(TestSeparators.identity(1.0, 0.25))
                .consistency(Separation.Consistency.NONE).separate(mix, Progress.NONE);
        assertEquals(List.of("all"), out.names());
        double worst = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < mix.frames(); i++) {
                worst = Math.max(worst, Math.abs(out.get("all").channel(c)[i] - mix.channel(c)[i]));
            }
        }
        assertTrue(worst < 1e-5, "seam error " + 20 * Math.log10(worst + 1e-30) + " dBFS");
    }

    @Test
    void residualIsDistributedSoStemsSumToTheMixture() throws Exception {
        for (int ch = 1; ch <= 2; ch++) {
            AudioClip mix = TestSeparators.music(44100, ch, 3.7, 2);
            StemSet raw = TestSeparators.lossy().separate(mix);
            assertTrue(raw.consistencyError(mix) > 0.05, "the test separator must be lossy");
            StemSet out = new Separation(TestSeparators.lossy()).chunking(1.0, 0.2).separate(mix, Progress.NONE);
            assertEquals(ch, out.channels(), "mono stays mono, stereo stays stereo");
            assertEquals(mix.frames(), out.frames());
            assertTrue(out.consistencyError(mix) <= 1e-5, "error " + out.consistencyError(mix));
            // The residual goes mostly where each stem has energy: the low stem stays low.
            double before = lowShare(raw.get("low").channel(0), 44100);
            double after = lowShare(out.get("low").channel(0), 44100);
            double highAfter = lowShare(out.get("high").channel(0), 44100);
            assertTrue(after > 0.8 * before && highAfter < 0.5 * after,
                    "low stem kept its character: low share " + before + " -> " + after + ", high stem " + highAfter);
        }
    }

    @Test
    void residualStemOnRequest() throws Exception {
        AudioClip mix = TestSeparators.music(22050, 2, 2.0, 3);
        StemSet out = new Separation(TestSeparators.lossy()).consistency(Separation.Consistency.RESIDUAL_STEM)
                .separate(mix, Progress.NONE);
        assertEquals(List.of("low", "high", StemSet.RESIDUAL), out.names());
        assertTrue(out.consistencyError(mix) <= 1e-5);
        StemSet raw = TestSeparators.lossy().separate(mix);
        assertEquals(raw.get("low").channel(1)[12345], out.get("low").channel(1)[12345], 0f, "estimates untouched");
    }

    @Test
    void stemSelectionMergesTheRestAndUnknownStemsAreRefused() throws Exception {
        AudioClip mix = TestSeparators.music(22050, 1, 1.5, 4);
        Separation s = new Separation(TestSeparators.lossy()).stems(List.of("low"));
        assertEquals(List.of("low", "rest"), s.outputNames());
        StemSet out = s.separate(mix, Progress.NONE);
        assertTrue(out.consistencyError(mix) <= 1e-5);
        StemroomException e = assertThrows(StemroomException.class,
                () -> new Separation(TestSeparators.lossy()).stems(List.of("vocals")));
        assertTrue(e.getMessage().contains("vocals") && e.getMessage().contains("[low, high]"), e.getMessage());
    }

    /** A 60-minute stereo 44.1 kHz stream separates in a JVM limited to 1 GiB of heap. */
    @Test
    void sixtyMinutesInUnderOneGibOfHeap() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                LongStreamCheck.class.getName(), "3600").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertEquals(0, rc, out);
        assertTrue(out.contains("frames=158760000"), out);
    }

    private static double lowShare(float[] x, int rate) {
        // energy below ~700 Hz (one-pole split as in the test separator) over total energy
        double lo = 0, all = 0;
        float y = 0;
        for (float v : x) {
            y += 0.05f * (v - y);
            lo += y * y;
            all += v * v;
        }
        return lo / all;
    }
}
