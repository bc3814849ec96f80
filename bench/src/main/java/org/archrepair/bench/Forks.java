package org.archrepair.bench;

import org.archrepair.kernels.cpu.CpuBackend;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every benchmark fork does before it measures: check that it runs with the flags of
 * {@code jvm.options}, and start only the side its method measures. Method names start with
 * {@code ours} or {@code pytorch}; JMH runs each (method, parameters) pair in its own fork, so an
 * "ours" fork never loads libtorch (whose idle OpenMP workers would otherwise share the cores) and
 * a "pytorch" fork gets its own per-JVM thread count.
 *
 * <p>What this is not: a place for benchmark data; each benchmark class owns its inputs.
 */
final class Forks {
    private Forks() {
    }

    static boolean runsPyTorch(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1).startsWith("pytorch");
    }

    static CpuBackend ours(int threads) {
        requireJvmFlags();
        CpuBackend backend = CpuBackend.fast(threads);
        System.out.println("ours: " + backend);       // the vector width and register tile this fork runs
        return backend;
    }

    static Torch pytorch(int threads) {
        requireJvmFlags();
        return Torch.start(threads);
    }

    /**
     * JMH forks inherit the launcher JVM's arguments unless a benchmark overrides them; this
     * proves it in the fork itself instead of trusting it.
     */
    static void requireJvmFlags() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty())
            throw new IllegalStateException("this JVM lacks --add-modules=jdk.incubator.vector from jvm.options:"
                    + " start JMH through bench/run.sh");
        if (!Forks.class.getModule().isNativeAccessEnabled())
            throw new IllegalStateException("this JVM lacks --enable-native-access=ALL-UNNAMED from jvm.options:"
                    + " start JMH through bench/run.sh");
    }

    /**
     * "RSS 812 MB, live heap 95 MB": this process's resident memory (libtorch's native allocations
     * included) and the Java heap still in use after a full collection. Benchmarks print it after
     * each iteration (outside the measured time), so a leak on either side shows as growth from one
     * iteration to the next. Forces a GC: call it only between iterations.
     */
    static String memory() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        return "RSS " + residentMb() + " MB, live heap " + heapMb + " MB";
    }

    /** VmRSS from /proc/self/status in MB, or -1 where there is no such file. */
    private static long residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
