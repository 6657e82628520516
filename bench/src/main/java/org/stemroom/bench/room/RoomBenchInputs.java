package org.stemroom.bench.room;

import java.nio.file.Path;
import java.util.Random;
import org.stemroom.bench.TestSignal;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFiles;
import org.stemroom.core.io.SampleFormat;

/**
 * Inputs of the room rows of bench/peers.sh, deterministic: {@code RoomBenchInputs DIR} writes
 * {@code stereo-60s.wav} (one minute of stereo music-like signal at 48 kHz), {@code mono-60s.wav},
 * {@code ir-stereo-3s.wav} (a 3 s stereo room IR: a direct spike and decaying noise, RT60 2 s) and
 * {@code ir-6ch-3s.wav} (a 3 s IR from one source into six outputs), all 32-bit float WAV.
 */
public final class RoomBenchInputs {
    private RoomBenchInputs() { }

    static float[] roomIr(int rate, double seconds, int delay, long seed) {
        Random r = new Random(seed);
        int n = (int) Math.round(seconds * rate);
        float[] h = new float[n];
        h[delay] = 0.5f;
        for (int i = delay + 1; i < n; i++) {
            h[i] = (float) (0.05 * r.nextGaussian() * Math.exp(-3 * Math.log(10) * (i - delay) / (2.0 * rate)));
        }
        return h;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rate = 48000;
        AudioClip stereo = TestSignal.music(rate, 2, 60);
        AudioFiles.write(dir.resolve("stereo-60s.wav"), stereo, SampleFormat.FLOAT_32);
        AudioFiles.write(dir.resolve("mono-60s.wav"), new AudioClip(AudioFormat.of(rate, 1), new float[][] {stereo.channel(0)}),
                SampleFormat.FLOAT_32);
        AudioFiles.write(dir.resolve("ir-stereo-3s.wav"), new AudioClip(AudioFormat.of(rate, 2),
                new float[][] {roomIr(rate, 3, 200, 1), roomIr(rate, 3, 230, 2)}), SampleFormat.FLOAT_32);
        float[][] six = new float[6][];
        for (int c = 0; c < 6; c++) six[c] = roomIr(rate, 3, 200 + 20 * c, 10 + c);
        AudioFiles.write(dir.resolve("ir-6ch-3s.wav"), new AudioClip(new AudioFormat(rate, ChannelLayout.SURROUND_5_1), six),
                SampleFormat.FLOAT_32);
    }
}
