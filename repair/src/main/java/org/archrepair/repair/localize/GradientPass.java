package org.archrepair.repair.localize;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.engine.nn.Conv2d;
import org.archrepair.engine.nn.Module;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;
import org.archrepair.models.data.Batch;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.BatchStream;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The per-neuron gradient on the failures (ALGORITHM.md section 5, our choice of the paper's
 * "average gradient of a neuron"):
 * <pre>
 *   g_j = 1/|D_fail| sum_{x in D_fail} 1/|W_j| sum_{w in W_j} |dCE(phi(x), y)/dw|
 * </pre>
 * with W_j the filter of output channel j (c/groups r s weights). Each example's own gradient,
 * exactly: in eval mode the examples of a batch do not interact, so one batched forward and
 * backward gives every example's conv-output gradient dy_n, and one grouped backward-weight call
 * per layer turns (x_n, dy_n) into every example's dW_n ({@link Ops#conv2dWeightGradPerExample}).
 * The network's parameters are frozen for the pass (no whole-batch weight gradients are computed)
 * and restored after.
 */
public final class GradientPass {
    /** Per-example weight gradients of one batch may take at most this many floats (memory bound). */
    static final long FLOAT_BUDGET = 32L << 20;

    private GradientPass() {
    }

    /** The largest batch whose per-example weight gradients fit the budget for every layer, 1..cap. */
    public static int batchSize(Network net, NeuronLayout layout, int cap) {
        long largest = 1;
        for (NeuronLayout.Layer l : layout.layers()) largest = Math.max(largest, conv(net, l).weight.numel());
        return (int) Math.max(1, Math.min(cap, FLOAT_BUDGET / largest));
    }

    /** g_j for every neuron of layout (flat order) over the loader's data set (the failures). */
    public static double[] run(Network net, NeuronLayout layout, Backend backend, BatchLoader loader, IntConsumer progress) {
        List<NeuronLayout.Layer> layers = layout.layers();
        double[] sums = new double[layout.size()];
        Map<Tensor, Boolean> trainable = new IdentityHashMap<>();
        net.parameters().forEach(p -> trainable.put(p, p.requiresGrad()));
        Runnable modes = net.snapshotModes();
        Tensor[] inputs = new Tensor[layers.size()], outputs = new Tensor[layers.size()];
        List<Module.HookHandle> hooks = new ArrayList<>();
        long examples = 0;
        try (BatchStream batches = loader.epoch(0)) {
            net.eval();
            net.freeze();
            for (int l = 0; l < layers.size(); l++) {
                int layer = l;
                hooks.add(conv(net, layers.get(l)).addForwardHook((m, in, out) -> {
                    inputs[layer] = in;
                    outputs[layer] = out;
                }));
            }
            while (batches.hasNext()) {
                Batch b = batches.next();
                Tensor x = Tensor.of(backend, b.images(), b.shape()).setRequiresGrad(true);
                Tensor logits = net.forward(x);
                // the sum of the examples' losses: its gradient w.r.t. example n's tensors is dCE_n
                Tensor loss = Ops.affine(Ops.crossEntropy(logits, Tensor.ofInts(backend, b.labels(), b.size())),
                        b.size(), 0f);
                Gradients g = Autograd.grad(loss, List.of(outputs));
                try (var ignored = Autograd.noGrad()) {
                    for (int l = 0; l < layers.size(); l++) accumulate(net, layers.get(l), inputs[l], g.get(outputs[l]), sums);
                }
                examples += b.size();
                progress.accept(b.size());
            }
        } finally {
            hooks.forEach(Module.HookHandle::remove);
            trainable.forEach(Tensor::setRequiresGrad);
            modes.run();
        }
        for (int j = 0; j < sums.length; j++) sums[j] /= examples;
        return sums;
    }

    /** sums[offset + k] += sum over the batch of mean_w |dW_n[k]|. */
    private static void accumulate(Network net, NeuronLayout.Layer layer, Tensor x, Tensor dy, double[] sums) {
        Conv2d c = conv(net, layer);
        if (dy == null) throw new IllegalStateException(layer.layer().conv() + " does not reach the loss");
        int n = x.dim(0), k = c.out;
        Tensor dw = Ops.conv2dWeightGradPerExample(x, dy, c.kernel, c.stride, c.padding, c.dilation, c.groups);
        int per = (int) (dw.numel() / ((long) n * k));
        float[] perChannel = Ops.sumTo(Ops.abs(dw.reshape(n, k, per)), 1, k, 1).toFloatArray();
        for (int ch = 0; ch < k; ch++) sums[layer.offset() + ch] += (double) perChannel[ch] / per;
    }

    static Conv2d conv(Network net, NeuronLayout.Layer layer) {
        if (!(net.get(layer.layer().conv()) instanceof Conv2d c))
            throw new IllegalStateException(layer.layer().conv() + " is not a Conv2d");
        return c;
    }
}
