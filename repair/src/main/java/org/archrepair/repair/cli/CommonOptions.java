package org.archrepair.repair.cli;

import org.archrepair.kernels.Backend;
import picocli.CommandLine.Option;

/** The options every command takes: where to compute, with how many threads, from which seed. */
public final class CommonOptions {
    @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
            description = "cpu (fast, multithreaded), cpu-reference (scalar oracle), cuda or cuda:N (GPU N). "
                    + "Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads of the cpu device. Default: the number of cores (${sys:archrepair.defaultThreads}).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "The one seed of the run: initialization, data order, augmentation. Default: ${DEFAULT-VALUE}.")
    long seed;

    int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    Backend openBackend() {
        return Devices.open(device, threads());
    }
}
