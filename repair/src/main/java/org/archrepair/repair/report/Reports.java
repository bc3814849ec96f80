package org.archrepair.repair.report;

import org.archrepair.engine.io.AtomicFile;
import org.archrepair.engine.io.JsonFormat;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * JSON (through {@link JsonFormat}, the project's one Jackson configuration) and charts to files,
 * atomically: a report is either the old one or the whole new one.
 */
public final class Reports {
    private Reports() {
    }

    /** Indented JSON, field order as inserted. */
    public static String json(Object value) {
        return JsonFormat.writePretty(value);
    }

    public static void writeJson(Path file, Object value) throws IOException {
        AtomicFile.writeString(file, json(value));
    }

    /** A JSON object read with JsonFormat's limits; what (a flag, a file) names it in errors. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(String text, String what) {
        try {
            if (JsonFormat.parse(text) instanceof Map<?, ?> m) return (Map<String, Object>) m;
            throw new IllegalArgumentException(what + ": not a JSON object");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": " + JsonFormat.describe(e));
        }
    }

    /** A JSON array read with JsonFormat's limits. */
    public static List<Object> readList(String text, String what) {
        try {
            if (JsonFormat.parse(text) instanceof List<?> l) return List.copyOf(l.stream().map(o -> (Object) o).toList());
            throw new IllegalArgumentException(what + ": not a JSON array");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": " + JsonFormat.describe(e));
        }
    }

    /** stem.png and stem.svg of the chart (stem: a path without extension). */
    public static void writeChart(Chart<?, ?> chart, Path stem) throws IOException {
        String name = stem.getFileName().toString();
        AtomicFile.write(stem.resolveSibling(name + ".png"),
                out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        AtomicFile.write(stem.resolveSibling(name + ".svg"),
                out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    }
}
