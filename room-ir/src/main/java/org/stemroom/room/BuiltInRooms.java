package org.stemroom.room;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;

/**
 * The rooms stemroom knows by name. Each is a {@link ShoeboxRoom} with a listening position and a source
 * distance; its IR set is synthesized on first use for the requested input layout, output layout and rate, and
 * cached under {@code ~/.cache/stemroom/rooms} (or {@code $XDG_CACHE_HOME/stemroom/rooms}, or the directory in the
 * system property {@code stemroom.cache.dir}) keyed by a SHA-256 of every parameter and
 * {@link RoomSynthesizer#CODE_VERSION}. Nothing binary lives in the repository.
 */
public final class BuiltInRooms {

    /** One named room. */
    public static final class Room {
        public final String name;
        public final String description;
        public final ShoeboxRoom shoebox;
        public final double[] listener;
        public final double sourceDistance;

        Room(String name, String description, ShoeboxRoom shoebox, double[] listener, double sourceDistance) {
            this.name = name;
            this.description = description;
            this.shoebox = shoebox;
            this.listener = listener;
            this.sourceDistance = sourceDistance;
        }

        public RoomSynthesizer.Setup setup(ChannelLayout input, ChannelLayout output, int sampleRate) {
            return RoomSynthesizer.Setup.forLayouts(shoebox, listener, input, sourceDistance, output, 0.5, sampleRate,
                    DEFAULT_ORDER, SEED);
        }
    }

    public static final int DEFAULT_ORDER = 12;
    static final long SEED = 0x5EED_800DL;

    private static final List<Room> ROOMS = new ArrayList<>();

    static {
        double[] foam = {0.40, 0.42, 0.45, 0.48, 0.48, 0.48, 0.46};
        double[] bassTrapCeiling = {0.50, 0.48, 0.48, 0.48, 0.48, 0.48, 0.46};
        double[] thickRug = {0.30, 0.35, 0.45, 0.50, 0.50, 0.50, 0.50};
        ROOMS.add(new Room("vocal-booth",
                "dry vocal booth, 2.2 x 1.8 x 2.4 m, broadband absorbers on walls and ceiling, a thick rug: RT60 about 0.1 s, a close, "
                        + "dead sound that only adds a hint of space",
                ShoeboxRoom.of(2.2, 1.8, 2.4, foam, thickRug, bassTrapCeiling), new double[] {1.1, 0.6, 1.5}, 0.7));
        double[] panels = {0.28, 0.22, 0.17, 0.13, 0.11, 0.10, 0.10};
        double[] woodFloor = {0.15, 0.11, 0.10, 0.07, 0.06, 0.07, 0.07};
        double[] clouds = {0.40, 0.45, 0.50, 0.50, 0.45, 0.40, 0.35};
        ROOMS.add(new Room("live-room",
                "mid-size studio live room, 9 x 7 x 4 m, wood panels, wooden floor and absorbing ceiling clouds: "
                        + "RT60 about 0.6 s, the tracking room of a classic studio",
                ShoeboxRoom.of(9, 7, 4, panels, woodFloor, clouds), new double[] {4.5, 2.5, 1.6}, 2.5));
        double[] stageWalls = {0.30, 0.28, 0.27, 0.26, 0.26, 0.25, 0.25};
        double[] stageCeiling = {0.36, 0.33, 0.31, 0.30, 0.29, 0.28, 0.28};
        ROOMS.add(new Room("scoring-stage",
                "large scoring stage / orchestral studio, 32 x 22 x 13 m, wooden walls with diffusers: RT60 about "
                        + "1.9 s, a big, warm, even hall for strings and choirs",
                ShoeboxRoom.of(32, 22, 13, stageWalls, woodFloor, stageCeiling), new double[] {16, 7, 2.5}, 7));
        double[] brick = {0.05, 0.06, 0.08, 0.09, 0.10, 0.11, 0.12};
        double[] audience = {0.30, 0.45, 0.60, 0.70, 0.75, 0.75, 0.75};
        double[] lowCeiling = {0.10, 0.12, 0.15, 0.18, 0.20, 0.20, 0.20};
        ROOMS.add(new Room("small-club",
                "small club, 14 x 10 x 3.5 m, brick walls, low ceiling and a standing audience: RT60 about 0.6 s "
                        + "with a short, punchy slap from the side walls",
                ShoeboxRoom.of(14, 10, 3.5, brick, audience, lowCeiling), new double[] {7, 3, 1.6}, 4));
        double[] hard = {0.08, 0.07, 0.065, 0.06, 0.06, 0.065, 0.07};
        ROOMS.add(new Room("bright-plate",
                "bright plate-like room, 6 x 4.5 x 3 m, hard tiles and glass everywhere: a dense, bright decay of "
                        + "about 1.7 s that reads like a plate reverb",
                ShoeboxRoom.of(6, 4.5, 3, hard, hard, hard), new double[] {2.6, 1.6, 1.4}, 2));
    }

    private BuiltInRooms() { }

    public static List<Room> all() { return List.copyOf(ROOMS); }

    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Room r : ROOMS) n.add(r.name);
        return n;
    }

    public static Room byName(String name) throws StemroomException {
        for (Room r : ROOMS) if (r.name.equalsIgnoreCase(name.trim())) return r;
        throw new StemroomException("unknown room '" + name + "' (built-in rooms: " + String.join(", ", names()) + ")");
    }

    /** The IR set of room {@code name} for these layouts and rate, from the cache or synthesized now (and cached). */
    public static RoomImpulseResponse load(String name, ChannelLayout input, ChannelLayout output, int sampleRate)
            throws StemroomException {
        Room room = byName(name);
        RoomSynthesizer.Setup setup = room.setup(input, output, sampleRate);
        String key = cacheKey(setup);
        Path dir = cacheDir();
        Path file = dir.resolve(room.name + "-" + key.substring(0, 24) + ".irset");
        RoomImpulseResponse.Metadata md = new RoomImpulseResponse.Metadata(room.name, room.description,
                "generated by stemroom; free to use", "", setup.sources, null);
        if (Files.isRegularFile(file)) {
            try {
                return read(file, key, output, md);
            } catch (IOException | RuntimeException e) {
                // a damaged or foreign cache file: regenerate it
            }
        }
        RoomImpulseResponse rir = RoomSynthesizer.synthesize(setup, room.name, room.description);
        try {
            Files.createDirectories(dir);
            write(file, key, rir);
        } catch (IOException e) {
            // caching is an optimisation: an unwritable cache only costs the time of synthesizing again
        }
        return rir;
    }

    static Path cacheDir() {
        String p = System.getProperty("stemroom.cache.dir");
        if (p != null && !p.isBlank()) return Paths.get(p).resolve("rooms");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("stemroom").resolve("rooms");
    }

    static String cacheKey(RoomSynthesizer.Setup setup) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d = md.digest((setup.canonical() + " code " + RoomSynthesizer.CODE_VERSION).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) sb.append(String.format(Locale.ROOT, "%02x", b));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final int MAGIC = 0x53524952; // "SRIR"

    static void write(Path file, String key, RoomImpulseResponse rir) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeUTF(key);
                out.writeInt(rir.sources());
                out.writeInt(rir.outputs());
                out.writeInt(rir.sampleRate());
                out.writeInt(rir.length());
                for (int s = 0; s < rir.sources(); s++) {
                    for (int o = 0; o < rir.outputs(); o++) {
                        float[] h = rir.ir(s, o);
                        out.writeBoolean(h != null);
                        if (h != null) for (float v : h) out.writeFloat(v);
                    }
                }
            }
            org.stemroom.core.io.AtomicFiles.replace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static RoomImpulseResponse read(Path file, String key, ChannelLayout layout, RoomImpulseResponse.Metadata md)
            throws IOException {
        try (InputStream is = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(is, 1 << 16))) {
            if (in.readInt() != MAGIC || !in.readUTF().equals(key)) throw new IOException("not this room's cache file");
            int s = in.readInt(), o = in.readInt(), rate = in.readInt(), len = in.readInt();
            if (o != layout.channelCount() || s < 1 || s > 64 || len < 1 || len > 40 * rate) throw new IOException("bad header");
            float[][][] m = new float[s][o][];
            // one bulk read and one bulk conversion per IR (big-endian, as DataOutputStream wrote it): a readFloat
            // per sample ran interpreted through most of a plugin's cold start (about 3 million floats for a 5.1 room)
            byte[] bytes = new byte[4 * len];
            FloatBuffer floats = ByteBuffer.wrap(bytes).asFloatBuffer();
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < o; j++) {
                    if (!in.readBoolean()) continue;
                    in.readFully(bytes);
                    float[] h = new float[len];
                    floats.get(0, h);
                    m[i][j] = h;
                }
            }
            return new RoomImpulseResponse(m, rate, layout, md);
        }
    }
}
