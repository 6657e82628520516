package org.stemroom.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PresetsTest {

    static java.util.List<String> builtInNames() {
        return Presets.BUILTIN_NAMES;
    }

    @ParameterizedTest
    @MethodSource("builtInNames")
    void everyBuiltInValidatesAndRoundTrips(String name) throws Exception {
        Preset p = Presets.builtIn(name);
        assertEquals(name, p.name());
        assertFalse(p.description().isBlank(), "a built-in preset says when to use it");
        assertTrue(p.layouts().containsKey(p.layoutOrDefault()));
        for (LayoutPlacement lp : p.layouts().values()) {
            for (String stem : new String[] {"vocals", "drums", "bass", "other"}) {
                assertTrue(lp.stems().containsKey(stem), name + " places " + stem);
            }
        }
        // The fully spelled-out form validates against the schema and reads back to the same preset.
        String json = Presets.toJson(p);
        assertTrue(Presets.validate(new ObjectMapper().readTree(json)).isEmpty());
        assertEquals(p, Presets.parse(json, "roundtrip"));
    }

    @ParameterizedTest
    @MethodSource("builtInNames")
    void everyBuiltInTextValidatesAsShipped(String name) throws Exception {
        // builtIn() reads the shipped text without the run-time validator; this is where it is validated
        String text = Presets.builtInText(name);
        assertEquals(java.util.List.of(), Presets.validate(new ObjectMapper().readTree(text)), name);
        assertEquals(Presets.parse(text, name), Presets.builtIn(name));
    }

    @Test
    void atLeastSixBuiltIns() {
        assertTrue(Presets.builtIns().size() >= 6);
    }

    @Test
    void defaultsAreFilledIn() throws Exception {
        Preset p = Presets.parse("{\"version\":1,\"name\":\"x\",\"layouts\":{\"stereo\":{\"stems\":"
                + "{\"vocals\":{\"azimuth\":10}}}}}", "t");
        StemSettings s = p.placementFor("stereo").forStem("vocals");
        assertEquals(10, s.azimuth());
        assertEquals(StemSettings.DEFAULT_DISTANCE, s.distance());
        assertNull(s.lfeSendDb());
        assertNull(p.room());
        assertEquals("default", p.separator().name());
        assertEquals(-1.0, p.master().truePeakDbtp());
        assertNull(p.master().loudnessLufs());
        // An unnamed stem takes the centre when there is no "default" entry.
        assertEquals(0, p.placementFor("stereo").forStem("piano").azimuth());
        StemroomAssert.message(() -> p.placementFor("5.1"), "no placement for layout '5.1' (it has: stereo)");
    }

    private static String base(String stemJson) {
        return "{\"version\":1,\"name\":\"broken\",\"layouts\":{\"stereo\":{\"stems\":{\"vocals\":" + stemJson + "}}}}";
    }

    @Test
    void outOfRangeNamesThePathAndTheLimit() {
        PresetException e = assertThrows(PresetException.class,
                () -> Presets.parse(base("{\"azimuth\":200}"), "broken.json"));
        assertTrue(e.getMessage().startsWith("broken.json: "), e.getMessage());
        assertTrue(e.getMessage().contains("$.layouts.stereo.stems.vocals.azimuth"), e.getMessage());
        assertTrue(e.getMessage().contains("180"), e.getMessage());
    }

    @Test
    void lookaheadBelowWhatTheLimiterHonoursIsRefused() throws Exception {
        // The limiter's shortest attack is 1 ms (a faster ramp lets inter-sample peaks through), so a preset may not
        // ask for less and be raised silently.
        String json = "{\"version\":1,\"name\":\"broken\",\"layouts\":{\"stereo\":{\"stems\":{\"vocals\":{\"azimuth\":0}}}},"
                + "\"master\":{\"truePeakDbtp\":-1.0,\"lookaheadMs\":0.5}}";
        PresetException e = assertThrows(PresetException.class, () -> Presets.parse(json, "broken.json"));
        assertTrue(e.getMessage().contains("$.master.lookaheadMs"), e.getMessage());
        assertTrue(e.getMessage().contains("1"), e.getMessage());
        Presets.parse(json.replace("0.5", "1.0"), "ok.json");
    }

    @Test
    void unknownPropertyListsTheAllowedOnes() {
        PresetException e = assertThrows(PresetException.class,
                () -> Presets.parse(base("{\"azimuth\":0,\"azimuht\":3}"), "b.json"));
        String m = e.errors().get(0);
        assertTrue(m.contains("$.layouts.stereo.stems.vocals"), m);
        assertTrue(m.contains("azimuht"), m);
        assertTrue(m.contains("allowed: azimuth, elevation, distance, width, levelDb, mute, lfeSendDb, roomSendDb"), m);
    }

    @Test
    void unknownLayoutListsTheAllowedLayouts() {
        PresetException e = assertThrows(PresetException.class, () -> Presets.parse(
                "{\"version\":1,\"name\":\"b\",\"layouts\":{\"quad\":{\"stems\":{\"v\":{\"azimuth\":0}}}}}", "b.json"));
        String all = String.join("\n", e.errors());
        assertTrue(all.contains("$.layouts"), all);
        assertTrue(all.contains("stereo") && all.contains("5.1") && all.contains("7.1"), all);
    }

    @Test
    void wrongVersionAndWrongTypesAndMissingFields() {
        PresetException e = assertThrows(PresetException.class, () -> Presets.parse(
                "{\"version\":2,\"name\":\"b\",\"layouts\":{\"stereo\":{\"stems\":{\"v\":{\"azimuth\":\"left\"}}}},"
                        + "\"master\":{\"truePeakDbtp\":3}}", "b.json"));
        String all = String.join("\n", e.errors());
        assertTrue(all.contains("$.version"), all);
        assertTrue(all.contains("version 1"), all);
        assertTrue(all.contains("$.layouts.stereo.stems.v.azimuth"), all);
        assertTrue(all.contains("$.master.truePeakDbtp"), all);
        PresetException missing = assertThrows(PresetException.class,
                () -> Presets.parse("{\"version\":1,\"name\":\"b\"}", "m.json"));
        assertTrue(missing.getMessage().contains("layouts"), missing.getMessage());
    }

    @Test
    void defaultLayoutMustBeOneOfTheLayouts() {
        PresetException e = assertThrows(PresetException.class, () -> Presets.parse(
                "{\"version\":1,\"name\":\"b\",\"defaultLayout\":\"5.1\",\"layouts\":{\"stereo\":{\"stems\":"
                        + "{\"v\":{\"azimuth\":0}}}}}", "b.json"));
        assertTrue(e.getMessage().contains("$.defaultLayout") && e.getMessage().contains("allowed: stereo"),
                e.getMessage());
    }

    @Test
    void badJsonSaysWhere(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\n  \"version\": 1,\n  \"name\": \n}");
        var e = assertThrows(org.stemroom.core.StemroomException.class, () -> Presets.load(f));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("line 4"), e.getMessage());
        var missing = assertThrows(org.stemroom.core.StemroomException.class,
                () -> Presets.resolve(dir.resolve("none.json").toString()));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        var unknown = assertThrows(org.stemroom.core.StemroomException.class, () -> Presets.resolve("no-such"));
        assertTrue(unknown.getMessage().contains("mono-to-stereo"), unknown.getMessage());
    }

    @Test
    void publishedSchemaCopyMatchesTheResource() throws Exception {
        Path repo = repoRoot();
        Path docs = repo.resolve("docs/preset.schema.json");
        assertTrue(Files.exists(docs), "docs/preset.schema.json is published");
        assertEquals(Presets.schemaText(), Files.readString(docs));
    }

    static Path repoRoot() {
        String prop = System.getProperty("stemroom.repo");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("presets/pom.xml"))) p = p.getParent();
        return p;
    }
}
