package org.stemroom.presets;

/**
 * The room stems are put back into: a built-in room name, or a path to an impulse response (WAV) or a
 * room.json. {@code wetDb}/{@code dryDb} scale the room and direct sound relative to what each stem's
 * distance gives.
 */
public record RoomChoice(String name, double wetDb, double dryDb) {
    public RoomChoice withName(String newName) {
        return new RoomChoice(newName, wetDb, dryDb);
    }
}
