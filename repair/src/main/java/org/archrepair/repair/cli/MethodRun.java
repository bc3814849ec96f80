package org.archrepair.repair.cli;

import org.archrepair.engine.Rng;
import org.archrepair.engine.io.Safetensors;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.kernels.Backend;
import org.archrepair.repair.data.RepairData;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.localize.Localization;
import org.archrepair.repair.localize.LocalizationReport;
import org.archrepair.repair.localize.Localizer;
import org.archrepair.repair.localize.Suspiciousness;
import org.archrepair.repair.method.ArchRepairMethod;
import org.archrepair.repair.method.Budget;
import org.archrepair.repair.method.Outcome;
import org.archrepair.repair.method.RepairContext;
import org.archrepair.repair.method.RepairMethod;
import org.archrepair.repair.method.Target;
import org.archrepair.repair.report.RepairReport;
import org.archrepair.repair.report.Reports;
import org.archrepair.repair.search.CellSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One method's repair of a loaded model on prepared data and localization, and its files (the part
 * repair and compare share): the context, the repair, the repaired model on the whole source set,
 * model.safetensors and the report (report.json/.md and ArchRepair's architecture files).
 */
final class MethodRun {
    private MethodRun() {
    }

    /** What a run measured; robustness: scenario 2's further sets, name -> {before, after} (empty in scenario 1). */
    record Result(RepairReport.Accuracies accuracies, Outcome outcome, Map<String, Double> seconds,
                  Map<String, double[]> robustness) {
    }

    /**
     * Repair subject by method into out (resuming its checkpoint when resume); before: the model
     * on the whole source set; robust: scenario 2's further sets, measured again after the repair;
     * settings: what the report records (its JSON is the run's fingerprint).
     */
    static Result run(Subject subject, Backend backend, RepairData d, Accuracy before, Robustness robust,
                      Localization loc, RepairMethod m, Budget b, long seed, Path out, boolean resume,
                      Map<String, Object> settings, RepairContext.Listener listener, double localizationSeconds)
            throws IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("localization", localizationSeconds);
        RepairContext ctx = new RepairContext(subject.net(), backend, d, d.split(), subject.normalization(), loc, b, seed,
                out, resume, Reports.json(settings).replaceAll("\\s+", ""), 0, listener);
        Target target = m.target(ctx);
        List<CellSpec> specs = m instanceof ArchRepairMethod
                ? CellSpec.of(subject.net(), subject.net().candidateBlock(target.block())) : List.of();
        System.err.println("repairing " + subject.net().name() + " by " + m.name() + ": " + target);
        Outcome o = m.repair(ctx);
        seconds.put("search", o.searchSeconds());
        seconds.put("finetune", o.fineTuneSeconds());
        var acc = new RepairReport.Accuracies(before, FailureOptions.evaluate(subject, backend, d.source(), seed),
                d.heldOutIndices(), d.failureSet().indices());
        Safetensors.write(out.resolve("model.safetensors"), StateDicts.toHost(subject.net()),
                Map.of("model", subject.net().name(), "method", m.name(), "seed", Long.toString(seed),
                        "architecture", o.genotype() == null ? "" : "architecture.json"));
        Map<String, double[]> robustness = robust.after(subject, backend, seed);
        RepairReport.write(out, settings, acc, o, specs, seconds, robustness);
        return new Result(acc, o, seconds, robustness);
    }

    /**
     * What the report of method's run records (its JSON is the run's fingerprint: a resume with
     * other settings is refused): the subject, the method and its own options, the scenario, the
     * localization's, the budget, the seed and the data.
     */
    static Map<String, Object> settings(Subject s, String method, FailureOptions f, ArchRepairOptions arch,
                                        BaselineOptions baselines, int topK, int spectrumImages, Budget b, long seed,
                                        RepairData d) {
        Map<String, Object> m = new LinkedHashMap<>(s.toJson());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("method", method);
        run.put("scenario", f.scenario);
        if (f.corruption != null) run.put("corruption", f.corruption);
        if (!Methods.BASELINES.contains(method)) arch.putJson(run);
        run.putAll(baselines.toJson(method));
        run.put("top_k", topK);
        run.put("spectrum_images", spectrumImages);
        run.put("budget", b.toJson());
        run.put("seed", seed);
        m.put("settings", run);
        m.put("data", d.toJson());
        return m;
    }

    /**
     * Localization on D_fail with its own training sample of spectrumImages (always: the levels'
     * targets come from it); its reports go to dir.
     */
    static Localization localize(Subject subject, Backend backend, RepairData d, int spectrumImages, int topK, long seed,
                                 Path dir) throws IOException {
        RepairData spectrum = RepairData.of(d.trainSet(), d.source(), d.failureSet(), spectrumImages,
                new Rng(seed).fork("spectrum"));
        Localization loc = LocalizeCommand.run(subject, backend, spectrum.repairSet(), d.failures(),
                new Localizer.Config(Suspiciousness.TARANTULA, topK, Localizer.TABLE6_KS, 256, 128)).localization();
        Map<String, Object> provenance = new LinkedHashMap<>(subject.toJson());
        provenance.put("seed", seed);
        LocalizationReport.write(loc, provenance, dir);
        System.err.println("localized: " + loc.chosen() + " (S alone: " + loc.spectrumChoice() + ")");
        return loc;
    }
}
