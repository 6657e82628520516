package org.stemroom.spatial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Speaker;
import org.stemroom.core.StemroomException;

/**
 * A {@link ChannelLayout} whose channels are loudspeakers at known directions: what a panner needs.
 * Azimuth in degrees, positive to the left (ITU-R BS.775 / BS.2051 convention); elevation in degrees,
 * positive up. LFE channels carry no direction and are never panned to.
 *
 * <p>Standard layouts take their angles from {@link Speaker}, except where a layout places a speaker
 * differently from the WAV label it is stored under: quad (L/R at ±45°, Ls/Rs at ±135°) and 7.1 (BS.2051
 * System I, 0+7+0: back surrounds at ±135°, side surrounds at ±90°).
 *
 * <p>Custom layouts come from JSON:
 * <pre>{@code
 * {"name": "wide 5.1",
 *  "speakers": [ {"label": "L", "azimuth": 45}, {"label": "R", "azimuth": -45}, {"label": "C", "azimuth": 0},
 *                {"label": "LFE", "lfe": true}, {"label": "Ls", "azimuth": 120, "elevation": 0},
 *                {"label": "Rs", "azimuth": -120} ]}
 * }</pre>
 * When every label is a known WAV speaker label (L R C LFE Ls Rs Lss Rss Ltf Rtf ...) the channel layout keeps
 * its WAV mask; otherwise the channels are named by their labels.
 */
public final class SpeakerLayout {

    /** One loudspeaker: label, direction and whether it is a low-frequency effects channel. */
    public static final class Position {
        private final String label;
        private final double azimuth;
        private final double elevation;
        private final boolean lfe;

        public Position(String label, double azimuthDegrees, double elevationDegrees, boolean lfe) {
            if (!Double.isFinite(azimuthDegrees) || !Double.isFinite(elevationDegrees)) {
                throw new IllegalArgumentException("speaker " + label + ": angles must be finite");
            }
            if (elevationDegrees < -90 || elevationDegrees > 90) {
                throw new IllegalArgumentException("speaker " + label + ": elevation " + elevationDegrees
                        + " outside -90..90");
            }
            this.label = label;
            this.azimuth = wrapDegrees(azimuthDegrees);
            this.elevation = elevationDegrees;
            this.lfe = lfe;
        }

        public String label() { return label; }
        public double azimuthDegrees() { return azimuth; }
        public double elevationDegrees() { return elevation; }
        public boolean isLfe() { return lfe; }

        /** Unit vector: x to the front, y to the left, z up. */
        double[] unitVector() {
            double az = Math.toRadians(azimuth);
            double el = Math.toRadians(elevation);
            return new double[] {Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az), Math.sin(el)};
        }

        /** Unit vector of the azimuth alone, in the horizontal plane: x front, y left. */
        double[] unitVectorHorizontal() {
            double az = Math.toRadians(azimuth);
            return new double[] {Math.cos(az), Math.sin(az)};
        }

        @Override
        public String toString() {
            return lfe ? label + "(LFE)" : String.format(Locale.ROOT, "%s(%.0f/%.0f)", label, azimuth, elevation);
        }
    }

    public static final SpeakerLayout MONO = fromStandard(ChannelLayout.MONO);
    public static final SpeakerLayout STEREO = fromStandard(ChannelLayout.STEREO);
    public static final SpeakerLayout LCR = fromStandard(ChannelLayout.LCR);
    public static final SpeakerLayout QUAD = fromStandard(ChannelLayout.QUAD);
    public static final SpeakerLayout SURROUND_5_0 = fromStandard(ChannelLayout.SURROUND_5_0);
    public static final SpeakerLayout SURROUND_5_1 = fromStandard(ChannelLayout.SURROUND_5_1);
    public static final SpeakerLayout SURROUND_7_1 = fromStandard(ChannelLayout.SURROUND_7_1);
    public static final SpeakerLayout SURROUND_7_1_4 = fromStandard(ChannelLayout.SURROUND_7_1_4);

    private static final List<SpeakerLayout> STANDARD = List.of(MONO, STEREO, LCR, QUAD, SURROUND_5_0,
            SURROUND_5_1, SURROUND_7_1, SURROUND_7_1_4);

    private final ChannelLayout channels;
    private final List<Position> positions;

    private SpeakerLayout(ChannelLayout channels, List<Position> positions) {
        if (channels.channelCount() != positions.size()) {
            throw new IllegalArgumentException("layout " + channels.name() + ": " + positions.size()
                    + " positions for " + channels.channelCount() + " channels");
        }
        this.channels = channels;
        this.positions = Collections.unmodifiableList(new ArrayList<>(positions));
    }

    /** A layout from explicit positions (in channel order). */
    public static SpeakerLayout of(String name, List<Position> positions) {
        if (positions.isEmpty()) throw new IllegalArgumentException("layout " + name + " has no speakers");
        List<Speaker> known = new ArrayList<>();
        for (Position p : positions) {
            try {
                Speaker s = Speaker.fromLabel(p.label());
                if (s.isLfe() != p.isLfe() || known.contains(s)) { known = null; break; }
                known.add(s);
            } catch (IllegalArgumentException e) {
                known = null;
                break;
            }
        }
        ChannelLayout cl;
        if (known != null) {
            cl = ChannelLayout.ofSpeakers(name, known);
        } else {
            String[] labels = new String[positions.size()];
            for (int i = 0; i < labels.length; i++) labels[i] = positions.get(i).label();
            cl = ChannelLayout.named(name, labels);
        }
        return new SpeakerLayout(cl, positions);
    }

    /** The speaker layout for a standard channel layout (see the class comment for its angles). */
    public static SpeakerLayout of(ChannelLayout layout) {
        for (SpeakerLayout s : STANDARD) if (s.channels.equals(layout)) return s;
        if (!layout.isSpeakerLayout()) {
            throw new IllegalArgumentException("layout " + layout.name() + " has no loudspeaker positions");
        }
        return fromStandard(layout);
    }

    private static SpeakerLayout fromStandard(ChannelLayout layout) {
        List<Position> ps = new ArrayList<>();
        boolean quad = layout.name().equals("quad");
        boolean sevenOne = layout.channelCount() >= 8 && layout.speakers().contains(Speaker.LSS);
        for (Speaker s : layout.speakers()) {
            double az = s.azimuthDegrees();
            if (quad && (s == Speaker.L || s == Speaker.R)) az = Math.signum(az) * 45;
            if ((quad || sevenOne) && (s == Speaker.LS || s == Speaker.RS)) az = Math.signum(az) * 135;
            ps.add(new Position(s.label(), az, s.elevationDegrees(), s.isLfe()));
        }
        return new SpeakerLayout(layout, ps);
    }

    /**
     * A standard layout by name ("mono", "stereo", "LCR", "quad", "5.0", "5.1", "7.1", "7.1.4"), or, when
     * {@code nameOrFile} ends in {@code .json}, a custom layout read from that file.
     */
    public static SpeakerLayout byName(String nameOrFile) throws StemroomException {
        if (nameOrFile.toLowerCase(Locale.ROOT).endsWith(".json")) return fromJson(Path.of(nameOrFile));
        try {
            return of(ChannelLayout.byName(nameOrFile));
        } catch (IllegalArgumentException e) {
            throw new StemroomException(e.getMessage() + " or a .json layout file");
        }
    }

    public static List<SpeakerLayout> standardLayouts() { return STANDARD; }

    /** Reads a custom layout (format in the class comment). */
    public static SpeakerLayout fromJson(Path file) throws StemroomException {
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(in, file.getFileName().toString());
        } catch (IOException e) {
            throw new StemroomException(file + ": cannot read speaker layout: " + e.getMessage(), e);
        }
    }

    public static SpeakerLayout fromJson(InputStream in, String source) throws StemroomException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new StemroomException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new StemroomException(source + ": expected a JSON object");
        JsonNode sp = root.get("speakers");
        if (sp == null || !sp.isArray() || sp.size() == 0) {
            throw new StemroomException(source + ": needs a non-empty \"speakers\" array");
        }
        String name = root.hasNonNull("name") ? root.get("name").asText() : source;
        List<Position> ps = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < sp.size(); i++) {
            JsonNode s = sp.get(i);
            String where = source + ": speaker " + (i + 1);
            if (!s.isObject() || !s.hasNonNull("label")) throw new StemroomException(where + " needs a \"label\"");
            String label = s.get("label").asText();
            if (seen.contains(label.toLowerCase(Locale.ROOT))) {
                throw new StemroomException(where + ": duplicate label \"" + label + "\"");
            }
            seen.add(label.toLowerCase(Locale.ROOT));
            boolean lfe = s.path("lfe").asBoolean(false);
            if (!lfe && !s.has("azimuth")) throw new StemroomException(where + " (" + label + ") needs \"azimuth\"");
            JsonNode az = s.path("azimuth");
            JsonNode el = s.path("elevation");
            if ((!az.isMissingNode() && !az.isNumber()) || (!el.isMissingNode() && !el.isNumber())) {
                throw new StemroomException(where + " (" + label + "): azimuth/elevation must be numbers");
            }
            try {
                ps.add(new Position(label, az.asDouble(0), el.asDouble(0), lfe));
            } catch (IllegalArgumentException e) {
                throw new StemroomException(source + ": " + e.getMessage());
            }
        }
        int mains = 0;
        for (Position p : ps) if (!p.isLfe()) mains++;
        if (mains == 0) throw new StemroomException(source + ": a layout needs at least one non-LFE speaker");
        return of(name, ps);
    }

    public ChannelLayout channelLayout() { return channels; }
    public String name() { return channels.name(); }
    public int channelCount() { return positions.size(); }
    public List<Position> positions() { return positions; }
    public Position position(int channel) { return positions.get(channel); }

    /** Index of the first LFE channel, or -1. */
    public int lfeIndex() {
        for (int i = 0; i < positions.size(); i++) if (positions.get(i).isLfe()) return i;
        return -1;
    }

    /** Index of the channel with this label (case-insensitive), or -1. */
    public int indexOf(String label) {
        for (int i = 0; i < positions.size(); i++) if (positions.get(i).label().equalsIgnoreCase(label)) return i;
        return -1;
    }

    /** True when some non-LFE speaker is more than 1° above or below the horizontal plane. */
    public boolean hasHeight() {
        for (Position p : positions) if (!p.isLfe() && Math.abs(p.elevationDegrees()) > 1) return true;
        return false;
    }

    /** Wraps an angle into (-180, 180]. */
    static double wrapDegrees(double deg) {
        double a = deg % 360.0;
        if (a > 180) a -= 360;
        if (a <= -180) a += 360;
        return a;
    }

    @Override
    public String toString() { return channels.name() + " " + positions; }
}
