package org.archrepair.repair.cli;

import org.archrepair.models.data.Cifar10;
import org.archrepair.models.data.Downloader;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Split;
import org.archrepair.models.data.TinyImageNet;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** --dataset and --data: CIFAR-10 from a folder, an archive or the download cache; Tiny-ImageNet from its folder. */
public final class DataOptions {
    @Option(names = "--dataset", defaultValue = "cifar10", paramLabel = "NAME",
            description = "cifar10 or tiny-imagenet. Default: ${DEFAULT-VALUE}.")
    String dataset;

    @Option(names = "--data", paramLabel = "PATH",
            description = "cifar10: a folder of binary batches (.bin or .bin.gz), one batch file (e.g. test_batch.bin.gz) "
                    + "or cifar-10-binary.tar.gz; default: the cache (~/.cache/archrepair), downloading the official "
                    + "archive if needed. tiny-imagenet: the tiny-imagenet-200 folder (required).")
    Path data;

    boolean isCifar10() {
        return dataset.equals("cifar10");
    }

    ImageDataset load(Split split) throws IOException {
        return switch (dataset) {
            case "cifar10" -> Cifar10.load(cifarSource(), split);
            case "tiny-imagenet" -> {
                if (data == null) throw new IllegalArgumentException("--dataset tiny-imagenet needs --data DIR");
                try (ProgressBar bar = new ProgressBar("decode tiny-imagenet " + split.lower(), 0, "img")) {
                    yield TinyImageNet.load(data, split, (done, total) -> bar.set(done, total));
                }
            }
            default -> throw new IllegalArgumentException("--dataset " + dataset + ": expected cifar10 or tiny-imagenet");
        };
    }

    private Path cifarSource() throws IOException {
        try (ProgressBar bar = new ProgressBar("download cifar-10", 0, "B")) {
            return Cifar10.resolve(data, Downloader.fromEnvironment(), (done, total) -> bar.set(done, total));
        }
    }
}
