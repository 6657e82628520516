package org.stemroom.workstation.report;

import java.io.IOException;
import java.nio.file.Path;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.core.dsp.Window;
import org.stemroom.core.io.AudioFileReader;

/**
 * What the report draws of one audio file, gathered in one streaming read (memory independent of the length):
 * the waveform's min/max per picture column (of the channels' mean) and a spectrogram with one Hann-windowed
 * 2048-point spectrum at the start of every column, in dB.
 */
public final class AudioThumbnail {
    public static final int FFT = 2048;

    public final int columns;
    public final float[] min;
    public final float[] max;
    /** [column][bin] magnitude in dBFS (a full-scale sine reads about 0 dB). */
    public final float[][] spectrumDb;
    public final int sampleRate;
    public final long frames;
    public final int channels;

    private AudioThumbnail(int columns, int sampleRate, long frames, int channels) {
        this.columns = columns;
        this.min = new float[columns];
        this.max = new float[columns];
        this.spectrumDb = new float[columns][];
        this.sampleRate = sampleRate;
        this.frames = frames;
        this.channels = channels;
    }

    public static AudioThumbnail of(Path file, int columns) throws IOException {
        try (AudioFileReader r = AudioFileReader.open(file)) {
            int ch = r.format().channels();
            long total = Math.max(1, r.frames());
            AudioThumbnail t = new AudioThumbnail(columns, r.format().sampleRate(), r.frames(), ch);
            java.util.Arrays.fill(t.min, Float.MAX_VALUE);
            java.util.Arrays.fill(t.max, -Float.MAX_VALUE);
            RealFft fft = new RealFft(FFT);
            float[] window = Window.hann(FFT, true);
            double wsum = 0;
            for (float w : window) wsum += w;
            float[] frame = new float[FFT];
            float[] re = new float[FFT / 2 + 1];
            float[] im = new float[FFT / 2 + 1];
            float[] ring = new float[FFT]; // the last FFT samples of the downmix
            int ringPos = 0;
            int specCol = 0;               // next column whose spectrum is wanted (centred on its first sample)
            AudioBuffer buf = new AudioBuffer(ch, 8192);
            long pos = 0;
            float inv = 1f / ch;
            while (true) {
                buf.setFrames(buf.capacity());
                int n = r.read(buf);
                if (n <= 0) break;
                for (int i = 0; i < n; i++, pos++) {
                    float v = 0;
                    for (int c = 0; c < ch; c++) v += buf.channel(c)[i];
                    v *= inv;
                    int col = (int) Math.min(columns - 1, pos * columns / total);
                    if (v < t.min[col]) t.min[col] = v;
                    if (v > t.max[col]) t.max[col] = v;
                    ring[ringPos] = v;
                    ringPos = (ringPos + 1) % FFT;
                    while (specCol < columns && pos >= specCol * total / columns + FFT / 2) {
                        for (int j = 0; j < FFT; j++) frame[j] = ring[(ringPos + j) % FFT] * window[j];
                        t.spectrumDb[specCol++] = spectrum(fft, frame, re, im, wsum);
                    }
                }
            }
            // The last columns: centre their frames on the end of the file (zeros beyond it).
            while (specCol < columns) {
                for (int j = 0; j < FFT; j++) {
                    int k = j + FFT / 2;
                    frame[j] = k < FFT ? ring[(ringPos + k) % FFT] * window[j] : 0f;
                }
                t.spectrumDb[specCol++] = spectrum(fft, frame, re, im, wsum);
            }
            for (int c = 0; c < columns; c++) {
                if (t.min[c] > t.max[c]) { t.min[c] = 0; t.max[c] = 0; }
                if (t.spectrumDb[c] == null) t.spectrumDb[c] = c > 0 ? t.spectrumDb[c - 1] : silent();
            }
            return t;
        }
    }

    private static float[] silent() {
        float[] s = new float[FFT / 2 + 1];
        java.util.Arrays.fill(s, -140f);
        return s;
    }

    private static float[] spectrum(RealFft fft, float[] frame, float[] re, float[] im, double wsum) {
        fft.forward(frame, re, im);
        float[] db = new float[re.length];
        double scale = 2.0 / wsum;
        for (int k = 0; k < re.length; k++) {
            double mag = Math.hypot(re[k], im[k]) * scale;
            db[k] = (float) (20 * Math.log10(mag + 1e-9));
        }
        return db;
    }
}
