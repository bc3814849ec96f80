package org.archrepair.repair.localize;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.nn.Module;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;
import org.archrepair.models.data.Batch;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.BatchStream;
import org.archrepair.repair.eval.Evaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The activation spectra of every neuron over a data set (ALGORITHM.md section 5): the model runs
 * in eval mode without recording a graph; a forward hook on each neuron layer's batch norm (on the
 * conv itself where no BN follows it) takes the spatial mean of every channel, before ReLU and the
 * residual add; a neuron is activated on an example when that mean is > 0, and the example counts
 * as failed when the model's prediction is not its label.
 */
public final class SpectrumPass {
    private SpectrumPass() {
    }

    /** The spectrum of every neuron of layout (flat order) over the loader's data set. */
    public static Spectrum[] run(Network net, NeuronLayout layout, Backend backend, BatchLoader loader,
                                 IntConsumer progress) {
        int neurons = layout.size();
        long[] af = new long[neurons], nf = new long[neurons], ap = new long[neurons], np = new long[neurons];
        List<float[]> means = new ArrayList<>();                 // per layer, this batch: (n, c)
        for (int l = 0; l < layout.layers().size(); l++) means.add(null);
        List<Module.HookHandle> hooks = new ArrayList<>();
        Runnable modes = net.snapshotModes();
        try (var ignored = Autograd.noGrad(); BatchStream batches = loader.epoch(0)) {
            net.eval();
            for (int l = 0; l < layout.layers().size(); l++) {
                int layer = l;
                var nl = layout.layers().get(l).layer();
                Module observed = net.get(nl.norm() != null ? nl.norm() : nl.conv());
                hooks.add(observed.addForwardHook((m, in, out) ->
                        means.set(layer, Ops.globalAvgPool(out).toFloatArray())));
            }
            while (batches.hasNext()) {
                Batch b = batches.next();
                float[] logits = net.forward(Tensor.of(backend, b.images(), b.shape())).toFloatArray();
                int classes = logits.length / b.size();
                for (int i = 0; i < b.size(); i++) {
                    boolean failed = Evaluator.argmax(logits, i * classes, classes) != b.labels()[i];
                    for (int l = 0; l < layout.layers().size(); l++) {
                        NeuronLayout.Layer layer = layout.layers().get(l);
                        float[] m = means.get(l);
                        int c = layer.channels();
                        for (int ch = 0; ch < c; ch++) {
                            boolean active = m[i * c + ch] > 0;
                            int j = layer.offset() + ch;
                            if (failed) { if (active) af[j]++; else nf[j]++; }
                            else { if (active) ap[j]++; else np[j]++; }
                        }
                    }
                }
                progress.accept(b.size());
            }
        } finally {
            hooks.forEach(Module.HookHandle::remove);
            modes.run();
        }
        Spectrum[] out = new Spectrum[neurons];
        for (int j = 0; j < neurons; j++) out[j] = new Spectrum(af[j], nf[j], ap[j], np[j]);
        return out;
    }
}
