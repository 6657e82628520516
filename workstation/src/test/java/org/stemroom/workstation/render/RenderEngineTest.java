package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.Preset;
import org.stemroom.presets.Presets;

public class RenderEngineTest {
    static final int RATE = 48_000;

    public static Path writeTone(Path dir, String name, int channels, double seconds, double amp) throws Exception {
        int n = (int) (seconds * RATE);
        float[][] x = new float[channels][n];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            double v = amp * (0.5 * Math.sin(2 * Math.PI * 220 * t) + 0.3 * Math.sin(2 * Math.PI * 1760 * t)
                    + 0.1 * rnd.nextGaussian() * Math.exp(-(i % 12000) / 900.0));
            for (int c = 0; c < channels; c++) x[c][i] = (float) (c == 0 ? v : 0.7 * v);
        }
        Path p = dir.resolve(name);
        AudioFiles.write(p, new AudioClip(AudioFormat.of(RATE, channels), x), SampleFormat.FLOAT_32);
        return p;
    }

    static Preset centrePreset() throws Exception {
        return Presets.parse("{\"version\":1,\"name\":\"centre\",\"layouts\":{"
                + "\"5.1\":{\"stems\":{\"default\":{\"azimuth\":0,\"distance\":1}}},"
                + "\"stereo\":{\"stems\":{\"default\":{\"azimuth\":0,\"distance\":1}}}},"
                + "\"master\":{\"truePeakDbtp\":-1}}", "centre");
    }

    @Test
    void wholeMixToCentreIsSampleAlignedAndFilesAppearAtomically(@TempDir Path dir) throws Exception {
        Path in = writeTone(dir, "in.wav", 1, 3.0, 0.5);
        Path out = dir.resolve("out");
        RenderSettings s = RenderSettings.of(in, centrePreset()).withLayout("5.1").withRoom("none")
                .withSeparator("none").withFormats(SampleFormat.FLOAT_32, SampleFormat.FLOAT_32);
        RenderEngine.RenderResult r = new RenderEngine(null).render(s, out);
        assertTrue(Files.exists(out.resolve("render.json")));
        assertTrue(Files.exists(out.resolve("stems/mix.wav")));
        assertTrue(Files.exists(out.resolve("stems-5.1/mix.wav")));
        try (Stream<Path> files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".")), "no staging left behind");
        }
        AudioClip input = AudioFiles.readAll(in);
        try (AudioFileReader rd = AudioFileReader.open(r.mixFile())) {
            assertEquals(ChannelLayout.SURROUND_5_1, rd.format().layout());
        }
        AudioClip mix = AudioFiles.readAll(r.mixFile());
        assertEquals(input.frames(), mix.frames());
        int c = ChannelLayout.SURROUND_5_1.indexOf(org.stemroom.core.Speaker.C);
        double err = 0;
        double other = 0;
        for (int i = 0; i < input.frames(); i++) {
            err = Math.max(err, Math.abs(mix.channel(c)[i] - input.channel(0)[i]));
            for (int k = 0; k < 6; k++) if (k != c) other = Math.max(other, Math.abs(mix.channel(k)[i]));
        }
        System.out.printf("centre render: max error %.3g, max other channel %.3g%n", err, other);
        assertTrue(err < 1e-3, "centre channel equals the input, sample-aligned: " + err);
        assertTrue(other < 1e-6, "nothing in the other channels: " + other);
        double[] end = r.stageSeconds.get(RenderEngine.END_STAGE);
        assertTrue(end != null && end[0] > 0 && end[1] >= 0, "--timings has the end phase, wall and CPU");
    }

    /**
     * The room loads beside the separation: a room that does not exist still fails at once, and one that cannot be
     * read fails the render (from the placing thread, two threads or one) with the room loader's message naming the
     * file, and leaves nothing in the output folder.
     */
    @Test
    void aMissingOrUnreadableRoomFailsTheRenderWithItsName(@TempDir Path dir) throws Exception {
        Path in = writeTone(dir, "in.wav", 1, 1.0, 0.5);
        RenderSettings base = RenderSettings.of(in, centrePreset()).withLayout("5.1").withSeparator("none");
        Path missing = dir.resolve("no-such-room.wav");
        org.stemroom.core.StemroomException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.stemroom.core.StemroomException.class,
                () -> new RenderEngine(null).render(base.withRoom(missing.toString()), dir.resolve("out0")));
        assertTrue(e.getMessage().contains("no-such-room.wav") && e.getMessage().contains("neither a built-in room"),
                e.getMessage());
        Path garbage = dir.resolve("garbage-room.wav");
        Files.write(garbage, "not a RIFF file at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (boolean pipelined : new boolean[] {true, false}) {
            Path out = dir.resolve("out-" + pipelined);
            Exception f = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> new RenderEngine(null, pipelined).render(base.withRoom(garbage.toString()), out));
            assertTrue(f instanceof java.io.IOException || f instanceof org.stemroom.core.StemroomException, f.toString());
            assertTrue(f.getMessage().contains("garbage-room.wav") && f.getMessage().contains("cannot read the room"),
                    f.getMessage());
            try (Stream<Path> left = Files.list(out)) {
                assertEquals(0, left.count(), "nothing published, no staging left after a failed render");
            }
        }
    }

    @Test
    void loudnessTargetAndTruePeakCeilingAreMet(@TempDir Path dir) throws Exception {
        Path in = writeTone(dir, "in.wav", 2, 6.0, 0.3);
        // broadcast-vocal-centre: -23 LUFS integrated, -1 dBTP ceiling
        RenderSettings s = RenderSettings.of(in, Presets.builtIn("broadcast-vocal-centre")).withRoom("none")
                .withSeparator("none").withFormats(SampleFormat.FLOAT_32, SampleFormat.FLOAT_32);
        RenderEngine.RenderResult r = new RenderEngine(null).render(s, dir.resolve("o"));
        org.stemroom.core.loudness.LoudnessMeter m = org.stemroom.core.loudness.LoudnessMeter.measure(AudioFiles.readAll(r.mixFile()));
        System.out.printf("broadcast render: %.2f LUFS (target -23), %.2f dBTP (ceiling -1), master gain %.2f dB%n",
                m.integratedLufs(), m.truePeakDbtp(), r.masterGainDb);
        assertEquals(-23.0, m.integratedLufs(), 0.3, "integrated loudness on target");
        assertTrue(m.truePeakDbtp() <= -1.0, "true peak under the ceiling: " + m.truePeakDbtp());

        // A hot master pushed to -5 LUFS: the limiter holds the ceiling.
        Preset hot = Presets.parse(Presets.toJson(Presets.builtIn("room-restoration"))
                .replace("\"loudnessLufs\" : null", "\"loudnessLufs\" : -5.0"), "hot");
        RenderEngine.RenderResult h = new RenderEngine(null).render(RenderSettings.of(in, hot).withRoom("none")
                .withSeparator("none").withFormats(SampleFormat.FLOAT_32, SampleFormat.FLOAT_32), dir.resolve("h"));
        org.stemroom.core.loudness.LoudnessMeter hm = org.stemroom.core.loudness.LoudnessMeter.measure(AudioFiles.readAll(h.mixFile()));
        System.out.printf("hot render: %.2f LUFS, %.2f dBTP, limiter reduction %.1f dB%n", hm.integratedLufs(),
                hm.truePeakDbtp(), -h.limiterMinGainDb);
        assertTrue(-h.limiterMinGainDb > 1, "the limiter worked");
        assertTrue(hm.truePeakDbtp() <= -1.0, "true peak under the ceiling: " + hm.truePeakDbtp());
    }

    @Test
    void sameSettingsGiveTheSameBits(@TempDir Path dir) throws Exception {
        Path in = writeTone(dir, "in.wav", 2, 2.0, 0.9);
        RenderSettings s = RenderSettings.of(in, Presets.builtIn("surround-in-the-band")).withRoom("vocal-booth")
                .withSeparator("default");
        RenderEngine.RenderResult a = new RenderEngine(null, false).render(s, dir.resolve("a"));
        RenderManifest.Recorded rec = RenderManifest.read(dir.resolve("a/render.json"));
        // replayed from render.json, and on two threads instead of one: the same bits
        RenderEngine.RenderResult b = new RenderEngine(null, true).render(rec.settings(), dir.resolve("b"));
        assertEquals(a.outputs, b.outputs);
        assertEquals(rec.outputs(), b.outputs);
        // the input's levels: measured on the reading thread (a) and on a side worker (b), the same figures
        assertEquals(a.inputStats.peakDbfs(), b.inputStats.peakDbfs());
        assertEquals(a.inputStats.rmsDbfs(), b.inputStats.rmsDbfs());
        assertEquals(a.inputStats.integratedLufs(), b.inputStats.integratedLufs());
        assertEquals(a.inputStats.loudnessRangeLu(), b.inputStats.loudnessRangeLu());
        assertEquals(a.inputStats.truePeakDbtp(), b.inputStats.truePeakDbtp());
        assertTrue(Double.isFinite(b.inputStats.truePeakDbtp()) && Double.isFinite(b.inputStats.integratedLufs()));
        assertEquals(a.mixtureError, b.mixtureError);
        org.junit.jupiter.api.Assertions.assertArrayEquals(a.thumbnails.get("input").max, b.thumbnails.get("input").max);
    }

    @Test
    void checksumsTakenWhileWritingAreThoseOfTheFiles(@TempDir Path dir) throws Exception {
        // The writers checksum every output as they write it; each must be the SHA-256 of the file read back, in the
        // result and in render.json: the streaming master (no loudness target, 5.1, float files) and the two-pass
        // master (a loudness target, stereo, 24-bit files: dither, odd-sized data for the mono stems).
        Path in = writeTone(dir, "in.wav", 2, 2.5, 0.8);
        Path mono = writeTone(dir, "mono.wav", 1, 1.0, 0.8);
        RenderSettings surround = RenderSettings.of(in, Presets.builtIn("surround-audience")).withRoom("vocal-booth")
                .withSeparator("default").withFormats(SampleFormat.FLOAT_32, SampleFormat.FLOAT_32);
        RenderSettings broadcast = RenderSettings.of(mono, Presets.builtIn("broadcast-vocal-centre"))
                .withRoom("vocal-booth").withSeparator("default").withFormats(SampleFormat.PCM_24, SampleFormat.PCM_24);
        int k = 0;
        for (RenderSettings s : java.util.List.of(surround, broadcast)) {
            Path out = dir.resolve("o" + k++);
            RenderEngine.RenderResult r = new RenderEngine(null, true).render(s, out);
            assertEquals(r.outputs, RenderManifest.read(out.resolve("render.json")).outputs());
            // the input's checksum (taken on the side pool from half-way through): the file's, in render.json too
            assertEquals(Sha256.of(s.input()), r.inputSha256);
            assertEquals(r.inputSha256, RenderManifest.read(out.resolve("render.json")).inputSha256());
            assertTrue(r.outputs.size() >= 10, "stems, placed stems, room, mix: " + r.outputs.keySet());
            for (java.util.Map.Entry<String, String> e : r.outputs.entrySet()) {
                assertEquals(Sha256.of(out.resolve(e.getKey())), e.getValue(), e.getKey());
            }
        }
    }

    @Test
    void inputChecksumIsTakenOnceAndGivenWhetherOrNotItWasStarted(@TempDir Path dir) throws Exception {
        Path in = writeTone(dir, "in.wav", 2, 0.5, 0.8);
        byte[] bytes = Files.readAllBytes(in);
        String expected = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.ExecutorService counting = new java.util.concurrent.AbstractExecutorService() {
            @Override public void execute(Runnable r) {
                submitted.incrementAndGet();
                pool.execute(r);
            }
            @Override public void shutdown() { pool.shutdown(); }
            @Override public java.util.List<Runnable> shutdownNow() { return pool.shutdownNow(); }
            @Override public boolean isShutdown() { return pool.isShutdown(); }
            @Override public boolean isTerminated() { return pool.isTerminated(); }
            @Override public boolean awaitTermination(long t, java.util.concurrent.TimeUnit u)
                    throws InterruptedException {
                return pool.awaitTermination(t, u);
            }
        };
        try {
            // never started (the placing thread did not reach half the input): get() takes it
            RenderEngine.InputChecksum never = new RenderEngine.InputChecksum(in, counting);
            assertEquals(expected, never.get());
            assertEquals(1, submitted.get());
            // started from several threads, then asked for twice: one task
            RenderEngine.InputChecksum started = new RenderEngine.InputChecksum(in, counting);
            Thread[] t = new Thread[4];
            for (int k = 0; k < t.length; k++) {
                t[k] = new Thread(started::start);
                t[k].start();
            }
            for (Thread x : t) x.join();
            assertEquals(expected, started.get());
            assertEquals(expected, started.get());
            assertEquals(2, submitted.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void masterOnTheStreamingMixGivesTheBitsOfTheTwoPassMaster(@TempDir Path dir) throws Exception {
        // surround-audience: no loudness target, -1 dBTP ceiling, so the master runs as the mix is summed; forced
        // through the staging file instead, every output must be the same, the limited mix included
        Path in = writeTone(dir, "in.wav", 2, 3.0, 4.0); // float input, hot enough to be limited in 5.1
        RenderSettings s = RenderSettings.of(in, Presets.builtIn("surround-audience")).withRoom("vocal-booth");
        RenderEngine streaming = new RenderEngine(null, true);
        RenderEngine.RenderResult a = streaming.render(s, dir.resolve("a"));
        RenderEngine twoPass = new RenderEngine(null, true);
        twoPass.masterInStream = false;
        RenderEngine.RenderResult b = twoPass.render(s, dir.resolve("b"));
        assertTrue(a.limiterMinGainDb < -0.1, "the limiter must act for the comparison to mean something: "
                + a.limiterMinGainDb + " dB");
        assertEquals(b.outputs, a.outputs);
        assertEquals(b.limiterMinGainDb, a.limiterMinGainDb);
        assertEquals(b.premasterLufs, a.premasterLufs);
        assertEquals(b.mixStats.truePeakDbtp(), a.mixStats.truePeakDbtp());
        assertEquals(b.mixStats.integratedLufs(), a.mixStats.integratedLufs());
    }

    @Test
    void reportPicturesAndMixtureCheckTakenFromTheStreamsAreThoseOfTheFiles(@TempDir Path dir) throws Exception {
        Path in = writeTone(dir, "in.wav", 2, 4.0, 0.8);
        RenderSettings s = RenderSettings.of(in, Presets.builtIn("surround-audience")).withRoom("vocal-booth")
                .withSeparator("default").withFormats(SampleFormat.FLOAT_32, SampleFormat.FLOAT_32);
        RenderEngine.RenderResult r = new RenderEngine(null, true).render(s, dir.resolve("o"));
        // float files hold the streamed samples exactly: every picture is the file's, bit for bit
        java.util.List<String> drawn = new java.util.ArrayList<>(java.util.List.of("input"));
        for (String name : r.outputs.keySet()) if (name.startsWith("stems/") || name.startsWith("mix-")) drawn.add(name);
        assertEquals(6, drawn.size(), "input, four stems, mix: " + drawn);
        for (String name : drawn) {
            org.stemroom.workstation.report.AudioThumbnail t = r.thumbnails.get(name);
            org.stemroom.workstation.report.AudioThumbnail f = org.stemroom.workstation.report.AudioThumbnail.of(
                    name.equals("input") ? in : r.outDir.resolve(name), org.stemroom.workstation.report.ReportWriter.COLUMNS);
            assertEquals(f.frames, t.frames, name);
            org.junit.jupiter.api.Assertions.assertArrayEquals(f.min, t.min, name);
            org.junit.jupiter.api.Assertions.assertArrayEquals(f.max, t.max, name);
            // the render keeps the levels of the bins its spectrograms draw (the file's thumbnail has them all)
            int[] drawnBins = org.stemroom.workstation.report.SpectrogramRows.bins(t.sampleRate);
            for (int c = 0; c < f.columns; c++) {
                for (int k : drawnBins) assertEquals(f.level(c, k), t.level(c, k), name + " column " + c + " bin " + k);
            }
        }
        // the mixture check: the stem files read back and summed in double, in stem order
        AudioClip x = AudioFiles.readAll(in);
        java.util.List<AudioClip> stems = new java.util.ArrayList<>();
        for (String name : r.outputs.keySet()) if (name.startsWith("stems/")) stems.add(AudioFiles.readAll(r.outDir.resolve(name)));
        double worst = 0;
        for (int c = 0; c < x.channels(); c++) {
            for (int i = 0; i < x.frames(); i++) {
                double sum = 0;
                for (AudioClip k : stems) sum += k.channel(c)[i];
                worst = Math.max(worst, Math.abs(sum - x.channel(c)[i]));
            }
        }
        assertEquals(worst, r.mixtureError);
        assertTrue(worst > 0 && worst < 1e-5, "the stems sum to the input: " + worst);
        // the fold-down check fed block by block as the mix was written == spatializer's check given the whole input
        // and the mix file's first input-length frames at once (the mix is aligned with the input by construction)
        AudioClip mixFile = AudioFiles.readAll(r.mixFile());
        org.stemroom.spatial.FoldDownCheck.Stream whole = org.stemroom.spatial.FoldDownCheck.stream(
                new org.stemroom.spatial.FoldDown(org.stemroom.spatial.SpeakerLayout.of(ChannelLayout.SURROUND_5_1),
                        org.stemroom.spatial.FoldDown.Mode.LO_RO), RATE,
                org.stemroom.spatial.FoldDownCheck.DEFAULT_TOLERANCE_DB);
        float[][] sur = new float[6][];
        for (int c = 0; c < 6; c++) sur[c] = java.util.Arrays.copyOf(mixFile.channel(c), x.frames());
        whole.add(new float[][] {x.channel(0), x.channel(1)}, sur, 0, x.frames());
        org.stemroom.spatial.FoldDownCheck.Report files = whole.report();
        org.stemroom.spatial.FoldDownCheck.Report streamed = r.foldDown;
        assertEquals(x.frames() / (double) RATE, streamed.seconds, "the whole input compared");
        // the same samples in other block sizes: the meters' double sums may differ in their last bits (1e-9)
        for (int k = 0; k < 3; k++) org.junit.jupiter.api.Assertions.assertArrayEquals(files.bandDiffDb[k], streamed.bandDiffDb[k], 1e-9);
        org.junit.jupiter.api.Assertions.assertArrayEquals(files.correlation, streamed.correlation, 1e-9);
        assertEquals(files.referenceLufs, streamed.referenceLufs, 1e-9);
        assertEquals(files.foldDownLufs, streamed.foldDownLufs, 1e-9);
        assertEquals(files.foldDownPeakDbfs, streamed.foldDownPeakDbfs);
        assertEquals(files.foldDownLrCorrelation, streamed.foldDownLrCorrelation, 1e-9);
        assertEquals(files.foldDownMonoLossDb, streamed.foldDownMonoLossDb, 1e-9);
        assertTrue(html(r).contains("Fold-down check"), "the report has the check");
        // the Lt/Rt check and peaks: spatializer's check with the real encode given the whole input and the mix file's
        // first input-length frames at once (FoldDownCheckLtRtStreamTest: the same numbers as its file check at lag
        // 0), and its Lt/Rt file encode of the whole mix file (float: the streamed samples)
        org.stemroom.spatial.FoldDownCheck.Stream wholeLtRt = org.stemroom.spatial.FoldDownCheck.stream(
                new org.stemroom.spatial.LtRtEncoder(org.stemroom.spatial.SpeakerLayout.of(ChannelLayout.SURROUND_5_1)),
                RATE, org.stemroom.spatial.FoldDownCheck.DEFAULT_TOLERANCE_DB);
        wholeLtRt.add(new float[][] {x.channel(0), x.channel(1)}, sur, 0, x.frames());
        org.stemroom.spatial.FoldDownCheck.Report ltRtFiles = wholeLtRt.report();
        org.stemroom.spatial.FoldDownCheck.Report ltRt = r.ltRt;
        assertEquals("LT/RT encoded", ltRt.mode);
        assertEquals(ltRtFiles.seconds, ltRt.seconds);
        for (int k = 0; k < 3; k++) org.junit.jupiter.api.Assertions.assertArrayEquals(ltRtFiles.bandDiffDb[k], ltRt.bandDiffDb[k], 1e-9);
        org.junit.jupiter.api.Assertions.assertArrayEquals(ltRtFiles.correlation, ltRt.correlation, 1e-9);
        assertEquals(ltRtFiles.foldDownLufs, ltRt.foldDownLufs, 1e-9);
        assertEquals(ltRtFiles.foldDownMonoLossDb, ltRt.foldDownMonoLossDb, 1e-9);
        Path ltRtFile = dir.resolve("ltrt.wav");
        org.stemroom.spatial.LtRtFiles.Peaks peaks = org.stemroom.spatial.LtRtFiles.encode(r.mixFile(),
                new org.stemroom.spatial.UpmixFiles.LtRtOutput(ltRtFile, 0.0), org.stemroom.core.io.SampleFormat.FLOAT_32,
                java.util.List.of(), org.stemroom.core.Progress.NONE);
        assertEquals(peaks.samplePeak, r.ltRtSamplePeak, 0.0, "Lt/Rt sample peak");
        assertEquals(peaks.truePeak, r.ltRtTruePeak, 0.0, "Lt/Rt true peak");
        assertTrue(r.ltRtTruePeak >= r.ltRtSamplePeak && r.ltRtSamplePeak > 0.01);
        String html = html(r);
        assertTrue(html.contains("Lt/Rt encode check"), "the report has the Lt/Rt check");
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "true peak <b class=\"%s\">%.2f dBTP</b>",
                20 * Math.log10(r.ltRtTruePeak) > -1 ? "bad" : "ok", 20 * Math.log10(r.ltRtTruePeak))),
                "the report shows the Lt/Rt true peak");
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.2e", worst)), "the report shows the check");
    }

    private static String html(RenderEngine.RenderResult r) throws java.io.IOException {
        return Files.readString(r.outDir.resolve("report.html"));
    }
}
