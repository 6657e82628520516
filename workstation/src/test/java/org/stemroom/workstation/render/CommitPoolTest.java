package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.SampleFormat;

/** The render's outputs committed side by side: files complete, checksums those of the bytes on disk, failures thrown. */
class CommitPoolTest {
    private static final int FRAMES = 10_000;

    private static AudioFileWriter writer(Path file) throws IOException {
        AudioFormat f = new AudioFormat(48_000, ChannelLayout.STEREO);
        AudioFileWriter w = AudioFileWriter.create(file, f, SampleFormat.FLOAT_32,
                AudioFileWriter.Options.defaults().checksumFor(FRAMES));
        AudioBuffer b = new AudioBuffer(2, FRAMES);
        b.setFrames(FRAMES);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < FRAMES; i++) b.channel(c)[i] = (float) Math.sin(0.01 * i * (c + 1) + file.hashCode());
        }
        w.write(b);
        return w;
    }

    @Test
    void commitsEveryOutputAndRecordsTheChecksumOfItsBytes(@TempDir Path dir) throws Exception {
        Map<String, String> outputs = new LinkedHashMap<>();
        List<String> names = List.of("a.wav", "b.wav", "c.wav", "d.wav", "e.wav", "f.wav");
        for (String n : names) outputs.put(n, null);
        try (RenderEngine.CommitPool pool = new RenderEngine.CommitPool()) {
            for (String n : names) pool.commit(writer(dir.resolve(n)), n);
            pool.await(outputs);
        }
        assertEquals(names, List.copyOf(outputs.keySet()), "the outputs keep their order");
        for (String n : names) {
            assertTrue(Files.isRegularFile(dir.resolve(n)), n);
            assertEquals(Sha256.of(dir.resolve(n)), outputs.get(n), n);
        }
    }

    @Test
    void aFailedCommitIsThrownAndTheOthersStillFinish(@TempDir Path dir) throws Exception {
        Path gone = dir.resolve("gone");
        Files.createDirectories(gone);
        AudioFileWriter ok = writer(dir.resolve("ok.wav"));
        AudioFileWriter bad = writer(gone.resolve("bad.wav"));
        // the bad output's folder disappears before its commit: the rename onto its target cannot succeed
        try (var files = Files.list(gone)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.move(p, dir.resolve(p.getFileName()));
        }
        Files.delete(gone);
        Map<String, String> outputs = new LinkedHashMap<>();
        RenderEngine.CommitPool pool = new RenderEngine.CommitPool();
        pool.commit(bad, "bad.wav");
        pool.commit(ok, "ok.wav");
        IOException e = assertThrows(IOException.class, () -> pool.await(outputs));
        assertTrue(e.getMessage().contains("bad.wav"), e.getMessage());
        pool.close();
        assertTrue(Files.isRegularFile(dir.resolve("ok.wav")), "the other commit still finished");
        assertFalse(Files.exists(gone.resolve("bad.wav")));
    }
    @Test
    void outputsForcedToTheDiskWhileWrittenAreCommittedWithTheSameBytes(@TempDir Path dir) throws Exception {
        // two outputs of the same samples, 5.1 float, a little over 2.5 write-back stretches: one forced as it is
        // written (the render's placed stems and mix), one not; same bytes, checksums those of the files
        AudioFormat f = new AudioFormat(48_000, ChannelLayout.SURROUND_5_1);
        int block = 4096;
        long frames = (long) (2.6 * RenderEngine.CommitPool.WRITE_BACK_BYTES / (6 * 4));
        AudioFileWriter forced = AudioFileWriter.create(dir.resolve("forced.wav"), f, SampleFormat.FLOAT_32,
                AudioFileWriter.Options.defaults().checksumFor(frames));
        AudioFileWriter plain = AudioFileWriter.create(dir.resolve("plain.wav"), f, SampleFormat.FLOAT_32,
                AudioFileWriter.Options.defaults().checksumFor(frames));
        AudioBuffer b = new AudioBuffer(6, block);
        Map<String, String> outputs = new LinkedHashMap<>();
        try (RenderEngine.CommitPool pool = new RenderEngine.CommitPool()) {
            for (long at = 0; at < frames; at += block) {
                int n = (int) Math.min(block, frames - at);
                b.setFrames(n);
                for (int c = 0; c < 6; c++) {
                    for (int i = 0; i < n; i++) b.channel(c)[i] = (float) Math.sin(0.001 * (at + i) * (c + 1));
                }
                forced.write(b);
                pool.wrote(forced);
                plain.write(b);
            }
            int forces = pool.forcesStarted();
            assertTrue(forces >= 1 && forces <= 2, "one force per stretch, none while one runs: " + forces);
            pool.commit(forced, "forced.wav");
            pool.commit(plain, "plain.wav");
            pool.await(outputs);
        }
        assertEquals(Sha256.of(dir.resolve("forced.wav")), outputs.get("forced.wav"));
        assertEquals(Sha256.of(dir.resolve("plain.wav")), outputs.get("plain.wav"));
        assertEquals(outputs.get("plain.wav"), outputs.get("forced.wav"));
        assertEquals(Files.size(dir.resolve("plain.wav")), Files.size(dir.resolve("forced.wav")));
    }
}
