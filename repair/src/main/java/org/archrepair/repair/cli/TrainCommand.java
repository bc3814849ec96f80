package org.archrepair.repair.cli;

import org.archrepair.engine.Rng;
import org.archrepair.engine.nn.Init;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Models;
import org.archrepair.models.Network;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Split;
import org.archrepair.repair.train.EpochRecord;
import org.archrepair.repair.train.TrainConfig;
import org.archrepair.repair.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** archrepair train: train a model from scratch on CIFAR-10, checkpointing every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model from scratch on CIFAR-10 or Tiny-ImageNet (SGD, momentum, weight decay, cosine schedule, crop+flip "
                + "augmentation). Writes the weights after every epoch, a resume file, the history (JSON) and a "
                + "learning curve (PNG) next to --out.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;
    @Mixin
    DataOptions data;
    @Mixin
    CommonOptions common;

    @Option(names = "--epochs", required = true, paramLabel = "E", description = "Number of epochs (the cosine period).")
    int epochs;
    @Option(names = "--batch", defaultValue = "128", paramLabel = "N", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;
    @Option(names = "--lr", defaultValue = "0.1", description = "Initial learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;
    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    double momentum;
    @Option(names = "--weight-decay", defaultValue = "5e-4", description = "L2 weight decay. Default: ${DEFAULT-VALUE}.")
    double weightDecay;
    @Option(names = "--nesterov", description = "Nesterov momentum.")
    boolean nesterov;
    @Option(names = "--clip", defaultValue = "0", description = "Clip the gradient norm to this (0 = off). Default: ${DEFAULT-VALUE}.")
    double clip;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Weights file (safetensors).")
    Path out;
    @Option(names = "--resume", description = "Continue from the resume file next to --out.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = new TrainConfig(model.name(), epochs, batch, lr, momentum, weightDecay, nesterov, clip,
                common.seed);
        try (Backend backend = common.openBackend()) {
            ImageDataset train = data.load(Split.TRAIN), test = data.load(Split.TEST);
            Network net = Models.create(model.model, new Init(backend, new Rng(common.seed).fork("init")),
                    train.classes().size());
            System.err.printf("training %s (%,d parameters) on %s, %d epochs, batch %d, device %s with %d threads%n",
                    model.model, net.parameterCount(), train.name(), epochs, batch, backend.name(), common.threads());
            Trainer trainer = new Trainer(net, backend, train, test, model.normalization(), config, out);
            ProgressBar[] bar = new ProgressBar[1];
            trainer.run(resume, new Trainer.Listener() {
                @Override
                public void batch(int epoch, int index, int batches, int size, float loss) {
                    if (bar[0] == null) bar[0] = new ProgressBar("epoch " + (epoch + 1) + "/" + epochs, train.size(), "img");
                    bar[0].advance(size, String.format("loss %.3f", loss));
                }

                @Override
                public void epoch(EpochRecord r) {
                    if (bar[0] != null) bar[0].close();
                    bar[0] = null;
                    System.out.printf("epoch %d/%d  lr %.4f  train loss %.4f  train acc %.2f%%  test acc %.2f%%  %.0f s%n",
                            r.epoch(), epochs, r.lr(), r.trainLoss(), 100 * r.trainAccuracy(), 100 * r.testAccuracy(),
                            r.seconds());
                }
            });
        }
        return 0;
    }
}
