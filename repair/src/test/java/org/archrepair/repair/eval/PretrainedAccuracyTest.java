package org.archrepair.repair.eval;

import org.archrepair.engine.Rng;
import org.archrepair.engine.nn.Init;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Models;
import org.archrepair.models.Network;
import org.archrepair.models.checkpoint.Checkpoints;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.Cifar10;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Normalization;
import org.archrepair.models.data.Split;
import org.archrepair.repair.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The external oracle: third-party ResNets trained in PyTorch must reproduce their authors'
 * published test accuracy exactly on our engine (skipped when ../shared/data is absent).
 */
class PretrainedAccuracyTest {

    @ParameterizedTest(name = "{0}: {2}/10000")
    @CsvSource({"resnet20, resnet20-12fca82f.th, 9173", "resnet32, resnet32-d509ac18.th, 9263"})
    void publishedAccuracy(String model, String file, int expectedCorrect) throws Exception {
        Path weights = TestData.require("pretrained/" + file);
        Path cifar = TestData.require("cifar10");
        try (Backend be = CpuBackend.fast(Runtime.getRuntime().availableProcessors())) {
            Network net = Models.create(model, new Init(be, new Rng(0)), 10);
            Checkpoints.loadInto(net, weights);
            ImageDataset test = Cifar10.load(cifar, Split.TEST);
            BatchLoader loader = new BatchLoader(test, BatchLoader.Config.eval(500, Normalization.AKAMASTER), new Rng(0));
            Accuracy acc = Evaluator.evaluate(net, loader, be, n -> { });
            assertEquals(10_000, acc.total());
            assertEquals(expectedCorrect, acc.correct(), model + ": " + acc.table());
        }
    }
}
