package org.archrepair.repair.train;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.optim.Optimizer;
import org.archrepair.kernels.Backend;
import org.archrepair.models.data.Batch;
import org.archrepair.repair.eval.Evaluator;

import java.util.List;

/**
 * One optimization step, the one every loop uses (training from scratch, the search's weight and
 * architecture steps, fine-tuning, the weight-only repairs): forward a batch, mean cross-entropy,
 * the gradients of exactly the given trainable tensors, optional norm clipping, the optimizer's
 * step. Whatever else requires grad stays untouched; the caller decides modes (train/eval) and
 * which tensors are frozen.
 */
public final class TrainStep {
    /** The batch's mean loss and how many of its examples the logits got right (before the step). */
    public record Result(float loss, int correct, int size) {
    }

    private final Module model;
    private final List<Tensor> trainable;
    private final Optimizer optimizer;
    private final double clipNorm;

    /** clipNorm: joint gradient norm limit, 0 for none. */
    public TrainStep(Module model, List<Tensor> trainable, Optimizer optimizer, double clipNorm) {
        if (trainable.isEmpty()) throw new IllegalArgumentException("a training step with nothing to train");
        this.model = model;
        this.trainable = List.copyOf(trainable);
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
    }

    /** Checks a step's loss before its gradients reach the weights (see {@link NonFiniteLossException#check}). */
    @FunctionalInterface
    public interface LossGuard {
        void check(float loss);
    }

    /** One step on batch b; guard sees the loss before the optimizer moves anything. */
    public Result run(Backend backend, Batch b, LossGuard guard) {
        Tensor logits = model.forward(Tensor.of(backend, b.images(), b.shape()));
        Tensor loss = Ops.crossEntropy(logits, Tensor.ofInts(backend, b.labels(), b.size()));
        guard.check(loss.item());
        Gradients g = Autograd.grad(loss, trainable);
        if (clipNorm > 0) g.clipNorm(trainable, clipNorm);
        optimizer.step(g);
        return new Result(loss.item(), countCorrect(logits.toFloatArray(), b.labels()), b.size());
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    static int countCorrect(float[] logits, int[] labels) {
        int classes = logits.length / labels.length, correct = 0;
        for (int i = 0; i < labels.length; i++) if (Evaluator.argmax(logits, i * classes, classes) == labels[i]) correct++;
        return correct;
    }
}
