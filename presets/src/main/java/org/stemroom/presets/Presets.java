package org.stemroom.presets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.StemroomException;

/**
 * Reads, validates and writes presets, and holds the built-in ones. Validation is the published JSON Schema
 * ({@link #SCHEMA_RESOURCE}) plus the rules a schema cannot say (a default layout the preset actually has).
 */
public final class Presets {
    public static final String SCHEMA_RESOURCE = "/org/stemroom/presets/preset.schema.json";
    private static final String BUILTIN_DIR = "/org/stemroom/presets/builtin/";
    /** Built-in presets in the order {@code presets list} shows them. */
    public static final List<String> BUILTIN_NAMES = List.of(
            "mono-to-stereo", "sixties-stereo-rebalance", "surround-audience", "surround-in-the-band",
            "room-restoration", "broadcast-vocal-centre");

    /**
     * Jackson's mapper, made on first use: reading a built-in preset does not need it ({@link #builtIn}), and its
     * set-up is the costliest part of a render's start (about 50-80 ms of the render's thread, most of it the JDK's
     * calendar and locale data behind the date format the mapper's class sets up; measured in session 21).
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** jackson-core's parser factory alone, for the built-in presets ({@link #streamedTree}). */
    private static final class Streaming {
        static final JsonFactory FACTORY = new JsonFactory();
    }
    private static volatile JsonSchema schema;
    private static volatile JsonNode schemaNode;

    static {
        // The schema validator logs through SLF4J; with no binding SLF4J prints a three-line warning on every run.
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
    }

    private Presets() { }

    /** The JSON Schema text, as published. */
    public static String schemaText() {
        try (InputStream in = Presets.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema schema() {
        JsonSchema s = schema;
        if (s == null) {
            synchronized (Presets.class) {
                if (schema == null) {
                    try {
                        schemaNode = Json.MAPPER.readTree(schemaText());
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("bad built-in schema", e);
                    }
                    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).build();
                    schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                            .getSchema(schemaText(), InputFormat.JSON, config);
                }
                s = schema;
            }
        }
        return s;
    }

    public static List<Preset> builtIns() {
        List<Preset> out = new ArrayList<>();
        for (String n : BUILTIN_NAMES) {
            try {
                out.add(builtIn(n));
            } catch (StemroomException e) {
                throw new IllegalStateException("built-in preset " + n + " is invalid: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * A built-in preset. Its text ships inside the jar and PresetsTest validates every one against the schema at
     * build time, so it is read without the run-time validator: building that validator loads and spins a few
     * hundred classes (about 0.35 CPU-s of a render's start-up) to re-check a document that cannot have changed.
     * Nor does it need Jackson's mapper: its tree is built from the streaming parser ({@link #streamedTree}, the
     * tree the mapper reads), which spares the render's start the mapper's set-up (see {@link Json}).
     */
    public static Preset builtIn(String name) throws StemroomException {
        String text = builtInText(name);
        try {
            return fromTree(streamedTree(text));
        } catch (IOException e) {
            throw new IllegalStateException("built-in preset " + name + " is not valid JSON", e);
        }
    }

    /**
     * The tree of one JSON document as Jackson's mapper reads it with its default settings ({@code readTree}: members
     * in document order, a repeated name's last value kept, integers as int, long or big-integer nodes by their size,
     * other numbers as double nodes), from jackson-core's streaming parser alone. For the built-in presets, which
     * are valid (PresetsTest); documents from users go through {@link #readTree} and the validator, whose messages
     * they see.
     */
    static JsonNode streamedTree(String json) throws IOException {
        try (JsonParser p = Streaming.FACTORY.createParser(json)) {
            if (p.nextToken() == null) throw new IOException("empty document");
            JsonNode n = node(p);
            if (p.nextToken() != null) throw new IOException("content after the document at " + p.currentLocation());
            return n;
        }
    }

    /** The node that starts at the parser's current token; the parser is left on its last token. */
    private static JsonNode node(JsonParser p) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, node(p));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = f.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(node(p));
                return a;
            }
            case VALUE_STRING:
                return f.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT: return f.numberNode(p.getIntValue());
                    case LONG: return f.numberNode(p.getLongValue());
                    default: return f.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                switch (p.getNumberType()) {
                    case BIG_DECIMAL: return f.numberNode(p.getDecimalValue());
                    case FLOAT: return f.numberNode(p.getFloatValue());
                    default: return f.numberNode(p.getDoubleValue());
                }
            case VALUE_TRUE:
                return f.booleanNode(true);
            case VALUE_FALSE:
                return f.booleanNode(false);
            case VALUE_NULL:
                return f.nullNode();
            default:
                throw new IOException("unexpected " + t + " at " + p.currentLocation());
        }
    }

    /** The JSON text of a built-in preset. */
    public static String builtInText(String name) throws StemroomException {
        if (!BUILTIN_NAMES.contains(name)) {
            throw new StemroomException("unknown preset '" + name + "' (built-in: " + String.join(", ", BUILTIN_NAMES)
                    + "; or give a path to a .json file)");
        }
        try (InputStream in = Presets.class.getResourceAsStream(BUILTIN_DIR + name + ".json")) {
            if (in == null) throw new IllegalStateException("missing built-in preset resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A built-in name, or a path to a preset file (anything ending in .json or naming an existing file). */
    public static Preset resolve(String nameOrPath) throws StemroomException {
        if (BUILTIN_NAMES.contains(nameOrPath)) return builtIn(nameOrPath);
        Path p = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".json") || Files.exists(p)) return load(p);
        return builtIn(nameOrPath); // throws the "unknown preset" error listing the built-ins
    }

    public static Preset load(Path file) throws StemroomException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new StemroomException(file + ": preset file not found");
        } catch (IOException e) {
            throw new StemroomException(file + ": cannot read preset: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Validates and reads a preset; {@code source} names it in errors (a file name). */
    public static Preset parse(String json, String source) throws StemroomException {
        JsonNode root = readTree(json, source);
        List<String> errors = validate(root);
        if (!errors.isEmpty()) throw new PresetException(source, errors);
        return fromTree(root);
    }

    /** Every problem with a preset document, each naming its JSON path; empty when it is valid. */
    public static List<String> validate(JsonNode root) {
        List<String> errors = new ArrayList<>();
        List<ValidationMessage> msgs = new ArrayList<>(schema().validate(root));
        msgs.sort(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(ValidationMessage::getMessage));
        for (ValidationMessage m : msgs) errors.add(describe(m));
        if (errors.isEmpty()) {
            JsonNode dl = root.get("defaultLayout");
            if (dl != null && !root.get("layouts").has(dl.asText())) {
                errors.add("$.defaultLayout: '" + dl.asText() + "' is not one of this preset's layouts (allowed: "
                        + String.join(", ", iterable(root.get("layouts").fieldNames())) + ")");
            }
        }
        return errors;
    }

    private static String describe(ValidationMessage m) {
        String msg = m.getMessage();
        String type = m.getType();
        if ("additionalProperties".equals(type)) {
            // Name the properties that are allowed where the unknown one was found.
            JsonNode props = m.getSchemaNode() == null ? null : parentProperties(m);
            if (props != null) msg += " (allowed: " + String.join(", ", iterable(props.fieldNames())) + ")";
        } else if ("const".equals(type) && msg.contains("version")) {
            msg += " (this stemroom reads preset format version " + Preset.FORMAT_VERSION + ")";
        }
        return msg;
    }

    /** The "properties" object next to the additionalProperties keyword that failed. */
    private static JsonNode parentProperties(ValidationMessage m) {
        String frag = m.getSchemaLocation().getFragment().toString(); // e.g. #/$defs/stem/additionalProperties
        String pointer = frag.startsWith("#") ? frag.substring(1) : frag;
        if (!pointer.endsWith("/additionalProperties")) return null;
        pointer = pointer.substring(0, pointer.length() - "/additionalProperties".length());
        JsonNode parent = schemaNode.at(pointer.isEmpty() ? "" : pointer);
        JsonNode props = parent.get("properties");
        return props != null && props.isObject() ? props : null;
    }

    private static JsonNode readTree(String json, String source) throws StemroomException {
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            if (n == null || n.isMissingNode()) throw new StemroomException(source + ": empty preset file");
            return n;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
            throw new StemroomException(source + ": not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    private static Preset fromTree(JsonNode r) {
        JsonNode sep = r.get("separator");
        SeparatorChoice separator = SeparatorChoice.defaults();
        if (sep != null) {
            Map<String, Object> options = sep.has("options")
                    ? Json.MAPPER.convertValue(sep.get("options"), Json.MAPPER.getTypeFactory()
                            .constructMapType(LinkedHashMap.class, String.class, Object.class))
                    : Map.of();
            separator = new SeparatorChoice(sep.get("name").asText(), options);
        }
        JsonNode rm = r.get("room");
        RoomChoice room = null;
        if (rm != null && !rm.isNull()) {
            room = new RoomChoice(rm.get("name").asText(), num(rm, "wetDb", 0), num(rm, "dryDb", 0));
        }
        Map<String, LayoutPlacement> layouts = new LinkedHashMap<>();
        // Keep a stable order (stereo, 5.1, 7.1) whatever order the file lists them in.
        for (String l : Preset.LAYOUTS) {
            JsonNode lp = r.get("layouts").get(l);
            if (lp == null) continue;
            Map<String, StemSettings> stems = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = lp.get("stems").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode s = e.getValue();
                JsonNode lfe = s.get("lfeSendDb");
                JsonNode rs = s.get("roomSendDb");
                stems.put(e.getKey(), new StemSettings(num(s, "azimuth", 0), num(s, "elevation", 0),
                        num(s, "distance", StemSettings.DEFAULT_DISTANCE), num(s, "width", 0), num(s, "levelDb", 0),
                        s.has("mute") && s.get("mute").asBoolean(),
                        lfe == null || lfe.isNull() ? null : lfe.asDouble(),
                        rs == null || rs.isNull() ? 0.0 : rs.asDouble()));
            }
            layouts.put(l, new LayoutPlacement(stems));
        }
        MasterSettings master = MasterSettings.defaults();
        JsonNode ms = r.get("master");
        if (ms != null) {
            master = new MasterSettings(
                    ms.has("loudnessLufs") && !ms.get("loudnessLufs").isNull() ? ms.get("loudnessLufs").asDouble() : null,
                    ms.has("truePeakDbtp") ? (ms.get("truePeakDbtp").isNull() ? null : (Double) ms.get("truePeakDbtp").asDouble())
                            : (Double) MasterSettings.DEFAULT_CEILING_DBTP, // boxed: a null ceiling must not unbox
                    num(ms, "lookaheadMs", MasterSettings.DEFAULT_LOOKAHEAD_MS),
                    num(ms, "releaseMs", MasterSettings.DEFAULT_RELEASE_MS));
        }
        return new Preset(r.get("version").asInt(), r.get("name").asText(),
                r.has("description") ? r.get("description").asText() : "",
                r.has("defaultLayout") ? r.get("defaultLayout").asText() : null,
                separator, room, layouts, master);
    }

    private static double num(JsonNode n, String field, double dflt) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? dflt : v.asDouble();
    }

    /** The preset as a complete JSON document (every default spelled out), valid against the schema. */
    public static ObjectNode toTree(Preset p) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("version", p.version());
        r.put("name", p.name());
        r.put("description", p.description());
        if (p.defaultLayout() != null) r.put("defaultLayout", p.defaultLayout());
        ObjectNode sep = r.putObject("separator");
        sep.put("name", p.separator().name());
        sep.set("options", Json.MAPPER.valueToTree(p.separator().options()));
        if (p.room() == null) {
            r.putNull("room");
        } else {
            ObjectNode rm = r.putObject("room");
            rm.put("name", p.room().name());
            rm.put("wetDb", p.room().wetDb());
            rm.put("dryDb", p.room().dryDb());
        }
        ObjectNode layouts = r.putObject("layouts");
        for (Map.Entry<String, LayoutPlacement> e : p.layouts().entrySet()) {
            ObjectNode stems = layouts.putObject(e.getKey()).putObject("stems");
            for (Map.Entry<String, StemSettings> s : e.getValue().stems().entrySet()) {
                StemSettings st = s.getValue();
                ObjectNode o = stems.putObject(s.getKey());
                o.put("azimuth", st.azimuth());
                o.put("elevation", st.elevation());
                o.put("distance", st.distance());
                o.put("width", st.width());
                o.put("levelDb", st.levelDb());
                o.put("mute", st.mute());
                if (st.lfeSendDb() == null) o.putNull("lfeSendDb"); else o.put("lfeSendDb", st.lfeSendDb());
                o.put("roomSendDb", st.roomSendDb());
            }
        }
        ObjectNode m = r.putObject("master");
        if (p.master().loudnessLufs() == null) m.putNull("loudnessLufs"); else m.put("loudnessLufs", p.master().loudnessLufs());
        if (p.master().truePeakDbtp() == null) m.putNull("truePeakDbtp"); else m.put("truePeakDbtp", p.master().truePeakDbtp());
        m.put("lookaheadMs", p.master().lookaheadMs());
        m.put("releaseMs", p.master().releaseMs());
        return r;
    }

    public static String toJson(Preset p) {
        try {
            return Json.MAPPER.writeValueAsString(toTree(p)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a preset back from a tree written by {@link #toTree} (e.g. inside a render.json). */
    public static Preset fromJson(JsonNode tree, String source) throws StemroomException {
        List<String> errors = validate(tree);
        if (!errors.isEmpty()) throw new PresetException(source, errors);
        return fromTree(tree);
    }

    private static Iterable<String> iterable(Iterator<String> it) {
        List<String> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
