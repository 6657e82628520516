package org.stemroom.core.io;

/** Sample encodings the writer produces. */
public enum SampleFormat {
    PCM_16(16, false),
    PCM_24(24, false),
    PCM_32(32, false),
    FLOAT_32(32, true),
    FLOAT_64(64, true);

    private final int bits;
    private final boolean floatingPoint;

    SampleFormat(int bits, boolean floatingPoint) {
        this.bits = bits;
        this.floatingPoint = floatingPoint;
    }

    public int bits() { return bits; }
    public int bytes() { return bits / 8; }
    public boolean isFloat() { return floatingPoint; }

    /** True for the integer formats that lose precision against 32-bit float samples (16 and 24 bit). */
    public boolean reducesPrecision() { return !floatingPoint && bits < 32; }

    /** Parses "16", "24", "32", "float", "32f", "float32", "64f", "float64", "pcm16" and the enum names. */
    public static SampleFormat parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT).replace("_", "").replace("-", "");
        switch (t) {
            case "16": case "pcm16": case "s16": return PCM_16;
            case "24": case "pcm24": case "s24": return PCM_24;
            case "32": case "pcm32": case "s32": case "int32": return PCM_32;
            case "float": case "32f": case "f32": case "float32": return FLOAT_32;
            case "64f": case "f64": case "float64": case "double": return FLOAT_64;
            default:
                throw new IllegalArgumentException("unknown sample format '" + s
                        + "' (use 16, 24, 32, float32 or float64)");
        }
    }
}
