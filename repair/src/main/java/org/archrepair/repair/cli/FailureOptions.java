package org.archrepair.repair.cli;

import org.archrepair.engine.Rng;
import org.archrepair.kernels.Backend;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Split;
import org.archrepair.repair.data.FailureSet;
import org.archrepair.repair.data.RepairData;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.eval.Evaluator;
import picocli.CommandLine.Option;

import java.io.IOException;

/**
 * Where the failures come from and how many (ALGORITHM.md section 2), shared by localize and
 * repair: the model is evaluated on the source set (the test set: scenario 1, accuracy drift), and
 * D_fail is sampled from what it gets wrong, per class, from the run's seed.
 */
public final class FailureOptions {
    @Option(names = "--failures-per-class", defaultValue = "100", paramLabel = "N",
            description = "Failures sampled per class for D_fail (all of a class that has fewer, said in the output). "
                    + "Default: ${DEFAULT-VALUE} (1,000 on CIFAR-10).")
    int perClass;

    /** The model's subject, its data and D_fail; before: its accuracy on the whole source set. */
    record Prepared(Subject subject, RepairData data, Accuracy sourceAccuracy) {
    }

    /**
     * Load train and test sets, evaluate subject on the test set, sample D_fail, and make
     * RepairData with trainImages images of D_t (all when <= 0).
     */
    Prepared prepare(Subject subject, DataOptions dataOptions, ModelOptions model, Backend backend, long seed,
                     int trainImages) throws IOException {
        ImageDataset train = dataOptions.load(Split.TRAIN), source = dataOptions.load(Split.TEST);
        Accuracy acc = evaluate(subject, source, model, backend);
        return new Prepared(subject, sample(train, source, acc, seed, trainImages, subject.net().name()), acc);
    }

    /** The model on the whole source set. */
    static Accuracy evaluate(Subject subject, ImageDataset source, ModelOptions model, Backend backend) {
        BatchLoader loader = new BatchLoader(source, BatchLoader.Config.eval(256, model.normalization()), new Rng(0));
        try (ProgressBar bar = new ProgressBar("evaluate " + subject.net().name() + " on " + source.name(), source.size(), "img")) {
            return Evaluator.evaluate(subject.net(), loader, backend, n -> bar.advance(n, null));
        }
    }

    /** D_fail sampled from what acc gets wrong, with the seed, and the repair data around it. */
    RepairData sample(ImageDataset train, ImageDataset source, Accuracy acc, long seed, int trainImages, String model) {
        Rng root = new Rng(seed);
        FailureSet failures = FailureSet.sample(source, acc.predictions(), perClass, root.fork("failures"));
        if (failures.size() == 0)
            throw new IllegalArgumentException(model + " classifies every image of " + source.name()
                    + " correctly: there are no failures to repair");
        System.err.printf("D_fail: %d failures of %s (%d per class asked), from %d the model makes (accuracy %.2f%%)%n",
                failures.size(), source.name(), perClass, acc.total() - acc.correct(), 100 * acc.accuracy());
        for (String s : failures.shortfalls(source.classes())) System.err.println("  " + s);
        return RepairData.of(train, source, failures, trainImages, root.fork("repair-data"));
    }
}
