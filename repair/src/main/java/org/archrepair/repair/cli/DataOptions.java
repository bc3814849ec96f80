package org.archrepair.repair.cli;

import org.archrepair.models.data.Cifar10;
import org.archrepair.models.data.Downloader;
import org.archrepair.models.data.ImageDataset;
import org.archrepair.models.data.Split;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** --data: a CIFAR-10 folder or archive; without it, the download cache (or a download). */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "CIFAR-10 binary files (.bin or .bin.gz), their folder, or cifar-10-binary.tar.gz. "
                    + "Default: the cache (~/.cache/archrepair), downloading the official archive if needed.")
    Path data;

    ImageDataset load(Split split) throws IOException {
        Downloader downloader = Downloader.fromEnvironment();
        Path source;
        try (ProgressBar bar = new ProgressBar("download cifar-10", 0, "B")) {
            source = Cifar10.resolve(data, downloader, (done, total) -> bar.set(done, total));
        }
        return Cifar10.load(source, split);
    }
}
