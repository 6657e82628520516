package org.stemroom.separation;

import java.util.List;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;

/** Child-JVM main for the heap test: streams N seconds of generated stereo through a cheap separator. */
public final class LongStreamCheck {
    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(args[0]);
        int rate = 44100;
        long total = seconds * rate;
        AudioFormat fmt = AudioFormat.of(rate, 2);
        AudioSource src = new AudioSource() {
            long pos;
            int state = 12345;
            @Override public AudioFormat format() { return fmt; }
            @Override public long frames() { return total; }
            @Override public int read(float[][] dst, int off, int count) {
                int n = (int) Math.min(count, total - pos);
                for (int i = 0; i < n; i++) {
                    state = state * 1103515245 + 12345;
                    float v = (state >>> 9) / (float) (1 << 23) - 0.5f;
                    dst[0][off + i] = v;
                    dst[1][off + i] = 0.5f * v;
                }
                pos += n;
                return n;
            }
        };
        long[] frames = {0};
        double[] worst = {0};
        StemSink sink = new StemSink() {
            @Override public void begin(AudioFormat f, List<String> names) { }
            @Override public void write(List<float[][]> stems, int off, int count) {
                for (int i = off; i < off + count; i += 997) {
                    float s = 0;
                    for (float[][] st : stems) s += st[1][i];
                    float l = 0;
                    for (float[][] st : stems) l += st[0][i];
                    worst[0] = Math.max(worst[0], Math.abs(l - 2 * s)); // right channel is half the left
                }
                frames[0] += count;
            }
        };
        new Separation(TestSeparators.identity(30, 1)).separate(src, sink, Progress.NONE);
        Runtime rt = Runtime.getRuntime();
        System.out.println("frames=" + frames[0] + " worst=" + worst[0] + " heapUsedMiB="
                + (rt.totalMemory() - rt.freeMemory()) / (1 << 20));
        if (worst[0] > 1e-5) System.exit(3);
    }
}
