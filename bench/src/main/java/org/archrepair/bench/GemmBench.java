package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Square SGEMM, C = A B, row-major, size x size: our {@code Backend.gemm} (CpuBackend.fast) against
 * PyTorch's matmul (libtorch's BLAS sgemm), in the same JMH run, 2 size^3 FLOP per call (the
 * report turns times into GFLOP/s). Each (method, size, threads) runs in its own fork (see
 * {@link Forks}). The annotations are the "real" configuration; bench/run.sh smoke overrides them.
 *
 * <p>What this is not: a correctness check (PyTorchConformanceTest compares the results).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class GemmBench {

    @Param({"256", "512", "1024", "2048"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    private Backend ours;
    private DeviceBuffer a, b, c;   // (size, size) each
    private Torch torch;
    private NDArray ta, tb;         // (size, size) each

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        float[] ha = Data.gaussian(1, size * size, 1f), hb = Data.gaussian(2, size * size, 1f);
        if (Forks.runsPyTorch(params)) {
            torch = Forks.pytorch(threads);
            ta = torch.array(ha, size, size);
            tb = torch.array(hb, size, size);
        } else {
            ours = Forks.ours(threads);
            a = ours.upload(ha);
            b = ours.upload(hb);
            c = ours.allocateUninitialized(DType.F32, (long) size * size);
        }
    }

    @Benchmark
    public DeviceBuffer ours() {
        ours.gemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size);
        return c;
    }

    @Benchmark
    public void pytorch(Blackhole bh) {
        try (NDArray y = ta.matMul(tb)) {
            bh.consume(y);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (torch != null) torch.close();
        if (ours != null) ours.close();
    }
}
