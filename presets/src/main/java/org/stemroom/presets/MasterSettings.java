package org.stemroom.presets;

/**
 * The master stage: an optional integrated-loudness target (LUFS) and an optional true-peak ceiling (dBTP)
 * enforced by a look-ahead limiter. {@code null} turns a step off.
 */
public record MasterSettings(Double loudnessLufs, Double truePeakDbtp, double lookaheadMs, double releaseMs) {
    public static final double DEFAULT_CEILING_DBTP = -1.0;
    public static final double DEFAULT_LOOKAHEAD_MS = 1.5;
    public static final double DEFAULT_RELEASE_MS = 80.0;

    public static MasterSettings defaults() {
        return new MasterSettings(null, DEFAULT_CEILING_DBTP, DEFAULT_LOOKAHEAD_MS, DEFAULT_RELEASE_MS);
    }

    public MasterSettings withLoudness(Double lufs) {
        return new MasterSettings(lufs, truePeakDbtp, lookaheadMs, releaseMs);
    }

    public MasterSettings withTruePeak(Double dbtp) {
        return new MasterSettings(loudnessLufs, dbtp, lookaheadMs, releaseMs);
    }
}
