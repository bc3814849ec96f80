package org.archrepair.repair.eval;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.kernels.Backend;
import org.archrepair.models.Network;
import org.archrepair.models.data.Batch;
import org.archrepair.models.data.BatchLoader;
import org.archrepair.models.data.BatchStream;

import java.util.function.IntConsumer;

/**
 * Runs a network in eval mode, without recording a graph, over every example a loader yields and
 * collects its predictions (argmax of the logits, first index on ties) by dataset index.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * Predictions and labels for every example of the loader's dataset; progress gets the batch
     * sizes. The predictions stay on the device (argmax per row, written at the batch's place in the
     * epoch) and come back in one read at the end.
     */
    public static Accuracy evaluate(Network net, BatchLoader loader, Backend backend, IntConsumer progress) {
        int n = loader.dataset().size();
        Tensor onDevice = Tensor.ofInts(backend, new int[n], n);          // predictions in epoch order
        Runnable modes = net.snapshotModes();
        net.eval();
        int at = 0;
        try (var ignored = Autograd.noGrad(); BatchStream batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                Batch b = batches.next();
                Ops.argmaxRows(net.forward(Tensor.of(backend, b.images(), b.shape())), onDevice, at);
                at += b.size();
                progress.accept(b.size());
            }
        } finally {
            modes.run();
        }
        int[] inOrder = onDevice.toIntArray(), order = loader.order(0), predictions = new int[n];
        for (int i = 0; i < n; i++) predictions[order[i]] = inOrder[i];
        return new Accuracy(loader.dataset().classes(), loader.dataset().labels(), predictions);
    }

    /** Mean cross-entropy and accuracy of a data set. */
    public record Score(double loss, double accuracy, int size) {
    }

    /**
     * Mean loss and accuracy over the loader's data set, in eval mode, without a graph (the modes are
     * restored); both are summed on the device and read once.
     */
    public static Score score(Network net, BatchLoader loader, Backend backend) {
        Tensor lossSum = Tensor.zeros(backend, 1), correct = Tensor.ofInts(backend, new int[1], 1);
        int n = 0;
        Runnable modes = net.snapshotModes();
        net.eval();
        try (var ignored = Autograd.noGrad(); BatchStream batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                Batch b = batches.next();
                Tensor logits = net.forward(Tensor.of(backend, b.images(), b.shape()));
                Tensor labels = Tensor.ofInts(backend, b.labels(), b.size());
                lossSum = Ops.add(lossSum, Ops.affine(Ops.crossEntropy(logits, labels), b.size(), 0f).reshape(1));
                Ops.accumulateCorrect(logits, labels, correct);
                n += b.size();
            }
        } finally {
            modes.run();
        }
        return new Score(lossSum.item() / n, (double) correct.toIntArray()[0] / n, n);
    }

    /** Index of the largest of v[from .. from + count), the first one on ties. */
    public static int argmax(float[] v, int from, int count) {
        int best = 0;
        for (int j = 1; j < count; j++) if (v[from + j] > v[from + best]) best = j;
        return best;
    }
}
