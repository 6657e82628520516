package org.stemroom.bench.room;

import java.nio.file.Path;
import java.util.Locale;
import org.stemroom.core.AudioClip;
import org.stemroom.core.io.AudioFiles;

/**
 * {@code CompareLevels OURS.wav PEER.wav}: RMS level of each (dBFS, all channels, over the frames both have), their
 * difference, and the relative RMS difference of the two after removing the best single gain, i.e. whether both tools
 * computed the same convolution apart from a level offset.
 */
public final class CompareLevels {
    private CompareLevels() { }

    public static void main(String[] args) throws Exception {
        AudioClip a = AudioFiles.readAll(Path.of(args[0]));
        AudioClip b = AudioFiles.readAll(Path.of(args[1]));
        if (a.channels() != b.channels()) throw new IllegalArgumentException("channel counts differ");
        int n = Math.min(a.frames(), b.frames());
        double aa = 0, bb = 0, ab = 0;
        for (int c = 0; c < a.channels(); c++) {
            float[] x = a.channel(c), y = b.channel(c);
            for (int i = 0; i < n; i++) {
                aa += (double) x[i] * x[i];
                bb += (double) y[i] * y[i];
                ab += (double) x[i] * y[i];
            }
        }
        double g = ab / bb;
        double err = 0;
        for (int c = 0; c < a.channels(); c++) {
            float[] x = a.channel(c), y = b.channel(c);
            for (int i = 0; i < n; i++) {
                double d = x[i] - g * y[i];
                err += d * d;
            }
        }
        double la = 10 * Math.log10(aa / (n * (double) a.channels()));
        double lb = 10 * Math.log10(bb / (n * (double) b.channels()));
        System.out.printf(Locale.ROOT, "levels: stemroom %.2f dBFS, peer %.2f dBFS (peer %+.2f dB); after a %.2f dB gain "
                + "match they differ by %.1f dB (relative RMS)%n", la, lb, lb - la, -20 * Math.log10(g),
                10 * Math.log10(err / aa));
    }
}
