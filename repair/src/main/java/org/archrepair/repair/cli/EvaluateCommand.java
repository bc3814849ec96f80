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
import org.archrepair.models.data.Artifact;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.Downloader;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Split;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.eval.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Override
    public Integer call() throws Exception {
        Split which = switch (split) {
            case "test" -> Split.TEST;
            case "train" -> Split.TRAIN;
            default -> throw new IllegalArgumentException("--split " + split + ": expected test or train");
        };
        model.name();
        try (Backend backend = common.openBackend()) {
            Path file = weightsFile();
            if (!Files.isRegularFile(file)) throw new IOException("--weights " + file + ": no such file");
            Checkpoint weights = Checkpoints.read(file);   // a broken file fails before the data are loaded
            ImageDataset set = data.load(which);
            Network net = Models.create(model.model, new Init(backend, new Rng(common.seed)), set.classes().size());
            Checkpoints.loadInto(net, weights, Checkpoints.NonFinite.fromEnvironment(), System.err::println);
            BatchLoader loader = new BatchLoader(set, BatchLoader.Config.eval(batch, model.normalization()),
                    new Rng(common.seed));
            Accuracy acc;
            try (ProgressBar bar = new ProgressBar("evaluate " + model.model, set.size(), "img")) {
                acc = Evaluator.evaluate(net, loader, backend, n -> bar.advance(n, null));
            }
            System.out.println(model.model + " (" + file + ") on " + set.name() + ", device " + backend.name());
            System.out.print(acc.table());
            if (json != null) {
                Map<String, Object> report = acc.toJson(model.model);
                report.put("weights", file.toString());
                report.put("dataset", set.name());
                AtomicFile.writeString(json, JsonFormat.writePretty(report));
            }
        }
        return 0;
    }

    private Path weightsFile() throws IOException {
        if (weights != null) return weights;
        if (!data.isCifar10()) throw new IllegalArgumentException("--weights is required for --dataset " + data.dataset);
        Artifact published = switch (model.model) {
            case "resnet20" -> Artifact.RESNET20_AKAMASTER;
            case "resnet32" -> Artifact.RESNET32_AKAMASTER;
            default -> throw new IllegalArgumentException("--weights is required for " + model.model
                    + " (published weights are known for resnet20 and resnet32)");
        };
        try (ProgressBar bar = new ProgressBar("download " + published.fileName(), published.size(), "B")) {
            return Downloader.fromEnvironment().fetch(published, (done, total) -> bar.set(done, total));
        }
    }
}
