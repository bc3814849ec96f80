package org.archrepair.repair.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The cross-corruption matrix from scenario-2 reports written here by hand. */
class CrossCorruptionTest {
    @TempDir
    Path dir;

    private Path report(String name, String method, String corruption, double before, double after,
                        Map<String, double[]> others) throws IOException {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        Map<String, Object> robustness = new java.util.LinkedHashMap<>();
        others.forEach((k, v) -> robustness.put(k, Map.of("before", v[0], "after", v[1])));
        Reports.writeJson(d.resolve("report.json"), Map.of("before", Map.of("accuracy", before), "after",
                Map.of("accuracy", after), "robustness", robustness,
                "settings", Map.of("method", method, "scenario", "corruption", "corruption", corruption)));
        return d;
    }

    @Test
    void rowsAreRepairsColumnsAreMeasurements() throws IOException {
        var a = CrossCorruption.read(report("a", "archrepair", "fog", 0.5, 0.6,
                Map.of("clean", new double[]{0.9, 0.88}, "contrast", new double[]{0.4, 0.45})));
        var b = CrossCorruption.read(report("b", "archrepair", "contrast", 0.3, 0.5,
                Map.of("clean", new double[]{0.9, 0.89}, "fog", new double[]{0.5, 0.52})));
        assertEquals(List.of("fog", "contrast", "clean"), CrossCorruption.columns(List.of(a, b)));
        String md = CrossCorruption.markdown("archrepair", List.of(a, b), CrossCorruption.columns(List.of(a, b)));
        assertTrue(md.contains("| fog | +10.00 | +5.00 | -2.00 |"), md);
        assertTrue(md.contains("| contrast | +2.00 | +20.00 | -1.00 |"), md);
        CrossCorruption.write(List.of(a, b), dir);
        for (String f : List.of("matrix-archrepair.md", "matrix-archrepair.csv", "heatmap-archrepair.png",
                "heatmap-archrepair.svg", "accuracy-archrepair.png"))
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        assertEquals(7, Files.readAllLines(dir.resolve("matrix-archrepair.csv")).size());
    }

    @Test
    void aCleanScenarioReportIsRefused() throws IOException {
        Path d = dir.resolve("clean");
        Files.createDirectories(d);
        Reports.writeJson(d.resolve("report.json"), Map.of("settings", Map.of("scenario", "clean")));
        assertThrows(IOException.class, () -> CrossCorruption.read(d));
        assertThrows(IOException.class, () -> CrossCorruption.read(dir.resolve("missing")));
    }
}
