package org.stemroom.spatial;

import java.util.Locale;

/**
 * Where a stem sits around the listener, and how. Immutable; change one field with the {@code with...} methods.
 *
 * <ul>
 *   <li>{@code azimuth} degrees, positive to the left, 0 = front centre; {@code elevation} degrees, positive up.</li>
 *   <li>{@code distance} metres from the listener (at least {@value #MIN_DISTANCE}). At {@value #REFERENCE_DISTANCE}
 *       m the stem plays at its own level; farther stems drop by the inverse-distance law (-6 dB per doubling)
 *       and lose high frequencies to air absorption ({@link AirAbsorption}).</li>
 *   <li>{@code width} degrees (0..{@value #MAX_WIDTH}): the angle the stem's image spans. Stereo stems put their
 *       left and right channels at {@code azimuth ± width/2}; mono stems are spread by decorrelated copies (see
 *       {@link StemPanner}).</li>
 *   <li>{@code levelDb}, {@code mute}, {@code solo}.</li>
 *   <li>{@code lfeSendDb}: the stem's send to the LFE channel, as the in-band level heard from the LFE speaker
 *       relative to the stem at 0 dB. The LFE channel is recorded 10 dB lower, since playback adds +10 dB
 *       (the LFE convention of ITU-R BS.775 / SMPTE); {@code Double.NEGATIVE_INFINITY} = no send.</li>
 *   <li>{@code centreDivergence} 0..1: how much of what the panner sends to the centre speaker is moved to a
 *       phantom centre on L/R (0 = hard centre, 1 = no centre speaker at all), as on film consoles.</li>
 *   <li>{@code criticalDistance} metres: the room's critical distance (direct = reverberant level), used by
 *       {@link #roomSend()}.</li>
 * </ul>
 */
public final class StemPlacement {
    public static final double MIN_DISTANCE = 0.25;
    public static final double REFERENCE_DISTANCE = 1.0;
    public static final double MAX_WIDTH = 300.0;

    /** Front centre, 1 m, point source, 0 dB, no LFE send. */
    public static final StemPlacement DEFAULT = new StemPlacement(0, 0, REFERENCE_DISTANCE, 0, 0, false, false,
            Double.NEGATIVE_INFINITY, 0, 2.0);

    private final double azimuth;
    private final double elevation;
    private final double distance;
    private final double width;
    private final double levelDb;
    private final boolean mute;
    private final boolean solo;
    private final double lfeSendDb;
    private final double centreDivergence;
    private final double criticalDistance;

    private StemPlacement(double azimuth, double elevation, double distance, double width, double levelDb,
                          boolean mute, boolean solo, double lfeSendDb, double centreDivergence,
                          double criticalDistance) {
        check("azimuth", azimuth, -1e6, 1e6);
        check("elevation", elevation, -90, 90);
        check("distance", distance, MIN_DISTANCE, 1e4);
        check("width", width, 0, MAX_WIDTH);
        check("level", levelDb, -200, 24);
        if (Double.isNaN(lfeSendDb) || lfeSendDb > 24) throw new IllegalArgumentException("LFE send must be <= 24 dB");
        check("centre divergence", centreDivergence, 0, 1);
        check("critical distance", criticalDistance, 0.05, 1e3);
        this.azimuth = SpeakerLayout.wrapDegrees(azimuth);
        this.elevation = elevation;
        this.distance = distance;
        this.width = width;
        this.levelDb = levelDb;
        this.mute = mute;
        this.solo = solo;
        this.lfeSendDb = lfeSendDb;
        this.centreDivergence = centreDivergence;
        this.criticalDistance = criticalDistance;
    }

    private static void check(String what, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s %s outside %s..%s", what, v, lo, hi));
        }
    }

    public double azimuth() { return azimuth; }
    public double elevation() { return elevation; }
    public double distance() { return distance; }
    public double width() { return width; }
    public double levelDb() { return levelDb; }
    public boolean mute() { return mute; }
    public boolean solo() { return solo; }
    public double lfeSendDb() { return lfeSendDb; }
    public double centreDivergence() { return centreDivergence; }
    public double criticalDistance() { return criticalDistance; }

    public StemPlacement withAzimuth(double deg) { return new StemPlacement(deg, elevation, distance, width, levelDb, mute, solo, lfeSendDb, centreDivergence, criticalDistance); }
    public StemPlacement withElevation(double deg) { return new StemPlacement(azimuth, deg, distance, width, levelDb, mute, solo, lfeSendDb, centreDivergence, criticalDistance); }
    public StemPlacement withDistance(double m) { return new StemPlacement(azimuth, elevation, m, width, levelDb, mute, solo, lfeSendDb, centreDivergence, criticalDistance); }
    public StemPlacement withWidth(double deg) { return new StemPlacement(azimuth, elevation, distance, deg, levelDb, mute, solo, lfeSendDb, centreDivergence, criticalDistance); }
    public StemPlacement withLevelDb(double db) { return new StemPlacement(azimuth, elevation, distance, width, db, mute, solo, lfeSendDb, centreDivergence, criticalDistance); }
    public StemPlacement withMute(boolean m) { return new StemPlacement(azimuth, elevation, distance, width, levelDb, m, solo, lfeSendDb, centreDivergence, criticalDistance); }
    public StemPlacement withSolo(boolean s) { return new StemPlacement(azimuth, elevation, distance, width, levelDb, mute, s, lfeSendDb, centreDivergence, criticalDistance); }
    public StemPlacement withLfeSendDb(double db) { return new StemPlacement(azimuth, elevation, distance, width, levelDb, mute, solo, db, centreDivergence, criticalDistance); }
    public StemPlacement withCentreDivergence(double d) { return new StemPlacement(azimuth, elevation, distance, width, levelDb, mute, solo, lfeSendDb, d, criticalDistance); }
    public StemPlacement withCriticalDistance(double m) { return new StemPlacement(azimuth, elevation, distance, width, levelDb, mute, solo, lfeSendDb, centreDivergence, m); }

    /** Whether the stem is heard, given whether any stem of the mix is soloed. */
    public boolean audible(boolean anySoloInMix) {
        return !mute && (!anySoloInMix || solo);
    }

    /** Linear gain of level and distance (inverse-distance law re {@value #REFERENCE_DISTANCE} m), mute ignored. */
    public double directGain() {
        return Math.pow(10, levelDb / 20) * REFERENCE_DISTANCE / distance;
    }

    /** Linear LFE channel gain as recorded (the send less the 10 dB the LFE playback adds); 0 when off. */
    public double lfeChannelGain() {
        if (lfeSendDb == Double.NEGATIVE_INFINITY) return 0;
        return Math.pow(10, (lfeSendDb + levelDb - LFE_PLAYBACK_GAIN_DB) / 20);
    }

    /** The +10 dB in-band gain with which an LFE channel is reproduced. */
    public static final double LFE_PLAYBACK_GAIN_DB = 10.0;

    /**
     * The gain with which the room stage should feed this stem's direct output (the panner's output, which
     * already carries the {@link #directGain() 1/r} drop) into the room: {@code distance / criticalDistance}.
     * The room's diffuse field is then independent of distance while the direct sound falls as 1/r, so the
     * direct-to-room ratio is {@code (criticalDistance / distance)^2}: a close stem is dry, a stem at the
     * critical distance has equal direct and room sound, a far one is mostly room.
     */
    public double roomSend() {
        return distance / criticalDistance;
    }

    /** Direct-to-room energy ratio at the listener in dB ({@code 20 log10(criticalDistance / distance)}). */
    public double directToRoomDb() {
        return 20 * Math.log10(criticalDistance / distance);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "az %.1f el %.1f dist %.2f m width %.0f level %.1f dB%s%s lfe %s div %.2f",
                azimuth, elevation, distance, width, levelDb, mute ? " muted" : "", solo ? " solo" : "",
                lfeSendDb == Double.NEGATIVE_INFINITY ? "off" : String.format(Locale.ROOT, "%.1f dB", lfeSendDb),
                centreDivergence);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StemPlacement)) return false;
        StemPlacement p = (StemPlacement) o;
        return azimuth == p.azimuth && elevation == p.elevation && distance == p.distance && width == p.width
                && levelDb == p.levelDb && mute == p.mute && solo == p.solo && lfeSendDb == p.lfeSendDb
                && centreDivergence == p.centreDivergence && criticalDistance == p.criticalDistance;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(azimuth, elevation, distance, width, levelDb, mute, solo, lfeSendDb,
                centreDivergence, criticalDistance);
    }
}
