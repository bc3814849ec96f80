package org.archrepair.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.archrepair.engine.io.HostArray;
import org.archrepair.kernels.BatchNormSpec;
import org.archrepair.kernels.Conv2dSpec;
import org.archrepair.kernels.Pool2dSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ResNet-20 with its last stage relaxed as our {@code SearchSpace} relaxes it (block level, one
 * cell per unit, every edge a softmax-weighted sum of none, skip, 3x3 avg/max pool + BN, sep conv
 * 3x3, dil conv 3x3 and, on the chain edges, the original conv + BN; DARTS' affine-free batch norms),
 * written in libtorch calls through {@link Torch} and reading its weights from our relaxed network's
 * state dict by name: the PyTorch twin {@code SearchStepBench} times one search step of.
 *
 * <p>Layers 1-2, the stem and the head are frozen and run in eval mode (running statistics); the
 * relaxed stage runs in training mode (batch statistics, running statistics updated). Partial
 * channels and edge normalization are not modelled (K = 1, no betas: the benchmark's setting).
 *
 * <p>What this is not: a general DARTS implementation, nor an oracle of the search (the search's
 * correctness is tested against the original network in {@code SearchSpaceTest}).
 */
public final class TorchSearchNet20 implements AutoCloseable {
    private static final String[] OPS = {"skip_connect", "avg_pool_3x3", "max_pool_3x3", "sep_conv_3x3", "dil_conv_3x3"};
    private final NDManager manager;
    /** Every tensor of our state dict (weights and running statistics), by name. */
    private final Map<String, NDArray> state = new LinkedHashMap<>();
    /** The trainable tensors of the relaxed stage (weights and BN affine parameters), by name. */
    private final Map<String, NDArray> blockWeights = new LinkedHashMap<>();
    /** Architecture logits by edge ("layer3.0/e0_1"), (6) or (7). */
    private final Map<String, NDArray> alphas = new LinkedHashMap<>();

    /** state: our relaxed network's state dict; trainable: which of its names are the stage's parameters. */
    public TorchSearchNet20(Torch torch, Map<String, HostArray> state, List<String> trainable, Map<String, HostArray> alpha) {
        this.manager = torch.scope();
        state.forEach((name, a) -> this.state.put(name, Torch.array(manager, a.data(), shape(a))));
        for (String name : trainable) blockWeights.put(name, this.state.get(name));
        alpha.forEach((name, a) -> alphas.put(name, Torch.array(manager, a.data(), shape(a))));
    }

    private static long[] shape(HostArray a) {
        return java.util.Arrays.stream(a.shape()).asLongStream().toArray();
    }

    public Map<String, NDArray> blockWeights() {
        return blockWeights;
    }

    public Map<String, NDArray> alphas() {
        return alphas;
    }

    /**
     * Logits of x (n, 3, 32, 32) -> (n, 10). w: the stage's weights (the live ones or leaves sharing
     * them), a: the alphas (likewise); every other tensor is read as a constant.
     */
    public NDArray forward(Map<String, NDArray> w, Map<String, NDArray> a, NDArray x) {
        NDArray out = Torch.relu(bn(null, "bn1", conv(x, state.get("conv1.weight"), 1, 1, 1, 1), false));
        for (int stage = 1; stage <= 2; stage++)
            for (int b = 0; b < 3; b++) out = frozenUnit("layer" + stage + "." + b, out, b == 0 && stage > 1 ? 2 : 1);
        for (int b = 0; b < 3; b++) out = cell(w, a, "layer3." + b, out, b == 0);
        return Torch.linear(Torch.globalAvgPool(out), state.get("linear.weight"), state.get("linear.bias"));
    }

    private NDArray frozenUnit(String unit, NDArray x, int stride) {
        NDArray out = Torch.relu(bn(null, unit + ".bn1", conv(x, state.get(unit + ".conv1.weight"), stride, 1, 1, 1), false));
        out = bn(null, unit + ".bn2", conv(out, state.get(unit + ".conv2.weight"), 1, 1, 1, 1), false);
        int planes = Math.toIntExact(state.get(unit + ".conv1.weight").getShape().get(0));
        NDArray shortcut = stride != 1 ? Torch.subsamplePadChannels(x, stride, planes / 4) : x;
        return Torch.relu(out.add(shortcut));
    }

    /** X1 = relu(e01(X0)), X2 = relu(e02(X0) + e12(X1)); e02 reads the option-A shortcut in unit 0. */
    private NDArray cell(Map<String, NDArray> w, Map<String, NDArray> a, String unit, NDArray x0, boolean first) {
        NDArray x1 = Torch.relu(edge(w, a, unit, "e0_1", x0, x0, first ? 2 : 1, true));
        NDArray shortcut = first ? Torch.subsamplePadChannels(x0, 2, 16) : x0;
        NDArray x2 = edge(w, a, unit, "e0_2", shortcut, null, 1, false).add(edge(w, a, unit, "e1_2", x1, x1, 1, true));
        return Torch.relu(x2);
    }

    /** sum_o softmax(alpha)_o o(x): generic ops on the (adapted) input, orig on the raw one. */
    private NDArray edge(Map<String, NDArray> w, Map<String, NDArray> a, String unit, String e, NDArray x, NDArray raw,
                         int origStride, boolean hasOrig) {
        String p = unit + "." + e + ".";
        NDArray in = w.containsKey(p + "adapter.0.weight")
                ? bn(w, p + "adapter.1", conv(x, w.get(p + "adapter.0.weight"), origStride, 0, 1, 1), true) : x;
        NDArray weights = a.get(unit + "/" + e).softmax(0);
        NDList terms = new NDList();
        for (int o = 0; o < OPS.length; o++) terms.add(op(w, p + OPS[o], OPS[o], in).mul(weights.get(o + 1)));
        if (hasOrig) terms.add(bn(w, p + "orig.1", conv(raw, w.get(p + "orig.0.weight"), origStride, 1, 1, 1), true)
                .mul(weights.get(OPS.length + 1)));
        return NDArrays.add(terms.toArray(new NDArray[0]));
    }

    private NDArray op(Map<String, NDArray> w, String p, String kind, NDArray x) {
        long[] s = x.getShape().getShape();
        Pool2dSpec pool = Pool2dSpec.of((int) s[0], (int) s[1], (int) s[2], (int) s[3], 3, 1, 1);
        return switch (kind) {
            case "skip_connect" -> x;
            case "avg_pool_3x3" -> bn(w, p + ".1", Torch.avgPool2d(pool, x), true);
            case "max_pool_3x3" -> bn(w, p + ".1", Torch.maxPool2d(pool, x), true);
            case "sep_conv_3x3" -> {
                NDArray y = bn(w, p + ".3", conv(conv(Torch.relu(x), w.get(p + ".1.weight"), 1, 1, 1, (int) s[1]),
                        w.get(p + ".2.weight"), 1, 0, 1, 1), true);
                yield bn(w, p + ".7", conv(conv(Torch.relu(y), w.get(p + ".5.weight"), 1, 1, 1, (int) s[1]),
                        w.get(p + ".6.weight"), 1, 0, 1, 1), true);
            }
            case "dil_conv_3x3" -> bn(w, p + ".3", conv(conv(Torch.relu(x), w.get(p + ".1.weight"), 1, 2, 2, (int) s[1]),
                    w.get(p + ".2.weight"), 1, 0, 1, 1), true);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static NDArray conv(NDArray x, NDArray weight, int stride, int pad, int dilation, int groups) {
        long[] s = x.getShape().getShape();
        long[] k = weight.getShape().getShape();
        return Torch.conv2d(Conv2dSpec.of((int) s[0], (int) s[1], (int) s[2], (int) s[3], (int) k[0], (int) k[2], stride,
                pad, dilation, groups), x, weight);
    }

    /** BN named bn: trainable (batch statistics, gamma/beta from w or affine-free) or frozen (running statistics). */
    private NDArray bn(Map<String, NDArray> w, String bn, NDArray x, boolean training) {
        long[] s = x.getShape().getShape();
        NDArray gamma = w != null && w.containsKey(bn + ".weight") ? w.get(bn + ".weight") : state.get(bn + ".weight");
        NDArray beta = w != null && w.containsKey(bn + ".bias") ? w.get(bn + ".bias") : state.get(bn + ".bias");
        if (gamma == null) {                          // affine = false: libtorch wants ones and zeros
            gamma = x.getManager().ones(new Shape(s[1]));
            beta = x.getManager().zeros(new Shape(s[1]));
        }
        return Torch.batchNorm(BatchNormSpec.of((int) s[0], (int) s[1], (int) (s[2] * s[3])), x, gamma, beta,
                state.get(bn + ".running_mean"), state.get(bn + ".running_var"), training);
    }

    @Override
    public void close() {
        manager.close();
    }
}
