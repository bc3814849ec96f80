package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.BatchNormSpec;
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

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Training-mode batch norm (affine, with running statistics) on ResNet-20 activations at batch
 * 128. Ours: forward (statistics, normalization, running-stat update) and backward (dx, dgamma,
 * dbeta) timed alone; PyTorch: forward, and forward + backward through autograd.
 *
 * <p>What this is not: eval mode (a cheap affine map), nor a correctness check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class BatchNormBench {

    @Param({"128x16x32x32", "128x32x16x16", "128x64x8x8"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private BatchNormSpec spec;
    private Backend ours;
    private DeviceBuffer x, y, dy, dx;                                          // (n, c, hw)
    private DeviceBuffer gamma, beta, runMean, runVar, mean, invStd, dgamma, dbeta;   // (c)
    private Torch torch;
    private NDArray tx, tdy, tgamma, tbeta, trunMean, trunVar;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        spec = Layers.batchNorm(shape);
        int len = (int) spec.length(), c = spec.c();
        float[] hx = Data.gaussian(1, len, 1f), hdy = Data.gaussian(2, len, 1f);
        float[] hgamma = Data.uniform(3, c, 0.5f, 1.5f), hbeta = Data.gaussian(4, c, 0.1f);
        if (Forks.runsPyTorch(params)) {
            torch = Forks.pytorch(threads);
            tx = torch.array(hx, spec.n(), c, spec.hw());
            tdy = torch.array(hdy, spec.n(), c, spec.hw());
            tgamma = torch.array(hgamma, c);
            tbeta = torch.array(hbeta, c);
            trunMean = torch.array(new float[c], c);
            trunVar = torch.array(ones(c), c);
        } else {
            ours = Forks.ours(threads);
            x = ours.upload(hx);
            dy = ours.upload(hdy);
            gamma = ours.upload(hgamma);
            beta = ours.upload(hbeta);
            runMean = ours.allocateZeroed(DType.F32, c);
            runVar = ours.upload(ones(c));
            y = ours.allocateUninitialized(DType.F32, len);
            dx = ours.allocateUninitialized(DType.F32, len);
            mean = ours.allocateUninitialized(DType.F32, c);
            invStd = ours.allocateUninitialized(DType.F32, c);
            dgamma = ours.allocateUninitialized(DType.F32, c);
            dbeta = ours.allocateUninitialized(DType.F32, c);
            oursForward();   // the saved statistics that oursBackward reads
        }
    }

    @Benchmark
    public DeviceBuffer oursForward() {
        ours.batchNormForwardTrain(spec, x, gamma, beta, runMean, runVar, y, mean, invStd);
        return y;
    }

    @Benchmark
    public DeviceBuffer oursBackward() {
        ours.batchNormBackward(spec, x, dy, gamma, mean, invStd, dx, dgamma, dbeta);
        return dx;
    }

    @Benchmark
    public void pytorchForward(Blackhole bh) {
        try (NDArray out = Torch.batchNorm(spec, tx, tgamma, tbeta, trunMean, trunVar, true)) {
            bh.consume(out);
        }
    }

    @Benchmark
    public void pytorchForwardBackward(Blackhole bh) {
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(tx, scope), lgamma = Torch.leaf(tgamma, scope), lbeta = Torch.leaf(tbeta, scope);
            torch.forwardBackward(() -> Torch.batchNorm(spec, lx, lgamma, lbeta, trunMean, trunVar, true), tdy);
            bh.consume(lx.getGradient());
            bh.consume(lgamma.getGradient());
            bh.consume(lbeta.getGradient());
        }
    }

    private static float[] ones(int c) {
        float[] a = new float[c];
        Arrays.fill(a, 1f);
        return a;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (torch != null) torch.close();
        if (ours != null) ours.close();
    }
}
