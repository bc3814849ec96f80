package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.archrepair.engine.io.HostArray;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.Conv2dSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ResNet-20 for CIFAR-10 (He et al. 2016, option-A shortcuts, akamaster/pytorch_resnet_cifar10)
 * written in libtorch calls through {@link Torch}: the PyTorch twin of our
 * {@code ResNetCifar.resnet20}, with PyTorch's state_dict names, so one state dict loads into both.
 * conv1 3->16, bn1, relu; layer1..3 of 3 BasicBlocks (16/32/64 channels, stride 2 at the start of
 * layer2 and layer3); global average pooling; linear 64->10. No conv bias; BN eps 1e-5, momentum 0.1
 * in PyTorch's convention (running = 0.9 running + 0.1 batch, unbiased variance).
 *
 * <p>The model owns its parameters (59 tensors, 269,722 values) and running statistics (38 tensors)
 * as NDArrays in its own manager. Training runs libtorch autograd on fresh leaves that share the
 * parameters' storage, as {@code zero_grad(set_to_none=True)} leaves them, so nothing accumulates
 * from step to step; every intermediate lives in a caller's scope and is freed with it.
 *
 * <p>What this is not: a DJL {@code Block} (no ParameterStore or Trainer bookkeeping between us and
 * libtorch, and no trap of DJL's complementary BN momentum), nor a general ResNet builder.
 */
public final class TorchResNet20 implements AutoCloseable {
    public static final int CLASSES = 10;
    private static final int[] PLANES = {16, 32, 64};
    private static final int BLOCKS_PER_STAGE = 3;

    private final NDManager manager;
    private final DataType type;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();   // weights, BN gamma/beta, linear
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();      // BN running_mean / running_var

    /** Loss, logits and the gradient of every parameter by name of one training forward + backward. */
    public record Step(NDArray loss, NDArray logits, Map<String, NDArray> gradients) {
    }

    /**
     * The model with the given state (parameters and running statistics by PyTorch name, as our
     * {@code StateDicts.toHost} or {@code Checkpoints.read} give them), in float32.
     */
    public TorchResNet20(Torch torch, Map<String, HostArray> state) {
        this(torch, state, DataType.FLOAT32);
    }

    /**
     * The same in another floating-point type: FLOAT64 makes a double-precision reference (its
     * inputs must be FLOAT64 too). The float32 values of state convert exactly.
     */
    public TorchResNet20(Torch torch, Map<String, HostArray> state, DataType type) {
        this.manager = torch.scope();
        this.type = type;
        load(state);
    }

    /**
     * Replace every parameter and running statistic with state's values: every name and shape of
     * {@link #stateShapes} must be there and nothing else, or nothing changes. The maps of
     * {@link #parameters()} and {@link #buffers()} stay the same objects (an optimizer over them,
     * whose state is kept by name, carries on); their arrays are new, the old ones freed.
     */
    public void load(Map<String, HostArray> state) {
        Map<String, int[]> shapes = stateShapes();
        List<String> problems = new ArrayList<>();
        shapes.forEach((name, shape) -> {
            HostArray v = state.get(name);
            if (v == null) problems.add("missing " + name);
            else if (!Arrays.equals(v.shape(), shape))
                problems.add(name + " has shape " + v.shapeString() + ", expected " + Arrays.toString(shape));
        });
        state.keySet().stream().filter(n -> !shapes.containsKey(n)).forEach(n -> problems.add("unexpected " + n));
        if (!problems.isEmpty()) throw new IllegalArgumentException("state does not fit ResNet-20: " + problems);
        shapes.forEach((name, shape) -> {
            NDArray a = Torch.array(manager, state.get(name).data(), Arrays.stream(shape).asLongStream().toArray());
            NDArray typed = a.toType(type, false);
            if (typed != a) a.close();
            NDArray old = (isBuffer(name) ? buffers : parameters).put(name, typed);
            if (old != null) old.close();
        });
    }

    /** Every state_dict name and shape in PyTorch's order (parameters and running statistics). */
    public static Map<String, int[]> stateShapes() {
        Map<String, int[]> s = new LinkedHashMap<>();
        s.put("conv1.weight", new int[]{16, 3, 3, 3});
        batchNormShapes(s, "bn1", 16);
        int in = 16;
        for (int stage = 0; stage < 3; stage++) {
            int planes = PLANES[stage];
            for (int b = 0; b < BLOCKS_PER_STAGE; b++) {
                String block = "layer" + (stage + 1) + "." + b;
                s.put(block + ".conv1.weight", new int[]{planes, in, 3, 3});
                batchNormShapes(s, block + ".bn1", planes);
                s.put(block + ".conv2.weight", new int[]{planes, planes, 3, 3});
                batchNormShapes(s, block + ".bn2", planes);
                in = planes;
            }
        }
        s.put("linear.weight", new int[]{CLASSES, 64});
        s.put("linear.bias", new int[]{CLASSES});
        return s;
    }

    private static void batchNormShapes(Map<String, int[]> s, String bn, int c) {
        for (String p : List.of("weight", "bias", "running_mean", "running_var")) s.put(bn + "." + p, new int[]{c});
    }

    private static boolean isBuffer(String name) {
        return name.endsWith(".running_mean") || name.endsWith(".running_var");
    }

    /** The parameters by name (live: an optimizer updates them in place). */
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /** The running statistics by name (live: a training forward updates them in place). */
    public Map<String, NDArray> buffers() {
        return buffers;
    }

    /** Number of parameter values (not running statistics). */
    public long parameterCount() {
        return parameters.values().stream().mapToLong(NDArray::size).sum();
    }

    /** Eval-mode logits (running statistics, nothing recorded). x: (n, 3, 32, 32) -> (n, 10), in scope. */
    public NDArray predict(NDManager scope, NDArray x) {
        try (Torch.NoGrad ignored = Torch.noGrad()) {
            return forward(parameters, Torch.constant(x, scope), false);
        }
    }

    /**
     * Training mode (batch statistics; running statistics updated in place): logits, mean softmax
     * cross-entropy against labels, and its backward, recorded on fresh leaves of the parameters.
     * x: (n, 3, 32, 32); labels: int64 (n, 1). Everything returned lives in scope.
     */
    public Step lossAndGradients(Torch torch, NDManager scope, NDArray x, NDArray labels) {
        Map<String, NDArray> leaves = new LinkedHashMap<>();
        parameters.forEach((name, p) -> leaves.put(name, Torch.leaf(p, scope)));
        NDArray input = Torch.constant(x, scope);
        NDArray[] logits = new NDArray[1];
        NDArray loss = torch.forwardBackward(() -> {
            logits[0] = forward(leaves, input, true);
            return Torch.crossEntropy(logits[0], labels);
        }, scope.ones(new Shape(), x.getDataType()));
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        leaves.forEach((name, leaf) -> gradients.put(name, leaf.getGradient()));
        return new Step(loss, logits[0], gradients);
    }

    /** The network on weights w (the parameters, or leaves sharing them). x: (n, 3, 32, 32) -> (n, 10). */
    private NDArray forward(Map<String, NDArray> w, NDArray x, boolean training) {
        NDArray out = Torch.relu(batchNorm(w, "bn1", conv(x, w.get("conv1.weight"), 1), training));
        for (int stage = 0; stage < 3; stage++)
            for (int b = 0; b < BLOCKS_PER_STAGE; b++)
                out = basicBlock(w, "layer" + (stage + 1) + "." + b, out, b == 0 && stage > 0 ? 2 : 1, training);
        return Torch.linear(Torch.globalAvgPool(out), w.get("linear.weight"), w.get("linear.bias"));
    }

    /**
     * relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); the shortcut is the identity, or, where
     * the block halves the resolution and doubles the channels, x[:, :, ::2, ::2] zero-padded by
     * planes/4 channels on each side. x: (n, c, h, w) -> (n, planes, h / stride, w / stride).
     */
    private NDArray basicBlock(Map<String, NDArray> w, String block, NDArray x, int stride, boolean training) {
        NDArray conv1 = w.get(block + ".conv1.weight");
        int planes = Math.toIntExact(conv1.getShape().get(0));
        NDArray out = Torch.relu(batchNorm(w, block + ".bn1", conv(x, conv1, stride), training));
        out = batchNorm(w, block + ".bn2", conv(out, w.get(block + ".conv2.weight"), 1), training);
        boolean reshapes = stride != 1 || x.getShape().get(1) != planes;
        NDArray shortcut = reshapes ? Torch.subsamplePadChannels(x, stride, planes / 4) : x;
        return Torch.relu(out.add(shortcut));
    }

    /** 3x3 convolution, padding 1, no bias. x: (n, c, h, w), weight: (k, c, 3, 3) -> (n, k, h / stride, w / stride). */
    private static NDArray conv(NDArray x, NDArray weight, int stride) {
        long[] s = x.getShape().getShape();
        Conv2dSpec spec = Conv2dSpec.of((int) s[0], (int) s[1], (int) s[2], (int) s[3],
                Math.toIntExact(weight.getShape().get(0)), 3, stride, 1, 1, 1);
        return Torch.conv2d(spec, x, weight);
    }

    /** BatchNorm2d(eps 1e-5, momentum 0.1) in training or eval mode. x: (n, c, h, w) -> same. */
    private NDArray batchNorm(Map<String, NDArray> w, String bn, NDArray x, boolean training) {
        long[] s = x.getShape().getShape();
        BatchNormSpec spec = BatchNormSpec.of((int) s[0], (int) s[1], (int) (s[2] * s[3]));
        return Torch.batchNorm(spec, x, w.get(bn + ".weight"), w.get(bn + ".bias"),
                buffers.get(bn + ".running_mean"), buffers.get(bn + ".running_var"), training);
    }

    @Override
    public void close() {
        manager.close();
    }
}
