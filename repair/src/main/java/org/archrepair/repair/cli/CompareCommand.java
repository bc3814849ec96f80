package org.archrepair.repair.cli;

import org.archrepair.kernels.Backend;
import org.archrepair.repair.data.RepairData;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.localize.Localization;
import org.archrepair.repair.method.Budget;
import org.archrepair.repair.method.EpochLog;
import org.archrepair.repair.method.RepairContext;
import org.archrepair.repair.report.ComparisonTable;
import org.archrepair.repair.report.Reports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * archrepair compare: the repair methods one after another on the same model, failures, data,
 * budget and seed, into DIR/seed-S/METHOD (each a repair's folder: report, model, checkpoint), then
 * the table of the paper's Table 4 (scenario 1) or a Table 5 row (scenario 2, --scenario corruption,
 * with the clean test set and the --evaluate-on corruptions as further columns) over whatever has
 * finished. The failures come from FailureOptions exactly as in repair. Resumable: a finished
 * method (its report.json exists) is not rerun, an interrupted one continues from its checkpoint.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run repair methods one after another on the same failures, data, budget and seed (for each seed), "
                + "then write DIR/table.md, .csv, .json and a bar chart (table.png, .svg) shaped like the paper's Table 4, "
                + "or with --scenario corruption a Table 5 row (the clean test set and the --evaluate-on corruptions as "
                + "further columns). Resumable: finished methods are not rerun, an interrupted one continues from its "
                + "checkpoint.")
public final class CompareCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;
    @Mixin
    DataOptions data;
    @Mixin
    FailureOptions failures;
    @Mixin
    BudgetOptions budget;
    @Mixin
    CommonOptions common;
    @Mixin
    ArchRepairOptions arch;
    @Mixin
    BaselineOptions baselines;
    @Mixin
    EvaluateOnOptions evaluateOn;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "PyTorch torch.save file or safetensors. Default for resnet20 and resnet32: the published weights.")
    Path weights;
    @Option(names = "--methods", defaultValue = "all", paramLabel = "LIST",
            description = "all (the six published methods, archrepair, and the weight-only neuron, layer, block and network "
                    + "levels) or a comma-separated list of them. Default: ${DEFAULT-VALUE}.")
    String methods;
    @Option(names = "--seeds", paramLabel = "LIST", description = "Comma-separated seeds, one run of every method each. "
            + "Default: --seed.")
    String seeds;
    @Mixin
    LocalizationOptions localization;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The campaign's folder.")
    Path out;
    @Option(names = "--table-only", description = "Only rebuild the table from the runs that have finished.")
    boolean tableOnly;

    @Override
    public Integer call() throws Exception {
        Budget b = budget.resolve();
        List<String> list = Methods.parse(methods);
        List<Long> seedList = seeds();
        model.name();
        failures.checkScenario();
        evaluateOn.check(failures);
        for (String m : list) Methods.create(m, arch, baselines);          // bad options fail before anything slow
        Files.createDirectories(out);
        if (!tableOnly) run(b, list, seedList);
        String title = String.format(Locale.ROOT, "%s: %s, %s", failures.corruption == null ? "Table 4 (scenario 1, clean)"
                        : "Table 5 (scenario 2, " + failures.corruption + ")", model.model,
                weights == null ? "published weights" : weights.getFileName());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("scenario", failures.scenario);
        if (failures.corruption != null) settings.put("corruption", failures.corruption);
        settings.put("budget", b.toJson());
        List<ComparisonTable.Row> rows = ComparisonTable.write(out, title, settings);
        System.out.println(Files.readString(out.resolve("table.md")));
        System.out.println(rows.size() + " rows; table in " + out.resolve("table.md"));
        return 0;
    }

    private List<Long> seeds() {
        if (seeds == null) return List.of(common.seed);
        List<Long> out = new ArrayList<>();
        for (String s : seeds.split(",")) {
            try {
                out.add(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds: '" + s + "' is not an integer");
            }
        }
        return out;
    }

    private void run(Budget b, List<String> list, List<Long> seedList) throws IOException {
        for (long seed : seedList)
            list.stream().filter(m -> Files.exists(dir(seed, m).resolve("report.json")))
                    .forEach(m -> System.err.println("seed " + seed + ", " + m + ": finished, not rerun"));
        if (seedList.stream().allMatch(seed -> list.stream().allMatch(m -> Files.exists(dir(seed, m).resolve("report.json")))))
            return;
        try (Backend backend = common.openBackend(); RepairCommand.Progress progress = new RepairCommand.Progress()) {
            Path weightsFile = Subject.weightsFile(model, data, weights);
            FailureOptions.Sources sources = failures.load(data);
            int classes = sources.train().classes().size();
            Subject original = Subject.load(model, weightsFile, classes, backend, common.seed);
            Accuracy before = FailureOptions.evaluate(original, backend, sources.source(), common.seed);
            Accuracy cleanBefore = sources.corrupted()
                    ? FailureOptions.evaluate(original, backend, sources.clean(), common.seed) : before;
            Robustness robust = evaluateOn.before(original, backend, failures, sources, cleanBefore, common.seed);
            for (long seed : seedList) {
                List<String> todo = list.stream().filter(m -> !Files.exists(dir(seed, m).resolve("report.json"))).toList();
                if (todo.isEmpty()) continue;
                RepairData d = failures.sample(sources, before, seed, b.trainImages(), original.net().name());
                long t0 = System.nanoTime();
                Localization loc = MethodRun.localize(Subject.load(model, weightsFile, classes, backend, seed), backend, d,
                        localization.spectrumImages, localization.topK, seed, out.resolve("seed-" + seed).resolve("localization"));
                double locSeconds = (System.nanoTime() - t0) / 1e9;
                for (String m : todo) {
                    Path dir = dir(seed, m);
                    Files.createDirectories(dir);
                    Subject s = Subject.load(model, weightsFile, classes, backend, seed);
                    boolean resume = Files.exists(dir.resolve("state.safetensors"));
                    System.err.println("seed " + seed + ", " + m + (resume ? ": resuming from its checkpoint" : ": starting"));
                    Wall wall = new Wall(dir, progress);
                    Map<String, Object> settings = MethodRun.settings(s, m, failures, arch, baselines, localization.topK, localization.spectrumImages,
                            b, seed, d);
                    MethodRun.Result r = MethodRun.run(s, backend, d, before, robust, loc, Methods.create(m, arch, baselines),
                            b, seed, dir, resume, settings, wall, locSeconds);
                    wall.finish(r.outcome().searchSeconds() + r.outcome().fineTuneSeconds());
                    ComparisonTable.write(out, "partial table", Map.of());
                }
            }
        }
    }

    private Path dir(long seed, String method) {
        return out.resolve("seed-" + seed).resolve(method);
    }

    /**
     * A run's wall time over all its invocations, in wall.json: what earlier invocations spent plus
     * this one's, written after every epoch (a kill loses only the epoch it redoes anyway) and at the
     * end as the repair's own time (without the shared localization and the final evaluation).
     */
    private static final class Wall implements RepairContext.Listener {
        private final Path file;
        private final RepairContext.Listener inner;
        private final double earlier;
        private final int invocations;
        private final long start = System.nanoTime();

        Wall(Path dir, RepairContext.Listener inner) throws IOException {
            this.file = dir.resolve("wall.json");
            this.inner = inner;
            Map<String, Object> old = Files.exists(file) ? Reports.readObject(Files.readString(file), file.toString()) : Map.of();
            this.earlier = old.get("seconds") instanceof Number n ? n.doubleValue() : 0;
            this.invocations = (old.get("invocations") instanceof Number n ? n.intValue() : 0) + 1;
        }

        @Override
        public void batch(String phase, int epoch, int epochs, int done, int total, float loss, double accuracy,
                          double entropy) {
            inner.batch(phase, epoch, epochs, done, total, loss, accuracy, entropy);
        }

        @Override
        public void epoch(EpochLog log) {
            inner.epoch(log);
            try {
                write((System.nanoTime() - start) / 1e9);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void finish(double repairSeconds) throws IOException {
            write(repairSeconds);
        }

        private void write(double seconds) throws IOException {
            Reports.writeJson(file, Map.of("seconds", earlier + seconds, "invocations", invocations));
        }
    }
}
