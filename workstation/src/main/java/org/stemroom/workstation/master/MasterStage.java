package org.stemroom.workstation.master;

import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;

/**
 * The last stage of a render: a fixed gain (the loudness normalization, measured beforehand over the whole
 * programme) and, when a ceiling is set, the {@link TruePeakLimiter}. Latency is the limiter's.
 */
public final class MasterStage implements AudioProcessor {
    private final float gain;
    private final TruePeakLimiter limiter; // null: no ceiling

    public MasterStage(double gainDb, Double ceilingDbtp, double lookaheadMs, double releaseMs) {
        this.gain = (float) Math.pow(10, gainDb / 20);
        this.limiter = ceilingDbtp == null ? null : new TruePeakLimiter(ceilingDbtp, lookaheadMs, releaseMs);
    }

    private AudioFormat format;

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        format = inputFormat;
        if (limiter != null) limiter.prepare(inputFormat, maxBlockFrames);
    }

    @Override
    public void process(AudioBuffer in, AudioBuffer out) {
        if (in != out) out.copyFrom(in);
        if (gain != 1f) out.applyGain(gain);
        if (limiter != null) limiter.process(out, out);
    }

    @Override
    public void reset() {
        if (limiter != null) limiter.reset();
    }

    @Override
    public AudioFormat outputFormat() { return format; }

    @Override
    public int latencyFrames() { return limiter == null ? 0 : limiter.latencyFrames(); }

    /** Smallest limiter gain so far (1 when nothing was limited or there is no limiter). */
    public float limiterMinGain() { return limiter == null ? 1f : limiter.minGain(); }
}
