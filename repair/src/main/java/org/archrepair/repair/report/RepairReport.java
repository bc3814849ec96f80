package org.archrepair.repair.report;

import org.archrepair.engine.io.AtomicFile;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.method.EpochLog;
import org.archrepair.repair.method.Outcome;
import org.archrepair.repair.search.CellSpec;
import org.archrepair.repair.search.Genotype;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of {@code archrepair repair --out DIR} besides the model: report.json (before and
 * after on D_v \ D_fail, per class, the target, the genotype, the history, timings, the data's
 * provenance with the failure indices, the settings), report.md, and for ArchRepair
 * architecture.json, genotype.dot, genotype.svg and alpha.png.
 */
public final class RepairReport {
    private RepairReport() {
    }

    /**
     * The model before and after on the whole source set, and which of its indices are held out
     * (D_v minus D_fail: "before" and "after" of the report) and which are D_fail.
     */
    public record Accuracies(Accuracy beforeAll, Accuracy afterAll, int[] heldOut, int[] failures) {
        Accuracy before() {
            return beforeAll.subset(heldOut);
        }

        Accuracy after() {
            return afterAll.subset(heldOut);
        }
    }

    /** specs: the cells of the block as built (to mark changed edges), or empty. */
    /**
     * robustness: scenario 2's other measurements, name ("clean", a corruption) -> {before, after}
     * accuracy; empty in scenario 1.
     */
    public static void write(Path dir, Map<String, Object> settings, Accuracies acc, Outcome outcome,
                             List<CellSpec> specs, Map<String, Double> phaseSeconds, Map<String, double[]> robustness)
            throws IOException {
        Accuracy before = acc.before(), after = acc.after();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("before", accuracy(before));
        json.put("after", accuracy(after));
        json.put("improvement", after.accuracy() - before.accuracy());
        json.put("failures_fixed", acc.afterAll().subset(acc.failures()).correct());
        json.put("source_set", Map.of("images", acc.beforeAll().total(), "before", acc.beforeAll().accuracy(),
                "after", acc.afterAll().accuracy()));
        json.putAll(outcome.toJson());
        if (outcome.genotype() != null) json.put("edges_changed", outcome.genotype().changedEdges(specs));
        if (!robustness.isEmpty()) {
            Map<String, Object> r = new LinkedHashMap<>();
            robustness.forEach((k, v) -> r.put(k, Map.of("before", v[0], "after", v[1])));
            json.put("robustness", r);
        }
        json.put("seconds", phaseSeconds);
        json.putAll(settings);
        Reports.writeJson(dir.resolve("report.json"), json);
        AtomicFile.writeString(dir.resolve("report.md"), markdown(settings, acc, outcome, specs, phaseSeconds, robustness));
        Genotype g = outcome.genotype();
        if (g != null) {
            Reports.writeJson(dir.resolve("architecture.json"), g.toJson());
            AtomicFile.writeString(dir.resolve("genotype.dot"), GenotypeGraph.dot(g));
            AtomicFile.writeString(dir.resolve("genotype.svg"), GenotypeGraph.svg(g, (cell, from, to) -> specs.stream()
                    .filter(s -> s.name().equals(cell)).findFirst()
                    .map(s -> s.edge(from, to).original() != g.cell(cell).op(from, to)).orElse(false)));
            AlphaChart.write(outcome.alphaHistory(), dir.resolve("alpha.png"));
        }
    }

    private static Map<String, Object> accuracy(Accuracy a) {
        Map<String, Object> m = a.toJson(null);
        m.remove("model");
        return m;
    }

    static String markdown(Map<String, Object> settings, Accuracies acc, Outcome o, List<CellSpec> specs,
                           Map<String, Double> seconds, Map<String, double[]> robustness) {
        Accuracy before = acc.before(), after = acc.after();
        StringBuilder b = new StringBuilder();
        b.append("# Repair of ").append(settings.get("model")).append(" by ").append(o.method()).append("\n\n");
        b.append(String.format(Locale.ROOT, "Accuracy on D_v \\ D_fail (%d images): **%.2f%% -> %.2f%%** (%+.2f points). "
                        + "Whole source set (D_v, or the corruption in scenario 2): %.2f%% -> %.2f%%; failures of D_fail now right: %d of %d.%n%n",
                before.total(), 100 * before.accuracy(), 100 * after.accuracy(), 100 * (after.accuracy() - before.accuracy()),
                100 * acc.beforeAll().accuracy(), 100 * acc.afterAll().accuracy(),
                acc.afterAll().subset(acc.failures()).correct(), acc.failures().length));
        b.append("Target: ").append(o.target()).append(".\n\n");
        if (o.genotype() != null)
            b.append("Genotype (").append(o.genotype().changedEdges(specs)).append(" edges differ from the raw block): `")
                    .append(o.genotype()).append("`\n\n");
        if (!robustness.isEmpty()) {
            b.append("| also measured | before | after |\n|---|---:|---:|\n");
            robustness.forEach((k, v) -> b.append(String.format(Locale.ROOT, "| %s | %.2f%% | %.2f%% |%n", k, 100 * v[0],
                    100 * v[1])));
            b.append('\n');
        }
        b.append("| class | before | after |\n|---|---:|---:|\n");
        int[][] cb = before.confusion(), ca = after.confusion();
        for (int c = 0; c < before.classes().size(); c++) {
            int n = 0;
            for (int v : cb[c]) n += v;
            b.append(String.format(Locale.ROOT, "| %s | %.2f%% | %.2f%% |%n", before.classes().get(c),
                    n == 0 ? 0.0 : 100.0 * cb[c][c] / n, n == 0 ? 0.0 : 100.0 * ca[c][c] / n));
        }
        b.append("\n| phase | epoch | lr | train loss | train acc | val loss | val acc | alpha entropy | seconds |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (EpochLog e : o.history())
            b.append(String.format(Locale.ROOT, "| %s | %d | %.4g | %.4f | %.2f%% | %.4f | %.2f%% | %s | %.1f |%n", e.phase(),
                    e.epoch(), e.lr(), e.trainLoss(), 100 * e.trainAccuracy(), e.valLoss(), 100 * e.valAccuracy(),
                    Double.isNaN(e.entropy()) ? "" : String.format(Locale.ROOT, "%.3f", e.entropy()), e.seconds()));
        b.append("\nTime per phase (s): ");
        seconds.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%s %.1f; ", k, v)));
        b.append("\n\nSettings: `").append(Reports.json(settings.get("settings")).replaceAll("\\s+", " ")).append("`\n");
        return b.toString();
    }
}
