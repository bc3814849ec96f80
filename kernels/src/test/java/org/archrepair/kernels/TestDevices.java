package org.archrepair.kernels;

import org.archrepair.kernels.cuda.CudaBackend;
import org.archrepair.kernels.cuda.CudaOptions;
import org.archrepair.kernels.cuda.CudaUnavailableException;
import org.archrepair.kernels.cuda.NativeStubs;
import org.archrepair.kernels.cpu.CpuBackend;
import org.junit.jupiter.api.Assumptions;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The devices the parameterized suites run on, shared by the kernels and engine tests (engine reads
 * them from kernels' test jar): "cpu-reference", "cpu-fast-2", "cuda-emulated" (CudaBackend over the stub driver
 * that runs the real kernels on the CPU, built with g++; off with -Darchrepair.cuda.emulated=false)
 * and "cuda" (the first GPU; off with -Darchrepair.cuda.gpu=false). A device that cannot open here
 * is skipped, with the reason printed once; opened devices live until the JVM exits.
 * -Darchrepair.test.devices=a,b keeps only those names in every list (the GPU run: "cuda").
 */
public final class TestDevices {
    private static final Map<String, Backend> OPEN = new HashMap<>();
    private static final Map<String, String> UNAVAILABLE = new HashMap<>();

    private TestDevices() {
    }

    /** The devices of the engine's suites: the scalar reference and the two CUDA ones. */
    public static Stream<String> all() {
        return selected(Stream.of("cpu-reference", "cuda-emulated", "cuda"));
    }

    /** The CUDA devices alone. */
    public static Stream<String> cuda() {
        return selected(Stream.of("cuda-emulated", "cuda"));
    }

    /** names, less those -Darchrepair.test.devices leaves out. */
    public static Stream<String> selected(Stream<String> names) {
        String only = System.getProperty("archrepair.test.devices", "");
        if (only.isBlank()) return names;
        java.util.Set<String> keep = java.util.Set.of(only.split(","));
        return names.filter(keep::contains);
    }

    /** The device of that name, or the calling test is skipped with the reason it is unavailable. */
    public static synchronized Backend open(String name) {
        if (!OPEN.containsKey(name) && !UNAVAILABLE.containsKey(name)) {
            try {
                OPEN.put(name, create(name));
            } catch (CudaUnavailableException | org.opentest4j.TestAbortedException e) {
                UNAVAILABLE.put(name, e.getMessage());
                System.out.println("[devices] " + name + " skipped: " + e.getMessage());
            }
        }
        String reason = UNAVAILABLE.get(name);
        Assumptions.assumeTrue(reason == null, () -> name + " unavailable: " + reason);
        return OPEN.get(name);
    }

    /** The device if it opens here, without skipping anything. */
    public static synchronized java.util.Optional<Backend> tryOpen(String name) {
        try {
            return java.util.Optional.of(open(name));
        } catch (org.opentest4j.TestAbortedException e) {
            return java.util.Optional.empty();
        }
    }

    private static Backend create(String name) {
        return switch (name) {
            case "cpu-reference" -> CpuBackend.reference();
            case "cpu-fast-2" -> CpuBackend.fast(2);
            case "cuda-emulated" -> {
                Assumptions.assumeTrue(!"false".equals(System.getProperty("archrepair.cuda.emulated")),
                        "-Darchrepair.cuda.emulated=false");
                yield CudaBackend.open(NativeStubs.options());
            }
            case "cuda" -> {
                Assumptions.assumeTrue(!"false".equals(System.getProperty("archrepair.cuda.gpu")),
                        "-Darchrepair.cuda.gpu=false");
                yield CudaBackend.open(CudaOptions.fromSystemProperties(0));
            }
            default -> throw new IllegalArgumentException("unknown test device " + name);
        };
    }
}
