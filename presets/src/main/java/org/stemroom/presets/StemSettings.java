package org.stemroom.presets;

/**
 * Where and how one stem sits in one output layout. Angles in degrees (azimuth positive to the left, as
 * ITU-R BS.775), distance in metres, levels in dB. {@code lfeSendDb == null} means no LFE send.
 */
public record StemSettings(double azimuth, double elevation, double distance, double width, double levelDb,
                           boolean mute, Double lfeSendDb, double roomSendDb) {

    public static final double DEFAULT_DISTANCE = 2.0;

    public static StemSettings at(double azimuth) {
        return new StemSettings(azimuth, 0, DEFAULT_DISTANCE, 0, 0, false, null, 0);
    }

    /** Linear gain of {@link #levelDb}, 0 when muted. */
    public double gain() {
        return mute ? 0.0 : Math.pow(10.0, levelDb / 20.0);
    }

    /** Linear LFE send gain, 0 when there is no send or the stem is muted. */
    public double lfeGain() {
        return mute || lfeSendDb == null ? 0.0 : Math.pow(10.0, lfeSendDb / 20.0);
    }
}
