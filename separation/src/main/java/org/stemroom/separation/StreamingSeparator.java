package org.stemroom.separation;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.BiquadCascade;
import org.stemroom.core.dsp.LinkwitzRiley;

/**
 * Any {@link Separator} for real-time hosts. The audio thread only copies: its input goes into a preallocated
 * lock-free ring, and it reads the stems from rings a worker thread fills, {@link #latencyFrames()} later. The
 * worker cuts the stream into windows of {@code window} seconds overlapping by {@code overlap} seconds, separates
 * each (with mixture consistency), and cross-fades them exactly as {@link Separation} does, so in
 * {@linkplain #offline(boolean) offline mode} (the audio thread waits for the worker, as in a DAW's offline
 * export) the output equals {@code Separation} with the same chunking, delayed by the latency.
 *
 * <p>Real-time mode never waits: when the worker has not delivered a block in time, that block is a cheap
 * model-free split of the delayed mixture (its low band below 200 Hz, by a Linkwitz-Riley low-pass, to
 * {@code bass} when there is such a stem, the rest to {@code other} or the last stem) and
 * {@link #lateBlocks()} counts it. Either way the stems sum to the delayed mixture.
 *
 * <p>Output: one buffer of {@code stems x channels} channels, stem-major ({@code vocals.L, vocals.R, drums.L,
 * ...}); {@link #outputFormat()} names them. {@code process} allocates nothing, takes no lock and does not throw
 * on valid input; {@link #prepare} allocates and starts the worker, {@link #close} stops it.
 */
public final class StreamingSeparator implements AudioProcessor, AutoCloseable {
    private final Separation separation;
    private final List<String> stems;
    private final double windowSeconds;
    private final double overlapSeconds;
    private final double marginSeconds;

    private AudioFormat inFormat;
    private AudioFormat outFormat;
    private int channels;
    private int window, overlap, hop, latency;
    private float[] fadeIn;
    private SpscRing input;
    private SpscRing output;
    private volatile long framesIn;
    private volatile long lateBlocks;
    private volatile boolean offline;
    private volatile boolean running;
    private volatile String workerError;
    private Thread worker;
    // audio-thread scratch
    private float[][] mixBlock;
    private float[][] stemBlock;
    private float[] low;
    private BiquadCascade[] lowPass;
    private int bassIndex, fallbackIndex;

    /**
     * @param window  seconds of audio the separator sees at once (its context)
     * @param overlap seconds of cross-fade between windows (at most half the window)
     * @param margin  extra latency, in seconds, the worker has to finish a window
     */
    public StreamingSeparator(Separation separation, double window, double overlap, double margin) {
        if (!(window > 0) || !(overlap >= 0) || overlap * 2 > window || !(margin >= 0)) {
            throw new IllegalArgumentException("bad streaming settings: window " + window + " s, overlap " + overlap
                    + " s, margin " + margin + " s");
        }
        this.separation = separation;
        this.stems = separation.outputNames();
        this.windowSeconds = window;
        this.overlapSeconds = overlap;
        this.marginSeconds = margin;
    }

    public List<String> stemNames() { return stems; }

    /** Offline mode: the audio thread waits for the worker instead of falling back (deterministic output). */
    public void offline(boolean on) { offline = on; }

    /** Blocks served by the model-free fallback because the worker was late. */
    public long lateBlocks() { return lateBlocks; }

    /** The worker's last failure (the fallback is used meanwhile), or null. */
    public String workerError() { return workerError; }

    @Override
    public void prepare(AudioFormat format, int maxBlockFrames) {
        close();
        inFormat = format;
        channels = format.channels();
        int rate = format.sampleRate();
        window = (int) Math.round(windowSeconds * rate);
        overlap = Math.min(window / 2, (int) Math.round(overlapSeconds * rate));
        hop = window - overlap;
        latency = window + (int) Math.round(marginSeconds * rate);
        fadeIn = new float[overlap];
        for (int i = 0; i < overlap; i++) {
            double s = Math.sin(0.5 * Math.PI * (i + 0.5) / overlap);
            fadeIn[i] = (float) (s * s);
        }
        int cap = latency + window + 4 * maxBlockFrames;
        input = new SpscRing(channels, cap);
        output = new SpscRing(channels * stems.size(), cap);
        String[] labels = new String[channels * stems.size()];
        for (int s = 0; s < stems.size(); s++) {
            for (int c = 0; c < channels; c++) labels[s * channels + c] = stems.get(s) + "." + format.layout().label(c);
        }
        outFormat = new AudioFormat(rate, ChannelLayout.named("stems", labels));
        mixBlock = new float[channels][maxBlockFrames];
        stemBlock = new float[channels * stems.size()][maxBlockFrames];
        low = new float[maxBlockFrames];
        lowPass = new BiquadCascade[channels];
        for (int c = 0; c < channels; c++) lowPass[c] = new LinkwitzRiley(rate, 200).lowPass().copy();
        bassIndex = stems.indexOf("bass");
        fallbackIndex = stems.contains("other") ? stems.indexOf("other") : stems.size() - 1;
        if (fallbackIndex == bassIndex && stems.size() > 1) fallbackIndex = 0;
        framesIn = 0;
        lateBlocks = 0;
        workerError = null;
        running = true;
        worker = new Thread(this::work, "stemroom-separation-worker");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void process(AudioBuffer in, AudioBuffer out) {
        int n = in.frames();
        input.write(in.data(), 0, n);
        long start = framesIn - latency; // output frame positions [start, start + n)
        framesIn += n;
        long end = start + n;
        if (offline) {
            while (output.written() < end && running && workerError == null) LockSupport.parkNanos(100_000L);
        }
        // the delayed mixture, for the fallback and to keep the fallback filters' state continuous
        long from = Math.max(0, start);
        int lead = (int) (from - start); // frames before time zero: silence
        int k = n - lead;
        for (int c = 0; c < channels; c++) java.util.Arrays.fill(mixBlock[c], 0, n, 0f);
        if (k > 0) input.read(from, mixBlock, lead, k);
        float[][] o = out.data();
        if (output.written() >= end || end <= 0) {
            for (float[] ch : stemBlock) java.util.Arrays.fill(ch, 0, n, 0f);
            if (k > 0 && from >= output.oldest()) output.read(from, stemBlock, lead, k);
            for (int c = 0; c < channels; c++) lowPass[c].process(mixBlock[c], 0, low, 0, n);
            for (int j = 0; j < stemBlock.length; j++) System.arraycopy(stemBlock[j], 0, o[j], 0, n);
        } else {
            lateBlocks = lateBlocks + 1; // single writer: the audio thread
            for (int j = 0; j < o.length; j++) java.util.Arrays.fill(o[j], 0, n, 0f);
            for (int c = 0; c < channels; c++) {
                lowPass[c].process(mixBlock[c], 0, low, 0, n);
                float[] m = mixBlock[c];
                float[] rest = o[fallbackIndex * channels + c];
                if (bassIndex >= 0) {
                    float[] b = o[bassIndex * channels + c];
                    for (int i = 0; i < n; i++) { b[i] = low[i]; rest[i] = m[i] - low[i]; }
                } else {
                    System.arraycopy(m, 0, rest, 0, n);
                }
            }
        }
        out.setFrames(n);
    }

    private void work() {
        long k = 0;
        float[][] tail = new float[channels * stems.size()][overlap];
        float[][] chunk = new float[channels][];
        float[][] block = new float[channels * stems.size()][hop];
        while (running) {
            long startPos = k * hop;
            if (input.written() < startPos + window) {
                LockSupport.parkNanos(200_000L);
                continue;
            }
            try {
                if (startPos < input.oldest()) {
                    // Too late to ever be heard: the audio thread used the fallback. Keep positions moving.
                    for (float[] b : block) java.util.Arrays.fill(b, 0f);
                    output.write(block, 0, hop);
                    k++;
                    continue;
                }
                for (int c = 0; c < channels; c++) chunk[c] = new float[window];
                input.read(startPos, chunk, 0, window);
                AudioClip mix = new AudioClip(inFormat, chunk);
                StemSet s = separation.finish(mix, separation.separator().separate(mix));
                for (int st = 0; st < stems.size(); st++) {
                    float[][] d = s.get(stems.get(st)).samples();
                    for (int c = 0; c < channels; c++) {
                        float[] x = d[c];
                        int j = st * channels + c;
                        if (k > 0) {
                            float[] t = tail[j];
                            for (int i = 0; i < overlap; i++) x[i] = t[i] * (1f - fadeIn[i]) + x[i] * fadeIn[i];
                        }
                        System.arraycopy(x, 0, block[j], 0, hop);
                        System.arraycopy(x, hop, tail[j], 0, overlap);
                    }
                }
                // never overwrite what the audio thread has not read yet
                while (running && output.written() + hop - (framesIn - latency) > output.capacity()) {
                    LockSupport.parkNanos(200_000L);
                }
                output.write(block, 0, hop);
                k++;
            } catch (StemroomException | RuntimeException e) {
                workerError = e.getMessage();
                running = false;
            }
        }
    }

    @Override
    public void reset() {
        if (inFormat != null) prepare(inFormat, mixBlock[0].length);
    }

    @Override
    public AudioFormat outputFormat() { return outFormat; }

    @Override
    public int latencyFrames() { return latency; }

    @Override
    public void close() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }
}
