package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.archrepair.engine.Rng;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.io.HostArray;
import org.archrepair.engine.nn.Init;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.nn.StateDicts;
import org.archrepair.engine.optim.Adam;
import org.archrepair.engine.optim.ParamGroup;
import org.archrepair.engine.optim.Sgd;
import org.archrepair.kernels.Backend;
import org.archrepair.kernels.cpu.CpuBackend;
import org.archrepair.models.Network;
import org.archrepair.models.data.Batch;
import org.archrepair.repair.search.Architect;
import org.archrepair.repair.search.SearchSpace;
import org.archrepair.repair.train.TrainStep;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One step of ArchRepair's search on ResNet-20 with its last stage relaxed (block level, K = 1,
 * no edge normalization), batch 128: an architecture step (forward and backward on a validation
 * batch w.r.t. the alphas only, Adam lr 6e-4, betas (0.5, 0.999), decay 1e-3) and a weight step
 * (forward and backward on a training batch w.r.t. the stage's weights only, norm clip 5, SGD lr
 * 0.01, momentum 0.9, decay 5e-4), the rest of the network frozen in eval mode. Ours: the body of
 * {@code repair.method.Search} ({@code Architect.step}, {@code TrainStep.run}). PyTorch: the same
 * network in libtorch calls ({@link TorchSearchNet20}) from the same state, with a hand-written
 * Adam and clip in NDArray ops and DJL's SGD kernel. Both read the loss back each step.
 *
 * {@code oursArchStep}, {@code oursWeightStep} and {@code oursForward} time the parts of our step.
 *
 * <p>What this is not: a convergence run (the same two batches every step) nor data loading.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 6, time = 4)
public class SearchStepBench {
    static final float LR = 0.01f, MOMENTUM = 0.9f, WEIGHT_DECAY = 5e-4f, CLIP = 5f;
    static final float ARCH_LR = 6e-4f, BETA1 = 0.5f, BETA2 = 0.999f, ARCH_DECAY = 1e-3f, EPS = 1e-8f;

    @Param({"128"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private float loss;
    private CpuBackend ours;
    private Architect architect;
    private TrainStep step;
    private Batch train, val;
    private Torch torch;
    private TorchSearchNet20 twin;
    private TorchSgd torchSgd;
    private NDManager adamState;
    private Map<String, NDArray> m, v;
    private int adamSteps;
    private NDArray tx, tlabels;
    private SearchSpace space;

    SearchSpace space() {
        return space;
    }

    TorchSearchNet20 twin() {
        return twin;
    }

    /** Our relaxed ResNet-20 (the peer's initial state) and its search space, on backend. */
    static SearchSpace relaxed(Network net, Backend backend) {
        return SearchSpace.relax(net, net.candidateBlock("layer3"),
                new SearchSpace.Config(SearchSpace.Level.BLOCK, 1, false, 4), null, new Init(backend, new Rng(7)));
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws IOException {
        ImageBatch data = ImageBatch.cifar10OrRandom(batch);
        System.out.println("inputs: " + data.source());
        if (Forks.runsPyTorch(params)) setUpPyTorch(Forks.pytorch(threads), data);
        else setUpOurs(Forks.ours(threads), data);
    }

    /** The libtorch side on torch (which this benchmark then owns). */
    void setUpPyTorch(Torch torch, ImageBatch data) {
        this.torch = torch;
        try (CpuBackend host = CpuBackend.reference()) {
            Network net = Peers.ours(host);
            SearchSpace s = relaxed(net, host);
            List<String> trainable = new ArrayList<>();
            s.module().namedParameters().keySet().forEach(k -> trainable.add("layer3." + k));
            Map<String, HostArray> alphas = new LinkedHashMap<>();
            s.mixedEdges().forEach((k, e) -> alphas.put(k, new HostArray(e.alpha().shape(), e.alpha().toFloatArray())));
            twin = new TorchSearchNet20(torch, StateDicts.toHost(net), trainable, alphas);
        }
        torchSgd = new TorchSgd(torch, twin.blockWeights(), LR, MOMENTUM, WEIGHT_DECAY);
        adamState = torch.scope();
        m = new LinkedHashMap<>();
        v = new LinkedHashMap<>();
        twin.alphas().forEach((k, a) -> {
            m.put(k, adamState.zeros(a.getShape()));
            v.put(k, adamState.zeros(a.getShape()));
        });
        tx = torch.array(data.images(), data.shape());
        tlabels = torch.indices(data.labels(), data.size(), 1);
    }

    /** Our side on backend (which this benchmark then owns). */
    void setUpOurs(CpuBackend backend, ImageBatch data) {
        ours = backend;
        Network net = Peers.ours(ours);
        SearchSpace s = relaxed(net, ours);
        space = s;
        Module block = s.module();
        net.freeze();
        block.unfreeze();
        net.eval();
        block.train(true);
        List<Tensor> weights = block.parameters();
        List<Tensor> arch = List.copyOf(s.architectureParameters().values());
        Sgd sgd = new Sgd(weights, LR, MOMENTUM, WEIGHT_DECAY, false);
        Adam adam = new Adam(List.of(new ParamGroup(arch, ARCH_LR, ARCH_DECAY)), BETA1, BETA2, EPS);
        architect = new Architect(net, arch, adam, weights, sgd, false);
        step = new TrainStep(net, weights, sgd, CLIP);
        int[] idx = new int[data.size()];
        train = new Batch(0, 0, data.images(), data.labels(), idx, ImageBatch.CHANNELS, ImageBatch.SIDE, ImageBatch.SIDE);
        val = train;
    }

    @Benchmark
    public float ours() {
        architect.step(ours, val, train);
        try (var ignored = architect.freezeArchitecture()) {
            return loss = step.run(ours, train, l -> { }).loss();
        }
    }

    /** The breakdown: the architecture step alone (forward + backward to the alphas, Adam). */
    @Benchmark
    public float oursArchStep() {
        return loss = architect.step(ours, val, train);
    }

    /** The breakdown: the weight step alone (forward + backward to the stage's weights, clip, SGD). */
    @Benchmark
    public float oursWeightStep() {
        try (var ignored = architect.freezeArchitecture()) {
            return loss = step.run(ours, train, l -> { }).loss();
        }
    }

    /** The breakdown: the forward pass alone (the same modes, no graph recorded). */
    @Benchmark
    public float oursForward() {
        try (var ignored = org.archrepair.engine.autograd.Autograd.noGrad()) {
            return loss = architect.network().forward(Tensor.of(ours, train.images(), train.shape())).toFloatArray()[0];
        }
    }

    @Benchmark
    public float pytorch() {
        try (NDManager scope = torch.scope()) {
            NDArray input = Torch.constant(tx, scope);
            // architecture step: gradients w.r.t. the alphas only, then Adam with L2 decay
            Map<String, NDArray> a = new LinkedHashMap<>();
            twin.alphas().forEach((k, x) -> a.put(k, Torch.leaf(x, scope)));
            torch.forwardBackward(() -> Torch.crossEntropy(twin.forward(twin.blockWeights(), a, input), tlabels),
                    scope.ones(new Shape()));
            adam(a);
            // weight step: gradients w.r.t. the stage's weights only, clipped, SGD
            Map<String, NDArray> w = new LinkedHashMap<>();
            twin.blockWeights().forEach((k, x) -> w.put(k, Torch.leaf(x, scope)));
            NDArray l = torch.forwardBackward(() -> Torch.crossEntropy(twin.forward(w, twin.alphas(), input), tlabels),
                    scope.ones(new Shape()));
            Map<String, NDArray> grads = new LinkedHashMap<>();
            w.forEach((k, x) -> grads.put(k, x.getGradient()));
            clip(grads);
            torchSgd.step(grads);
            return loss = l.getFloat();
        }
    }

    /** torch.optim.Adam with weight decay on the live alphas, from the leaves' gradients. */
    private void adam(Map<String, NDArray> leaves) {
        adamSteps++;
        float c1 = 1 - (float) Math.pow(BETA1, adamSteps), c2 = 1 - (float) Math.pow(BETA2, adamSteps);
        try (Torch.NoGrad ignored = Torch.noGrad()) {
            twin.alphas().forEach((k, alpha) -> {
                NDArray g = leaves.get(k).getGradient().add(alpha.mul(ARCH_DECAY));
                m.get(k).muli(BETA1).addi(g.mul(1 - BETA1));
                v.get(k).muli(BETA2).addi(g.square().muli(1 - BETA2));
                alpha.subi(m.get(k).div(c1).divi(v.get(k).div(c2).sqrt().addi(EPS)).muli(ARCH_LR));
            });
        }
    }

    /** clip_grad_norm_(5): scale every gradient by 5 / (norm + 1e-6) when that is below 1. */
    private static void clip(Map<String, NDArray> grads) {
        double sq = 0;
        for (NDArray g : grads.values()) sq += g.square().sum().getFloat();
        double factor = CLIP / (Math.sqrt(sq) + 1e-6);
        if (factor < 1) for (NDArray g : grads.values()) g.muli((float) factor);
    }

    @TearDown(Level.Iteration)
    public void printState() {
        System.out.println("  after iteration: loss " + loss + ", " + Forks.memory());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (torch != null) {
            adamState.close();
            torchSgd.close();
            twin.close();
            torch.close();
        }
        if (ours != null) ours.close();
    }
}
