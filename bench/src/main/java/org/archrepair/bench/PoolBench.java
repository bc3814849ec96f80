package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.DType;
import org.archrepair.kernels.DeviceBuffer;
import org.archrepair.kernels.Pool2dSpec;
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
 * Max and average pooling (count_include_pad = false) with the two DARTS / ResNet windows, 3x3
 * stride 1 pad 1 and 2x2 stride 2, on ResNet-20 activations at batch 128. Ours: forward and
 * backward timed alone; PyTorch: forward, and forward + backward through autograd (compare with
 * the sum of ours). PyTorch's average pooling runs with count_include_pad = True, the only mode
 * DJL 0.36 reaches (see {@link Torch#avgPool2dIncludingPadding}); it costs the same as False.
 *
 * <p>What this is not: a correctness check (PyTorchConformanceTest).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class PoolBench {

    @Param({"128x16x32x32", "128x64x8x8"})
    public String shape;

    @Param({"3x3s1p1", "2x2s2"})
    public String window;

    @Param({"1", "2"})
    public int threads;

    private Pool2dSpec spec;
    private Backend ours;
    private DeviceBuffer x, y, argmax, dy, dx;   // x, dx: (n, c, h, w); y, argmax (I32), dy: (n, c, p, q)
    private Torch torch;
    private NDArray tx, tdy;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        spec = Layers.pool(shape, window);
        float[] hx = Data.gaussian(1, (int) spec.xLength(), 1f), hdy = Data.gaussian(2, (int) spec.yLength(), 1f);
        if (Forks.runsPyTorch(params)) {
            torch = Forks.pytorch(threads);
            tx = torch.array(hx, spec.n(), spec.c(), spec.h(), spec.w());
            tdy = torch.array(hdy, spec.n(), spec.c(), spec.p(), spec.q());
        } else {
            ours = Forks.ours(threads);
            x = ours.upload(hx);
            dy = ours.upload(hdy);
            y = ours.allocateUninitialized(DType.F32, spec.yLength());
            argmax = ours.allocateUninitialized(DType.I32, spec.yLength());
            dx = ours.allocateUninitialized(DType.F32, spec.xLength());
            ours.maxPool2dForward(spec, x, y, argmax);   // the argmax that oursMaxBackward scatters to
        }
    }

    @Benchmark
    public DeviceBuffer oursMaxForward() {
        ours.maxPool2dForward(spec, x, y, argmax);
        return y;
    }

    @Benchmark
    public DeviceBuffer oursMaxBackward() {
        ours.maxPool2dBackward(spec, dy, argmax, dx);
        return dx;
    }

    @Benchmark
    public DeviceBuffer oursAvgForward() {
        ours.avgPool2dForward(spec, x, y);
        return y;
    }

    @Benchmark
    public DeviceBuffer oursAvgBackward() {
        ours.avgPool2dBackward(spec, dy, dx);
        return dx;
    }

    @Benchmark
    public void pytorchMaxForward(Blackhole bh) {
        try (NDArray out = Torch.maxPool2d(spec, tx)) {
            bh.consume(out);
        }
    }

    @Benchmark
    public void pytorchMaxForwardBackward(Blackhole bh) {
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(tx, scope);
            torch.forwardBackward(() -> Torch.maxPool2d(spec, lx), tdy);
            bh.consume(lx.getGradient());
        }
    }

    @Benchmark
    public void pytorchAvgForward(Blackhole bh) {
        try (NDArray out = Torch.avgPool2dIncludingPadding(spec, tx)) {
            bh.consume(out);
        }
    }

    @Benchmark
    public void pytorchAvgForwardBackward(Blackhole bh) {
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(tx, scope);
            torch.forwardBackward(() -> Torch.avgPool2dIncludingPadding(spec, lx), tdy);
            bh.consume(lx.getGradient());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (torch != null) torch.close();
        if (ours != null) ours.close();
    }
}
