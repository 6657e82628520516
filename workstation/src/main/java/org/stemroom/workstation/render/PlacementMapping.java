package org.stemroom.workstation.render;

import org.stemroom.presets.StemSettings;
import org.stemroom.spatial.StemPlacement;

/** A preset's per-stem settings as the spatializer's {@link StemPlacement}. */
public final class PlacementMapping {
    private PlacementMapping() { }

    public static StemPlacement toPlacement(StemSettings s) {
        return StemPlacement.DEFAULT
                .withAzimuth(s.azimuth())
                .withElevation(s.elevation())
                .withDistance(Math.max(StemPlacement.MIN_DISTANCE, s.distance()))
                .withWidth(Math.min(StemPlacement.MAX_WIDTH, s.width()))
                .withLevelDb(s.levelDb())
                .withMute(s.mute())
                .withLfeSendDb(s.lfeSendDb() == null ? Double.NEGATIVE_INFINITY : s.lfeSendDb());
    }
}
