package org.archrepair.repair.cli;

import org.archrepair.engine.Rng;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.kernels.Backend;
import org.archrepair.models.data.CorruptionFolder;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.repair.data.RepairData;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.localize.Localization;
import org.archrepair.repair.localize.LocalizationReport;
import org.archrepair.repair.localize.Localizer;
import org.archrepair.repair.localize.Suspiciousness;
import org.archrepair.repair.method.ArchRepairMethod;
import org.archrepair.repair.method.Budget;
import org.archrepair.repair.method.EpochLog;
import org.archrepair.repair.method.Outcome;
import org.archrepair.repair.method.RepairContext;
import org.archrepair.repair.method.RepairMethod;
import org.archrepair.repair.method.Target;
import org.archrepair.repair.method.WeightOnlyMethod;
import org.archrepair.repair.report.RepairReport;
import org.archrepair.repair.report.Reports;
import org.archrepair.repair.search.CellSpec;
import org.archrepair.repair.search.SearchSpace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** archrepair repair: localize, then repair by ArchRepair or a weight-only level, and report before and after. */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Repair a model on its failures: sample D_fail from the test set, localize the most vulnerable "
                + "block, then ArchRepair (relax the block, search architecture and weights, discretize, fine-tune) or a "
                + "weight-only repair of a neuron, layer, block or the whole network, with the same data and budget. "
                + "Writes report.json/.md, model.safetensors and (ArchRepair) architecture.json, genotype.svg/.dot and "
                + "alpha.png into --out; checkpoints every epoch (--resume continues).")
public final class RepairCommand implements Callable<Integer> {
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

    @Option(names = "--weights", paramLabel = "FILE",
            description = "PyTorch torch.save file or safetensors. Default for resnet20 and resnet32: the published weights.")
    Path weights;
    @Option(names = "--method", defaultValue = "archrepair", paramLabel = "NAME",
            description = "archrepair, or weight-only fine-tuning of the most suspicious neuron, layer, block, or the "
                    + "whole network. Default: ${DEFAULT-VALUE}.")
    String method;
    @Option(names = "--level", defaultValue = "block", paramLabel = "LEVEL",
            description = "archrepair: relax the block (default) or only its most suspicious layer (the paper's Layer-lv).")
    String level;
    @Option(names = "--block", paramLabel = "NAME", description = "Repair this candidate block instead of the localized one.")
    String block;
    @Option(names = "--partial-channels", defaultValue = "1", paramLabel = "K",
            description = "PC-DARTS partial channels: generic ops see 1/K of the channels (1, 2, 4, 8). Default: ${DEFAULT-VALUE}.")
    int partial;
    @Option(names = "--edge-norm", description = "PC-DARTS edge normalization (a weight per incoming edge of a node).")
    boolean edgeNorm;
    @Option(names = "--alpha-init", defaultValue = "4", paramLabel = "A",
            description = "Initial logit of the raw block's op on every edge (others 0). Default: ${DEFAULT-VALUE}.")
    double alphaInit;
    @Option(names = "--unrolled", description = "Second-order architecture gradient (DARTS unrolled).")
    boolean unrolled;
    @Option(names = "--spectrum-images", defaultValue = "10000", paramLabel = "N",
            description = "Training images added to D_fail for the localization spectra. Default: ${DEFAULT-VALUE}.")
    int spectrumImages;
    @Option(names = "--top-k", defaultValue = "50", paramLabel = "K", description = "Localization top-k. Default: ${DEFAULT-VALUE}.")
    int topK;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the results and checkpoints.")
    Path out;
    @Option(names = "--resume", description = "Continue the run whose checkpoint is in --out.")
    boolean resume;
    @Option(names = "--evaluate-on", paramLabel = "LIST", split = ",",
            description = "With --scenario corruption: other corruptions of --corruptions to measure before and after "
                    + "(names, or all); the clean test set is always measured.")
    List<String> evaluateOn = List.of();

    @Override
    public Integer call() throws Exception {
        Budget b = budget.resolve();
        RepairMethod m = method();
        model.name();
        try (Backend backend = common.openBackend(); Progress progress = new Progress()) {
            Subject subject = Subject.load(model, Subject.weightsFile(model, data, weights), 10, backend, common.seed);
            FailureOptions.Prepared p = failures.prepare(subject, data, model, backend, common.seed, b.trainImages());
            RepairData d = p.data();
            Map<String, Double> seconds = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            Localization loc = localize(subject, backend, p);
            seconds.put("localization", (System.nanoTime() - t0) / 1e9);
            Map<String, Object> settings = settings(subject, b, d);
            Map<String, Accuracy> otherBefore = p.corrupted() ? others(subject, backend, p) : Map.of();
            RepairContext ctx = new RepairContext(subject.net(), backend, d, d.split(), subject.normalization(), loc, b,
                    common.seed, out, resume, Reports.json(settings).replaceAll("\\s+", ""), 0, progress);
            Target target = m.target(ctx);
            List<CellSpec> specs = m instanceof ArchRepairMethod
                    ? CellSpec.of(subject.net(), subject.net().candidateBlock(target.block())) : List.of();
            System.err.println("repairing " + subject.net().name() + " by " + m.name() + ": " + target);
            Outcome o = m.repair(ctx);
            seconds.put("search", o.searchSeconds());
            seconds.put("finetune", o.fineTuneSeconds());
            var acc = new RepairReport.Accuracies(p.sourceAccuracy(), evaluate(subject, backend, d), d.heldOutIndices(),
                    d.failureSet().indices());
            Safetensors.write(out.resolve("model.safetensors"), StateDicts.toHost(subject.net()),
                    Map.of("model", subject.net().name(), "method", m.name(), "seed", Long.toString(common.seed),
                            "architecture", o.genotype() == null ? "" : "architecture.json"));
            RepairReport.write(out, settings, acc, o, specs, seconds, robustness(subject, backend, p, otherBefore));
            summary(subject, acc, o, seconds);
        }
        return 0;
    }

    /** The other corruptions of --evaluate-on, before the repair changes the model. */
    private Map<String, Accuracy> others(Subject s, Backend backend, FailureOptions.Prepared p) throws java.io.IOException {
        List<String> names = evaluateOn.equals(List.of("all")) ? CorruptionFolder.corruptions(failures.corruptions) : evaluateOn;
        Map<String, Accuracy> out = new LinkedHashMap<>();
        for (String name : names)
            if (!name.equals(failures.corruption))
                out.put(name, FailureOptions.evaluate(s, backend, model, corrupted(name, p), common.seed));
        return out;
    }

    private ImageDataset corrupted(String name, FailureOptions.Prepared p) throws java.io.IOException {
        return CorruptionFolder.load(failures.corruptions, name, p.clean().classes()).images();
    }

    /** Before and after on the clean test set and the other corruptions (scenario 2), by name; empty in scenario 1. */
    private Map<String, double[]> robustness(Subject s, Backend backend, FailureOptions.Prepared p,
                                             Map<String, Accuracy> before) throws java.io.IOException {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (!p.corrupted()) return out;
        out.put("clean", new double[]{p.cleanAccuracy().accuracy(),
                FailureOptions.evaluate(s, backend, model, p.clean(), common.seed).accuracy()});
        for (var e : before.entrySet())
            out.put(e.getKey(), new double[]{e.getValue().accuracy(),
                    FailureOptions.evaluate(s, backend, model, corrupted(e.getKey(), p), common.seed).accuracy()});
        return out;
    }

    private void summary(Subject subject, RepairReport.Accuracies acc, Outcome o, Map<String, Double> seconds) {
        Accuracy before = acc.beforeAll().subset(acc.heldOut()), after = acc.afterAll().subset(acc.heldOut());
        System.out.printf(Locale.ROOT, "%s repaired by %s (%s): accuracy on D_v \\ D_fail %.2f%% -> %.2f%% (%+.2f points); "
                        + "whole source set %.2f%% -> %.2f%%%n", subject.net().name(), o.method(), o.target(),
                100 * before.accuracy(), 100 * after.accuracy(), 100 * (after.accuracy() - before.accuracy()),
                100 * acc.beforeAll().accuracy(), 100 * acc.afterAll().accuracy());
        if (o.genotype() != null) System.out.println("genotype: " + o.genotype());
        System.out.printf(Locale.ROOT, "time: localization %.0f s, search %.0f s, fine-tuning %.0f s; reports in %s%n",
                seconds.get("localization"), o.searchSeconds(), o.fineTuneSeconds(), out);
    }

    private RepairMethod method() {
        return switch (method) {
            case "archrepair" -> new ArchRepairMethod(new SearchSpace.Config(switch (level) {
                case "block" -> SearchSpace.Level.BLOCK;
                case "layer" -> SearchSpace.Level.LAYER;
                default -> throw new IllegalArgumentException("--level " + level + ": expected block or layer");
            }, partial, edgeNorm, alphaInit), block, unrolled);
            case "neuron", "layer", "block", "network" ->
                    new WeightOnlyMethod(WeightOnlyMethod.Level.valueOf(method.toUpperCase(Locale.ROOT)), block);
            default -> throw new IllegalArgumentException("--method " + method
                    + ": expected archrepair, neuron, layer, block or network");
        };
    }

    /** Localization on D_fail with its own training sample (always: the levels' targets come from it). */
    private Localization localize(Subject subject, Backend backend, FailureOptions.Prepared p) throws java.io.IOException {
        RepairData spectrum = RepairData.of(p.data().trainSet(), p.data().source(), p.data().failureSet(), spectrumImages,
                new Rng(common.seed).fork("spectrum"));
        Localization loc = LocalizeCommand.run(subject, backend, spectrum.repairSet(), p.data().failures(),
                new Localizer.Config(Suspiciousness.TARANTULA, topK, Localizer.TABLE6_KS, 256, 128)).localization();
        Map<String, Object> provenance = new LinkedHashMap<>(subject.toJson());
        provenance.put("seed", common.seed);
        LocalizationReport.write(loc, provenance, out.resolve("localization"));
        System.err.println("localized: " + loc.chosen() + " (S alone: " + loc.spectrumChoice() + ")");
        return loc;
    }

    private Map<String, Object> settings(Subject s, Budget b, RepairData d) {
        Map<String, Object> m = new LinkedHashMap<>(s.toJson());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("method", method);
        run.put("scenario", failures.scenario);
        if (failures.corruption != null) run.put("corruption", failures.corruption);
        run.put("level", level);
        run.put("block", block);
        run.put("partial_channels", partial);
        run.put("edge_norm", edgeNorm);
        run.put("alpha_init", alphaInit);
        run.put("unrolled", unrolled);
        run.put("top_k", topK);
        run.put("spectrum_images", spectrumImages);
        run.put("budget", b.toJson());
        run.put("seed", common.seed);
        m.put("settings", run);
        m.put("data", d.toJson());
        return m;
    }

    /** The repaired model on the whole source set (held-out part and failures are subsets of it). */
    private Accuracy evaluate(Subject s, Backend backend, RepairData d) {
        return FailureOptions.evaluate(s, backend, model, d.source(), common.seed);
    }

    /** One progress bar per epoch with loss, accuracy (and alpha entropy while searching); a line per epoch. */
    private static final class Progress implements RepairContext.Listener, AutoCloseable {
        private ProgressBar bar;
        private int done;

        @Override
        public void batch(String phase, int epoch, int epochs, int seen, int total, float loss, double accuracy,
                          double entropy) {
            if (bar == null) {
                bar = new ProgressBar(phase + " " + (epoch + 1) + "/" + epochs, total, "img");
                done = 0;
            }
            bar.advance(seen - done, String.format(Locale.ROOT, "loss %.3f, acc %.1f%%", loss, 100 * accuracy)
                    + (Double.isNaN(entropy) ? "" : String.format(Locale.ROOT, ", alpha entropy %.3f", entropy)));
            done = seen;
        }

        @Override
        public void epoch(EpochLog e) {
            close();
            System.err.printf(Locale.ROOT, "%s epoch %d: train loss %.4f acc %.2f%%, val loss %.4f acc %.2f%%%s, %.0f s%n",
                    e.phase(), e.epoch(), e.trainLoss(), 100 * e.trainAccuracy(), e.valLoss(), 100 * e.valAccuracy(),
                    Double.isNaN(e.entropy()) ? "" : String.format(Locale.ROOT, ", alpha entropy %.3f", e.entropy()),
                    e.seconds());
        }

        @Override
        public void close() {
            if (bar != null) bar.close();
            bar = null;
        }
    }
}
