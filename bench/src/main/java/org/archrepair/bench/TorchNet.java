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
 * A CIFAR network written in libtorch calls through {@link Torch}, with PyTorch's state_dict names
 * so one state dict loads into it and into our twin: the state, the training step and inference
 * that {@link TorchResNet20} and {@link TorchResNet18} share; each of them gives its names and
 * shapes ({@link #stateShapes}) and its forward pass.
 *
 * <p>The model owns its parameters and running statistics as NDArrays in its own manager. Training
 * runs libtorch autograd on fresh leaves that share the parameters' storage, as
 * {@code zero_grad(set_to_none=True)} leaves them, so nothing accumulates from step to step; every
 * intermediate lives in a caller's scope and is freed with it.
 *
 * <p>What this is not: a DJL {@code Block} (no ParameterStore or Trainer bookkeeping between us and
 * libtorch, and no trap of DJL's complementary BN momentum), nor a general model builder.
 */
public abstract class TorchNet implements AutoCloseable {
    public static final int CLASSES = 10;

    private final String name;
    private final NDManager manager;
    private final DataType type;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();   // weights, BN gamma/beta, linear
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();      // BN running_mean / running_var

    /** Loss, logits and the gradient of every parameter by name of one training forward + backward. */
    public record Step(NDArray loss, NDArray logits, Map<String, NDArray> gradients) {
    }

    /** The model with the given state (by PyTorch name) in the given floating-point type. */
    protected TorchNet(String name, Torch torch, Map<String, HostArray> state, DataType type) {
        this.name = name;
        this.manager = torch.scope();
        this.type = type;
        load(state);
    }

    /**
     * Every state_dict name and shape in PyTorch's order (parameters and running statistics). Called
     * from the constructor: it must not read the subclass's fields.
     */
    protected abstract Map<String, int[]> stateShapes();

    /** The network on weights w (the parameters, or leaves sharing them). x: (n, 3, 32, 32) -> (n, 10). */
    protected abstract NDArray forward(Map<String, NDArray> w, NDArray x, boolean training);

    /**
     * Replace every parameter and running statistic with state's values: every name and shape of
     * {@link #stateShapes} must be there and nothing else, or nothing changes. The maps of
     * {@link #parameters()} and {@link #buffers()} stay the same objects (an optimizer over them,
     * whose state is kept by name, carries on); their arrays are new, the old ones freed.
     */
    public void load(Map<String, HostArray> state) {
        Map<String, int[]> shapes = stateShapes();
        List<String> problems = new ArrayList<>();
        shapes.forEach((n, shape) -> {
            HostArray v = state.get(n);
            if (v == null) problems.add("missing " + n);
            else if (!Arrays.equals(v.shape(), shape))
                problems.add(n + " has shape " + v.shapeString() + ", expected " + Arrays.toString(shape));
        });
        state.keySet().stream().filter(n -> !shapes.containsKey(n)).forEach(n -> problems.add("unexpected " + n));
        if (!problems.isEmpty()) throw new IllegalArgumentException("state does not fit " + name + ": " + problems);
        shapes.forEach((n, shape) -> {
            NDArray a = Torch.array(manager, state.get(n).data(), Arrays.stream(shape).asLongStream().toArray());
            NDArray typed = a.toType(type, false);
            if (typed != a) a.close();
            NDArray old = (isBuffer(n) ? buffers : parameters).put(n, typed);
            if (old != null) old.close();
        });
    }

    /** gamma, beta and the running statistics of a BatchNorm2d of c channels, by name. */
    protected static void batchNormShapes(Map<String, int[]> s, String bn, int c) {
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
        parameters.forEach((n, p) -> leaves.put(n, Torch.leaf(p, scope)));
        NDArray input = Torch.constant(x, scope);
        NDArray[] logits = new NDArray[1];
        NDArray loss = torch.forwardBackward(() -> {
            logits[0] = forward(leaves, input, true);
            return Torch.crossEntropy(logits[0], labels);
        }, scope.ones(new Shape(), x.getDataType()));
        Map<String, NDArray> gradients = new LinkedHashMap<>();
        leaves.forEach((n, leaf) -> gradients.put(n, leaf.getGradient()));
        return new Step(loss, logits[0], gradients);
    }

    /** Square convolution, no bias. x: (n, c, h, w), weight: (k, c, r, r) -> (n, k, h', w'). */
    protected static NDArray conv(NDArray x, NDArray weight, int stride, int padding) {
        long[] s = x.getShape().getShape();
        Conv2dSpec spec = Conv2dSpec.of((int) s[0], (int) s[1], (int) s[2], (int) s[3],
                Math.toIntExact(weight.getShape().get(0)), Math.toIntExact(weight.getShape().get(2)),
                stride, padding, 1, 1);
        return Torch.conv2d(spec, x, weight);
    }

    /** BatchNorm2d(eps 1e-5, momentum 0.1) named bn, in training or eval mode. x: (n, c, h, w) -> same. */
    protected NDArray batchNorm(Map<String, NDArray> w, String bn, NDArray x, boolean training) {
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
