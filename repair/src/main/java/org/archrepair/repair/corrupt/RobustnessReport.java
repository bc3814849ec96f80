package org.archrepair.repair.corrupt;

import org.archrepair.engine.io.JsonFormat;
import org.archrepair.models.data.CorruptionFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a model did on a corruption folder: correct / total per corruption and severity, with the
 * clean accuracy beside it; the mean corruption accuracy (over the 15 standard corruptions the
 * folder holds, or over all when it holds none of them) and, against a baseline model's report,
 * the corruption error of Hendrycks and Dietterich: CE_c = sum_s E(c, s) / sum_s E_base(c, s),
 * mCE its mean, and the relative CE, sum_s (E(c, s) - E_clean) / sum_s (E_base(c, s) -
 * E_base_clean). E = 1 - accuracy.
 *
 * <p>What it is not: the evaluation itself (see {@link RobustnessEvaluation}).
 */
public record RobustnessReport(String model, String folder, double cleanAccuracy, List<Integer> severities,
                               Map<String, int[]> correct, Map<String, int[]> total) {
    public RobustnessReport {
        severities = List.copyOf(severities);
        correct = new LinkedHashMap<>(correct);
        total = new LinkedHashMap<>(total);
    }

    public List<String> corruptions() {
        return List.copyOf(correct.keySet());
    }

    /** Accuracy (a fraction) of corruption c at the j-th severity of {@link #severities}. */
    public double accuracy(String c, int j) {
        return (double) correct.get(c)[j] / total.get(c)[j];
    }

    public double meanAccuracy(String c) {
        double s = 0;
        for (int j = 0; j < severities.size(); j++) s += accuracy(c, j);
        return s / severities.size();
    }

    /** The corruptions the summary averages over: the standard ones present, else all. */
    public List<String> averagedOver() {
        List<String> standard = corruptions().stream().filter(CorruptionFolder.STANDARD::contains).toList();
        return standard.isEmpty() ? corruptions() : standard;
    }

    public double meanCorruptionAccuracy() {
        return averagedOver().stream().mapToDouble(this::meanAccuracy).average().orElse(Double.NaN);
    }

    /** CE_c against a baseline, for every averaged corruption. */
    public Map<String, Double> ce(RobustnessReport base, boolean relative) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String c : averagedOver()) {
            if (!base.correct.containsKey(c))
                throw new IllegalArgumentException("the mCE baseline (" + base.model + ") has no result for " + c);
            double num = 0, den = 0;
            for (int j = 0; j < severities.size(); j++) {
                int b = base.severities.indexOf(severities.get(j));
                if (b < 0) throw new IllegalArgumentException("the mCE baseline (" + base.model + ") has no severity "
                        + severities.get(j) + " of " + c);
                num += (1 - accuracy(c, j)) - (relative ? 1 - cleanAccuracy : 0);
                den += (1 - base.accuracy(c, b)) - (relative ? 1 - base.cleanAccuracy : 0);
            }
            out.put(c, num / den);
        }
        return out;
    }

    public double mce(RobustnessReport base, boolean relative) {
        return ce(base, relative).values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The "corruptions" section of the evaluate JSON report; base may be null. */
    public Map<String, Object> toJson(RobustnessReport base, String baseOrigin) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("folder", folder);
        out.put("severities", severities);
        Map<String, Object> acc = new LinkedHashMap<>(), corr = new LinkedHashMap<>(), tot = new LinkedHashMap<>(),
                mean = new LinkedHashMap<>();
        for (String c : corruptions()) {
            List<Double> a = new ArrayList<>();
            for (int j = 0; j < severities.size(); j++) a.add(accuracy(c, j));
            acc.put(c, a);
            corr.put(c, correct.get(c));
            tot.put(c, total.get(c));
            mean.put(c, meanAccuracy(c));
        }
        out.put("accuracy", acc);
        out.put("correct", corr);
        out.put("total", tot);
        out.put("mean_accuracy", mean);
        out.put("averaged_over", averagedOver());
        out.put("mean_corruption_accuracy", meanCorruptionAccuracy());
        if (base != null) {
            out.put("mce_baseline", baseOrigin);
            out.put("ce", ce(base, false));
            out.put("mce", mce(base, false));
            out.put("relative_ce", ce(base, true));
            out.put("relative_mce", mce(base, true));
        }
        return out;
    }

    /** The report of an earlier {@code evaluate --corruptions --json FILE} run, as an mCE baseline. */
    public static RobustnessReport fromEvaluateJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("--mce-baseline " + file + ": no such file");
        try {
            Map<?, ?> root = (Map<?, ?>) JsonFormat.parse(Files.readString(file));
            if (!(root.get("corruptions") instanceof Map<?, ?> section))
                throw new IOException(file + " has no \"corruptions\" section: write it with evaluate --corruptions DIR --json FILE");
            List<Integer> severities = ((List<?>) section.get("severities")).stream().map(o -> ((Long) o).intValue()).toList();
            Map<String, int[]> correct = new LinkedHashMap<>(), total = new LinkedHashMap<>();
            ints((Map<?, ?>) section.get("correct"), correct);
            ints((Map<?, ?>) section.get("total"), total);
            return new RobustnessReport((String) root.get("model"), (String) section.get("folder"),
                    ((Number) root.get("accuracy")).doubleValue(), severities, correct, total);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IOException(file + " is not an evaluate --corruptions JSON report (" + e.getMessage() + ")", e);
        }
    }

    private static void ints(Map<?, ?> from, Map<String, int[]> to) {
        from.forEach((k, v) -> to.put((String) k, ((List<?>) v).stream().mapToInt(o -> ((Long) o).intValue()).toArray()));
    }

    /** RobustBench's unaggregated_results.csv layout: two header rows (corruption, severity), one row per model. */
    public String csv() {
        StringBuilder names = new StringBuilder(), levels = new StringBuilder(), row = new StringBuilder(model);
        for (String c : corruptions())
            for (int j = 0; j < severities.size(); j++) {
                names.append(',').append(c);
                levels.append(',').append(severities.get(j));
                row.append(',').append(String.format(java.util.Locale.ROOT, "%.4f", accuracy(c, j)));
            }
        return names + "\n" + levels + "\n" + row + "\n";
    }

    /** The human-readable table: accuracy (%) per corruption and severity, means, and the mCE lines. */
    public String table(RobustnessReport base) {
        StringBuilder b = new StringBuilder(String.format("%n%-18s", "corruption"));
        for (int s : severities) b.append(String.format("  sev %d", s));
        b.append("    mean\n");
        for (String c : corruptions()) {
            b.append(String.format("%-18s", c));
            for (int j = 0; j < severities.size(); j++) b.append(String.format(" %5.2f%%", 100 * accuracy(c, j)));
            b.append(String.format("  %5.2f%%%s%n", 100 * meanAccuracy(c), averagedOver().contains(c) ? "" : "  (not averaged)"));
        }
        b.append(String.format("%nmean corruption accuracy %.2f%% over %d corruptions (clean %.2f%%)%n",
                100 * meanCorruptionAccuracy(), averagedOver().size(), 100 * cleanAccuracy));
        if (base != null)
            b.append(String.format("mCE %.2f%%, relative mCE %.2f%% (baseline %s)%n", 100 * mce(base, false),
                    100 * mce(base, true), base.model));
        return b.toString();
    }
}
