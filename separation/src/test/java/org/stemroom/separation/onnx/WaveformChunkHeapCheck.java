package org.stemroom.separation.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.separation.StemSet;

/**
 * Child-JVM main for the heap test of the waveform family: one whole chunk of the longest size the separator takes
 * ({@link OnnxSeparator#maxChunkSeconds()}, 5 minutes) of stereo 44.1 kHz through a 4-stem gain model. Prints the
 * frames and the worst deviation of a stem from its gain times the mixture.
 */
public final class WaveformChunkHeapCheck {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("stemroom-wave-heap");
        try {
            Files.write(dir.resolve("w.onnx"), OnnxSeparatorTest.waveformGainModel(2, 441000, new float[] {0.1f, 0.2f, 0.3f, 0.4f}));
            Path mf = dir.resolve("w.json");
            Files.writeString(mf, "{\"family\":\"waveform\",\"model\":\"w.onnx\",\"sampleRate\":44100,\"channels\":2,"
                    + "\"stems\":[\"a\",\"b\",\"c\",\"d\"],\"segmentSeconds\":10,\"overlap\":0.25,\"batch\":1,"
                    + "\"normalize\":\"track-mono-meanstd\",\"session\":{\"intraOpThreads\":1}}");
            try (OnnxSeparator sep = new OnnxSeparator(ModelManifest.read(mf))) {
                int frames = (int) Math.round(sep.maxChunkSeconds() * 44100);
                float[][] x = new float[2][frames];
                int state = 12345;
                for (int i = 0; i < frames; i++) {
                    state = state * 1103515245 + 12345;
                    x[0][i] = (state >>> 9) / (float) (1 << 23) - 0.5f;
                    x[1][i] = 0.5f * x[0][i];
                }
                AudioClip clip = new AudioClip(AudioFormat.of(44100, 2), x);
                StemSet s = sep.separate(clip);
                // each stem is g (x - m) + m, m the mono mixture's mean (Demucs normalisation round trip)
                double mean = 0;
                for (int i = 0; i < frames; i++) mean += 0.5 * (x[0][i] + x[1][i]);
                mean /= frames;
                float[] gains = {0.1f, 0.2f, 0.3f, 0.4f};
                double worst = 0;
                for (int k = 0; k < 4; k++) {
                    for (int c = 0; c < 2; c++) {
                        float[] y = s.get(s.names().get(k)).channel(c);
                        for (int i = 0; i < frames; i += 101) {
                            worst = Math.max(worst, Math.abs(y[i] - (gains[k] * (x[c][i] - mean) + mean)));
                        }
                    }
                }
                System.out.println("frames=" + s.get("a").frames() + " worst=" + worst);
                if (worst > 2e-6) System.exit(3);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) Files.delete(p);
            }
            Files.delete(dir);
        }
    }
}
