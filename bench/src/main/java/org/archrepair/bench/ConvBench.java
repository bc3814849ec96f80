package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.Conv2dSpec;
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
 * 2-D convolution on ResNet-20 / ResNet-18 / depthwise layer shapes (names in {@link Layers}).
 * Ours: forward, backward-data and backward-weight, each timed alone. PyTorch: forward, and
 * forward + backward through autograd with a given output gradient (its conv backward computes dx
 * and dw in one call, so only the sum compares: ours fwd + bwdData + bwdWeight against
 * PyTorch fwd+bwd; the report adds the three medians).
 *
 * <p>What this is not: a correctness check (PyTorchConformanceTest), nor a fused conv-BN-ReLU.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class ConvBench {

    @Param({"r20-16x32x32", "r20-32x16x16", "r20-64x8x8", "r20-16x32x32-s2", "r20-32x16x16-s2",
            "r18-64x32x32", "r18-128x16x16", "r18-256x8x8", "r18-512x4x4",
            "dw-16x32x32", "dw-32x16x16", "dw-64x8x8"})
    public String layer;

    @Param({"1", "2"})
    public int threads;

    private Conv2dSpec spec;
    private Backend ours;
    private DeviceBuffer x, w, y, dy, dx, dw;   // x, dx: (n, c, h, w); w, dw: (k, c/g, r, s); y, dy: (n, k, p, q)
    private Torch torch;
    private NDArray tx, tw, tdy;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        spec = Layers.conv(layer);
        float[] hx = Data.gaussian(1, (int) spec.xLength(), 1f);
        float[] hw = Data.gaussian(2, (int) spec.wLength(), 0.1f);
        float[] hdy = Data.gaussian(3, (int) spec.yLength(), 1f);
        if (Forks.runsPyTorch(params)) {
            torch = Forks.pytorch(threads);
            tx = torch.array(hx, spec.n(), spec.c(), spec.h(), spec.w());
            tw = torch.array(hw, spec.k(), spec.c() / spec.groups(), spec.r(), spec.s());
            tdy = torch.array(hdy, spec.n(), spec.k(), spec.p(), spec.q());
        } else {
            ours = Forks.ours(threads);
            x = ours.upload(hx);
            w = ours.upload(hw);
            dy = ours.upload(hdy);
            y = ours.allocateUninitialized(DType.F32, spec.yLength());
            dx = ours.allocateUninitialized(DType.F32, spec.xLength());
            dw = ours.allocateUninitialized(DType.F32, spec.wLength());
        }
    }

    @Benchmark
    public DeviceBuffer oursForward() {
        ours.conv2dForward(spec, x, w, y);
        return y;
    }

    @Benchmark
    public DeviceBuffer oursBackwardData() {
        ours.conv2dBackwardData(spec, dy, w, dx);
        return dx;
    }

    @Benchmark
    public DeviceBuffer oursBackwardWeight() {
        ours.conv2dBackwardWeight(spec, x, dy, dw);
        return dw;
    }

    @Benchmark
    public void pytorchForward(Blackhole bh) {
        try (NDArray out = Torch.conv2d(spec, tx, tw)) {
            bh.consume(out);
        }
    }

    /** y = conv(x, w); y.backward(dy): dx and dw, everything freed with the scope. */
    @Benchmark
    public void pytorchForwardBackward(Blackhole bh) {
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(tx, scope), lw = Torch.leaf(tw, scope);
            torch.forwardBackward(() -> Torch.conv2d(spec, lx, lw), tdy);
            bh.consume(lx.getGradient());
            bh.consume(lw.getGradient());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (torch != null) torch.close();
        if (ours != null) ours.close();
    }
}
