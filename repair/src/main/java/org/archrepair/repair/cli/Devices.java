package org.archrepair.repair.cli;

import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;

/** Turns the --device and --threads flags into a Backend. */
public final class Devices {
    private Devices() {
    }

    /**
     * "cpu" (the fast Vector-API backend, with threads workers), "cpu-reference" (the scalar oracle,
     * one thread). Anything else is an error that lists what this build has.
     */
    public static Backend open(String device, int threads) {
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        return switch (device) {
            case "cpu" -> CpuBackend.fast(threads);
            case "cpu-reference" -> CpuBackend.reference();
            default -> throw new IllegalArgumentException("--device " + device + ": this build has the devices cpu and "
                    + "cpu-reference" + (device.startsWith("cuda") ? " (the CUDA backend is not part of it yet)" : ""));
        };
    }
}
