package org.stemroom.bench.separation;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.separation.AudioSource;
import org.stemroom.separation.Separation;
import org.stemroom.separation.StemSink;
import org.stemroom.separation.modelfree.WienerRefinement;
import org.stemroom.separation.onnx.BuiltinModels;
import org.stemroom.separation.onnx.OnnxSeparator;

/**
 * Bounded memory on a long file: streams N minutes of generated stereo 44.1 kHz music-like signal through the
 * neural separator (with its Wiener step) chunk by chunk, as {@code stemroom separate} does, checking on the way
 * that the stems sum to the input. Run it in a JVM with a small heap ({@code -Xmx1g}); it prints the peak used heap
 * (sampled every 20 ms), the heap left after the last collection of each pool (the live set), the
 * speed, and one JSON line for {@link NeuralEval}'s report.
 *
 * <p>Usage: {@code NeuralLongStream MINUTES [MANIFEST] [OUT.json]}
 */
public final class NeuralLongStream {
    public static void main(String[] args) throws Exception {
        double minutes = Double.parseDouble(args[0]);
        Path manifest = args.length > 1 && !args[1].isEmpty() ? Paths.get(args[1])
                : BuiltinModels.manifest(BuiltinModels.STEMROOM_UNMIX);
        int rate = 44100;
        long total = Math.round(minutes * 60 * rate);
        AudioFormat fmt = AudioFormat.of(rate, 2);
        AudioSource src = new AudioSource() {
            long pos;
            int state = 777;
            @Override public AudioFormat format() { return fmt; }
            @Override public long frames() { return total; }
            @Override public int read(float[][] dst, int off, int count) {
                int n = (int) Math.min(count, total - pos);
                for (int i = 0; i < n; i++) {
                    long t = pos + i;
                    double sec = t / (double) rate;
                    state = state * 1103515245 + 12345;
                    double noise = ((state >>> 9) / (double) (1 << 23) - 0.5);
                    double beat = sec * 2 % 1.0;
                    double drum = noise * Math.exp(-beat * 30) * 0.5;
                    double bass = 0.2 * Math.sin(2 * Math.PI * (55 + 27.5 * ((int) (sec / 2) % 3)) * sec);
                    double lead = 0.15 * Math.sin(2 * Math.PI * 440 * Math.pow(2, ((int) (sec * 4) % 5) / 12.0) * sec);
                    dst[0][off + i] = (float) (drum * 0.8 + bass + lead * 0.7);
                    dst[1][off + i] = (float) (drum * 0.4 + bass + lead * 1.0);
                }
                pos += n;
                return n;
            }
        };
        long[] frames = {0};
        StemSink sink = new StemSink() {
            @Override public void begin(AudioFormat f, List<String> names) { }
            @Override public void write(List<float[][]> stems, int off, int count) {
                frames[0] += count;
            }
        };
        ConsistencySink cs = new ConsistencySink(sink);
        // the used heap, sampled every 20 ms: the peak a user would see (the pools' own peaks add up maxima of
        // different moments)
        java.lang.management.MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long[] sampled = {0};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sampled[0] = Math.max(sampled[0], mem.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long w0 = System.nanoTime();
        double c0 = NeuralEval.cpuSeconds();
        try (WienerRefinement sep = new WienerRefinement("neural", OnnxSeparator.load(manifest),
                org.stemroom.separation.Separators.NEURAL_WIENER_ITERATIONS)) {
            new Separation(sep).separate(cs.tee(src), cs, Progress.NONE);
        }
        double wall = (System.nanoTime() - w0) / 1e9, cpu = NeuralEval.cpuSeconds() - c0;
        sampler.interrupt();
        sampler.join();
        long peak = sampled[0], live = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) live += p.getCollectionUsage().getUsed();
        }
        long max = Runtime.getRuntime().maxMemory();
        double worst = cs.worst;
        double audio = total / (double) rate;
        System.out.printf(Locale.ROOT, "long stream: %.0f min stereo through neural (as shipped) in a %d MiB heap: peak used heap "
                + "%d MiB (sampled every 20 ms), heap after last GC %d MiB, wall %.1f s = %.1fx real time, CPU %.1f s; "
                + "max |sum(stems) - input| %.1e over %d frames%n", minutes, max >> 20, peak >> 20, live >> 20, wall,
                audio / wall, cpu, worst, frames[0]);
        String json = String.format(Locale.ROOT, "{\"minutes\": %.1f, \"maxHeapMiB\": %d, \"peakHeapMiB\": %d, "
                + "\"heapAfterGcMiB\": %d, \"wallSeconds\": %.1f, \"xRealTimeWall\": %.2f, \"cpuSeconds\": %.1f, "
                + "\"maxConsistencyError\": %.3g, \"frames\": %d}", minutes, max >> 20, peak >> 20, live >> 20, wall,
                audio / wall, cpu, worst, frames[0]);
        if (args.length > 2) Files.writeString(Paths.get(args[2]), json + "\n");
        if (frames[0] != total || worst > 1e-5) System.exit(3);
    }

    /** Keeps the input frames the separator has read until the sink has written the stems for them. */
    static final class ConsistencySink implements StemSink {
        private final StemSink inner;
        private final java.util.ArrayDeque<float[][]> pending = new java.util.ArrayDeque<>();
        private int headOffset;
        double worst;

        ConsistencySink(StemSink inner) { this.inner = inner; }

        AudioSource tee(AudioSource src) {
            return new AudioSource() {
                @Override public AudioFormat format() { return src.format(); }
                @Override public long frames() { return src.frames(); }
                @Override public int read(float[][] dst, int off, int count) throws java.io.IOException {
                    int n = src.read(dst, off, count);
                    if (n > 0) {
                        float[][] copy = new float[dst.length][];
                        for (int c = 0; c < dst.length; c++) copy[c] = java.util.Arrays.copyOfRange(dst[c], off, off + n);
                        pending.add(copy);
                    }
                    return n;
                }
            };
        }

        @Override public void begin(AudioFormat f, List<String> names) throws java.io.IOException { inner.begin(f, names); }

        @Override
        public void write(List<float[][]> stems, int off, int count) throws java.io.IOException {
            int ch = stems.get(0).length;
            for (int i = 0; i < count; i++) {
                float[][] head = pending.peek();
                for (int c = 0; c < ch; c++) {
                    double s = 0;
                    for (float[][] st : stems) s += st[c][off + i];
                    worst = Math.max(worst, Math.abs(s - head[c][headOffset]));
                }
                if (++headOffset == head[0].length) {
                    pending.poll();
                    headOffset = 0;
                }
            }
            inner.write(stems, off, count);
        }

        @Override public void end() throws java.io.IOException { inner.end(); }
    }
}
