package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Network;
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

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * ResNet-20 inference on a fixed batch (default 256 images): eval mode (running statistics), no
 * autograd recording, logits (batch, 10) as the result. Ours: {@code net.forward} inside
 * {@code Autograd.noGrad()} on {@code CpuBackend.fast(threads)}; PyTorch: {@link TorchResNet20#predict}
 * inside {@code torch.no_grad()}, the logits and every intermediate freed with the call's scope.
 * Same weights on both sides ({@link Peers}), inputs as in {@link TrainStepBench}.
 * Images/s = batch / time per call ({@code Report}).
 *
 * <p>What this is not: an accuracy measurement (the weights are the seeded initialization, with
 * running statistics 0 and 1), nor a latency benchmark at batch 1.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 6, time = 4)
public class InferenceBench {

    @Param({"256"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend ours;
    private Network net;
    private Tensor x;                       // (batch, 3, 32, 32)
    private Torch torch;
    private TorchResNet20 model;
    private NDArray tx;                     // (batch, 3, 32, 32)

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        ImageBatch data = ImageBatch.cifar10OrRandom(batch);
        System.out.println("inputs: " + data.source());
        if (Forks.runsPyTorch(params)) {
            torch = Forks.pytorch(threads);
            model = Peers.pytorch(torch);
            tx = torch.array(data.images(), data.shape());
        } else {
            ours = Forks.ours(threads);
            net = Peers.ours(ours);
            net.eval();
            x = Tensor.of(ours, data.images(), batch, ImageBatch.CHANNELS, ImageBatch.SIDE, ImageBatch.SIDE);
        }
    }

    /** logits: (batch, 10) */
    @Benchmark
    public Tensor ours() {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return net.forward(x);
        }
    }

    @Benchmark
    public void pytorch(Blackhole bh) {
        try (NDManager scope = torch.scope()) {
            bh.consume(model.predict(scope, tx));
        }
    }

    @TearDown(Level.Iteration)
    public void printMemory() {
        System.out.println("  after iteration: " + Forks.memory());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (torch != null) {
            model.close();
            torch.close();
        }
        if (ours != null) ours.close();
    }
}
