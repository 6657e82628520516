package org.stemroom.plugin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the C test host (target/native/vst3_host) and reads its key=value lines. */
final class Vst3Host {
    record Result(int exitCode, List<String> lines, String stderr) {
        /** Values of every run (one map per load, split at "load="). */
        List<Map<String, String>> loads() {
            List<Map<String, String>> out = new ArrayList<>();
            Map<String, String> cur = new LinkedHashMap<>();
            for (String l : lines) {
                int eq = l.indexOf('=');
                if (eq < 0) continue;
                String k = l.substring(0, eq);
                if (k.equals("refuses_51_input") && !cur.isEmpty()) {
                    out.add(cur);
                    cur = new LinkedHashMap<>();
                }
                cur.put(k, l.substring(eq + 1));
            }
            if (!cur.isEmpty()) out.add(cur);
            return out;
        }

        Map<String, String> first() {
            return loads().get(0);
        }

        String all() {
            return String.join("\n", lines) + "\n--- stderr ---\n" + stderr;
        }
    }

    private Vst3Host() {
    }

    static Path bundle() {
        return Path.of(System.getProperty("stemroom.bundle", "target/stemroom.vst3"));
    }

    static Path host() {
        return Path.of(System.getProperty("stemroom.host", "target/native/vst3_host"));
    }

    static Result run(Map<String, String> env, List<String> prefix, String... args) throws IOException, InterruptedException {
        return runHost(host(), env, prefix, args);
    }

    /** {@link #run(Map, List, String...)} with another build of the test host (the sanitizer test's). */
    static Result runHost(Path host, Map<String, String> env, List<String> prefix, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(host.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path err = Files.createTempFile("vst3host", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (var r = p.inputReader(StandardCharsets.UTF_8)) {
            String l;
            while ((l = r.readLine()) != null) lines.add(l);
        }
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vst3_host timed out: " + cmd);
        }
        String stderr = Files.readString(err);
        Files.deleteIfExists(err);
        return new Result(p.exitValue(), lines, stderr);
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), List.of(), args);
    }

    static void writeF32(Path file, float[] samples) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : samples) b.putFloat(v);
        Files.write(file, b.array());
    }

    static float[] readF32(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] x = new float[b.remaining() / 4];
        for (int i = 0; i < x.length; i++) x[i] = b.getFloat();
        return x;
    }

    static void writeChanges(Path file, List<OfflineReference.Change> changes) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (OfflineReference.Change c : changes) sb.append(c.sample()).append(' ').append(c.id()).append(' ')
                .append(c.value()).append('\n');
        Files.writeString(file, sb.toString());
    }
}
