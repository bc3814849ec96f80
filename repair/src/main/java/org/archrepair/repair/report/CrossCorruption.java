package org.archrepair.repair.report;

import org.archrepair.engine.io.AtomicFile;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The cross-corruption picture of scenario 2 (the paper's Figs. 6 and 7) from the report.json of
 * repairs made with --scenario corruption: per method, a matrix of the change in accuracy (points)
 * on corruption j (columns; the clean test set too) after repairing on corruption i (rows), where
 * the repaired corruption itself is measured on its held-out part (D^c \ D_fail) and the others on
 * their whole sets; as Markdown, CSV and a heat map (PNG, SVG), and the accuracy before and after
 * across corruptions as grouped bars per repair.
 */
public final class CrossCorruption {
    /** One repair: its method, the corruption it repaired, and {before, after} per measured set. */
    public record Run(String method, String repaired, Map<String, double[]> accuracy) {
    }

    private CrossCorruption() {
    }

    /** A repair folder's report.json, which must come from --scenario corruption. */
    @SuppressWarnings("unchecked")
    public static Run read(Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        if (!Files.isRegularFile(file)) throw new IOException(dir + " has no report.json (not a repair folder, or unfinished)");
        Map<String, Object> r = Reports.readObject(Files.readString(file), file.toString());
        Map<String, Object> settings = (Map<String, Object>) r.get("settings");
        if (settings == null || !"corruption".equals(settings.get("scenario")))
            throw new IOException(file + " is not a --scenario corruption repair");
        String repaired = (String) settings.get("corruption");
        Map<String, double[]> acc = new LinkedHashMap<>();
        acc.put(repaired, new double[]{number(r, "before"), number(r, "after")});
        Map<String, Object> robustness = (Map<String, Object>) r.getOrDefault("robustness", Map.of());
        robustness.forEach((k, v) -> {
            Map<String, Object> m = (Map<String, Object>) v;
            acc.put(k, new double[]{((Number) m.get("before")).doubleValue(), ((Number) m.get("after")).doubleValue()});
        });
        return new Run((String) settings.get("method"), repaired, acc);
    }

    @SuppressWarnings("unchecked")
    private static double number(Map<String, Object> r, String key) {
        return ((Number) ((Map<String, Object>) r.get(key)).get("accuracy")).doubleValue();
    }

    /** Write matrix-METHOD.md/.csv, heatmap-METHOD.png/.svg and accuracy-METHOD.png/.svg into out. */
    public static void write(List<Run> runs, Path out) throws IOException {
        Map<String, List<Run>> byMethod = new LinkedHashMap<>();
        for (Run r : runs) byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        for (var e : byMethod.entrySet()) {
            List<Run> rs = e.getValue();
            List<String> columns = columns(rs);
            AtomicFile.writeString(out.resolve("matrix-" + e.getKey() + ".md"), markdown(e.getKey(), rs, columns));
            AtomicFile.writeString(out.resolve("matrix-" + e.getKey() + ".csv"), csv(rs, columns));
            Reports.writeChart(heatMap(e.getKey(), rs, columns), out.resolve("heatmap-" + e.getKey()));
            Reports.writeChart(bars(e.getKey(), rs, columns), out.resolve("accuracy-" + e.getKey()));
        }
    }

    /** Every measured set, the repaired corruptions first (in run order), then the others, clean last. */
    static List<String> columns(List<Run> runs) {
        Set<String> cols = new LinkedHashSet<>();
        runs.forEach(r -> cols.add(r.repaired()));
        runs.forEach(r -> r.accuracy().keySet().stream().filter(k -> !k.equals("clean")).forEach(cols::add));
        if (runs.stream().anyMatch(r -> r.accuracy().containsKey("clean"))) cols.add("clean");
        return List.copyOf(cols);
    }

    static String markdown(String method, List<Run> runs, List<String> columns) {
        StringBuilder b = new StringBuilder("Change in accuracy (points) after " + method + " repaired on the row's corruption"
                + " (the repaired corruption on its held-out part)\n\n| repaired on |");
        columns.forEach(c -> b.append(' ').append(c).append(" |"));
        b.append("\n|---|").append("---:|".repeat(columns.size())).append('\n');
        for (Run r : runs) {
            b.append("| ").append(r.repaired()).append(" |");
            for (String c : columns) {
                double[] v = r.accuracy().get(c);
                b.append(v == null ? " |" : String.format(Locale.ROOT, " %+.2f |", 100 * (v[1] - v[0])));
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String csv(List<Run> runs, List<String> columns) {
        StringBuilder b = new StringBuilder("repaired_on,measured_on,before,after\n");
        for (Run r : runs)
            for (String c : columns) {
                double[] v = r.accuracy().get(c);
                if (v != null) b.append(String.format(Locale.ROOT, "%s,%s,%.6f,%.6f%n", r.repaired(), c, v[0], v[1]));
            }
        return b.toString();
    }

    private static HeatMapChart heatMap(String method, List<Run> runs, List<String> columns) {
        HeatMapChart c = new HeatMapChartBuilder().width(160 + 90 * columns.size()).height(140 + 50 * runs.size())
                .title(method + ": change in accuracy (points), repaired on (rows) vs measured on (columns)").build();
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++)
            for (int j = 0; j < columns.size(); j++) {
                double[] v = runs.get(i).accuracy().get(columns.get(j));
                if (v != null) cells.add(new Number[]{j, i, Math.round(1000 * (v[1] - v[0])) / 10.0});
            }
        c.getStyler().setShowValue(true).setLegendVisible(false);
        c.addSeries("change", columns, runs.stream().map(Run::repaired).toList(), cells);
        return c;
    }

    private static CategoryChart bars(String method, List<Run> runs, List<String> columns) {
        CategoryChart c = new CategoryChartBuilder().width(200 + 80 * columns.size()).height(420)
                .title(method + ": accuracy before and after, per repair").xAxisTitle("measured on").yAxisTitle("accuracy (%)")
                .build();
        List<String> present = columns;
        boolean first = true;
        for (Run r : runs) {
            List<Double> before = new ArrayList<>(), after = new ArrayList<>();
            for (String col : present) {
                double[] v = r.accuracy().getOrDefault(col, new double[]{Double.NaN, Double.NaN});
                before.add(100 * v[0]);
                after.add(100 * v[1]);
            }
            if (first) c.addSeries("before", present, before);
            c.addSeries("after repair on " + r.repaired(), present, after);
            first = false;
        }
        return c;
    }
}
