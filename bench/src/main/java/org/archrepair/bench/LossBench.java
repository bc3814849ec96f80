package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * Mean softmax cross-entropy on a CIFAR-10 batch (128 x 10) and a Tiny-ImageNet-sized one
 * (128 x 200). Ours: forward (loss and saved probabilities) and backward (dlogits) timed alone;
 * PyTorch: forward, and forward + backward. At these sizes both sides are call overhead more than
 * arithmetic (a DJL call costs microseconds), which is what the numbers show.
 *
 * <p>What this is not: a correctness check. One thread by default; -p threads=1,2 adds two.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
public class LossBench {

    @Param({"128x10", "128x200"})
    public String shape;

    @Param({"1"})
    public int threads;

    private int rows, cols;
    private Backend ours;
    private DeviceBuffer logits, labels, probs, loss, dloss, dlogits;   // (rows, cols), I32 (rows), (rows, cols), (1), (1), (rows, cols)
    private Torch torch;
    private NDArray tlogits, tlabels, tone;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        int[] d = Layers.logits(shape);
        rows = d[0];
        cols = d[1];
        float[] hlogits = Data.gaussian(1, rows * cols, 3f);
        int[] hlabels = Data.labels(2, rows, cols);
        if (Forks.runsPyTorch(params)) {
            torch = Forks.pytorch(threads);
            tlogits = torch.array(hlogits, rows, cols);
            tlabels = torch.indices(hlabels, rows, 1);
            tone = torch.array(new float[] {1f});
        } else {
            ours = Forks.ours(threads);
            logits = ours.upload(hlogits);
            labels = ours.upload(hlabels);
            probs = ours.allocateUninitialized(DType.F32, (long) rows * cols);
            loss = ours.allocateUninitialized(DType.F32, 1);
            dloss = ours.upload(new float[] {1f});
            dlogits = ours.allocateUninitialized(DType.F32, (long) rows * cols);
            oursForward();   // the probabilities that oursBackward reads
        }
    }

    @Benchmark
    public DeviceBuffer oursForward() {
        ours.softmaxCrossEntropyForward(rows, cols, logits, labels, probs, loss);
        return loss;
    }

    @Benchmark
    public DeviceBuffer oursBackward() {
        ours.softmaxCrossEntropyBackward(rows, cols, probs, labels, dloss, dlogits);
        return dlogits;
    }

    @Benchmark
    public void pytorchForward(Blackhole bh) {
        try (NDArray out = Torch.crossEntropy(tlogits, tlabels)) {
            bh.consume(out);
        }
    }

    @Benchmark
    public void pytorchForwardBackward(Blackhole bh) {
        try (NDManager scope = torch.scope()) {
            NDArray lx = Torch.leaf(tlogits, scope);
            torch.forwardBackward(() -> Torch.crossEntropy(lx, tlabels), tone);
            bh.consume(lx.getGradient());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (torch != null) torch.close();
        if (ours != null) ours.close();
    }
}
