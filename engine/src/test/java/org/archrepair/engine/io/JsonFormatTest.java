package org.archrepair.engine.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Strict, bounded reading and the written layout. The expected texts were produced by the
 * hand-written writer this class replaced, so files written before and after are the same bytes.
 */
class JsonFormatTest {
    @Test
    void readsEveryKind() throws Exception {
        JsonNode m = JsonFormat.read(" {\"a\": [1, -2.5e1, true, false, null], \"s\": \"q\\\"\\u00e9\\n\"} ");
        JsonNode a = m.get("a");
        assertEquals(1L, a.get(0).longValue());
        assertTrue(a.get(0).isIntegralNumber());
        assertEquals(-25.0, a.get(1).doubleValue());
        assertTrue(a.get(2).booleanValue() && !a.get(3).booleanValue() && a.get(4).isNull());
        assertEquals("q\"é\n", m.get("s").textValue());
    }

    @Test
    void rejectsWhatRfc8259RejectsWithOffsets() {
        String[] bad = {"{", "[1,]", "01", "1.", ".5", "+1", "[1e]", "{\"a\" 1}", "\"\u0001\"", "[1] x",
                "{\"a\":1,\"a\":2}", "NaN", "[Infinity]", "[-Infinity]", "{'a':1}", "/*c*/1", "[0x10]",
                "[\u0661\u0662]",          // Arabic-Indic digits
                "[\uff11]",                // fullwidth 1
                "[1\u0663]",               // an ASCII digit followed by a non-ASCII one
                "[" + "9".repeat(101) + "]"};
        for (String text : bad) {
            var e = assertThrows(JsonProcessingException.class, () -> JsonFormat.read(text), text);
            String line = JsonFormat.describe(e);
            assertTrue(line.startsWith("JSON: ") && line.contains(" at offset ") && !line.contains("\n"), line);
        }
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        var e = assertThrows(JsonProcessingException.class, () -> JsonFormat.read(deep));
        assertTrue(JsonFormat.describe(e).contains("64"), JsonFormat.describe(e));
    }

    @Test
    void compactLayoutAndNumbers() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "resnet20");
        m.put("accuracy", 0.9173);
        m.put("per_class", List.of(1, 2));
        m.put("nested", Map.of("k", "v\t"));
        assertEquals("{\"model\":\"resnet20\",\"accuracy\":0.9173,\"per_class\":[1,2],\"nested\":{\"k\":\"v\\t\"}}",
                JsonFormat.write(m));
        JsonNode back = JsonFormat.read(JsonFormat.writePretty(m));
        assertEquals(0.9173, back.get("accuracy").doubleValue());
        assertEquals(2L, back.get("per_class").get(1).longValue());
        assertEquals("v\t", back.get("nested").get("k").textValue());
    }

    private static Map<String, Object> epoch1() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", 1);
        e.put("lr", 0.1);
        e.put("train_loss", 1.6741779780197144);
        e.put("seconds", 1.0E7);
        e.put("nan", Double.NaN);
        e.put("neg0", -0.0);
        e.put("big", 1e20);
        e.put("f", 0.5f);
        return e;
    }

    @Test
    void prettyLayoutIsTheOneWeAlwaysWrote() {
        Map<String, Object> e2 = new LinkedHashMap<>();
        e2.put("epoch", 2L);
        e2.put("empty", new LinkedHashMap<>());
        e2.put("none", null);
        e2.put("ok", true);
        e2.put("list", List.of());
        assertEquals("""
                [
                  {
                    "epoch": 1,
                    "lr": 0.1,
                    "train_loss": 1.6741779780197144,
                    "seconds": 10000000.0,
                    "nan": null,
                    "neg0": 0.0,
                    "big": 1.0E20,
                    "f": 0.5
                  },
                  {
                    "epoch": 2,
                    "empty": {},
                    "none": null,
                    "ok": true,
                    "list": []
                  }
                ]
                """, JsonFormat.writePretty(List.of(epoch1(), e2)));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", "resnet20");
        r.put("per_class", Map.of("cat", Map.of("total", 3)));
        List<Object> rows = new ArrayList<>();
        rows.add(new int[]{1, 2});
        rows.add(new int[]{3, 4});
        r.put("confusion", rows);
        r.put("classes", List.of("a", "b"));
        r.put("s", "q\"\\\n\té/");
        assertEquals("""
                {
                  "model": "resnet20",
                  "per_class": {
                    "cat": {
                      "total": 3
                    }
                  },
                  "confusion": [[1, 2], [3, 4]],
                  "classes": ["a", "b"],
                  "s": "q\\"\\\\\\n\\té/"
                }
                """, JsonFormat.writePretty(r));
        assertEquals("{\"model\":\"resnet20\",\"per_class\":{\"cat\":{\"total\":3}},\"confusion\":[[1,2],[3,4]],"
                + "\"classes\":[\"a\",\"b\"],\"s\":\"q\\\"\\\\\\n\\té/\"}", JsonFormat.write(r));
        assertEquals("[{\"epoch\":1,\"lr\":0.1,\"train_loss\":1.6741779780197144,\"seconds\":10000000.0,\"nan\":null,"
                + "\"neg0\":0.0,\"big\":1.0E20,\"f\":0.5}]", JsonFormat.write(List.of(epoch1())));
    }
}
