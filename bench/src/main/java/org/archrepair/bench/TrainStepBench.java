package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.optim.Sgd;
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

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One training step of ResNet-20 (default, batch 128) or ResNet-18 ({@code -p model=resnet18 -p
 * batch=64}) on a fixed batch: forward in training mode (batch
 * statistics, running statistics updated), mean softmax cross-entropy, backward to every parameter,
 * SGD step (momentum 0.9, weight decay 5e-4, lr 0.1), and the loss read back as a float. Ours: the
 * loop body of {@code Trainer} ({@code net.forward}, {@code Ops.crossEntropy}, {@code Autograd.grad},
 * {@code Sgd.step}) on {@code CpuBackend.fast(threads)}. PyTorch: {@link TorchResNet20} or {@link TorchResNet18} on libtorch
 * autograd with fresh parameter leaves per step, {@link TorchSgd}, all intermediates freed with the
 * step's scope. Both start from the same weights ({@link Peers}); inputs are the first
 * CIFAR-10 test images, normalized, or seeded random ones without the data ({@link ImageBatch}).
 * Images/s = batch / time per step ({@code Report}).
 *
 * <p>Each fork prints the loss and its memory (RSS, live heap) after every iteration: flat numbers
 * over the run mean neither side keeps anything per step.
 *
 * <p>What this is not: a convergence run (the same batch every step), nor data loading or
 * augmentation (the batch is on the device before timing starts, on both sides).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 6, time = 4)
public class TrainStepBench {

    @Param({Peers.RESNET20})
    public String model;

    @Param({"128"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private float loss;
    private CpuBackend ours;
    private Network net;
    private List<Tensor> parameters;
    private Sgd sgd;
    private Tensor x, labels;               // x: (batch, 3, 32, 32); labels: int32 (batch)
    private Torch torch;
    private TorchNet peer;
    private TorchSgd torchSgd;
    private NDArray tx, tlabels;            // tx: (batch, 3, 32, 32); tlabels: int64 (batch, 1)

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        ImageBatch data = ImageBatch.cifar10OrRandom(batch);
        System.out.println("inputs: " + data.source());
        if (Forks.runsPyTorch(params)) setUpPyTorch(Forks.pytorch(threads), data);
        else setUpOurs(Forks.ours(threads), data);
    }

    /** The PyTorch side on torch (closed by {@link #tearDown}). */
    void setUpPyTorch(Torch torch, ImageBatch data) {
        this.torch = torch;
        peer = Peers.pytorch(model, torch);
        torchSgd = new TorchSgd(torch, peer.parameters(), Peers.LR, Peers.MOMENTUM, Peers.WEIGHT_DECAY);
        tx = torch.array(data.images(), data.shape());
        tlabels = torch.indices(data.labels(), data.size(), 1);
    }

    /** Our side on backend (closed by {@link #tearDown}). */
    void setUpOurs(CpuBackend backend, ImageBatch data) {
        ours = backend;
        net = Peers.ours(model, ours);
        net.train(true);
        parameters = net.parameters();
        sgd = new Sgd(parameters, Peers.LR, Peers.MOMENTUM, Peers.WEIGHT_DECAY, false);
        x = Tensor.of(ours, data.images(), data.size(), ImageBatch.CHANNELS, ImageBatch.SIDE, ImageBatch.SIDE);
        labels = Tensor.ofInts(ours, data.labels(), data.size());
    }

    /** Our network (after {@link #setUpOurs}). */
    Network net() {
        return net;
    }

    /** The PyTorch twin (after {@link #setUpPyTorch}). */
    TorchNet peer() {
        return peer;
    }

    @Benchmark
    public float ours() {
        Tensor l = Ops.crossEntropy(net.forward(x), labels);
        sgd.step(Autograd.grad(l, parameters));
        return loss = l.item();
    }

    @Benchmark
    public float pytorch() {
        try (NDManager scope = torch.scope()) {
            TorchNet.Step step = peer.lossAndGradients(torch, scope, tx, tlabels);
            torchSgd.step(step.gradients());
            return loss = step.loss().getFloat();
        }
    }

    @TearDown(Level.Iteration)
    public void printState() {
        System.out.println("  after iteration: loss " + loss + ", " + Forks.memory());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (torch != null) {
            torchSgd.close();
            peer.close();
            torch.close();
        }
        if (ours != null) ours.close();
    }
}
