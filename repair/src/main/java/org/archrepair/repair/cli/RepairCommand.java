package org.archrepair.repair.cli;

import org.archrepair.kernels.Backend;
import org.archrepair.repair.data.RepairData;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.localize.Localization;
import org.archrepair.repair.method.Budget;
import org.archrepair.repair.method.EpochLog;
import org.archrepair.repair.method.Outcome;
import org.archrepair.repair.method.RepairContext;
import org.archrepair.repair.method.RepairMethod;
import org.archrepair.repair.report.RepairReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** archrepair repair: localize, then repair by ArchRepair, a weight-only level or a published method, and report. */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = "Repair a model on its failures: sample D_fail from the test set (or a corruption of it), localize "
                + "the most vulnerable block, then ArchRepair (relax the block, search architecture and weights, discretize, fine-tune), a "
                + "weight-only repair of a neuron, layer, block or the whole network, or one of the six published methods "
                + "(MODE, Apricot, Arachne, SENSEI, Few-Shot guided mix, DeepRepair), with the same data and budget. "
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
            description = "archrepair; weight-only fine-tuning of the most suspicious neuron, layer, block, or the "
                    + "whole network; or a published method: mode, apricot, arachne, sensei, fewshot, deeprepair. "
                    + "Default: ${DEFAULT-VALUE}.")
    String method;
    @Mixin
    ArchRepairOptions arch;
    @Mixin
    BaselineOptions baselines;
    @Mixin
    EvaluateOnOptions evaluateOn;
    @Mixin
    LocalizationOptions localization;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the results and checkpoints.")
    Path out;
    @Option(names = "--resume", description = "Continue the run whose checkpoint is in --out.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Budget b = budget.resolve();
        RepairMethod m = method();
        model.name();
        failures.checkScenario();
        evaluateOn.check(failures);
        try (Backend backend = common.openBackend(); Progress progress = new Progress()) {
            Subject subject = Subject.load(model, Subject.weightsFile(model, data, weights), 10, backend, common.seed);
            FailureOptions.Prepared p = failures.prepare(subject, data, backend, common.seed, b.trainImages());
            RepairData d = p.data();
            long t0 = System.nanoTime();
            Localization loc = MethodRun.localize(subject, backend, d, localization.spectrumImages, localization.topK, common.seed,
                    out.resolve("localization"));
            double localizationSeconds = (System.nanoTime() - t0) / 1e9;
            Robustness robust = evaluateOn.before(subject, backend, failures, p.sources(), p.cleanAccuracy(), common.seed);
            Map<String, Object> settings = MethodRun.settings(subject, method, failures, arch, baselines, localization.topK,
                    localization.spectrumImages, b, common.seed, d);
            MethodRun.Result r = MethodRun.run(subject, backend, d, p.sourceAccuracy(), robust, loc, m, b, common.seed, out,
                    resume, settings, progress, localizationSeconds);
            summary(subject, r.accuracies(), r.outcome(), r.seconds());
        }
        return 0;
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
        return Methods.create(method, arch, baselines);
    }

    /** One progress bar per epoch with loss, accuracy (and alpha entropy while searching); a line per epoch. */
    static final class Progress implements RepairContext.Listener, AutoCloseable {
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
