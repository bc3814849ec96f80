package org.archrepair.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.archrepair.engine.io.JsonFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns JMH JSON result files ({@code -rf json}) into the markdown tables of RESULTS.md: for each
 * comparison, the median time of ours (the sum of the medians of its parts, e.g. conv forward +
 * backward-data + backward-weight), PyTorch's median, the ratio PyTorch / ours (> 1: ours is
 * faster; for the end-to-end benchmarks it is also our throughput over PyTorch's) and, where a FLOP
 * count is defined, GFLOP/s, and where an image count is, images/s.
 * Usage: {@code java -cp bench/target/benchmarks.jar org.archrepair.bench.Report result.json...}
 *
 * <p>What this is not: a statistics package. The median is JMH's 50th percentile over the
 * measurement iterations; with 4 iterations on a shared 2-core machine, read ratios, not digits.
 */
public final class Report {

    /** One JMH result: benchmark class (simple name), method, parameters, median in ms. */
    record Result(String bench, String method, Map<String, String> params, double medianMs) {
    }

    /**
     * Ours = the sum of the medians of oursParts, against one PyTorch method; flops (per call) and
     * images (per call) may be null.
     */
    record Comparison(String bench, String title, List<String> oursParts, String pytorch,
                      ToDoubleFunction<Map<String, String>> flops, ToDoubleFunction<Map<String, String>> images) {
        Comparison(String bench, String title, List<String> oursParts, String pytorch,
                   ToDoubleFunction<Map<String, String>> flops) {
            this(bench, title, oursParts, pytorch, flops, null);
        }
    }

    static final List<Comparison> COMPARISONS = List.of(
            new Comparison("GemmBench", "SGEMM C = A B (size x size)", List.of("ours"), "pytorch",
                    p -> 2.0 * Math.pow(Double.parseDouble(p.get("size")), 3)),
            new Comparison("ConvBench", "conv2d forward", List.of("oursForward"), "pytorchForward",
                    p -> 2.0 * Layers.conv(p.get("layer")).macs()),
            new Comparison("ConvBench", "conv2d forward + backward (ours: fwd + bwdData + bwdWeight)",
                    List.of("oursForward", "oursBackwardData", "oursBackwardWeight"), "pytorchForwardBackward",
                    p -> 6.0 * Layers.conv(p.get("layer")).macs()),
            new Comparison("PoolBench", "max pool forward", List.of("oursMaxForward"), "pytorchMaxForward", null),
            new Comparison("PoolBench", "max pool forward + backward", List.of("oursMaxForward", "oursMaxBackward"),
                    "pytorchMaxForwardBackward", null),
            new Comparison("PoolBench", "avg pool forward", List.of("oursAvgForward"), "pytorchAvgForward", null),
            new Comparison("PoolBench", "avg pool forward + backward", List.of("oursAvgForward", "oursAvgBackward"),
                    "pytorchAvgForwardBackward", null),
            new Comparison("BatchNormBench", "batch norm, training forward", List.of("oursForward"), "pytorchForward",
                    null),
            new Comparison("BatchNormBench", "batch norm, training forward + backward",
                    List.of("oursForward", "oursBackward"), "pytorchForwardBackward", null),
            new Comparison("LossBench", "softmax cross-entropy forward", List.of("oursForward"), "pytorchForward", null),
            new Comparison("LossBench", "softmax cross-entropy forward + backward",
                    List.of("oursForward", "oursBackward"), "pytorchForwardBackward", null),
            new Comparison("TrainStepBench", "training step (forward, loss, backward, SGD step)",
                    List.of("ours"), "pytorch", null, p -> Double.parseDouble(p.get("batch"))),
            new Comparison("InferenceBench", "ResNet-20 inference (eval mode, no grad)",
                    List.of("ours"), "pytorch", null, p -> Double.parseDouble(p.get("batch"))));

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: Report <jmh-result.json>...");
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        for (String file : args) results.addAll(read(Path.of(file)));
        System.out.print(render(results));
    }

    static List<Result> read(Path file) throws IOException {
        List<Result> out = new ArrayList<>();
        for (JsonNode run : JsonFormat.read(Files.readString(file))) {
            String[] name = run.path("benchmark").asText().split("\\.");
            Map<String, String> params = new LinkedHashMap<>();
            run.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            JsonNode metric = run.path("primaryMetric");
            double median = number(metric.path("scorePercentiles").path("50.0"));
            out.add(new Result(name[name.length - 2], name[name.length - 1], params,
                    median * msPer(metric.path("scoreUnit").asText())));
        }
        return out;
    }

    /** All comparisons that have at least one result, one markdown table each. */
    static String render(List<Result> results) {
        StringBuilder md = new StringBuilder();
        for (Comparison c : COMPARISONS) {
            Map<Map<String, String>, Map<String, Result>> rows = new LinkedHashMap<>();
            for (Result r : results)
                if (r.bench().equals(c.bench()) && (c.oursParts().contains(r.method()) || c.pytorch().equals(r.method())))
                    rows.computeIfAbsent(r.params(), k -> new LinkedHashMap<>()).put(r.method(), r);
            if (!rows.isEmpty()) md.append(table(c, rows)).append('\n');
        }
        return md.toString();
    }

    private static String table(Comparison c, Map<Map<String, String>, Map<String, Result>> rows) {
        List<String> paramNames = new ArrayList<>(rows.keySet().iterator().next().keySet());
        StringBuilder md = new StringBuilder("#### " + c.title() + " (" + c.bench() + ")\n\n|");
        for (String p : paramNames) md.append(' ').append(p).append(" |");
        if (c.oursParts().size() > 1) for (String part : c.oursParts()) md.append(' ').append(part).append(" ms |");
        md.append(" ours ms | PyTorch ms | PyTorch/ours |");
        if (c.flops() != null) md.append(" ours GFLOP/s | PyTorch GFLOP/s |");
        if (c.images() != null) md.append(" ours images/s | PyTorch images/s |");
        md.append("\n|").append("---|".repeat(paramNames.size() + (c.oursParts().size() > 1 ? c.oursParts().size() : 0)
                + 3 + (c.flops() != null ? 2 : 0) + (c.images() != null ? 2 : 0))).append('\n');
        rows.forEach((params, byMethod) -> md.append(row(c, paramNames, params, byMethod)).append('\n'));
        return md.toString();
    }

    private static String row(Comparison c, List<String> paramNames, Map<String, String> params,
                              Map<String, Result> byMethod) {
        StringBuilder md = new StringBuilder("|");
        for (String p : paramNames) md.append(' ').append(params.get(p)).append(" |");
        double ours = 0;
        for (String part : c.oursParts()) {
            Result r = byMethod.get(part);
            ours += r == null ? Double.NaN : r.medianMs();
            if (c.oursParts().size() > 1) md.append(' ').append(ms(r == null ? Double.NaN : r.medianMs())).append(" |");
        }
        Result t = byMethod.get(c.pytorch());
        double torch = t == null ? Double.NaN : t.medianMs();
        md.append(' ').append(ms(ours)).append(" | ").append(ms(torch)).append(" | ").append(ratio(torch / ours))
                .append(" |");
        if (c.flops() != null) {
            double flops = c.flops().applyAsDouble(params);
            md.append(' ').append(fixed(flops / ours / 1e6, 1)).append(" | ").append(fixed(flops / torch / 1e6, 1))
                    .append(" |");
        }
        if (c.images() != null) {
            double images = c.images().applyAsDouble(params);
            md.append(' ').append(fixed(images / ours * 1e3, 0)).append(" | ").append(fixed(images / torch * 1e3, 0))
                    .append(" |");
        }
        return md.toString();
    }

    /** Three significant digits, "-" when missing. */
    private static String ms(double v) {
        if (Double.isNaN(v)) return "-";
        if (v >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
        if (v >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Two decimals, or two significant digits below 0.1 (a scalar kernel against a BLAS is 0.004x). */
    private static String ratio(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "-";
        return String.format(Locale.ROOT, v < 0.1 ? "%.2g" : "%.2f", v);
    }

    private static String fixed(double v, int digits) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static double number(JsonNode v) {
        return v.isNumber() ? v.doubleValue() : Double.NaN;   // JMH writes "NaN" as a string
    }

    private static double msPer(String unit) {
        return switch (unit) {
            case "s/op" -> 1e3;
            case "ms/op" -> 1;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> throw new IllegalArgumentException("unexpected JMH unit '" + unit
                    + "': run in avgt or ss mode (time per operation)");
        };
    }
}
