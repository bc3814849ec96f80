package org.archrepair.repair.train;

import org.archrepair.engine.Ops;
import org.archrepair.engine.Tensor;
import org.archrepair.engine.autograd.Autograd;
import org.archrepair.engine.autograd.Gradients;
import org.archrepair.engine.nn.Module;
import org.archrepair.engine.optim.Optimizer;
import org.archrepair.kernels.Backend;
import org.archrepair.models.data.Batch;

import java.util.List;

/**
 * One optimization step, the one every loop uses (training from scratch, the search's weight and
 * architecture steps, fine-tuning, the weight-only repairs): forward a batch, mean cross-entropy,
 * the gradients of exactly the given trainable tensors, optional norm clipping, the optimizer's
 * step. Whatever else requires grad stays untouched; the caller decides modes (train/eval) and
 * which tensors are frozen.
 */
public final class TrainStep {
    /** The batch's mean loss (read for progress: the step's one host read) and its size. */
    public record Result(float loss, int size) {
    }

    private final Module model;
    private final List<Tensor> trainable;
    private final Optimizer optimizer;
    private final double clipNorm;
    private Tensor correct;                    // int32 (1) on the device: right predictions since the last reset

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

    /**
     * One step on batch b; guard sees the loss (the step's one host read) before the optimizer
     * moves anything. The count of right predictions (before the step) accumulates on the device;
     * gradient clipping happens there too.
     */
    public Result run(Backend backend, Batch b, LossGuard guard) {
        Tensor logits = model.forward(Tensor.of(backend, b.images(), b.shape()));
        Tensor labels = Tensor.ofInts(backend, b.labels(), b.size());
        Tensor loss = Ops.crossEntropy(logits, labels);
        float value = loss.item();
        guard.check(value);
        Gradients g = Autograd.grad(loss, trainable);
        if (clipNorm > 0) g.clipNormOnDevice(trainable, (float) clipNorm);
        optimizer.step(g);
        if (correct == null) correct = Tensor.ofInts(backend, new int[1], 1);
        Ops.accumulateCorrect(logits, labels, correct);
        return new Result(value, b.size());
    }

    /** Right predictions of the steps since the last {@link #resetCorrect} (one host read). */
    public int correct() {
        return correct == null ? 0 : correct.toIntArray()[0];
    }

    /** Start counting right predictions anew (at an epoch's start). */
    public void resetCorrect() {
        correct = null;
    }

    public Optimizer optimizer() {
        return optimizer;
    }
}
