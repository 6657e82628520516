package org.stemroom.workstation.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.Progress;
import org.stemroom.workstation.render.RenderEngineTest;

class BatchRunnerTest {

    private static Map<String, BatchRunner.Status> statuses(List<BatchRunner.Outcome> outcomes) {
        Map<String, BatchRunner.Status> m = new TreeMap<>();
        for (BatchRunner.Outcome o : outcomes) m.put(o.job().name(), o.status());
        return m;
    }

    @Test
    void oneBadFileDoesNotStopTheBatchAndAnInterruptedBatchResumes(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        RenderEngineTest.writeTone(in, "a.wav", 1, 1.0, 0.5);
        RenderEngineTest.writeTone(in, "b.wav", 2, 1.0, 0.5);
        RenderEngineTest.writeTone(in, "c.wav", 1, 1.5, 0.3);
        Files.write(in.resolve("broken.wav"), new byte[] {'R', 'I', 'F', 'F', 1, 2, 3});
        Files.writeString(in.resolve("notes.txt"), "not audio");
        Path out = dir.resolve("out");
        BatchRunner runner = new BatchRunner("surround-audience", "stereo", "none", "none");
        List<BatchJob> jobs = BatchRunner.jobs(in, out);
        assertEquals(4, jobs.size(), "audio files only");

        List<BatchRunner.Outcome> first = runner.run(jobs, 2, Progress.NONE);
        Map<String, BatchRunner.Status> s1 = statuses(first);
        assertEquals(BatchRunner.Status.DONE, s1.get("a"));
        assertEquals(BatchRunner.Status.DONE, s1.get("b"));
        assertEquals(BatchRunner.Status.DONE, s1.get("c"));
        assertEquals(BatchRunner.Status.FAILED, s1.get("broken"));
        String msg = first.stream().filter(o -> o.job().name().equals("broken")).findFirst().get().message();
        assertTrue(msg.contains("broken.wav"), "the error names the file: " + msg);
        assertFalse(Files.exists(out.resolve("broken/render.json")));

        // What an interruption leaves: job a stopped before publishing (only a staging folder), and job b's mix
        // damaged on disk afterwards. Job c is intact.
        Path a = out.resolve("a");
        try (var files = Files.list(a)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isDirectory(p)) {
                    try (var sub = Files.walk(p)) {
                        sub.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
                    }
                } else {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(a.resolve(".stemroom-partial-999999999-1"));
        Files.writeString(a.resolve(".stemroom-partial-999999999-1/mix-stereo.wav"), "half");
        Path bMix = out.resolve("b/mix-stereo.wav");
        byte[] bytes = Files.readAllBytes(bMix);
        bytes[bytes.length - 1] ^= 1;
        Files.write(bMix, bytes);
        String cSha = Files.readString(out.resolve("c/render.json"));

        List<BatchRunner.Outcome> second = runner.run(BatchRunner.jobs(in, out), 2, Progress.NONE);
        Map<String, BatchRunner.Status> s2 = statuses(second);
        assertEquals(BatchRunner.Status.DONE, s2.get("a"), "interrupted job rendered again");
        assertEquals(BatchRunner.Status.DONE, s2.get("b"), "a job whose output no longer verifies is rendered again");
        assertEquals(BatchRunner.Status.SKIPPED, s2.get("c"), "a verified job is skipped");
        assertEquals(BatchRunner.Status.FAILED, s2.get("broken"));
        assertTrue(BatchRunner.alreadyDone(jobs.get(0)));
        assertEquals(cSha, Files.readString(out.resolve("c/render.json")));
        assertFalse(Files.exists(a.resolve(".stemroom-partial-999999999-1")), "the abandoned staging folder is gone");

        StringWriter sw = new StringWriter();
        BatchRunner.printSummary(second, new PrintWriter(sw));
        assertTrue(sw.toString().contains("2 rendered, 1 skipped (already done), 1 failed"), sw.toString());
    }

    @Test
    void csvJobs(@TempDir Path dir) throws Exception {
        RenderEngineTest.writeTone(dir, "x.wav", 1, 0.5, 0.5);
        Path csv = dir.resolve("jobs.csv");
        Files.writeString(csv, "# catalog\ninput,preset,layout,output\nx.wav,surround-in-the-band,5.1,\"x, 5.1\"\n"
                + "x.wav,,stereo,x-stereo\n");
        List<BatchJob> jobs = BatchRunner.jobs(csv, dir.resolve("out"));
        assertEquals(2, jobs.size());
        assertEquals("x, 5.1", jobs.get(0).name());
        assertEquals("surround-in-the-band", jobs.get(0).preset());
        assertEquals(null, jobs.get(1).preset());
        List<BatchRunner.Outcome> r = new BatchRunner("mono-to-stereo", null, "none", "none").run(jobs, 1, Progress.NONE);
        assertEquals(BatchRunner.Status.DONE, r.get(0).status(), r.get(0).message());
        assertTrue(Files.exists(dir.resolve("out/x, 5.1/mix-5.1.wav")));
        assertTrue(Files.exists(dir.resolve("out/x-stereo/mix-stereo.wav")));
        Files.writeString(csv, "file,preset\nx.wav,a\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.stemroom.core.StemroomException.class,
                () -> BatchRunner.jobs(csv, dir.resolve("out")));
        assertTrue(e.getMessage().contains("unknown column 'file'"), e.getMessage());
    }
}
