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

    /** Predictions and labels for every example of the loader's dataset; progress gets the batch sizes. */
    public static Accuracy evaluate(Network net, BatchLoader loader, Backend backend, IntConsumer progress) {
        int n = loader.dataset().size();
        int[] labels = new int[n], predictions = new int[n];
        Runnable modes = net.snapshotModes();
        net.eval();
        try (var ignored = Autograd.noGrad(); BatchStream batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                Batch b = batches.next();
                float[] logits = net.forward(Tensor.of(backend, b.images(), b.shape())).toFloatArray();
                int classes = logits.length / b.size();
                for (int i = 0; i < b.size(); i++) {
                    predictions[b.indices()[i]] = argmax(logits, i * classes, classes);
                    labels[b.indices()[i]] = b.labels()[i];
                }
                progress.accept(b.size());
            }
        } finally {
            modes.run();
        }
        return new Accuracy(loader.dataset().classes(), labels, predictions);
    }

    /** Mean cross-entropy and accuracy of a data set. */
    public record Score(double loss, double accuracy, int size) {
    }

    /** Mean loss and accuracy over the loader's data set, in eval mode, without a graph (the mode is restored). */
    public static Score score(Network net, BatchLoader loader, Backend backend) {
        double lossSum = 0;
        int correct = 0, n = 0;
        Runnable modes = net.snapshotModes();
        net.eval();
        try (var ignored = Autograd.noGrad(); BatchStream batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                Batch b = batches.next();
                Tensor logits = net.forward(Tensor.of(backend, b.images(), b.shape()));
                lossSum += (double) Ops.crossEntropy(logits, Tensor.ofInts(backend, b.labels(), b.size())).item() * b.size();
                float[] l = logits.toFloatArray();
                int classes = l.length / b.size();
                for (int i = 0; i < b.size(); i++) if (argmax(l, i * classes, classes) == b.labels()[i]) correct++;
                n += b.size();
            }
        } finally {
            modes.run();
        }
        return new Score(lossSum / n, (double) correct / n, n);
    }

    /** Index of the largest of v[from .. from + count), the first one on ties. */
    public static int argmax(float[] v, int from, int count) {
        int best = 0;
        for (int j = 1; j < count; j++) if (v[from + j] > v[from + best]) best = j;
        return best;
    }
}
