package org.archrepair.repair.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.archrepair.engine.io.AtomicFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.nio.file.Path;

/** JSON and charts to files, atomically: a report is either the old one or the whole new one. */
public final class Reports {
    /** The one mapper of the reports: pretty, field order as inserted. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-serializable: " + e.getOriginalMessage(), e);
        }
    }

    public static void writeJson(Path file, Object value) throws IOException {
        AtomicFile.writeString(file, json(value) + "\n");
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
