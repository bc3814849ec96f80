package org.archrepair.repair.report;

import org.archrepair.engine.io.AtomicFile;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The table of {@code archrepair compare}, shaped like the paper's Table 4: one row per method
 * (the original model first), accuracy on D_v \ D_fail as mean and sample standard deviation over
 * the seeds that ran, the change against the original on the same seeds, the whole source set (the
 * test set, or the corruption in scenario 2), failures fixed, wall time, and one column per further
 * set of scenario 2 (the report's "robustness": the clean test set and the --evaluate-on
 * corruptions). Built from whatever runs of a campaign folder have finished
 * ({@code seed-S/METHOD/report.json}, with {@code wall.json} beside it), so it can be rebuilt at
 * any time: table.md, table.csv, table.json and the bar chart table.png / table.svg.
 */
public final class ComparisonTable {
    /** Display names, in the table's order: the paper's Table 4, then the weight-only levels of its Table 1. */
    public static final Map<String, String> NAMES = names();

    private static Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mode", "MODE");
        m.put("apricot", "Apricot");
        m.put("arachne", "Arachne");
        m.put("sensei", "SENSEI");
        m.put("fewshot", "Few-Shot");
        m.put("deeprepair", "DeepRepair");
        m.put("archrepair", "ArchRepair");
        m.put("neuron", "Neuron-lv (weight only)");
        m.put("layer", "Layer-lv (weight only)");
        m.put("block", "Block-lv (weight only)");
        m.put("network", "Network-lv (weight only)");
        return m;
    }

    private ComparisonTable() {
    }

    /** One finished run: accuracies as fractions, seconds of wall time, extra evaluations by name (before, after). */
    public record Run(String method, long seed, double before, double after, double sourceBefore, double sourceAfter,
                      int failuresFixed, int failures, double seconds, Map<String, double[]> extra) {
    }

    /** A row: the runs of one method (or the original) summarized over seeds. */
    public record Row(String method, String name, List<Long> seeds, double[] accuracy, double[] change, double[] source,
                      double[] fixed, double[] seconds, Map<String, double[]> extra) {
    }

    /** Every finished run under dir (seed-S/METHOD/report.json). */
    public static List<Run> collect(Path dir) throws IOException {
        List<Run> runs = new ArrayList<>();
        if (!Files.isDirectory(dir)) return runs;
        try (Stream<Path> seeds = Files.list(dir)) {
            for (Path s : seeds.filter(p -> p.getFileName().toString().matches("seed-\\d+")).sorted().toList()) {
                long seed = Long.parseLong(s.getFileName().toString().substring(5));
                try (Stream<Path> methods = Files.list(s)) {
                    for (Path m : methods.filter(p -> Files.isRegularFile(p.resolve("report.json"))).sorted().toList())
                        runs.add(read(m, seed));
                }
            }
        }
        return runs;
    }

    /** A finished run's report.json (and wall.json); a field missing or of the wrong type names the file. */
    @SuppressWarnings("unchecked")
    private static Run read(Path dir, long seed) throws IOException {
        Path file = dir.resolve("report.json");
        Map<String, Object> r = Reports.readObject(Files.readString(file), file.toString());
        Map<String, Object> source = section(r, "source_set", file), seconds = section(r, "seconds", file);
        double wall = num(seconds, "search", file) + num(seconds, "finetune", file);
        Path w = dir.resolve("wall.json");
        if (Files.exists(w)) wall = num(Reports.readObject(Files.readString(w), w.toString()), "seconds", w);
        Map<String, double[]> extra = new LinkedHashMap<>();
        for (var e : section(r, "robustness", file).entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> v)) throw new IllegalArgumentException(file + ": robustness." + e.getKey()
                    + " is not an object");
            extra.put(e.getKey(), new double[]{num((Map<String, Object>) v, "before", file),
                    num((Map<String, Object>) v, "after", file)});
        }
        Map<String, Object> failures = section(section(r, "data", file), "failures", file);
        return new Run(dir.getFileName().toString(), seed, num(section(r, "before", file), "accuracy", file),
                num(section(r, "after", file), "accuracy", file), num(source, "before", file), num(source, "after", file),
                (int) num(r, "failures_fixed", file), (int) num(failures, "size", file), wall, extra);
    }

    /** m's object key; robustness may be absent (scenario 1): empty. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> m, String key, Path file) {
        Object o = m.get(key);
        if (o == null && key.equals("robustness")) return Map.of();
        if (!(o instanceof Map<?, ?> s))
            throw new IllegalArgumentException(file + ": no \"" + key + "\" object (not a repair report, or one written "
                    + "by an older build)");
        return (Map<String, Object>) s;
    }

    private static double num(Map<String, Object> m, String key, Path file) {
        if (!(m.get(key) instanceof Number n))
            throw new IllegalArgumentException(file + ": \"" + key + "\" is not a number: " + m.get(key));
        return n.doubleValue();
    }

    /** The rows: the original (over every seed that has a run), then each method present, in NAMES order. */
    public static List<Row> rows(List<Run> runs) {
        List<Row> rows = new ArrayList<>();
        Map<Long, Run> anyBySeed = new LinkedHashMap<>();
        runs.forEach(r -> anyBySeed.putIfAbsent(r.seed(), r));
        if (!anyBySeed.isEmpty()) {
            List<Run> o = List.copyOf(anyBySeed.values());
            Map<String, double[]> extra = new LinkedHashMap<>();
            o.getFirst().extra().keySet().forEach(k -> extra.put(k, stats(o.stream().mapToDouble(r -> r.extra().get(k)[0]).toArray())));
            rows.add(new Row("original", "Original", o.stream().map(Run::seed).toList(),
                    stats(o.stream().mapToDouble(Run::before).toArray()), stats(new double[o.size()]),
                    stats(o.stream().mapToDouble(Run::sourceBefore).toArray()), stats(new double[o.size()]),
                    stats(new double[o.size()]), extra));
        }
        List<String> order = new ArrayList<>(NAMES.keySet());
        runs.stream().map(Run::method).filter(m -> !order.contains(m)).distinct().forEach(order::add);
        for (String m : order) {
            List<Run> rs = runs.stream().filter(r -> r.method().equals(m)).toList();
            if (rs.isEmpty()) continue;
            Map<String, double[]> extra = new LinkedHashMap<>();
            rs.getFirst().extra().keySet().forEach(k -> extra.put(k, stats(rs.stream().mapToDouble(r -> r.extra().get(k)[1]).toArray())));
            rows.add(new Row(m, NAMES.getOrDefault(m, m), rs.stream().map(Run::seed).toList(),
                    stats(rs.stream().mapToDouble(Run::after).toArray()),
                    stats(rs.stream().mapToDouble(r -> r.after() - r.before()).toArray()),
                    stats(rs.stream().mapToDouble(Run::sourceAfter).toArray()),
                    stats(rs.stream().mapToDouble(Run::failuresFixed).toArray()),
                    stats(rs.stream().mapToDouble(Run::seconds).toArray()), extra));
        }
        return rows;
    }

    /** {mean, sample standard deviation (NaN for one value), count}. */
    static double[] stats(double[] v) {
        double mean = 0;
        for (double x : v) mean += x;
        mean /= v.length;
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        return new double[]{mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN, v.length};
    }

    /** table.md, table.csv, table.json and table.png / table.svg in dir; title heads the Markdown and the chart. */
    public static List<Row> write(Path dir, String title, Map<String, Object> settings) throws IOException {
        List<Row> rows = rows(collect(dir));
        AtomicFile.writeString(dir.resolve("table.md"), markdown(rows, title));
        AtomicFile.writeString(dir.resolve("table.csv"), csv(rows));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("title", title);
        json.put("settings", settings);
        json.put("rows", rows.stream().map(ComparisonTable::toJson).toList());
        Reports.writeJson(dir.resolve("table.json"), json);
        if (!rows.isEmpty()) Reports.writeChart(chart(rows, title), dir.resolve("table"));
        return rows;
    }

    static String markdown(List<Row> rows, String title) {
        StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
        List<String> extras = rows.isEmpty() ? List.of() : List.copyOf(rows.getFirst().extra().keySet());
        b.append("| method | seeds | accuracy on D_v \\ D_fail (%) | change (points) | whole source set (%) | failures fixed |");
        for (String e : extras) b.append(' ').append(e).append(" (%) |");
        b.append(" wall time (s) |\n|---|---:|---:|---:|---:|---:|");
        b.append("---:|".repeat(extras.size())).append("---:|\n");
        for (Row r : rows) {
            b.append("| ").append(r.name()).append(" | ").append(r.seeds().size()).append(" | ")
                    .append(pct(r.accuracy())).append(" | ").append(r.method().equals("original") ? "" : points(r.change()))
                    .append(" | ").append(pct(r.source())).append(" | ")
                    .append(r.method().equals("original") ? "" : fmt(r.fixed(), 1)).append(" |");
            for (String e : extras) b.append(' ').append(pct(r.extra().get(e))).append(" |");
            b.append(' ').append(r.method().equals("original") ? "" : fmt(r.seconds(), 1)).append(" |\n");
        }
        b.append("\nMean over the seeds that ran, ± the sample standard deviation where there are several; the change is "
                + "against the original model on the same seeds' D_v \\ D_fail.\n");
        return b.toString();
    }

    private static String pct(double[] s) {
        return s[2] > 1 ? String.format(Locale.ROOT, "%.2f ± %.2f", 100 * s[0], 100 * s[1])
                : String.format(Locale.ROOT, "%.2f", 100 * s[0]);
    }

    private static String points(double[] s) {
        return s[2] > 1 ? String.format(Locale.ROOT, "%+.2f ± %.2f", 100 * s[0], 100 * s[1])
                : String.format(Locale.ROOT, "%+.2f", 100 * s[0]);
    }

    private static String fmt(double[] s, int scale) {
        return s[2] > 1 ? String.format(Locale.ROOT, "%.0f ± %.0f", scale * s[0], scale * s[1])
                : String.format(Locale.ROOT, "%.0f", scale * s[0]);
    }

    static String csv(List<Row> rows) {
        List<String> extras = rows.isEmpty() ? List.of() : List.copyOf(rows.getFirst().extra().keySet());
        StringBuilder b = new StringBuilder("method,name,seeds,accuracy_mean,accuracy_sd,change_mean,change_sd,"
                + "source_mean,source_sd,failures_fixed_mean,seconds_mean");
        for (String e : extras) b.append(',').append(e).append("_mean,").append(e).append("_sd");
        b.append('\n');
        for (Row r : rows) {
            b.append(r.method()).append(",\"").append(r.name()).append("\",").append(r.seeds().size());
            for (double v : new double[]{r.accuracy()[0], r.accuracy()[1], r.change()[0], r.change()[1], r.source()[0],
                    r.source()[1], r.fixed()[0], r.seconds()[0]})
                b.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v));
            for (String e : extras) {
                double[] s = r.extra().get(e);
                b.append(',').append(String.format(Locale.ROOT, "%.6f", s[0])).append(',')
                        .append(Double.isNaN(s[1]) ? "" : String.format(Locale.ROOT, "%.6f", s[1]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static Map<String, Object> toJson(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("name", r.name());
        m.put("seeds", r.seeds());
        m.put("accuracy", stat(r.accuracy()));
        m.put("change", stat(r.change()));
        m.put("source_set", stat(r.source()));
        m.put("failures_fixed", stat(r.fixed()));
        m.put("wall_seconds", stat(r.seconds()));
        Map<String, Object> extra = new LinkedHashMap<>();
        r.extra().forEach((k, v) -> extra.put(k, stat(v)));
        if (!extra.isEmpty()) m.put("evaluations", extra);
        return m;
    }

    private static Map<String, Object> stat(double[] s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", s[0]);
        if (!Double.isNaN(s[1])) m.put("sd", s[1]);
        m.put("n", (int) s[2]);
        return m;
    }

    /** Mean accuracy on D_v \ D_fail per method with the standard deviation as error bars. */
    static CategoryChart chart(List<Row> rows, String title) {
        CategoryChart c = new CategoryChartBuilder().width(1000).height(520).title(title)
                .yAxisTitle("accuracy on D_v \\ D_fail (%)").build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(30);
        c.getStyler().setYAxisDecimalPattern("0.0");
        List<String> names = rows.stream().map(Row::name).toList();
        List<Double> means = rows.stream().map(r -> 100 * r.accuracy()[0]).toList();
        List<Double> errors = rows.stream().map(r -> Double.isNaN(r.accuracy()[1]) ? 0 : 100 * r.accuracy()[1]).toList();
        double lo = means.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = means.stream().mapToDouble(Double::doubleValue).max().orElse(100);
        double span = Math.max(1, hi - lo);
        c.getStyler().setYAxisMin(Math.max(0, Math.floor(lo - 0.5 * span))).setYAxisMax(Math.min(100, Math.ceil(hi + 0.3 * span)));
        CategorySeries s = c.addSeries("accuracy", names, means, errors);
        s.setFillColor(new Color(0x1f77b4));
        return c;
    }
}
