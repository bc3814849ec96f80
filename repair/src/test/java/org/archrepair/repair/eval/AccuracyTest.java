package org.archrepair.repair.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.archrepair.engine.io.JsonFormat;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AccuracyTest {
    private final Accuracy acc = new Accuracy(List.of("cat", "dog", "ship"),
            new int[]{0, 0, 1, 1, 2, 2, 2}, new int[]{0, 1, 1, 1, 2, 0, 2});

    @Test
    void countsAndConfusion() {
        assertEquals(7, acc.total());
        assertEquals(5, acc.correct());
        assertEquals(5 / 7.0, acc.accuracy(), 1e-12);
        assertArrayEquals(new int[][]{{1, 1, 0}, {0, 2, 0}, {1, 0, 2}}, acc.confusion());
        assertArrayEquals(new int[]{1, 5}, acc.failures());
    }

    @Test
    void jsonHasTheReportFields() throws Exception {
        JsonNode j = JsonFormat.read(JsonFormat.write(acc.toJson("resnet20")));
        assertEquals("resnet20", j.get("model").textValue());
        assertEquals(7L, j.get("total").longValue());
        assertEquals(5L, j.get("correct").longValue());
        assertEquals(5 / 7.0, j.get("accuracy").doubleValue(), 1e-12);
        assertEquals(1.0, j.get("per_class").get("dog").get("accuracy").doubleValue());
        JsonNode row = j.get("confusion").get(2);
        assertEquals(List.of(1L, 0L, 2L), List.of(row.get(0).longValue(), row.get(1).longValue(), row.get(2).longValue()));
    }

    @Test
    void tableShowsOverallAndPerClass() {
        String t = acc.table();
        assertTrue(t.startsWith("accuracy 5/7 (71.43%)"), t);
        assertTrue(t.contains("dog") && t.contains("100.00%"), t);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Accuracy(List.of("a"), new int[2], new int[3]));
    }
}
