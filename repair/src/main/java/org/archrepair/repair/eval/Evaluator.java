package org.archrepair.repair.eval;

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
        boolean wasTraining = net.isTraining();
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
            net.train(wasTraining);
        }
        return new Accuracy(loader.dataset().classes(), labels, predictions);
    }

    /** Index of the largest of v[from .. from + count), the first one on ties. */
    public static int argmax(float[] v, int from, int count) {
        int best = 0;
        for (int j = 1; j < count; j++) if (v[from + j] > v[from + best]) best = j;
        return best;
    }
}
