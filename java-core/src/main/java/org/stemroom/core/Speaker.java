package org.stemroom.core;

/**
 * Loudspeaker positions with the WAVE_FORMAT_EXTENSIBLE channel-mask bit of each
 * (Microsoft KSAUDIO speaker bits; the same bit order defines channel order in a WAV file).
 * Azimuth is in degrees, positive to the left (counter-clockwise seen from above), as in ITU-R BS.775/BS.2051.
 */
public enum Speaker {
    L("L", 0x1, 30, 0),
    R("R", 0x2, -30, 0),
    C("C", 0x4, 0, 0),
    LFE("LFE", 0x8, 0, 0),
    /** Rear surround (WAV "back left"); in 5.1 files this is Ls. */
    LS("Ls", 0x10, 110, 0),
    RS("Rs", 0x20, -110, 0),
    LC("Lc", 0x40, 15, 0),
    RC("Rc", 0x80, -15, 0),
    BC("Cs", 0x100, 180, 0),
    /** Side surround (WAV "side left"); in 7.1 these are Lss/Rss at ±90°. */
    LSS("Lss", 0x200, 90, 0),
    RSS("Rss", 0x400, -90, 0),
    TC("Tc", 0x800, 0, 90),
    LTF("Ltf", 0x1000, 45, 45),
    CTF("Ctf", 0x2000, 0, 45),
    RTF("Rtf", 0x4000, -45, 45),
    LTR("Ltr", 0x8000, 135, 45),
    CTR("Ctr", 0x10000, 180, 45),
    RTR("Rtr", 0x20000, -135, 45);

    private final String label;
    private final int waveMaskBit;
    private final double azimuthDegrees;
    private final double elevationDegrees;

    Speaker(String label, int waveMaskBit, double azimuthDegrees, double elevationDegrees) {
        this.label = label;
        this.waveMaskBit = waveMaskBit;
        this.azimuthDegrees = azimuthDegrees;
        this.elevationDegrees = elevationDegrees;
    }

    public String label() { return label; }
    public int waveMaskBit() { return waveMaskBit; }
    public double azimuthDegrees() { return azimuthDegrees; }
    public double elevationDegrees() { return elevationDegrees; }
    public boolean isLfe() { return this == LFE; }

    public static Speaker fromLabel(String label) {
        for (Speaker s : values()) {
            if (s.label.equalsIgnoreCase(label) || s.name().equalsIgnoreCase(label)) return s;
        }
        throw new IllegalArgumentException("unknown speaker label '" + label + "'");
    }
}
