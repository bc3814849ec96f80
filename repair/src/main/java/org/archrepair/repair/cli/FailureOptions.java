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

        Sources sources() {
            return new Sources(data.trainSet(), clean, data.source());
        }
    }

    /**
     * The training set, the clean test set and the source of the failures (the clean test set, or
     * one corruption of it): what a scenario reads, checked against --scenario.
     */
    record Sources(ImageDataset train, ImageDataset clean, ImageDataset source) {
        boolean corrupted() {
            return source != clean;
        }
    }

    /**
     * Load the training set and the source of the failures (the test set, or a corruption of it),
     * evaluate subject on it, sample D_fail, and make RepairData with trainImages images of D_t
     * (all when <= 0).
     */
    Prepared prepare(Subject subject, DataOptions dataOptions, Backend backend, long seed, int trainImages)
            throws IOException {
        Sources s = load(dataOptions);
        Accuracy acc = evaluate(subject, backend, s.source(), seed);
        Accuracy cleanAcc = s.corrupted() ? evaluate(subject, backend, s.clean(), seed) : acc;
        return new Prepared(subject, sample(s, acc, seed, trainImages, subject.net().name()), acc, s.clean(), cleanAcc);
    }

    /** The sets of --scenario: train, clean test set and the source of the failures. */
    Sources load(DataOptions dataOptions) throws IOException {
        checkScenario();
        ImageDataset train = dataOptions.load(Split.TRAIN), clean = dataOptions.load(Split.TEST);
        ImageDataset source = corruption == null ? clean
                : CorruptionFolder.load(corruptions, corruption, clean.classes()).images();
        return new Sources(train, clean, source);
    }

    /** --scenario, --corruption and --corruptions agree (before anything slow is read). */
    void checkScenario() {
        switch (scenario) {
            case "clean" -> {
                if (corruption != null || corruptions != null)
                    throw new IllegalArgumentException("--corruption and --corruptions need --scenario corruption");
            }
            case "corruption" -> {
                if (corruption == null || corruptions == null)
                    throw new IllegalArgumentException("--scenario corruption needs --corruption NAME and --corruptions DIR "
                            + "(make one with archrepair corrupt)");
            }
            default -> throw new IllegalArgumentException("--scenario " + scenario + ": expected clean or corruption");
        }
    }

    /**
     * D_fail sampled with the seed from what acc (model's accuracy on the whole source set) gets
     * wrong, and the repair data around it with trainImages images of D_t.
     */
    RepairData sample(Sources s, Accuracy acc, long seed, int trainImages, String model) {
        ImageDataset source = s.source();
        Rng root = new Rng(seed);
        FailureSet failures = FailureSet.sample(source, acc.predictions(), perClass, root.fork("failures"));
        if (failures.size() == 0)
            throw new IllegalArgumentException(model + " classifies every image of " + source.name()
                    + " correctly: there are no failures to repair");
        System.err.printf("D_fail: %d failures of %s (%d per class asked), from %d the model makes (accuracy %.2f%%)%n",
                failures.size(), source.name(), perClass, acc.total() - acc.correct(), 100 * acc.accuracy());
        for (String line : failures.shortfalls(source.classes())) System.err.println("  " + line);
        return RepairData.of(s.train(), source, failures, trainImages, root.fork("repair-data"));
    }

    /** The accuracy of subject on a data set, with a progress bar. */
    static Accuracy evaluate(Subject subject, Backend backend, ImageDataset set, long seed) {
        BatchLoader loader = new BatchLoader(set, BatchLoader.Config.eval(256, subject.normalization()), new Rng(seed));
        try (ProgressBar bar = new ProgressBar("evaluate " + subject.net().name() + " on " + set.name(), set.size(), "img")) {
            return Evaluator.evaluate(subject.net(), loader, backend, n -> bar.advance(n, null));
        }
    }
}
