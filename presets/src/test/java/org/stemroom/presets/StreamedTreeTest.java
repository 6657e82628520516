package org.stemroom.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The built-in presets are read through jackson-core's streaming parser alone ({@code Presets.streamedTree}), not
 * Jackson's mapper: the trees must be the mapper's own ({@code ObjectMapper.readTree} with its default settings, the
 * reference), node class for node class and value for value, for every built-in preset and for a document with
 * every kind of JSON value; and the presets read from them equal those read from the mapper's trees.
 */
class StreamedTreeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Equal as trees and, node by node, of the same class (JsonNode.equals already tells an int node from a long). */
    private static void assertSameTree(JsonNode want, JsonNode got, String where) {
        assertEquals(want.getClass(), got.getClass(), where);
        assertEquals(want, got, where);
        if (want.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> w = want.fields(), g = got.fields();
            while (w.hasNext()) {
                Map.Entry<String, JsonNode> a = w.next(), b = g.next();
                assertEquals(a.getKey(), b.getKey(), where + " member order");
                assertSameTree(a.getValue(), b.getValue(), where + "." + a.getKey());
            }
        } else if (want.isArray()) {
            for (int i = 0; i < want.size(); i++) assertSameTree(want.get(i), got.get(i), where + "[" + i + "]");
        }
    }

    @Test
    void everyBuiltInPresetsTreeIsTheMappersTree() throws Exception {
        for (String name : Presets.BUILTIN_NAMES) {
            String text = Presets.builtInText(name);
            JsonNode want = MAPPER.readTree(text);
            assertSameTree(want, Presets.streamedTree(text), name);
            assertEquals(Presets.parse(text, name), Presets.builtIn(name), name);
        }
    }

    @Test
    void everyKindOfValueReadsAsTheMapperReadsIt() throws Exception {
        String doc = "{\"int\": -7, \"zero\": 0, \"long\": 12345678901, \"big\": 123456789012345678901234567890,"
                + " \"double\": -2.5e-3, \"plain\": 0.1, \"huge\": 1e308, \"text\": \"caf\\u00e9 \\\"q\\\" \\n\","
                + " \"yes\": true, \"no\": false, \"none\": null, \"empty\": {}, \"list\": [], "
                + " \"nested\": {\"a\": [1, [2.0, {\"b\": null}], \"x\"], \"c\": {\"d\": {}}},"
                + " \"dup\": 1, \"dup\": \"second\"}";
        assertSameTree(MAPPER.readTree(doc), Presets.streamedTree(doc), "$");
        for (String scalar : new String[] {"3", "-4.25", "\"s\"", "true", "null", "[1, 2]"}) {
            assertSameTree(MAPPER.readTree(scalar), Presets.streamedTree(scalar), scalar);
        }
        assertThrows(IOException.class, () -> Presets.streamedTree("{\"a\": 1} {"));
        assertThrows(IOException.class, () -> Presets.streamedTree(""));
        assertThrows(IOException.class, () -> Presets.streamedTree("{\"a\": }"));
    }
}
