package org.archrepair.repair.cli;

import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.kernels.cuda.CudaBackend;
import org.archrepair.kernels.cuda.CudaOptions;

/** Turns the --device and --threads flags into a Backend. */
public final class Devices {
    private Devices() {
    }

    /**
     * "cpu" (the fast Vector-API backend, with threads workers), "cpu-reference" (the scalar oracle,
     * one thread), "cuda" or "cuda:N" (GPU N, with the archrepair.cuda.* system properties; a GPU that
     * cannot start is an error that says what was looked for, never the CPU instead). Anything else is
     * an error that lists what this build has.
     */
    public static Backend open(String device, int threads) {
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (device.equals("cuda") || device.startsWith("cuda:"))
            return CudaBackend.open(CudaOptions.fromSystemProperties(ordinal(device)));
        return switch (device) {
            case "cpu" -> CpuBackend.fast(threads);
            case "cpu-reference" -> CpuBackend.reference();
            default -> throw new IllegalArgumentException("--device " + device + ": this build has the devices cpu, "
                    + "cpu-reference, cuda and cuda:N");
        };
    }

    private static int ordinal(String device) {
        if (device.equals("cuda")) return 0;
        try {
            int n = Integer.parseInt(device.substring(5));
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("--device " + device + ": a GPU is cuda or cuda:N with N = 0, 1, ...");
    }
}
