package org.stemroom.spatial;

import java.util.Locale;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;
import org.stemroom.core.dsp.BiquadCascade;
import org.stemroom.core.dsp.LinkwitzRiley;

/**
 * Bass management of a mix in a layout with an LFE channel, in place, with 4th-order Linkwitz-Riley filters at
 * the crossover (80 or 120 Hz usually).
 *
 * <ul>
 *   <li>The LFE channel is band-limited by the crossover's low-pass (what the stems' LFE sends put there).</li>
 *   <li>With {@code deriveFromMains}, the low-passed sum of the main channels is added to the LFE, at
 *       {@code lfeLevelDb} in-band playback level relative to the mains, recorded 10 dB lower because the LFE is
 *       reproduced at +10 dB ({@link StemPlacement#LFE_PLAYBACK_GAIN_DB}).</li>
 *   <li>With {@code highPassMains}, the mains keep only the crossover's high-pass. Together with
 *       {@code deriveFromMains} at 0 dB this is redirection: the main channels' bass moves to the LFE, and mains
 *       plus LFE at its +10 dB playback gain sum to the input through the crossover's all-pass (flat magnitude).</li>
 * </ul>
 * {@link #process} does not allocate.
 */
public final class BassManager implements AudioProcessor {
    private final SpeakerLayout layout;
    private final double crossoverHz;
    private final boolean highPassMains;
    private final boolean deriveFromMains;
    private final double lfeLevelDb;
    private final int lfe;

    private AudioFormat format;
    private BiquadCascade[] low;
    private BiquadCascade[] high;
    private BiquadCascade lfeLow;
    private float[] sum;
    private float[] tmp;
    private float derivedGain;

    public BassManager(SpeakerLayout layout, double crossoverHz, boolean highPassMains, boolean deriveFromMains,
                       double lfeLevelDb) {
        if (layout.lfeIndex() < 0) throw new IllegalArgumentException("layout " + layout.name() + " has no LFE channel");
        if (!(crossoverHz >= 40 && crossoverHz <= 250)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "crossover %s Hz outside 40..250", crossoverHz));
        }
        this.layout = layout;
        this.crossoverHz = crossoverHz;
        this.highPassMains = highPassMains;
        this.deriveFromMains = deriveFromMains;
        this.lfeLevelDb = lfeLevelDb;
        this.lfe = layout.lfeIndex();
    }

    public double crossoverHz() { return crossoverHz; }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        if (inputFormat.channels() != layout.channelCount()) {
            throw new IllegalArgumentException("bass management for " + layout.name() + " given "
                    + inputFormat.channels() + " channels");
        }
        format = inputFormat;
        LinkwitzRiley lr = new LinkwitzRiley(inputFormat.sampleRate(), crossoverHz);
        int n = layout.channelCount();
        low = new BiquadCascade[n];
        high = new BiquadCascade[n];
        for (int c = 0; c < n; c++) {
            low[c] = lr.lowPass().copy();
            high[c] = lr.highPass().copy();
        }
        lfeLow = lr.lowPass().copy();
        sum = new float[maxBlockFrames];
        tmp = new float[maxBlockFrames];
        derivedGain = (float) Math.pow(10, (lfeLevelDb - StemPlacement.LFE_PLAYBACK_GAIN_DB) / 20);
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        int frames = input.frames();
        if (input != output) output.copyFrom(input);
        for (int off = 0; off < frames; off += sum.length) {
            int len = Math.min(sum.length, frames - off);
            java.util.Arrays.fill(sum, 0, len, 0f);
            for (int c = 0; c < output.channels(); c++) {
                if (c == lfe) continue;
                float[] x = output.channel(c);
                if (deriveFromMains) {
                    low[c].process(x, off, tmp, 0, len);
                    for (int i = 0; i < len; i++) sum[i] += tmp[i];
                }
                if (highPassMains) high[c].process(x, off, len);
            }
            float[] y = output.channel(lfe);
            lfeLow.process(y, off, len);
            if (deriveFromMains) for (int i = 0; i < len; i++) y[off + i] += derivedGain * sum[i];
        }
    }

    @Override
    public void reset() {
        if (low == null) return;
        for (BiquadCascade b : low) b.reset();
        for (BiquadCascade b : high) b.reset();
        lfeLow.reset();
    }

    @Override
    public AudioFormat outputFormat() {
        if (format == null) throw new IllegalStateException("prepare first");
        return format;
    }
}
