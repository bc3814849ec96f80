package org.archrepair.repair.cli;

import org.archrepair.engine.Rng;
import org.archrepair.kernels.Backend;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.CorruptionFolder;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Split;
import org.archrepair.repair.data.FailureSet;
import org.archrepair.repair.data.RepairData;
import org.archrepair.repair.eval.Accuracy;
import org.archrepair.repair.eval.Evaluator;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the failures come from and how many (ALGORITHM.md section 2), shared by localize and
 * repair: the model is evaluated on the source set (scenario 1, accuracy drift: the test set;
 * scenario 2, robustness: one corruption of it, all severities), and D_fail is sampled from what
 * it gets wrong, per class, from the run's seed. The scenarios differ in nothing else.
 */
public final class FailureOptions {
    @Option(names = "--failures-per-class", defaultValue = "100", paramLabel = "N",
            description = "Failures sampled per class for D_fail (all of a class that has fewer, said in the output). "
                    + "Default: ${DEFAULT-VALUE} (1,000 on CIFAR-10).")
    int perClass;

    @Option(names = "--scenario", defaultValue = "clean", paramLabel = "NAME",
            description = "clean: failures from the test set (accuracy drift); corruption: failures from one corruption "
                    + "of --corruptions (robustness, all its severities). Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--corruption", paramLabel = "NAME", description = "With --scenario corruption: which corruption "
            + "(gaussian_noise, fog, contrast, ...).")
    String corruption;

    @Option(names = "--corruptions", paramLabel = "DIR", description = "With --scenario corruption: a folder in the "
            + "CIFAR-10-C layout (made by archrepair corrupt, or the published files).")
    Path corruptions;

    /**
     * The model's subject, its data and D_fail; sourceAccuracy: the model on the whole source set;
     * clean: the clean test set (the source itself in the clean scenario) and the model's accuracy on it.
     */
    record Prepared(Subject subject, RepairData data, Accuracy sourceAccuracy, ImageDataset clean, Accuracy cleanAccuracy) {
        boolean corrupted() {
            return data.source() != clean;
        }
    }

    /**
     * Load the training set and the source of the failures (the test set, or a corruption of it),
     * evaluate subject on it, sample D_fail, and make RepairData with trainImages images of D_t
     * (all when <= 0).
     */
    Prepared prepare(Subject subject, DataOptions dataOptions, ModelOptions model, Backend backend, long seed,
                     int trainImages) throws IOException {
        ImageDataset train = dataOptions.load(Split.TRAIN), clean = dataOptions.load(Split.TEST);
        ImageDataset source = switch (scenario) {
            case "clean" -> {
                if (corruption != null || corruptions != null)
                    throw new IllegalArgumentException("--corruption and --corruptions need --scenario corruption");
                yield clean;
            }
            case "corruption" -> {
                if (corruption == null || corruptions == null)
                    throw new IllegalArgumentException("--scenario corruption needs --corruption NAME and --corruptions DIR "
                            + "(make one with archrepair corrupt)");
                yield CorruptionFolder.load(corruptions, corruption, clean.classes()).images();
            }
            default -> throw new IllegalArgumentException("--scenario " + scenario + ": expected clean or corruption");
        };
        Accuracy acc = evaluate(subject, backend, model, source, seed);
        Accuracy cleanAcc = source == clean ? acc : evaluate(subject, backend, model, clean, seed);
        Rng root = new Rng(seed);
        FailureSet failures = FailureSet.sample(source, acc.predictions(), perClass, root.fork("failures"));
        if (failures.size() == 0)
            throw new IllegalArgumentException(subject.net().name() + " classifies every image of " + source.name()
                    + " correctly: there are no failures to repair");
        System.err.printf("D_fail: %d failures of %s (%d per class asked), from %d the model makes (accuracy %.2f%%)%n",
                failures.size(), source.name(), perClass, acc.total() - acc.correct(), 100 * acc.accuracy());
        for (String s : failures.shortfalls(source.classes())) System.err.println("  " + s);
        return new Prepared(subject, RepairData.of(train, source, failures, trainImages, root.fork("repair-data")), acc,
                clean, cleanAcc);
    }

    /** The accuracy of subject on a data set, with a progress bar. */
    static Accuracy evaluate(Subject subject, Backend backend, ModelOptions model, ImageDataset set, long seed) {
        BatchLoader loader = new BatchLoader(set, BatchLoader.Config.eval(256, model.normalization()), new Rng(seed));
        try (ProgressBar bar = new ProgressBar("evaluate " + subject.net().name() + " on " + set.name(), set.size(), "img")) {
            return Evaluator.evaluate(subject.net(), loader, backend, n -> bar.advance(n, null));
        }
    }
}
