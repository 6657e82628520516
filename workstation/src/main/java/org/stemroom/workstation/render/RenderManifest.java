package org.stemroom.workstation.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.Preset;
import org.stemroom.presets.Presets;
import org.stemroom.presets.StemSettings;
import org.stemroom.workstation.cli.StemroomCli;

/**
 * render.json: every setting of a render (the complete preset included), the input's SHA-256, the stemroom
 * version and every output's SHA-256. {@link #read} turns it back into {@link RenderSettings} for
 * {@code --replay}, which must give the same bits.
 */
public final class RenderManifest {
    public static final String FORMAT = "stemroom-render";
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RenderManifest() { }

    /**
     * Sets Jackson up for {@link #write} ahead of time, for the render's side pool half-way through: the mappers
     * (Presets' and this class's; the first made also sets up the JDK's calendar and locale data behind Jackson's
     * date format) and the indented tree serializer, about 50-80 ms of CPU that would otherwise fall in the render's
     * last, single-threaded stretch, now that reading a built-in preset at the start no longer makes a mapper.
     * Writes nothing; {@link #write} gives the same bytes either way.
     */
    static void prepare(Preset preset) {
        try {
            MAPPER.writeValueAsString(Presets.toTree(preset));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(RenderEngine.RenderResult r, Path file) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", VERSION);
        root.put("stemroomVersion", StemroomCli.version());
        ObjectNode in = root.putObject("input");
        in.put("path", r.settings.input().toAbsolutePath().normalize().toString());
        in.put("sha256", r.inputSha256);
        in.put("sampleRate", r.inputFormat.sampleRate());
        in.put("channels", r.inputFormat.channels());
        in.put("frames", r.inputFrames);
        ObjectNode st = root.putObject("settings");
        RenderSettings s = r.settings;
        st.put("layout", s.layout());
        st.put("room", s.effectiveRoom());
        // "default" is recorded as the separator it stood for, so a replay keeps the same separator (and bits) after
        // the project's default changes.
        String sep = s.effectiveSeparator();
        st.put("separator", sep.equalsIgnoreCase(org.stemroom.separation.Separators.DEFAULT_ALIAS)
                ? org.stemroom.separation.Separators.DEFAULT : sep);
        st.put("mixFormat", s.mixFormat().name());
        st.put("stemFormat", s.stemFormat().name());
        st.put("blockFrames", s.blockFrames());
        st.set("preset", Presets.toTree(s.preset()));
        ObjectNode m = root.putObject("measurements");
        m.put("latencyFrames", r.latencyFrames);
        m.put("tailFrames", r.tailFrames);
        if (r.loudnessTarget == null) m.putNull("loudnessTargetLufs"); else m.put("loudnessTargetLufs", r.loudnessTarget);
        m.put("masterGainDb", r.masterGainDb);
        m.put("limiterMaxReductionDb", Math.max(0.0, -r.limiterMinGainDb));
        levels(m.putObject("input"), r.inputStats);
        levels(m.putObject("mix"), r.mixStats);
        m.put("premasterLufs", finite(r.premasterLufs));
        m.put("renderSeconds", Math.round(r.seconds * 1000) / 1000.0);
        ObjectNode stems = root.putObject("stems");
        for (Map.Entry<String, StemSettings> e : r.placements.entrySet()) {
            ObjectNode o = stems.putObject(e.getKey());
            o.put("azimuth", e.getValue().azimuth());
            o.put("distance", e.getValue().distance());
            o.put("width", e.getValue().width());
        }
        ObjectNode outs = root.putObject("outputs");
        for (Map.Entry<String, String> e : r.outputs.entrySet()) outs.put(e.getKey(), e.getValue());
        Files.writeString(file, MAPPER.writeValueAsString(root) + "\n");
    }

    private static void levels(ObjectNode o, StreamStats s) {
        if (s == null) return;
        o.put("integratedLufs", finite(s.integratedLufs()));
        o.put("loudnessRangeLu", finite(s.loudnessRangeLu()));
        o.put("truePeakDbtp", finite(s.truePeakDbtp()));
        o.put("samplePeakDbfs", finite(s.peakDbfs()));
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : -999.0;
    }

    /** What a manifest says: the settings to replay and the checksums to expect. */
    public record Recorded(RenderSettings settings, String inputSha256, Map<String, String> outputs) { }

    public static Recorded read(Path file) throws StemroomException {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new StemroomException(file + ": cannot read render manifest: " + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new StemroomException(file + ": not a stemroom render.json (no \"format\": \"" + FORMAT + "\")");
        }
        if (root.path("formatVersion").asInt() != VERSION) {
            throw new StemroomException(file + ": render.json format version " + root.path("formatVersion").asText()
                    + " (this stemroom reads version " + VERSION + ")");
        }
        JsonNode st = root.path("settings");
        Preset preset = Presets.fromJson(st.path("preset"), file + " $.settings.preset");
        RenderSettings s = new RenderSettings(Path.of(root.path("input").path("path").asText()), preset,
                st.path("layout").asText(), st.path("room").asText(), st.path("separator").asText(),
                SampleFormat.valueOf(st.path("mixFormat").asText()), SampleFormat.valueOf(st.path("stemFormat").asText()),
                st.path("blockFrames").asInt());
        Map<String, String> outs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("outputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            outs.put(e.getKey(), e.getValue().asText());
        }
        return new Recorded(s, root.path("input").path("sha256").asText(), outs);
    }
}
