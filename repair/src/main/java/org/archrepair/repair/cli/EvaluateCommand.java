package org.archrepair.repair.cli;

import org.archrepair.engine.Rng;
import org.archrepair.engine.io.AtomicFile;
import org.archrepair.engine.io.JsonFormat;
import org.archrepair.engine.nn.Init;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Models;
import org.archrepair.models.Network;
import org.archrepair.models.checkpoint.Checkpoint;
import org.archrepair.models.checkpoint.Checkpoints;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Split;
import org.archrepair.repair.corrupt.RobustnessChart;
import org.archrepair.repair.corrupt.RobustnessEvaluation;
import org.archrepair.repair.corrupt.RobustnessReport;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.eval.Evaluator;
import org.archrepair.repair.report.Reports;
import org.archrepair.repair.search.Genotype;
import org.archrepair.repair.search.SearchSpace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** archrepair evaluate: accuracy, per-class accuracy and confusion matrix of a model on CIFAR-10. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a model on the CIFAR-10 (or Tiny-ImageNet) test set or training set: overall and "
                + "per-class accuracy and the confusion matrix.")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;
    @Mixin
    DataOptions data;
    @Mixin
    CommonOptions common;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "PyTorch torch.save file (legacy or zip) or safetensors. Default for resnet20 and resnet32: "
                    + "the published pretrained weights (akamaster), from the cache or downloaded.")
    Path weights;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
            description = "test or train. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--batch", defaultValue = "256", paramLabel = "N", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;

    @Option(names = "--architecture", paramLabel = "FILE",
            description = "The architecture.json of a repair: the repaired block is rebuilt before --weights (its "
                    + "model.safetensors) is loaded.")
    Path architecture;
    @Option(names = "--corruptions", paramLabel = "DIR", description = "Also evaluate on every corruption of DIR "
            + "(<corruption>.npy + labels.npy as CIFAR-10-C, ours from archrepair corrupt or the published files; or "
            + "Tiny-ImageNet-C's <corruption>/<severity>/<wnid>/ folders): accuracy per corruption "
            + "and severity and the mean corruption accuracy; with --json also FILE's \"corruptions\" section and "
            + "<FILE stem>-corruptions.csv (RobustBench's layout), .png and .svg (bar chart).")
    Path corruptions;

    @Option(names = "--mce-baseline", paramLabel = "FILE", description = "With --corruptions: the --json report of an "
            + "earlier evaluate --corruptions run of the baseline model; adds CE per corruption, mCE and relative mCE.")
    Path mceBaseline;

    @Override
    public Integer call() throws Exception {
        Split which = parseSplit(split);
        model.name();
        if (mceBaseline != null && corruptions == null) throw new IllegalArgumentException("--mce-baseline needs --corruptions DIR");
        RobustnessReport baseline = mceBaseline == null ? null : RobustnessReport.fromEvaluateJson(mceBaseline);
        try (Backend backend = common.openBackend()) {
            Path file = Subject.weightsFile(model, data, weights);
            Checkpoint checkpoint = Checkpoints.read(file);   // a broken file fails before the data are loaded
            ImageDataset set = data.load(which);
            Network net = Models.create(model.model, new Init(backend, new Rng(common.seed)), set.classes().size());
            if (architecture != null) SearchSpace.rebuild(net, readArchitecture(), new Init(backend, new Rng(common.seed)));
            Checkpoints.loadInto(net, checkpoint, Checkpoints.NonFinite.fromEnvironment(), System.err::println);
            BatchLoader loader = new BatchLoader(set, BatchLoader.Config.eval(batch, model.normalization()),
                    new Rng(common.seed));
            Accuracy acc;
            try (ProgressBar bar = new ProgressBar("evaluate " + model.model, set.size(), "img")) {
                acc = Evaluator.evaluate(net, loader, backend, n -> bar.advance(n, null));
            }
            System.out.println(model.model + " (" + file + ") on " + set.name() + ", device " + backend.name());
            System.out.print(acc.table());
            RobustnessReport robust = corruptions == null ? null : robustness(net, backend, set, acc, baseline);
            if (json != null) {
                Map<String, Object> report = acc.toJson(model.model);
                report.put("weights", file.toString());
                report.put("dataset", set.name());
                if (robust != null) report.put("corruptions", robust.toJson(baseline, String.valueOf(mceBaseline)));
                AtomicFile.writeString(json, JsonFormat.writePretty(report));
                if (robust != null) {
                    String stem = json.getFileName().toString().replaceFirst("\\.json$", "") + "-corruptions";
                    AtomicFile.writeString(json.resolveSibling(stem + ".csv"), robust.csv());
                    RobustnessChart.write(robust, json.resolveSibling(stem));
                }
            }
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private Genotype readArchitecture() throws IOException {
        if (!Files.isRegularFile(architecture)) throw new IOException("--architecture " + architecture + ": no such file");
        try {
            return Genotype.fromJson(Reports.readObject(Files.readString(architecture), "--architecture " + architecture));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IOException("--architecture " + architecture + ": " + e.getMessage());
        }
    }

    /** Accuracy per corruption and severity of --corruptions, printed as a table. */
    private RobustnessReport robustness(Network net, Backend backend, ImageDataset clean, Accuracy acc,
                                        RobustnessReport baseline) throws IOException {
        List<ProgressBar> open = new ArrayList<>();
        RobustnessReport r;
        try {
            r = RobustnessEvaluation.run(model.model, net, backend, model.normalization(), batch, common.seed,
                    corruptions, clean.classes(), acc.accuracy(), set -> {
                        open.forEach(ProgressBar::close);
                        open.clear();
                        ProgressBar bar = new ProgressBar(set.corruption(), set.images().size(), "img");
                        open.add(bar);
                        return n -> bar.advance(n, null);
                    });
        } finally {
            open.forEach(ProgressBar::close);
        }
        System.out.print(r.table(baseline));
        return r;
    }

    static Split parseSplit(String split) {
        return switch (split) {
            case "test" -> Split.TEST;
            case "train" -> Split.TRAIN;
            default -> throw new IllegalArgumentException("--split " + split + ": expected test or train");
        };
    }
}
