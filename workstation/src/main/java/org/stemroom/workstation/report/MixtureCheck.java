package org.stemroom.workstation.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.io.AudioFileReader;

/** How exactly the separated stem files sum back to the input file: largest absolute sample error (full scale 1). */
public final class MixtureCheck {
    private MixtureCheck() { }

    public static double maxError(Path input, List<Path> stems) throws IOException {
        List<AudioFileReader> readers = new ArrayList<>();
        try (AudioFileReader in = AudioFileReader.open(input)) {
            for (Path p : stems) readers.add(AudioFileReader.open(p));
            int ch = in.format().channels();
            int block = 8192;
            AudioBuffer x = new AudioBuffer(ch, block);
            AudioBuffer s = new AudioBuffer(ch, block);
            double[][] sum = new double[ch][block];
            double worst = 0;
            while (true) {
                x.setFrames(block);
                int n = in.read(x);
                if (n <= 0) break;
                for (double[] row : sum) java.util.Arrays.fill(row, 0, n, 0);
                for (AudioFileReader r : readers) {
                    int got = 0;
                    while (got < n) {
                        // read() fills up to the buffer's capacity: give it exactly what is still missing
                        AudioBuffer part = got == 0 && n == block ? s : AudioBuffer.wrap(new float[ch][n - got]);
                        int m = r.read(part);
                        if (m <= 0) break;
                        for (int c = 0; c < ch; c++) {
                            for (int i = 0; i < m; i++) sum[c][got + i] += part.channel(c)[i];
                        }
                        got += m;
                    }
                }
                for (int c = 0; c < ch; c++) {
                    for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(sum[c][i] - x.channel(c)[i]));
                }
            }
            return worst;
        } finally {
            for (AudioFileReader r : readers) r.close();
        }
    }
}
