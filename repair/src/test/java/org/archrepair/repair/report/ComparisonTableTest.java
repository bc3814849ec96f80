package org.archrepair.repair.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The comparison table from hand-made run folders: means, sample deviations, the original's row,
 * scenario 2's further columns from the reports' "robustness", files.
 */
class ComparisonTableTest {
    @TempDir
    Path dir;

    private void run(long seed, String method, double before, double after, int fixed, double wall) throws IOException {
        run(seed, method, before, after, fixed, wall, Map.of());
    }

    private void run(long seed, String method, double before, double after, int fixed, double wall,
                     Map<String, Object> robustness) throws IOException {
        Path d = dir.resolve("seed-" + seed).resolve(method);
        Files.createDirectories(d);
        Map<String, Object> report = new java.util.LinkedHashMap<>(Map.of("before", Map.of("accuracy", before),
                "after", Map.of("accuracy", after), "source_set", Map.of("before", before - 0.1, "after", after - 0.1),
                "failures_fixed", fixed, "seconds", Map.of("search", 1.0, "finetune", 2.0),
                "data", Map.of("failures", Map.of("size", 1000))));
        if (!robustness.isEmpty()) report.put("robustness", new java.util.TreeMap<>(robustness));   // clean, then fog
        Reports.writeJson(d.resolve("report.json"), report);
        if (wall > 0) Reports.writeJson(d.resolve("wall.json"), Map.of("seconds", wall, "invocations", 2));
    }

    @Test
    void rowsSummarizeTheSeedsThatRan() throws IOException {
        run(1, "archrepair", 0.80, 0.84, 300, 100);
        run(2, "archrepair", 0.82, 0.88, 340, 200);
        run(1, "mode", 0.80, 0.79, 100, 0);
        run(3, "zzz-other", 0.78, 0.78, 0, 5);
        Files.createDirectories(dir.resolve("seed-1").resolve("unfinished"));
        List<ComparisonTable.Row> rows = ComparisonTable.write(dir, "test", Map.of());
        assertEquals(List.of("original", "mode", "archrepair", "zzz-other"), rows.stream().map(ComparisonTable.Row::method).toList(),
                "original, then the paper's order, then others");
        ComparisonTable.Row original = rows.get(0), mode = rows.get(1), ar = rows.get(2);
        assertEquals(List.of(1L, 2L, 3L), original.seeds());
        assertEquals((0.80 + 0.82 + 0.78) / 3, original.accuracy()[0], 1e-12);
        assertEquals(0.86, ar.accuracy()[0], 1e-12);
        assertEquals(Math.sqrt(2 * 0.02 * 0.02), ar.accuracy()[1], 1e-12, "sample deviation of 0.84 and 0.88");
        assertEquals(0.05, ar.change()[0], 1e-12, "mean of +0.04 and +0.06 on each seed");
        assertEquals(150, ar.seconds()[0], 1e-12, "wall.json");
        assertEquals(3, mode.seconds()[0], 1e-12, "no wall.json: the report's search + fine-tune");
        assertTrue(Double.isNaN(mode.accuracy()[1]), "one seed: no deviation");
        String md = Files.readString(dir.resolve("table.md"));
        assertTrue(md.contains("| ArchRepair | 2 | 86.00 ± 2.83 | +5.00 ± 1.41 |"), md);
        assertTrue(md.contains("| MODE | 1 | 79.00 | -1.00 |"), md);
        assertEquals(5, Files.readAllLines(dir.resolve("table.csv")).size());
        assertTrue(Files.size(dir.resolve("table.png")) > 1000 && Files.size(dir.resolve("table.svg")) > 1000);
        Map<?, ?> json = Reports.readObject(Files.readString(dir.resolve("table.json")), "table.json");
        assertEquals(4, ((List<?>) json.get("rows")).size());
    }

    @Test
    void scenarioTwoAddsAColumnPerFurtherSet() throws IOException {
        run(1, "archrepair", 0.40, 0.60, 300, 10, Map.of("clean", Map.of("before", 0.90, "after", 0.88),
                "fog", Map.of("before", 0.70, "after", 0.74)));
        run(2, "archrepair", 0.42, 0.58, 280, 10, Map.of("clean", Map.of("before", 0.92, "after", 0.86),
                "fog", Map.of("before", 0.72, "after", 0.70)));
        List<ComparisonTable.Row> rows = ComparisonTable.write(dir, "test", Map.of());
        ComparisonTable.Row original = rows.get(0), ar = rows.get(1);
        assertEquals(0.91, original.extra().get("clean")[0], 1e-12, "the original: mean of the befores");
        assertEquals(0.87, ar.extra().get("clean")[0], 1e-12, "the method: mean of the afters");
        assertEquals(Math.sqrt(2 * 0.02 * 0.02), ar.extra().get("fog")[1], 1e-12, "sample deviation of 0.74 and 0.70");
        String md = Files.readString(dir.resolve("table.md"));
        assertTrue(md.contains("| clean (%) | fog (%) |"), md);
        assertTrue(md.contains("| 87.00 ± 1.41 | 72.00 ± 2.83 |"), md);
        assertTrue(Files.readAllLines(dir.resolve("table.csv")).getFirst().endsWith(",clean_mean,clean_sd,fog_mean,fog_sd"));
    }

    @Test
    void aReportWithoutItsFieldsIsNamed() throws IOException {
        Path d = dir.resolve("seed-1").resolve("old");
        Files.createDirectories(d);
        Reports.writeJson(d.resolve("report.json"), Map.of("before", Map.of("accuracy", 0.5), "test_set", Map.of()));
        var e = assertThrows(IllegalArgumentException.class, () -> ComparisonTable.write(dir, "test", Map.of()));
        assertTrue(e.getMessage().contains(d.resolve("report.json") + ": no \"source_set\" object"), e.getMessage());
    }
}
