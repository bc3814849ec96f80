package org.archrepair.engine.io;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {
    @Test
    void parsesEveryKind() {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, true, false, null], \"s\": \"q\\\"\\u00e9\\n\"} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(1L, -25.0, true, false), ((List<?>) m.get("a")).subList(0, 4));
        assertNull(((List<?>) m.get("a")).get(4));
        assertEquals("q\"é\n", m.get("s"));
    }

    @Test
    void rejectsWithOffsets() {
        for (String bad : new String[]{"{", "[1,]", "01", "1.", "{\"a\" 1}", "\"\u0001\"", "[1] x", "{\"a\":1,\"a\":2}"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().contains("offset"), e.getMessage());
        }
    }

    @Test
    void writesWhatItReads() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "resnet20");
        m.put("accuracy", 0.9173);
        m.put("per_class", List.of(1, 2));
        m.put("nested", Map.of("k", "v\t"));
        assertEquals("{\"model\":\"resnet20\",\"accuracy\":0.9173,\"per_class\":[1,2],\"nested\":{\"k\":\"v\\t\"}}", Json.write(m));
        Map<?, ?> back = (Map<?, ?>) Json.parse(Json.writePretty(m));
        assertEquals(0.9173, back.get("accuracy"));
        assertEquals(List.of(1L, 2L), back.get("per_class"));
        assertEquals("v\t", ((Map<?, ?>) back.get("nested")).get("k"));
    }
}
